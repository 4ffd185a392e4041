//! The member's private key as the browser keeps it: encrypted under a
//! passphrase with Argon2id (key derivation) and XChaCha20-Poly1305 (AEAD).
//! The same JSON document is stored in the browser and offered as the backup
//! file; the server never sees it. Parameters are in `docs/protocol.md`.
//!
//! Pure Rust, so the encryption is tested natively; the browser glue
//! (local storage, files) lives with the pages that use it.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use domain::hex;
use domain::statement::MemberId;
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "tribune-key/v1";
/// OWASP's Argon2id recommendation (19 MiB, 2 passes, 1 lane): about a
/// second in a browser, costly enough to slow down guessing a stolen file.
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;
/// The shortest passphrase accepted.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeystoreError {
    #[error("The passphrase must have at least {MIN_PASSPHRASE_CHARS} characters.")]
    PassphraseTooShort,
    #[error("Wrong passphrase for this key.")]
    WrongPassphrase,
    #[error("This is not a Tribune key file: {0}")]
    NotAKeyFile(String),
    #[error("The browser could not provide random numbers.")]
    NoRandomness,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KdfParams {
    pub algorithm: String,
    pub version: u32,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    pub salt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CipherParams {
    pub algorithm: String,
    pub nonce: String,
}

/// An encrypted member key: what the browser stores and the backup file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncryptedKey {
    pub format: String,
    /// The council's log origin: the key is for this council.
    pub origin: String,
    pub member: MemberId,
    pub name: String,
    /// The Ed25519 public key, lower-case hex.
    pub public_key: String,
    pub kdf: KdfParams,
    pub cipher: CipherParams,
    /// The encrypted 32-byte seed and its 16-byte tag, lower-case hex.
    pub ciphertext: String,
}

/// A fresh random seed for a new key pair.
pub fn generate_key() -> Result<SigningKey, KeystoreError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|_| KeystoreError::NoRandomness)?;
    Ok(SigningKey::from_bytes(&seed))
}

/// How strong a passphrase looks, for the hint under the field (a rough
/// estimate from its length and variety; the minimum length is the rule).
pub fn strength_hint(passphrase: &str) -> &'static str {
    let length = passphrase.chars().count();
    let classes = [
        passphrase.chars().any(|c| c.is_lowercase()),
        passphrase.chars().any(|c| c.is_uppercase()),
        passphrase.chars().any(|c| c.is_numeric()),
        passphrase.chars().any(|c| !c.is_alphanumeric()),
    ]
    .into_iter()
    .filter(|present| *present)
    .count();
    match (length, classes) {
        (0, _) => "",
        (n, _) if n < MIN_PASSPHRASE_CHARS => "Too short: at least 12 characters.",
        (n, c) if n >= 20 || (n >= 16 && c >= 3) => "Strong.",
        (_, c) if c >= 2 => "Fair: a few more words would make it strong.",
        _ => "Weak: use a longer phrase, mixing words, digits or symbols.",
    }
}

fn argon2(
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
) -> Result<Argon2<'static>, KeystoreError> {
    let params = Params::new(memory_kib, iterations, parallelism, Some(32))
        .map_err(|e| KeystoreError::NotAKeyFile(format!("key derivation parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// What the AEAD authenticates besides the seed: the file's identity, so that
/// a ciphertext cannot be moved under another member, council or public key.
fn associated_data(origin: &str, member: MemberId, public_key: &str) -> Vec<u8> {
    format!("{FORMAT}\n{origin}\n{member}\n{public_key}").into_bytes()
}

impl EncryptedKey {
    /// Encrypts `key` under `passphrase`.
    pub fn seal(
        key: &SigningKey,
        passphrase: &str,
        origin: &str,
        member: MemberId,
        name: &str,
    ) -> Result<Self, KeystoreError> {
        if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(KeystoreError::PassphraseTooShort);
        }
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut salt).map_err(|_| KeystoreError::NoRandomness)?;
        getrandom::fill(&mut nonce).map_err(|_| KeystoreError::NoRandomness)?;
        let mut secret = [0u8; 32];
        argon2(MEMORY_KIB, ITERATIONS, PARALLELISM)?
            .hash_password_into(passphrase.as_bytes(), &salt, &mut secret)
            .map_err(|e| KeystoreError::NotAKeyFile(e.to_string()))?;
        let public_key = hex::encode(key.verifying_key().as_bytes());
        let aad = associated_data(origin, member, &public_key);
        let ciphertext = XChaCha20Poly1305::new((&secret).into())
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: key.as_bytes(),
                    aad: &aad,
                },
            )
            .map_err(|_| KeystoreError::NoRandomness)?;
        Ok(Self {
            format: FORMAT.to_owned(),
            origin: origin.to_owned(),
            member,
            name: name.to_owned(),
            public_key,
            kdf: KdfParams {
                algorithm: "argon2id".to_owned(),
                version: 0x13,
                memory_kib: MEMORY_KIB,
                iterations: ITERATIONS,
                parallelism: PARALLELISM,
                salt: hex::encode(&salt),
            },
            cipher: CipherParams {
                algorithm: "xchacha20poly1305".to_owned(),
                nonce: hex::encode(&nonce),
            },
            ciphertext: hex::encode(&ciphertext),
        })
    }

    /// Decrypts the key; a wrong passphrase (or a tampered file) is
    /// [`KeystoreError::WrongPassphrase`].
    pub fn open(&self, passphrase: &str) -> Result<SigningKey, KeystoreError> {
        let bad = |what: &str| KeystoreError::NotAKeyFile(what.to_owned());
        if self.format != FORMAT {
            return Err(bad("unknown format"));
        }
        if self.kdf.algorithm != "argon2id" || self.kdf.version != 0x13 {
            return Err(bad("unknown key derivation"));
        }
        if self.cipher.algorithm != "xchacha20poly1305" {
            return Err(bad("unknown cipher"));
        }
        // Refuse parameters that would hang the browser (or be trivially weak).
        if !(8_192..=1_048_576).contains(&self.kdf.memory_kib)
            || !(1..=10).contains(&self.kdf.iterations)
            || !(1..=4).contains(&self.kdf.parallelism)
        {
            return Err(bad("key derivation parameters out of range"));
        }
        let salt = hex::decode(&self.kdf.salt).ok_or_else(|| bad("salt"))?;
        let nonce = hex::decode(&self.cipher.nonce)
            .filter(|n| n.len() == 24)
            .ok_or_else(|| bad("nonce"))?;
        let ciphertext = hex::decode(&self.ciphertext).ok_or_else(|| bad("ciphertext"))?;
        let mut secret = [0u8; 32];
        argon2(
            self.kdf.memory_kib,
            self.kdf.iterations,
            self.kdf.parallelism,
        )?
        .hash_password_into(passphrase.as_bytes(), &salt, &mut secret)
        .map_err(|e| KeystoreError::NotAKeyFile(e.to_string()))?;
        let aad = associated_data(&self.origin, self.member, &self.public_key);
        let seed = XChaCha20Poly1305::new((&secret).into())
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| KeystoreError::WrongPassphrase)?;
        let seed = <[u8; 32]>::try_from(seed).map_err(|_| bad("seed length"))?;
        let key = SigningKey::from_bytes(&seed);
        if hex::encode(key.verifying_key().as_bytes()) != self.public_key {
            return Err(bad("the key does not match its public key"));
        }
        Ok(key)
    }

    /// Reads a backup file.
    pub fn from_json(text: &str) -> Result<Self, KeystoreError> {
        let key: Self =
            serde_json::from_str(text).map_err(|e| KeystoreError::NotAKeyFile(e.to_string()))?;
        if key.format != FORMAT {
            return Err(KeystoreError::NotAKeyFile("unknown format".to_owned()));
        }
        Ok(key)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The file name offered for the backup.
    pub fn file_name(&self) -> String {
        format!("tribune-key-member-{}.json", self.member)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed() -> (SigningKey, EncryptedKey) {
        let key = SigningKey::from_bytes(&[7; 32]);
        let file = EncryptedKey::seal(
            &key,
            "correct horse battery staple",
            "tribune.example/harbour",
            MemberId(3),
            "Ada Moreau",
        )
        .unwrap();
        (key, file)
    }

    #[test]
    fn a_sealed_key_opens_with_its_passphrase_only() {
        let (key, file) = sealed();
        assert_eq!(file.open("correct horse battery staple").unwrap(), key);
        assert_eq!(
            file.open("correct horse battery stapler"),
            Err(KeystoreError::WrongPassphrase)
        );
        // The file holds neither the seed nor the passphrase.
        let json = file.to_json();
        assert!(!json.contains(&hex::encode(key.as_bytes())));
        assert!(!json.contains("horse"));
    }

    #[test]
    fn the_backup_file_round_trips_and_binds_its_identity() {
        let (key, file) = sealed();
        let read = EncryptedKey::from_json(&file.to_json()).unwrap();
        assert_eq!(read.open("correct horse battery staple").unwrap(), key);
        let mut moved = read.clone();
        moved.member = MemberId(4);
        assert_eq!(
            moved.open("correct horse battery staple"),
            Err(KeystoreError::WrongPassphrase)
        );
        assert!(EncryptedKey::from_json("{\"format\": \"other\"}").is_err());
        assert!(EncryptedKey::from_json("not json").is_err());
    }

    #[test]
    fn short_passphrases_are_refused_and_hinted() {
        let key = SigningKey::from_bytes(&[7; 32]);
        assert_eq!(
            EncryptedKey::seal(&key, "short", "o", MemberId(1), "A"),
            Err(KeystoreError::PassphraseTooShort)
        );
        assert!(strength_hint("short").starts_with("Too short"));
        assert_eq!(strength_hint("a much longer pass phrase"), "Strong.");
    }

    #[test]
    fn hostile_parameters_are_refused_before_any_work() {
        let (_, mut file) = sealed();
        file.kdf.memory_kib = u32::MAX;
        assert!(matches!(
            file.open("correct horse battery staple"),
            Err(KeystoreError::NotAKeyFile(_))
        ));
    }
}
