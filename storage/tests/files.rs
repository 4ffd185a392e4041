//! The SQLite database holds sealed choices before their close and the
//! members' sessions: its directory and files are the owner's alone.

#![cfg(unix)]
#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

use std::os::unix::fs::PermissionsExt as _;
use storage::DatabaseUrl;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn the_database_and_its_directory_are_owner_only() {
    let dir = std::env::temp_dir().join(format!("tribune-files-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = dir.join("data");
    let url = DatabaseUrl::new(format!("sqlite://{}/tribune.db", data.display()));
    let storage = storage::connect(&url).await.unwrap();
    storage.migrate().await.unwrap();
    assert_eq!(mode(&data), 0o700, "the data directory");
    for file in ["tribune.db", "tribune.db-wal", "tribune.db-shm"] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    drop(storage);

    // A database left readable by others is narrowed when it is opened.
    std::fs::set_permissions(
        data.join("tribune.db"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let storage = storage::connect(&url).await.unwrap();
    assert_eq!(mode(&data.join("tribune.db")), 0o600);
    drop(storage);
    std::fs::remove_dir_all(&dir).unwrap();
}
