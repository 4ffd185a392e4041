//! English and French. The language is the reader's choice (the
//! `tribune_lang` cookie set by the header's switch), else the browser's
//! preference (`Accept-Language`), else English. The server writes it as
//! `<html lang>`, from which the browser bundle reads it when hydrating,
//! so both render the same text.
//!
//! Texts are looked up by their English wording: [`t`] returns the French
//! one when there is one (the table is `french.rs`; the browser bundle does
//! not carry it, but reads the copy the server sends French pages:
//! [`tables`]). Texts with numbers or names in them have their own
//! functions here.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

mod fields;
#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
mod french;
mod message_texts;
mod messages;
mod tables;
#[cfg(feature = "ssr")]
pub use fields::field_errors;
pub use fields::field_label;
pub use messages::{error_text, message};
#[cfg(feature = "ssr")]
pub use tables::{Script, script};

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

    /// A moment as people read it, in UTC (the server does not know the
    /// reader's time zone; the exact instant is in the `<time>` element):
    /// "7 December 2026, 14:05 UTC", "7 décembre 2026 à 14 h 05 UTC".
    pub fn date_time(self, at: domain::Timestamp) -> String {
        let seconds = at.0.rem_euclid(86_400);
        let (hours, minutes) = (seconds / 3600, (seconds / 60) % 60);
        match self {
            Self::En => format!("{}, {hours:02}:{minutes:02} UTC", self.date(at.date())),
            Self::Fr => format!("{} à {hours} h {minutes:02} UTC", self.date(at.date())),
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

/// What the platform did before escalating, in the reader's language.
pub fn action_name(locale: Locale, action: domain::cases::PlatformAction) -> &'static str {
    use domain::cases::PlatformAction as A;
    match (locale, action) {
        (Locale::En, A::Removed) => "removed",
        (Locale::En, A::Restricted) => "restricted",
        (Locale::En, A::Labelled) => "labelled",
        (Locale::En, A::AccountSuspended) => "account suspended",
        (Locale::En, A::AccountBanned) => "account banned",
        (Locale::En, A::NoAction) => "no action",
        (Locale::Fr, A::Removed) => "retiré",
        (Locale::Fr, A::Restricted) => "restreint",
        (Locale::Fr, A::Labelled) => "signalé par une mention",
        (Locale::Fr, A::AccountSuspended) => "compte suspendu",
        (Locale::Fr, A::AccountBanned) => "compte banni",
        (Locale::Fr, A::NoAction) => "aucune mesure",
    }
}

/// How a case ended, in the reader's language: what the record says of a
/// decision whose motions stated their effects.
pub fn ruling_name(locale: Locale, ruling: domain::consistency::Ruling) -> &'static str {
    use domain::consistency::Ruling;
    match (locale, ruling) {
        (Locale::En, Ruling::Upheld) => "platform's action upheld",
        (Locale::En, Ruling::Overturned) => "platform's action overturned",
        (Locale::En, Ruling::Reinstated) => "account reinstated",
        (Locale::En, Ruling::ReinstatementRefused) => "reinstatement refused",
        (Locale::En, Ruling::RestoredWithLabel) => "restored with a label",
        (Locale::En, Ruling::NoRuling) => "no ruling",
        (Locale::Fr, Ruling::Upheld) => "décision de la plateforme confirmée",
        (Locale::Fr, Ruling::Overturned) => "décision de la plateforme annulée",
        (Locale::Fr, Ruling::Reinstated) => "compte réintégré",
        (Locale::Fr, Ruling::ReinstatementRefused) => "réintégration refusée",
        (Locale::Fr, Ruling::RestoredWithLabel) => "rétabli avec une mention",
        (Locale::Fr, Ruling::NoRuling) => "pas de décision sur le fond",
    }
}

/// What carrying a motion means, in the reader's language ("If carried:
/// …").
pub fn effect_name(locale: Locale, effect: domain::voting::Effect) -> &'static str {
    use domain::voting::Effect;
    match (locale, effect) {
        (Locale::En, Effect::Uphold) => "the platform's action is upheld",
        (Locale::En, Effect::Overturn) => "the platform's action is overturned",
        (Locale::En, Effect::Reinstate) => "the account is reinstated",
        (Locale::En, Effect::RefuseReinstatement) => "the account's reinstatement is refused",
        (Locale::En, Effect::RestoreWithLabel) => "the post is restored with a label",
        (Locale::Fr, Effect::Uphold) => "la décision de la plateforme est confirmée",
        (Locale::Fr, Effect::Overturn) => "la décision de la plateforme est annulée",
        (Locale::Fr, Effect::Reinstate) => "le compte est réintégré",
        (Locale::Fr, Effect::RefuseReinstatement) => "la réintégration du compte est refusée",
        (Locale::Fr, Effect::RestoreWithLabel) => "la publication est rétablie avec une mention",
    }
}

/// "If carried: " before an effect.
pub fn if_carried(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "If carried: ",
        Locale::Fr => "Si elle est adoptée : ",
    }
}

/// The draft form's label for the effect.
pub fn effect_question(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "What carrying it means",
        Locale::Fr => "Ce que signifie son adoption",
    }
}

/// The draft form's choice of no stated effect.
pub fn effect_unsaid(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "Not said (a finding on the policy)",
        Locale::Fr => "Non précisé (un constat sur la politique)",
    }
}

pub fn effect_hint(locale: Locale) -> &'static str {
    match locale {
        Locale::En => {
            "Logged with the motion when voting opens, so the public record can say how the case ended in plain words. Not for choice motions: their remedies say it."
        }
        Locale::Fr => {
            "Inscrit au journal avec la motion à l'ouverture du vote, pour que le registre public dise en clair comment l'affaire s'est terminée. Pas pour les motions à choix : leurs mesures le disent."
        }
    }
}

/// The button that signs and opens a vote.
pub fn sign_opening(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "Sign and open voting on this motion",
        Locale::Fr => "Signer et ouvrir le vote sur cette motion",
    }
}

/// The button that signs and assigns a panel.
pub fn sign_panel(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "Sign and assign this panel",
        Locale::Fr => "Signer et désigner cette formation",
    }
}

/// The button that signs and publishes a decision.
pub fn sign_publication(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "Sign and publish the decision",
        Locale::Fr => "Signer et publier la décision",
    }
}

/// Said where a chair's act is signed, before the page is interactive.
pub fn chair_signs_with_js(locale: Locale) -> &'static str {
    match locale {
        Locale::En => {
            "The chair signs this act with their own key, in the browser: it needs JavaScript."
        }
        Locale::Fr => {
            "Le président signe cet acte avec sa propre clé, dans le navigateur : il faut JavaScript."
        }
    }
}

/// The accessible name of the header's link to a member's account.
pub fn your_account(locale: Locale, name: &str) -> String {
    match locale {
        Locale::En => format!("Your account ({name})"),
        Locale::Fr => format!("Votre compte ({name})"),
    }
}

/// "Ruling: " before a ruling.
pub fn ruling_label(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "Ruling: ",
        Locale::Fr => "Décision : ",
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

/// A tier row's rulings: "3 reinstatement refused · 1 account reinstated",
/// or a dash when none of its decisions had a ruling.
pub fn rulings_cell(
    locale: Locale,
    rulings: &std::collections::BTreeMap<domain::consistency::Ruling, u32>,
) -> String {
    if rulings.is_empty() {
        return "—".to_owned();
    }
    rulings
        .iter()
        .map(|(r, n)| {
            format!(
                "{} {}",
                locale.number(u64::from(*n)),
                ruling_name(locale, *r)
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The sentence of a divergence between ordinary and more prominent
/// accounts' rulings on one kind of case.
pub fn divergence(locale: Locale, d: &domain::consistency::Divergence) -> String {
    let kind = kind_name(locale, d.kind);
    let (o, p) = (&d.ordinary, &d.prominent);
    let (o_ruling, p_ruling) = (ruling_name(locale, o.ruling), ruling_name(locale, p.ruling));
    match locale {
        Locale::En => format!(
            "{kind} cases: on ordinary accounts, mostly {o_ruling} ({} of {}); on notable or more prominent accounts, mostly {p_ruling} ({} of {}).",
            o.count, o.of, p.count, p.of
        ),
        Locale::Fr => format!(
            "Affaires de type {kind} : pour les comptes ordinaires, surtout « {o_ruling} » ({} sur {}) ; pour les comptes notables ou plus en vue, surtout « {p_ruling} » ({} sur {}).",
            o.count, o.of, p.count, p.of
        ),
    }
}

/// "Compare" before a pair of cases.
pub fn compare(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "Compare ",
        Locale::Fr => "Comparer ",
    }
}

/// " (ordinary) with " between the two cases of a pair.
pub fn pair_with(locale: Locale) -> &'static str {
    match locale {
        Locale::En => " (ordinary account) with ",
        Locale::Fr => " (compte ordinaire) avec ",
    }
}

/// The tier in brackets after the second case of a pair.
pub fn pair_tier(locale: Locale, tier: domain::cases::Tier) -> String {
    match locale {
        Locale::En => format!(" ({} account)", tier_name(locale, tier)),
        Locale::Fr => format!(" (compte {})", tier_name(locale, tier)),
    }
}

pub fn divergence_title(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "Ordinary and prominent accounts",
        Locale::Fr => "Comptes ordinaires et comptes en vue",
    }
}

pub fn divergence_intro(locale: Locale) -> &'static str {
    match locale {
        Locale::En => {
            "For each kind of case, how decisions under this clause mostly ended for ordinary accounts and for notable or more prominent ones, in plain words (from what each motion said carrying it means). Where the two differ, the pairs of cases to read side by side are listed."
        }
        Locale::Fr => {
            "Pour chaque type d'affaire, comment les décisions sous cette clause se sont surtout terminées pour les comptes ordinaires et pour les comptes notables ou plus en vue, en clair (d'après ce que chaque motion disait de son adoption). Là où les deux diffèrent, les paires d'affaires à lire côte à côte sont listées."
        }
    }
}

pub fn no_divergence(locale: Locale) -> &'static str {
    match locale {
        Locale::En => {
            "No divergence: where both ordinary and more prominent accounts have decisions with a ruling, they mostly ended the same way."
        }
        Locale::Fr => {
            "Aucun écart : là où comptes ordinaires et comptes plus en vue ont des décisions avec une issue en clair, elles se sont surtout terminées de la même façon."
        }
    }
}

pub fn divergent(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "Diverges: ",
        Locale::Fr => "Écart : ",
    }
}

pub fn rulings_column(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "Rulings",
        Locale::Fr => "Issues en clair",
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

/// How many public statements the clerk has approved and rejected on a case.
pub fn screened_statements(locale: Locale, approved: usize, rejected: usize) -> String {
    match locale {
        Locale::En => {
            format!("Statements approved so far: {approved}; rejected by the clerk: {rejected}.")
        }
        Locale::Fr => format!(
            "Déclarations approuvées à ce jour : {approved} ; rejetées par le greffe : {rejected}."
        ),
    }
}

/// A vote's choice in the reader's language: the usual three translated,
/// a remedy's own words as the motion gave them.
pub fn choice_word(locale: Locale, choice: &str) -> String {
    match choice {
        "support" => t(locale, "support").to_owned(),
        "oppose" => t(locale, "oppose").to_owned(),
        "abstain" => t(locale, "abstain").to_owned(),
        remedy => remedy.to_owned(),
    }
}

/// A browser as a person names it ("Firefox on Linux", "Chrome sur
/// Android") from its user-agent string; the full string is shown on hover.
/// A few substring checks name the browsers and systems people use; a
/// user-agent database (`ua-parser`: hundreds of regular expressions built
/// at start) is more than a list of one's own sessions needs.
pub fn browser_name(locale: Locale, user_agent: &str) -> String {
    let has = |part: &str| user_agent.contains(part);
    let browser = if has("Edg/") {
        Some("Edge")
    } else if has("OPR/") || has("Opera") {
        Some("Opera")
    } else if has("Firefox/") || has("FxiOS/") {
        Some("Firefox")
    } else if has("Chromium/") || has("HeadlessChrome/") {
        Some("Chromium")
    } else if has("Chrome/") || has("CriOS/") {
        Some("Chrome")
    } else if has("Safari/") {
        Some("Safari")
    } else if has("curl/") {
        Some("curl")
    } else {
        None
    };
    let system = if has("Android") {
        Some("Android")
    } else if has("iPhone") || has("iPad") {
        Some("iOS")
    } else if has("Windows") {
        Some("Windows")
    } else if has("CrOS") {
        Some("ChromeOS")
    } else if has("Macintosh") || has("Mac OS X") {
        Some("macOS")
    } else if has("Linux") {
        Some("Linux")
    } else {
        None
    };
    match (locale, browser, system) {
        (Locale::En, Some(b), Some(s)) => format!("{b} on {s}"),
        (Locale::Fr, Some(b), Some(s)) => format!("{b} sur {s}"),
        (_, Some(b), None) => b.to_owned(),
        (Locale::En, None, Some(s)) => format!("a browser on {s}"),
        (Locale::Fr, None, Some(s)) => format!("un navigateur sur {s}"),
        (Locale::En, None, None) => "an unknown browser".to_owned(),
        (Locale::Fr, None, None) => "un navigateur inconnu".to_owned(),
    }
}

/// Beside a revealed sealed vote: the log entry of its commitment.
pub fn commitment_entry(locale: Locale, index: u64) -> String {
    match locale {
        Locale::En => format!(" (commitment {index})"),
        Locale::Fr => format!(" (engagement {index})"),
    }
}

/// How far past its stage's deadline a case is now.
pub fn days_past_deadline(locale: Locale, days: i64) -> String {
    match (locale, days) {
        (Locale::En, 1) => "1 day past its deadline".to_owned(),
        (Locale::En, n) => format!("{n} days past its deadline"),
        (Locale::Fr, 1) => "1 jour après son échéance".to_owned(),
        (Locale::Fr, n) => format!("{n} jours après son échéance"),
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
    let choice_word = |choice: &str| choice_word(locale, choice);
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
    with_first_in_case(text, true)
}

/// `text` with its first letter in upper or lower case.
pub(crate) fn with_first_in_case(text: &str, upper: bool) -> String {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out = letter_in_case(first, upper);
    out.push_str(chars.as_str());
    out
}

#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
fn letter_in_case(letter: char, upper: bool) -> String {
    if upper {
        letter.to_uppercase().collect()
    } else {
        letter.to_lowercase().collect()
    }
}

/// In the browser, the browser's own case mapping: Rust's would bring its
/// Unicode case tables (24 KB) into the bundle.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn letter_in_case(letter: char, upper: bool) -> String {
    let letter = leptos::web_sys::js_sys::JsString::from(letter);
    String::from(if upper {
        letter.to_upper_case()
    } else {
        letter.to_lower_case()
    })
}

/// The French of an English text, when there is one.
fn french(english: &str) -> Option<&'static str> {
    tables::text(english)
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
    fn moments_and_platform_actions_read_as_words_in_both_languages() {
        // 2026-12-07T14:05:09Z
        let at = domain::Timestamp(1_796_652_309);
        assert_eq!(at.to_rfc3339(), "2026-12-07T14:05:09Z");
        assert_eq!(Locale::En.date_time(at), "7 December 2026, 14:05 UTC");
        assert_eq!(Locale::Fr.date_time(at), "7 décembre 2026 à 14 h 05 UTC");
        for action in domain::cases::PlatformAction::ALL {
            for locale in Locale::ALL {
                let name = action_name(locale, *action);
                assert!(!name.contains('_'), "{name}");
            }
            assert_ne!(
                action_name(Locale::En, *action),
                action_name(Locale::Fr, *action)
            );
        }
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

    #[test]
    fn a_browser_is_named_as_people_name_it() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        let chrome_android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
        let safari_iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        assert_eq!(browser_name(Locale::En, firefox), "Firefox on Linux");
        assert_eq!(
            browser_name(Locale::Fr, chrome_android),
            "Chrome sur Android"
        );
        assert_eq!(browser_name(Locale::En, safari_iphone), "Safari on iOS");
        assert_eq!(browser_name(Locale::En, edge), "Edge on Windows");
        assert_eq!(browser_name(Locale::En, "curl/8.5.0"), "curl");
        assert_eq!(browser_name(Locale::Fr, ""), "un navigateur inconnu");
    }

    /// Every `t(locale, …)` in the app's source has its French: every
    /// file under `src/`, found by walking the directory (no list to keep).
    #[test]
    fn no_text_of_a_translated_page_lacks_its_french() {
        fn rust_files(dir: &std::path::Path, found: &mut Vec<(String, String)>) {
            let mut entries: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            for path in entries {
                if path.is_dir() {
                    rust_files(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    found.push((path.display().to_string(), text));
                }
            }
        }
        let mut files = Vec::new();
        rust_files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        assert!(files.len() > 30, "only {} source files found", files.len());
        let sources: Vec<&str> = files.iter().map(|(_, text)| text.as_str()).collect();
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
