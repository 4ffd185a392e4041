//! Benchmarks of the ledger's hot paths: `cargo bench -p domain --bench ledger`.
//! Figures and the machine they came from are in `docs/benchmarks.md`.

#![expect(
    clippy::expect_used,
    reason = "a benchmark stops loudly on invalid fixtures"
)]

use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use domain::council::LogOrigin;
use domain::merkle;
use domain::statement::{
    CaseId, MemberId, MotionId, SignedStatement, Statement, StatementKind, Subject,
};
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use std::sync::OnceLock;

fn main() {
    divan::main();
}

fn origin() -> LogOrigin {
    LogOrigin::parse("tribune.example/harbour").expect("valid origin")
}

/// A vote by member `i` (of 200), signed with that member's key.
fn vote(i: u64, keys: &[SigningKey]) -> SignedStatement {
    let member = i % keys.len() as u64;
    let choices = ["support", "oppose", "abstain"];
    Statement {
        kind: StatementKind::Vote,
        origin: origin(),
        subject: Subject {
            case: Some(CaseId(i / 1000)),
            motion: Some(MotionId(i % 7)),
            member: Some(MemberId(member)),
            ..Subject::default()
        },
        body: serde_json::json!({
            "choice": choices[(i % 3) as usize],
            "reason": "The post quotes the slur in order to condemn it."
        }),
    }
    .sign(&keys[member as usize])
    .expect("signable")
}

fn member_keys() -> Vec<SigningKey> {
    (0..200u32)
        .map(|i| {
            let mut seed = [7u8; 32];
            seed[..4].copy_from_slice(&i.to_be_bytes());
            SigningKey::from_bytes(&seed)
        })
        .collect()
}

/// (message, signature, key) triples of 1024 signed votes.
fn signed_votes() -> &'static [(Vec<u8>, Signature, VerifyingKey)] {
    static VOTES: OnceLock<Vec<(Vec<u8>, Signature, VerifyingKey)>> = OnceLock::new();
    VOTES.get_or_init(|| {
        let keys = member_keys();
        (0..1024)
            .map(|i| {
                let signed = vote(i, &keys);
                (
                    signed.statement.signed_bytes().expect("signable"),
                    Signature::from_bytes(&signed.signature),
                    VerifyingKey::from_bytes(&signed.signer).expect("valid key"),
                )
            })
            .collect()
    })
}

/// One strict Ed25519 verification of a signed vote.
#[divan::bench]
fn verify_strict(bencher: Bencher) {
    let votes = signed_votes();
    let mut i = 0;
    bencher.counter(ItemsCount::new(1usize)).bench_local(|| {
        let (message, signature, key) = &votes[i % votes.len()];
        i += 1;
        key.verify_strict(black_box(message), signature)
            .expect("valid")
    });
}

/// Batch verification of 64 signatures (after refusing weak keys).
#[divan::bench]
fn verify_batch_of_64(bencher: Bencher) {
    let votes = &signed_votes()[..64];
    let messages: Vec<&[u8]> = votes.iter().map(|(m, _, _)| m.as_slice()).collect();
    let signatures: Vec<Signature> = votes.iter().map(|(_, s, _)| *s).collect();
    let keys: Vec<VerifyingKey> = votes.iter().map(|(_, _, k)| *k).collect();
    bencher.counter(ItemsCount::new(64usize)).bench_local(|| {
        assert!(keys.iter().all(|k| !k.is_weak()));
        ed25519_dalek::verify_batch(black_box(&messages), &signatures, &keys).expect("valid")
    });
}

/// Leaf hashing plus the tree head of 100,000 leaves.
#[divan::bench(sample_count = 10)]
fn merkle_root_of_100k_entries(bencher: Bencher) {
    let entries: Vec<[u8; 300]> = (0..100_000u32)
        .map(|i| {
            let mut entry = [0u8; 300];
            entry[..4].copy_from_slice(&i.to_be_bytes());
            entry
        })
        .collect();
    bencher
        .counter(ItemsCount::new(entries.len()))
        .bench_local(|| {
            let leaves: Vec<_> = entries.iter().map(|e| merkle::leaf_hash(e)).collect();
            merkle::root(black_box(&leaves))
        });
}

/// The whole offline verification of a log of 100,000 signed votes:
/// checkpoint, parsing and canonical-form check of every entry, every
/// signature, the tree head.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn verify_log_of_100k_votes(bencher: Bencher) {
    // The founding, 20 enrollments, then 100,000 votes.
    let log = domain::synthetic::log_with_votes(20, 100_000).expect("a synthetic log");
    let (entries, checkpoint, log_key) = (log.entries, log.checkpoint, log.log_key);
    let verifier = log_key.verifier();
    bencher
        .counter(ItemsCount::new(entries.len()))
        .bench_local(|| {
            domain::verify::verify_log(
                &origin(),
                &verifier,
                checkpoint.as_bytes(),
                &entries,
                |_| {},
            )
            .expect("the log verifies")
        });
}

/// What storage does to rebuild its replayed state from a stored log of
/// 100,000 votes (after a start, or a failed write): parse every entry and
/// apply it with `domain::ledger::Ledger::apply`, without signatures (they
/// were checked when the entries were appended).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn replay_100k_votes_as_storage_rebuilds(bencher: Bencher) {
    let log = domain::synthetic::log_with_votes(20, 100_000).expect("a synthetic log");
    let verifier = log.log_key.verifier();
    bencher
        .counter(ItemsCount::new(log.entries.len()))
        .bench_local(|| {
            let mut ledger = domain::ledger::Ledger::new(&origin(), &verifier);
            for entry in &log.entries {
                let statement = SignedStatement::from_entry(entry).expect("an entry");
                ledger
                    .apply(&statement, entry, &domain::ledger::Facts::default())
                    .expect("the entry replays");
            }
            black_box(ledger.size())
        });
}
