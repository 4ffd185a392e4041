//! Motions and votes on a case: the chair drafts motions, opens voting and
//! may close it early once everyone voted; members vote with their own key
//! (signed in the browser). While a motion is sealed nobody, admins
//! included, sees choices or running tallies here: only who voted and when.

use crate::error::AppError;
use domain::Timestamp;
use domain::voting::{MotionKind, Rules, Tally};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One vote as the case page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteView {
    pub member: String,
    pub group: String,
    pub sequence: u32,
    /// `None` while the motion is sealed.
    pub choice: Option<String>,
    pub reason: Option<String>,
    /// Replaced by a later vote of the same member.
    pub replaced: bool,
    pub log_index: u64,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollView {
    pub member: u64,
    pub name: String,
    pub group: String,
    pub voted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MotionView {
    pub id: u64,
    pub kind: MotionKind,
    pub text: String,
    /// What carrying it means, if the chair said.
    pub effect: Option<domain::voting::Effect>,
    pub choices: Vec<String>,
    /// `draft`, `open` or `closed`.
    pub state: String,
    pub opened_index: Option<u64>,
    pub closes_at: Option<Timestamp>,
    pub rules: Option<Rules>,
    pub sealed: bool,
    pub roll: Vec<RollView>,
    pub votes: Vec<VoteView>,
    pub tally: Option<Tally>,
    pub closed_index: Option<u64>,
    /// The signed-in member's next vote number, if they may vote now.
    pub my_next: Option<u32>,
    /// When the signed-in member last voted (without the choice).
    pub my_last_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VotingView {
    pub motions: Vec<MotionView>,
    /// Whether the signed-in member may draft, open and close (the chair).
    pub may_run: bool,
    /// The case is in its voting stage (voting may open).
    pub voting_stage: bool,
    /// The case is open (motions may be drafted).
    pub open: bool,
    /// The rules a motion opened now would be voted under.
    pub rules: Rules,
    pub rules_text: String,
    pub me: u64,
    pub now: Timestamp,
    /// The case's panel, if assigned: (id, name, group).
    pub panel: Option<Vec<PanelMember>>,
    /// Whether the chair may (re)assign the panel: the case is open and no
    /// motion has been opened on it.
    pub panel_open: bool,
    /// Who may sit on a panel now (the eligible roll) and the proposal.
    pub eligible: Vec<PanelMember>,
    pub proposal: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelMember {
    pub member: u64,
    pub name: String,
    pub group: String,
}

/// The motions of a case with what the signed-in member may see of them.
#[server(endpoint = "voting")]
pub async fn get_voting(case: u64) -> Result<VotingView, AppError> {
    use super::ssr;
    use domain::cases::CaseId;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::ReadCases).await?;
            let storage = ssr::storage()?;
            let id = CaseId(case);
            let status = storage.case_status(id).await?.ok_or(AppError::NotFound)?;
            let members = storage.members().await?;
            let name = |id: domain::statement::MemberId| {
                members
                    .iter()
                    .find(|m| m.id == id)
                    .map(|m| (m.name.as_str().to_owned(), m.group.as_str().to_owned()))
                    .unwrap_or_else(|| (format!("Member {id}"), String::new()))
            };
            let now = storage::now();
            let mut motions = Vec::new();
            for motion in storage.motions(id).await? {
                let votes = storage.votes(motion.id).await?;
                let sealed = motion.is_sealed_now();
                let mut views: Vec<VoteView> = Vec::with_capacity(votes.len());
                for vote in &votes {
                    let replaced = votes
                        .iter()
                        .any(|v| v.member == vote.member && v.sequence > vote.sequence);
                    views.push(VoteView {
                        member: vote.member_name.clone(),
                        group: name(vote.member).1,
                        sequence: vote.sequence,
                        choice: (!sealed).then(|| vote.choice.clone()),
                        reason: (!sealed).then(|| vote.reason.clone()).flatten(),
                        replaced,
                        log_index: vote.log_index,
                        at: vote.cast_at,
                    });
                }
                let opening = motion.opened.as_ref().map(|(_, body)| body);
                let roll = opening
                    .map(|body| {
                        body.roll
                            .iter()
                            .map(|m| RollView {
                                member: m.member.0,
                                name: name(m.member).0,
                                group: m.group.clone(),
                                voted: votes.iter().any(|v| v.member == m.member),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let mine: Vec<_> = votes.iter().filter(|v| v.member == member.id).collect();
                let may_vote = motion.is_open()
                    && opening.is_some_and(|b| b.on_roll(member.id) && now.0 < b.closes_at);
                motions.push(MotionView {
                    id: motion.id.0,
                    kind: motion.kind,
                    text: motion.text.clone(),
                    effect: motion.effect,
                    choices: domain::voting::MotionDraft {
                        kind: motion.kind,
                        text: motion.text.clone(),
                        remedies: motion.remedies.clone(),
                        effect: motion.effect,
                    }
                    .choices(),
                    state: match (&motion.opened, &motion.closed) {
                        (None, _) => "draft",
                        (Some(_), None) => "open",
                        (Some(_), Some(_)) => "closed",
                    }
                    .to_owned(),
                    opened_index: motion.opened.as_ref().map(|(i, _)| *i),
                    closes_at: opening.map(|b| Timestamp(b.closes_at)),
                    rules: opening.map(|b| b.rules),
                    sealed,
                    roll,
                    votes: views,
                    tally: motion.closed.as_ref().map(|(_, c)| c.tally.clone()),
                    closed_index: motion.closed.as_ref().map(|(i, _)| *i),
                    my_next: may_vote.then(|| mine.len() as u32 + 1),
                    my_last_at: mine.last().map(|v| v.cast_at),
                });
            }
            let rules = storage.rules().await?;
            let recused = storage
                .recusals(id)
                .await?
                .into_iter()
                .map(|r| r.member)
                .collect();
            let eligible = domain::voting::roll_of(
                members.iter().map(|m| domain::voting::Candidate {
                    member: m.id,
                    group: m.group.as_str(),
                    role: m.role,
                    status: m.status,
                    holds_key: m.active_key().is_some(),
                }),
                &recused,
            );
            let proposal = domain::panels::propose_panel(&eligible, eligible.len().min(8));
            let panel_member = |id: domain::statement::MemberId| {
                let (name, group) = name(id);
                PanelMember {
                    member: id.0,
                    name,
                    group,
                }
            };
            let panel = storage
                .panel(id)
                .await?
                .map(|list| list.into_iter().map(panel_member).collect());
            let panel_open = status.is_open() && motions.iter().all(|m| m.state == "draft");
            Ok(VotingView {
                panel,
                panel_open,
                eligible: eligible.iter().map(|m| panel_member(m.member)).collect(),
                proposal: proposal.into_iter().map(|m| m.0).collect(),
                motions,
                may_run: member.role.may(Action::RunVotes),
                voting_stage: status == domain::cases::CaseStatus::Voting,
                open: status.is_open(),
                rules,
                rules_text: rules.describe(),
                me: member.id.0,
                now,
            })
        }
        .await,
    )
}

/// The chair drafts a motion (remedies of a choice motion one per line).
#[server(endpoint = "draft_motion")]
pub async fn draft_motion(
    case: u64,
    kind: String,
    text: String,
    remedies: Option<String>,
    /// What carrying it means (`uphold`, `overturn`, …); empty or absent
    /// when the chair does not say.
    effect: Option<String>,
) -> Result<u64, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::RunVotes).await?;
            let kind = MotionKind::parse(&kind).map_err(AppError::Invalid)?;
            let remedies: Vec<String> = remedies
                .unwrap_or_default()
                .lines()
                .map(str::to_owned)
                .collect();
            let effect = match effect.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(e) => Some(domain::voting::Effect::parse(e).ok_or_else(|| {
                    AppError::Invalid(format!(
                        "Unknown effect `{e}`: uphold, overturn, reinstate, refuse-reinstatement or restore-with-label."
                    ))
                })?),
            };
            let draft = domain::voting::MotionDraft::new(kind, &text, &remedies)
                .and_then(|draft| draft.with_effect(effect))
                .map_err(AppError::Invalid)?;
            let storage = ssr::storage()?;
            let id = storage
                .draft_motion(
                    domain::cases::CaseId(case),
                    &draft,
                    member.id,
                    storage::now(),
                )
                .await?;
            tracing::info!(case, motion = %id, "motion drafted");
            Ok(id.0)
        }
        .await,
    )
}

/// The chair prepares the opening of voting on a drafted motion, now, for
/// `window_minutes` (at most the rules' voting window, which is the
/// default): the `motion-opening` statement to sign (JSON), with the roll
/// and rules as they are now. Nothing is written.
#[server(endpoint = "prepare_opening")]
pub async fn prepare_opening(motion: u64, window_minutes: Option<u32>) -> Result<String, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::RunVotes).await?;
            let storage = ssr::storage()?;
            let rules = storage.rules().await?;
            let now = storage::now();
            let closes_at = rules
                .closes_at(now, window_minutes)
                .map_err(AppError::Invalid)?;
            let statement = storage
                .prepare_opening(
                    domain::statement::MotionId(motion),
                    member.id,
                    closes_at,
                    &rules,
                    now,
                )
                .await?;
            ssr::to_sign(&statement)
        }
        .await,
    )
}

/// The chair opens voting with the opening they signed in the browser
/// (`statement` as [`prepare_opening`] gave it, `signature` hex).
#[server(endpoint = "open_voting")]
pub async fn open_voting(statement: String, signature: String) -> Result<u64, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::RunVotes).await?;
            let signed = super::auth::chair_signed(&member, &statement, &signature)?;
            let index = ssr::storage()?
                .open_motion(&signed, &*ssr::log_key()?, storage::now())
                .await?;
            tracing::info!(motion = ?signed.statement.subject.motion, index, "voting opened");
            Ok(index)
        }
        .await,
    )
}

/// The chair closes voting early, once everyone on the roll has voted.
#[server(endpoint = "close_voting")]
pub async fn close_voting(motion: u64) -> Result<(), AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            ssr::authorize(Action::RunVotes).await?;
            let storage = ssr::storage()?;
            storage
                .close_motion(
                    domain::statement::MotionId(motion),
                    domain::voting::CloseReason::AllVoted,
                    &*ssr::log_key()?,
                    storage::now(),
                )
                .await?;
            tracing::info!(motion, "voting closed early");
            Ok(())
        }
        .await,
    )
}

/// A member's signed vote, as the vote form sends it: the vote's fields
/// and the signatures the browser made over the statements built from them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRequest {
    #[serde(deserialize_with = "super::number")]
    pub motion: u64,
    pub choice: String,
    pub reason: Option<String>,
    /// The member's vote sequence on this motion (1 for a first vote).
    #[serde(deserialize_with = "super::number")]
    pub sequence: u32,
    /// The salt of a sealed vote, hex.
    pub salt: Option<String>,
    /// The `vote` statement's signature, hex.
    pub signature: String,
    /// The `vote-commitment` statement's signature, hex (sealed motions).
    pub commitment_signature: Option<String>,
}

/// A member's vote: the server rebuilds the vote statement (and, on a
/// sealed motion, its commitment) for the signed-in member, the motion's
/// case and these fields, checks the signatures against their valid key and stores it.
#[server(endpoint = "cast_vote")]
pub async fn cast_vote(#[server(flatten)] vote: VoteRequest) -> Result<u64, AppError> {
    use super::ssr;
    use domain::members::Action;
    use domain::statement::{MotionId, SignedStatement};
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::Vote).await?;
            let storage = ssr::storage()?;
            let council = storage.council().await?.ok_or(AppError::NotFound)?;
            let signer = *member.active_key().ok_or(AppError::UnknownKey)?;
            let VoteRequest {
                motion,
                choice,
                reason,
                sequence,
                salt,
                signature,
                commitment_signature,
            } = vote;
            let motion = MotionId(motion);
            let case = storage
                .motion_case(motion)
                .await?
                .ok_or(AppError::NotFound)?;
            let body = domain::voting::VoteBody {
                choice,
                reason,
                sequence,
                salt,
            };
            let vote = SignedStatement {
                statement: domain::voting::vote_statement(
                    &council.log_origin,
                    case,
                    motion,
                    member.id,
                    &body,
                ),
                signer,
                signature: super::auth::parse_hex::<64>(&signature, "signature")?,
            };
            // Storage verifies both signatures (BadSignature) before queueing.
            let commitment = match commitment_signature {
                Some(signature) => {
                    let entry = vote
                        .to_entry()
                        .map_err(|e| AppError::Invalid(e.to_string()))?;
                    let signed = SignedStatement {
                        statement: domain::voting::commitment_statement(
                            &council.log_origin,
                            case,
                            motion,
                            member.id,
                            &domain::voting::CommitmentBody {
                                commitment: domain::voting::commitment(&entry),
                                sequence: body.sequence,
                            },
                        ),
                        signer,
                        signature: super::auth::parse_hex::<64>(&signature, "signature")?,
                    };
                    Some(signed)
                }
                None => None,
            };
            let index = storage
                .cast_vote(
                    &vote,
                    commitment.as_ref(),
                    &*ssr::log_key()?,
                    storage::now(),
                )
                .await?;
            tracing::info!(motion = %motion, member = %member.id, index, "vote cast");
            Ok(index)
        }
        .await,
    )
}

/// One version of the rules, for the rules history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesVersionView {
    pub rules: Rules,
    pub text: String,
    /// Who changed them, why, where in the log and when (none for version 1).
    pub change: Option<(String, String, u64, Timestamp)>,
}

/// Every version of the council's voting rules, oldest first (public).
#[server(endpoint = "rules_history")]
pub async fn rules_history() -> Result<Vec<RulesVersionView>, AppError> {
    use super::ssr;
    ssr::finish(
        async {
            let storage = ssr::storage()?;
            Ok(storage
                .rules_history()
                .await?
                .into_iter()
                .map(|v| RulesVersionView {
                    text: v.rules.describe(),
                    rules: v.rules,
                    change: v.change.map(|c| (c.by_name, c.reason, c.log_index, c.at)),
                })
                .collect())
        }
        .await,
    )
}

/// An admin changes the voting rules: `rules` is the JSON of the new rules
/// (the next version), `signature` the admin's key's signature on the
/// `rules-change` statement the server rebuilds from them and `reason`.
#[server(endpoint = "change_rules")]
pub async fn change_rules(
    rules: String,
    reason: String,
    signature: String,
) -> Result<u64, AppError> {
    use super::ssr;
    use domain::members::Action;
    use domain::statement::SignedStatement;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::ManageCouncil).await?;
            let rules: Rules = serde_json::from_str(&rules)
                .map_err(|e| AppError::Invalid(format!("The rules are malformed: {e}.")))?;
            rules.check().map_err(AppError::Invalid)?;
            let reason = domain::voting::rules_change_reason(&reason).map_err(AppError::Invalid)?;
            let storage = ssr::storage()?;
            let council = storage.council().await?.ok_or(AppError::NotFound)?;
            let signed = SignedStatement {
                statement: domain::voting::rules_change_statement(
                    &council.log_origin,
                    &domain::voting::RulesChangeBody { rules, reason },
                ),
                signer: *member.active_key().ok_or(AppError::UnknownKey)?,
                signature: super::auth::parse_hex::<64>(&signature, "signature")?,
            };
            signed
                .verify(&council.log_origin)
                .map_err(|_| AppError::BadSignature)?;
            let index = storage
                .change_rules(&signed, &*ssr::log_key()?, storage::now())
                .await?;
            tracing::info!(version = rules.version, index, "rules changed");
            Ok(index)
        }
        .await,
    )
}

/// The chair prepares a panel (eligible members covering every group)
/// for a case before voting opens on it: the `panel-assignment` statement
/// to sign (JSON). Nothing is written.
#[server(endpoint = "prepare_panel")]
pub async fn prepare_panel(case: u64, members: Vec<u64>) -> Result<String, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::RunVotes).await?;
            let council = ssr::storage()?.council().await?.ok_or(AppError::NotFound)?;
            let members: Vec<domain::statement::MemberId> = members
                .into_iter()
                .map(domain::statement::MemberId)
                .collect();
            let body = domain::panels::PanelBody::new(&members, member.id);
            ssr::to_sign(&domain::panels::panel_statement(
                &council.log_origin,
                domain::cases::CaseId(case),
                &body,
            ))
        }
        .await,
    )
}

/// The chair assigns the panel they signed in the browser (`statement` as
/// [`prepare_panel`] gave it, `signature` hex).
#[server(endpoint = "assign_panel")]
pub async fn assign_panel(statement: String, signature: String) -> Result<u64, AppError> {
    use super::ssr;
    use domain::members::Action;
    ssr::finish(
        async {
            let (_, member) = ssr::authorize(Action::RunVotes).await?;
            let signed = super::auth::chair_signed(&member, &statement, &signature)?;
            let index = ssr::storage()?
                .assign_panel(&signed, &*ssr::log_key()?, storage::now())
                .await?;
            tracing::info!(case = ?signed.statement.subject.case, index, "panel assigned");
            Ok(index)
        }
        .await,
    )
}
