//! Pictures drawn as SVG on the server, so they show without JavaScript:
//! a tally as stacked bars (overall and per group) and a case's lifecycle
//! against its deadlines. Each has a text alternative; the numbers are also
//! in the tables next to them.

use crate::i18n::{Locale, t, use_locale};
use domain::public::Stage;
use domain::voting::Tally;
use leptos::prelude::*;

/// Width of the drawing, in SVG units.
const WIDTH: f64 = 640.0;
/// Where bars start (labels are left of it).
const BAR_X: f64 = 210.0;
const BAR_WIDTH: f64 = WIDTH - BAR_X - 10.0;
const ROW: f64 = 30.0;

/// The class of a choice's colour: the usual three have their own, named
/// remedies take the others in turn.
fn choice_class(choice: &str, position: usize) -> String {
    match choice {
        "support" => "seg-support".to_owned(),
        "oppose" => "seg-oppose".to_owned(),
        "abstain" => "seg-abstain".to_owned(),
        _ => format!("seg-{}", position % 4),
    }
}

/// A tally as stacked bars: one row for everyone, one per group; each bar
/// is the group's eligible members, split by choice, the rest not voting.
#[component]
pub fn TallyChart(tally: Tally, #[prop(into)] id: String) -> impl IntoView {
    let locale = use_locale();
    let choices: Vec<String> = tally.counts.keys().cloned().collect();
    let mut rows: Vec<(String, u32, u32, Vec<u32>)> = vec![(
        t(locale, "All members").to_owned(),
        tally.eligible,
        tally.voted,
        choices
            .iter()
            .map(|c| tally.counts.get(c).copied().unwrap_or(0))
            .collect(),
    )];
    rows.extend(tally.groups.iter().map(|g| {
        (
            g.group.clone(),
            g.eligible,
            g.voted,
            choices
                .iter()
                .map(|c| g.counts.get(c).copied().unwrap_or(0))
                .collect(),
        )
    }));
    let height = ROW * rows.len() as f64 + 6.0;
    let summary = rows
        .iter()
        .map(|(label, eligible, voted, counts)| {
            let parts: Vec<String> = choices
                .iter()
                .zip(counts)
                .map(|(c, n)| format!("{n} {}", crate::i18n::choice_word(locale, c)))
                .collect();
            match locale {
                Locale::En => format!(
                    "{label}: {voted} of {eligible} voted — {}",
                    parts.join(", ")
                ),
                Locale::Fr => format!(
                    "{label} : {voted} sur {eligible} ont voté — {}",
                    parts.join(", ")
                ),
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let title_id = format!("{id}-title");
    let legend: Vec<(String, String)> = choices
        .iter()
        .enumerate()
        .map(|(i, c)| (crate::i18n::choice_word(locale, c), choice_class(c, i)))
        .chain(std::iter::once((
            t(locale, "did not vote").to_owned(),
            "seg-none".to_owned(),
        )))
        .collect();
    view! {
        <figure class="chart tally-chart" id=id.clone()>
            <svg
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                aria-labelledby=title_id.clone()
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=title_id.clone()>{summary}</title>
                {rows.into_iter().enumerate().map(|(row, (label, eligible, _voted, counts))| {
                    let y = ROW * row as f64 + 4.0;
                    let scale = if eligible == 0 { 0.0 } else { BAR_WIDTH / f64::from(eligible) };
                    let mut x = BAR_X;
                    let mut segments = Vec::new();
                    let mut counted = 0;
                    for (i, (choice, n)) in choices.iter().zip(&counts).enumerate() {
                        counted += n;
                        let w = f64::from(*n) * scale;
                        if w > 0.0 {
                            segments.push((x, w, choice_class(choice, i), *n));
                        }
                        x += w;
                    }
                    let rest = eligible.saturating_sub(counted);
                    if rest > 0 {
                        segments.push((x, f64::from(rest) * scale, "seg-none".to_owned(), rest));
                    }
                    view! {
                        <g class:total=row == 0>
                            <text x="0" y=y + 16.0 class="chart-label">{label}</text>
                            <rect x=BAR_X y=y width=BAR_WIDTH height="20" class="seg-frame" />
                            {segments.into_iter().map(|(x, w, class, n)| view! {
                                <rect x=x y=y width=w height="20" class=class />
                                {(w >= 18.0).then(|| view! {
                                    <text x=x + w / 2.0 y=y + 15.0 class="chart-count" text-anchor="middle">{n}</text>
                                })}
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                <ul class="legend">
                    {legend.into_iter().map(|(label, class)| view! {
                        <li><span class=format!("swatch {class}") aria-hidden="true"></span>{label}</li>
                    }).collect_view()}
                </ul>
            </figcaption>
        </figure>
    }
}

/// How long a stage took, in words.
fn duration(locale: Locale, seconds: i64) -> String {
    let days = seconds / 86_400;
    let hours = seconds / 3600;
    match (locale, days) {
        (Locale::En, 0) if hours <= 1 => "under an hour".to_owned(),
        (Locale::Fr, 0) if hours <= 1 => "moins d'une heure".to_owned(),
        (Locale::En, 0) => format!("{hours} hours"),
        (Locale::Fr, 0) => format!("{hours} heures"),
        (Locale::En, 1) => "1 day".to_owned(),
        (Locale::Fr, 1) => "1 jour".to_owned(),
        (Locale::En, n) => format!("{n} days"),
        (Locale::Fr, n) => format!("{n} jours"),
    }
}

/// A stage of the timeline in words: its name, when it began, how long it
/// took and how that compares with its deadline.
fn stage_words(locale: Locale, stage: &Stage) -> String {
    let name = t(locale, stage_label(stage.status));
    let when = locale.date(domain::Timestamp(stage.entered_at).date());
    let took = stage
        .left_at
        .map(|left| duration(locale, left - stage.entered_at));
    let late = stage.days_late;
    match (locale, took, stage.deadline) {
        (Locale::En, Some(took), Some(_)) if late > 0 => format!(
            "{name}: from {when}, {took}; left {late} day{} after its deadline",
            if late == 1 { "" } else { "s" }
        ),
        (Locale::Fr, Some(took), Some(_)) if late > 0 => format!(
            "{name} : à partir du {when}, {took} ; quittée {late} jour{} après son échéance",
            if late == 1 { "" } else { "s" }
        ),
        (Locale::En, Some(took), Some(_)) => {
            format!("{name}: from {when}, {took}; within its deadline")
        }
        (Locale::Fr, Some(took), Some(_)) => {
            format!("{name} : à partir du {when}, {took} ; dans son échéance")
        }
        (Locale::En, Some(took), None) => format!("{name}: from {when}, {took}"),
        (Locale::Fr, Some(took), None) => format!("{name} : à partir du {when}, {took}"),
        (Locale::En, None, _) => format!("{name}: since {when}"),
        (Locale::Fr, None, _) => format!("{name} : depuis le {when}"),
    }
}

/// A stage's name as the timeline shows it.
pub fn stage_label(status: domain::cases::CaseStatus) -> &'static str {
    use domain::cases::CaseStatus;
    match status {
        CaseStatus::Intake => "Intake",
        CaseStatus::Accepted => "Accepted",
        CaseStatus::Deliberation => "Deliberation",
        CaseStatus::Voting => "Voting",
        CaseStatus::Decided => "Decided",
        CaseStatus::Published => "Published",
        CaseStatus::Declined => "Declined",
        CaseStatus::Withdrawn => "Withdrawn",
    }
}

/// The case's stages along time, each against its deadline (a tick) with
/// the time past it marked; a list says the same in words.
#[component]
pub fn Timeline(stages: Vec<Stage>) -> impl IntoView {
    let locale = use_locale();
    let done: Vec<&Stage> = stages.iter().filter(|s| s.left_at.is_some()).collect();
    let start = stages.first().map_or(0, |s| s.entered_at);
    let end = stages
        .iter()
        .flat_map(|s| {
            [
                Some(s.entered_at),
                s.left_at,
                s.deadline.filter(|_| s.left_at.is_some()),
            ]
        })
        .flatten()
        .max()
        .unwrap_or(start);
    let span = (end - start).max(1) as f64;
    let x_of = |t: i64| BAR_X + (t - start) as f64 / span * BAR_WIDTH;
    let height = ROW * done.len() as f64 + 6.0;
    let rows: Vec<AnyView> = done
        .iter()
        .enumerate()
        .map(|(row, stage)| {
            let y = ROW * row as f64 + 4.0;
            let left = stage.left_at.unwrap_or(stage.entered_at);
            let x0 = x_of(stage.entered_at);
            let x1 = x_of(left).max(x0 + 2.0);
            let deadline = stage.deadline.map(x_of);
            let late_from = deadline.filter(|d| *d < x1);
            view! {
                <g>
                    <text x="0" y=y + 16.0 class="chart-label">{t(locale, stage_label(stage.status))}</text>
                    <rect x=x0 y=y width=x1 - x0 height="20" class="seg-stage" />
                    {late_from.map(|d| view! { <rect x=d y=y width=x1 - d height="20" class="seg-late" /> })}
                    {deadline.map(|d| view! { <line x1=d x2=d y1=y - 2.0 y2=y + 22.0 class="deadline-tick" /> })}
                </g>
            }
            .into_any()
        })
        .collect();
    let words: Vec<String> = stages.iter().map(|s| stage_words(locale, s)).collect();
    view! {
        <figure class="chart timeline-chart">
            {(!done.is_empty()).then(|| view! {
                <svg viewBox=format!("0 0 {WIDTH} {height}") aria-hidden="true" preserveAspectRatio="xMinYMin meet">
                    {rows}
                </svg>
            })}
            <figcaption>
                <ol class="stages">
                    {words.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                </ol>
                <ul class="legend">
                    <li><span class="swatch seg-stage" aria-hidden="true"></span>{t(locale, "time in the stage")}</li>
                    <li><span class="swatch seg-late" aria-hidden="true"></span>{t(locale, "past its deadline")}</li>
                </ul>
            </figcaption>
        </figure>
    }
}

/// The class of an outcome's colour in the consistency charts.
fn outcome_class(position: usize) -> &'static str {
    match position {
        0 => "seg-support",
        1 => "seg-oppose",
        _ => "seg-abstain",
    }
}

/// A clause's outcomes per kind of case and tier, as stacked bars of the
/// same length (shares, not counts), so that tiers compare at a glance.
#[component]
pub fn OutcomeChart(
    rows: Vec<domain::consistency::TierRow>,
    #[prop(into)] id: String,
) -> impl IntoView {
    use crate::i18n::{kind_name, tier_name};
    const NAMES: [&str; 3] = ["carried", "not carried", "no decision"];
    let locale = use_locale();
    let summary = rows
        .iter()
        .map(|r| {
            let (kind, tier) = (kind_name(locale, r.kind), tier_name(locale, r.tier));
            let [carried, not, none] = r.counts;
            let total = r.total();
            match locale {
                Locale::En => format!(
                    "{kind} cases, {tier} accounts: {total} decisions, {carried} carried, {not} not carried, {none} without a decision"
                ),
                Locale::Fr => format!(
                    "affaires de {kind}, comptes {tier} : {total} décisions, {carried} adoptées, {not} rejetées, {none} sans décision"
                ),
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let height = ROW * rows.len() as f64 + 6.0;
    let title_id = format!("{id}-title");
    view! {
        <figure class="chart outcome-chart" id=id.clone()>
            <svg
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                aria-labelledby=title_id.clone()
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=title_id.clone()>{summary}</title>
                {rows.into_iter().enumerate().map(|(row, r)| {
                    let y = ROW * row as f64 + 4.0;
                    let total = r.total();
                    let scale = if total == 0 { 0.0 } else { BAR_WIDTH / f64::from(total) };
                    let mut x = BAR_X;
                    let mut segments = Vec::new();
                    for (i, n) in r.counts.iter().enumerate() {
                        let w = f64::from(*n) * scale;
                        if w > 0.0 {
                            segments.push((x, w, outcome_class(i), *n));
                        }
                        x += w;
                    }
                    let label = format!("{} · {} ({total})", kind_name(locale, r.kind), tier_name(locale, r.tier));
                    view! {
                        <g>
                            <text x="0" y=y + 16.0 class="chart-label">{label}</text>
                            <rect x=BAR_X y=y width=BAR_WIDTH height="20" class="seg-frame" />
                            {segments.into_iter().map(|(x, w, class, n)| view! {
                                <rect x=x y=y width=w height="20" class=class />
                                {(w >= 18.0).then(|| view! {
                                    <text x=x + w / 2.0 y=y + 15.0 class="chart-count" text-anchor="middle">{n}</text>
                                })}
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                <ul class="legend">
                    {NAMES.iter().enumerate().map(|(i, label)| view! {
                        <li><span class=format!("swatch {}", outcome_class(i)) aria-hidden="true"></span>{t(locale, label)}</li>
                    }).collect_view()}
                </ul>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::cases::CaseStatus;

    #[test]
    fn the_timeline_reads_in_both_languages() {
        let day = 86_400;
        let late = Stage {
            status: CaseStatus::Deliberation,
            entered_at: 1_796_000_000,
            left_at: Some(1_796_000_000 + 9 * day),
            deadline: Some(1_796_000_000 + 7 * day),
            days_late: 2,
            reason: None,
        };
        assert_eq!(
            stage_words(Locale::En, &late),
            "Deliberation: from 30 November 2026, 9 days; left 2 days after its deadline"
        );
        assert_eq!(
            stage_words(Locale::Fr, &late),
            "Délibération : à partir du 30 novembre 2026, 9 jours ; quittée 2 jours après son échéance"
        );
        let open = Stage {
            left_at: None,
            days_late: 0,
            ..late.clone()
        };
        assert_eq!(
            stage_words(Locale::Fr, &open),
            "Délibération : depuis le 30 novembre 2026"
        );
        assert_eq!(duration(Locale::Fr, 3_000), "moins d'une heure");
        assert_eq!(duration(Locale::Fr, 5 * 3600), "5 heures");
    }
}
