//! Load: 200 members cast signed votes on one sealed motion at the same
//! moment, over real HTTP (a TCP listener, one client thread per member,
//! each on a kept-alive connection opened beforehand, as a browser that
//! loaded the case page has),
//! against a file-backed SQLite database. Every vote must be acknowledged,
//! stored exactly once and counted once at the close, with no "database is
//! locked"; the log must verify. Then the same members sign in at once
//! (challenge, signature, session). Prints latency percentiles and
//! throughput.
//!
//! Ignored by `cargo test` (it measures rather than checks behaviour);
//! `make bench` runs it: `cargo test --release -p server --test vote_load
//! -- --ignored --nocapture`.

#![expect(
    clippy::unwrap_used,
    reason = "a load test fails loudly on any error, in its helpers too"
)]

mod support;

use domain::members::Role;
use domain::statement::MotionId;
use domain::voting::{self, CommitmentBody, VoteBody};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};
use support::TestApp;

const MEMBERS: u8 = 200;
const GROUPS: [&str; 4] = [
    "Civil Rights Coalition",
    "Free Expression Alliance",
    "Trust & Safety",
    "Independent Experts",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a load test: run by `make bench`"]
async fn two_hundred_members_vote_at_once() {
    let dir = std::env::temp_dir().join(format!("tribune-vote-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/load.db", dir.display());
    let app = TestApp::build(&url, Some("Harbour Council"), 100_000).await;
    let chair = app.member(GROUPS[0], Role::Chair, "Load Chair", 255).await;
    let mut voters = Vec::new();
    for n in 1..=MEMBERS {
        let group = GROUPS[usize::from(n) % GROUPS.len()];
        // Seeds from 10: the log key's seed is 5.
        let seed = n + 10;
        voters.push(
            app.member(group, Role::Member, &format!("Voter {n}"), seed)
                .await,
        );
    }
    let case = app.case_in_voting(chair.id).await;
    let address = app.serve_tcp().await;
    let clients = Clients::new(usize::from(MEMBERS), address);
    // Round 0 warms the server up (connections, prepared statements), as
    // a running server is; rounds 1 to ROUNDS are measured, each a new
    // motion that all 200 members vote on at once.
    let mut measured: Vec<Duration> = Vec::new();
    let mut measured_time = Duration::ZERO;
    for round in 0..=ROUNDS {
        let (latencies, elapsed) = burst(&app, &clients, &voters, &chair, case).await;
        let (p50, p99, max) = percentiles(&latencies);
        println!(
            "round {round}{}: {} signed votes at once over HTTP (SQLite, file-backed): p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms; {:.0} votes/s",
            if round == 0 { " (warm-up)" } else { "" },
            latencies.len(),
            latencies.len() as f64 / elapsed.as_secs_f64(),
        );
        if round > 0 {
            measured.extend(latencies);
            measured_time += elapsed;
        }
    }
    let (p50, p99, max) = percentiles(&measured);
    println!(
        "rounds 1-{ROUNDS}: {} votes, p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms",
        measured.len()
    );
    println!(
        "summary: | POST a signed vote, {MEMBERS} members at once, {ROUNDS} rounds | {} | {:.0} | {p50:.1} ms | {p99:.1} ms | target p99 < 100 ms |",
        measured.len(),
        measured.len() as f64 / measured_time.as_secs_f64(),
    );

    // Sign-in: the same 200 members sign in at once (a challenge, signed
    // with the member's key, answered for a session), twice: a warm-up, then
    // the measured burst.
    for attempt in 0..2 {
        let (latencies, elapsed) = sign_in_burst(app.origin(), &voters, address);
        let (p50, p99, max) = percentiles(&latencies);
        let per_second = latencies.len() as f64 / elapsed.as_secs_f64();
        println!(
            "sign-in{}: {} members at once (challenge, signature, session): p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms; {per_second:.0} sign-ins/s",
            if attempt == 0 { " (warm-up)" } else { "" },
            latencies.len(),
        );
        if attempt == 1 {
            println!(
                "summary: | sign in (challenge, then signed answer), {MEMBERS} members at once | {} | {per_second:.0} | {p50:.1} ms | {p99:.1} ms | two requests each |",
                latencies.len()
            );
        }
    }
    app.verified().await;
    app.storage.close().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

const ROUNDS: usize = 5;

/// One client thread per member, started once with its kept-alive
/// connection and kept for every round (as each member's browser is), so
/// that no thread is created or torn down in the server's process while a
/// burst is measured: a thread's exit unmaps its stack, which interrupts
/// the server's threads on the other core.
struct Clients {
    jobs: Vec<std::sync::mpsc::Sender<(String, String)>>,
    results: std::sync::mpsc::Receiver<(Duration, u16, String)>,
    start: Arc<Barrier>,
}

impl Clients {
    fn new(count: usize, address: std::net::SocketAddr) -> Self {
        let start = Arc::new(Barrier::new(count + 1));
        let (done, results) = std::sync::mpsc::channel();
        let jobs = (0..count)
            .map(|_| {
                let (job, jobs) = std::sync::mpsc::channel::<(String, String)>();
                let (start, done) = (Arc::clone(&start), done.clone());
                std::thread::spawn(move || {
                    let agent = support::connected_agent(address);
                    // One vote per round, until the test drops its senders.
                    while let Ok((cookie, form)) = jobs.recv() {
                        start.wait();
                        let began = Instant::now();
                        let mut response = agent
                            .post(format!("http://{address}/api/cast_vote"))
                            .header("content-type", "application/x-www-form-urlencoded")
                            .header("accept", "application/json")
                            .header("cookie", &cookie)
                            .send(form.as_str())
                            .unwrap();
                        let status = response.status().as_u16();
                        let body = response.body_mut().read_to_string().unwrap_or_default();
                        done.send((began.elapsed(), status, body)).unwrap();
                    }
                });
                job
            })
            .collect();
        Self {
            jobs,
            results,
            start,
        }
    }

    /// Sends each `(cookie, form)` from its own client at the same moment;
    /// returns each answer with its latency, and the burst's duration.
    fn burst(&self, requests: Vec<(String, String)>) -> (Vec<(Duration, u16, String)>, Duration) {
        assert_eq!(requests.len(), self.jobs.len());
        for (job, request) in self.jobs.iter().zip(requests) {
            job.send(request).unwrap();
        }
        let wall = Instant::now();
        self.start.wait();
        let results = (0..self.jobs.len())
            .map(|_| self.results.recv().unwrap())
            .collect();
        (results, wall.elapsed())
    }
}

/// p50, p99 and max of `latencies`, in milliseconds.
fn percentiles(latencies: &[Duration]) -> (f64, f64, f64) {
    let mut sorted = latencies.to_vec();
    sorted.sort();
    let at = |q: f64| sorted[((sorted.len() as f64 * q).ceil() as usize).saturating_sub(1)];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(at(0.50)), ms(at(0.99)), ms(*sorted.last().unwrap()))
}

/// Every member signs in at the same moment over HTTP: asks for a
/// challenge, signs it with their key and answers it; each must get a
/// session cookie. Returns each sign-in's latency (both requests) and the
/// burst's duration.
fn sign_in_burst(
    origin: &domain::LogOrigin,
    members: &[support::Signed],
    address: std::net::SocketAddr,
) -> (Vec<Duration>, Duration) {
    let start = Arc::new(Barrier::new(members.len() + 1));
    let threads: Vec<_> = members
        .iter()
        .map(|member| {
            let (start, key, origin) = (Arc::clone(&start), member.key.clone(), origin.clone());
            std::thread::spawn(move || {
                let agent = support::connected_agent(address);
                start.wait();
                let began = Instant::now();
                let mut response = agent
                    .post(format!("http://{address}/api/sign_in_challenge"))
                    .header("accept", "application/json")
                    .send_empty()
                    .unwrap();
                assert_eq!(response.status(), 200);
                let challenge: serde_json::Value =
                    serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
                let nonce_hex = challenge["nonce"].as_str().unwrap().to_owned();
                let nonce = <[u8; 32]>::try_from(domain::hex::decode(&nonce_hex).unwrap()).unwrap();
                let signature = domain::signin::sign_challenge(&origin, &nonce, &key);
                let form = format!(
                    "nonce={nonce_hex}&public_key={}&signature={}",
                    domain::hex::encode(key.verifying_key().as_bytes()),
                    domain::hex::encode(&signature)
                );
                let mut response = agent
                    .post(format!("http://{address}/api/sign_in"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .send(form.as_str())
                    .unwrap();
                let status = response.status().as_u16();
                let cookie = support::session_cookie(response.headers());
                let body = response.body_mut().read_to_string().unwrap_or_default();
                assert_eq!(status, 200, "{body}");
                assert!(cookie.is_some(), "no session cookie");
                began.elapsed()
            })
        })
        .collect();
    start.wait();
    let began = Instant::now();
    let latencies = threads.into_iter().map(|t| t.join().unwrap()).collect();
    (latencies, began.elapsed())
}

/// Opens a new motion on `case`; every voter casts a signed sealed vote at
/// the same moment over HTTP; checks each is stored, logged and counted
/// once; returns the latencies.
async fn burst(
    app: &TestApp,
    clients: &Clients,
    voters: &[support::Signed],
    chair: &support::Signed,
    case: domain::cases::CaseId,
) -> (Vec<Duration>, Duration) {
    let draft =
        voting::MotionDraft::new(voting::MotionKind::Finding, "The post broke HS-2.", &[]).unwrap();
    let now = storage::now();
    let motion = app
        .storage
        .draft_motion(case, &draft, chair.id, now)
        .await
        .unwrap();
    app.open_as(motion, chair, domain::Timestamp(now.0 + 3600), now)
        .await;

    // Each member's sealed vote and commitment, signed before the clock starts.
    let choices = ["support", "oppose", "abstain"];
    let requests: Vec<(String, String)> = voters
        .iter()
        .enumerate()
        .map(|(i, voter)| {
            let body = VoteBody {
                choice: choices[i % 3].to_owned(),
                reason: None,
                sequence: 1,
                salt: Some(domain::hex::encode(&[i as u8; 32])),
            };
            let vote = voting::vote_statement(app.origin(), case, motion, voter.id, &body)
                .sign(&voter.key)
                .unwrap();
            let commitment = voting::commitment_statement(
                app.origin(),
                case,
                motion,
                voter.id,
                &CommitmentBody {
                    commitment: voting::commitment(&vote.to_entry().unwrap()),
                    sequence: 1,
                },
            )
            .sign(&voter.key)
            .unwrap();
            let form = format!(
                "motion={}&choice={}&sequence=1&salt={}&signature={}&commitment_signature={}",
                motion.0,
                body.choice,
                body.salt.unwrap(),
                domain::hex::encode(&vote.signature),
                domain::hex::encode(&commitment.signature)
            );
            (voter.cookie.clone(), form)
        })
        .collect();

    let log_before = app.storage.log_size().await.unwrap();
    // The clients block the thread they run on until every answer is in.
    let (results, elapsed) = tokio::task::block_in_place(|| clients.burst(requests));

    for (_, status, body) in &results {
        assert_eq!(*status, 200, "a vote was refused: {body}");
        assert!(!body.contains("locked"), "{body}");
    }
    let latencies: Vec<Duration> = results.iter().map(|r| r.0).collect();

    // Stored once each, logged once each, counted once each.
    let votes = app.storage.votes(motion).await.unwrap();
    assert_eq!(votes.len(), usize::from(MEMBERS));
    let mut members: Vec<_> = votes.iter().map(|v| v.member).collect();
    members.sort();
    members.dedup();
    assert_eq!(members.len(), usize::from(MEMBERS));
    assert_eq!(
        app.storage.log_size().await.unwrap(),
        log_before + u64::from(MEMBERS)
    );
    let tally = app
        .storage
        .close_motion(
            MotionId(motion.0),
            voting::CloseReason::Deadline,
            &app.log_key(),
            domain::Timestamp(now.0 + 3600),
        )
        .await
        .unwrap();
    assert_eq!(tally.voted, u32::from(MEMBERS));
    (latencies, elapsed)
}
