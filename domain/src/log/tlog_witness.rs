//! The witness side of C2SP tlog-witness: the `add-checkpoint` request (the
//! size of the last checkpoint the witness cosigned, a consistency proof
//! from it, and the new signed checkpoint) and the witness's answer, with
//! the HTTP status the protocol gives each outcome. Pure: the caller keeps
//! the witness's state, and must check the request against it and record
//! the new checkpoint atomically, before it answers.

use super::checkpoint::Checkpoint;
use super::cosignature::WitnessSigner;
use super::merkle::{self, MerkleHash};
use super::note::{Note, NoteVerifier};
use super::origin::LogOrigin;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

/// The most consistency proof lines a request may carry.
pub const MAX_PROOF_LINES: usize = 63;

/// An `add-checkpoint` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddCheckpoint {
    /// The size of the last checkpoint the client believes the witness
    /// cosigned for this log (0 for none).
    pub old_size: u64,
    /// A consistency proof from `old_size` to the checkpoint's size.
    pub proof: Vec<MerkleHash>,
    /// The signed checkpoint (a note; it may carry several signatures).
    pub checkpoint: String,
}

impl AddCheckpoint {
    /// Reads a request body: `old <size>`, one base64 hash per line, an
    /// empty line, then the signed checkpoint. `Err` says what is wrong
    /// (answered 400).
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        let text = std::str::from_utf8(body).map_err(|_| "the body is not UTF-8".to_owned())?;
        let (head, checkpoint) = text
            .split_once("\n\n")
            .ok_or_else(|| "no empty line before the checkpoint".to_owned())?;
        let mut lines = head.split('\n');
        let old = lines
            .next()
            .and_then(|line| line.strip_prefix("old "))
            .ok_or_else(|| "the first line is not `old <size>`".to_owned())?;
        let canonical = !old.is_empty()
            && old.bytes().all(|b| b.is_ascii_digit())
            && (old == "0" || !old.starts_with('0'));
        let old_size = old
            .parse::<u64>()
            .ok()
            .filter(|_| canonical)
            .ok_or_else(|| {
                "the old size is not a decimal number without leading zeros".to_owned()
            })?;
        let proof = lines
            .map(|line| {
                BASE64
                    .decode(line)
                    .ok()
                    .and_then(|bytes| MerkleHash::from_slice(&bytes))
                    .ok_or_else(|| format!("a proof line is not a base64 hash: {line:?}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if proof.len() > MAX_PROOF_LINES {
            return Err(format!("more than {MAX_PROOF_LINES} proof lines"));
        }
        Ok(Self {
            old_size,
            proof,
            checkpoint: checkpoint.to_owned(),
        })
    }

    /// The request body.
    pub fn to_body(&self) -> String {
        let mut body = format!("old {}\n", self.old_size);
        for hash in &self.proof {
            body.push_str(&BASE64.encode(hash.as_bytes()));
            body.push('\n');
        }
        body.push('\n');
        body.push_str(&self.checkpoint);
        body
    }
}

/// The witness's answer to an `add-checkpoint` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// 200: cosigned. `lines` are the cosignature lines (the response
    /// body); the caller records `checkpoint` (its note text is `text`) as
    /// the latest cosigned before it answers.
    Cosigned {
        checkpoint: Checkpoint,
        text: String,
        lines: String,
    },
    /// 400: the request is malformed, or its old size is beyond the
    /// checkpoint's.
    BadRequest(String),
    /// 403: no signature by the log's key verifies.
    Forbidden,
    /// 404: this witness follows no log of that origin.
    UnknownLog,
    /// 409: the old size is not the latest cosigned size, or the checkpoint
    /// has that size but another tree head (a fork). The body says the
    /// latest cosigned size.
    Conflict { latest: u64 },
    /// 422: the consistency proof does not verify.
    BadProof,
}

impl Answer {
    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        match self {
            Self::Cosigned { .. } => 200,
            Self::BadRequest(_) => 400,
            Self::Forbidden => 403,
            Self::UnknownLog => 404,
            Self::Conflict { .. } => 409,
            Self::BadProof => 422,
        }
    }

    /// The response's content type and body.
    pub fn body(&self) -> (&'static str, String) {
        match self {
            Self::Cosigned { lines, .. } => ("text/plain; charset=utf-8", lines.clone()),
            Self::Conflict { latest } => ("text/x.tlog.size", format!("{latest}\n")),
            Self::BadRequest(why) => ("text/plain; charset=utf-8", format!("{why}\n")),
            Self::Forbidden => (
                "text/plain; charset=utf-8",
                "no signature by the log's key verifies\n".to_owned(),
            ),
            Self::UnknownLog => (
                "text/plain; charset=utf-8",
                "this witness follows no log of that origin\n".to_owned(),
            ),
            Self::BadProof => (
                "text/plain; charset=utf-8",
                "the consistency proof does not verify\n".to_owned(),
            ),
        }
    }
}

/// Decides a request for a witness that follows the log `origin` signed by
/// `log_key`, whose latest cosigned checkpoint of it is `latest` (`None`
/// before the first), signing with `signer` at `now` (Unix seconds).
pub fn add_checkpoint(
    request: &AddCheckpoint,
    log: (&LogOrigin, &NoteVerifier),
    latest: Option<&Checkpoint>,
    signer: &WitnessSigner,
    now: u64,
) -> Answer {
    let Ok(note) = Note::parse(request.checkpoint.as_bytes()) else {
        return Answer::BadRequest("the checkpoint is not a signed note".to_owned());
    };
    let checkpoint = match Checkpoint::parse_text(&note.text) {
        Ok(checkpoint) => checkpoint,
        Err(error) => return Answer::BadRequest(error.to_string()),
    };
    if checkpoint.origin != *log.0 {
        return Answer::UnknownLog;
    }
    if note.verify(std::slice::from_ref(log.1)).is_err() {
        return Answer::Forbidden;
    }
    if request.old_size > checkpoint.size {
        return Answer::BadRequest("the old size is beyond the checkpoint's size".to_owned());
    }
    let latest_size = latest.map_or(0, |c| c.size);
    if request.old_size != latest_size {
        return Answer::Conflict {
            latest: latest_size,
        };
    }
    match latest {
        // The same size again: the same tree head, or a fork.
        Some(latest) if latest.size == checkpoint.size => {
            if latest.root != checkpoint.root {
                return Answer::Conflict {
                    latest: latest_size,
                };
            }
        }
        Some(latest) if latest.size > 0 => {
            let consistent = merkle::verify_consistency(
                latest.size,
                checkpoint.size,
                &latest.root,
                &checkpoint.root,
                &request.proof,
            )
            .is_ok();
            if !consistent {
                return Answer::BadProof;
            }
        }
        // From nothing: nothing to prove, and the proof must be empty.
        _ => {
            if !request.proof.is_empty() {
                return Answer::BadProof;
            }
        }
    }
    match signer.cosign(&note.text, now) {
        Ok(lines) => Answer::Cosigned {
            checkpoint,
            text: note.text,
            lines,
        },
        Err(error) => Answer::BadRequest(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::cosignature::CosignaturePolicy;
    use crate::log::note::NoteSigner;

    fn origin() -> LogOrigin {
        LogOrigin::parse("tribune.example/harbour").unwrap()
    }

    fn log_key() -> NoteSigner {
        NoteSigner::from_seed(origin().as_str(), &[1; 32]).unwrap()
    }

    fn witness() -> WitnessSigner {
        WitnessSigner::from_seed("witness.example/civic", &[9; 32]).unwrap()
    }

    fn leaves(n: u8) -> Vec<MerkleHash> {
        (0..n).map(|i| merkle::leaf_hash(&[i])).collect()
    }

    /// The log's signed checkpoint of its first `n` leaves of `all`.
    fn signed(all: &[MerkleHash], n: usize) -> (Checkpoint, String) {
        let checkpoint = Checkpoint {
            origin: origin(),
            size: n as u64,
            root: merkle::root(&all[..n]),
            extensions: Vec::new(),
        };
        let note = checkpoint.sign(&log_key()).unwrap();
        (checkpoint, note)
    }

    fn ask(
        old_size: u64,
        proof: Vec<MerkleHash>,
        checkpoint: &str,
        latest: Option<&Checkpoint>,
    ) -> Answer {
        let request = AddCheckpoint {
            old_size,
            proof,
            checkpoint: checkpoint.to_owned(),
        };
        // Whatever is asked travels as the protocol's bytes.
        let request = AddCheckpoint::parse(request.to_body().as_bytes()).unwrap();
        add_checkpoint(
            &request,
            (&origin(), &log_key().verifier()),
            latest,
            &witness(),
            1_800_000_000,
        )
    }

    #[test]
    fn the_specifications_example_request_reads() {
        let body = "old 20852014\n\
            PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n\
            jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n\
            5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n\
            /6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n\
            \n\
            example.com/behind-the-sofa\n\
            20852163\n\
            CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\
            \n\
            \u{2014} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n\
            \u{2014} example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n";
        let request = AddCheckpoint::parse(body.as_bytes()).unwrap();
        assert_eq!(request.old_size, 20_852_014);
        assert_eq!(request.proof.len(), 4);
        let note = Note::parse(request.checkpoint.as_bytes()).unwrap();
        assert_eq!(note.signatures.len(), 2);
        let checkpoint = Checkpoint::parse_text(&note.text).unwrap();
        assert_eq!(checkpoint.size, 20_852_163);
        assert_eq!(request.to_body(), body);
        for bad in [
            "old 01\n\nx",
            "old -1\n\nx",
            "new 1\n\nx",
            "old 1\nnot a hash\n\nx",
            "old 1\n",
        ] {
            assert!(AddCheckpoint::parse(bad.as_bytes()).is_err(), "{bad:?}");
        }
        let too_long = format!(
            "old 1\n{}\nx",
            "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n".repeat(64)
        );
        assert!(AddCheckpoint::parse(too_long.as_bytes()).is_err());
    }

    #[test]
    fn a_consistent_checkpoint_is_cosigned_and_every_other_outcome_has_its_status() {
        let all = leaves(20);
        let (first, first_note) = signed(&all, 8);
        // A new witness: from 0, no proof.
        let answer = ask(0, Vec::new(), &first_note, None);
        let Answer::Cosigned {
            checkpoint,
            text,
            lines,
        } = &answer
        else {
            panic!("{answer:?}");
        };
        assert_eq!((answer.status(), checkpoint), (200, &first));
        let cosigned = Note::parse(format!("{first_note}{lines}").as_bytes()).unwrap();
        let policy = CosignaturePolicy {
            witnesses: vec![witness().verifier()],
            quorum: 1,
        };
        assert_eq!(policy.check(&cosigned).unwrap().len(), 1);
        assert_eq!(text, &cosigned.text);

        // Grown, with the proof from the size cosigned.
        let (second, second_note) = signed(&all, 20);
        let proof = merkle::consistency_proof(&all[..20], 8).unwrap();
        assert_eq!(
            ask(8, proof.clone(), &second_note, Some(&first)).status(),
            200
        );
        // The same checkpoint again: cosigned again.
        assert_eq!(
            ask(20, Vec::new(), &second_note, Some(&second)).status(),
            200
        );

        // The client's old size is not the witness's: 409 with the latest.
        let stale = ask(0, Vec::new(), &second_note, Some(&first));
        assert_eq!(stale, Answer::Conflict { latest: 8 });
        assert_eq!(stale.body(), ("text/x.tlog.size", "8\n".to_owned()));
        // A wrong proof: 422; an old size beyond the checkpoint: 400.
        assert_eq!(
            ask(8, proof[1..].to_vec(), &second_note, Some(&first)),
            Answer::BadProof
        );
        assert_eq!(ask(0, proof.clone(), &first_note, None), Answer::BadProof);
        assert_eq!(ask(21, Vec::new(), &second_note, None).status(), 400);

        // A fork at the size cosigned: 409.
        let other: Vec<MerkleHash> = (0..8).map(|i| merkle::leaf_hash(&[i, 1])).collect();
        let (_, fork_note) = signed(&other, 8);
        assert_eq!(
            ask(8, Vec::new(), &fork_note, Some(&first)),
            Answer::Conflict { latest: 8 }
        );

        // Another log's checkpoint: 404; this log's, signed by another key: 403.
        let foreign = Checkpoint {
            origin: LogOrigin::parse("other.example/log").unwrap(),
            ..first.clone()
        };
        let foreign_key = NoteSigner::from_seed("other.example/log", &[2; 32]).unwrap();
        let foreign_note = foreign.sign(&foreign_key).unwrap();
        assert_eq!(ask(0, Vec::new(), &foreign_note, None), Answer::UnknownLog);
        let impostor = NoteSigner::from_seed(origin().as_str(), &[3; 32]).unwrap();
        let forged = first.sign(&impostor).unwrap();
        assert_eq!(ask(0, Vec::new(), &forged, None), Answer::Forbidden);
        assert_eq!(ask(0, Vec::new(), "not a note", None).status(), 400);
    }
}
