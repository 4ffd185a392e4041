//! Checkpoints (C2SP tlog-checkpoint): the log's signed statement of its size
//! and tree head, carried in a signed note.
//!
//! ```text
//! <origin>
//! <tree size, decimal>
//! <tree head, base64>
//! [extension lines]
//! ```

use super::merkle::MerkleHash;
use super::note::{Note, NoteError, NoteSigner, NoteVerifier};
use super::origin::LogOrigin;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("the checkpoint note is invalid: {0}")]
    Note(#[from] NoteError),
    #[error("the checkpoint has no {0} line")]
    MissingLine(&'static str),
    #[error("the checkpoint origin is invalid")]
    InvalidOrigin,
    #[error("the checkpoint is for log {found:?}, not {expected:?}")]
    WrongOrigin { expected: String, found: String },
    #[error("the tree size is not a decimal number without leading zeros")]
    InvalidSize,
    #[error("the tree head is not 32 bytes of base64")]
    InvalidRootHash,
    #[error("an extension line is empty")]
    EmptyExtension,
}

/// A log checkpoint: which log, how many entries, and their tree head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: LogOrigin,
    pub size: u64,
    pub root: MerkleHash,
    /// Optional extra lines after the tree head (none are defined yet).
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// The note text: the lines above, each ending in a newline.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            BASE64.encode(self.root.as_bytes())
        );
        for line in &self.extensions {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    /// Parses a checkpoint's note text (not its signatures).
    pub fn parse_text(text: &str) -> Result<Self, CheckpointError> {
        let body = text
            .strip_suffix('\n')
            .ok_or(CheckpointError::MissingLine("origin"))?;
        let mut lines = body.split('\n');
        let origin = lines.next().ok_or(CheckpointError::MissingLine("origin"))?;
        let origin = LogOrigin::parse(origin).map_err(|_| CheckpointError::InvalidOrigin)?;
        let size = lines
            .next()
            .ok_or(CheckpointError::MissingLine("tree size"))?;
        let size = parse_size(size)?;
        let root = lines
            .next()
            .ok_or(CheckpointError::MissingLine("tree head"))?;
        let root = BASE64
            .decode(root)
            .ok()
            .and_then(|bytes| MerkleHash::from_slice(&bytes))
            .ok_or(CheckpointError::InvalidRootHash)?;
        let extensions = lines
            .map(|line| {
                if line.is_empty() {
                    Err(CheckpointError::EmptyExtension)
                } else {
                    Ok(line.to_owned())
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            origin,
            size,
            root,
            extensions,
        })
    }

    /// The checkpoint as a note signed by the log key.
    pub fn sign(&self, log_key: &NoteSigner) -> Result<String, CheckpointError> {
        Ok(log_key.sign(&self.to_text())?)
    }

    /// Parses and verifies a signed checkpoint of the log named `origin`
    /// whose key is `log_key`. Signatures by other keys (witnesses) are kept
    /// in the returned note for a cosignature policy to check.
    pub fn open(
        signed: &[u8],
        origin: &LogOrigin,
        log_key: &NoteVerifier,
    ) -> Result<(Self, Note), CheckpointError> {
        let note = Note::parse(signed)?;
        note.verify(std::slice::from_ref(log_key))?;
        let checkpoint = Self::parse_text(&note.text)?;
        if checkpoint.origin != *origin {
            return Err(CheckpointError::WrongOrigin {
                expected: origin.to_string(),
                found: checkpoint.origin.to_string(),
            });
        }
        Ok((checkpoint, note))
    }
}

fn parse_size(text: &str) -> Result<u64, CheckpointError> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if !canonical {
        return Err(CheckpointError::InvalidSize);
    }
    text.parse().map_err(|_| CheckpointError::InvalidSize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::merkle;

    fn origin() -> LogOrigin {
        LogOrigin::parse("tribune.example/harbour").unwrap()
    }

    fn checkpoint(size: u64) -> Checkpoint {
        let leaves: Vec<_> = (0..size)
            .map(|i| merkle::leaf_hash(&i.to_be_bytes()))
            .collect();
        Checkpoint {
            origin: origin(),
            size,
            root: merkle::root(&leaves),
            extensions: vec![],
        }
    }

    #[test]
    fn the_text_has_the_c2sp_layout() {
        let empty = Checkpoint {
            origin: origin(),
            size: 0,
            root: merkle::empty_root(),
            extensions: vec!["x-extension value".to_owned()],
        };
        assert_eq!(
            empty.to_text(),
            "tribune.example/harbour\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nx-extension value\n"
        );
        assert_eq!(Checkpoint::parse_text(&empty.to_text()), Ok(empty));
    }

    #[test]
    fn a_signed_checkpoint_opens_with_the_log_key_and_origin_only() {
        let log = NoteSigner::from_seed("tribune.example/harbour", &[3; 32]).unwrap();
        let signed = checkpoint(12).sign(&log).unwrap();
        let (opened, _) = Checkpoint::open(signed.as_bytes(), &origin(), &log.verifier()).unwrap();
        assert_eq!(opened, checkpoint(12));

        let other_origin = LogOrigin::parse("tribune.example/elsewhere").unwrap();
        assert!(matches!(
            Checkpoint::open(signed.as_bytes(), &other_origin, &log.verifier()),
            Err(CheckpointError::WrongOrigin { .. })
        ));
        let impostor = NoteSigner::from_seed("tribune.example/harbour", &[4; 32]).unwrap();
        assert!(Checkpoint::open(signed.as_bytes(), &origin(), &impostor.verifier()).is_err());
        let grown = signed.replacen("\n12\n", "\n13\n", 1);
        assert!(Checkpoint::open(grown.as_bytes(), &origin(), &log.verifier()).is_err());
    }

    #[test]
    fn malformed_checkpoint_texts_are_errors() {
        let root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
        let cases = [
            String::new(),
            "tribune.example/harbour\n".to_owned(),
            "tribune.example/harbour\n0\n".to_owned(),
            format!("tribune.example/harbour\n00\n{root}\n"),
            format!("tribune.example/harbour\n-1\n{root}\n"),
            format!("tribune.example/harbour\n+1\n{root}\n"),
            format!("tribune.example/harbour\n18446744073709551616\n{root}\n"),
            "tribune.example/harbour\n1\nAAAA\n".to_owned(),
            format!("tribune.example/harbour\n1\n{root}"),
            format!("tribune.example/harbour\n1\n{root}\n\n"),
            format!("has space\n1\n{root}\n"),
        ];
        for text in cases {
            assert!(Checkpoint::parse_text(&text).is_err(), "accepted {text:?}");
        }
        assert!(
            Checkpoint::parse_text(&format!(
                "tribune.example/harbour\n18446744073709551615\n{root}\n"
            ))
            .is_ok()
        );
    }

    #[test]
    fn parsing_mutated_checkpoints_never_panics_and_never_verifies() {
        let log = NoteSigner::from_seed("tribune.example/harbour", &[3; 32]).unwrap();
        let signed = checkpoint(12).sign(&log).unwrap().into_bytes();
        let mut state = 0x1234_5678_9abc_def1_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..5_000 {
            let mut bytes = signed.clone();
            let at = (next() as usize) % bytes.len();
            let new = next() as u8;
            if bytes[at] == new {
                continue;
            }
            bytes[at] = new;
            let _ = Checkpoint::parse_text(&String::from_utf8_lossy(&bytes));
            assert!(
                Checkpoint::open(&bytes, &origin(), &log.verifier()).is_err(),
                "a change at byte {at} still verified"
            );
        }
    }
}
