//! A fresh database for each test, on either backend.
//!
//! PostgreSQL tests need a server: set `TEST_POSTGRES_URL` to a role that may
//! create databases (`make test` starts a throwaway cluster when PostgreSQL is
//! installed). Without it they are skipped with a note, unless
//! `TRIBUNE_REQUIRE_POSTGRES=1`, which turns the skip into a failure (CI sets it).

#![expect(clippy::expect_used, reason = "test set-up fails loudly")]

use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};
use storage::{Backend, DatabaseUrl, SharedStorage};

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

pub struct TestDb {
    pub url: DatabaseUrl,
    pub storage: SharedStorage,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteDir(std::path::PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = std::env::temp_dir().join(format!("tribune-test-{}", unique_suffix()));
        let url = DatabaseUrl::new(format!("sqlite://{}/tribune.db", dir.display()));
        let storage = storage::connect(&url).await.expect("open sqlite");
        storage.migrate().await.expect("migrate sqlite");
        Self {
            url,
            storage,
            cleanup: Cleanup::SqliteDir(dir),
        }
    }

    /// `None` (after saying so) when no PostgreSQL server was given.
    pub async fn postgres() -> Option<Self> {
        let Ok(admin_url) = std::env::var("TEST_POSTGRES_URL") else {
            assert!(
                std::env::var("TRIBUNE_REQUIRE_POSTGRES").is_err(),
                "TRIBUNE_REQUIRE_POSTGRES is set but TEST_POSTGRES_URL is not"
            );
            eprintln!("skipped: TEST_POSTGRES_URL is not set");
            return None;
        };
        let name = format!("tribune_test_{}", unique_suffix());
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .expect("connect to TEST_POSTGRES_URL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut admin)
            .await
            .expect("create test database");
        admin.close().await.ok();
        let url = DatabaseUrl::new(with_database(&admin_url, &name));
        let storage = storage::connect(&url).await.expect("open postgres");
        storage.migrate().await.expect("migrate postgres");
        Some(Self {
            url,
            storage,
            cleanup: Cleanup::PostgresDatabase { admin_url, name },
        })
    }

    pub fn backend(&self) -> Backend {
        self.storage.backend()
    }

    /// Runs `sql` on a connection of its own, bypassing the storage layer
    /// (to check what the database itself allows).
    pub async fn raw_execute(&self, sql: &'static str) -> Result<u64, sqlx::Error> {
        match self.backend() {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(self.url.expose()).await?;
                let done = sqlx::query(sql).execute(&mut conn).await?;
                Ok(done.rows_affected())
            }
            Backend::Postgres => {
                let mut conn = sqlx::PgConnection::connect(self.url.expose()).await?;
                let done = sqlx::query(sql).execute(&mut conn).await?;
                Ok(done.rows_affected())
            }
        }
    }

    pub async fn finish(self) {
        self.storage.close().await;
        match self.cleanup {
            Cleanup::SqliteDir(dir) => {
                std::fs::remove_dir_all(dir).ok();
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    )))
                    .execute(&mut admin)
                    .await
                    .ok();
                }
            }
        }
    }
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let host_and_path = &base[authority_start..];
    let host = host_and_path
        .split_once('/')
        .map_or(host_and_path, |(host, _)| host);
    let mut out = format!("{}{host}/{name}", &base[..authority_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// Declares each listed `async fn(&TestDb)` as a test on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = $crate::support::TestDb::sqlite().await;
                    super::$name(&db).await;
                    db.finish().await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = $crate::support::TestDb::postgres().await else {
                        return;
                    };
                    super::$name(&db).await;
                    db.finish().await;
                }
            )*
        }
    };
}
