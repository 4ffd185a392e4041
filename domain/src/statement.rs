//! Signed statements: everything the council publishes in its log (a vote, a
//! recusal, a key change, a decision…), each signed by its author's Ed25519
//! key over domain-separated bytes.
//!
//! The signed bytes are a header naming the format version, the statement
//! kind, the log origin and the ids the statement is about, one per line,
//! then a blank line and the canonical JSON (RFC 8785) of the body:
//!
//! ```text
//! tribune-statement/v1 vote
//! origin tribune.example/harbour
//! case 12
//! motion 3
//! member 7
//!
//! {"choice":"support","reason":"…"}
//! ```
//!
//! A signature made for one case, motion, kind or council therefore never
//! verifies for another. Verification uses `verify_strict`, and weak
//! (small-order) keys are refused.

use crate::canonical::{CanonicalError, to_canonical_json};
use crate::council::LogOrigin;
use crate::hex;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The format version named in every signed header.
pub const FORMAT: &str = "tribune-statement/v1";
/// The largest log entry accepted: what an entry bundle (C2SP tlog-tiles)
/// can carry.
pub const MAX_ENTRY_BYTES: usize = 65_535;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

pub(crate) use id_type;

id_type!(
    /// A case escalated to the council.
    CaseId
);
id_type!(
    /// One item to decide on a case.
    MotionId
);
id_type!(
    /// A council member.
    MemberId
);

/// Every kind of statement the council publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatementKind {
    CouncilFounding,
    MemberEnrollment,
    KeyRotation,
    KeyRevocation,
    RoleChange,
    Recusal,
    MotionOpening,
    Vote,
    VoteCommitment,
    MotionClosing,
    Decision,
    Opinion,
    RecommendationAnswer,
    PanelAssignment,
    RulesChange,
    WitnessCosignature,
}

/// Which ids a statement of some kind must name (and no others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Requires {
    case: bool,
    motion: bool,
    member: bool,
    rules_version: bool,
    tree_size: bool,
}

impl StatementKind {
    pub const ALL: [Self; 16] = [
        Self::CouncilFounding,
        Self::MemberEnrollment,
        Self::KeyRotation,
        Self::KeyRevocation,
        Self::RoleChange,
        Self::Recusal,
        Self::MotionOpening,
        Self::Vote,
        Self::VoteCommitment,
        Self::MotionClosing,
        Self::Decision,
        Self::Opinion,
        Self::RecommendationAnswer,
        Self::PanelAssignment,
        Self::RulesChange,
        Self::WitnessCosignature,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CouncilFounding => "council-founding",
            Self::MemberEnrollment => "member-enrollment",
            Self::KeyRotation => "key-rotation",
            Self::KeyRevocation => "key-revocation",
            Self::RoleChange => "role-change",
            Self::Recusal => "recusal",
            Self::MotionOpening => "motion-opening",
            Self::Vote => "vote",
            Self::VoteCommitment => "vote-commitment",
            Self::MotionClosing => "motion-closing",
            Self::Decision => "decision",
            Self::Opinion => "opinion",
            Self::RecommendationAnswer => "recommendation-answer",
            Self::PanelAssignment => "panel-assignment",
            Self::RulesChange => "rules-change",
            Self::WitnessCosignature => "witness-cosignature",
        }
    }

    fn requires(self) -> Requires {
        let none = Requires {
            case: false,
            motion: false,
            member: false,
            rules_version: false,
            tree_size: false,
        };
        match self {
            Self::CouncilFounding => none,
            Self::MemberEnrollment | Self::KeyRotation | Self::KeyRevocation | Self::RoleChange => {
                Requires {
                    member: true,
                    ..none
                }
            }
            Self::Recusal | Self::Opinion => Requires {
                case: true,
                member: true,
                ..none
            },
            Self::Vote | Self::VoteCommitment => Requires {
                case: true,
                motion: true,
                member: true,
                ..none
            },
            Self::MotionOpening | Self::MotionClosing => Requires {
                case: true,
                motion: true,
                ..none
            },
            Self::Decision | Self::RecommendationAnswer | Self::PanelAssignment => {
                Requires { case: true, ..none }
            }
            Self::RulesChange => Requires {
                rules_version: true,
                ..none
            },
            Self::WitnessCosignature => Requires {
                tree_size: true,
                ..none
            },
        }
    }
}

impl fmt::Display for StatementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The ids a statement is about. Which must be present depends on the kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motion: Option<MotionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<MemberId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules_version: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tree_size: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    #[error("a {kind} statement must name {missing}")]
    MissingId {
        kind: StatementKind,
        missing: &'static str,
    },
    #[error("a {kind} statement must not name {extra}")]
    UnexpectedId {
        kind: StatementKind,
        extra: &'static str,
    },
    #[error("the body must be a JSON object")]
    BodyNotObject,
    #[error("the body cannot be signed: {0}")]
    Canonical(#[from] CanonicalError),
    #[error("the statement is for log {found:?}, not {expected:?}")]
    WrongOrigin { expected: String, found: String },
    #[error("the signer's public key is malformed")]
    MalformedKey,
    #[error("the signer's public key is weak (of small order) and is refused")]
    WeakKey,
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the entry is not a valid statement: {0}")]
    MalformedEntry(String),
    #[error("the entry is larger than {MAX_ENTRY_BYTES} bytes")]
    EntryTooLarge,
}

/// A statement before it is signed (as JSON, what the server hands the
/// browser to sign for a chair's act).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub kind: StatementKind,
    pub origin: LogOrigin,
    pub subject: Subject,
    /// What the statement says, as a JSON object (kind-specific).
    pub body: Value,
}

impl Statement {
    /// Checks that the subject names exactly the ids this kind requires and
    /// that the body is a JSON object.
    pub fn check(&self) -> Result<(), StatementError> {
        let kind = self.kind;
        let required = kind.requires();
        let fields = [
            ("a case", required.case, self.subject.case.is_some()),
            ("a motion", required.motion, self.subject.motion.is_some()),
            ("a member", required.member, self.subject.member.is_some()),
            (
                "a rules version",
                required.rules_version,
                self.subject.rules_version.is_some(),
            ),
            (
                "a tree size",
                required.tree_size,
                self.subject.tree_size.is_some(),
            ),
        ];
        for (name, required, present) in fields {
            if required && !present {
                return Err(StatementError::MissingId {
                    kind,
                    missing: name,
                });
            }
            if present && !required {
                return Err(StatementError::UnexpectedId { kind, extra: name });
            }
        }
        if !self.body.is_object() {
            return Err(StatementError::BodyNotObject);
        }
        Ok(())
    }

    /// The exact bytes that are signed (see the module documentation).
    pub fn signed_bytes(&self) -> Result<Vec<u8>, StatementError> {
        self.check()?;
        let mut header = format!("{FORMAT} {}\norigin {}\n", self.kind, self.origin);
        let ids = [
            ("case", self.subject.case.map(|id| id.0)),
            ("motion", self.subject.motion.map(|id| id.0)),
            ("member", self.subject.member.map(|id| id.0)),
            ("rules-version", self.subject.rules_version),
            ("tree-size", self.subject.tree_size),
        ];
        for (name, id) in ids {
            if let Some(id) = id {
                header.push_str(&format!("{name} {id}\n"));
            }
        }
        header.push('\n');
        header.push_str(&to_canonical_json(&self.body)?);
        Ok(header.into_bytes())
    }

    /// Signs the statement with `key`.
    pub fn sign(self, key: &SigningKey) -> Result<SignedStatement, StatementError> {
        let signature = key.sign(&self.signed_bytes()?);
        Ok(SignedStatement {
            statement: self,
            signer: key.verifying_key().to_bytes(),
            signature: signature.to_bytes(),
        })
    }
}

/// A statement with its author's public key and signature: one log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedStatement {
    pub statement: Statement,
    pub signer: [u8; 32],
    pub signature: [u8; 64],
}

/// The JSON form of a log entry.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    format: String,
    kind: StatementKind,
    origin: String,
    subject: Subject,
    body: Value,
    signer: String,
    signature: String,
}

impl SignedStatement {
    /// Checks the signature with `verify_strict`, refusing weak keys, and
    /// that the statement belongs to the log named `origin`. Whether the
    /// signer was entitled to make it is for the log's replay to decide.
    pub fn verify(&self, origin: &LogOrigin) -> Result<(), StatementError> {
        if self.statement.origin != *origin {
            return Err(StatementError::WrongOrigin {
                expected: origin.to_string(),
                found: self.statement.origin.to_string(),
            });
        }
        let key =
            VerifyingKey::from_bytes(&self.signer).map_err(|_| StatementError::MalformedKey)?;
        if key.is_weak() {
            return Err(StatementError::WeakKey);
        }
        let bytes = self.statement.signed_bytes()?;
        key.verify_strict(&bytes, &Signature::from_bytes(&self.signature))
            .map_err(|_| StatementError::BadSignature)
    }

    /// The log entry: canonical JSON of the statement, its signer and signature.
    pub fn to_entry(&self) -> Result<Vec<u8>, StatementError> {
        let entry = self.encode_entry()?;
        if entry.len() > MAX_ENTRY_BYTES {
            return Err(StatementError::EntryTooLarge);
        }
        Ok(entry)
    }

    fn encode_entry(&self) -> Result<Vec<u8>, StatementError> {
        let entry = Entry {
            format: FORMAT.to_owned(),
            kind: self.statement.kind,
            origin: self.statement.origin.to_string(),
            subject: self.statement.subject.clone(),
            body: self.statement.body.clone(),
            signer: hex::encode(&self.signer),
            signature: hex::encode(&self.signature),
        };
        let value = serde_json::to_value(entry)
            .map_err(|e| StatementError::MalformedEntry(e.to_string()))?;
        Ok(to_canonical_json(&value)?.into_bytes())
    }

    /// Reads a log entry. The entry must be exactly the canonical form, so
    /// that one statement has one encoding (and one leaf hash). Does not
    /// verify the signature: see [`SignedStatement::verify`].
    pub fn from_entry(bytes: &[u8]) -> Result<Self, StatementError> {
        if bytes.len() > MAX_ENTRY_BYTES {
            return Err(StatementError::EntryTooLarge);
        }
        let malformed = |why: &str| StatementError::MalformedEntry(why.to_owned());
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|e| StatementError::MalformedEntry(e.to_string()))?;
        if to_canonical_json(&value)?.as_bytes() != bytes {
            return Err(malformed("not in canonical form"));
        }
        // A subject id given as `null` reads as absent, and the signed bytes
        // leave it out: it would give one signed statement a second
        // encoding, and a second leaf hash.
        if value
            .get("subject")
            .and_then(Value::as_object)
            .is_some_and(|subject| subject.values().any(Value::is_null))
        {
            return Err(malformed("a subject id is null: leave it out"));
        }
        let entry: Entry = serde_json::from_value(value)
            .map_err(|e| StatementError::MalformedEntry(e.to_string()))?;
        if entry.format != FORMAT {
            return Err(malformed("unknown format"));
        }
        let origin = LogOrigin::parse(&entry.origin).map_err(|_| malformed("invalid origin"))?;
        // Lower-case hex only: one statement, one encoding.
        let signer = hex::decode(&entry.signer)
            .filter(|b| hex::encode(b) == entry.signer)
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| malformed("signer is not 32 bytes of lower-case hex"))?;
        let signature = hex::decode(&entry.signature)
            .filter(|b| hex::encode(b) == entry.signature)
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
            .ok_or_else(|| malformed("signature is not 64 bytes of lower-case hex"))?;
        let statement = Statement {
            kind: entry.kind,
            origin,
            subject: entry.subject,
            body: entry.body,
        };
        statement.check()?;
        let signed = Self {
            statement,
            signer,
            signature,
        };
        Ok(signed)
    }
}

impl crate::log::note::NoteSigner {
    /// Signs a log statement with this key (the log key signs the founding
    /// statement). Statement bytes start with `tribune-statement/v1 `, which
    /// no note text of ours can (an origin has no space), so the two kinds of
    /// signature by one key cannot be confused.
    pub fn sign_statement(&self, statement: Statement) -> Result<SignedStatement, StatementError> {
        statement.sign(self.signing_key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_entry_with_a_null_subject_id_is_a_second_encoding_and_is_refused() {
        let signed = Statement {
            kind: StatementKind::Recusal,
            origin: origin(),
            subject: Subject {
                case: Some(crate::cases::CaseId(12)),
                member: Some(MemberId(7)),
                ..Subject::default()
            },
            body: json!({"reason": "I know the account holder."}),
        }
        .sign(&member_key())
        .unwrap();
        let entry = signed.to_entry().unwrap();
        assert_eq!(SignedStatement::from_entry(&entry).unwrap(), signed);
        let mut value: Value = serde_json::from_slice(&entry).unwrap();
        value["subject"]["motion"] = Value::Null;
        let twin = crate::canonical::to_canonical_json(&value).unwrap();
        assert!(matches!(
            SignedStatement::from_entry(twin.as_bytes()),
            Err(StatementError::MalformedEntry(_))
        ));
    }

    fn origin() -> LogOrigin {
        LogOrigin::parse("tribune.example/harbour").unwrap()
    }

    fn member_key() -> SigningKey {
        SigningKey::from_bytes(&[42; 32])
    }

    fn vote() -> Statement {
        Statement {
            kind: StatementKind::Vote,
            origin: origin(),
            subject: Subject {
                case: Some(CaseId(12)),
                motion: Some(MotionId(3)),
                member: Some(MemberId(7)),
                ..Subject::default()
            },
            body: json!({"choice": "support", "reason": "Satire, not a threat."}),
        }
    }

    #[test]
    fn the_signed_bytes_name_format_kind_origin_and_ids() {
        let bytes = vote().signed_bytes().unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "tribune-statement/v1 vote\norigin tribune.example/harbour\ncase 12\nmotion 3\nmember 7\n\n\
             {\"choice\":\"support\",\"reason\":\"Satire, not a threat.\"}"
        );
    }

    #[test]
    fn a_signed_statement_verifies_and_survives_the_log_encoding() {
        let signed = vote().sign(&member_key()).unwrap();
        signed.verify(&origin()).unwrap();
        let entry = signed.to_entry().unwrap();
        let read = SignedStatement::from_entry(&entry).unwrap();
        assert_eq!(read, signed);
        read.verify(&origin()).unwrap();
    }

    #[test]
    fn a_signature_cannot_be_replayed_on_another_case_motion_kind_member_or_council() {
        let signed = vote().sign(&member_key()).unwrap();
        let replay = |change: &dyn Fn(&mut Statement)| {
            let mut replayed = signed.clone();
            change(&mut replayed.statement);
            replayed
        };
        let other_case = replay(&|s| s.subject.case = Some(CaseId(13)));
        let other_motion = replay(&|s| s.subject.motion = Some(MotionId(4)));
        let other_member = replay(&|s| s.subject.member = Some(MemberId(8)));
        let other_kind = replay(&|s| s.kind = StatementKind::VoteCommitment);
        let other_body =
            replay(&|s| s.body = json!({"choice": "oppose", "reason": "Satire, not a threat."}));
        for replayed in [
            other_case,
            other_motion,
            other_member,
            other_kind,
            other_body,
        ] {
            assert_eq!(
                replayed.verify(&origin()),
                Err(StatementError::BadSignature)
            );
        }

        // Another council: refused both as the wrong log and, if the origin
        // is rewritten to match, as a bad signature.
        let elsewhere = LogOrigin::parse("tribune.example/elsewhere").unwrap();
        assert!(matches!(
            signed.verify(&elsewhere),
            Err(StatementError::WrongOrigin { .. })
        ));
        let moved = replay(&|s| s.origin = elsewhere.clone());
        assert_eq!(moved.verify(&elsewhere), Err(StatementError::BadSignature));
    }

    #[test]
    fn each_kind_demands_its_own_ids() {
        for kind in StatementKind::ALL {
            let mut statement = vote();
            statement.kind = kind;
            let requires = kind.requires();
            statement.subject = Subject {
                case: requires.case.then_some(CaseId(1)),
                motion: requires.motion.then_some(MotionId(1)),
                member: requires.member.then_some(MemberId(1)),
                rules_version: requires.rules_version.then_some(1),
                tree_size: requires.tree_size.then_some(1),
            };
            statement.check().unwrap();
            let mut extra = statement.clone();
            extra.subject.case = if requires.case { None } else { Some(CaseId(2)) };
            assert!(extra.check().is_err(), "{kind}");
        }
        let mut no_motion = vote();
        no_motion.subject.motion = None;
        assert_eq!(
            no_motion.check(),
            Err(StatementError::MissingId {
                kind: StatementKind::Vote,
                missing: "a motion"
            })
        );
    }

    #[test]
    fn weak_keys_and_flipped_signatures_are_refused() {
        let mut signed = vote().sign(&member_key()).unwrap();
        signed.signature[0] ^= 1;
        assert_eq!(signed.verify(&origin()), Err(StatementError::BadSignature));

        let mut weak = vote().sign(&member_key()).unwrap();
        weak.signer = [0; 32];
        weak.signer[0] = 1; // the identity point
        assert_eq!(weak.verify(&origin()), Err(StatementError::WeakKey));
    }

    #[test]
    fn entries_must_be_canonical_and_well_formed() {
        let entry =
            String::from_utf8(vote().sign(&member_key()).unwrap().to_entry().unwrap()).unwrap();
        let pretty =
            serde_json::to_string_pretty(&serde_json::from_str::<Value>(&entry).unwrap()).unwrap();
        assert!(SignedStatement::from_entry(pretty.as_bytes()).is_err());
        let unknown_field = entry.replacen('{', "{\"extra\":1,", 1);
        assert!(SignedStatement::from_entry(unknown_field.as_bytes()).is_err());
        for bad in [
            "",
            "null",
            "[]",
            "{}",
            "{\"format\":\"tribune-statement/v1\"}",
        ] {
            assert!(
                SignedStatement::from_entry(bad.as_bytes()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn reading_mutated_entries_never_panics() {
        let entry = vote().sign(&member_key()).unwrap().to_entry().unwrap();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut accepted_changes = 0;
        for _ in 0..5_000 {
            let mut bytes = entry.clone();
            let at = (next() as usize) % bytes.len();
            let new = next() as u8;
            if bytes[at] == new {
                continue;
            }
            bytes[at] = new;
            if let Ok(read) = SignedStatement::from_entry(&bytes) {
                // A byte change that still parses must not still verify.
                if read.verify(&origin()).is_ok() {
                    eprintln!(
                        "accepted a change at byte {at}: {}",
                        String::from_utf8_lossy(&bytes)
                    );
                    accepted_changes += 1;
                }
            }
        }
        assert_eq!(accepted_changes, 0);
    }
}
