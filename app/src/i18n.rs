//! English and French. The language is the reader's choice (the
//! `tribune_lang` cookie set by the header's switch), else the browser's
//! preference (`Accept-Language`), else English. The server writes it as
//! `<html lang>`, from which the browser bundle reads it when hydrating,
//! so both render the same text.
//!
//! Texts are looked up by their English wording: [`t`] returns the French
//! one when there is one. Texts with numbers or names in them have their
//! own functions here.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

mod messages;
pub use messages::message;

/// The cookie that keeps the reader's choice of language.
pub const COOKIE: &str = "tribune_lang";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    En,
    Fr,
}

impl Locale {
    pub const ALL: [Self; 2] = [Self::En, Self::Fr];

    /// The BCP 47 tag, as `<html lang>` and the switch's URL carry it.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fr => "fr",
        }
    }

    /// The language's own name, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Fr => "Français",
        }
    }

    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The best of our languages for an `Accept-Language` header (quality
    /// values honoured; English when none matches).
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(u16, Self)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let quality = (quality.clamp(0.0, 1.0) * 1000.0) as u16;
            if quality == 0 {
                continue;
            }
            if let Some(locale) = Self::parse(tag)
                && best.is_none_or(|(q, _)| quality > q)
            {
                best = Some((quality, locale));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// The locale of a request: the cookie, else `Accept-Language`.
    #[cfg(feature = "ssr")]
    pub fn of_request(headers: &http::HeaderMap) -> Self {
        let chosen =
            crate::functions::ssr::cookie_in(headers, COOKIE).and_then(|value| Self::parse(&value));
        chosen.unwrap_or_else(|| {
            headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|h| h.to_str().ok())
                .map(Self::from_accept_language)
                .unwrap_or_default()
        })
    }

    /// A date, written the language's way (`22 November 2026`, `22 novembre 2026`).
    pub fn date(self, date: domain::time::Date) -> String {
        const FR: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        let month = usize::from(date.month).saturating_sub(1).min(11);
        match self {
            Self::En => format!("{} {} {}", date.day, date.month_name(), date.year),
            Self::Fr => format!("{} {} {}", date.day, FR[month], date.year),
        }
    }

    /// A whole number with the language's thousands separator.
    pub fn number(self, n: u64) -> String {
        let digits = n.to_string();
        let separator = match self {
            Self::En => ",",
            // A narrow no-break space, as French typography has it.
            Self::Fr => "\u{202f}",
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(separator);
            }
            out.push(c);
        }
        out
    }
}

/// The reader's language: provided by the app (see [`provide_locale`]).
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// Decides the page's language and provides it: on the server from the
/// request, in the browser from the `<html lang>` the server wrote.
pub fn provide_locale() -> Locale {
    let locale = current();
    provide_context(locale);
    locale
}

#[cfg(feature = "ssr")]
fn current() -> Locale {
    use_context::<http::request::Parts>()
        .map(|parts| Locale::of_request(&parts.headers))
        .unwrap_or_default()
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn current() -> Locale {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .and_then(|lang| Locale::parse(&lang))
        .unwrap_or_default()
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn current() -> Locale {
    Locale::En
}

/// `english` in the reader's language.
pub fn t(locale: Locale, english: &'static str) -> &'static str {
    match locale {
        Locale::En => english,
        Locale::Fr => french(english).unwrap_or(english),
    }
}

/// A kind of case, in the reader's language.
pub fn kind_name(locale: Locale, kind: domain::cases::CaseKind) -> &'static str {
    use domain::cases::CaseKind;
    match (locale, kind) {
        (Locale::Fr, CaseKind::Content) => "contenu",
        (Locale::Fr, CaseKind::Reinstatement) => "réintégration",
        (Locale::Fr, CaseKind::Policy) => "politique",
        (Locale::En, CaseKind::Content) => "content",
        (Locale::En, CaseKind::Reinstatement) => "reinstatement",
        (Locale::En, CaseKind::Policy) => "policy",
    }
}

/// A prominence tier, in the reader's language.
pub fn tier_name(locale: Locale, tier: domain::cases::Tier) -> &'static str {
    use domain::cases::Tier;
    match (locale, tier) {
        (Locale::Fr, Tier::Ordinary) => "ordinaire",
        (Locale::Fr, Tier::Notable) => "notable",
        (Locale::Fr, Tier::Prominent) => "en vue",
        (Locale::Fr, Tier::VeryProminent) => "très en vue",
        (Locale::En, Tier::Ordinary) => "ordinary",
        (Locale::En, Tier::Notable) => "notable",
        (Locale::En, Tier::Prominent) => "prominent",
        (Locale::En, Tier::VeryProminent) => "very prominent",
    }
}

/// An outcome, in the reader's language (lower case).
pub fn outcome_name(locale: Locale, outcome: domain::voting::Outcome) -> &'static str {
    use domain::voting::Outcome;
    t(
        locale,
        match outcome {
            Outcome::Carried => "carried",
            Outcome::NotCarried => "not carried",
            Outcome::NoDecision => "no decision",
        },
    )
}

/// "N published decisions applied this clause."
pub fn decisions_applied(locale: Locale, n: usize) -> String {
    match (locale, n) {
        (Locale::En, 1) => "1 published decision applied this clause. ".to_owned(),
        (Locale::En, n) => format!("{n} published decisions applied this clause. "),
        (Locale::Fr, 1) => "1 décision publiée a appliqué cette clause. ".to_owned(),
        (Locale::Fr, n) => format!("{n} décisions publiées ont appliqué cette clause. "),
    }
}

/// How many decisions departed but distinguished an earlier one.
pub fn distinguished_note(locale: Locale, n: u32) -> String {
    match (locale, n) {
        (Locale::En, 1) => {
            " 1 decision came out differently but explained why, distinguishing an earlier one."
                .to_owned()
        }
        (Locale::En, n) => format!(
            " {n} decisions came out differently but explained why, distinguishing an earlier one."
        ),
        (Locale::Fr, 1) => {
            " 1 décision a eu une autre issue mais s'en est expliquée, en se distinguant d'une décision antérieure."
                .to_owned()
        }
        (Locale::Fr, n) => format!(
            " {n} décisions ont eu une autre issue mais s'en sont expliquées, en se distinguant d'une décision antérieure."
        ),
    }
}

/// The voting rules in words (English: `Rules::describe`, as in the protocol).
pub fn rules_text(locale: Locale, rules: &domain::voting::Rules) -> String {
    use domain::voting::{Bridging, Threshold};
    match locale {
        Locale::En => rules.describe(),
        Locale::Fr => {
            let threshold = match rules.threshold {
                Threshold::SimpleMajority => "une majorité simple".to_owned(),
                Threshold::Qualified {
                    numerator,
                    denominator,
                } => format!("une majorité des {numerator}/{denominator}"),
            };
            let bridging = match rules.bridging {
                Bridging::None => String::new(),
                Bridging::MajorityInGroups { groups } => {
                    format!(", et une majorité des votants dans au moins {groups} groupes")
                }
                Bridging::SupporterInEveryGroup => {
                    ", et au moins un soutien dans chaque groupe".to_owned()
                }
            };
            format!(
                "Quorum de {}\u{a0}% de la liste\u{a0}; {threshold} de la liste hors abstentions{bridging}\u{a0}; \
                 vote ouvert {}\u{a0}heures\u{a0}; {}.",
                rules.quorum_percent,
                rules.window_hours,
                if rules.sealed {
                    "votes scellés jusqu'à la clôture"
                } else {
                    "votes publics dès qu'ils sont exprimés"
                }
            )
        }
    }
}

/// "Adopted 12 March 2026 by Ada Moreau: " before the reason.
pub fn rules_adopted(locale: Locale, date: domain::time::Date, by: &str) -> String {
    match locale {
        Locale::En => format!("Adopted {} by {by}: ", locale.date(date)),
        Locale::Fr => format!("Adoptée le {} par {by}\u{a0}: ", locale.date(date)),
    }
}

/// A case kind as stored ("content"), in words; unknown kinds as they are.
pub fn kind_label(locale: Locale, kind: &str) -> String {
    domain::cases::CaseKind::parse(kind)
        .map_or_else(|| kind.to_owned(), |k| kind_name(locale, k).to_string())
}

/// "Case #12".
pub fn case_number(locale: Locale, case: u64) -> String {
    match locale {
        Locale::En => format!("Case #{case}"),
        Locale::Fr => format!("Affaire n°\u{a0}{case}"),
    }
}

/// "Case #12: @handle".
pub fn case_heading(locale: Locale, case: u64, subject: &str) -> String {
    format!("{}{}{subject}", case_number(locale, case), colon(locale))
}

/// "Comment on @handle".
pub fn comment_on(locale: Locale, subject: &str) -> String {
    match locale {
        Locale::En => format!("Comment on {subject}"),
        Locale::Fr => format!("Commenter {subject}"),
    }
}

/// "The latest 50 of 312 departures, newest first; " before the API link.
pub fn departures_shown(locale: Locale, shown: usize, total: usize) -> String {
    match locale {
        Locale::En => format!(
            "The latest {} of {} departures, newest first; ",
            locale.number(shown as u64),
            locale.number(total as u64)
        ),
        Locale::Fr => format!(
            "Les {} plus récents des {} écarts, du plus récent au plus ancien\u{a0}; ",
            locale.number(shown as u64),
            locale.number(total as u64)
        ),
    }
}

/// "a" or "an" before an English word.
fn indefinite(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The sentence of a departure from precedent.
pub fn departure(locale: Locale, d: &domain::consistency::Departure) -> String {
    let (kind, tier) = (kind_name(locale, d.kind), tier_name(locale, d.tier));
    let (outcome, prevailing) = (
        outcome_name(locale, d.outcome),
        outcome_name(locale, d.prevailing),
    );
    match locale {
        Locale::En => format!(
            ", {} {kind} case about {} {tier} account, was {outcome}, while {} of the {} earlier {kind} cases under this clause were {prevailing}.",
            indefinite(kind),
            indefinite(tier),
            d.prevailing_count,
            d.earlier
        ),
        Locale::Fr => format!(
            ", une affaire de {kind} concernant un compte {tier}, a été {outcome}, alors que {} des {} affaires de {kind} antérieures au titre de cette clause ont été {prevailing}s.",
            d.prevailing_count, d.earlier
        ),
    }
}

/// "case N (subject)" and "Case N: subject".
pub fn case_label(locale: Locale, case: u64) -> String {
    match locale {
        Locale::En => format!("case {case}"),
        Locale::Fr => format!("affaire {case}"),
    }
}

/// " · kind · tier account · outcome · " of a decision under a clause.
pub fn clause_item(
    locale: Locale,
    kind: domain::cases::CaseKind,
    tier: domain::cases::Tier,
    outcome: domain::voting::Outcome,
) -> String {
    let (kind, tier, outcome) = (
        kind_name(locale, kind),
        tier_name(locale, tier),
        outcome_name(locale, outcome),
    );
    match locale {
        Locale::En => format!(" · {kind} · {tier} account · {outcome} · "),
        Locale::Fr => format!(" · {kind} · compte {tier} · {outcome} · "),
    }
}

/// The link to the decisions a clause page does not list.
pub fn others_in_log(locale: Locale, n: usize) -> String {
    match locale {
        Locale::En => format!("The other {n} in the decision log"),
        Locale::Fr => format!("Les {n} autres dans le journal des décisions"),
    }
}

/// An outcome as URLs spell it (`not-carried`), as English text.
pub fn outcome_text(slug: &str) -> &'static str {
    match slug {
        "carried" => "carried",
        "not-carried" => "not carried",
        _ => "no decision",
    }
}

/// "mostly support" in the decision log's group filter.
pub fn mostly(locale: Locale, choice: &str) -> String {
    match (locale, choice) {
        (Locale::En, c) => format!("mostly {c}"),
        (Locale::Fr, "support") => "surtout pour".to_owned(),
        (Locale::Fr, "oppose") => "surtout contre".to_owned(),
        (Locale::Fr, "abstain") => "surtout abstention".to_owned(),
        (Locale::Fr, c) => format!("surtout {c}"),
    }
}

/// " · N signed opinion(s)".
pub fn signed_opinions(locale: Locale, n: usize) -> String {
    match (locale, n) {
        (Locale::En, 1) => " · 1 signed opinion".to_owned(),
        (Locale::En, n) => format!(" · {n} signed opinions"),
        (Locale::Fr, 0 | 1) => format!(" · {n} opinion signée"),
        (Locale::Fr, n) => format!(" · {n} opinions signées"),
    }
}

/// "log entry N".
pub fn log_entry(locale: Locale, index: u64) -> String {
    match locale {
        Locale::En => format!("log entry {index}"),
        Locale::Fr => format!("l'entrée {index} du journal"),
    }
}

/// ": " in English, " : " in French.
pub fn colon(locale: Locale) -> &'static str {
    match locale {
        Locale::En => ": ",
        Locale::Fr => " : ",
    }
}

/// The lead sentence of a decision page.
pub fn case_lead(
    locale: Locale,
    kind: domain::cases::CaseKind,
    tier: domain::cases::Tier,
    audience: u64,
    action: &str,
) -> String {
    let (kind, tier, audience) = (
        kind_name(locale, kind),
        tier_name(locale, tier),
        locale.number(audience),
    );
    match locale {
        Locale::En => format!(
            "A {kind} case ({tier} account, audience {audience}): the platform's action was “{action}”."
        ),
        Locale::Fr => format!(
            "Une affaire de {kind} (compte {tier}, audience {audience}) : la mesure de la plateforme était « {action} »."
        ),
    }
}

/// How late the case's latest stage ended.
pub fn late(locale: Locale, days: i64) -> String {
    match (locale, days) {
        (Locale::En, 1) => "a stage ended 1 day after its deadline".to_owned(),
        (Locale::En, n) => format!("a stage ended {n} days after its deadline"),
        (Locale::Fr, 1) => "une étape s'est achevée 1 jour après son échéance".to_owned(),
        (Locale::Fr, n) => format!("une étape s'est achevée {n} jours après son échéance"),
    }
}

/// "Signed by N author(s) (log entry I)."
pub fn signed_by_authors(locale: Locale, authors: usize, index: u64) -> String {
    let entry = log_entry(locale, index);
    match (locale, authors) {
        (Locale::En, 1) => format!("Signed by 1 author ({entry})."),
        (Locale::En, n) => format!("Signed by {n} authors ({entry})."),
        (Locale::Fr, 1) => format!("Signé par 1 auteur ({entry})."),
        (Locale::Fr, n) => format!("Signé par {n} auteurs ({entry})."),
    }
}

/// Where a motion was opened and closed, and its rules version.
pub fn motion_entries(locale: Locale, opened: u64, closed: u64, version: u64) -> String {
    match locale {
        Locale::En => format!(
            "Opened in log entry {opened}, closed in log entry {closed}, under rules version {version}:"
        ),
        Locale::Fr => format!(
            "Ouverte à l'entrée {opened} du journal, close à l'entrée {closed}, selon la version {version} des règles :"
        ),
    }
}

/// The caption of a motion's table of votes.
pub fn every_vote(locale: Locale, motion: u64) -> String {
    match locale {
        Locale::En => {
            format!("Every vote on motion {motion}, in the order cast (replaced votes included)")
        }
        Locale::Fr => format!(
            "Tous les votes sur la motion {motion}, dans l'ordre où ils ont été exprimés (votes remplacés compris)"
        ),
    }
}

/// The summary of the decision page's verification.
pub fn verify_summary(locale: Locale, failed: usize, total: usize) -> String {
    match (locale, failed) {
        (Locale::En, 0) => format!("Verified: all {total} checks passed."),
        (Locale::En, f) => format!("Verification failed: {f} of {total} checks did not pass."),
        (Locale::Fr, 0) => format!("Vérifié : les {total} contrôles sont passés."),
        (Locale::Fr, 1) => {
            format!("Échec de la vérification : 1 contrôle sur {total} n'a pas passé.")
        }
        (Locale::Fr, f) => {
            format!("Échec de la vérification : {f} contrôles sur {total} n'ont pas passé.")
        }
    }
}

/// A decision still waiting for witnesses.
pub fn pending_finality(locale: Locale, quorum: usize, witnesses: usize) -> String {
    match locale {
        Locale::En => format!(
            "Not final yet: waiting for {quorum} of the council's {witnesses} witnesses to cosign a checkpoint that includes it."
        ),
        Locale::Fr => format!(
            "Pas encore définitive : en attente que {quorum} des {witnesses} témoins du conseil cosignent un point de contrôle qui l'inclut."
        ),
    }
}

/// A final decision's checkpoint and its witnesses.
pub fn final_checkpoint(locale: Locale, size: u64, witnesses: &str) -> String {
    match locale {
        Locale::En => format!(
            ": the checkpoint of the log's first {size} entries, which includes it, is cosigned by {witnesses}."
        ),
        Locale::Fr => format!(
            " : le point de contrôle des {size} premières entrées du journal, qui l'inclut, est cosigné par {witnesses}."
        ),
    }
}

/// A case's stage, as a member reads it.
pub fn status_name(locale: Locale, status: domain::cases::CaseStatus) -> &'static str {
    use domain::cases::CaseStatus as S;
    match (locale, status) {
        (Locale::En, status) => status.as_str(),
        (Locale::Fr, S::Intake) => "réception",
        (Locale::Fr, S::Accepted) => "acceptée",
        (Locale::Fr, S::Deliberation) => "délibération",
        (Locale::Fr, S::Voting) => "vote",
        (Locale::Fr, S::Decided) => "tranchée",
        (Locale::Fr, S::Published) => "publiée",
        (Locale::Fr, S::Declined) => "refusée",
        (Locale::Fr, S::Withdrawn) => "retirée",
    }
}

/// The unread count of a discussion.
pub fn new_comments(locale: Locale, n: u64) -> String {
    match (locale, n) {
        (Locale::En, 1) => "1 new comment".to_owned(),
        (Locale::En, n) => format!("{n} new comments"),
        (Locale::Fr, 1) => "1 nouveau commentaire".to_owned(),
        (Locale::Fr, n) => format!("{n} nouveaux commentaires"),
    }
}

/// A key replaced from the account page.
pub fn key_replaced(locale: Locale, index: u64) -> String {
    match locale {
        Locale::En => format!(
            "Your key was replaced (log entry {index}). Download the new backup now: the old one no longer signs."
        ),
        Locale::Fr => format!(
            "Votre clé a été remplacée (entrée {index} du journal). Téléchargez la nouvelle sauvegarde maintenant : l'ancienne ne signe plus."
        ),
    }
}

/// A member's role.
pub fn role_name(locale: Locale, role: domain::members::Role) -> String {
    use domain::members::Role;
    match (locale, role) {
        (Locale::En, role) => role.to_string(),
        (Locale::Fr, Role::Member) => "membre".to_owned(),
        (Locale::Fr, Role::Clerk) => "greffe".to_owned(),
        (Locale::Fr, Role::Chair) => "présidence".to_owned(),
        (Locale::Fr, Role::Admin) => "administration".to_owned(),
    }
}

/// A new passphrase that is too short.
pub fn passphrase_too_short(locale: Locale, min: usize) -> String {
    match locale {
        Locale::En => format!("The passphrase must have at least {min} characters."),
        Locale::Fr => format!("La phrase secrète doit compter au moins {min} caractères."),
    }
}

/// "Eligible roll: N members, M voted".
pub fn eligible_roll(locale: Locale, members: usize, voted: usize) -> String {
    match locale {
        Locale::En => format!("Eligible roll: {members} members, {voted} voted"),
        Locale::Fr => format!("Liste des votants : {members} membres, {voted} ont voté"),
    }
}

/// The quorum line of a tally ("met" or "not met" already translated).
pub fn quorum_line(locale: Locale, met: &str, voted: u32, eligible: u32, needed: u32) -> String {
    match locale {
        Locale::En => format!("Quorum {met}: {voted} of {eligible} voted, {needed} needed"),
        Locale::Fr => {
            format!("Quorum {met} : {voted} sur {eligible} ont voté, {needed} requis")
        }
    }
}

/// The threshold line of a tally.
pub fn threshold_line(locale: Locale, met: &str, needed: u32) -> String {
    match locale {
        Locale::En => format!("Threshold {met}: {needed} supports needed"),
        Locale::Fr => format!("Seuil {met} : {needed} voix pour requises"),
    }
}

/// The legend of the vote form once the member has voted.
pub fn replace_vote(locale: Locale, times: u32) -> String {
    match (locale, times) {
        (Locale::En, 1) => "Replace your vote (you voted 1 time)".to_owned(),
        (Locale::En, n) => format!("Replace your vote (you voted {n} times)"),
        (Locale::Fr, 1) => "Remplacer votre vote (vous avez voté 1 fois)".to_owned(),
        (Locale::Fr, n) => format!("Remplacer votre vote (vous avez voté {n} fois)"),
    }
}

/// Who wrote the majority rationale and how many of them signed it.
pub fn rationale_authors(locale: Locale, names: &str, signed: usize, authors: usize) -> String {
    match locale {
        Locale::En => format!("By {names} · signed by {signed} of {authors}"),
        Locale::Fr => format!("Par {names} · signée par {signed} sur {authors}"),
    }
}

/// A field of the rules form that is not a whole number (`what` translated).
pub fn whole_number(locale: Locale, what: &str) -> String {
    match locale {
        Locale::En => format!("The {what} must be a whole number."),
        Locale::Fr => format!("Le champ « {what} » doit être un nombre entier."),
    }
}

/// A line of the in-browser verification, in the reader's language.
pub fn finding(locale: Locale, line: &domain::public::CheckLine) -> String {
    use domain::decisions::OpinionKind;
    use domain::public::{Finding as F, Listed};
    if locale == Locale::En {
        return line.text.clone();
    }
    let vote = |sequence: &u32, member: &str, motion: &u64, index: &u64| {
        format!("Vote {sequence} de {member} sur la motion {motion} (entrée {index})")
    };
    let opinion = |kind: &OpinionKind, member: &str, index: &u64| {
        let kind = match kind {
            OpinionKind::Majority => "Motifs",
            OpinionKind::Concurrence => "Opinion concordante",
            OpinionKind::Dissent => "Opinion dissidente",
        };
        format!("{kind} signée par {member} (entrée {index})")
    };
    let choice_word = |choice: &str| match choice {
        "support" => t(locale, "support").to_owned(),
        "oppose" => t(locale, "oppose").to_owned(),
        "abstain" => t(locale, "abstain").to_owned(),
        remedy => remedy.to_owned(),
    };
    let listed = |listed: &Listed| match listed {
        Listed::Votes => "Chaque vote",
        Listed::Opinions => "Chaque opinion",
    };
    match &line.finding {
        F::LogVerified { entries, signer } => format!(
            "Le journal : {entries} entrées, chaque signature valable et la clé de chaque signataire valable à sa position ; point de contrôle signé par {signer}."
        ),
        F::LogFailed { problem } => format!("Le journal : {problem}."),
        F::DecisionAsShown { case, index } => format!(
            "Décision sur l'affaire {case} : l'entrée {index} est la décision signée du conseil, telle qu'affichée."
        ),
        F::DecisionDiffers { case, index } => format!(
            "Décision sur l'affaire {case} : l'entrée {index} ne dit pas ce qu'affiche cette page."
        ),
        F::NotTheDecision { case, index } => {
            format!("Décision sur l'affaire {case} : l'entrée {index} n'est pas sa décision.")
        }
        F::Included {
            index,
            size,
            hashes,
            root,
        } => format!(
            "Incluse : l'entrée {index} figure dans le point de contrôle signé de {size} entrées (preuve d'inclusion de {hashes} empreintes vérifiée contre la tête d'arbre {root})."
        ),
        F::NotIncluded { index, size } => format!(
            "Incluse : l'entrée {index} ne figure pas dans le point de contrôle de {size} entrées."
        ),
        F::NoSuchMotion { motion } => {
            format!("Motion {motion} : le journal n'a pas cette motion sur cette affaire.")
        }
        F::MotionNotAsOpened { motion } => format!(
            "Motion {motion} : la page ne montre pas la motion telle qu'elle a été ouverte."
        ),
        F::TallyDiffers { motion, voted } => format!(
            "Motion {motion} : le décompte affiché n'est pas celui que donnent ses {voted} votes comptés."
        ),
        F::TallyRecomputed {
            motion,
            voted,
            eligible,
            rules,
            counts,
            outcome,
        } => {
            let counts = counts
                .iter()
                .map(|(choice, n)| format!("{n} {}", choice_word(choice)))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "Motion {motion} : décompte recalculé à partir de {voted} votes comptés sur {eligible} inscrits selon les règles, version {rules} : {counts} — {}, comme affiché.",
                outcome_name(locale, *outcome)
            )
        }
        F::VoteMissing {
            sequence,
            member,
            motion,
            index,
        } => format!("{} : aucune entrée.", vote(sequence, member, motion, index)),
        F::VoteAsSigned {
            sequence,
            member,
            motion,
            index,
            choice,
        } => format!(
            "{} : signé par la clé du membre, valable à ce point du journal ; « {} », comme affiché.",
            vote(sequence, member, motion, index),
            choice_word(choice)
        ),
        F::VoteDiffers {
            sequence,
            member,
            motion,
            index,
            shown,
            signed,
        } => format!(
            "{} : la page affiche « {shown} » mais l'entrée signée dit {}.",
            vote(sequence, member, motion, index),
            signed
                .as_ref()
                .map_or_else(|| "autre chose".to_owned(), |c| format!("« {c} »"))
        ),
        F::OpinionAsSigned {
            kind,
            member,
            index,
        } => format!("{} : texte tel que signé.", opinion(kind, member, index)),
        F::OpinionDiffers {
            kind,
            member,
            index,
        } => format!(
            "{} : le texte affiché n'est pas le texte signé.",
            opinion(kind, member, index)
        ),
        F::NamedNotShown { listed: l, index } => format!(
            "{} : la décision nomme l'entrée {index}, que cette page n'affiche pas.",
            listed(l)
        ),
        F::ShownNotNamed { listed: l, index } => format!(
            "{} : cette page affiche l'entrée {index}, que la décision ne nomme pas.",
            listed(l)
        ),
        F::AllListed { listed: l, count } => format!(
            "{} : la page affiche les {count} entrées {} que nomme la décision, et aucune autre.",
            listed(l),
            match l {
                Listed::Votes => "de vote et d'engagement",
                Listed::Opinions => "d'opinion",
            }
        ),
        F::AnswerAsLogged {
            recommendation,
            index,
        } => format!(
            "Réponse à la recommandation {recommendation} (entrée {index}) : telle que journalisée."
        ),
        F::AnswerDiffers {
            recommendation,
            index,
        } => format!(
            "Réponse à la recommandation {recommendation} (entrée {index}) : le journal dit autre chose."
        ),
        F::CaseAsCommitted { case } => format!(
            "Affaire {case} : ses éléments, son historique jusqu'à la publication et ses commentaires du public approuvés sont ceux avec lesquels la décision a été signée."
        ),
        F::CaseDiffers { case } => format!(
            "Affaire {case} : ses éléments, son historique jusqu'à la publication et ses commentaires du public approuvés diffèrent de ceux avec lesquels la décision a été signée."
        ),
    }
}

/// A key from another council, refused at sign-in.
pub fn key_of_other_council(locale: Locale, origin: &str) -> String {
    match locale {
        Locale::En => format!("This key belongs to the council “{origin}”, not to this one."),
        Locale::Fr => format!("Cette clé appartient au conseil « {origin} », pas à celui-ci."),
    }
}

/// A key backup imported into this browser.
pub fn key_imported(locale: Locale, name: &str, member: u64) -> String {
    match locale {
        Locale::En => {
            format!("Imported the key of {name} (member {member}). Sign in with its passphrase.")
        }
        Locale::Fr => format!(
            "Clé de {name} (membre {member}) importée. Connectez-vous avec sa phrase secrète."
        ),
    }
}

/// `text` with its first letter in upper case.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The French of an English text, when there is one.
fn french(english: &str) -> Option<&'static str> {
    Some(match english {
        // The frame.
        "Skip to content" => "Aller au contenu",
        "Unavailable" => "Indisponible",
        "The council's records could not be loaded" => {
            "Les registres du conseil n'ont pas pu être chargés"
        }
        "Site" => "Site",
        "Decision log" => "Journal des décisions",
        "Clauses" => "Clauses",
        "Members" => "Membres",
        "Rules" => "Règles",
        "Dashboard" => "Tableau de bord",
        "Cases" => "Affaires",
        "Comment" => "Commenter",
        "Account" => "Compte",
        "Sign in" => "Connexion",
        "Language" => "Langue",
        // The home page.
        "Content-moderation council" => "Conseil de modération des contenus",
        "Cases escalated by the platform are reviewed here by members from groups with opposing views. They vote with signatures made by keys only they hold, and every outcome is published in a public, append-only log that anyone can check." => {
            "Les affaires que la plateforme soumet au conseil sont examinées ici par des membres de groupes aux vues opposées. Ils votent avec des signatures faites par des clés qu'eux seuls détiennent, et chaque issue est publiée dans un journal public, en ajout seul, que chacun peut vérifier."
        }
        "Log origin" => "Origine du journal",
        "Founded" => "Fondé le",
        "Log entries" => "Entrées du journal",
        "Log public key (" => "Clé publique du journal (",
        "not published" => "non publiée",
        "This is a demo council: its people, cases and votes are fictional, and its members' keys are public. " => {
            "Ceci est un conseil de démonstration : ses membres, ses affaires et ses votes sont fictifs, et les clés de ses membres sont publiques. "
        }
        "Sign in as one of its members" => "Connectez-vous comme l'un de ses membres",
        " to look around." => " pour le découvrir.",
        "The whole decision log, with filters and search" => {
            "Tout le journal des décisions, avec filtres et recherche"
        }
        "When the council decides a case, the decision appears here with its tallies per group, the majority's rationale and every signed dissent." => {
            "Quand le conseil tranche une affaire, la décision apparaît ici avec le décompte des voix par groupe, les motifs de la majorité et chaque opinion dissidente signée."
        }
        "Check it yourself" => "Vérifiez par vous-même",
        "Hide how" => "Masquer",
        "Show how" => "Comment ?",
        "You do not have to trust the operator of this site. Every published statement (a vote, a dissent, a decision, a change of membership) is a leaf of a Merkle tree whose signed checkpoints independent witnesses cosign, so a vote cannot be forged, a dissent hidden or a past decision rewritten without it showing. " => {
            "Vous n'avez pas à faire confiance à l'exploitant de ce site. Chaque déclaration publiée (un vote, une opinion dissidente, une décision, un changement de membre) est une feuille d'un arbre de Merkle dont des témoins indépendants cosignent les points de contrôle signés : un vote ne peut être falsifié, une dissidence cachée ou une décision passée réécrite sans que cela se voie. "
        }
        "The witnesses whose cosignatures make a decision final are listed in the " => {
            "Les témoins dont les cosignatures rendent une décision définitive figurent dans la "
        }
        "witness policy" => "politique des témoins",
        "The log is identified by its origin line and public key above; its latest signed checkpoint is at " => {
            "Le journal est identifié par sa ligne d'origine et sa clé publique ci-dessus ; son dernier point de contrôle signé est à "
        }
        "Once decisions are published, their signatures, the eligibility of every voter, the tallies and the consistency of every checkpoint can be re-checked offline with the " => {
            "Une fois les décisions publiées, leurs signatures, le droit de vote de chaque votant, les décomptes et la cohérence de chaque point de contrôle peuvent être revérifiés hors ligne avec la commande "
        }
        " command." => ".",
        "The log is empty: the council has not been founded." => {
            "Le journal est vide : le conseil n'a pas été fondé."
        }
        "Verifying…" => "Vérification…",
        "Verify the log in this browser" => "Vérifier le journal dans ce navigateur",
        "Verification failed: " => "Échec de la vérification : ",
        // Sign-in.
        "There is no key in this browser: import your backup first." => {
            "Ce navigateur ne contient aucune clé : importez d'abord votre sauvegarde."
        }
        "Signing in needs JavaScript: your browser proves who you are by signing with your key, which never leaves it. Please enable JavaScript for this site and reload the page." => {
            "La connexion a besoin de JavaScript : votre navigateur prouve qui vous êtes en signant avec votre clé, qui ne le quitte jamais. Activez JavaScript pour ce site et rechargez la page."
        }
        "There is no council key in this browser yet. Import your key backup below, or open your invitation link to create one." => {
            "Ce navigateur ne contient encore aucune clé du conseil. Importez la sauvegarde de votre clé ci-dessous, ou ouvrez votre lien d'invitation pour en créer une."
        }
        "Your key" => "Votre clé",
        "member " => "membre ",
        "Passphrase" => "Phrase secrète",
        "Signing in…" => "Connexion…",
        "Use your key on this device" => "Utiliser votre clé sur cet appareil",
        "Key backup file" => "Fichier de sauvegarde de la clé",
        "Import the key" => "Importer la clé",
        "Demo council: sign in as a member" => {
            "Conseil de démonstration : connectez-vous comme un membre"
        }
        "The keys of this demo council's members are public, so anyone may use them. Signing votes and opinions asks for the key's passphrase: " => {
            "Les clés des membres de ce conseil de démonstration sont publiques : chacun peut les utiliser. Signer des votes et des opinions demande la phrase secrète de la clé : "
        }
        "Sign in as " => "Se connecter comme ",
        "The server sent a malformed challenge." => "Le serveur a envoyé un défi mal formé.",
        "Importing needs JavaScript." => "L'importation a besoin de JavaScript.",
        // The dashboard.
        "Loading your dashboard…" => "Chargement de votre tableau de bord…",
        "Hello, " => "Bonjour, ",
        "Overdue" => "En retard",
        "Nothing is overdue." => "Rien n'est en retard.",
        "Awaiting your vote" => "En attente de votre vote",
        "No vote is open for you." => "Aucun vote ne vous attend.",
        "In deliberation: declare any conflict before the vote" => {
            "En délibération : déclarez tout conflit d'intérêts avant le vote"
        }
        "No case is in deliberation." => "Aucune affaire n'est en délibération.",
        "New escalations to screen" => "Nouvelles affaires à examiner",
        "Unread discussion" => "Discussions non lues",
        "You are up to date." => "Vous êtes à jour.",
        "All cases" => "Toutes les affaires",
        "Your dashboard is for council members. " => {
            "Votre tableau de bord est réservé aux membres du conseil. "
        }
        " first." => " requise.",
        // The account page.
        "Your account" => "Votre compte",
        "Loading your account…" => "Chargement de votre compte…",
        "Signed in as member " => "Connecté comme membre ",
        "Administration: groups, invitations and members" => {
            "Administration : groupes, invitations et membres"
        }
        "Sign out" => "Se déconnecter",
        "Where you are signed in" => "Où vous êtes connecté",
        "Browser" => "Navigateur",
        "Since" => "Depuis",
        "Action" => "Action",
        " (this browser)" => " (ce navigateur)",
        "Sign out there" => "Y mettre fin",
        "Sign out everywhere" => "Se déconnecter partout",
        "You are not signed in" => "Vous n'êtes pas connecté",
        " with the key stored in your browser." => " avec la clé conservée dans votre navigateur.",
        "This browser holds your encrypted key " => "Ce navigateur conserve votre clé chiffrée ",
        "Download your key backup" => "Télécharger la sauvegarde de votre clé",
        "Replace your key" => "Remplacer votre clé",
        "A new key is created in this browser and your current key signs it over, in the public log. Do this if you think your key or its backup was exposed. The new key is protected by the same passphrase." => {
            "Une nouvelle clé est créée dans ce navigateur et votre clé actuelle la désigne en signant, dans le journal public. Faites-le si vous pensez que votre clé ou sa sauvegarde a été exposée. La nouvelle clé est protégée par la même phrase secrète."
        }
        "Your passphrase" => "Votre phrase secrète",
        "Replacing your key…" => "Remplacement de votre clé…",
        "Replace my key" => "Remplacer ma clé",
        // The invitation page.
        "Invitation" => "Invitation",
        "Loading the invitation…" => "Chargement de l'invitation…",
        "Invitation not found" => "Invitation introuvable",
        "This link is not a valid invitation (" => "Ce lien n'est pas une invitation valable (",
        "). Check that you copied the whole link, or ask an admin for a new one." => {
            "). Vérifiez que vous avez copié le lien en entier, ou demandez-en un nouveau à un administrateur."
        }
        "This invitation was already used. An invitation works once." => {
            "Cette invitation a déjà servi. Une invitation ne sert qu'une fois."
        }
        "This invitation was revoked." => "Cette invitation a été révoquée.",
        "This invitation has expired." => "Cette invitation a expiré.",
        "This invitation cannot be used" => "Cette invitation ne peut pas servir",
        " Ask an admin of the council for a new invitation." => {
            " Demandez une nouvelle invitation à un administrateur du conseil."
        }
        "The two passphrases differ." => "Les deux phrases secrètes diffèrent.",
        "Join the council" => "Rejoindre le conseil",
        "Name" => "Nom",
        "Valid until" => "Valable jusqu'au",
        "Joining needs JavaScript: your signing key is created in this browser and never leaves it. Please enable JavaScript for this site and reload the page." => {
            "Rejoindre le conseil a besoin de JavaScript : votre clé de signature est créée dans ce navigateur et ne le quitte jamais. Activez JavaScript pour ce site et rechargez la page."
        }
        "Tribune will create your signing key in this browser. Choose a passphrase to protect it: it is needed to sign in and to vote, and nobody, not even an admin, can recover it." => {
            "Tribune va créer votre clé de signature dans ce navigateur. Choisissez une phrase secrète pour la protéger : elle sert à vous connecter et à voter, et personne, pas même un administrateur, ne peut la retrouver."
        }
        "Passphrase (at least 12 characters)" => "Phrase secrète (au moins 12 caractères)",
        "The same passphrase again" => "La même phrase secrète, à nouveau",
        "Creating your key…" => "Création de votre clé…",
        "Create my key and join" => "Créer ma clé et rejoindre le conseil",
        "The invitation's signature is malformed." => {
            "La signature de l'invitation est mal formée."
        }
        "This invitation is not signed by the council's log key: do not use it." => {
            "Cette invitation n'est pas signée par la clé du journal du conseil : ne l'utilisez pas."
        }
        "Welcome, " => "Bienvenue, ",
        "You are enrolled as member " => "Vous êtes inscrit comme membre ",
        ". Your key is stored, encrypted, in this browser, and you are signed in." => {
            ". Votre clé est conservée, chiffrée, dans ce navigateur, et vous êtes connecté."
        }
        "Download a backup of your encrypted key now, and keep it safe: it is the only way to use your key on another device or after clearing this browser." => {
            "Téléchargez maintenant une sauvegarde de votre clé chiffrée et gardez-la en lieu sûr : c'est le seul moyen d'utiliser votre clé sur un autre appareil ou après avoir vidé ce navigateur."
        }
        "Download the key backup" => "Télécharger la sauvegarde de la clé",
        "Go to your account" => "Aller à votre compte",
        // The members' case pages.
        "Cases are for council members. " => "Les affaires sont réservées aux membres du conseil. ",
        "Intake" => "Réception",
        "Accepted" => "Acceptée",
        "Deliberation" => "Délibération",
        "Voting" => "Vote",
        "Decided" => "Tranchée",
        "Published" => "Publiée",
        "Withdrawn" => "Retirée",
        "Accept the case" => "Accepter l'affaire",
        "Decline the case" => "Refuser l'affaire",
        "Open deliberation" => "Ouvrir la délibération",
        "Open voting" => "Ouvrir le vote",
        "Record as decided" => "Enregistrer comme tranchée",
        "Publish" => "Publier",
        "Withdraw the case" => "Retirer l'affaire",
        "Back to intake" => "Renvoyer à la réception",
        "Loading the cases…" => "Chargement des affaires…",
        "Any status" => "Tout statut",
        "Filter the cases" => "Filtrer les affaires",
        "Record a new case" => "Enregistrer une nouvelle affaire",
        "No case matches these filters." => "Aucune affaire ne correspond à ces filtres.",
        "No case has been escalated yet." => "Aucune affaire n'a encore été soumise.",
        "Case" => "Affaire",
        "Subject" => "Sujet",
        "Deadline" => "Échéance",
        "Older cases" => "Affaires plus anciennes",
        "Record a case" => "Enregistrer une affaire",
        "From the audience" => "D'après l'audience",
        "Link" => "Lien",
        "Excerpt" => "Extrait",
        "Audience" => "Audience",
        "Platform's action" => "Mesure de la plateforme",
        "Reason for escalation" => "Motif de la saisine",
        " (handle)" => " (identifiant)",
        " (optional)" => " (facultatif)",
        " (followers)" => " (abonnés)",
        " (codes, separated by commas)" => " (codes, séparés par des virgules)",
        "Record the case" => "Enregistrer l'affaire",
        "Loading the case…" => "Chargement de l'affaire…",
        " followers)" => " abonnés)",
        "Why it was escalated" => "Pourquoi elle a été soumise",
        "Move the case" => "Faire avancer l'affaire",
        "Reason (required)" => "Motif (obligatoire)",
        "Reason (optional)" => "Motif (facultatif)",
        "History" => "Historique",
        "Escalated" => "Soumise",
        "the platform" => "la plateforme",
        "The file is larger than 5 MiB: nothing was added." => {
            "Le fichier dépasse 5 Mio : rien n'a été ajouté."
        }
        "This kind of file is not accepted (PDF, PNG, JPEG or plain text only): nothing was added." => {
            "Ce type de fichier n'est pas accepté (PDF, PNG, JPEG ou texte brut seulement) : rien n'a été ajouté."
        }
        "Give the evidence a title of 1 to 200 characters: nothing was added." => {
            "Donnez à la pièce un intitulé de 1 à 200 caractères : rien n'a été ajouté."
        }
        "The text is empty or too long: nothing was added." => {
            "Le texte est vide ou trop long : rien n'a été ajouté."
        }
        "The link must be an http(s) address: nothing was added." => {
            "Le lien doit être une adresse http(s) : rien n'a été ajouté."
        }
        "Choose a file: nothing was added." => "Choisissez un fichier : rien n'a été ajouté.",
        "The case is closed: no more evidence." => "L'affaire est close : plus de pièces.",
        "The evidence could not be added." => "La pièce n'a pas pu être ajoutée.",
        "Evidence" => "Pièces",
        "No evidence yet." => "Aucune pièce pour l'instant.",
        "Add evidence" => "Ajouter une pièce",
        "Kind of evidence" => "Type de pièce",
        "A file (PDF, PNG, JPEG or plain text, up to 5 MiB)" => {
            "Un fichier (PDF, PNG, JPEG ou texte brut, jusqu'à 5 Mio)"
        }
        "A link" => "Un lien",
        "A text" => "Un texte",
        "File" => "Fichier",
        "Text" => "Texte",
        "Add the evidence" => "Ajouter la pièce",
        // A case's discussion and recusals.
        "Discussion" => "Discussion",
        " since you last read this discussion." => {
            " depuis votre dernière lecture de cette discussion."
        }
        "This case is closed: its discussion is read-only." => {
            "Cette affaire est close : sa discussion ne peut plus qu'être lue."
        }
        "You recused yourself from this case: you may read the discussion, but not take part in it or vote." => {
            "Vous vous êtes récusé dans cette affaire : vous pouvez lire la discussion, mais ni y prendre part ni voter."
        }
        "No comment yet." => "Aucun commentaire pour l'instant.",
        "Add to the discussion" => "Contribuer à la discussion",
        "Add to the discussion (Markdown)" => "Contribuer à la discussion (Markdown)",
        "Post the comment" => "Publier le commentaire",
        "Comment by " => "Commentaire de ",
        "New" => "Nouveau",
        "edited " => "modifié le ",
        "Earlier versions" => "Versions antérieures",
        "Reply" => "Répondre",
        "Reply to " => "Répondre à ",
        "Your reply (Markdown)" => "Votre réponse (Markdown)",
        "Post the reply" => "Publier la réponse",
        "Edit" => "Modifier",
        "Edit your comment" => "Modifier votre commentaire",
        "Your comment (the earlier version stays visible)" => {
            "Votre commentaire (la version précédente reste visible)"
        }
        "Save the new version" => "Enregistrer la nouvelle version",
        "Recusals" => "Récusations",
        "Nobody has recused from this case." => "Personne ne s'est récusé dans cette affaire.",
        "Declare a conflict of interest" => "Déclarer un conflit d'intérêts",
        "You will no longer take part in this case's discussion or vote, and you will not count toward its quorum. Your recusal and its reason are signed with your key and published in the log." => {
            "Vous ne prendrez plus part à la discussion ni au vote de cette affaire, et vous ne compterez plus pour son quorum. Votre récusation et son motif sont signés avec votre clé et publiés dans le journal."
        }
        "Signing a recusal needs JavaScript." => "Signer une récusation a besoin de JavaScript.",
        "Reason (published)" => "Motif (publié)",
        "Signing…" => "Signature…",
        "Sign and recuse" => "Signer et se récuser",
        // Motions and votes on a case.
        "Rules in force (version " => "Règles en vigueur (version ",
        "Panel: " => "Formation : ",
        "No panel: every eligible member of the council votes." => {
            "Pas de formation restreinte : chaque membre du conseil ayant le droit de vote vote."
        }
        "Change the panel" => "Changer la formation",
        "Assign a panel" => "Désigner une formation",
        "Panel members (at least one from every group; recused members cannot sit)" => {
            "Membres de la formation (au moins un par groupe ; les membres récusés ne peuvent siéger)"
        }
        "Assign this panel" => "Désigner cette formation",
        "No motion has been drafted on this case yet." => {
            "Aucune motion n'a encore été rédigée sur cette affaire."
        }
        "Draft a motion" => "Rédiger une motion",
        "Kind of motion" => "Type de motion",
        "Finding (support, oppose, abstain)" => "Constat (pour, contre, abstention)",
        "Remedy (support, oppose, abstain)" => "Mesure (pour, contre, abstention)",
        "Choice among named remedies" => "Choix entre des mesures nommées",
        "Text of the motion" => "Texte de la motion",
        "Remedies, one per line (choice motions only)" => {
            "Mesures, une par ligne (motions de choix seulement)"
        }
        "Save the draft" => "Enregistrer le projet",
        "Draft" => "Projet",
        "Voting open" => "Vote ouvert",
        "Closed" => "Clos",
        "Remedies: " => "Mesures : ",
        "Voting closes " => "Le vote se clôt : ",
        " · sealed: choices stay hidden from everyone until the close" => {
            " · sous scellés : les choix restent cachés à tous jusqu'à la clôture"
        }
        "Opened in " => "Ouverte dans ",
        " under rules version " => " selon les règles, version ",
        "; closed in " => " ; close dans ",
        " · voted" => " · a voté",
        "Voting window (minutes)" => "Durée du vote (minutes)",
        "Open voting on this motion" => "Ouvrir le vote sur cette motion",
        "Voting opens once the case is moved to its voting stage." => {
            "Le vote s'ouvre une fois l'affaire passée à son étape de vote."
        }
        "Everyone voted: close voting now" => "Tout le monde a voté : clore le vote maintenant",
        "No vote yet." => "Aucun vote pour l'instant.",
        "Who voted and when (choices sealed until the close)" => {
            "Qui a voté et quand (choix sous scellés jusqu'à la clôture)"
        }
        "Votes, in the order cast" => "Votes, dans l'ordre où ils ont été exprimés",
        "Choice" => "Choix",
        "Log" => "Journal",
        "sealed" => "sous scellés",
        "support" => "pour",
        "oppose" => "contre",
        "abstain" => "abstention",
        "met" => "atteint",
        "not met" => "non atteint",
        "Bridging" => "Pont entre groupes",
        "Tally, overall and per group" => "Décompte, au total et par groupe",
        "Voted / eligible" => "Votants / inscrits",
        "All" => "Tous",
        "Pick a choice first." => "Choisissez d'abord une option.",
        "Your vote" => "Votre vote",
        "Reason (optional; published at the close)" => "Motif (facultatif ; publié à la clôture)",
        "Reason (optional; published)" => "Motif (facultatif ; publié)",
        "Signing a vote needs JavaScript." => "Signer un vote a besoin de JavaScript.",
        "Sign and cast my vote" => "Signer et exprimer mon vote",
        // The decision section of a case page.
        "Majority rationale" => "Motifs de la majorité",
        "Concurrence" => "Opinion concordante",
        "Dissent" => "Opinion dissidente",
        "Decision (in preparation)" => "Décision (en préparation)",
        "Published in " => "Publiée dans ",
        " on " => " le ",
        ", naming every vote and opinion on this case." => {
            ", qui nomme chaque vote et chaque opinion sur cette affaire."
        }
        "No author assigned yet." => "Aucun auteur désigné pour l'instant.",
        "The rationale (you and your co-authors sign this exact text)" => {
            "Les motifs (vous et vos coauteurs signez ce texte exact)"
        }
        "Save the rationale" => "Enregistrer les motifs",
        "Clauses, precedents and recommendations" => "Clauses, précédents et recommandations",
        "Policy clauses applied (codes, separated by commas)" => {
            "Clauses de la politique appliquées (codes, séparés par des virgules)"
        }
        "Precedents, one per line: “12 follows” or “7 distinguishes: why”" => {
            "Précédents, un par ligne : « 12 follows » ou « 7 distinguishes: pourquoi »"
        }
        "Recommendations to the platform, one per line" => {
            "Recommandations à la plateforme, une par ligne"
        }
        "Save" => "Enregistrer",
        "Clauses applied" => "Clauses appliquées",
        "none" => "aucune",
        "Opinions" => "Opinions",
        "No opinion signed yet." => "Aucune opinion signée pour l'instant.",
        "Publishing needs the rationale signed by each of its authors." => {
            "Publier demande que chacun des auteurs ait signé les motifs."
        }
        "Publish the decision" => "Publier la décision",
        "No recommendation to the platform." => "Aucune recommandation à la plateforme.",
        "Answer overdue: " => "Réponse en retard : ",
        "Answer due " => "Réponse attendue : ",
        "The platform: " => "La plateforme : ",
        "implemented" => "mise en œuvre",
        "partly" => "en partie",
        "declined" => "refusée",
        "assessing" => "en cours d'examen",
        "Assign the rationale's author(s) (members who voted)" => {
            "Désigner le ou les auteurs des motifs (parmi les votants)"
        }
        "Assign" => "Désigner",
        "Sign the rationale" => "Signer les motifs",
        "Write a separate opinion" => "Rédiger une opinion séparée",
        "Your opinion (signed and published)" => "Votre opinion (signée et publiée)",
        "Signing needs JavaScript." => "Signer a besoin de JavaScript.",
        "Sign and publish my opinion" => "Signer et publier mon opinion",
        // The admin page.
        "Administration" => "Administration",
        "Groups, invitations and members. Enrollments, role changes, suspensions, removals and key revocations are signed statements in the public log, with the reason you give." => {
            "Groupes, invitations et membres. Inscriptions, changements de rôle, suspensions, radiations et révocations de clés sont des déclarations signées dans le journal public, avec le motif que vous donnez."
        }
        "This page is for the council's admins. " => {
            "Cette page est réservée aux administrateurs du conseil. "
        }
        "Invitation ready" => "Invitation prête",
        "Send this link to the new member through a channel you trust. It works once, until " => {
            "Envoyez ce lien au nouveau membre par un canal de confiance. Il sert une fois, jusqu'au "
        }
        ", and is not shown again." => ", et ne sera plus affiché.",
        "Invitation link" => "Lien d'invitation",
        "Groups" => "Groupes",
        "No group yet: create the first one below." => {
            "Aucun groupe pour l'instant : créez le premier ci-dessous."
        }
        "Rename" => "Renommer",
        "New name for " => "Nouveau nom pour ",
        "Named in signed enrollments" => "Nommé dans des inscriptions signées",
        "Group renamed." => "Groupe renommé.",
        "Create a group" => "Créer un groupe",
        "New group" => "Nouveau groupe",
        "Create group" => "Créer le groupe",
        "Group created." => "Groupe créé.",
        "Invite a member" => "Inviter un membre",
        "Create a group first: every member belongs to one." => {
            "Créez d'abord un groupe : chaque membre appartient à un groupe."
        }
        "Display name (public)" => "Nom affiché (public)",
        "Create the invitation link" => "Créer le lien d'invitation",
        "Invitations" => "Invitations",
        "No invitation yet." => "Aucune invitation pour l'instant.",
        "State" => "État",
        "Expires" => "Expire le",
        "Revoke" => "Révoquer",
        "Invitation revoked." => "Invitation révoquée.",
        "Change recorded in the log." => "Changement inscrit au journal.",
        "Key revoked and recorded in the log." => "Clé révoquée et inscrite au journal.",
        "Invite " => "Inviter ",
        " to enroll a new key" => " à inscrire une nouvelle clé",
        " · no valid key" => " · aucune clé valide",
        "Change the role or status of " => "Changer le rôle ou le statut de ",
        "Apply" => "Appliquer",
        "Revoke the key of " => "Révoquer la clé de ",
        "Reason for revoking the key (published)" => "Motif de la révocation de la clé (publié)",
        "Revoke key" => "Révoquer la clé",
        "Invite to enroll a new key" => "Inviter à inscrire une nouvelle clé",
        "Intake token ready" => "Jeton de saisine prêt",
        "Give this token to “" => "Donnez ce jeton à « ",
        "” for " => " » pour ",
        ". It is not shown again." => ". Il ne sera plus affiché.",
        "Intake token" => "Jeton de saisine",
        "Policy catalogue" => "Catalogue de la politique",
        "No clause yet: cases name the clauses at stake, so add them first." => {
            "Aucune clause pour l'instant : les affaires nomment les clauses en jeu, ajoutez-les donc d'abord."
        }
        "Code" => "Code",
        "Add a clause" => "Ajouter une clause",
        "Add the clause" => "Ajouter la clause",
        "Clause added." => "Clause ajoutée.",
        "Intake tokens" => "Jetons de saisine",
        "The platform escalates cases through " => "La plateforme soumet des affaires par ",
        " with one of these tokens." => " avec l'un de ces jetons.",
        "No intake token yet." => "Aucun jeton de saisine pour l'instant.",
        "Created" => "Créé le",
        "live" => "actif",
        "active" => "actif",
        "suspended" => "suspendu",
        "removed" => "radié",
        "revoked" => "révoqué le",
        "Create an intake token" => "Créer un jeton de saisine",
        "Used by" => "Utilisé par",
        "Create a token" => "Créer un jeton",
        "Token revoked." => "Jeton révoqué.",
        // The rules form (admin page).
        "Motions opened after a change are voted under the new rules; open motions keep theirs. " => {
            "Les motions ouvertes après un changement sont votées selon les nouvelles règles ; les motions ouvertes gardent les leurs. "
        }
        "Every version" => "Toutes les versions",
        "numerator" => "numérateur",
        "denominator" => "dénominateur",
        "number of groups" => "nombre de groupes",
        "quorum" => "quorum",
        "voting window" => "durée du vote",
        "In force: version " => "En vigueur : version ",
        "Change the voting rules" => "Changer les règles de vote",
        "Quorum (% of the roll who must vote)" => "Quorum (% de la liste qui doit voter)",
        "Threshold (of the roll minus abstentions)" => "Seuil (de la liste hors abstentions)",
        "Simple majority" => "Majorité simple",
        "Qualified majority" => "Majorité qualifiée",
        "Qualified majority (fraction)" => "Majorité qualifiée (fraction)",
        "Numerator" => "Numérateur",
        "Denominator" => "Dénominateur",
        "Agreement across groups" => "Accord entre les groupes",
        "None" => "Aucun",
        "At least one supporter in every group" => "Au moins un soutien dans chaque groupe",
        "A majority of voters in at least K groups" => {
            "Une majorité des votants dans au moins K groupes"
        }
        "K (groups)" => "K (groupes)",
        "Voting window (hours)" => "Durée du vote (heures)",
        "Sealed: choices hidden, from the log too, until the close" => {
            "Sous scellés : choix cachés, dans le journal aussi, jusqu'à la clôture"
        }
        "Signing a rules change needs JavaScript." => {
            "Signer un changement de règles a besoin de JavaScript."
        }
        "Sign and adopt these rules" => "Signer et adopter ces règles",
        // The clerk's screening of public comments.
        "Open for public comment at " => "Ouverte aux commentaires du public à l'adresse ",
        "The decision is published and commits to the comments approved before it: pending comments can no longer be approved or rejected." => {
            "La décision est publiée et engage les commentaires approuvés avant elle : les commentaires en attente ne peuvent plus être approuvés ni rejetés."
        }
        "No public comment." => "Aucun commentaire du public.",
        "pending" => "en attente",
        "approved" => "approuvé",
        "rejected" => "rejeté",
        "Approve the comment by " => "Approuver le commentaire de ",
        "Reject the comment by " => "Rejeter le commentaire de ",
        "Approve" => "Approuver",
        "Reason for rejecting" => "Motif du rejet",
        "Reject" => "Rejeter",
        // A decision's page.
        "Loading the decision…" => "Chargement de la décision…",
        "Decision not found" => "Décision introuvable",
        "Decision on " => "Décision sur ",
        "Decision" => "Décision",
        "Carried: " => "Adoptée : ",
        "Motion" => "Motion",
        "The case" => "L'affaire",
        "Timeline" => "Chronologie",
        "Motions and votes" => "Motions et votes",
        "The majority's rationale" => "Les motifs de la majorité",
        "Dissents and concurrences" => "Opinions dissidentes et concordantes",
        "Public comments" => "Commentaires du public",
        "Precedents" => "Précédents",
        "Recommendations to the platform" => "Recommandations à la plateforme",
        "Verify this decision" => "Vérifier cette décision",
        "Policy clauses at stake: " => "Clauses de la politique en jeu : ",
        "Clauses applied: " => "Clauses appliquées : ",
        "No member wrote a separate opinion." => "Aucun membre n'a rédigé d'opinion séparée.",
        "No public comment was published with this case." => {
            "Aucun commentaire du public n'a été publié avec cette affaire."
        }
        "This decision cites no earlier decision." => {
            "Cette décision ne cite aucune décision antérieure."
        }
        "No recommendation." => "Aucune recommandation.",
        "Follows " => "Suit ",
        "Distinguishes " => "Se distingue de ",
        "the decision on " => "la décision sur l'",
        "No answer yet: it was due on " => "Pas encore de réponse : elle était attendue le ",
        "Answer due by " => "Réponse attendue au plus tard le ",
        "No answer yet." => "Pas encore de réponse.",
        "Implemented" => "Mise en œuvre",
        "Partly implemented" => "Mise en œuvre en partie",
        "Declined" => "Refusée",
        "Assessing" => "En cours d'examen",
        "dissent" => "opinion dissidente",
        "concurrence" => "opinion concordante",
        "majority" => "majorité",
        "finding" => "constat",
        "remedy" => "mesure",
        "choice" => "choix",
        "Member" => "Membre",
        "Vote" => "Vote",
        "Reason" => "Motif",
        "Log entry" => "Entrée du journal",
        "Signature" => "Signature",
        " (replaced)" => " (remplacé)",
        "This page is what the server says. The button below checks it against the council's signed log, here in your browser, with the same code as the " => {
            "Cette page est ce que dit le serveur. Le bouton ci-dessous la confronte au journal signé du conseil, ici dans votre navigateur, avec le même code que la commande "
        }
        " command: every signature, that each signer held a valid key at that point, each tally recomputed from the votes, that no vote or opinion is left off the page, and that the decision is included in the latest signed checkpoint." => {
            " : chaque signature, que chaque signataire détenait une clé valide à ce moment, chaque décompte recalculé à partir des votes, qu'aucun vote ni aucune opinion ne manque à la page, et que la décision figure sous le dernier point de contrôle signé."
        }
        "Verify" => "Vérifier",
        "Passed: " => "Réussi : ",
        "Failed: " => "Échoué : ",
        "The council names no witnesses: nobody outside it has cosigned the log that holds this decision." => {
            "Le conseil ne désigne aucun témoin : personne d'extérieur n'a cosigné le journal qui contient cette décision."
        }
        "Witness policy" => "Politique des témoins",
        "Final" => "Définitive",
        // The 404 page and the member registry.
        "Page not found" => "Page introuvable",
        "There is no page at " => "Il n'y a pas de page à l'adresse ",
        "Go to the council's home page" => "Aller à l'accueil du conseil",
        " to read its decision log." => " pour lire son journal des décisions.",
        "Who may sign for the council, and with which keys. Each key is valid from the log entry that enrolled or rotated it until the entry that ended it, so anyone can check who could vote when." => {
            "Qui peut signer pour le conseil, et avec quelles clés. Chaque clé est valide de l'entrée du journal qui l'a enregistrée ou remplacée jusqu'à celle qui y a mis fin : chacun peut vérifier qui pouvait voter et quand."
        }
        "Loading the members…" => "Chargement des membres…",
        "No member has enrolled yet." => "Aucun membre ne s'est encore inscrit.",
        "Role" => "Rôle",
        "Status" => "Statut",
        "Keys" => "Clés",
        " from entry " => " depuis l'entrée ",
        " until entry " => " jusqu'à l'entrée ",
        " (valid)" => " (valide)",
        // The recommendations tracker.
        "Recommendations" => "Recommandations",
        "Each decision may recommend changes to the platform, which must answer within 60 days: implemented, partly, declined, or still assessing. Every answer is an entry in the public log." => {
            "Chaque décision peut recommander des changements à la plateforme, qui doit répondre dans les 60 jours : mise en œuvre, en partie, refusée, ou encore en cours d'examen. Chaque réponse est une entrée du journal public."
        }
        "Loading the recommendations…" => "Chargement des recommandations…",
        "No decision has made a recommendation yet." => {
            "Aucune décision n'a encore fait de recommandation."
        }
        " · answers due " => " · réponses attendues le ",
        "Overdue: no answer; it was due on " => {
            "En retard : pas de réponse ; elle était attendue le "
        }
        "Awaiting an answer, due by " => "En attente d'une réponse, attendue au plus tard le ",
        "Awaiting an answer." => "En attente d'une réponse.",
        "Pages of the recommendations" => "Pages des recommandations",
        // The decision log.
        "Every decision the council has published, newest first, with how each group voted. " => {
            "Toutes les décisions publiées par le conseil, des plus récentes aux plus anciennes, avec le vote de chaque groupe. "
        }
        "Also as " => "Aussi en ",
        " and " => " et ",
        "; " => " ; ",
        "the platform's answers to the council's recommendations are tracked " => {
            "les réponses de la plateforme aux recommandations du conseil sont suivies "
        }
        "here" => "ici",
        "Loading the decisions…" => "Chargement des décisions…",
        "Filter the decisions" => "Filtrer les décisions",
        "Search" => "Rechercher",
        "Kind of case" => "Type d'affaire",
        "Policy clause" => "Clause de la politique",
        "Outcome" => "Issue",
        "Prominence tier" => "Notoriété",
        "Group" => "Groupe",
        "voted" => "a voté",
        "From" => "Du",
        "Until" => "Au",
        "With recommendations only" => "Avec recommandations seulement",
        "Filter" => "Filtrer",
        "Clear" => "Effacer",
        "any" => "toutes",
        "No decision has been published yet." => "Aucune décision n'a encore été publiée.",
        "No decision matches these filters." => "Aucune décision ne correspond à ces filtres.",
        "Newest" => "Plus récentes",
        "Older decisions" => "Décisions plus anciennes",
        "Published " => "Publiée le ",
        " in " => " dans ",
        "Outcome: " => "Issue : ",
        " · clauses " => " · clauses ",
        "Kind" => "Type",
        "Prominence" => "Notoriété",
        "Any kind" => "Tous types",
        "Any tier" => "Toute notoriété",
        "Any outcome" => "Toute issue",
        "Any group" => "Tout groupe",
        "Any vote" => "Tout vote",
        "Any clause" => "Toute clause",
        "No decisions have been published yet." => "Aucune décision n'a encore été publiée.",
        "Pages of the decision log" => "Pages du journal des décisions",
        "Newest decisions" => "Décisions les plus récentes",
        // Clauses.
        "Policy clauses" => "Clauses de la politique",
        "Loading the clauses…" => "Chargement des clauses…",
        "The clauses of the platform's policy that cases are judged under. Each clause's page lists its decisions and compares their outcomes across prominence tiers, so anyone can check that famous accounts were treated like everyone else." => {
            "Les clauses de la politique de la plateforme au regard desquelles les affaires sont jugées. La page de chaque clause en liste les décisions et compare leurs issues selon la notoriété des comptes, pour que chacun puisse vérifier que les comptes célèbres ont été traités comme les autres."
        }
        "The policy catalogue is empty." => "Le catalogue de la politique est vide.",
        "Policy clauses and their published decisions" => {
            "Clauses de la politique et leurs décisions publiées"
        }
        "Clause" => "Clause",
        "Title" => "Intitulé",
        "Decisions" => "Décisions",
        "Loading the clause…" => "Chargement de la clause…",
        "No published decision has applied this clause yet." => {
            "Aucune décision publiée n'a encore appliqué cette clause."
        }
        "All of them in the decision log" => "Toutes dans le journal des décisions",
        "every departure in the JSON API" => "tous les écarts dans l'API JSON",
        "Loading…" => "Chargement…",
        "Policy clauses at stake" => "Clauses en jeu",
        "Comment on a case" => "Commenter une affaire",
        "While a case is open for comment, anyone (the person concerned, people affected, experts) may send the council a statement. The clerk reads each one; approved statements go to the members and are published with the decision." => {
            "Tant qu'une affaire est ouverte aux commentaires, chacun (la personne concernée, les personnes touchées, des experts) peut adresser une déclaration au conseil. Le greffe lit chacune d'elles\u{a0}; les déclarations approuvées sont transmises aux membres et publiées avec la décision."
        }
        "No case is open for comment right now." => {
            "Aucune affaire n'est ouverte aux commentaires pour le moment."
        }
        "Thank you: your statement was received. The clerk will read it before it goes to the members." => {
            "Merci\u{a0}: votre déclaration a bien été reçue. Le greffe la lira avant de la transmettre aux membres."
        }
        "This case is no longer open for comment: nothing was recorded." => {
            "Cette affaire n'est plus ouverte aux commentaires\u{a0}: rien n'a été enregistré."
        }
        "Give a name or pseudonym (up to 80 characters): nothing was recorded." => {
            "Indiquez un nom ou un pseudonyme (80\u{a0}caractères au plus)\u{a0}: rien n'a été enregistré."
        }
        "The affiliation is too long (up to 120 characters): nothing was recorded." => {
            "L'affiliation est trop longue (120\u{a0}caractères au plus)\u{a0}: rien n'a été enregistré."
        }
        "Write a statement of up to 5,000 characters: nothing was recorded." => {
            "Rédigez une déclaration de 5\u{a0}000\u{a0}caractères au plus\u{a0}: rien n'a été enregistré."
        }
        "The statement could not be recorded." => "La déclaration n'a pas pu être enregistrée.",
        "Your statement" => "Votre déclaration",
        "Your name or a pseudonym (published)" => "Votre nom ou un pseudonyme (publié)",
        "Affiliation (optional, published)" => "Affiliation (facultative, publiée)",
        "Your statement (up to 5,000 characters)" => {
            "Votre déclaration (5\u{a0}000\u{a0}caractères au plus)"
        }
        "Send the statement" => "Envoyer la déclaration",
        "This stage of the case ends on " => "Cette étape de l'affaire se termine le ",
        "Voting rules" => "Règles de vote",
        "Every motion is voted under the rules in force when voting opened on it. " => {
            "Chaque motion est votée selon les règles en vigueur à l'ouverture de son vote. "
        }
        "Each change is signed by an admin and published in the log." => {
            "Chaque modification est signée par un administrateur et publiée dans le journal."
        }
        "Loading the rules…" => "Chargement des règles…",
        "The initial rules of every council." => "Les règles initiales de tout conseil.",
        "Same rules for everyone?" => "Les mêmes règles pour tous ?",
        "How this clause's decisions came out, for each kind of case and each prominence tier of the account concerned. A decision counts as carried if any of its motions carried." => {
            "L'issue des décisions rendues au titre de cette clause, pour chaque type d'affaire et chaque niveau de notoriété du compte concerné. Une décision compte comme adoptée si l'une de ses motions l'a été."
        }
        "Outcomes by kind of case and prominence tier" => {
            "Issues par type d'affaire et niveau de notoriété"
        }
        "Tier" => "Notoriété",
        "Carried" => "Adoptée",
        "Not carried" => "Rejetée",
        "No decision" => "Pas de décision",
        "Share carried" => "Part adoptée",
        "Departures from precedent" => "Écarts par rapport aux précédents",
        "A decision departs from precedent when the earlier decisions under this clause on the same kind of case mostly came out one way and it came out another, without naming one of them as a precedent it distinguishes." => {
            "Une décision s'écarte des précédents lorsque les décisions antérieures rendues au titre de cette clause sur le même type d'affaire ont majoritairement eu une issue et elle une autre, sans qu'elle nomme l'une d'elles comme un précédent dont elle se distingue."
        }
        "None: every decision followed the prevailing outcome or distinguished it." => {
            "Aucun : chaque décision a suivi l'issue dominante ou s'en est distinguée."
        }
        "Departed without distinguishing: " => "Écart sans distinction : ",
        "Decisions under this clause" => "Décisions rendues au titre de cette clause",
        "There is no such clause in the policy catalogue." => {
            "Le catalogue de la politique n'a pas de telle clause."
        }
        "carried" => "adoptée",
        "not carried" => "rejetée",
        "no decision" => "pas de décision",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_departure_reads_as_a_sentence_in_both_languages() {
        use domain::cases::{CaseId, CaseKind, Tier};
        use domain::voting::Outcome;
        let mut d = domain::consistency::Departure {
            case: CaseId(36),
            subject: "@meadow_runner_36".to_owned(),
            kind: CaseKind::Content,
            tier: Tier::Ordinary,
            log_index: 900,
            outcome: Outcome::Carried,
            prevailing: Outcome::NotCarried,
            prevailing_count: 7,
            earlier: 9,
        };
        assert_eq!(
            departure(Locale::En, &d),
            ", a content case about an ordinary account, was carried, while 7 of the 9 earlier content cases under this clause were not carried."
        );
        d.tier = Tier::Prominent;
        assert!(departure(Locale::En, &d).contains("about a prominent account"));
        assert!(departure(Locale::Fr, &d).starts_with(", une affaire de "));
        assert_eq!(
            departures_shown(Locale::En, 50, 1234),
            "The latest 50 of 1,234 departures, newest first; "
        );
    }

    #[test]
    fn the_browser_preference_picks_the_language() {
        assert_eq!(
            Locale::from_accept_language("fr-FR,fr;q=0.9,en;q=0.8"),
            Locale::Fr
        );
        assert_eq!(Locale::from_accept_language("en-GB,fr;q=0.5"), Locale::En);
        assert_eq!(Locale::from_accept_language("de-DE,fr;q=0.3"), Locale::Fr);
        assert_eq!(Locale::from_accept_language("de-DE"), Locale::En);
        assert_eq!(Locale::from_accept_language("fr;q=0,en;q=0.1"), Locale::En);
        assert_eq!(Locale::from_accept_language(""), Locale::En);
        assert_eq!(Locale::parse("FR_ca"), Some(Locale::Fr));
    }

    #[test]
    fn dates_and_numbers_are_written_each_language_s_way() {
        let date = domain::time::Date::parse_iso("2026-08-03").unwrap();
        assert_eq!(Locale::En.date(date), "3 August 2026");
        assert_eq!(Locale::Fr.date(date), "3 août 2026");
        assert_eq!(Locale::En.number(1_234_567), "1,234,567");
        assert_eq!(Locale::Fr.number(1_234), "1\u{202f}234");
        assert_eq!(Locale::Fr.number(999), "999");
    }

    #[test]
    fn every_text_has_its_french_and_unknown_texts_stay_english() {
        assert_eq!(t(Locale::Fr, "Decision log"), "Journal des décisions");
        assert_eq!(t(Locale::En, "Decision log"), "Decision log");
        assert_eq!(t(Locale::Fr, "not translated yet"), "not translated yet");
    }

    #[test]
    fn verification_lines_are_written_in_the_readers_language() {
        use domain::public::{CheckLine, Finding, Listed};
        let lines = [
            CheckLine::new(
                true,
                Some(7),
                Finding::VoteAsSigned {
                    sequence: 2,
                    member: "Ada".to_owned(),
                    motion: 3,
                    index: 7,
                    choice: "support".to_owned(),
                },
            ),
            CheckLine::new(
                false,
                Some(9),
                Finding::NamedNotShown {
                    listed: Listed::Opinions,
                    index: 9,
                },
            ),
            CheckLine::new(
                true,
                Some(4),
                Finding::TallyRecomputed {
                    motion: 3,
                    voted: 4,
                    eligible: 5,
                    rules: 1,
                    counts: vec![("oppose".to_owned(), 1), ("support".to_owned(), 3)],
                    outcome: domain::voting::Outcome::Carried,
                },
            ),
        ];
        assert_eq!(finding(Locale::En, &lines[0]), lines[0].text);
        assert_eq!(
            lines[0].text,
            "Vote 2 of Ada on motion 3 (entry 7): signed by the member's key, valid at that point of the log; “support”, as shown."
        );
        assert_eq!(
            finding(Locale::Fr, &lines[0]),
            "Vote 2 de Ada sur la motion 3 (entrée 7) : signé par la clé du membre, valable à ce point du journal ; « pour », comme affiché."
        );
        assert!(
            finding(Locale::Fr, &lines[1])
                .starts_with("Chaque opinion : la décision nomme l'entrée 9")
        );
        let tally = finding(Locale::Fr, &lines[2]);
        assert!(tally.contains("1 contre, 3 pour — adoptée"), "{tally}");
    }

    /// Every `t(locale, "…")` in the translated pages has its French.
    #[test]
    fn no_text_of_a_translated_page_lacks_its_french() {
        let sources = [
            include_str!("components/layout.rs"),
            include_str!("routes/clauses.rs"),
            include_str!("routes/home.rs"),
            include_str!("routes/members.rs"),
            include_str!("routes/not_found.rs"),
            include_str!("routes/public_comments.rs"),
            include_str!("routes/public_decisions.rs"),
            include_str!("routes/rules.rs"),
            include_str!("routes/sign_in.rs"),
            include_str!("routes/dashboard.rs"),
            include_str!("routes/account.rs"),
            include_str!("routes/invite.rs"),
            include_str!("routes/cases.rs"),
            include_str!("routes/discussion.rs"),
            include_str!("routes/voting.rs"),
            include_str!("routes/decision.rs"),
            include_str!("routes/admin.rs"),
        ];
        let mut missing = Vec::new();
        let mut seen = 0;
        for source in sources {
            for (_, rest) in source
                .match_indices("t(locale, \"")
                .map(|(i, m)| source.split_at(i + m.len()))
            {
                let Some(end) = rest.find('"') else { continue };
                let text = &rest[..end];
                seen += 1;
                if !text.contains('\\') && french(text).is_none() {
                    missing.push(text);
                }
            }
        }
        assert!(seen > 100, "only {seen} texts found");
        assert!(missing.is_empty(), "no French for: {missing:#?}");
    }
}
