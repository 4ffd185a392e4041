//! Witness cosignatures (C2SP tlog-cosignature, Ed25519, signature type
//! 0x04): a witness's signed statement that, at a given time, the checkpoint
//! was the largest consistent tree head it had seen for the log.
//!
//! The signed message is `cosignature/v1\n`, `time <timestamp>\n`, then the
//! checkpoint's note text; the note signature carries the key ID, the
//! timestamp (big-endian u64) and the Ed25519 signature.

use crate::note::{Note, NoteError, check_key_name, key_id, split_typed_key};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use std::fmt;

/// The signature type byte of Ed25519 cosignatures.
const COSIGNATURE_TYPE: u8 = 0x04;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CosignatureError {
    #[error(transparent)]
    Note(#[from] NoteError),
    #[error("the cosignature by {name} is malformed")]
    Malformed { name: String },
    #[error("the cosignature by {name} does not verify")]
    BadSignature { name: String },
    #[error("{found} of the required {required} witnesses cosigned the checkpoint")]
    QuorumNotMet { found: usize, required: usize },
}

fn message(checkpoint_text: &str, timestamp: u64) -> Vec<u8> {
    format!("cosignature/v1\ntime {timestamp}\n{checkpoint_text}").into_bytes()
}

/// A witness's signing key. `Debug` hides the key.
pub struct WitnessSigner {
    name: String,
    id: u32,
    key: SigningKey,
}

impl fmt::Debug for WitnessSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WitnessSigner")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl WitnessSigner {
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Self, NoteError> {
        check_key_name(name)?;
        let key = SigningKey::from_bytes(seed);
        Ok(Self {
            name: name.to_owned(),
            id: key_id(name, COSIGNATURE_TYPE, key.verifying_key().as_bytes()),
            key,
        })
    }

    pub fn verifier(&self) -> WitnessVerifier {
        WitnessVerifier {
            name: self.name.clone(),
            id: self.id,
            key: self.key.verifying_key(),
        }
    }

    /// The cosignature line for a checkpoint's note text at `timestamp`.
    pub fn cosign(&self, checkpoint_text: &str, timestamp: u64) -> Result<String, NoteError> {
        if timestamp > i64::MAX as u64 {
            return Err(NoteError::MalformedKey("timestamp beyond 2^63 - 1"));
        }
        let signature = self.key.sign(&message(checkpoint_text, timestamp));
        let mut payload = self.id.to_be_bytes().to_vec();
        payload.extend_from_slice(&timestamp.to_be_bytes());
        payload.extend_from_slice(&signature.to_bytes());
        Ok(format!(
            "\u{2014} {} {}\n",
            self.name,
            BASE64.encode(payload)
        ))
    }
}

/// A witness the council's policy trusts.
#[derive(Clone, PartialEq, Eq)]
pub struct WitnessVerifier {
    name: String,
    id: u32,
    key: VerifyingKey,
}

impl fmt::Debug for WitnessVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_vkey())
    }
}

impl WitnessVerifier {
    /// Parses `<name>+<hex key ID>+<base64(0x04 || public key)>`.
    pub fn from_vkey(text: &str) -> Result<Self, NoteError> {
        let (name, id, signature_type, key) = split_typed_key(text.trim_end_matches('\n'))?;
        if signature_type != COSIGNATURE_TYPE {
            return Err(NoteError::MalformedKey("not a cosignature key (type 0x04)"));
        }
        let key: [u8; 32] = key
            .try_into()
            .map_err(|_| NoteError::MalformedKey("an Ed25519 public key has 32 bytes"))?;
        let key = VerifyingKey::from_bytes(&key)
            .map_err(|_| NoteError::MalformedKey("not an Ed25519 public key"))?;
        if key.is_weak() {
            return Err(NoteError::WeakKey);
        }
        if key_id(name, COSIGNATURE_TYPE, key.as_bytes()) != id {
            return Err(NoteError::MalformedKey("the key ID does not match the key"));
        }
        Ok(Self {
            name: name.to_owned(),
            id,
            key,
        })
    }

    pub fn to_vkey(&self) -> String {
        let mut key = vec![COSIGNATURE_TYPE];
        key.extend_from_slice(self.key.as_bytes());
        format!("{}+{:08x}+{}", self.name, self.id, BASE64.encode(key))
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A verified cosignature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosigned {
    pub witness: String,
    pub timestamp: u64,
}

/// Which witnesses count, and how many of them must cosign a checkpoint for
/// it (and the decisions it covers) to be final.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CosignaturePolicy {
    pub witnesses: Vec<WitnessVerifier>,
    pub quorum: usize,
}

impl CosignaturePolicy {
    /// Checks the cosignatures on a (log-signed) checkpoint note: every
    /// cosignature by a policy witness must verify, and at least `quorum`
    /// distinct witnesses must have cosigned. Other signatures are ignored.
    pub fn check(&self, note: &Note) -> Result<Vec<Cosigned>, CosignatureError> {
        let mut cosigned: Vec<Cosigned> = Vec::new();
        for signature in &note.signatures {
            for witness in &self.witnesses {
                if witness.name != signature.name || witness.id != signature.key_id {
                    continue;
                }
                let malformed = || CosignatureError::Malformed {
                    name: witness.name.clone(),
                };
                if signature.signature.len() != 72 {
                    return Err(malformed());
                }
                let (time, sig) = signature.signature.split_at(8);
                let mut time_bytes = [0u8; 8];
                time_bytes.copy_from_slice(time);
                let timestamp = u64::from_be_bytes(time_bytes);
                if timestamp > i64::MAX as u64 {
                    return Err(malformed());
                }
                let sig: [u8; 64] = sig.try_into().map_err(|_| malformed())?;
                witness
                    .key
                    .verify_strict(
                        &message(&note.text, timestamp),
                        &Signature::from_bytes(&sig),
                    )
                    .map_err(|_| CosignatureError::BadSignature {
                        name: witness.name.clone(),
                    })?;
                if !cosigned.iter().any(|c| c.witness == witness.name) {
                    cosigned.push(Cosigned {
                        witness: witness.name.clone(),
                        timestamp,
                    });
                }
            }
        }
        if cosigned.len() < self.quorum {
            return Err(CosignatureError::QuorumNotMet {
                found: cosigned.len(),
                required: self.quorum,
            });
        }
        Ok(cosigned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::NoteSigner;

    fn setup() -> (String, Vec<WitnessSigner>) {
        let log = NoteSigner::from_seed("tribune.example/harbour", &[1; 32]).unwrap();
        let text = "tribune.example/harbour\n5\nuFW0LWww9bCH4FJmeD+9bjlPe5JgE8yqZ3AKiwxaWW8=\n";
        let witnesses: Vec<_> = [
            "civil-rights.example/w",
            "free-expression.example/w",
            "experts.example/w",
        ]
        .iter()
        .enumerate()
        .map(|(i, name)| WitnessSigner::from_seed(name, &[i as u8 + 20; 32]).unwrap())
        .collect();
        (log.sign(text).unwrap(), witnesses)
    }

    fn policy(witnesses: &[WitnessSigner], quorum: usize) -> CosignaturePolicy {
        CosignaturePolicy {
            witnesses: witnesses.iter().map(WitnessSigner::verifier).collect(),
            quorum,
        }
    }

    #[test]
    fn a_quorum_of_cosignatures_makes_a_checkpoint_final() {
        let (signed, witnesses) = setup();
        let text = Note::parse(signed.as_bytes()).unwrap().text;
        let mut cosigned = signed.clone();
        for (i, w) in witnesses.iter().take(2).enumerate() {
            cosigned.push_str(&w.cosign(&text, 1_795_219_200 + i as u64).unwrap());
        }
        let note = Note::parse(cosigned.as_bytes()).unwrap();
        let found = policy(&witnesses, 2).check(&note).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].timestamp, 1_795_219_200);
        assert_eq!(
            policy(&witnesses, 3).check(&note),
            Err(CosignatureError::QuorumNotMet {
                found: 2,
                required: 3
            })
        );
        // Without cosignatures the checkpoint is not final.
        let bare = Note::parse(signed.as_bytes()).unwrap();
        assert!(policy(&witnesses, 1).check(&bare).is_err());
    }

    #[test]
    fn a_cosignature_for_another_checkpoint_or_time_fails() {
        let (signed, witnesses) = setup();
        let other_text =
            "tribune.example/harbour\n6\nuFW0LWww9bCH4FJmeD+9bjlPe5JgE8yqZ3AKiwxaWW8=\n";
        let forged = format!("{signed}{}", witnesses[0].cosign(other_text, 7).unwrap());
        let note = Note::parse(forged.as_bytes()).unwrap();
        assert!(matches!(
            policy(&witnesses, 1).check(&note),
            Err(CosignatureError::BadSignature { .. })
        ));

        // The timestamp is signed too.
        let text = Note::parse(signed.as_bytes()).unwrap().text;
        let line = witnesses[0].cosign(&text, 7).unwrap();
        let mut note = Note::parse(format!("{signed}{line}").as_bytes()).unwrap();
        note.signatures[1].signature[7] ^= 1;
        assert!(policy(&witnesses, 1).check(&note).is_err());
    }

    #[test]
    fn witness_keys_round_trip_and_are_not_note_keys() {
        let (_, witnesses) = setup();
        let vkey = witnesses[0].verifier().to_vkey();
        assert_eq!(
            WitnessVerifier::from_vkey(&vkey).unwrap(),
            witnesses[0].verifier()
        );
        assert!(crate::note::NoteVerifier::from_vkey(&vkey).is_err());
        let log_vkey = NoteSigner::from_seed("log", &[1; 32])
            .unwrap()
            .verifier()
            .to_vkey();
        assert!(WitnessVerifier::from_vkey(&log_vkey).is_err());
    }
}
