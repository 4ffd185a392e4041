//! Pictures drawn as SVG on the server, so they show without JavaScript:
//! a tally as stacked bars (overall and per group) and a case's lifecycle
//! against its deadlines. Each has a text alternative; the numbers are also
//! in the tables next to them.

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
    let choices: Vec<String> = tally.counts.keys().cloned().collect();
    let mut rows: Vec<(String, u32, u32, Vec<u32>)> = vec![(
        "All members".to_owned(),
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
                .map(|(c, n)| format!("{n} {c}"))
                .collect();
            format!(
                "{label}: {voted} of {eligible} voted — {}",
                parts.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let title_id = format!("{id}-title");
    let legend: Vec<(String, String)> = choices
        .iter()
        .enumerate()
        .map(|(i, c)| (c.clone(), choice_class(c, i)))
        .chain(std::iter::once((
            "did not vote".to_owned(),
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
fn duration(seconds: i64) -> String {
    let days = seconds / 86_400;
    match days {
        0 => {
            let hours = seconds / 3600;
            if hours <= 1 {
                "under an hour".to_owned()
            } else {
                format!("{hours} hours")
            }
        }
        1 => "1 day".to_owned(),
        n => format!("{n} days"),
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
                    <text x="0" y=y + 16.0 class="chart-label">{stage_label(stage.status)}</text>
                    <rect x=x0 y=y width=x1 - x0 height="20" class="seg-stage" />
                    {late_from.map(|d| view! { <rect x=d y=y width=x1 - d height="20" class="seg-late" /> })}
                    {deadline.map(|d| view! { <line x1=d x2=d y1=y - 2.0 y2=y + 22.0 class="deadline-tick" /> })}
                </g>
            }
            .into_any()
        })
        .collect();
    let words: Vec<String> = stages
        .iter()
        .map(|s| {
            let name = stage_label(s.status);
            let when = domain::Timestamp(s.entered_at).date().to_string();
            match (s.left_at, s.deadline) {
                (Some(left), Some(_)) if s.days_late > 0 => format!(
                    "{name}: from {when}, {}; left {} day{} after its deadline",
                    duration(left - s.entered_at),
                    s.days_late,
                    if s.days_late == 1 { "" } else { "s" }
                ),
                (Some(left), Some(_)) => format!(
                    "{name}: from {when}, {}; within its deadline",
                    duration(left - s.entered_at)
                ),
                (Some(left), None) => {
                    format!("{name}: from {when}, {}", duration(left - s.entered_at))
                }
                (None, _) => format!("{name}: since {when}"),
            }
        })
        .collect();
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
                    <li><span class="swatch seg-stage" aria-hidden="true"></span>"time in the stage"</li>
                    <li><span class="swatch seg-late" aria-hidden="true"></span>"past its deadline"</li>
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
    use crate::i18n::{Locale, kind_name, t, tier_name};
    const NAMES: [&str; 3] = ["carried", "not carried", "no decision"];
    let locale = crate::i18n::use_locale();
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
