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
        Locale::Fr => french(english)
            .or_else(|| fields_in_french(english))
            .unwrap_or_else(|| english.to_owned()),
    }
}

/// A refusal that names each invalid field of a form, one sentence each
/// ("Account: is required. Link: must be …."), in French when every
/// sentence's label and reason are known.
fn fields_in_french(english: &str) -> Option<String> {
    let sentences: Vec<&str> = english
        .split_inclusive(". ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let french_sentences = sentences
        .iter()
        .map(|sentence| {
            let (label, reason) = sentence.split_once(": ")?;
            let label = super::french(label)?;
            let reason = french(reason)?;
            Some(format!("{label} : {reason}"))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(french_sentences.join(" "))
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
#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
pub(super) const WORDS: &[(&str, &str)] = &[
    ("display name", "nom affiché"),
    ("name", "nom"),
    ("affiliation", "affiliation"),
    ("group name", "nom du groupe"),
    ("reason", "motif"),
    ("comment", "commentaire"),
    ("title", "titre"),
    ("clause title", "titre de la clause"),
    ("subject", "sujet"),
    ("summary", "résumé"),
    ("text", "texte"),
    ("motion text", "texte de la motion"),
    ("choice", "choix"),
    ("kind", "type"),
    ("status", "statut"),
    ("tier", "niveau"),
    ("clause", "clause"),
    ("outcome", "issue"),
    ("group", "groupe"),
    ("from", "début"),
    ("until", "fin"),
    ("nonce", "nonce"),
    ("public key", "clé publique"),
    ("signature", "signature"),
    ("token name", "nom du jeton"),
    ("received", "reçue"),
    ("triaged", "triée"),
    ("accepted", "acceptée"),
    ("deliberating", "en délibéré"),
    ("voting", "au vote"),
    ("decided", "tranchée"),
    ("published", "publiée"),
    ("declined", "refusée"),
    ("withdrawn", "retirée"),
    ("used", "utilisée"),
    ("revoked", "révoquée"),
    ("expired", "expirée"),
    ("open", "ouverte"),
];

/// English messages and their French, `{}` for the parts that vary.
#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
pub(super) const MESSAGES: &[(&str, &str)] = &[
    // The fixed refusals of `AppError`.
    (
        "The council's records cannot be reached right now. Please try again in a moment.",
        "Les registres du conseil sont injoignables pour le moment. Veuillez réessayer dans un instant.",
    ),
    (
        "Something went wrong on our side. It has been logged.",
        "Une erreur s'est produite de notre côté. Elle a été consignée.",
    ),
    (
        "The log is too large to check in a browser: use `tribune verify`.",
        "Le journal est trop volumineux pour être vérifié dans un navigateur : utilisez `tribune verify`.",
    ),
    (
        "The request could not be completed: {}",
        "La requête n'a pas abouti : {}",
    ),
    (
        "The request's fields could not be read: {}",
        "Les champs de la requête sont illisibles : {}",
    ),
    ("Please sign in first.", "Veuillez d'abord vous connecter."),
    (
        "Your role does not allow this.",
        "Votre rôle ne le permet pas.",
    ),
    ("Not found.", "Introuvable."),
    (
        "The signature does not verify: nothing was changed.",
        "La signature n'est pas valide : rien n'a été modifié.",
    ),
    (
        "This sign-in attempt expired or was already used. Please try again.",
        "Cette tentative de connexion a expiré ou a déjà servi. Veuillez réessayer.",
    ),
    (
        "This key does not belong to any active member of this council.",
        "Cette clé n'appartient à aucun membre actif de ce conseil.",
    ),
    (
        "This invitation was already used.",
        "Cette invitation a déjà servi.",
    ),
    (
        "This invitation was revoked. Ask an admin for a new one.",
        "Cette invitation a été révoquée. Demandez-en une nouvelle à un administrateur.",
    ),
    (
        "This invitation has expired. Ask an admin for a new one.",
        "Cette invitation a expiré. Demandez-en une nouvelle à un administrateur.",
    ),
    (
        "This invitation is still open.",
        "Cette invitation est toujours ouverte.",
    ),
    (
        "The council has not been founded yet: run `tribune init`.",
        "Le conseil n'a pas encore été fondé : lancez `tribune init`.",
    ),
    ("The log is empty.", "Le journal est vide."),
    // Refusals by the log's rules (`error::refused`) that the storage never wrote.
    (
        "nothing was voted on this case: there is no decision to publish",
        "rien n'a été voté sur cette affaire : il n'y a pas de décision à publier",
    ),
    (
        "the decision on this case is already published",
        "la décision sur cette affaire est déjà publiée",
    ),
    (
        "the decision has no recommendation with this number",
        "la décision n'a pas de recommandation portant ce numéro",
    ),
    (
        "this is not one of the motion's choices",
        "ce n'est pas l'un des choix de la motion",
    ),
    (
        "the commitment is not a commitment to this vote",
        "l'engagement n'est pas un engagement envers ce vote",
    ),
    (
        "votes on an unsealed motion are logged directly",
        "les votes sur une motion non scellée sont journalisés directement",
    ),
    (
        "a vote on a sealed motion comes with its signed commitment",
        "un vote sur une motion scellée s'accompagne de son engagement signé",
    ),
    (
        "this motion belongs to another case",
        "cette motion appartient à une autre affaire",
    ),
    (
        "the reason is not trimmed",
        "le motif comporte des espaces superflus",
    ),
    // The storage's refusals.
    (
        "a group named {} already exists",
        "un groupe nommé {} existe déjà",
    ),
    (
        "the group has enrolled members, whose signed enrollments name it: it can no longer be renamed",
        "le groupe a des membres inscrits, dont les inscriptions signées le nomment : il ne peut plus être renommé",
    ),
    ("the invitation is {}", "l'invitation est {}"),
    (
        "this key is already registered",
        "cette clé est déjà enregistrée",
    ),
    (
        "the member already holds a valid key",
        "le membre détient déjà une clé valide",
    ),
    (
        "the member has no valid key",
        "le membre n'a pas de clé valide",
    ),
    (
        "the member was removed from the council",
        "le membre a été retiré du conseil",
    ),
    ("the member is not active", "le membre n'est pas actif"),
    (
        "the statement is not signed by the member's valid key",
        "la déclaration n'est pas signée par la clé valide du membre",
    ),
    (
        "this idempotency key was already used for a different request",
        "cette clé d'idempotence a déjà servi pour une autre requête",
    ),
    (
        "the case has moved on since you looked at it: reload it and try again",
        "l'affaire a changé depuis que vous l'avez consultée : rechargez-la et réessayez",
    ),
    (
        "the case is closed: its discussion is read-only",
        "l'affaire est close : sa discussion est en lecture seule",
    ),
    (
        "you recused yourself from this case",
        "vous vous êtes récusé dans cette affaire",
    ),
    (
        "you already recused yourself from this case",
        "vous vous êtes déjà récusé dans cette affaire",
    ),
    (
        "only the author may edit a comment",
        "seul son auteur peut modifier un commentaire",
    ),
    (
        "the case is not in its public comment period",
        "l'affaire n'est pas dans sa période de commentaires publics",
    ),
    (
        "this public comment was already approved or rejected",
        "ce commentaire public a déjà été approuvé ou rejeté",
    ),
    (
        "the decision is published: its record, public comments included, is final",
        "la décision est publiée : son dossier, commentaires publics compris, est définitif",
    ),
    (
        "voting on this motion has already opened",
        "le vote sur cette motion est déjà ouvert",
    ),
    (
        "voting on this motion is not open",
        "le vote sur cette motion n'est pas ouvert",
    ),
    (
        "voting on this motion has closed",
        "le vote sur cette motion est clos",
    ),
    (
        "voting opens only while the case is in its voting stage",
        "le vote ne s'ouvre que lorsque l'affaire est à son étape de vote",
    ),
    (
        "nobody is eligible to vote: no active member holds a key and is not recused",
        "personne ne peut voter : aucun membre actif et non récusé ne détient de clé",
    ),
    (
        "you are not on this motion's roll (it was fixed when voting opened)",
        "vous n'êtes pas sur la liste de cette motion (elle a été arrêtée à l'ouverture du vote)",
    ),
    (
        "this vote is out of date: it was replaced, or another vote was cast meanwhile (vote number {} is due)",
        "ce vote est périmé : il a été remplacé, ou un autre vote a été émis entre-temps (le vote numéro {} est attendu)",
    ),
    ("the vote is invalid: {}", "le vote n'est pas valide : {}"),
    (
        "not every member on the roll has voted yet",
        "les membres de la liste n'ont pas encore tous voté",
    ),
    (
        "the voting window has not ended yet",
        "la période de vote n'est pas encore finie",
    ),
    (
        "a motion on this case is still open for voting",
        "une motion de cette affaire est encore ouverte au vote",
    ),
    (
        "the rules have changed since you looked at them: reload and try again",
        "les règles ont changé depuis que vous les avez consultées : rechargez et réessayez",
    ),
    (
        "only an active admin may change the rules",
        "seul un administrateur actif peut changer les règles",
    ),
    (
        "these rules cannot be used: {}",
        "ces règles sont inutilisables : {}",
    ),
    (
        "the case is not decided: its vote is not over, or its decision is already published",
        "l'affaire n'est pas tranchée : son vote n'est pas fini, ou sa décision est déjà publiée",
    ),
    (
        "only members who voted on this case may write or sign its opinions",
        "seuls les membres qui ont voté dans cette affaire peuvent en écrire ou signer les opinions",
    ),
    (
        "only the rationale's assigned authors may edit or sign it",
        "seuls les auteurs désignés des motifs peuvent les modifier ou les signer",
    ),
    (
        "the rationale has been signed: its text and authors can no longer change",
        "les motifs ont été signés : leur texte et leurs auteurs ne peuvent plus changer",
    ),
    (
        "the rationale has changed since you read it: reload it and sign again",
        "les motifs ont changé depuis votre lecture : rechargez-les et signez à nouveau",
    ),
    (
        "you have already signed the rationale",
        "vous avez déjà signé les motifs",
    ),
    (
        "the majority rationale must be signed by each of its authors before publication",
        "les motifs de la majorité doivent être signés par chacun de leurs auteurs avant la publication",
    ),
    (
        "the decision is invalid: {}",
        "la décision n'est pas valide : {}",
    ),
    (
        "this case has no published decision",
        "cette affaire n'a pas de décision publiée",
    ),
    (
        "a case is published by publishing its decision, signed rationale and all",
        "une affaire est publiée en publiant sa décision, motifs signés compris",
    ),
    (
        "a case is published by publishing its decision",
        "une affaire est publiée en publiant sa décision",
    ),
    (
        "this is a demo key (public, usable by anyone): only a demo council accepts it",
        "c'est une clé de démonstration (publique, utilisable par tous) : seul un conseil de démonstration l'accepte",
    ),
    (
        "the signature does not verify",
        "la signature n'est pas valide",
    ),
    (
        "voting has opened on this case: its panel can no longer change",
        "le vote est ouvert dans cette affaire : sa formation ne peut plus changer",
    ),
    (
        "the write failed and nothing was stored: {}",
        "l'écriture a échoué et rien n'a été enregistré : {}",
    ),
    // The domain's reasons.
    (
        "a case cannot move from {} to {}",
        "une affaire ne peut pas passer de « {} » à « {} »",
    ),
    (
        "your role cannot move a case to {}",
        "votre rôle ne permet pas de faire passer une affaire à « {} »",
    ),
    (
        "moving a case to {} needs a reason",
        "faire passer une affaire à « {} » demande un motif",
    ),
    (
        "the reason is longer than {} characters",
        "le motif dépasse {} caractères",
    ),
    (
        "give the evidence a title of 1 to {} characters",
        "donnez à la pièce un titre de 1 à {} caractères",
    ),
    (
        "the text is empty or longer than {} characters",
        "le texte est vide ou dépasse {} caractères",
    ),
    (
        "the link must be an http(s) address of at most {} characters",
        "le lien doit être une adresse http(s) d'au plus {} caractères",
    ),
    (
        "the file is larger than {} MiB",
        "le fichier dépasse {} Mio",
    ),
    (
        "this kind of file is not accepted: {} only",
        "ce type de fichier n'est pas accepté : {} seulement",
    ),
    ("choose a file", "choisissez un fichier"),
    ("the {} is empty", "champ « {} » vide"),
    (
        "the {} is longer than {} characters",
        "le champ « {} » dépasse {} caractères",
    ),
    (
        "the {} contains a control character",
        "le champ « {} » contient un caractère de contrôle",
    ),
    (
        "the {} must be one line of 1 to {} characters",
        "le champ « {} » doit tenir en une ligne de 1 à {} caractères",
    ),
    ("unknown {} in the filter", "{} inconnu dans le filtre"),
    (
        "the {} date must be a date (YYYY-MM-DD)",
        "la date de {} doit être une date (AAAA-MM-JJ)",
    ),
    (
        "to filter by how a group voted, choose both the group and its vote",
        "pour filtrer selon le vote d'un groupe, choisissez le groupe et son vote",
    ),
    (
        "the catalogue already has a clause {}",
        "le catalogue a déjà une clause {}",
    ),
    (
        "the rules are malformed: {}",
        "les règles sont mal formées : {}",
    ),
    (
        "the {} must be {} bytes of hexadecimal",
        "le champ « {} » doit faire {} octets en hexadécimal",
    ),
    (
        "please give a reason: it is published in the log",
        "veuillez donner un motif : il est publié dans le journal",
    ),
    (
        "the new key is not a usable Ed25519 public key",
        "la nouvelle clé n'est pas une clé publique Ed25519 utilisable",
    ),
    (
        "the authors are not member numbers",
        "les auteurs ne sont pas des numéros de membre",
    ),
    (
        "`{}` is not one of the motion's choices",
        "« {} » n'est pas l'un des choix de la motion",
    ),
    (
        "vote sequence {} where {} was due (a replayed or skipped vote)",
        "vote numéro {} là où le numéro {} était attendu (un vote rejoué ou sauté)",
    ),
    (
        "a sealed vote needs a 32-byte salt",
        "un vote scellé demande un sel de 32 octets",
    ),
    (
        "this vote matches no commitment of its member",
        "ce vote ne correspond à aucun engagement de son membre",
    ),
    (
        "member {} did not vote on case {}",
        "le membre {} n'a pas voté dans l'affaire {}",
    ),
    (
        "member {} is not one of the majority rationale's authors",
        "le membre {} n'est pas l'un des auteurs des motifs de la majorité",
    ),
    (
        "case {} is cited as a precedent but has no published decision",
        "l'affaire {} est citée comme précédent mais n'a pas de décision publiée",
    ),
    (
        "case {} has no published decision",
        "l'affaire {} n'a pas de décision publiée",
    ),
    (
        "case {} is already decided",
        "l'affaire {} est déjà tranchée",
    ),
    ("member {} is not active", "le membre {} n'est pas actif"),
    ("this key was already used", "cette clé a déjà servi"),
    (
        "the new key is malformed or weak",
        "la nouvelle clé est mal formée ou faible",
    ),
    // The reasons a form's field is refused (after its label).
    ("is required", "obligatoire"),
    (
        "is required: why is this escalated?",
        "obligatoire : pourquoi cette saisine ?",
    ),
    (
        "is required: the subject's followers or audience size",
        "obligatoire : le nombre d'abonnés ou l'audience du sujet",
    ),
    ("must be one of {}", "doit être l'une des valeurs {}"),
    (
        "must be one line of at most {} characters",
        "doit tenir en une ligne d'au plus {} caractères",
    ),
    (
        "must be an http(s) link of at most {} characters",
        "doit être un lien http(s) d'au plus {} caractères",
    ),
    ("is longer than {} characters", "dépasse {} caractères"),
    ("at most {} clauses", "au plus {} clauses"),
    (
        "{} is not in the council's policy catalogue",
        "{} n'est pas dans le catalogue de la politique du conseil",
    ),
    (
        "name at least one policy clause",
        "nommez au moins une clause de la politique",
    ),
    // The keystore, in the browser.
    (
        "The passphrase must have at least {} characters.",
        "La phrase secrète doit compter au moins {} caractères.",
    ),
    (
        "Wrong passphrase for this key.",
        "Phrase secrète erronée pour cette clé.",
    ),
    (
        "This is not a Tribune key file: {}",
        "Ce n'est pas un fichier de clé Tribune : {}",
    ),
    (
        "The browser could not provide random numbers.",
        "Le navigateur n'a pas pu fournir de nombres aléatoires.",
    ),
    (
        "Too short: at least {} characters.",
        "Trop courte : au moins {} caractères.",
    ),
    ("Strong.", "Solide."),
    (
        "Fair: a few more words would make it strong.",
        "Correcte : quelques mots de plus la rendraient solide.",
    ),
    (
        "Weak: use a longer phrase, mixing words, digits or symbols.",
        "Faible : prenez une phrase plus longue, mêlant mots, chiffres ou symboles.",
    ),
];

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

    #[test]
    fn a_refusal_naming_each_invalid_field_reads_in_french() {
        assert_eq!(
            message(
                Locale::Fr,
                "Account: is required. Link: must be an http(s) link of at most 2000 characters."
            ),
            "Compte : obligatoire. Lien : doit être un lien http(s) d'au plus 2000 caractères."
        );
        // One unknown reason: the whole refusal stays as the server wrote it.
        let mixed = "Account: is required. Link: is odd.";
        assert_eq!(message(Locale::Fr, mixed), mixed);
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
        for (english, french_text) in MESSAGES {
            let example = english.replace("{}", "7");
            let expected = french_text.replace("{}", "7");
            assert_eq!(message(Locale::Fr, &example), expected, "{english}");
        }
    }
}
