//! Members, invitations, keys and sessions, on SQLite and PostgreSQL. After
//! every change, the stored log must still verify (signatures, eligibility
//! replay and checkpoint), so the app's tables and the log never disagree.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use domain::genesis::genesis;
use domain::members::{
    DisplayName, GroupName, InvitationTerms, MemberStatus, Role, enrollment_statement,
    rotation_statement,
};
use domain::note::NoteSigner;
use domain::statement::{MemberId, SignedStatement};
use domain::{Council, CouncilName, LogOrigin, Timestamp};
use ed25519_dalek::SigningKey;
use storage::{InvitationState, NewInvitation, RoleChange, StorageError};
use support::TestDb;

const NOW: Timestamp = Timestamp(1_800_000_000);

fn origin() -> LogOrigin {
    LogOrigin::parse("tribune.example/harbour").unwrap()
}

fn log_key() -> NoteSigner {
    NoteSigner::from_seed(origin().as_str(), &[1; 32]).unwrap()
}

async fn found(db: &TestDb) {
    let council = Council {
        name: CouncilName::parse("Harbour Content Council").unwrap(),
        log_origin: origin(),
        founded_at: NOW,
    };
    db.storage
        .found_council(&genesis(&council, &log_key()).unwrap())
        .await
        .unwrap();
}

/// Checks the whole stored log as `tribune verify` would.
async fn assert_log_verifies(db: &TestDb) -> domain::verify::LogSummary {
    let size = db.storage.log_size().await.unwrap();
    let entries = db.storage.log_entries(0, size).await.unwrap();
    let checkpoint = db.storage.latest_checkpoint().await.unwrap().unwrap();
    domain::verify::verify_log(
        &origin(),
        &log_key().verifier(),
        checkpoint.as_bytes(),
        &entries,
        |_| {},
    )
    .unwrap()
}

fn token(n: u8) -> [u8; 32] {
    [n; 32]
}

async fn invite(
    db: &TestDb,
    n: u8,
    name: &str,
    role: Role,
    member: Option<MemberId>,
) -> InvitationTerms {
    let groups = db.storage.groups().await.unwrap();
    let group = match groups.first() {
        Some(group) => group.id,
        None => db
            .storage
            .create_group(&GroupName::parse("Independent Experts").unwrap())
            .await
            .unwrap(),
    };
    let invitation = db
        .storage
        .create_invitation(
            &NewInvitation {
                token_hash: token(n),
                member,
                name: DisplayName::parse(name).unwrap(),
                group,
                role,
                expires_at: Timestamp(NOW.0 + 3600),
                created_by: None,
            },
            &log_key(),
        )
        .await
        .unwrap();
    // The log key's signature on the terms is what the member will carry.
    assert!(invitation.terms.verify(
        &origin(),
        log_key().verifier().public_key(),
        &invitation.signature
    ));
    invitation.terms
}

async fn accept(db: &TestDb, n: u8, key: &SigningKey) -> Result<MemberId, StorageError> {
    let invitation = db
        .storage
        .invitation_by_token(&token(n))
        .await
        .unwrap()
        .unwrap();
    let signed: SignedStatement =
        enrollment_statement(&origin(), &invitation.terms, &invitation.signature)
            .sign(key)
            .unwrap();
    db.storage.enroll(&token(n), &signed, &log_key(), NOW).await
}

backend_tests!(
    groups_are_created_listed_and_renamed_until_someone_enrolls,
    an_invitation_enrolls_a_member_once_and_the_log_verifies,
    expired_and_revoked_invitations_are_refused_and_change_nothing,
    a_key_is_never_registered_twice,
    a_revoked_member_re_enrolls_through_a_new_invitation,
    a_suspension_is_logged_and_ends_sessions,
    a_member_rotates_their_key_with_the_old_one,
    a_challenge_is_used_once_and_expires,
    sessions_are_listed_and_ended_one_or_all,
    the_log_continues_from_a_checkpoint_without_its_edge_and_refuses_a_wrong_edge,
);

/// Runs `change` on `log_checkpoints` with its append-only trigger lifted
/// for the moment (to make a database look older, or damaged).
async fn rewrite_checkpoints(db: &TestDb, change: &'static str) {
    let statements: [&'static str; 3] = match db.backend() {
        storage::Backend::Sqlite => [
            "DROP TRIGGER log_checkpoints_no_update",
            change,
            "CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints \
             BEGIN SELECT RAISE(ABORT, 'log_checkpoints is append-only'); END",
        ],
        storage::Backend::Postgres => [
            "ALTER TABLE log_checkpoints DISABLE TRIGGER log_checkpoints_append_only",
            change,
            "ALTER TABLE log_checkpoints ENABLE TRIGGER log_checkpoints_append_only",
        ],
    };
    for sql in statements {
        db.raw_execute(sql).await.unwrap();
    }
}

async fn the_log_continues_from_a_checkpoint_without_its_edge_and_refuses_a_wrong_edge(
    db: &TestDb,
) {
    found(db).await;
    invite(db, 1, "Ada Moreau", Role::Member, None).await;
    accept(db, 1, &SigningKey::from_bytes(&[7; 32]))
        .await
        .unwrap();
    // Checkpoints written before migration 0014 store no edge: the writer
    // rebuilds it from the leaf hashes.
    rewrite_checkpoints(db, "UPDATE log_checkpoints SET frontier = NULL").await;
    invite(db, 2, "Bo Lind", Role::Member, None).await;
    accept(db, 2, &SigningKey::from_bytes(&[8; 32]))
        .await
        .unwrap();
    assert_eq!(assert_log_verifies(db).await.entries, 3);

    // An edge that does not give its checkpoint's root stops every write.
    let wrong = match db.backend() {
        storage::Backend::Sqlite => {
            "UPDATE log_checkpoints SET frontier = zeroblob(64) WHERE size = 3"
        }
        storage::Backend::Postgres => {
            "UPDATE log_checkpoints SET frontier = decode(repeat('00', 64), 'hex') WHERE size = 3"
        }
    };
    rewrite_checkpoints(db, wrong).await;
    invite(db, 3, "Cy Park", Role::Member, None).await;
    let refused = accept(db, 3, &SigningKey::from_bytes(&[9; 32])).await;
    assert!(
        matches!(&refused, Err(StorageError::Corrupt(why)) if why.contains("does not give its root")),
        "{refused:?}"
    );
    assert_eq!(db.storage.log_size().await.unwrap(), 3);
}

async fn groups_are_created_listed_and_renamed_until_someone_enrolls(db: &TestDb) {
    found(db).await;
    let civil = GroupName::parse("Civil Rights Coalition").unwrap();
    let id = db.storage.create_group(&civil).await.unwrap();
    assert!(matches!(
        db.storage.create_group(&civil).await,
        Err(StorageError::GroupNameTaken(_))
    ));
    let renamed = GroupName::parse("Civil Liberties Coalition").unwrap();
    db.storage.rename_group(id, &renamed).await.unwrap();
    assert_eq!(db.storage.group_by_name(&renamed).await.unwrap(), Some(id));
    assert_eq!(db.storage.group_by_name(&civil).await.unwrap(), None);
    invite(db, 1, "Ada Moreau", Role::Member, None).await;
    accept(db, 1, &SigningKey::from_bytes(&[7; 32]))
        .await
        .unwrap();
    let groups = db.storage.groups().await.unwrap();
    assert_eq!(groups[0].members, 1);
    assert!(matches!(
        db.storage.rename_group(id, &civil).await,
        Err(StorageError::GroupHasMembers)
    ));
}

async fn an_invitation_enrolls_a_member_once_and_the_log_verifies(db: &TestDb) {
    found(db).await;
    let terms = invite(db, 1, "Ada Moreau", Role::Admin, None).await;
    assert_eq!(terms.member, MemberId(1));
    let key = SigningKey::from_bytes(&[7; 32]);
    let member = accept(db, 1, &key).await.unwrap();
    assert_eq!(member, MemberId(1));
    let stored = db.storage.member(member).await.unwrap().unwrap();
    assert_eq!(stored.role, Role::Admin);
    assert_eq!(stored.status, MemberStatus::Active);
    assert_eq!(stored.active_key(), Some(&key.verifying_key().to_bytes()));
    assert_eq!(stored.keys[0].from_index, 1);
    assert_eq!(
        db.storage
            .key_owner(&key.verifying_key().to_bytes())
            .await
            .unwrap(),
        Some(member)
    );
    let invitation = db
        .storage
        .invitation_by_token(&token(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(invitation.state(NOW), InvitationState::Used);

    // Used: a second acceptance (with any key) is refused and logs nothing.
    let size = db.storage.log_size().await.unwrap();
    assert!(matches!(
        accept(db, 1, &SigningKey::from_bytes(&[8; 32])).await,
        Err(StorageError::InvitationUnusable(InvitationState::Used))
    ));
    assert_eq!(db.storage.log_size().await.unwrap(), size);
    let summary = assert_log_verifies(db).await;
    assert_eq!(summary.entries, 2);
    assert_eq!(summary.roll.members().count(), 1);
    // The next invitation gets the next member id.
    assert_eq!(
        invite(db, 2, "Bo Lind", Role::Member, None).await.member,
        MemberId(2)
    );
}

async fn expired_and_revoked_invitations_are_refused_and_change_nothing(db: &TestDb) {
    found(db).await;
    let groups_group = db
        .storage
        .create_group(&GroupName::parse("Trust & Safety").unwrap())
        .await
        .unwrap();
    let expired = db
        .storage
        .create_invitation(
            &NewInvitation {
                token_hash: token(1),
                member: None,
                name: DisplayName::parse("Late Comer").unwrap(),
                group: groups_group,
                role: Role::Member,
                expires_at: Timestamp(NOW.0 - 1),
                created_by: None,
            },
            &log_key(),
        )
        .await
        .unwrap();
    assert_eq!(expired.state(NOW), InvitationState::Expired);
    assert!(matches!(
        accept(db, 1, &SigningKey::from_bytes(&[7; 32])).await,
        Err(StorageError::InvitationUnusable(InvitationState::Expired))
    ));
    invite(db, 2, "Bo Lind", Role::Member, None).await;
    let open = db
        .storage
        .invitation_by_token(&token(2))
        .await
        .unwrap()
        .unwrap();
    db.storage.revoke_invitation(open.id, NOW).await.unwrap();
    assert!(matches!(
        accept(db, 2, &SigningKey::from_bytes(&[8; 32])).await,
        Err(StorageError::InvitationUnusable(InvitationState::Revoked))
    ));
    assert_eq!(db.storage.log_size().await.unwrap(), 1);
    assert!(db.storage.members().await.unwrap().is_empty());
    assert_eq!(db.storage.invitations(10).await.unwrap().len(), 2);
}

async fn a_key_is_never_registered_twice(db: &TestDb) {
    found(db).await;
    let key = SigningKey::from_bytes(&[7; 32]);
    invite(db, 1, "Ada Moreau", Role::Member, None).await;
    invite(db, 2, "Bo Lind", Role::Member, None).await;
    // The log's own key is never a member's.
    assert!(matches!(
        accept(db, 1, &SigningKey::from_bytes(&[1; 32])).await,
        Err(StorageError::Refused(r)) if r.code() == "key_in_use"
    ));
    // A demo key (public) is for demo councils only.
    assert!(matches!(
        accept(db, 1, &domain::demo::demo_key(2)).await,
        Err(StorageError::Refused(r)) if r.code() == "demo_key"
    ));
    accept(db, 1, &key).await.unwrap();
    assert!(matches!(
        accept(db, 2, &key).await,
        Err(StorageError::Refused(r)) if r.code() == "key_in_use"
    ));
    let invitation = db
        .storage
        .invitation_by_token(&token(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(invitation.state(NOW), InvitationState::Open);
    assert_log_verifies(db).await;
}

async fn a_revoked_member_re_enrolls_through_a_new_invitation(db: &TestDb) {
    found(db).await;
    let lost = SigningKey::from_bytes(&[7; 32]);
    let member = {
        invite(db, 1, "Ada Moreau", Role::Member, None).await;
        accept(db, 1, &lost).await.unwrap()
    };
    // While the key is valid, a re-enrollment invitation is refused.
    let groups = db.storage.groups().await.unwrap();
    let again = NewInvitation {
        token_hash: token(2),
        member: Some(member),
        name: DisplayName::parse("Ada Moreau").unwrap(),
        group: groups[0].id,
        role: Role::Member,
        expires_at: Timestamp(NOW.0 + 3600),
        created_by: None,
    };
    assert!(matches!(
        db.storage.create_invitation(&again, &log_key()).await,
        Err(StorageError::AlreadyEnrolled)
    ));
    let index = db
        .storage
        .revoke_key(member, None, "lost laptop", &log_key(), NOW)
        .await
        .unwrap();
    assert_eq!(index, 2);
    let stored = db.storage.member(member).await.unwrap().unwrap();
    assert_eq!(stored.active_key(), None);
    assert_eq!(stored.keys[0].until_index, Some(2));
    assert!(matches!(
        db.storage
            .revoke_key(member, None, "twice", &log_key(), NOW)
            .await,
        Err(StorageError::NoValidKey)
    ));
    db.storage
        .create_invitation(&again, &log_key())
        .await
        .unwrap();
    accept(db, 2, &SigningKey::from_bytes(&[8; 32]))
        .await
        .unwrap();
    let stored = db.storage.member(member).await.unwrap().unwrap();
    assert_eq!(stored.keys.len(), 2);
    assert_eq!(stored.keys[1].from_index, 3);
    let summary = assert_log_verifies(db).await;
    assert_eq!(summary.roll.member(member).unwrap().keys.len(), 2);
}

async fn a_suspension_is_logged_and_ends_sessions(db: &TestDb) {
    found(db).await;
    invite(db, 1, "Ada Moreau", Role::Admin, None).await;
    invite(db, 2, "Bo Lind", Role::Member, None).await;
    let admin = accept(db, 1, &SigningKey::from_bytes(&[7; 32]))
        .await
        .unwrap();
    let member = accept(db, 2, &SigningKey::from_bytes(&[8; 32]))
        .await
        .unwrap();
    db.storage
        .create_session(&token(9), member, NOW, Timestamp(NOW.0 + 60), "test")
        .await
        .unwrap();
    db.storage
        .change_role(
            &RoleChange {
                member,
                role: Role::Clerk,
                status: MemberStatus::Suspended,
                by: Some(admin),
                reason: "conduct review".to_owned(),
            },
            &log_key(),
            NOW,
        )
        .await
        .unwrap();
    let stored = db.storage.member(member).await.unwrap().unwrap();
    assert_eq!(
        (stored.role, stored.status),
        (Role::Clerk, MemberStatus::Suspended)
    );
    assert_eq!(db.storage.session(&token(9), NOW).await.unwrap(), None);
    let summary = assert_log_verifies(db).await;
    assert_eq!(
        summary.roll.member(member).unwrap().status,
        MemberStatus::Suspended
    );
}

async fn a_challenge_is_used_once_and_expires(db: &TestDb) {
    let nonce = [5; 32];
    db.storage
        .create_challenge(&nonce, Timestamp(NOW.0 + 60), NOW)
        .await
        .unwrap();
    assert!(db.storage.take_challenge(&nonce, NOW).await.unwrap());
    assert!(!db.storage.take_challenge(&nonce, NOW).await.unwrap());
    let late = [6; 32];
    db.storage
        .create_challenge(&late, Timestamp(NOW.0 + 60), NOW)
        .await
        .unwrap();
    assert!(
        !db.storage
            .take_challenge(&late, Timestamp(NOW.0 + 61))
            .await
            .unwrap()
    );
    assert!(!db.storage.take_challenge(&[7; 32], NOW).await.unwrap());
}

async fn sessions_are_listed_and_ended_one_or_all(db: &TestDb) {
    found(db).await;
    invite(db, 1, "Ada Moreau", Role::Member, None).await;
    invite(db, 2, "Bo Lind", Role::Member, None).await;
    let ada = accept(db, 1, &SigningKey::from_bytes(&[7; 32]))
        .await
        .unwrap();
    let bo = accept(db, 2, &SigningKey::from_bytes(&[8; 32]))
        .await
        .unwrap();
    let later = Timestamp(NOW.0 + 3600);
    let first = db
        .storage
        .create_session(&token(10), ada, NOW, later, "Firefox")
        .await
        .unwrap();
    db.storage
        .create_session(&token(11), ada, NOW, later, "Chromium")
        .await
        .unwrap();
    let bos = db
        .storage
        .create_session(&token(12), bo, NOW, later, "Safari")
        .await
        .unwrap();
    assert_eq!(
        db.storage.session(&token(10), NOW).await.unwrap(),
        Some((first, ada))
    );
    assert_eq!(db.storage.session(&token(10), later).await.unwrap(), None);
    assert_eq!(db.storage.sessions(ada, NOW).await.unwrap().len(), 2);
    // One member cannot end another's session.
    assert!(matches!(
        db.storage.end_member_session(ada, bos).await,
        Err(StorageError::NotFound)
    ));
    db.storage.end_member_session(ada, first).await.unwrap();
    assert_eq!(db.storage.session(&token(10), NOW).await.unwrap(), None);
    db.storage.end_session(&token(11)).await.unwrap();
    assert!(db.storage.sessions(ada, NOW).await.unwrap().is_empty());
    assert_eq!(db.storage.end_member_sessions(bo).await.unwrap(), 1);
    assert_eq!(db.storage.session(&token(12), NOW).await.unwrap(), None);
}

async fn a_member_rotates_their_key_with_the_old_one(db: &TestDb) {
    found(db).await;
    invite(db, 1, "Ada Moreau", Role::Member, None).await;
    invite(db, 2, "Bo Lind", Role::Member, None).await;
    let old = SigningKey::from_bytes(&[7; 32]);
    let new = SigningKey::from_bytes(&[8; 32]);
    let ada = accept(db, 1, &old).await.unwrap();
    let bo_key = SigningKey::from_bytes(&[9; 32]);
    let bo = accept(db, 2, &bo_key).await.unwrap();
    let rotate = |by: &SigningKey, member: MemberId, to: &SigningKey| {
        rotation_statement(&origin(), member, to.verifying_key().as_bytes())
            .sign(by)
            .unwrap()
    };
    let size = db.storage.log_size().await.unwrap();
    // Signed by another member's key, or naming a key already registered:
    // refused, nothing written.
    assert!(matches!(
        db.storage
            .rotate_key(&rotate(&bo_key, ada, &new), &log_key(), NOW)
            .await,
        Err(StorageError::Refused(r)) if r.code() == "not_signed_by_valid_key"
    ));
    assert!(matches!(
        db.storage
            .rotate_key(&rotate(&old, ada, &bo_key), &log_key(), NOW)
            .await,
        Err(StorageError::Refused(r)) if r.code() == "key_in_use"
    ));
    assert_eq!(db.storage.log_size().await.unwrap(), size);
    let index = db
        .storage
        .rotate_key(&rotate(&old, ada, &new), &log_key(), NOW)
        .await
        .unwrap();
    assert_eq!(index, size);
    let stored = db.storage.member(ada).await.unwrap().unwrap();
    assert_eq!(stored.active_key(), Some(new.verifying_key().as_bytes()));
    assert_eq!(stored.keys[0].until_index, Some(index));
    assert_eq!(stored.keys[1].from_index, index);
    assert_eq!(
        db.storage
            .key_owner(old.verifying_key().as_bytes())
            .await
            .unwrap(),
        Some(ada)
    );
    // The old key signs no more.
    assert!(matches!(
        db.storage
            .rotate_key(
                &rotate(&old, ada, &SigningKey::from_bytes(&[10; 32])),
                &log_key(),
                NOW
            )
            .await,
        Err(StorageError::Refused(r)) if r.code() == "not_signed_by_valid_key"
    ));
    let summary = assert_log_verifies(db).await;
    assert_eq!(summary.roll.member(ada).unwrap().keys.len(), 2);
    assert_eq!(summary.roll.member(bo).unwrap().keys.len(), 1);
}
