//! Crash durability: a server process is killed with SIGKILL at a random
//! moment while members' signed votes arrive and the chair publishes a
//! decision, then restarted, twenty times, on SQLite and on PostgreSQL.
//! After each restart every vote and every publication the server
//! acknowledged must be there exactly once, the log and its checkpoint must
//! never shrink, the database must pass its integrity check, and the whole
//! log must verify.
//!
//! The server is this test binary itself, started again with
//! `TRIBUNE_CRASH_SERVER` set, so that it serves the same router the other
//! tests use (`support::TestApp`) on a real port. The moments are drawn from
//! a seed that the test prints; `TRIBUNE_CRASH_SEED=<seed>` replays a run.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use domain::cases::CaseId;
use domain::decisions::{OpinionBody, OpinionKind, opinion_statement};
use domain::members::Role;
use domain::statement::{MemberId, MotionId};
use domain::voting::{self, VoteBody};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Signed, TestApp};

const ROUNDS: usize = 20;
const MEMBERS: u8 = 16;

/// The two backends' runs share the machine's two cores one at a time.
static ONE_BACKEND_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The server half: serves the database named by `TRIBUNE_CRASH_SERVER` on
/// the port in `TRIBUNE_CRASH_PORT` until killed. Does nothing otherwise.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_server() {
    let (Ok(url), Ok(port)) = (
        std::env::var("TRIBUNE_CRASH_SERVER"),
        std::env::var("TRIBUNE_CRASH_PORT"),
    ) else {
        return;
    };
    let app = TestApp::build(&url, None, 1_000_000).await;
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .unwrap();
    axum::serve(
        listener,
        app.router
            .into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_on_sqlite() {
    if std::env::var("TRIBUNE_CRASH_SERVER").is_ok() {
        return;
    }
    let _one = ONE_BACKEND_AT_A_TIME.lock().await;
    let dir = std::env::temp_dir().join(format!("tribune-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    crash_rounds(&format!("sqlite://{}/crash.db", dir.display())).await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_on_postgres() {
    use sqlx::Connection as _;
    if std::env::var("TRIBUNE_CRASH_SERVER").is_ok() {
        return;
    }
    let Ok(admin_url) = std::env::var("TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("TRIBUNE_REQUIRE_POSTGRES").is_err(),
            "TRIBUNE_REQUIRE_POSTGRES is set but TEST_POSTGRES_URL is not"
        );
        eprintln!("skipped: TEST_POSTGRES_URL is not set");
        return;
    };
    let _one = ONE_BACKEND_AT_A_TIME.lock().await;
    let name = format!("tribune_crash_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
    let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    sqlx::query(sqlx::AssertSqlSafe(drop.clone()))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut admin)
        .await
        .unwrap();
    crash_rounds(&with_database(&admin_url, &name)).await;
    sqlx::query(sqlx::AssertSqlSafe(drop))
        .execute(&mut admin)
        .await
        .unwrap();
}

/// `url` (a PostgreSQL server's URL) naming the database `name` instead.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority = base.find("://").map_or(0, |i| i + 3);
    let host = base[authority..].split('/').next().unwrap_or_default();
    let mut out = format!("{}{host}/{name}", &base[..authority]);
    if let Some(query) = query {
        out = format!("{out}?{query}");
    }
    out
}

/// What one round works on: a motion open for votes, and a case whose
/// decision is ready to publish.
struct Round {
    motion: MotionId,
    to_publish: CaseId,
}

async fn crash_rounds(url: &str) {
    let seed = std::env::var("TRIBUNE_CRASH_SEED").map_or_else(
        |_| {
            let mut bytes = [0; 8];
            getrandom::fill(&mut bytes).unwrap();
            u64::from_le_bytes(bytes)
        },
        |seed| seed.parse().unwrap(),
    );
    println!("{url}: TRIBUNE_CRASH_SEED={seed}");
    let mut dice = Dice(seed);
    let (origin, chair, voters, vote_case, rounds) = council(url).await;

    let port = free_port();
    let mut acknowledged: Vec<(MotionId, MemberId, u32)> = Vec::new();
    let mut published: Vec<CaseId> = Vec::new();
    let (mut log_size, mut checkpoint_size) = (0, 0);
    for (n, round) in rounds.iter().enumerate() {
        let kill_after = Duration::from_millis(150 + dice.below(1350));
        // In every other round the kill lands within 40 ms of the request to
        // publish, while the server is likely writing it.
        let publish_after = if n % 2 == 1 {
            kill_after.saturating_sub(Duration::from_millis(dice.below(40)))
        } else {
            Duration::from_millis(dice.below(kill_after.as_millis() as u64 + 100))
        };
        let mut server = start_server(url, port);
        let stop = Arc::new(AtomicBool::new(false));
        let acks = Arc::new(Mutex::new(Vec::new()));
        // Each member votes again and again (replacing the vote) until the
        // server dies; what was acknowledged is remembered.
        let mut threads: Vec<_> = voters
            .iter()
            .map(|voter| {
                let (stop, acks) = (Arc::clone(&stop), Arc::clone(&acks));
                let (cookie, key, member) = (voter.cookie.clone(), voter.key.clone(), voter.id);
                let (origin, motion) = (origin.clone(), round.motion);
                std::thread::spawn(move || {
                    let agent = agent();
                    let mut sequence = 1u32;
                    while !stop.load(Ordering::Relaxed) {
                        let body = VoteBody {
                            choice: ["support", "oppose", "abstain"][sequence as usize % 3]
                                .to_owned(),
                            reason: None,
                            sequence,
                            salt: None,
                        };
                        let vote =
                            voting::vote_statement(&origin, vote_case, motion, member, &body)
                                .sign(&key)
                                .unwrap();
                        let form = format!(
                            "motion={}&choice={}&sequence={sequence}&signature={}",
                            motion.0,
                            body.choice,
                            domain::hex::encode(&vote.signature)
                        );
                        if post(&agent, port, "cast_vote", &cookie, &form) {
                            acks.lock().unwrap().push((motion, member, sequence));
                            sequence += 1;
                        } else {
                            // Refused, or the server is gone: not acknowledged.
                            std::thread::sleep(Duration::from_millis(5));
                        }
                    }
                })
            })
            .collect();
        // Meanwhile the chair publishes this round's decision.
        let publication = Arc::new(AtomicBool::new(false));
        threads.push({
            let (cookie, key, case, publication) = (
                chair.cookie.clone(),
                chair.key.clone(),
                round.to_publish,
                Arc::clone(&publication),
            );
            std::thread::spawn(move || {
                std::thread::sleep(publish_after);
                // Prepared by the server, signed with the chair's key, sent.
                let agent = agent();
                let form = format!("case={}", case.0);
                let Some(prepared) = post_for(&agent, port, "prepare_decision", &cookie, &form)
                else {
                    return;
                };
                let (statement, signature) = support::sign_prepared(&prepared, &key);
                let form = format!(
                    "statement={}&signature={signature}",
                    support::encode(&statement)
                );
                if post(&agent, port, "publish_decision", &cookie, &form) {
                    publication.store(true, Ordering::Relaxed);
                }
            })
        });
        std::thread::sleep(kill_after);
        server.kill().unwrap();
        server.wait().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        stop.store(true, Ordering::Relaxed);
        for thread in threads {
            thread.join().unwrap();
        }
        let round_acks = acks.lock().unwrap().clone();
        acknowledged.extend(round_acks.iter().copied());
        let publication_acknowledged = publication.load(Ordering::Relaxed);

        // After the crash: every acknowledged vote is there, exactly once.
        let app = TestApp::build(url, None, 1_000_000).await;
        for earlier in &rounds[..=n] {
            let stored = app.storage.votes(earlier.motion).await.unwrap();
            let mut keys: Vec<_> = stored.iter().map(|v| (v.member, v.sequence)).collect();
            let count = keys.len();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), count, "round {n}: a vote is stored twice");
            for (_, member, sequence) in acknowledged.iter().filter(|a| a.0 == earlier.motion) {
                assert!(
                    keys.contains(&(*member, *sequence)),
                    "round {n}: acknowledged vote {sequence} of member {member} on motion {} was lost",
                    earlier.motion.0
                );
            }
        }
        // An acknowledged publication is there; one that was not is either
        // wholly there or not at all.
        let decision = app.storage.decision(round.to_publish).await.unwrap();
        let status = app
            .storage
            .case(round.to_publish)
            .await
            .unwrap()
            .unwrap()
            .status;
        if publication_acknowledged {
            assert!(
                decision.is_some(),
                "round {n}: an acknowledged publication was lost"
            );
        }
        assert_eq!(
            decision.is_some(),
            status == domain::cases::CaseStatus::Published,
            "round {n}: the decision and the case's status disagree"
        );
        if decision.is_some() {
            published.push(round.to_publish);
        }
        for case in &published {
            let record = app.storage.published_decision(*case).await.unwrap();
            assert!(
                record.is_some(),
                "round {n}: decision of case {} lost",
                case.0
            );
        }
        let size = app.storage.log_size().await.unwrap();
        let checkpoint = app.storage.latest_checkpoint_size().await.unwrap();
        assert!(size >= log_size, "round {n}: the log shrank");
        assert!(
            checkpoint >= checkpoint_size,
            "round {n}: the checkpoint shrank"
        );
        assert_eq!(checkpoint, size, "round {n}: entries beyond the checkpoint");
        (log_size, checkpoint_size) = (size, checkpoint);
        let summary = app.verified().await;
        assert_eq!(summary.entries, size);
        app.storage.integrity_check().await.unwrap();
        app.storage.close().await;
        println!(
            "round {n:2}: killed after {:4} ms; {:4} votes acknowledged, all present once; \
             publication {}; log of {size} entries verifies",
            kill_after.as_millis(),
            round_acks.len(),
            match (publication_acknowledged, decision.is_some()) {
                (true, _) => "acknowledged and present",
                (false, true) => "not acknowledged, done",
                (false, false) => "not acknowledged, not done",
            }
        );
    }
    assert!(
        !acknowledged.is_empty(),
        "no vote was acknowledged in any round"
    );
}

/// A council of a chair, an admin and `MEMBERS` voters in two groups, under
/// unsealed rules (votes logged directly), with a case in voting whose
/// motions (one per round) are open, and one case per round whose decision
/// is ready to publish. Returns what the rounds need.
async fn council(url: &str) -> (domain::LogOrigin, Signed, Vec<Signed>, CaseId, Vec<Round>) {
    let app = TestApp::build(url, Some("Harbour Council"), 1_000_000).await;
    let admin = app
        .member("Civil Rights Coalition", Role::Admin, "Crash Admin", 254)
        .await;
    let chair = app
        .member("Civil Rights Coalition", Role::Chair, "Crash Chair", 255)
        .await;
    let mut voters: Vec<Signed> = Vec::new();
    for n in 1..=MEMBERS {
        let group = ["Free Expression Alliance", "Trust & Safety"][usize::from(n) % 2];
        voters.push(
            app.member(group, Role::Member, &format!("Voter {n}"), n + 10)
                .await,
        );
    }
    let now = storage::now();
    let rules = voting::Rules {
        version: 2,
        sealed: false,
        ..voting::Rules::initial()
    };
    let change = voting::rules_change_statement(
        app.origin(),
        &voting::RulesChangeBody {
            rules,
            reason: "Open votes.".to_owned(),
        },
    )
    .sign(&admin.key)
    .unwrap();
    app.storage
        .change_rules(&change, &app.log_key(), now)
        .await
        .unwrap();

    let vote_case = app.case_in_voting(chair.id).await;
    let mut rounds = Vec::new();
    for round in 0..ROUNDS {
        let motion = open_motion(&app, &chair, vote_case, &format!("Finding {round}.")).await;
        let to_publish = ready_to_publish(&app, &chair, &admin, &voters, round).await;
        rounds.push(Round { motion, to_publish });
    }
    app.storage.close().await;
    (app.origin().clone(), chair, voters, vote_case, rounds)
}

/// Drafts and opens a finding on `case` through the app.
async fn open_motion(app: &TestApp, chair: &Signed, case: CaseId, text: &str) -> MotionId {
    let (code, _, body) = app
        .call(
            "draft_motion",
            &[
                ("case", &case.0.to_string()),
                ("kind", "finding"),
                ("text", text),
            ],
            Some(&chair.cookie),
        )
        .await;
    assert!(code.is_success(), "{code} {body}");
    let motion = MotionId(body.trim().parse().unwrap());
    let (code, body) = app
        .chair_act(
            "prepare_opening",
            &[("motion", &motion.0.to_string()), ("window_minutes", "600")],
            "open_voting",
            &chair.cookie,
            &chair.key,
        )
        .await;
    assert!(code.is_success(), "{code} {body}");
    motion
}

/// A case taken through the app to a decision with a signed majority
/// rationale: everything but the publication.
async fn ready_to_publish(
    app: &TestApp,
    chair: &Signed,
    admin: &Signed,
    voters: &[Signed],
    round: usize,
) -> CaseId {
    let case = app.case_in_voting(chair.id).await;
    let id = case.0.to_string();
    let motion = open_motion(app, chair, case, "The post broke HS-2.").await;
    for voter in voters.iter().chain([chair, admin]) {
        let body = VoteBody {
            choice: "support".to_owned(),
            reason: None,
            sequence: 1,
            salt: None,
        };
        let vote = voting::vote_statement(app.origin(), case, motion, voter.id, &body)
            .sign(&voter.key)
            .unwrap();
        let signature = domain::hex::encode(&vote.signature);
        let fields = [
            ("motion", motion.0.to_string()),
            ("choice", body.choice.clone()),
            ("sequence", "1".to_owned()),
            ("signature", signature),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (code, _, body) = app.call("cast_vote", &fields, Some(&voter.cookie)).await;
        assert!(code.is_success(), "{code} {body}");
    }
    let text = format!("Round {round}: quoting a slur to condemn it is counter-speech.");
    let steps: [(&str, Vec<(&str, String)>); 5] = [
        ("close_voting", vec![("motion", motion.0.to_string())]),
        (
            "move_case",
            vec![
                ("case", id.clone()),
                ("from", "voting".to_owned()),
                ("to", "decided".to_owned()),
                ("reason", String::new()),
            ],
        ),
        (
            "assign_authors",
            vec![("case", id.clone()), ("authors[0]", chair.id.0.to_string())],
        ),
        (
            "save_rationale",
            vec![("case", id.clone()), ("text", text.clone())],
        ),
        (
            "save_decision_record",
            vec![
                ("case", id.clone()),
                ("clauses", "HS-2".to_owned()),
                ("precedents", String::new()),
                ("recommendations", String::new()),
            ],
        ),
    ];
    for (endpoint, fields) in &steps {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (code, _, body) = app.call(endpoint, &fields, Some(&chair.cookie)).await;
        assert!(
            code.is_success() || code.is_redirection(),
            "{endpoint}: {code} {body}"
        );
    }
    let opinion = OpinionBody::new(OpinionKind::Majority, &text, &[chair.id]).unwrap();
    let signed = opinion_statement(app.origin(), case, chair.id, &opinion)
        .sign(&chair.key)
        .unwrap();
    let fields = [
        ("case", id.clone()),
        ("opinion", OpinionKind::Majority.as_str().to_owned()),
        ("text", text),
        ("signature", domain::hex::encode(&signed.signature)),
        ("authors", chair.id.0.to_string()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (code, _, body) = app.call("sign_opinion", &fields, Some(&chair.cookie)).await;
    assert!(code.is_success(), "{code} {body}");
    case
}

/// Posts a form to the server function `endpoint` as the member with
/// `cookie`; whether the server acknowledged it (200).
/// The answer's body to a form posted to a server function, if it was
/// answered with 200.
fn post_for(
    agent: &ureq::Agent,
    port: u16,
    endpoint: &str,
    cookie: &str,
    form: &str,
) -> Option<String> {
    let mut response = agent
        .post(format!("http://127.0.0.1:{port}/api/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("cookie", cookie)
        .send(form)
        .ok()?;
    if response.status() != 200 {
        return None;
    }
    response.body_mut().read_to_string().ok()
}

fn post(agent: &ureq::Agent, port: u16, endpoint: &str, cookie: &str, form: &str) -> bool {
    agent
        .post(format!("http://127.0.0.1:{port}/api/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("cookie", cookie)
        .send(form)
        .is_ok_and(|response| response.status() == 200)
}

/// A small deterministic generator (SplitMix64) for the moments of the kills.
struct Dice(u64);

impl Dice {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % bound.max(1)
    }
}

fn start_server(url: &str, port: u16) -> Child {
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_server", "--nocapture"])
        .env("TRIBUNE_CRASH_SERVER", url)
        .env("TRIBUNE_CRASH_PORT", port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let agent = agent();
    let started = Instant::now();
    while agent
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .call()
        .map_or(true, |r| r.status() != 200)
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

fn agent() -> ureq::Agent {
    support::http_agent(Duration::from_secs(10))
}

/// A free port on the loopback interface.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
