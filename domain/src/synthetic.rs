//! Synthetic logs that follow every rule: a founding statement, enrolled
//! members and their signed votes, with a checkpoint over all of it. Used by
//! tests, benchmarks and demo data at scale; the keys are derived from fixed
//! seeds and are therefore for nothing else.

use crate::checkpoint::Checkpoint;
use crate::council::{Council, CouncilName, LogOrigin};
use crate::genesis::genesis;
use crate::members::{DisplayName, EnrollmentBody, GroupName, InvitationTerms, Role};
use crate::merkle;
use crate::note::NoteSigner;
use crate::statement::{CaseId, MemberId, MotionId, Statement, StatementKind, Subject};
use crate::time::Timestamp;
use crate::voting::{
    MotionBody, MotionKind, RollMember, Rules, RulesChangeBody, VoteBody, opening_statement,
    rules_change_statement, vote_statement,
};
use ed25519_dalek::SigningKey;

/// A complete log and the keys that made it.
pub struct SyntheticLog {
    pub origin: LogOrigin,
    pub log_key: NoteSigner,
    pub members: Vec<SigningKey>,
    pub entries: Vec<Vec<u8>>,
    pub checkpoint: String,
}

const LOG_SEED: [u8; 32] = [1; 32];
const GROUPS: [&str; 4] = [
    "Civil Rights Coalition",
    "Free Expression Alliance",
    "Trust & Safety",
    "Independent Experts",
];

/// The log origin every synthetic log uses.
pub fn origin() -> LogOrigin {
    // A constant that is a valid origin.
    LogOrigin::parse("tribune.example/harbour").unwrap_or_else(|_| unreachable!())
}

/// A log of the founding, one enrollment per member (member ids
/// 1..=members, in four groups; member 1 the admin), the admin's change to
/// unsealed rules, then `votes` votes: motion after motion (ten per case) is
/// opened and every member votes on it in turn, so the log holds one
/// opening per `members` votes.
pub fn log_with_votes(members: u8, votes: u64) -> Result<SyntheticLog, String> {
    let origin = origin();
    let log_key = NoteSigner::from_seed(origin.as_str(), &LOG_SEED).map_err(|e| e.to_string())?;
    let council = Council {
        name: CouncilName::parse("Harbour Content Council").map_err(|e| e.to_string())?,
        log_origin: origin.clone(),
        founded_at: Timestamp(1_767_225_600),
    };
    let founding = genesis(&council, &log_key).map_err(|e| e.to_string())?;
    let log_signing = SigningKey::from_bytes(&LOG_SEED);
    let keys: Vec<SigningKey> = (0..members)
        .map(|i| SigningKey::from_bytes(&[i.wrapping_add(10); 32]))
        .collect();
    let mut entries = vec![founding.entry];
    for (i, key) in keys.iter().enumerate() {
        let member = MemberId(i as u64 + 1);
        let terms = InvitationTerms {
            member,
            name: DisplayName::parse(&format!("Member {}", member)).map_err(|e| e.to_string())?,
            group: GroupName::parse(GROUPS[i % GROUPS.len()]).map_err(|e| e.to_string())?,
            role: match i {
                0 => Role::Admin,
                1 => Role::Chair,
                _ => Role::Member,
            },
            expires_at: Timestamp(1_900_000_000),
        };
        let signature = terms.sign(&origin, &log_signing);
        let body = serde_json::to_value(EnrollmentBody::new(&terms, &signature))
            .map_err(|e| e.to_string())?;
        let entry = Statement {
            kind: StatementKind::MemberEnrollment,
            origin: origin.clone(),
            subject: Subject {
                member: Some(member),
                ..Subject::default()
            },
            body,
        }
        .sign(key)
        .and_then(|signed| signed.to_entry())
        .map_err(|e| e.to_string())?;
        entries.push(entry);
    }
    let choices = ["support", "oppose", "abstain"];
    let roll: Vec<RollMember> = (0..keys.len())
        .map(|i| RollMember {
            member: MemberId(i as u64 + 1),
            group: GROUPS[i % GROUPS.len()].to_owned(),
        })
        .collect();
    // The admin (member 1) adopts unsealed rules: votes are logged directly.
    let rules = Rules {
        version: 2,
        sealed: false,
        ..Rules::initial()
    };
    if let Some(admin) = keys.first() {
        let change = RulesChangeBody {
            rules,
            reason: "Votes in the open.".to_owned(),
        };
        let entry = rules_change_statement(&origin, &change)
            .sign(admin)
            .and_then(|signed| signed.to_entry())
            .map_err(|e| e.to_string())?;
        entries.push(entry);
    }
    for i in 0..votes {
        if keys.is_empty() {
            break;
        }
        // Each motion is opened, then every member votes on it once.
        let who = (i % keys.len() as u64) as usize;
        let motion = MotionId(i / keys.len() as u64 + 1);
        let case = CaseId((motion.0 - 1) / 10 + 1);
        if who == 0 {
            let body = MotionBody {
                kind: MotionKind::Finding,
                text: format!("Finding {motion}: the removal followed the policy."),
                remedies: vec![],
                rules,
                opens_at: 1_767_225_600,
                closes_at: 1_767_225_600 + 72 * 3600,
                roll: roll.clone(),
                by: MemberId(2),
                effect: None,
            };
            // Opened by the chair, member 2.
            let chair = keys
                .get(1)
                .ok_or("a synthetic log with votes needs a chair")?;
            let entry = opening_statement(&origin, case, motion, &body)
                .sign(chair)
                .and_then(|signed| signed.to_entry())
                .map_err(|e| e.to_string())?;
            entries.push(entry);
        }
        let body = VoteBody {
            choice: choices[(i % 3) as usize].to_owned(),
            reason: None,
            sequence: 1,
            salt: None,
        };
        let entry = vote_statement(&origin, case, motion, MemberId(who as u64 + 1), &body)
            .sign(&keys[who])
            .and_then(|signed| signed.to_entry())
            .map_err(|e| e.to_string())?;
        entries.push(entry);
    }
    let leaves: Vec<_> = entries.iter().map(|e| merkle::leaf_hash(e)).collect();
    let checkpoint = Checkpoint {
        origin: origin.clone(),
        size: entries.len() as u64,
        root: merkle::root(&leaves),
        extensions: vec![],
    }
    .sign(&log_key)
    .map_err(|e| e.to_string())?;
    Ok(SyntheticLog {
        origin,
        log_key,
        members: keys,
        entries,
        checkpoint,
    })
}
