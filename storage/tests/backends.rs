//! The storage suite: every test here runs on SQLite and on PostgreSQL, each
//! on a fresh database.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use domain::genesis::{Genesis, genesis};
use domain::note::NoteSigner;
use domain::{Council, CouncilName, Timestamp};
use storage::{Backend, DatabaseUrl, StorageError};
use support::TestDb;

/// The founding of a council called `name`: the council, entry 0 and the
/// first checkpoint, signed by a log key derived from the name.
fn founding(name: &str) -> Genesis {
    let name = CouncilName::parse(name).unwrap();
    let council = Council {
        log_origin: domain::council::suggested_origin(&name),
        name,
        founded_at: Timestamp::from_unix_seconds(1_795_219_200),
    };
    let seed = domain::merkle::leaf_hash(council.name.as_str().as_bytes()).0;
    let key = NoteSigner::from_seed(council.log_origin.as_str(), &seed).unwrap();
    genesis(&council, &key).unwrap()
}

backend_tests!(
    a_fresh_database_has_no_council,
    the_founding_is_read_back_as_written,
    founding_twice_is_refused_and_changes_nothing,
    concurrent_foundings_admit_exactly_one,
    migrations_can_run_again,
    the_database_refuses_to_rewrite_the_founding,
    the_founding_survives_reopening,
    the_founding_opens_the_log,
    the_database_refuses_to_rewrite_the_log,
    cosignatures_are_kept_once_per_witness_and_never_rewritten,
    ping_answers,
);

async fn a_fresh_database_has_no_council(db: &TestDb) {
    assert_eq!(db.storage.council().await.unwrap(), None);
}

async fn the_founding_is_read_back_as_written(db: &TestDb) {
    let founded = founding("Conseil de modération — Harbour");
    db.storage.found_council(&founded).await.unwrap();
    assert_eq!(db.storage.council().await.unwrap(), Some(founded.council));
}

async fn the_founding_opens_the_log(db: &TestDb) {
    assert_eq!(db.storage.log_size().await.unwrap(), 0);
    assert_eq!(db.storage.log_key().await.unwrap(), None);
    assert_eq!(db.storage.latest_checkpoint().await.unwrap(), None);
    assert_eq!(db.storage.latest_checkpoint_size().await.unwrap(), 0);
    let founded = founding("Harbour Council");
    db.storage.found_council(&founded).await.unwrap();
    assert_eq!(db.storage.log_size().await.unwrap(), 1);
    assert_eq!(db.storage.latest_checkpoint_size().await.unwrap(), 1);
    assert_eq!(
        db.storage.log_key().await.unwrap(),
        Some(founded.log_vkey.clone())
    );
    assert_eq!(
        db.storage.log_entries(0, 10).await.unwrap(),
        vec![founded.entry.clone()]
    );
    assert!(db.storage.log_entries(1, 10).await.unwrap().is_empty());
    assert_eq!(
        db.storage.log_leaf_hashes(0, 10).await.unwrap(),
        vec![domain::merkle::leaf_hash(&founded.entry)]
    );
    assert_eq!(
        db.storage.latest_checkpoint().await.unwrap(),
        Some(founded.checkpoint.clone())
    );
    // What was stored verifies as a log.
    let key = domain::note::NoteVerifier::from_vkey(&founded.log_vkey).unwrap();
    let entries = db.storage.log_entries(0, 1).await.unwrap();
    let checkpoint = db.storage.latest_checkpoint().await.unwrap().unwrap();
    domain::verify::verify_log(
        &founded.council.log_origin,
        &key,
        checkpoint.as_bytes(),
        &entries,
        |_| {},
    )
    .unwrap();
}

async fn the_database_refuses_to_rewrite_the_log(db: &TestDb) {
    let founded = founding("Harbour Council");
    db.storage.found_council(&founded).await.unwrap();
    for sql in [
        "UPDATE log_entries SET entry = entry",
        "DELETE FROM log_entries",
        "UPDATE log_checkpoints SET note = 'forged'",
        "DELETE FROM log_checkpoints",
        "UPDATE log_key SET vkey = 'forged'",
        "DELETE FROM log_key",
    ] {
        let result = db.raw_execute(sql).await;
        assert!(result.is_err(), "{sql} was allowed: {result:?}");
    }
    if db.backend() == Backend::Postgres {
        for sql in [
            "TRUNCATE log_entries",
            "TRUNCATE log_checkpoints",
            "TRUNCATE log_key",
        ] {
            assert!(db.raw_execute(sql).await.is_err(), "{sql} was allowed");
        }
    }
    assert_eq!(
        db.storage.log_entries(0, 10).await.unwrap(),
        vec![founded.entry]
    );
}

async fn founding_twice_is_refused_and_changes_nothing(db: &TestDb) {
    let first = founding("Harbour Council");
    db.storage.found_council(&first).await.unwrap();
    let second = db.storage.found_council(&founding("Usurper Council")).await;
    assert!(
        matches!(second, Err(StorageError::CouncilExists)),
        "{second:?}"
    );
    assert_eq!(db.storage.council().await.unwrap(), Some(first.council));
    assert_eq!(db.storage.log_size().await.unwrap(), 1);
    assert_eq!(db.storage.log_key().await.unwrap(), Some(first.log_vkey));
}

async fn concurrent_foundings_admit_exactly_one(db: &TestDb) {
    let attempts: Vec<_> = (0..8)
        .map(|i| {
            let storage = db.storage.clone();
            tokio::spawn(async move {
                storage
                    .found_council(&founding(&format!("Council {i}")))
                    .await
            })
        })
        .collect();
    let mut founded = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(()) => founded += 1,
            Err(StorageError::CouncilExists) => {}
            Err(other) => panic!("a concurrent founding failed instead of being refused: {other}"),
        }
    }
    assert_eq!(founded, 1);
    assert!(db.storage.council().await.unwrap().is_some());
    assert_eq!(db.storage.log_size().await.unwrap(), 1);
}

async fn migrations_can_run_again(db: &TestDb) {
    db.storage
        .found_council(&founding("Harbour Council"))
        .await
        .unwrap();
    db.storage.migrate().await.unwrap();
    db.storage.migrate().await.unwrap();
    assert_eq!(
        db.storage
            .council()
            .await
            .unwrap()
            .map(|c| c.name.to_string()),
        Some("Harbour Council".to_owned())
    );
}

async fn the_database_refuses_to_rewrite_the_founding(db: &TestDb) {
    let founded = founding("Harbour Council");
    db.storage.found_council(&founded).await.unwrap();
    let update = db
        .raw_execute("UPDATE council SET name = 'Rewritten'")
        .await;
    assert!(update.is_err(), "UPDATE was allowed: {update:?}");
    let delete = db.raw_execute("DELETE FROM council").await;
    assert!(delete.is_err(), "DELETE was allowed: {delete:?}");
    if db.backend() == Backend::Postgres {
        let truncate = db.raw_execute("TRUNCATE council").await;
        assert!(truncate.is_err(), "TRUNCATE was allowed: {truncate:?}");
    }
    assert_eq!(db.storage.council().await.unwrap(), Some(founded.council));
}

async fn the_founding_survives_reopening(db: &TestDb) {
    let founded = founding("Harbour Council");
    db.storage.found_council(&founded).await.unwrap();
    let reopened = storage::connect(&db.url).await.unwrap();
    assert_eq!(reopened.council().await.unwrap(), Some(founded.council));
    assert_eq!(
        reopened.log_entries(0, 1).await.unwrap(),
        vec![founded.entry]
    );
    reopened.close().await;
}

async fn ping_answers(db: &TestDb) {
    db.storage.ping().await.unwrap();
}

// Backend-specific checks.

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_full_sync() {
    use sqlx::{Connection, Row};
    let db = TestDb::sqlite().await;
    let mut conn = sqlx::SqliteConnection::connect(db.url.expose())
        .await
        .unwrap();
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(mode, "wal");
    conn.close().await.unwrap();
    db.finish().await;
}

#[tokio::test]
async fn sqlite_creates_its_data_directory() {
    let dir = std::env::temp_dir().join(format!("tribune-test-mkdir-{}", std::process::id()));
    let url = DatabaseUrl::new(format!("sqlite://{}/nested/deeper/t.db", dir.display()));
    let storage = storage::connect(&url).await.unwrap();
    storage.migrate().await.unwrap();
    storage.close().await;
    assert!(dir.join("nested/deeper/t.db").is_file());
    std::fs::remove_dir_all(dir).unwrap();
}

/// Commits leave their pages in the write-ahead log (SQLite's automatic
/// checkpoint inside a commit is off); the storage's own checkpointer copies
/// them into the database file within a second, with no write waiting.
#[tokio::test]
async fn sqlite_checkpoints_its_write_ahead_log_off_the_write_path() {
    let dir = std::env::temp_dir().join(format!("tribune-test-wal-{}", std::process::id()));
    let url = DatabaseUrl::new(format!("sqlite://{}/t.db", dir.display()));
    let storage = storage::connect(&url).await.unwrap();
    let file = dir.join("t.db");
    let size = || std::fs::metadata(&file).unwrap().len();
    storage.migrate().await.unwrap();
    storage
        .found_council(&founding("Harbour Council"))
        .await
        .unwrap();
    // Within a second (two of the checkpointer's periods), the tables the
    // migrations created are in the database file itself.
    let mut waited = std::time::Duration::ZERO;
    while size() < 64 * 1024 && waited < std::time::Duration::from_secs(5) {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += std::time::Duration::from_millis(100);
    }
    assert!(
        size() >= 64 * 1024,
        "the database file is still {} bytes",
        size()
    );
    assert!(waited <= std::time::Duration::from_secs(2), "{waited:?}");
    storage.close().await;
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn sqlite_in_memory_works_for_reads_and_writes() {
    let storage = storage::connect(&DatabaseUrl::new("sqlite::memory:"))
        .await
        .unwrap();
    storage.migrate().await.unwrap();
    storage
        .found_council(&founding("Memory Council"))
        .await
        .unwrap();
    assert!(storage.council().await.unwrap().is_some());
    storage.close().await;
}

#[tokio::test]
async fn an_impossible_data_directory_is_a_clear_error() {
    let file = std::env::temp_dir().join(format!("tribune-test-file-{}", std::process::id()));
    std::fs::write(&file, b"not a directory").unwrap();
    let url = DatabaseUrl::new(format!("sqlite://{}/sub/t.db", file.display()));
    let error = storage::connect(&url).await.err().expect("must fail");
    std::fs::remove_file(&file).unwrap();
    assert!(
        matches!(error, StorageError::DataDirectory { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("cannot create the data directory"),
        "{error}"
    );
}

#[tokio::test]
async fn an_unreachable_postgres_is_a_clear_error_without_the_password() {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    let url = DatabaseUrl::new("postgres://tribune:s3cret@127.0.0.1:1/tribune");
    let error = storage::connect(&url).await.err().expect("must fail");
    let message = error.to_string();
    assert!(matches!(error, StorageError::Connect { .. }), "{error:?}");
    assert!(message.contains("127.0.0.1:1"), "{message}");
    assert!(!message.contains("s3cret"), "{message}");
}

#[tokio::test]
async fn an_unknown_scheme_is_refused() {
    let error = storage::connect(&DatabaseUrl::new("mysql://root@localhost/tribune"))
        .await
        .err()
        .expect("must fail");
    assert!(
        matches!(error, StorageError::UnsupportedUrl(_)),
        "{error:?}"
    );
}

async fn cosignatures_are_kept_once_per_witness_and_never_rewritten(db: &TestDb) {
    use storage::CheckpointCosignature;
    let founded = founding("Harbour Council");
    db.storage.found_council(&founded).await.unwrap();
    assert_eq!(
        db.storage.checkpoint_note(1).await.unwrap(),
        Some(founded.checkpoint.clone())
    );
    assert_eq!(db.storage.checkpoint_note(2).await.unwrap(), None);
    let cosignature = |witness: &str, signed_at| CheckpointCosignature {
        size: 1,
        witness: witness.to_owned(),
        key_id: 0xdead_beef,
        signed_at,
        line: format!("\u{2014} {witness} AAAA\n"),
    };
    let first = [
        cosignature("b.example/w", 10),
        cosignature("a.example/w", 11),
    ];
    assert_eq!(db.storage.add_cosignatures(&first).await.unwrap(), 2);
    // The same witness again (a later timestamp): the first one stays.
    let again = [cosignature("a.example/w", 99)];
    assert_eq!(db.storage.add_cosignatures(&again).await.unwrap(), 0);
    let stored = db.storage.cosignatures(1).await.unwrap();
    assert_eq!(stored, vec![first[1].clone(), first[0].clone()]);
    assert_eq!(db.storage.recent_cosignatures(1).await.unwrap().len(), 1);
    assert!(db.storage.cosignatures(2).await.unwrap().is_empty());
    // Only checkpoints the log published can be cosigned.
    let mut unknown = cosignature("c.example/w", 1);
    unknown.size = 7;
    assert!(db.storage.add_cosignatures(&[unknown]).await.is_err());
    for sql in [
        "UPDATE log_cosignatures SET line = 'forged'",
        "DELETE FROM log_cosignatures",
    ] {
        assert!(db.raw_execute(sql).await.is_err(), "{sql} was allowed");
    }
    assert_eq!(db.storage.cosignatures(1).await.unwrap().len(), 2);
}
