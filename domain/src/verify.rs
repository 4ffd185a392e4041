//! Offline verification of a whole log: the core of `tribune verify`.
//!
//! Given the log's origin and public key, a signed checkpoint and every entry
//! it covers, this checks the checkpoint's signature and origin, that each
//! entry is a well-formed statement of this council whose signature verifies,
//! that each signer held a valid key for that statement at that log position
//! (the membership replayed in order, see [`crate::members`]), and that the
//! entries hash to the checkpoint's tree head. The first problem found is
//! reported with the index of the entry at fault.

use crate::ballots::Ballots;
use crate::checkpoint::{Checkpoint, CheckpointError};
use crate::council::LogOrigin;
use crate::ledger::{Facts, Ledger, Refusal};
use crate::members::{EligibilityError, Roll};
use crate::merkle::{self, MerkleHash};
use crate::note::NoteVerifier;
use crate::statement::{SignedStatement, StatementError};
use crate::voting::BallotError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the checkpoint is invalid: {0}")]
    Checkpoint(#[from] CheckpointError),
    #[error("the checkpoint covers {expected} entries but {found} were given")]
    WrongEntryCount { expected: u64, found: u64 },
    #[error("entry {index}: {error}")]
    Entry { index: u64, error: StatementError },
    #[error("entry {index}: {error}")]
    Ineligible { index: u64, error: EligibilityError },
    #[error("entry {index}: {error}")]
    Ballot { index: u64, error: BallotError },
    #[error("the entries do not hash to the checkpoint's tree head")]
    RootMismatch,
}

impl VerifyError {
    /// The index of the entry at fault, when one entry is.
    pub fn index(&self) -> Option<u64> {
        match self {
            Self::Entry { index, .. }
            | Self::Ineligible { index, .. }
            | Self::Ballot { index, .. } => Some(*index),
            _ => None,
        }
    }
}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSummary {
    pub checkpoint: Checkpoint,
    pub entries: u64,
    /// The membership as the log leaves it.
    pub roll: Roll,
    /// The motions, votes and tallies as the log leaves them.
    pub ballots: Ballots,
}

/// Verifies a whole log; `progress` is called with the number of entries
/// checked so far (every 4096 entries, and at the end).
pub fn verify_log(
    origin: &LogOrigin,
    log_key: &NoteVerifier,
    signed_checkpoint: &[u8],
    entries: &[Vec<u8>],
    mut progress: impl FnMut(u64),
) -> Result<LogSummary, VerifyError> {
    let (checkpoint, _note) = Checkpoint::open(signed_checkpoint, origin, log_key)?;
    let found = entries.len() as u64;
    if checkpoint.size != found {
        return Err(VerifyError::WrongEntryCount {
            expected: checkpoint.size,
            found,
        });
    }
    let mut verifier = LogVerifier::new(origin, log_key);
    for batch in entries.chunks(BATCH) {
        verifier.push(batch)?;
        progress(verifier.len());
    }
    progress(found);
    verifier.finish(signed_checkpoint)
}

/// A log verified as its entries arrive, in order and in batches, without
/// keeping them: what [`verify_log`] does to a log held whole, for a copy
/// read tile by tile (`tribune verify` of a million entries). It keeps the
/// log's right edge (O(log n) hashes) and the replayed state.
pub struct LogVerifier {
    origin: LogOrigin,
    log_key: NoteVerifier,
    ledger: Ledger,
    frontier: merkle::Frontier,
}

impl LogVerifier {
    pub fn new(origin: &LogOrigin, log_key: &NoteVerifier) -> Self {
        Self {
            origin: origin.clone(),
            log_key: log_key.clone(),
            ledger: Ledger::new(origin, log_key),
            frontier: merkle::Frontier::default(),
        }
    }

    /// How many entries have been checked.
    pub fn len(&self) -> u64 {
        self.frontier.len()
    }

    /// Whether no entry has been checked yet.
    pub fn is_empty(&self) -> bool {
        self.frontier.len() == 0
    }

    /// Checks the next entries: each one's form and signature (split over
    /// the available cores), then, in order, the rules that depend on
    /// everything before. The first fault is reported with its index; the
    /// leaf hashes of the entries checked are returned.
    pub fn push(&mut self, batch: &[Vec<u8>]) -> Result<Vec<MerkleHash>, VerifyError> {
        let first = self.frontier.len();
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let per_worker = batch.len().div_ceil(workers).max(1);
        let origin = &self.origin;
        let results: Vec<Result<Vec<Checked>, VerifyError>> = if workers == 1 {
            vec![check_entries(origin, first, batch)]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = batch
                    .chunks(per_worker)
                    .enumerate()
                    .map(|(i, part)| {
                        let start = first + (i * per_worker) as u64;
                        scope.spawn(move || check_entries(origin, start, part))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|handle| {
                        handle.join().unwrap_or_else(|_| {
                            Err(VerifyError::Entry {
                                index: first,
                                error: StatementError::MalformedEntry(
                                    "the verifier failed on this batch".to_owned(),
                                ),
                            })
                        })
                    })
                    .collect()
            })
        };
        // Parts are in index order, so the first error is the lowest index.
        // Eligibility depends on everything before, so it is replayed in order.
        let mut leaves = Vec::with_capacity(batch.len());
        for result in results {
            for (leaf, statement) in result? {
                let index = self.frontier.len();
                let entry = batch
                    .get((index - first) as usize)
                    .map_or(&[][..], Vec::as_slice);
                self.ledger
                    .apply(&statement, entry, &Facts::default())
                    .map_err(|refusal| match refusal {
                        Refusal::Eligibility(error) => VerifyError::Ineligible { index, error },
                        Refusal::Ballot(error) => VerifyError::Ballot { index, error },
                    })?;
                self.frontier.push(leaf);
                leaves.push(leaf);
            }
        }
        Ok(leaves)
    }

    /// Ends the check against the signed checkpoint: its signature and
    /// origin, its size (every entry it covers was pushed, no more) and its
    /// tree head.
    pub fn finish(self, signed_checkpoint: &[u8]) -> Result<LogSummary, VerifyError> {
        let (checkpoint, _note) = Checkpoint::open(signed_checkpoint, &self.origin, &self.log_key)?;
        let found = self.frontier.len();
        if checkpoint.size != found {
            return Err(VerifyError::WrongEntryCount {
                expected: checkpoint.size,
                found,
            });
        }
        if self.frontier.root() != checkpoint.root {
            return Err(VerifyError::RootMismatch);
        }
        let (roll, ballots) = self.ledger.into_parts();
        Ok(LogSummary {
            checkpoint,
            entries: found,
            roll,
            ballots,
        })
    }
}

/// Entries checked between two progress reports.
const BATCH: usize = 4096;

/// An entry whose signature verified: its leaf hash and statement.
type Checked = (MerkleHash, SignedStatement);

/// Parses and verifies `entries`, the first of which is at `start`; returns
/// their leaf hashes and statements, or the first fault.
fn check_entries(
    origin: &LogOrigin,
    start: u64,
    entries: &[Vec<u8>],
) -> Result<Vec<Checked>, VerifyError> {
    (start..)
        .zip(entries)
        .map(|(index, entry)| {
            let fault = |error| VerifyError::Entry { index, error };
            let statement = SignedStatement::from_entry(entry).map_err(fault)?;
            statement.verify(origin).map_err(fault)?;
            Ok((merkle::leaf_hash(entry), statement))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::NoteSigner;
    use crate::statement::{CaseId, MemberId, MotionId, Statement, StatementKind, Subject};
    use ed25519_dalek::SigningKey;

    /// Re-signs `entries` under a fresh checkpoint, as a dishonest operator would.
    fn checkpoint_over(log: &Log, entries: &[Vec<u8>]) -> String {
        let leaves: Vec<_> = entries.iter().map(|e| merkle::leaf_hash(e)).collect();
        Checkpoint {
            origin: log.origin.clone(),
            size: entries.len() as u64,
            root: merkle::root(&leaves),
            extensions: vec![],
        }
        .sign(&log.key)
        .unwrap()
    }

    #[test]
    fn a_vote_by_a_key_that_never_enrolled_is_found_even_under_an_honest_checkpoint() {
        let log = log(20);
        let mut entries = log.entries.clone();
        let stranger = SigningKey::from_bytes(&[99; 32]);
        entries.push(
            Statement {
                kind: StatementKind::Vote,
                origin: log.origin.clone(),
                subject: Subject {
                    case: Some(CaseId(1)),
                    motion: Some(MotionId(1)),
                    member: Some(MemberId(2)),
                    ..Subject::default()
                },
                body: serde_json::json!({"choice": "oppose"}),
            }
            .sign(&stranger)
            .unwrap()
            .to_entry()
            .unwrap(),
        );
        let checkpoint = checkpoint_over(&log, &entries);
        let result = check(&log, checkpoint.as_bytes(), &entries);
        assert!(
            matches!(result, Err(VerifyError::Ineligible { index: 20, .. })),
            "{result:?}"
        );
    }

    #[test]
    fn the_replayed_roll_is_returned() {
        let log = log(10);
        let summary = check(&log, log.checkpoint.as_bytes(), &log.entries).unwrap();
        assert_eq!(summary.roll.members().count(), 5);
    }

    struct Log {
        origin: LogOrigin,
        key: NoteSigner,
        checkpoint: String,
        entries: Vec<Vec<u8>>,
    }

    /// A founding, five enrollments, then motions and votes: `size` entries.
    fn log(size: u64) -> Log {
        let log = crate::synthetic::log_with_votes(5, size).unwrap();
        let mut entries = log.entries;
        entries.truncate(size as usize);
        let mut log = Log {
            origin: log.origin,
            key: log.log_key,
            checkpoint: String::new(),
            entries,
        };
        log.checkpoint = checkpoint_over(&log, &log.entries);
        log
    }

    fn check(log: &Log, checkpoint: &[u8], entries: &[Vec<u8>]) -> Result<LogSummary, VerifyError> {
        verify_log(
            &log.origin,
            &log.key.verifier(),
            checkpoint,
            entries,
            |_| {},
        )
    }

    #[test]
    fn an_honest_log_verifies() {
        let log = log(40);
        let mut seen = vec![];
        let summary = verify_log(
            &log.origin,
            &log.key.verifier(),
            log.checkpoint.as_bytes(),
            &log.entries,
            |n| seen.push(n),
        )
        .unwrap();
        assert_eq!(summary.entries, 40);
        assert_eq!(seen.last(), Some(&40));
    }

    /// A log checked in batches of any size, as `tribune verify` reads a
    /// copy tile by tile, comes to the same summary as the whole log at
    /// once, returns each entry's leaf hash, and finds a fault at its index
    /// whichever batch holds it.
    #[test]
    fn a_log_checked_in_batches_is_checked_as_a_whole() {
        let log = log(700);
        let whole = check(&log, log.checkpoint.as_bytes(), &log.entries).unwrap();
        for size in [1, 7, 256, 699, 700] {
            let mut verifier = LogVerifier::new(&log.origin, &log.key.verifier());
            let mut leaves = Vec::new();
            for batch in log.entries.chunks(size) {
                leaves.extend(verifier.push(batch).unwrap());
            }
            assert_eq!(verifier.len(), 700);
            assert_eq!(leaves, crate::public::leaves(&log.entries));
            assert_eq!(verifier.finish(log.checkpoint.as_bytes()).unwrap(), whole);
        }
        // One entry short of the checkpoint, or a different entry.
        let mut verifier = LogVerifier::new(&log.origin, &log.key.verifier());
        verifier.push(&log.entries[..699]).unwrap();
        assert_eq!(
            verifier.finish(log.checkpoint.as_bytes()),
            Err(VerifyError::WrongEntryCount {
                expected: 700,
                found: 699
            })
        );
        let mut entries = log.entries.clone();
        entries[500][40] ^= 1;
        let mut verifier = LogVerifier::new(&log.origin, &log.key.verifier());
        verifier.push(&entries[..256]).unwrap();
        let fault = verifier.push(&entries[256..]).unwrap_err();
        assert_eq!(fault.index(), Some(500), "{fault}");
    }

    #[test]
    fn any_single_byte_change_in_any_entry_is_found_at_its_index() {
        let log = log(40);
        let mut state = 0x853c_49e6_748f_ea9b_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..1_000 {
            let index = (next() % 40) as usize;
            let mut entries = log.entries.clone();
            let at = (next() as usize) % entries[index].len();
            let replacement = entries[index][at] ^ ((next() % 255) as u8 + 1);
            entries[index][at] = replacement;
            let result = check(&log, log.checkpoint.as_bytes(), &entries);
            assert_eq!(
                result.as_ref().err().and_then(VerifyError::index),
                Some(index as u64),
                "change at entry {index} byte {at}: {result:?}"
            );
        }
    }

    #[test]
    fn any_single_byte_change_in_the_checkpoint_is_found() {
        let log = log(8);
        let bytes = log.checkpoint.as_bytes();
        for at in 0..bytes.len() {
            for delta in [1u8, 0x20, 0x80] {
                let mut changed = bytes.to_vec();
                changed[at] ^= delta;
                assert!(
                    check(&log, &changed, &log.entries).is_err(),
                    "a change at checkpoint byte {at} went unnoticed"
                );
            }
        }
    }

    #[test]
    fn missing_extra_reordered_or_foreign_entries_are_found() {
        let log = log(12);
        let checkpoint = log.checkpoint.as_bytes();
        assert!(matches!(
            check(&log, checkpoint, &log.entries[..11]),
            Err(VerifyError::WrongEntryCount { .. })
        ));
        let mut swapped = log.entries.clone();
        swapped.swap(3, 4);
        assert_eq!(
            check(&log, checkpoint, &swapped),
            Err(VerifyError::RootMismatch)
        );

        // A validly signed entry of another council.
        let mut foreign = log.entries.clone();
        let elsewhere = String::from_utf8(foreign[5].clone())
            .unwrap()
            .replace("tribune.example/harbour", "tribune.example/elsewhere");
        foreign[5] = elsewhere.into_bytes();
        assert_eq!(
            check(&log, checkpoint, &foreign)
                .err()
                .and_then(|e| e.index()),
            Some(5)
        );
    }

    #[test]
    fn with_several_faults_the_lowest_index_is_named() {
        let log = log(5000);
        let mut entries = log.entries.clone();
        for index in [4500, 2100, 3999] {
            let last = entries[index].len() - 3;
            entries[index][last] ^= 1;
        }
        let result = check(&log, log.checkpoint.as_bytes(), &entries);
        assert_eq!(result.err().and_then(|e| e.index()), Some(2100));
    }
}
