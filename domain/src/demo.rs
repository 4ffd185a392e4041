//! Demo councils: a council anyone may run to see Tribune at work, whose
//! members' keys anyone may use. Demo keys are derived from public seeds,
//! so they prove nothing: a council whose log origin is not a demo origin
//! refuses them (at enrollment and rotation, and in `tribune verify`).

use crate::council::LogOrigin;
use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Every demo council's log origin starts with this.
pub const DEMO_ORIGIN_PREFIX: &str = "demo.tribune.example/";
/// How many demo keys there are (member keys 0 to 63).
pub const DEMO_KEYS: u32 = 64;
/// The passphrase of every demo member's key file (it is public).
pub const DEMO_PASSPHRASE: &str = "demo council passphrase";

/// Whether `origin` is a demo council's.
pub fn is_demo_origin(origin: &LogOrigin) -> bool {
    origin.as_str().starts_with(DEMO_ORIGIN_PREFIX)
}

/// Demo key `n`: the Ed25519 key whose seed is
/// SHA-256("tribune-demo-key/v1\n" || decimal n).
pub fn demo_key(n: u32) -> SigningKey {
    let seed: [u8; 32] = Sha256::digest(format!("tribune-demo-key/v1\n{n}").as_bytes()).into();
    SigningKey::from_bytes(&seed)
}

/// Which demo key `public_key` is, if it is one.
pub fn demo_index(public_key: &[u8; 32]) -> Option<u32> {
    static KEYS: OnceLock<HashMap<[u8; 32], u32>> = OnceLock::new();
    KEYS.get_or_init(|| {
        (0..DEMO_KEYS)
            .map(|n| (demo_key(n).verifying_key().to_bytes(), n))
            .collect()
    })
    .get(public_key)
    .copied()
}

/// Whether `public_key` is one of the demo keys.
pub fn is_demo_key(public_key: &[u8; 32]) -> bool {
    demo_index(public_key).is_some()
}

/// Whether the council of `origin` may accept `public_key` as a member's:
/// demo keys only in demo councils.
pub fn key_allowed(origin: &LogOrigin, public_key: &[u8; 32]) -> bool {
    is_demo_origin(origin) || !is_demo_key(public_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_keys_are_stable_and_only_demo_councils_accept_them() {
        let first = demo_key(0).verifying_key().to_bytes();
        assert_eq!(first, demo_key(0).verifying_key().to_bytes());
        assert_ne!(first, demo_key(1).verifying_key().to_bytes());
        assert!(is_demo_key(&first));
        assert_eq!(demo_index(&demo_key(5).verifying_key().to_bytes()), Some(5));
        assert!(is_demo_key(
            &demo_key(DEMO_KEYS - 1).verifying_key().to_bytes()
        ));
        assert!(!is_demo_key(
            &SigningKey::from_bytes(&[7; 32]).verifying_key().to_bytes()
        ));
        let demo = LogOrigin::parse("demo.tribune.example/harbour").unwrap();
        let real = LogOrigin::parse("tribune.example/harbour").unwrap();
        assert!(key_allowed(&demo, &first));
        assert!(!key_allowed(&real, &first));
        assert!(key_allowed(
            &real,
            &SigningKey::from_bytes(&[7; 32]).verifying_key().to_bytes()
        ));
    }
}
