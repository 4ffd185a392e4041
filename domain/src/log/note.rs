//! Signed notes (C2SP signed-note) with Ed25519 signatures: the envelope of
//! every checkpoint the log publishes.
//!
//! A signed note is a text ending in a newline, a blank line, and one or more
//! signature lines `— <key name> base64(key ID || signature)`. The key ID is
//! the first four bytes of `SHA-256(key name || 0x0A || 0x01 || public key)`.
//! Parsing never panics; verification uses `verify_strict` and refuses weak
//! (small-order) public keys.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use std::fmt;

/// The signature type byte of Ed25519 note signatures.
const ED25519_TYPE: u8 = 0x01;
/// The largest signed note accepted (a checkpoint is a few hundred bytes).
pub const MAX_NOTE_BYTES: usize = 64 * 1024;
/// The most signature lines accepted on one note (C2SP asks for at least 16).
pub const MAX_SIGNATURES: usize = 100;
const SIGNATURE_PREFIX: &str = "\u{2014} ";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("the note is larger than {MAX_NOTE_BYTES} bytes")]
    TooLarge,
    #[error("the note is not valid UTF-8")]
    NotUtf8,
    #[error("the note contains a control character other than newline")]
    ControlCharacter,
    #[error("the note has no blank line separating its text from its signatures")]
    NoSignatureBlock,
    #[error("the note text is empty")]
    EmptyText,
    #[error("signature line {line} is malformed")]
    MalformedSignature { line: usize },
    #[error("the note has more than {MAX_SIGNATURES} signatures")]
    TooManySignatures,
    #[error("invalid key name: {0:?}")]
    InvalidKeyName(String),
    #[error("malformed key: {0}")]
    MalformedKey(&'static str),
    #[error("the public key is weak (of small order) and is refused")]
    WeakKey,
    #[error("the signature by {name} does not verify")]
    BadSignature { name: String },
    #[error("the note carries no signature by a trusted key")]
    NoTrustedSignature,
}

/// Checks a key name: non-empty, no Unicode white space, no `+`.
pub fn check_key_name(name: &str) -> Result<(), NoteError> {
    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c == '+') {
        return Err(NoteError::InvalidKeyName(name.to_owned()));
    }
    if name.chars().any(char::is_control) {
        return Err(NoteError::InvalidKeyName(name.to_owned()));
    }
    Ok(())
}

/// `SHA-256(name || 0x0A || signature type || public key)[:4]` as a big-endian integer.
pub fn key_id(name: &str, signature_type: u8, public_key: &[u8]) -> u32 {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update([0x0a, signature_type]);
    hasher.update(public_key);
    let digest = hasher.finalize();
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// A key that may sign notes: a name and an Ed25519 private key. Never
/// serialised, and `Debug` hides the key.
#[derive(Clone)]
pub struct NoteSigner {
    name: String,
    id: u32,
    key: SigningKey,
}

impl fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NoteSigner")
            .field("name", &self.name)
            .field("id", &format_args!("{:08x}", self.id))
            .finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// A signer from a 32-byte Ed25519 seed.
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Self, NoteError> {
        check_key_name(name)?;
        let key = SigningKey::from_bytes(seed);
        let id = key_id(name, ED25519_TYPE, key.verifying_key().as_bytes());
        Ok(Self {
            name: name.to_owned(),
            id,
            key,
        })
    }

    /// Parses the private key encoding
    /// `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`.
    pub fn from_skey(text: &str) -> Result<Self, NoteError> {
        let (name, id, seed) =
            parse_skey(text, ED25519_TYPE, "not an Ed25519 note key (type 0x01)")?;
        let signer = Self::from_seed(name, &seed)?;
        if signer.id != id {
            return Err(NoteError::MalformedKey("the key ID does not match the key"));
        }
        Ok(signer)
    }

    /// The private key encoding read by [`NoteSigner::from_skey`]. A secret.
    pub fn to_skey(&self) -> String {
        format_skey(&self.name, self.id, ED25519_TYPE, self.key.as_bytes())
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn verifier(&self) -> NoteVerifier {
        NoteVerifier {
            name: self.name.clone(),
            id: self.id,
            key: self.key.verifying_key(),
        }
    }

    /// Signs `text` (which must be a valid note text) and returns the signature line.
    pub fn sign_line(&self, text: &str) -> Result<String, NoteError> {
        check_text(text)?;
        let signature = self.key.sign(text.as_bytes());
        let mut payload = self.id.to_be_bytes().to_vec();
        payload.extend_from_slice(&signature.to_bytes());
        Ok(format!(
            "{SIGNATURE_PREFIX}{} {}\n",
            self.name,
            BASE64.encode(payload)
        ))
    }

    /// The Ed25519 key itself, for the log key's other signatures (the
    /// statements it signs, and the terms of an invitation).
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// The signed note: `text`, a blank line and this key's signature line.
    pub fn sign(&self, text: &str) -> Result<String, NoteError> {
        Ok(format!("{text}\n{}", self.sign_line(text)?))
    }
}

/// A trusted public key: a name and an Ed25519 public key (never a weak one).
#[derive(Clone, PartialEq, Eq)]
pub struct NoteVerifier {
    name: String,
    id: u32,
    key: VerifyingKey,
}

impl fmt::Debug for NoteVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_vkey())
    }
}

impl NoteVerifier {
    pub fn new(name: &str, public_key: &[u8; 32]) -> Result<Self, NoteError> {
        check_key_name(name)?;
        let key = VerifyingKey::from_bytes(public_key)
            .map_err(|_| NoteError::MalformedKey("not an Ed25519 public key"))?;
        if key.is_weak() {
            return Err(NoteError::WeakKey);
        }
        Ok(Self {
            name: name.to_owned(),
            id: key_id(name, ED25519_TYPE, key.as_bytes()),
            key,
        })
    }

    /// Parses the C2SP verifier key encoding `<name>+<hex key ID>+<base64(0x01 || public key)>`.
    pub fn from_vkey(text: &str) -> Result<Self, NoteError> {
        let (name, id, key) = split_key_encoding(text.trim_end_matches('\n'))?;
        let public_key: [u8; 32] = key
            .try_into()
            .map_err(|_| NoteError::MalformedKey("an Ed25519 public key has 32 bytes"))?;
        let verifier = Self::new(name, &public_key)?;
        if verifier.id != id {
            return Err(NoteError::MalformedKey("the key ID does not match the key"));
        }
        Ok(verifier)
    }

    /// The C2SP verifier key encoding.
    pub fn to_vkey(&self) -> String {
        let mut key = vec![ED25519_TYPE];
        key.extend_from_slice(self.key.as_bytes());
        format!("{}+{:08x}+{}", self.name, self.id, BASE64.encode(key))
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn key_id(&self) -> u32 {
        self.id
    }

    pub fn public_key(&self) -> &[u8; 32] {
        self.key.as_bytes()
    }

    fn matches(&self, signature: &NoteSignature) -> bool {
        self.name == signature.name && self.id == signature.key_id
    }

    fn verify(&self, text: &str, signature: &NoteSignature) -> Result<(), NoteError> {
        let bad = || NoteError::BadSignature {
            name: self.name.clone(),
        };
        let bytes: [u8; 64] = signature
            .signature
            .as_slice()
            .try_into()
            .map_err(|_| bad())?;
        self.key
            .verify_strict(text.as_bytes(), &Signature::from_bytes(&bytes))
            .map_err(|_| bad())
    }
}

/// `name+hexid+base64` → its three parts, the key without its Ed25519
/// note type byte (0x01).
fn split_key_encoding(text: &str) -> Result<(&str, u32, Vec<u8>), NoteError> {
    let (name, id, signature_type, key) = split_typed_key(text)?;
    if signature_type != ED25519_TYPE {
        return Err(NoteError::MalformedKey(
            "not an Ed25519 note key (type 0x01)",
        ));
    }
    Ok((name, id, key))
}

/// Parses `PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>` for keys
/// of `signature_type` (`wrong_type` is the error otherwise).
pub(crate) fn parse_skey<'t>(
    text: &'t str,
    signature_type: u8,
    wrong_type: &'static str,
) -> Result<(&'t str, u32, [u8; 32]), NoteError> {
    let rest = text
        .trim_end_matches('\n')
        .strip_prefix("PRIVATE+KEY+")
        .ok_or(NoteError::MalformedKey(
            "a private key starts with PRIVATE+KEY+",
        ))?;
    let (name, id, found, seed) = split_typed_key(rest)?;
    if found != signature_type {
        return Err(NoteError::MalformedKey(wrong_type));
    }
    let seed: [u8; 32] = seed
        .try_into()
        .map_err(|_| NoteError::MalformedKey("an Ed25519 private key has 32 bytes"))?;
    Ok((name, id, seed))
}

/// The private key encoding read by [`parse_skey`]. A secret.
pub(crate) fn format_skey(name: &str, id: u32, signature_type: u8, seed: &[u8; 32]) -> String {
    let mut key = vec![signature_type];
    key.extend_from_slice(seed);
    format!("PRIVATE+KEY+{name}+{id:08x}+{}", BASE64.encode(key))
}

/// `name+hexid+base64(type || key)` → name, key ID, type byte and key bytes.
pub(crate) fn split_typed_key(text: &str) -> Result<(&str, u32, u8, Vec<u8>), NoteError> {
    let mut parts = text.splitn(3, '+');
    let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(NoteError::MalformedKey("expected name+id+key"));
    };
    check_key_name(name)?;
    if id.len() != 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(NoteError::MalformedKey("the key ID is not 8 hex digits"));
    }
    let id = u32::from_str_radix(id, 16).map_err(|_| NoteError::MalformedKey("bad key ID"))?;
    let key = BASE64
        .decode(key)
        .map_err(|_| NoteError::MalformedKey("the key is not base64"))?;
    match key.split_first() {
        Some((&signature_type, rest)) => Ok((name, id, signature_type, rest.to_vec())),
        None => Err(NoteError::MalformedKey("empty key")),
    }
}

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    pub name: String,
    pub key_id: u32,
    /// The signature bytes after the key ID (64 for Ed25519).
    pub signature: Vec<u8>,
}

/// A parsed (not yet verified) signed note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The signed text, ending in a newline.
    pub text: String,
    pub signatures: Vec<NoteSignature>,
}

fn check_text(text: &str) -> Result<(), NoteError> {
    if !text.ends_with('\n') || text.bytes().all(|b| b == b'\n') {
        return Err(NoteError::EmptyText);
    }
    if text.chars().any(|c| c.is_ascii_control() && c != '\n') {
        return Err(NoteError::ControlCharacter);
    }
    Ok(())
}

impl Note {
    /// Parses a signed note. Checks its form only; see [`Note::verify`].
    pub fn parse(bytes: &[u8]) -> Result<Self, NoteError> {
        if bytes.len() > MAX_NOTE_BYTES {
            return Err(NoteError::TooLarge);
        }
        let note = std::str::from_utf8(bytes).map_err(|_| NoteError::NotUtf8)?;
        if note.chars().any(|c| c.is_ascii_control() && c != '\n') {
            return Err(NoteError::ControlCharacter);
        }
        let split = note.rfind("\n\n").ok_or(NoteError::NoSignatureBlock)?;
        let text = &note[..=split];
        let block = &note[split + 2..];
        check_text(text)?;
        if block.is_empty() || !block.ends_with('\n') {
            return Err(NoteError::NoSignatureBlock);
        }
        let mut signatures = Vec::new();
        for (i, line) in block[..block.len() - 1].split('\n').enumerate() {
            if signatures.len() == MAX_SIGNATURES {
                return Err(NoteError::TooManySignatures);
            }
            signatures.push(
                parse_signature_line(line).ok_or(NoteError::MalformedSignature { line: i + 1 })?,
            );
        }
        Ok(Self {
            text: text.to_owned(),
            signatures,
        })
    }

    /// Verifies the note against the trusted keys: every signature by a
    /// trusted key must verify, and at least one must be there. Signatures by
    /// other keys are ignored. Returns the trusted keys that signed.
    pub fn verify<'k>(
        &self,
        trusted: &'k [NoteVerifier],
    ) -> Result<Vec<&'k NoteVerifier>, NoteError> {
        let mut signed_by = Vec::new();
        for signature in &self.signatures {
            for key in trusted.iter().filter(|k| k.matches(signature)) {
                key.verify(&self.text, signature)?;
                if !signed_by.contains(&key) {
                    signed_by.push(key);
                }
            }
        }
        if signed_by.is_empty() {
            return Err(NoteError::NoTrustedSignature);
        }
        Ok(signed_by)
    }
}

fn parse_signature_line(line: &str) -> Option<NoteSignature> {
    let rest = line.strip_prefix(SIGNATURE_PREFIX)?;
    let (name, encoded) = rest.split_once(' ')?;
    check_key_name(name).ok()?;
    let payload = BASE64.decode(encoded).ok()?;
    if payload.len() < 5 {
        return None;
    }
    let (id, signature) = payload.split_at(4);
    Some(NoteSignature {
        name: name.to_owned(),
        key_id: u32::from_be_bytes([id[0], id[1], id[2], id[3]]),
        signature: signature.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(name: &str, byte: u8) -> NoteSigner {
        NoteSigner::from_seed(name, &[byte; 32]).unwrap()
    }

    #[test]
    fn a_signed_note_verifies_with_its_key_only() {
        let log = signer("tribune.example/log", 7);
        let note = log.sign("hello\n\nworld\n").unwrap();
        let parsed = Note::parse(note.as_bytes()).unwrap();
        assert_eq!(parsed.text, "hello\n\nworld\n");
        assert_eq!(parsed.verify(&[log.verifier()]).unwrap().len(), 1);

        // Another key of the same name: its signature is not there.
        let stranger = signer("tribune.example/log", 8);
        assert_eq!(
            parsed.verify(&[stranger.verifier()]),
            Err(NoteError::NoTrustedSignature)
        );
    }

    #[test]
    fn any_change_to_the_text_breaks_the_signature() {
        let log = signer("tribune.example/log", 7);
        let note = log.sign("tribune/demo\n3\nabc=\n").unwrap();
        let tampered = note.replacen("\n3\n", "\n4\n", 1);
        let parsed = Note::parse(tampered.as_bytes()).unwrap();
        assert!(matches!(
            parsed.verify(&[log.verifier()]),
            Err(NoteError::BadSignature { .. })
        ));
    }

    #[test]
    fn unknown_signatures_are_ignored_and_known_bad_ones_refuse_the_note() {
        let log = signer("log", 1);
        let witness = signer("witness", 2);
        let text = "body\n";
        let note = format!(
            "{text}\n{}{}",
            log.sign_line(text).unwrap(),
            witness.sign_line(text).unwrap()
        );
        let parsed = Note::parse(note.as_bytes()).unwrap();
        assert_eq!(parsed.signatures.len(), 2);
        assert_eq!(parsed.verify(&[log.verifier()]).unwrap().len(), 1);
        assert_eq!(
            parsed
                .verify(&[log.verifier(), witness.verifier()])
                .unwrap()
                .len(),
            2
        );

        // The witness's line with a flipped signature bit: the note is refused.
        let mut bad = parsed.clone();
        bad.signatures[1].signature[10] ^= 1;
        assert!(matches!(
            bad.verify(&[log.verifier(), witness.verifier()]),
            Err(NoteError::BadSignature { name }) if name == "witness"
        ));
    }

    #[test]
    fn vkey_and_skey_round_trip() {
        let log = signer("tribune.example/log", 9);
        let vkey = log.verifier().to_vkey();
        assert!(vkey.starts_with("tribune.example/log+"));
        assert_eq!(NoteVerifier::from_vkey(&vkey).unwrap(), log.verifier());
        let skey = log.to_skey();
        assert!(skey.starts_with("PRIVATE+KEY+tribune.example/log+"));
        assert_eq!(
            NoteSigner::from_skey(&skey).unwrap().verifier(),
            log.verifier()
        );
        assert!(!format!("{log:?}").contains(&skey[30..]));

        // A key ID that does not match the key is refused.
        let (head, tail) = vkey.split_at(vkey.find('+').unwrap() + 1);
        let wrong_id = format!("{head}00000000{}", &tail[8..]);
        assert!(NoteVerifier::from_vkey(&wrong_id).is_err());
    }

    #[test]
    fn weak_keys_are_refused() {
        // The identity point (small order): every signature "verifies" under
        // lax rules, so such a key must never be trusted.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(
            NoteVerifier::new("weak", &identity),
            Err(NoteError::WeakKey)
        );
    }

    #[test]
    fn malformed_notes_are_errors() {
        let log = signer("log", 1);
        let good = log.sign("text\n").unwrap();
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"no signatures\n".to_vec(), "no block"),
            (b"text\n\n".to_vec(), "empty block"),
            (b"\n\n\xe2\x80\x94 log AAAA\n".to_vec(), "empty text"),
            (good.replace('\u{2014}', "-").into_bytes(), "no em dash"),
            (good.trim_end().as_bytes().to_vec(), "no final newline"),
            (
                good.replace("text", "te\rxt").into_bytes(),
                "control character",
            ),
            (vec![0xff, 0xfe, b'\n', b'\n'], "not UTF-8"),
            (
                format!("text\n\n{SIGNATURE_PREFIX}log !!!\n").into_bytes(),
                "bad base64",
            ),
            (
                format!("text\n\n{SIGNATURE_PREFIX}log AAAA\n").into_bytes(),
                "too short",
            ),
            (
                format!("text\n\n{SIGNATURE_PREFIX}lo+g AAAAAAA=\n").into_bytes(),
                "bad name",
            ),
            (vec![b'a'; MAX_NOTE_BYTES + 1], "too large"),
        ];
        for (bytes, why) in cases {
            assert!(Note::parse(&bytes).is_err(), "{why} was accepted");
        }
    }

    #[test]
    fn parsing_arbitrary_bytes_never_panics() {
        // A deterministic stream of pseudo-random notes, mutated from a good one.
        let log = signer("log", 1);
        let good = log.sign("tribune/demo\n1\nAAAA\n").unwrap().into_bytes();
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let mut bytes = good.clone();
            for _ in 0..(next() % 4 + 1) {
                let at = (next() as usize) % bytes.len();
                match next() % 3 {
                    0 => bytes[at] = next() as u8,
                    1 => {
                        bytes.remove(at);
                    }
                    _ => bytes.insert(at, next() as u8),
                }
                if bytes.is_empty() {
                    break;
                }
            }
            if let Ok(note) = Note::parse(&bytes) {
                let _ = note.verify(&[log.verifier()]);
            }
            let text = String::from_utf8_lossy(&bytes);
            let _ = NoteVerifier::from_vkey(&text);
            let _ = NoteSigner::from_skey(&text);
        }
    }
}
