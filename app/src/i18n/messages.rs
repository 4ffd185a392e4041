//! Refusals and errors in the reader's language: the server's messages (an
//! [`AppError`](crate::error::AppError)'s text, which is English on the
//! wire so that API clients and logs read the same) and the browser's own
//! (the keystore's). Both are looked up by their English wording when they
//! are shown, in the page's language.
//!
//! A message is matched against `MESSAGES` (in the browser, the copy the
//! server's script brings: [`super::tables`]), whose English side may hold
//! `{}` for a part that varies (a number, a name, the reason a rule gave);
//! the French side puts the same parts back, in the same order, each itself
//! translated when it is a known message or word. The first letter's case
//! and the final full stop do not count in the match: the server writes its
//! refusals as sentences, the domain's reasons as clauses. A message the
//! table does not know is shown as it came.

use super::Locale;

/// The reader's-language text of a message written in English.
pub fn message(locale: Locale, english: &str) -> String {
    match locale {
        Locale::En => english.to_owned(),
        Locale::Fr => french(english).unwrap_or_else(|| english.to_owned()),
    }
}

/// An error as the page shows it, in the reader's language: a form's
/// invalid fields from their codes, any other error from its message.
pub fn error_text(locale: Locale, error: &crate::error::AppError) -> String {
    match error {
        // Said in the reader's language by the server, from the codes.
        crate::error::AppError::InvalidFields { shown, .. } => shown.clone(),
        other => message(locale, &other.to_string()),
    }
}

/// The French of `english` when the table knows it, keeping its shape (a
/// capital first letter, a final full stop).
fn french(english: &str) -> Option<String> {
    let text = english.trim();
    let full_stop = text.ends_with('.');
    let core = text.strip_suffix('.').unwrap_or(text);
    let capital = core.chars().next().is_some_and(char::is_uppercase);
    let key = lower_first(core);
    let translated = super::tables::messages().iter().find_map(|(en, fr)| {
        let en = lower_first(en.strip_suffix('.').unwrap_or(en));
        let parts = holes(&en, &key)?;
        Some(fill(fr.strip_suffix('.').unwrap_or(fr), &parts))
    })?;
    let translated = if capital {
        super::capitalised(&translated)
    } else {
        translated
    };
    Some(if full_stop {
        format!("{translated}.")
    } else {
        translated
    })
}

/// What fills each `{}` of `template` for it to read `text`, or `None` when
/// it cannot. Each hole takes the shortest text that lets the rest match,
/// except the last, which takes what is left before the template's end.
fn holes(template: &str, text: &str) -> Option<Vec<String>> {
    let mut pieces = template.split("{}");
    let mut rest = text.strip_prefix(pieces.next().unwrap_or_default())?;
    let pieces: Vec<&str> = pieces.collect();
    let mut parts = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.iter().enumerate() {
        let end = if i + 1 == pieces.len() {
            rest.strip_suffix(piece)?.len()
        } else if piece.is_empty() {
            return None;
        } else {
            rest.find(piece)?
        };
        if end == 0 {
            return None;
        }
        parts.push(rest[..end].to_owned());
        rest = &rest[end + piece.len()..];
    }
    rest.is_empty().then_some(parts)
}

/// `template` with its `{}` replaced by `parts`, in order, each in French
/// when it is a known message or word.
fn fill(template: &str, parts: &[String]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut parts = parts.iter();
    let mut pieces = template.split("{}").peekable();
    while let Some(piece) = pieces.next() {
        out.push_str(piece);
        if pieces.peek().is_some()
            && let Some(part) = parts.next()
        {
            out.push_str(&part_in_french(part));
        }
    }
    out
}

/// A varying part in French: a known word, a known message, or itself.
fn part_in_french(part: &str) -> String {
    if let Some(word) = super::tables::words()
        .iter()
        .find(|(en, _)| *en == part)
        .map(|(_, fr)| *fr)
    {
        return word.to_owned();
    }
    french(part).unwrap_or_else(|| part.to_owned())
}

fn lower_first(text: &str) -> String {
    super::with_first_in_case(text, false)
}

/// Words that fill the holes of messages (what a field is, a case status).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_message_reads_in_french_and_keeps_its_shape() {
        assert_eq!(
            message(Locale::Fr, "Please sign in first."),
            "Veuillez d'abord vous connecter."
        );
        assert_eq!(
            message(Locale::Fr, "Voting on this motion has closed."),
            "Le vote sur cette motion est clos."
        );
        assert_eq!(
            message(Locale::Fr, "voting on this motion has closed"),
            "le vote sur cette motion est clos"
        );
        assert_eq!(
            message(Locale::En, "Please sign in first."),
            "Please sign in first."
        );
    }

    #[test]
    fn the_parts_that_vary_are_put_back_and_translated_when_known() {
        assert_eq!(
            message(Locale::Fr, "The reason is longer than 2000 characters."),
            "Le motif dépasse 2000 caractères."
        );
        assert_eq!(
            message(Locale::Fr, "A case cannot move from received to published."),
            "Une affaire ne peut pas passer de « reçue » à « publiée »."
        );
        assert_eq!(
            message(Locale::Fr, "The display name is longer than 80 characters."),
            "Le champ « nom affiché » dépasse 80 caractères."
        );
        // A message inside a message.
        assert_eq!(
            message(
                Locale::Fr,
                "The vote is invalid: a sealed vote needs a 32-byte salt."
            ),
            "Le vote n'est pas valide : un vote scellé demande un sel de 32 octets."
        );
        assert_eq!(
            message(
                Locale::Fr,
                "The request could not be completed: error sending request"
            ),
            "La requête n'a pas abouti : error sending request"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_refusal_naming_each_invalid_field_reads_in_french_from_its_codes() {
        use crate::error::AppError;
        use domain::cases::{FieldError, FieldProblem};
        let fields = vec![
            FieldError::new("subject_handle", FieldProblem::Required),
            FieldError::new("subject_link", FieldProblem::NotALink { max: 2000 }),
        ];
        let error = AppError::invalid_fields(
            fields.clone(),
            super::super::field_errors(Locale::Fr, &fields),
        );
        assert_eq!(
            error.to_string(),
            "subject_handle: is required. subject_link: must be an http(s) link of at most 2000 characters."
        );
        assert_eq!(
            error_text(Locale::Fr, &error),
            "Compte : obligatoire. Lien : doit être un lien http(s) d'au plus 2000 caractères."
        );
        // Any other error by its message.
        assert_eq!(
            error_text(Locale::Fr, &AppError::Unauthenticated),
            "Veuillez d'abord vous connecter."
        );
    }

    #[test]
    fn an_unknown_message_is_shown_as_it_came() {
        assert_eq!(message(Locale::Fr, "Something new."), "Something new.");
        assert_eq!(message(Locale::Fr, ""), "");
        // A template does not match text that only shares its start.
        assert_eq!(
            message(Locale::Fr, "Not found. Really"),
            "Not found. Really"
        );
    }

    #[test]
    fn every_refusal_of_the_app_has_its_french() {
        use crate::error::AppError;
        for error in [
            AppError::Unavailable,
            AppError::Internal,
            AppError::TooLarge,
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::BadSignature,
            AppError::ChallengeUsed,
            AppError::UnknownKey,
            AppError::Transport("timeout".to_owned()),
            AppError::BadRequest("missing field `case`".to_owned()),
        ] {
            let english = error.to_string();
            assert_ne!(message(Locale::Fr, &english), english, "{english}");
        }
    }

    #[test]
    fn every_keystore_error_and_strength_hint_has_its_french() {
        use crate::keystore::{KeystoreError, strength_hint};
        for english in [
            KeystoreError::PassphraseTooShort.to_string(),
            KeystoreError::WrongPassphrase.to_string(),
            KeystoreError::NotAKeyFile("bad JSON".to_owned()).to_string(),
            KeystoreError::NoRandomness.to_string(),
            strength_hint("short").to_owned(),
            strength_hint("a much longer pass phrase").to_owned(),
            strength_hint("abcdefghij12").to_owned(),
            strength_hint("abcdefghijkl").to_owned(),
        ] {
            assert_ne!(message(Locale::Fr, &english), english, "{english}");
        }
    }

    #[test]
    fn every_template_matches_its_own_example() {
        for (english, french_text) in super::super::message_texts::MESSAGES {
            let example = english.replace("{}", "7");
            let expected = french_text.replace("{}", "7");
            assert_eq!(message(Locale::Fr, &example), expected, "{english}");
        }
    }
}
