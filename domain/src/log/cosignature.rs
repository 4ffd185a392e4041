//! Witness cosignatures (C2SP tlog-cosignature, Ed25519, signature type
//! 0x04): a witness's signed statement that, at a given time, the checkpoint
//! was the largest consistent tree head it had seen for the log.
//!
//! The signed message is `cosignature/v1\n`, `time <timestamp>\n`, then the
//! checkpoint's note text; the note signature carries the key ID, the
//! timestamp (big-endian u64) and the Ed25519 signature.

use super::note::{
    Note, NoteError, check_key_name, format_skey, key_id, parse_skey, split_typed_key,
};
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

    /// Parses the private key encoding
    /// `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x04 || seed)>`.
    pub fn from_skey(text: &str) -> Result<Self, NoteError> {
        let (name, id, seed) = parse_skey(text, COSIGNATURE_TYPE, "not a witness key (type 0x04)")?;
        let signer = Self::from_seed(name, &seed)?;
        if signer.id != id {
            return Err(NoteError::MalformedKey("the key ID does not match the key"));
        }
        Ok(signer)
    }

    /// The private key encoding read by [`WitnessSigner::from_skey`]. A secret.
    pub fn to_skey(&self) -> String {
        format_skey(&self.name, self.id, COSIGNATURE_TYPE, self.key.as_bytes())
    }

    pub fn name(&self) -> &str {
        &self.name
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
    pub key_id: u32,
    pub timestamp: u64,
    /// The note signature line, as it is appended to the checkpoint.
    pub line: String,
}

/// Which witnesses count, and how many of them must cosign a checkpoint for
/// it (and the decisions it covers) to be final.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CosignaturePolicy {
    pub witnesses: Vec<WitnessVerifier>,
    pub quorum: usize,
}

/// Why a witness policy was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("witness {0}: {1}")]
    Witness(String, NoteError),
    #[error("witness {0} is listed twice")]
    Duplicate(String),
    #[error("the quorum must be between 1 and the number of witnesses ({0})")]
    Quorum(usize),
    #[error("a witness policy line is neither `witness <vkey>` nor `quorum <n>`: {0}")]
    Line(String),
}

impl CosignaturePolicy {
    /// No witnesses: no checkpoint is ever final.
    pub fn none() -> Self {
        Self {
            witnesses: Vec::new(),
            quorum: 0,
        }
    }

    /// A policy from witness keys (C2SP vkeys, type 0x04) and how many of
    /// them must cosign (default: all).
    pub fn new(vkeys: &[String], quorum: Option<usize>) -> Result<Self, PolicyError> {
        let mut witnesses: Vec<WitnessVerifier> = Vec::with_capacity(vkeys.len());
        for vkey in vkeys {
            let witness = WitnessVerifier::from_vkey(vkey.trim())
                .map_err(|e| PolicyError::Witness(vkey.trim().to_owned(), e))?;
            if witnesses.iter().any(|w| w.name == witness.name) {
                return Err(PolicyError::Duplicate(witness.name));
            }
            witnesses.push(witness);
        }
        let quorum = quorum.unwrap_or(witnesses.len());
        if witnesses.is_empty() {
            return if quorum == 0 {
                Ok(Self::none())
            } else {
                Err(PolicyError::Quorum(0))
            };
        }
        if quorum == 0 || quorum > witnesses.len() {
            return Err(PolicyError::Quorum(witnesses.len()));
        }
        Ok(Self { witnesses, quorum })
    }

    /// The published form: `quorum <n>` then one `witness <vkey>` line per
    /// witness.
    pub fn to_text(&self) -> String {
        let mut text = format!("quorum {}\n", self.quorum);
        for witness in &self.witnesses {
            text.push_str(&format!("witness {}\n", witness.to_vkey()));
        }
        text
    }

    /// Parses [`CosignaturePolicy::to_text`].
    pub fn parse(text: &str) -> Result<Self, PolicyError> {
        let mut vkeys = Vec::new();
        let mut quorum = None;
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match line.split_once(' ') {
                Some(("witness", vkey)) => vkeys.push(vkey.to_owned()),
                Some(("quorum", n)) if quorum.is_none() => {
                    quorum = Some(n.parse().map_err(|_| PolicyError::Line(line.to_owned()))?);
                }
                _ => return Err(PolicyError::Line(line.to_owned())),
            }
        }
        Self::new(&vkeys, quorum)
    }

    /// Whether this policy names any witness (if not, nothing is final).
    pub fn is_empty(&self) -> bool {
        self.witnesses.is_empty()
    }

    /// The largest checkpoint size that carries the cosignatures the policy
    /// requires, among `cosigned`: (checkpoint size, witness name, key ID)
    /// of cosignatures already verified. Every entry below that size is
    /// final. `None` when no checkpoint is (or the policy is empty).
    pub fn final_size<'a>(
        &self,
        cosigned: impl IntoIterator<Item = (u64, &'a str, u32)>,
    ) -> Option<u64> {
        if self.witnesses.is_empty() {
            return None;
        }
        let mut by_size: std::collections::BTreeMap<u64, Vec<&str>> =
            std::collections::BTreeMap::new();
        for (size, name, key_id) in cosigned {
            if self
                .witnesses
                .iter()
                .any(|w| w.name == name && w.id == key_id)
            {
                let names = by_size.entry(size).or_default();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        by_size
            .into_iter()
            .rev()
            .find(|(_, names)| names.len() >= self.quorum.max(1))
            .map(|(size, _)| size)
    }

    /// Checks the cosignatures on a (log-signed) checkpoint note: every
    /// cosignature by a policy witness must verify, and at least `quorum`
    /// distinct witnesses must have cosigned. Other signatures are ignored.
    pub fn check(&self, note: &Note) -> Result<Vec<Cosigned>, CosignatureError> {
        let cosigned = self.cosignatures(note)?;
        if cosigned.len() < self.quorum {
            return Err(CosignatureError::QuorumNotMet {
                found: cosigned.len(),
                required: self.quorum,
            });
        }
        Ok(cosigned)
    }

    /// The verified cosignatures by policy witnesses on a checkpoint note,
    /// one per witness, whatever their number; an error if one of them does
    /// not verify. Signatures by other keys are ignored.
    pub fn cosignatures(&self, note: &Note) -> Result<Vec<Cosigned>, CosignatureError> {
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
                    let mut payload = witness.id.to_be_bytes().to_vec();
                    payload.extend_from_slice(&signature.signature);
                    cosigned.push(Cosigned {
                        witness: witness.name.clone(),
                        key_id: witness.id,
                        timestamp,
                        line: format!("\u{2014} {} {}\n", witness.name, BASE64.encode(payload)),
                    });
                }
            }
        }
        Ok(cosigned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::note::NoteSigner;

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
    fn the_final_size_is_the_largest_checkpoint_a_quorum_cosigned() {
        let (_, witnesses) = setup();
        let names: Vec<(String, u32)> = witnesses.iter().map(|w| (w.name.clone(), w.id)).collect();
        let two = policy(&witnesses, 2);
        let cosigned = |rows: &[(u64, usize)]| -> Vec<(u64, String, u32)> {
            rows.iter()
                .map(|(size, w)| (*size, names[*w].0.clone(), names[*w].1))
                .collect()
        };
        let rows = cosigned(&[(9, 0), (9, 1), (12, 0), (12, 0), (14, 2)]);
        let final_size = two.final_size(rows.iter().map(|(s, n, i)| (*s, n.as_str(), *i)));
        // Size 12 has one witness (twice), 14 one: 9 is the last with two.
        assert_eq!(final_size, Some(9));
        // A cosignature under another key of the same name does not count.
        let forged = [
            (14, names[1].0.as_str(), names[1].1 ^ 1),
            (14, names[2].0.as_str(), names[2].1),
        ];
        assert_eq!(two.final_size(forged), None);
        assert_eq!(CosignaturePolicy::none().final_size([(1, "x", 1)]), None);
    }

    #[test]
    fn a_policy_is_published_and_parsed_back_and_nonsense_is_refused() {
        let (_, witnesses) = setup();
        let vkeys: Vec<String> = witnesses.iter().map(|w| w.verifier().to_vkey()).collect();
        let policy = CosignaturePolicy::new(&vkeys, Some(2)).unwrap();
        assert_eq!(CosignaturePolicy::parse(&policy.to_text()).unwrap(), policy);
        assert_eq!(CosignaturePolicy::new(&vkeys, None).unwrap().quorum, 3);
        assert_eq!(
            CosignaturePolicy::new(&vkeys, Some(4)),
            Err(PolicyError::Quorum(3))
        );
        assert_eq!(
            CosignaturePolicy::new(&vkeys, Some(0)),
            Err(PolicyError::Quorum(3))
        );
        let twice = [vkeys[0].clone(), vkeys[0].clone()];
        assert!(matches!(
            CosignaturePolicy::new(&twice, None),
            Err(PolicyError::Duplicate(_))
        ));
        assert!(matches!(
            CosignaturePolicy::new(&["not a key".to_owned()], None),
            Err(PolicyError::Witness(..))
        ));
        assert!(CosignaturePolicy::parse("quorum 1\nwitnesses x\n").is_err());
        assert_eq!(
            CosignaturePolicy::new(&[], None).unwrap(),
            CosignaturePolicy::none()
        );
    }

    #[test]
    fn witness_private_keys_round_trip() {
        let (_, witnesses) = setup();
        let skey = witnesses[1].to_skey();
        let again = WitnessSigner::from_skey(&format!("{skey}\n")).unwrap();
        assert_eq!(again.verifier(), witnesses[1].verifier());
        // A log (note) key is not a witness key.
        let log_skey = NoteSigner::from_seed("log", &[1; 32]).unwrap().to_skey();
        assert!(WitnessSigner::from_skey(&log_skey).is_err());
        assert!(WitnessSigner::from_skey(&skey.replacen("PRIVATE+KEY+", "", 1)).is_err());
    }

    #[test]
    fn witness_keys_round_trip_and_are_not_note_keys() {
        let (_, witnesses) = setup();
        let vkey = witnesses[0].verifier().to_vkey();
        assert_eq!(
            WitnessVerifier::from_vkey(&vkey).unwrap(),
            witnesses[0].verifier()
        );
        assert!(crate::log::note::NoteVerifier::from_vkey(&vkey).is_err());
        let log_vkey = NoteSigner::from_seed("log", &[1; 32])
            .unwrap()
            .verifier()
            .to_vkey();
        assert!(WitnessVerifier::from_vkey(&log_vkey).is_err());
    }
}
