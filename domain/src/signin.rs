//! Sign-in without passwords: the server issues a fresh random nonce and the
//! member's browser signs it with the member's key.
//!
//! The signed bytes are domain-separated from statements, invitations and
//! checkpoints (their first line differs), so a sign-in signature can never be
//! replayed as any of them, nor on another council:
//!
//! ```text
//! tribune-sign-in/v1
//! origin tribune.example/harbour
//! nonce 3f…(64 hex digits)
//! ```

use crate::council::LogOrigin;
use crate::hex;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};

pub const FORMAT: &str = "tribune-sign-in/v1";

/// The bytes a member signs to answer the challenge `nonce`.
pub fn challenge_bytes(origin: &LogOrigin, nonce: &[u8; 32]) -> Vec<u8> {
    format!("{FORMAT}\norigin {origin}\nnonce {}\n", hex::encode(nonce)).into_bytes()
}

/// Answers a challenge (in the browser).
pub fn sign_challenge(origin: &LogOrigin, nonce: &[u8; 32], key: &SigningKey) -> [u8; 64] {
    key.sign(&challenge_bytes(origin, nonce)).to_bytes()
}

/// Checks an answer with `verify_strict`, refusing weak keys.
pub fn verify_challenge(
    origin: &LogOrigin,
    nonce: &[u8; 32],
    public_key: &[u8; 32],
    signature: &[u8; 64],
) -> bool {
    VerifyingKey::from_bytes(public_key).is_ok_and(|key| {
        !key.is_weak()
            && key
                .verify_strict(
                    &challenge_bytes(origin, nonce),
                    &Signature::from_bytes(signature),
                )
                .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(text: &str) -> LogOrigin {
        LogOrigin::parse(text).unwrap()
    }

    #[test]
    fn an_answer_verifies_for_its_nonce_key_and_council_only() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let public = key.verifying_key().to_bytes();
        let here = origin("tribune.example/harbour");
        let nonce = [9; 32];
        let answer = sign_challenge(&here, &nonce, &key);
        assert!(verify_challenge(&here, &nonce, &public, &answer));
        assert!(!verify_challenge(&here, &[8; 32], &public, &answer));
        assert!(!verify_challenge(
            &origin("tribune.example/other"),
            &nonce,
            &public,
            &answer
        ));
        let other = SigningKey::from_bytes(&[4; 32]).verifying_key().to_bytes();
        assert!(!verify_challenge(&here, &nonce, &other, &answer));
    }

    #[test]
    fn the_challenge_bytes_are_as_documented() {
        let bytes = challenge_bytes(&origin("tribune.example/harbour"), &[0xab; 32]);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            format!(
                "tribune-sign-in/v1\norigin tribune.example/harbour\nnonce {}\n",
                "ab".repeat(32)
            )
        );
    }
}
