//! The log's first entry: the council's founding statement, signed by the log
//! key. It publishes the council's name, when it was founded and the log's
//! public key, so that every later checkpoint can be checked against entry 0.

use crate::checkpoint::{Checkpoint, CheckpointError};
use crate::council::Council;
use crate::merkle;
use crate::note::{NoteError, NoteSigner, NoteVerifier};
use crate::statement::{SignedStatement, Statement, StatementError, StatementKind, Subject};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenesisError {
    #[error("the log key must be named after the log origin {origin:?}, not {name:?}")]
    KeyNameMismatch { origin: String, name: String },
    #[error(transparent)]
    Statement(#[from] StatementError),
    #[error(transparent)]
    Note(#[from] NoteError),
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
}

/// Everything `tribune init` writes to the log in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Genesis {
    pub council: Council,
    /// The log's public key in C2SP vkey form.
    pub log_vkey: String,
    /// Entry 0, the founding statement, as stored in the log.
    pub entry: Vec<u8>,
    /// The signed checkpoint of the log of size 1.
    pub checkpoint: String,
}

/// The founding statement's body.
pub fn founding_body(council: &Council, log_key: &NoteVerifier) -> serde_json::Value {
    serde_json::json!({
        "name": council.name.as_str(),
        "founded_at": council.founded_at.unix_seconds(),
        "log_key": log_key.to_vkey(),
    })
}

/// Builds entry 0 and the first checkpoint, signed by `log_key`, whose name
/// must be the council's log origin.
pub fn genesis(council: &Council, log_key: &NoteSigner) -> Result<Genesis, GenesisError> {
    if log_key.name() != council.log_origin.as_str() {
        return Err(GenesisError::KeyNameMismatch {
            origin: council.log_origin.to_string(),
            name: log_key.name().to_owned(),
        });
    }
    let verifier = log_key.verifier();
    let statement = Statement {
        kind: StatementKind::CouncilFounding,
        origin: council.log_origin.clone(),
        subject: Subject::default(),
        body: founding_body(council, &verifier),
    };
    let signed: SignedStatement = log_key.sign_statement(statement)?;
    let entry = signed.to_entry()?;
    let checkpoint = Checkpoint {
        origin: council.log_origin.clone(),
        size: 1,
        root: merkle::root(&[merkle::leaf_hash(&entry)]),
        extensions: vec![],
    }
    .sign(log_key)?;
    Ok(Genesis {
        council: council.clone(),
        log_vkey: verifier.to_vkey(),
        entry,
        checkpoint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::council::{CouncilName, LogOrigin};
    use crate::time::Timestamp;

    fn council() -> Council {
        Council {
            name: CouncilName::parse("Harbour Content Council").unwrap(),
            log_origin: LogOrigin::parse("tribune.example/harbour").unwrap(),
            founded_at: Timestamp::from_unix_seconds(1_795_219_200),
        }
    }

    #[test]
    fn entry_zero_is_a_founding_statement_signed_by_the_log_key() {
        let key = NoteSigner::from_seed("tribune.example/harbour", &[9; 32]).unwrap();
        let genesis = genesis(&council(), &key).unwrap();
        let verifier = NoteVerifier::from_vkey(&genesis.log_vkey).unwrap();
        assert_eq!(verifier, key.verifier());

        let founding = SignedStatement::from_entry(&genesis.entry).unwrap();
        founding.verify(&council().log_origin).unwrap();
        assert_eq!(founding.statement.kind, StatementKind::CouncilFounding);
        assert_eq!(&founding.signer, verifier.public_key());
        assert_eq!(founding.statement.body["log_key"], genesis.log_vkey);
        assert_eq!(founding.statement.body["name"], "Harbour Content Council");

        let summary = crate::verify::verify_log(
            &council().log_origin,
            &verifier,
            genesis.checkpoint.as_bytes(),
            std::slice::from_ref(&genesis.entry),
            |_| {},
        )
        .unwrap();
        assert_eq!(summary.entries, 1);
    }

    #[test]
    fn the_log_key_must_carry_the_origin_as_its_name() {
        let key = NoteSigner::from_seed("someone.else/log", &[9; 32]).unwrap();
        assert!(matches!(
            genesis(&council(), &key),
            Err(GenesisError::KeyNameMismatch { .. })
        ));
    }
}
