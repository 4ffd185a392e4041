//! Crash durability of votes: a server process on a file-backed SQLite
//! database is killed with SIGKILL while members' signed votes are arriving,
//! then restarted, three times. Every vote the server acknowledged must be
//! stored exactly once, the database must pass `PRAGMA integrity_check`, the
//! checkpoint must never shrink, and the whole log must verify.
//!
//! The server is this test binary itself, started again with
//! `TRIBUNE_CRASH_SERVER` set, so that it serves the same router the other
//! tests use (`support::TestApp`) on a real port.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use domain::members::Role;
use domain::statement::MotionId;
use domain::voting::{self, VoteBody};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Signed, TestApp};

const ROUNDS: u32 = 3;
const MEMBERS: u8 = 24;

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
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// A free port on the loopback interface.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_votes_survive_kill_9() {
    if std::env::var("TRIBUNE_CRASH_SERVER").is_ok() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("tribune-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/crash.db", dir.display());

    // The council, its members (signed in), a case and one open, unsealed
    // motion per round, set up through the app, then closed.
    let (origin, voters, case, motions) = {
        let app = TestApp::build(&url, Some("Harbour Council"), 1_000_000).await;
        // An admin: they adopt unsealed rules (votes logged directly) and,
        // through storage, open the motions.
        let chair = app
            .member("Civil Rights Coalition", Role::Admin, "Crash Admin", 255)
            .await;
        let mut voters: Vec<Signed> = Vec::new();
        for n in 1..=MEMBERS {
            let group = ["Free Expression Alliance", "Trust & Safety"][usize::from(n) % 2];
            voters.push(
                app.member(group, Role::Member, &format!("Voter {n}"), n + 10)
                    .await,
            );
        }
        let case = app.case_in_voting(chair.id).await;
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
        .sign(&chair.key)
        .unwrap();
        app.storage
            .change_rules(&change, &app.log_key(), now)
            .await
            .unwrap();
        let mut motions = Vec::new();
        for round in 0..ROUNDS {
            let draft = voting::MotionDraft::new(
                voting::MotionKind::Finding,
                &format!("Finding {round}: the post broke HS-2."),
                &[],
            )
            .unwrap();
            let motion = app
                .storage
                .draft_motion(case, &draft, chair.id, now)
                .await
                .unwrap();
            app.storage
                .open_motion(
                    motion,
                    chair.id,
                    domain::Timestamp(now.0 + 3600),
                    &rules,
                    &app.log_key(),
                    now,
                )
                .await
                .unwrap();
            motions.push(motion);
        }
        app.storage.close().await;
        (app.origin().clone(), voters, case, motions)
    };

    let port = free_port();
    let mut acknowledged: Vec<(MotionId, domain::statement::MemberId, u32)> = Vec::new();
    let mut checkpoint_size = 0;
    for (round, motion) in motions.iter().enumerate() {
        let mut server = start_server(&url, port);
        // Each member votes again and again (replacing the vote) until the
        // server dies; what was acknowledged is remembered.
        let stop = Arc::new(AtomicBool::new(false));
        let acks = Arc::new(Mutex::new(Vec::new()));
        let threads: Vec<_> = voters
            .iter()
            .map(|voter| {
                let (stop, acks) = (Arc::clone(&stop), Arc::clone(&acks));
                let (cookie, key, member) = (voter.cookie.clone(), voter.key.clone(), voter.id);
                let (origin, motion) = (origin.clone(), *motion);
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
                        let vote = voting::vote_statement(&origin, case, motion, member, &body)
                            .sign(&key)
                            .unwrap();
                        let form = format!(
                            "motion={}&choice={}&sequence={sequence}&signature={}",
                            motion.0,
                            body.choice,
                            domain::hex::encode(&vote.signature)
                        );
                        let sent = agent
                            .post(format!("http://127.0.0.1:{port}/api/cast_vote"))
                            .header("content-type", "application/x-www-form-urlencoded")
                            .header("accept", "application/json")
                            .header("cookie", &cookie)
                            .send(form.as_str());
                        match sent {
                            Ok(response) if response.status() == 200 => {
                                acks.lock().unwrap().push((motion, member, sequence));
                                sequence += 1;
                            }
                            // Refused, or the server is gone: not acknowledged.
                            _ => std::thread::sleep(Duration::from_millis(5)),
                        }
                    }
                })
            })
            .collect();
        // Let votes flow, then kill the server mid-stream.
        std::thread::sleep(Duration::from_millis(400 + 150 * round as u64));
        server.kill().unwrap();
        server.wait().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        stop.store(true, Ordering::Relaxed);
        for thread in threads {
            thread.join().unwrap();
        }
        let round_acks = acks.lock().unwrap().clone();
        assert!(
            !round_acks.is_empty(),
            "round {round}: no vote was acknowledged before the kill"
        );
        acknowledged.extend(round_acks);

        // After the crash: every acknowledged vote is there, exactly once.
        let app = TestApp::build(&url, None, 1_000_000).await;
        for motion in &motions[..=round] {
            let stored = app.storage.votes(*motion).await.unwrap();
            let mut keys: Vec<_> = stored.iter().map(|v| (v.member, v.sequence)).collect();
            let count = keys.len();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), count, "a vote is stored twice");
            for (m, member, sequence) in acknowledged.iter().filter(|a| a.0 == *motion) {
                assert!(
                    keys.contains(&(*member, *sequence)),
                    "acknowledged vote {sequence} of member {member} on motion {m} was lost"
                );
            }
        }
        let size = app.storage.log_size().await.unwrap();
        assert!(size >= checkpoint_size, "the log shrank");
        checkpoint_size = size;
        app.verified().await;
        app.storage.integrity_check().await.unwrap();
        app.storage.close().await;
        println!(
            "round {round}: {} votes acknowledged before the kill, all present; log of {size} entries verifies",
            acknowledged.iter().filter(|a| a.0 == *motion).count()
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
