//! The demo council's life: members of four groups enrolled with demo keys
//! (public, see `domain::demo`), cases of every kind and at every stage,
//! discussion, a recusal, a public comment, sealed votes, decisions with
//! their rationale, dissent and concurrence, and the platform's answer. Made
//! through the same storage calls as the app, so the log verifies.

use anyhow::Context;
use domain::Timestamp;
use domain::cases::{CaseDraft, CaseId, CaseStatus, ClauseCode};
use domain::decisions::{
    AnswerStatus, DecisionRecord, OpinionBody, OpinionKind, Precedent, Relation,
};
use domain::members::{DisplayName, GroupName, Role};
use domain::note::NoteSigner;
use domain::statement::{MemberId, MotionId};
use domain::voting::{CloseReason, Effect, MotionDraft, MotionKind};
use domain::{LogOrigin, hex};
use sha2::{Digest, Sha256};
use storage::{Actor, NewInvitation, SharedStorage, Transition};

/// The demo members: name, group, role. Member `i` holds demo key `i`.
pub const DEMO_MEMBERS: [(&str, &str, Role); 8] = [
    ("Amara Osei", "Civil Rights Coalition", Role::Chair),
    ("Lucia Ferrer", "Civil Rights Coalition", Role::Member),
    ("Jonas Brandt", "Free Expression Alliance", Role::Member),
    ("Priya Raman", "Free Expression Alliance", Role::Member),
    ("Mei Tanaka", "Trust & Safety", Role::Member),
    ("Rosa Lindqvist", "Trust & Safety", Role::Clerk),
    ("Helene Marchand", "Independent Experts", Role::Member),
    ("Tomas Silva", "Independent Experts", Role::Member),
];

/// A demo member: id and key.
struct Person {
    id: MemberId,
    key: ed25519_dalek::SigningKey,
}

struct Demo<'a> {
    storage: &'a SharedStorage,
    log_key: &'a NoteSigner,
    origin: LogOrigin,
    people: Vec<Person>,
    clauses: Vec<ClauseCode>,
    now: Timestamp,
}

/// What the demo made, for the summary line.
#[derive(Debug, Default)]
pub struct Made {
    pub members: usize,
    pub cases: usize,
    pub decisions: usize,
}

/// The cases of today, written by hand: every kind, every stage.
pub const HANDCRAFTED_CASES: u32 = 9;

/// How far apart generated past cases are (each is decided within its slot).
const HISTORY_STEP: i64 = 4 * 3600;
const MINUTE: i64 = 60;
const DAY: i64 = 86_400;

/// When a demo council of `cases` cases in all is founded: a day before its
/// first generated past case, or a day ago.
pub fn founding_time(now: Timestamp, cases: u32) -> Timestamp {
    let past = i64::from(cases.saturating_sub(HANDCRAFTED_CASES));
    Timestamp(now.0 - past * HISTORY_STEP - DAY)
}

/// Keeps this process, and every thread it starts from now on, on the
/// first core it may use. The demo writes through SQLite's worker thread,
/// one hand-off per query and another per answer; on two cores each
/// hand-off wakes the other core, which costs more than the query itself.
/// Measured on the 2-core machine, 9,376 entries: 11.5 s on both cores,
/// 2.7 s on one (docs/benchmarks.md). A failure only costs speed.
pub fn keep_to_one_core() {
    #[cfg(target_os = "linux")]
    {
        use rustix::thread::{CpuSet, sched_getaffinity, sched_setaffinity};
        let kept = sched_getaffinity(None).and_then(|allowed| {
            let first = (0..CpuSet::MAX_CPU).find(|cpu| allowed.is_set(*cpu));
            let Some(first) = first else {
                return Ok(());
            };
            let mut one = CpuSet::new();
            one.set(first);
            sched_setaffinity(None, &one)
        });
        if let Err(error) = kept {
            tracing::warn!(%error, "the demo could not keep to one core: it runs, more slowly");
        }
    }
}

/// Fills the freshly founded demo council (groups and clauses exist) with
/// `cases` cases: the generated past ones first, then today's.
pub async fn populate(
    storage: &SharedStorage,
    log_key: &NoteSigner,
    cases: u32,
) -> anyhow::Result<Made> {
    let council = storage.council().await?.context("no council")?;
    anyhow::ensure!(
        domain::demo::is_demo_origin(&council.log_origin),
        "demo data goes only into a demo council"
    );
    let clauses = storage
        .clauses()
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let mut demo = Demo {
        storage,
        log_key,
        origin: council.log_origin,
        people: Vec::new(),
        clauses,
        now: council.founded_at,
    };
    demo.enroll_members().await?;
    let mut made = Made {
        members: demo.people.len(),
        ..Made::default()
    };
    let past = cases.saturating_sub(HANDCRAFTED_CASES);
    if past > 0 {
        let progress = crate::progress::Progress::new("demo: past cases", u64::from(past));
        let mut history = History::default();
        for n in 0..past {
            demo.now = Timestamp(council.founded_at.0 + DAY + i64::from(n) * HISTORY_STEP);
            if demo.past_case(n, &mut history).await? {
                made.decisions += 1;
            }
            progress.update(u64::from(n) + 1);
        }
        progress.finish();
        made.cases += past as usize;
    }
    demo.now = storage::now().max(demo.now);
    let mut today = Vec::with_capacity(TODAY.len());
    for script in &TODAY {
        let case = demo.run(script, &today).await?;
        if script
            .steps
            .iter()
            .any(|step| matches!(step, Step::Decide(_)))
        {
            made.decisions += 1;
        }
        today.push(case);
    }
    made.cases += TODAY.len();
    Ok(made)
}

// The demo members by their place in `DEMO_MEMBERS`.
const CHAIR: usize = 0;
const LUCIA: usize = 1;
const JONAS: usize = 2;
const PRIYA: usize = 3;
const MEI: usize = 4;
const ROSA: usize = 5;
const HELENE: usize = 6;
const TOMAS: usize = 7;

/// A hand-written case: the escalation as the platform sends it, then what
/// the council does with it, step by step, through the app's own storage
/// calls.
struct Script {
    kind: &'static str,
    handle: &'static str,
    audience: u64,
    action: &'static str,
    clauses: &'static [&'static str],
    reason: &'static str,
    excerpt: Option<&'static str>,
    steps: &'static [Step],
}

/// One act on a script's case. `usize` is a demo member (`CHAIR`, …).
enum Step {
    /// Moved along its lifecycle, one stage at a time, up to this stage.
    Walk(CaseStatus, usize),
    /// Declined or withdrawn at intake by the clerk, with this reason.
    Close(CaseStatus, &'static str),
    /// A new discussion thread.
    Comment(usize, &'static str),
    /// A reply to the last thread begun.
    Reply(usize, &'static str),
    /// A public comment, approved by the clerk.
    PublicComment {
        name: &'static str,
        affiliation: Option<&'static str>,
        text: &'static str,
    },
    Recuse(usize, &'static str),
    /// A motion drafted by the chair, saying what carrying it means: the
    /// one the next steps vote on.
    Motion(MotionKind, Option<Effect>, &'static str),
    /// The motion opened by the chair, these sealed votes cast, and the
    /// motion left open.
    Vote(&'static [(usize, &'static str)]),
    /// The motion opened, these sealed votes cast, and the motion closed.
    VoteAndClose(&'static [(usize, &'static str)]),
    /// The case decided and its rationale drafted by these authors, not yet signed.
    Draft(&'static [usize], &'static str),
    Decide(Decision),
    /// The platform's answer to a recommendation of the published decision.
    Answer(u32, AnswerStatus, &'static str),
}

/// A decision: the majority's authors and rationale, the other opinions,
/// and the record (clauses, precedents among the earlier scripts' cases by
/// their place in `TODAY`, recommendations one per line).
struct Decision {
    authors: &'static [usize],
    rationale: &'static str,
    opinions: &'static [(usize, OpinionKind, &'static str)],
    clauses: &'static [&'static str],
    precedents: &'static [(usize, Relation, &'static str)],
    recommendations: &'static str,
}

/// The cases of today: every kind, every stage.
const TODAY: [Script; HANDCRAFTED_CASES as usize] = [
    // Published: a prominent news account's removed post, restored.
    Script {
        kind: "content",
        handle: "@harbour_news_daily",
        audience: 2_400_000,
        action: "removed",
        clauses: &["HS-2"],
        reason: "The post quotes a slur from a viral video to report on it; it was removed automatically. \
                 The newsroom appeals.",
        excerpt: Some("“…and then he shouted [slur] at the crowd,” our reporter writes."),
        steps: &[
            Step::Walk(CaseStatus::Deliberation, ROSA),
            Step::Comment(
                LUCIA,
                "The quote is the story here: removing it hides what happened.",
            ),
            Step::Walk(CaseStatus::Voting, CHAIR),
            Step::Motion(
                MotionKind::Remedy,
                Some(Effect::RestoreWithLabel),
                "Restore the post with a context label.",
            ),
            Step::VoteAndClose(&[
                (CHAIR, "oppose"),
                (LUCIA, "support"),
                (JONAS, "support"),
                (PRIYA, "support"),
                (MEI, "support"),
                (HELENE, "support"),
                (TOMAS, "support"),
            ]),
            Step::Decide(Decision {
                authors: &[LUCIA],
                rationale: "Reporting a slur in order to document an event is counter-speech under clause HS-2. \
                            A context label informs readers without erasing the record.",
                opinions: &[(
                    CHAIR,
                    OpinionKind::Dissent,
                    "Labels do not stop a slur reaching the people it targets; \
                     the newsroom could have reported the event without repeating it.",
                )],
                clauses: &["HS-2"],
                precedents: &[],
                recommendations: "Exempt quoted slurs in news reporting from automatic removal.\n\
                                  Tell the account which clause was applied and how to appeal.",
            }),
            Step::Answer(
                1,
                AnswerStatus::Assessing,
                "We are testing a news exemption in two markets and will report back.",
            ),
        ],
    },
    // Published: a small account's ban upheld (not carried), citing the first.
    Script {
        kind: "reinstatement",
        handle: "@coastal_runner",
        audience: 800,
        action: "account_banned",
        clauses: &["H-1"],
        reason: "Banned after repeated replies to one user; asks to be reinstated.",
        excerpt: None,
        steps: &[
            Step::Walk(CaseStatus::Voting, CHAIR),
            Step::Motion(
                MotionKind::Remedy,
                Some(Effect::Reinstate),
                "Reinstate the account.",
            ),
            Step::VoteAndClose(&[
                (CHAIR, "oppose"),
                (LUCIA, "oppose"),
                (JONAS, "support"),
                (PRIYA, "support"),
                (MEI, "oppose"),
                (HELENE, "support"),
                (TOMAS, "abstain"),
            ]),
            Step::Decide(Decision {
                authors: &[HELENE],
                rationale: "Three supports fall short of the four needed: the ban stands. The replies targeted one \
                            person over weeks, which clause H-1 forbids whatever the account's size.",
                opinions: &[(
                    TOMAS,
                    OpinionKind::Concurrence,
                    "I abstained on the remedy, but the ban should come \
                     with a clear path back after a year.",
                )],
                clauses: &["H-1"],
                precedents: &[(
                    0,
                    Relation::Distinguishes,
                    "That post reported an event; these replies targeted a person.",
                )],
                recommendations: "",
            }),
        ],
    },
    // Decided: the rationale is being drafted.
    Script {
        kind: "content",
        handle: "@city_desk_watch",
        audience: 45_000,
        action: "labelled",
        clauses: &["M-4"],
        reason: "A post about polling-station hours was labelled as misleading; the account says it was accurate.",
        excerpt: None,
        steps: &[
            Step::Walk(CaseStatus::Voting, CHAIR),
            Step::Motion(
                MotionKind::Finding,
                Some(Effect::Uphold),
                "The label was applied correctly under clause M-4.",
            ),
            Step::VoteAndClose(&[
                (CHAIR, "support"),
                (LUCIA, "support"),
                (JONAS, "support"),
                (PRIYA, "support"),
                (MEI, "support"),
                (HELENE, "support"),
                (TOMAS, "support"),
            ]),
            Step::Draft(
                &[PRIYA],
                "The hours given were those of the previous election. (Draft.)",
            ),
        ],
    },
    // Voting: a sealed motion open for three days; one member recused.
    Script {
        kind: "content",
        handle: "@tidewater_forum",
        audience: 120_000,
        action: "removed",
        clauses: &["V-1"],
        reason: "A forum post wishing harm on a local official was removed; the forum says it was satire.",
        excerpt: Some("“Someone should push him off the pier, honestly.”"),
        steps: &[
            Step::Walk(CaseStatus::Deliberation, ROSA),
            Step::Recuse(TOMAS, "I moderated this forum until last year."),
            Step::Walk(CaseStatus::Voting, CHAIR),
            Step::Motion(
                MotionKind::Finding,
                Some(Effect::Uphold),
                "The post is a violent threat under clause V-1.",
            ),
            Step::Vote(&[(CHAIR, "support"), (JONAS, "oppose"), (MEI, "support")]),
        ],
    },
    // Deliberation: a policy question with a thread and a public comment.
    Script {
        kind: "policy",
        handle: "@platform_policy",
        audience: 0,
        action: "no_action",
        clauses: &["P-3"],
        reason: "Should posting a public official's office address count as sharing private information?",
        excerpt: None,
        steps: &[
            Step::Walk(CaseStatus::Deliberation, ROSA),
            Step::Comment(
                JONAS,
                "An office address is public by design: P-3 should not apply.",
            ),
            Step::Reply(
                MEI,
                "Unless it is posted alongside calls to go there. Context matters.",
            ),
            Step::PublicComment {
                name: "K. Alvarez",
                affiliation: Some("Harbour Civic Trust"),
                text: "Officials already publish these addresses; the harm is in the calls to action, not the address.",
            },
        ],
    },
    // Accepted.
    Script {
        kind: "reinstatement",
        handle: "@quiet_gardener",
        audience: 300,
        action: "account_suspended",
        clauses: &["P-3"],
        reason: "Suspended after sharing a neighbour's photo; asks to be reinstated.",
        excerpt: None,
        steps: &[Step::Walk(CaseStatus::Accepted, ROSA)],
    },
    // At intake.
    Script {
        kind: "content",
        handle: "@late_night_memes",
        audience: 9_000,
        action: "restricted",
        clauses: &["HS-2"],
        reason: "A meme's reach was restricted; the account says it mocks bigots rather than a group.",
        excerpt: None,
        steps: &[],
    },
    // Declined.
    Script {
        kind: "content",
        handle: "@spam_wave_42",
        audience: 12,
        action: "removed",
        clauses: &["M-4"],
        reason: "Removed as spam.",
        excerpt: None,
        steps: &[Step::Close(
            CaseStatus::Declined,
            "Spam is outside the council's remit.",
        )],
    },
    // Withdrawn.
    Script {
        kind: "content",
        handle: "@duplicate_report",
        audience: 50,
        action: "removed",
        clauses: &["H-1"],
        reason: "Escalated twice by mistake.",
        excerpt: None,
        steps: &[Step::Close(
            CaseStatus::Withdrawn,
            "The platform escalated this case twice.",
        )],
    },
];

/// A small deterministic random source (SplitMix64), so that the same
/// `--cases N` always makes the same council.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What the generated past remembers: the latest published case per clause,
/// for precedents.
#[derive(Default)]
struct History {
    latest: std::collections::HashMap<String, CaseId>,
}

const HANDLE_WORDS: [&str; 12] = [
    "harbour", "tidal", "northern", "quiet", "civic", "open", "river", "lantern", "granite",
    "meadow", "signal", "copper",
];
const HANDLE_NOUNS: [&str; 10] = [
    "voice",
    "desk",
    "runner",
    "notes",
    "watch",
    "press",
    "forum",
    "chronicle",
    "club",
    "daily",
];
/// The voters of a past case: everyone but the clerk (index 5).
const VOTERS: [usize; 7] = [0, 1, 2, 3, 4, 6, 7];

impl Demo<'_> {
    /// Advances the demo clock by `minutes`.
    fn later(&mut self, minutes: i64) {
        self.now = Timestamp(self.now.0 + minutes * MINUTE);
    }

    /// Generated past case number `n`, decided within its four-hour slot:
    /// mostly published (with a sealed vote, a rationale, sometimes a dissent,
    /// a recusal, a precedent or a recommendation and its answer), else
    /// declined or withdrawn. Returns whether it was published.
    async fn past_case(&mut self, n: u32, history: &mut History) -> anyhow::Result<bool> {
        let mut dice = Dice(u64::from(n).wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x7472_6962);
        let kind = match dice.below(10) {
            0..6 => "content",
            6..9 => "reinstatement",
            _ => "policy",
        };
        let clause = if kind == "policy" {
            dice.pick(&["P-3", "M-4"]).to_string()
        } else {
            dice.pick(&["HS-2", "H-1", "V-1", "M-4", "P-3"]).to_string()
        };
        let handle = format!(
            "@{}_{}_{}",
            dice.pick(&HANDLE_WORDS),
            dice.pick(&HANDLE_NOUNS),
            n + 1
        );
        // Audiences from ten to about thirty million, evenly spread in scale.
        let audience = if kind == "policy" {
            0
        } else {
            10_f64.powf(1.0 + 6.5 * (dice.below(1000) as f64 / 1000.0)) as u64
        };
        let action = match kind {
            "content" => *dice.pick(&["removed", "restricted", "labelled"]),
            "reinstatement" => *dice.pick(&["account_banned", "account_suspended"]),
            _ => "no_action",
        };
        let reason = match kind {
            "content" => format!(
                "A post was {} under clause {clause}; the account appeals.",
                action.replace('_', " ")
            ),
            "reinstatement" => {
                format!("The account was suspended under clause {clause} and asks to return.")
            }
            _ => format!("How should clause {clause} apply to posts like this one?"),
        };
        let case = self
            .case(kind, &handle, audience, action, &[&clause], &reason, None)
            .await?;
        if dice.chance(15) {
            self.later(30);
            let (to, why) = if dice.chance(50) {
                (CaseStatus::Declined, "Outside the council's remit.")
            } else {
                (
                    CaseStatus::Withdrawn,
                    "The platform reversed its action itself.",
                )
            };
            self.close_case(case, to, why).await?;
            return Ok(false);
        }

        self.later(10);
        self.walk(case, CaseStatus::Deliberation, 5).await?;
        let mut voters: Vec<usize> = VOTERS.to_vec();
        if dice.chance(5) {
            // Anyone but the chair, who opens the vote, may recuse.
            let recused = voters.remove(1 + dice.below(voters.len() - 1));
            self.recuse(
                case,
                recused,
                "I advised this account before joining the council.",
            )
            .await?;
        }
        if dice.chance(30) {
            let who = *dice.pick(&voters);
            self.later(20);
            self.comment(
                case,
                who,
                "I have read the evidence; my notes are in the file.",
            )
            .await?;
        }
        self.later(30);
        self.walk(case, CaseStatus::Voting, 0).await?;
        let (motion_kind, effect, text) = match kind {
            "content" => (
                MotionKind::Remedy,
                Some(Effect::Overturn),
                "Restore the post.",
            ),
            "reinstatement" => (
                MotionKind::Remedy,
                Some(Effect::Reinstate),
                "Reinstate the account.",
            ),
            _ => (
                MotionKind::Finding,
                None,
                "The clause applies to posts like this one.",
            ),
        };
        let motion = self.motion(case, motion_kind, effect, text).await?;
        self.open(motion, 0).await?;
        // How the council leans on this case, then each member's vote.
        let lean = *dice.pick(&[15, 40, 60, 85]);
        let mut supporters = Vec::new();
        let mut others = Vec::new();
        let mut ballots = Vec::with_capacity(voters.len());
        for who in &voters {
            let choice = if dice.chance(lean) {
                supporters.push(*who);
                "support"
            } else if dice.chance(80) {
                others.push(*who);
                "oppose"
            } else {
                "abstain"
            };
            self.later(5);
            ballots.push((*who, choice, self.now));
        }
        // Cast together, in this order: the storage writes votes that
        // arrive together in one transaction under one checkpoint, as it
        // does when members vote at once.
        let casts = ballots
            .iter()
            .map(|(who, choice, at)| self.vote_at(motion, case, *who, choice, *at));
        for cast in futures_util::future::join_all(casts).await {
            cast?;
        }
        self.later(10);
        self.storage
            .close_motion(motion, CloseReason::AllVoted, self.log_key, self.now)
            .await?;

        self.later(20);
        let author = *dice.pick(&voters);
        let rationale = format!(
            "The council applied clause {clause} to {handle} as it applies it to every account, \
             whatever its audience; the vote above decides the remedy."
        );
        let mut opinions = Vec::new();
        let minority = if supporters.len() * 2 > voters.len() {
            &others
        } else {
            &supporters
        };
        if let Some(dissenter) = minority.iter().find(|w| **w != author)
            && dice.chance(35)
        {
            opinions.push((
                *dissenter,
                OpinionKind::Dissent,
                "I read the clause differently: the context changes what this post does.",
            ));
        }
        let precedents = match history.latest.get(&clause) {
            Some(earlier) if dice.chance(40) => {
                let relation = if dice.chance(70) {
                    Relation::Follows
                } else {
                    Relation::Distinguishes
                };
                vec![Precedent {
                    case: *earlier,
                    relation,
                    note: format!("An earlier case under clause {clause}."),
                }]
            }
            _ => Vec::new(),
        };
        let recommendations: Vec<String> = if dice.chance(25) {
            vec![format!(
                "Explain clause {clause} to the account when acting under it."
            )]
        } else {
            Vec::new()
        };
        let record = DecisionRecord::new(
            case,
            &[ClauseCode::parse(&clause).map_err(anyhow::Error::msg)?],
            &precedents,
            &recommendations,
        )
        .map_err(anyhow::Error::msg)?;
        self.decide(case, &[author], &rationale, &opinions, record)
            .await?;
        if !recommendations.is_empty() && dice.chance(60) {
            self.later(60);
            let status = *dice.pick(&domain::decisions::AnswerStatus::ALL);
            self.storage
                .answer_recommendation(
                    case,
                    1,
                    status,
                    "The platform's policy team has reviewed the recommendation.",
                    self.log_key,
                    self.now,
                )
                .await?;
        }
        history.latest.insert(clause, case);
        Ok(true)
    }

    /// Makes the case of `script` and plays its steps; `earlier` are the
    /// cases of the scripts before it (for precedents).
    async fn run(&self, script: &Script, earlier: &[CaseId]) -> anyhow::Result<CaseId> {
        let case = self
            .case(
                script.kind,
                script.handle,
                script.audience,
                script.action,
                script.clauses,
                script.reason,
                script.excerpt,
            )
            .await?;
        let mut thread = None;
        let mut motion = None;
        for step in script.steps {
            match step {
                Step::Walk(to, by) => self.walk(case, *to, *by).await?,
                Step::Close(to, reason) => self.close_case(case, *to, reason).await?,
                Step::Comment(who, text) => {
                    thread = Some(self.comment(case, *who, text).await?);
                }
                Step::Reply(who, text) => {
                    let body = domain::cases::comment_body(text).map_err(anyhow::Error::msg)?;
                    self.storage
                        .add_comment(case, thread, self.people[*who].id, &body, self.now)
                        .await?;
                }
                Step::PublicComment {
                    name,
                    affiliation,
                    text,
                } => {
                    let submitted = self
                        .storage
                        .add_public_comment(case, name, *affiliation, text, self.now)
                        .await?;
                    self.storage
                        .decide_public_comment(
                            submitted,
                            true,
                            None,
                            self.people[ROSA].id,
                            self.now,
                        )
                        .await?;
                }
                Step::Recuse(who, reason) => self.recuse(case, *who, reason).await?,
                Step::Motion(kind, effect, text) => {
                    motion = Some(self.motion(case, *kind, *effect, text).await?);
                }
                Step::Vote(votes) => {
                    let motion = motion.context("a vote before its motion")?;
                    self.open(motion, CHAIR).await?;
                    for (who, choice) in *votes {
                        self.vote(motion, case, *who, choice).await?;
                    }
                }
                Step::VoteAndClose(votes) => {
                    let motion = motion.context("a vote before its motion")?;
                    self.vote_and_close(motion, case, votes).await?;
                }
                Step::Draft(authors, rationale) => {
                    self.walk(case, CaseStatus::Decided, CHAIR).await?;
                    let ids: Vec<MemberId> = authors.iter().map(|a| self.people[*a].id).collect();
                    self.storage
                        .assign_authors(case, &ids, self.people[CHAIR].id, self.now)
                        .await?;
                    self.storage
                        .save_rationale(case, ids[0], rationale, self.now)
                        .await?;
                }
                Step::Decide(decision) => {
                    let clauses = decision
                        .clauses
                        .iter()
                        .map(|c| ClauseCode::parse(c))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(anyhow::Error::msg)?;
                    let precedents = decision
                        .precedents
                        .iter()
                        .map(|(script, relation, note)| {
                            Ok(Precedent {
                                case: *earlier.get(*script).context("a precedent not made yet")?,
                                relation: *relation,
                                note: (*note).to_owned(),
                            })
                        })
                        .collect::<anyhow::Result<Vec<_>>>()?;
                    let recommendations: Vec<String> = decision
                        .recommendations
                        .lines()
                        .filter(|line| !line.trim().is_empty())
                        .map(str::to_owned)
                        .collect();
                    let record = DecisionRecord::new(case, &clauses, &precedents, &recommendations)
                        .map_err(anyhow::Error::msg)?;
                    self.decide(
                        case,
                        decision.authors,
                        decision.rationale,
                        decision.opinions,
                        record,
                    )
                    .await?;
                }
                Step::Answer(recommendation, status, text) => {
                    self.storage
                        .answer_recommendation(
                            case,
                            *recommendation,
                            *status,
                            text,
                            self.log_key,
                            self.now,
                        )
                        .await?;
                }
            }
        }
        Ok(case)
    }

    async fn enroll_members(&mut self) -> anyhow::Result<()> {
        for (n, (name, group, role)) in DEMO_MEMBERS.into_iter().enumerate() {
            let group = self
                .storage
                .group_by_name(&GroupName::parse(group)?)
                .await?
                .context("demo group")?;
            let token_hash: [u8; 32] = Sha256::digest(format!("demo invitation {n}")).into();
            let invitation = self
                .storage
                .create_invitation(
                    &NewInvitation {
                        token_hash,
                        member: None,
                        name: DisplayName::parse(name)?,
                        group,
                        role,
                        expires_at: Timestamp(self.now.0 + 3600),
                        created_by: None,
                    },
                    self.log_key,
                )
                .await?;
            let key = domain::demo::demo_key(u32::try_from(n)?);
            let signed = domain::members::enrollment_statement(
                &self.origin,
                &invitation.terms,
                &invitation.signature,
            )
            .sign(&key)?;
            let id = self
                .storage
                .enroll(&token_hash, &signed, self.log_key, self.now)
                .await?;
            self.people.push(Person { id, key });
        }
        Ok(())
    }

    #[expect(clippy::too_many_arguments, reason = "the fields of an escalation")]
    async fn case(
        &self,
        kind: &str,
        handle: &str,
        audience: u64,
        action: &str,
        clauses: &[&str],
        reason: &str,
        excerpt: Option<&str>,
    ) -> anyhow::Result<CaseId> {
        let fields = CaseDraft {
            kind: kind.to_owned(),
            subject_handle: handle.to_owned(),
            audience: Some(audience),
            original_action: action.to_owned(),
            clauses: clauses.iter().map(|c| (*c).to_owned()).collect(),
            reason: reason.to_owned(),
            excerpt: excerpt.unwrap_or_default().to_owned(),
            ..CaseDraft::default()
        }
        .validate(&self.clauses)
        .map_err(|errors| anyhow::anyhow!("demo case {handle}: {errors:?}"))?;
        let clerk = self.people[5].id;
        Ok(self
            .storage
            .create_case(&fields, Actor::Member(clerk), None, self.now)
            .await?
            .case())
    }

    /// Moves `case` along its lifecycle up to `to`.
    async fn walk(&self, case: CaseId, to: CaseStatus, by: usize) -> anyhow::Result<()> {
        let mut status = self.storage.case(case).await?.context("demo case")?.status;
        while status != to {
            let next = status.next()[0];
            self.storage
                .move_case(
                    &Transition {
                        case,
                        from: status,
                        to: next,
                        by: self.people[by].id,
                        reason: None,
                    },
                    self.now,
                )
                .await?;
            status = next;
        }
        Ok(())
    }

    async fn close_case(&self, case: CaseId, to: CaseStatus, reason: &str) -> anyhow::Result<()> {
        self.storage
            .move_case(
                &Transition {
                    case,
                    from: CaseStatus::Intake,
                    to,
                    by: self.people[5].id,
                    reason: Some(reason.to_owned()),
                },
                self.now,
            )
            .await?;
        Ok(())
    }

    async fn comment(
        &self,
        case: CaseId,
        who: usize,
        text: &str,
    ) -> anyhow::Result<storage::CommentId> {
        let body = domain::cases::comment_body(text).map_err(anyhow::Error::msg)?;
        Ok(self
            .storage
            .add_comment(case, None, self.people[who].id, &body, self.now)
            .await?)
    }

    async fn recuse(&self, case: CaseId, who: usize, reason: &str) -> anyhow::Result<()> {
        let person = &self.people[who];
        let signed = domain::cases::recusal_statement(&self.origin, case, person.id, reason)
            .sign(&person.key)?;
        self.storage.recuse(&signed, self.log_key, self.now).await?;
        Ok(())
    }

    async fn motion(
        &self,
        case: CaseId,
        kind: MotionKind,
        effect: Option<Effect>,
        text: &str,
    ) -> anyhow::Result<MotionId> {
        let draft = MotionDraft::new(kind, text, &[])
            .and_then(|draft| draft.with_effect(effect))
            .map_err(anyhow::Error::msg)?;
        Ok(self
            .storage
            .draft_motion(case, &draft, self.people[0].id, self.now)
            .await?)
    }

    async fn open(&self, motion: MotionId, by: usize) -> anyhow::Result<()> {
        let rules = self.storage.rules().await?;
        let closes = rules
            .closes_at(self.now, None)
            .map_err(anyhow::Error::msg)?;
        // Prepared by the server, signed by the chair's own key, as the
        // chair's browser does.
        let person = &self.people[by];
        let statement = self
            .storage
            .prepare_opening(motion, person.id, closes, &rules, self.now)
            .await?;
        self.storage
            .open_motion(&statement.sign(&person.key)?, self.log_key, self.now)
            .await?;
        Ok(())
    }

    /// A sealed vote (the demo council keeps the initial, sealed rules).
    async fn vote(
        &self,
        motion: MotionId,
        case: CaseId,
        who: usize,
        choice: &str,
    ) -> anyhow::Result<()> {
        self.vote_at(motion, case, who, choice, self.now).await
    }

    /// A sealed vote cast at `at`.
    async fn vote_at(
        &self,
        motion: MotionId,
        case: CaseId,
        who: usize,
        choice: &str,
        at: Timestamp,
    ) -> anyhow::Result<()> {
        let person = &self.people[who];
        let salt: [u8; 32] = Sha256::digest(format!("demo salt {motion} {who}")).into();
        let body = domain::voting::VoteBody {
            choice: choice.to_owned(),
            reason: None,
            sequence: 1,
            salt: Some(hex::encode(&salt)),
        };
        let vote = domain::voting::vote_statement(&self.origin, case, motion, person.id, &body)
            .sign(&person.key)?;
        let commitment = domain::voting::commitment_statement(
            &self.origin,
            case,
            motion,
            person.id,
            &domain::voting::CommitmentBody {
                commitment: domain::voting::commitment(&vote.to_entry()?),
                sequence: 1,
            },
        )
        .sign(&person.key)?;
        self.storage
            .cast_vote(&vote, Some(&commitment), self.log_key, at)
            .await?;
        Ok(())
    }

    async fn vote_and_close(
        &self,
        motion: MotionId,
        case: CaseId,
        votes: &[(usize, &str)],
    ) -> anyhow::Result<()> {
        self.open(motion, 0).await?;
        for (who, choice) in votes {
            self.vote(motion, case, *who, choice).await?;
        }
        self.storage
            .close_motion(motion, CloseReason::AllVoted, self.log_key, self.now)
            .await?;
        Ok(())
    }

    /// Records the case as decided, has `authors` sign `rationale`, the
    /// others their opinions, and publishes.
    async fn decide(
        &self,
        case: CaseId,
        authors: &[usize],
        rationale: &str,
        opinions: &[(usize, OpinionKind, &str)],
        record: DecisionRecord,
    ) -> anyhow::Result<()> {
        let chair = self.people[0].id;
        self.walk(case, CaseStatus::Decided, 0).await?;
        let ids: Vec<MemberId> = authors.iter().map(|a| self.people[*a].id).collect();
        self.storage
            .assign_authors(case, &ids, chair, self.now)
            .await?;
        self.storage
            .save_rationale(case, ids[0], rationale, self.now)
            .await?;
        let majority =
            OpinionBody::new(OpinionKind::Majority, rationale, &ids).map_err(anyhow::Error::msg)?;
        let mut all: Vec<(usize, OpinionBody)> =
            authors.iter().map(|a| (*a, majority.clone())).collect();
        for (who, kind, text) in opinions {
            all.push((
                *who,
                OpinionBody::new(*kind, text, &[]).map_err(anyhow::Error::msg)?,
            ));
        }
        for (who, body) in all {
            let person = &self.people[who];
            let signed = domain::decisions::opinion_statement(&self.origin, case, person.id, &body)
                .sign(&person.key)?;
            self.storage
                .sign_opinion(&signed, self.log_key, self.now)
                .await?;
        }
        self.storage
            .save_decision_record(case, &record, chair, self.now)
            .await?;
        let statement = self.storage.prepare_decision(case, chair, self.now).await?;
        self.storage
            .publish_decision(
                &statement.sign(&self.people[CHAIR].key)?,
                self.log_key,
                self.now,
            )
            .await?;
        Ok(())
    }
}
