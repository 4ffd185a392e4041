//! A witness's one rule: cosign a checkpoint only if it extends every
//! checkpoint of the same log that the witness cosigned before. A smaller
//! tree, a different tree head for the same size, or a larger tree whose
//! consistency proof fails means the log forked or was rewritten, and the
//! witness refuses, saying which.

use super::checkpoint::Checkpoint;
use super::merkle::{self, MerkleHash};

/// Why a witness refuses to cosign a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the checkpoint is for log {found}, but this witness follows log {expected}")]
    OtherLog { expected: String, found: String },
    #[error(
        "the log shrank: it now claims {new} entries, but this witness cosigned a checkpoint of {seen} entries (a rollback or a fork)"
    )]
    Rollback { seen: u64, new: u64 },
    #[error(
        "the log forked: the tree head of size {size} is {new}, but this witness cosigned {seen} for that size"
    )]
    Fork {
        size: u64,
        seen: String,
        new: String,
    },
    #[error(
        "the log forked or was rewritten: the checkpoint of size {new} is not consistent with the checkpoint of size {seen} this witness cosigned ({reason})"
    )]
    Inconsistent { seen: u64, new: u64, reason: String },
}

/// Whether a witness whose last cosigned checkpoint is `seen` (`None` for
/// a new witness) may cosign `new`, given the log's consistency proof from
/// `seen`'s size to `new`'s (ignored when the sizes are equal).
/// `new`'s signature by the log key must already have been verified.
pub fn may_cosign(
    seen: Option<&Checkpoint>,
    new: &Checkpoint,
    proof: &[MerkleHash],
) -> Result<(), Refusal> {
    let Some(seen) = seen else {
        return Ok(());
    };
    if seen.origin != new.origin {
        return Err(Refusal::OtherLog {
            expected: seen.origin.to_string(),
            found: new.origin.to_string(),
        });
    }
    if new.size < seen.size {
        return Err(Refusal::Rollback {
            seen: seen.size,
            new: new.size,
        });
    }
    if new.size == seen.size {
        return if new.root == seen.root {
            Ok(())
        } else {
            Err(Refusal::Fork {
                size: new.size,
                seen: seen.root.to_hex(),
                new: new.root.to_hex(),
            })
        };
    }
    merkle::verify_consistency(seen.size, new.size, &seen.root, &new.root, proof).map_err(|e| {
        Refusal::Inconsistent {
            seen: seen.size,
            new: new.size,
            reason: e.to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::origin::LogOrigin;

    fn leaves(n: u8, salt: u8) -> Vec<MerkleHash> {
        (0..n).map(|i| merkle::leaf_hash(&[i, salt])).collect()
    }

    fn checkpoint(leaves: &[MerkleHash]) -> Checkpoint {
        Checkpoint {
            origin: LogOrigin::parse("tribune.example/harbour").unwrap(),
            size: leaves.len() as u64,
            root: merkle::root(leaves),
            extensions: Vec::new(),
        }
    }

    #[test]
    fn a_consistent_extension_is_cosigned() {
        let log = leaves(11, 0);
        let seen = checkpoint(&log[..6]);
        let proof = merkle::consistency_proof(&log, 6).unwrap();
        assert_eq!(may_cosign(Some(&seen), &checkpoint(&log), &proof), Ok(()));
        assert_eq!(may_cosign(None, &checkpoint(&log), &[]), Ok(()));
        assert_eq!(may_cosign(Some(&seen), &seen, &[]), Ok(()));
    }

    #[test]
    fn a_fork_a_rewrite_and_a_rollback_are_refused() {
        let log = leaves(11, 0);
        let seen = checkpoint(&log[..6]);
        // Another tree of the same size: a split view.
        let other = leaves(6, 1);
        let refusal = may_cosign(Some(&seen), &checkpoint(&other), &[]).unwrap_err();
        assert!(matches!(refusal, Refusal::Fork { size: 6, .. }));
        assert!(refusal.to_string().starts_with("the log forked"));

        // A larger tree whose first six entries differ from those cosigned,
        // with a proof that is valid for the tree it comes from.
        let mut rewritten = log.clone();
        rewritten[2] = merkle::leaf_hash(b"rewritten");
        let proof = merkle::consistency_proof(&rewritten, 6).unwrap();
        let refusal = may_cosign(Some(&seen), &checkpoint(&rewritten), &proof).unwrap_err();
        assert!(matches!(
            refusal,
            Refusal::Inconsistent {
                seen: 6,
                new: 11,
                ..
            }
        ));
        // An honest proof with a garbled hash fails too.
        let mut garbled = merkle::consistency_proof(&log, 6).unwrap();
        garbled[0] = merkle::leaf_hash(b"x");
        assert!(may_cosign(Some(&seen), &checkpoint(&log), &garbled).is_err());

        // A smaller tree.
        let refusal = may_cosign(Some(&checkpoint(&log)), &seen, &[]).unwrap_err();
        assert_eq!(refusal, Refusal::Rollback { seen: 11, new: 6 });

        // Another log altogether.
        let mut elsewhere = checkpoint(&log);
        elsewhere.origin = LogOrigin::parse("tribune.example/other").unwrap();
        assert!(matches!(
            may_cosign(Some(&seen), &elsewhere, &[]),
            Err(Refusal::OtherLog { .. })
        ));
    }
}
