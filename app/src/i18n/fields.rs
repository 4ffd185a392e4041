//! A form's invalid fields in the reader's language, from their codes
//! ([`FieldProblem`]): each problem has its English and its French side by
//! side, so a problem without its French does not compile.

#[cfg(feature = "ssr")]
use super::{Locale, t};
#[cfg(feature = "ssr")]
use domain::cases::{FieldError, FieldProblem, ValueType};

/// What is wrong with a field, as a clause that follows its label ("is
/// required", "obligatoire").
#[cfg(feature = "ssr")]
pub fn problem(locale: Locale, problem: &FieldProblem) -> String {
    if locale == Locale::En {
        return problem.to_string();
    }
    match problem {
        FieldProblem::Required => "obligatoire".to_owned(),
        FieldProblem::TooLong { max } => format!("dépasse {max} caractères"),
        FieldProblem::Length { min: 0, max } => format!("doit compter au plus {max} caractères"),
        FieldProblem::Length { min, max } => format!("doit compter de {min} à {max} caractères"),
        FieldProblem::OneLine { min: 0, max } => {
            format!("doit tenir en une ligne d'au plus {max} caractères")
        }
        FieldProblem::OneLine { min, max } => {
            format!("doit tenir en une ligne de {min} à {max} caractères")
        }
        FieldProblem::NotALink { max } => {
            format!("doit être un lien http(s) d'au plus {max} caractères")
        }
        FieldProblem::NotOneOf { allowed } => format!(
            "doit être l'une des valeurs {}",
            allowed
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        FieldProblem::WrongType { expected } => match expected {
            ValueType::Object => "doit être un objet JSON",
            ValueType::String => "doit être une chaîne de caractères",
            ValueType::WholeNumber => "doit être un nombre entier, 0 ou plus",
            ValueType::ClauseList => "doit être une liste de codes de clause",
        }
        .to_owned(),
        FieldProblem::UnknownField { known } => {
            format!("n'est pas un champ de cette requête ({})", known.join(", "))
        }
        FieldProblem::TooMany { max } => format!("au plus {max}"),
        FieldProblem::NotInCatalogue { clause } => {
            format!("{clause} n'est pas dans le catalogue de la politique du conseil")
        }
        FieldProblem::NotAClause { clause } => format!(
            "« {clause} » n'est pas un code de clause : lettres majuscules, chiffres, « - » et « . », \
             de 1 à 32 caractères, commençant par une lettre"
        ),
    }
}

/// The intake form's label for `field`, when it is one of its fields.
pub fn field_label(field: &str) -> Option<&'static str> {
    Some(match field {
        "kind" => "Kind",
        "subject_handle" => "Account",
        "subject_link" => "Link",
        "excerpt" => "Excerpt",
        "audience" => "Audience",
        "tier" => "Prominence tier",
        "original_action" => "Platform's action",
        "clauses" => "Policy clauses",
        "reason" => "Reason for escalation",
        _ => return None,
    })
}

/// Every invalid field, one sentence each ("Account: is required."; in
/// French "Compte : obligatoire."), labelled as the form labels it.
#[cfg(feature = "ssr")]
pub fn field_errors(locale: Locale, errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|error| {
            let label = field_label(&error.field)
                .map_or_else(|| error.field.clone(), |l| t(locale, l).to_owned());
            let colon = if locale == Locale::Fr { " : " } else { ": " };
            format!("{label}{colon}{}.", problem(locale, &error.problem))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn each_problem_reads_in_both_languages() {
        let errors = [
            FieldError::new("subject_handle", FieldProblem::Required),
            FieldError::new("subject_link", FieldProblem::NotALink { max: 2000 }),
            FieldError::new(
                "audience",
                FieldProblem::WrongType {
                    expected: ValueType::WholeNumber,
                },
            ),
        ];
        assert_eq!(
            field_errors(Locale::En, &errors),
            "Account: is required. Link: must be an http(s) link of at most 2000 characters. \
             Audience: must be a whole number, 0 or more."
        );
        assert_eq!(
            field_errors(Locale::Fr, &errors),
            "Compte : obligatoire. Lien : doit être un lien http(s) d'au plus 2000 caractères. \
             Audience : doit être un nombre entier, 0 ou plus."
        );
        // A field the form does not label is named as it is.
        assert_eq!(
            field_errors(
                Locale::Fr,
                &[FieldError::new("colour", FieldProblem::Required)]
            ),
            "colour : obligatoire."
        );
    }
}
