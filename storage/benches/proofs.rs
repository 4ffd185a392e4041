//! What an inclusion or consistency proof costs as the log grows, on SQLite
//! (a file, as deployed) and, when `TEST_POSTGRES_URL` is set, PostgreSQL:
//! from the stored subtree heads (what `/log/proof/*` does) against the
//! reference, reading one hash tile's worth of leaf hashes (256 rows), and
//! against rebuilding the tree from every leaf (what it did before).
//!
//! `cargo bench -p storage --bench proofs` (`SIZES=100000,1000000` by
//! default). The log is written by SQL in bulk: entries whose leaf hashes
//! and subtree heads are those the write path stores (proofs read nothing
//! else), after a founding through the storage API.

#![expect(
    clippy::unwrap_used,
    clippy::print_stdout,
    reason = "a benchmark program"
)]

use domain::genesis::genesis;
use domain::merkle::{self, Frontier, MerkleHash, StoredProof};
use domain::note::NoteSigner;
use domain::{Council, CouncilName, LogOrigin, Timestamp};
use sqlx::Connection as _;
use std::time::{Duration, Instant};
use storage::{DatabaseUrl, SharedStorage};

const NOW: Timestamp = Timestamp(1_800_000_000);
const RUNS: usize = 400;

async fn found(storage: &SharedStorage) {
    let origin = LogOrigin::parse("bench.example/harbour").unwrap();
    let log_key = NoteSigner::from_seed(origin.as_str(), &[1; 32]).unwrap();
    let council = Council {
        name: CouncilName::parse("Harbour Content Council").unwrap(),
        log_origin: origin,
        founded_at: NOW,
    };
    storage
        .found_council(&genesis(&council, &log_key).unwrap())
        .await
        .unwrap();
}

/// Appends entries 1..size by SQL, with their subtree heads, in batches.
async fn grow(url: &str, size: u64) {
    macro_rules! run {
        ($conn:ty) => {{
            let mut conn = <$conn>::connect(url).await.unwrap();
            let genesis: Vec<u8> =
                sqlx::query_scalar("SELECT leaf_hash FROM log_entries WHERE idx = 0")
                    .fetch_one(&mut conn)
                    .await
                    .unwrap();
            let mut frontier = Frontier::default();
            frontier.push(MerkleHash::from_slice(&genesis).unwrap());
            let mut index = 1;
            while index < size {
                let end = (index + 20_000).min(size);
                let mut tx = conn.begin().await.unwrap();
                for i in index..end {
                    let entry = format!("{{\"bench\":{i}}}").into_bytes();
                    let leaf = merkle::leaf_hash(&entry);
                    sqlx::query(
                        "INSERT INTO log_entries (idx, entry, leaf_hash, appended_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(i as i64)
                    .bind(&entry)
                    .bind(leaf.as_bytes().as_slice())
                    .bind(NOW.0)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                    let mut nodes = Vec::new();
                    frontier.push_with_nodes(leaf, |subtree, head| nodes.push((subtree, head)));
                    for (subtree, head) in nodes {
                        sqlx::query("INSERT INTO log_nodes (level, idx, hash) VALUES ($1, $2, $3)")
                            .bind(i64::from(subtree.level))
                            .bind(subtree.index as i64)
                            .bind(head.as_bytes().as_slice())
                            .execute(&mut *tx)
                            .await
                            .unwrap();
                    }
                }
                tx.commit().await.unwrap();
                index = end;
            }
            sqlx::raw_sql("ANALYZE").execute(&mut conn).await.unwrap();
            frontier.root()
        }};
    }
    let root = if url.starts_with("postgres") {
        run!(sqlx::PgConnection)
    } else {
        run!(sqlx::SqliteConnection)
    };
    println!("  root of {size} entries: {}", &root.to_hex()[..16]);
}

/// Runs `query` `runs` times; returns the median and the 99th percentile.
async fn time<F, Fut>(runs: usize, mut query: F) -> (Duration, Duration)
where
    F: FnMut(u64) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    query(0).await; // warm the caches
    let mut times = Vec::with_capacity(runs);
    for run in 0..runs as u64 {
        let start = Instant::now();
        query(run).await;
        times.push(start.elapsed());
    }
    times.sort_unstable();
    (times[runs / 2], times[runs * 99 / 100])
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A spread of leaf indexes below `size`.
fn spread(run: u64, size: u64) -> u64 {
    run.wrapping_mul(2_654_435_761) % size
}

async fn bench(label: &str, url: &str, size: u64) {
    let storage = storage::connect(&DatabaseUrl::new(url)).await.unwrap();
    storage.migrate().await.unwrap();
    found(&storage).await;
    let start = Instant::now();
    grow(url, size).await;
    println!(
        "\n{label}, {size} entries (written in {:.1} s):",
        start.elapsed().as_secs_f64()
    );
    println!("| what | median | p99 |");
    println!("|---|---|---|");
    let (median, p99) = time(RUNS, |run| {
        let storage = storage.clone();
        async move {
            let start = spread(run, size / 256) * 256;
            let leaves = storage.log_leaf_hashes(start, start + 256).await.unwrap();
            assert_eq!(leaves.len(), 256);
        }
    })
    .await;
    println!(
        "| reference: one tile's 256 leaf hashes | {:.3} ms | {:.3} ms |",
        ms(median),
        ms(p99)
    );
    for (name, plan) in [
        ("inclusion proof + root, stored heads", 0u8),
        ("consistency proof + 2 roots, stored heads", 1),
    ] {
        let (median, p99) = time(RUNS, |run| {
            let storage = storage.clone();
            async move {
                let plans = if plan == 0 {
                    vec![
                        StoredProof::Inclusion {
                            index: spread(run, size),
                            size,
                        },
                        StoredProof::Root { size },
                    ]
                } else {
                    let old = 1 + spread(run, size - 1);
                    vec![
                        StoredProof::Consistency { old, new: size },
                        StoredProof::Root { size: old },
                        StoredProof::Root { size },
                    ]
                };
                let mut wanted = Vec::new();
                for p in &plans {
                    wanted.extend(p.subtrees().unwrap());
                }
                wanted.sort_unstable();
                wanted.dedup();
                let heads = storage.subtree_heads(&wanted).await.unwrap();
                for p in &plans {
                    assert!(p.assemble(&heads).unwrap().is_some());
                }
            }
        })
        .await;
        println!("| {name} | {:.3} ms | {:.3} ms |", ms(median), ms(p99));
    }
    // Before: every leaf hash read and the tree rebuilt, per proof.
    let (median, p99) = time(5, |run| {
        let storage = storage.clone();
        async move {
            let leaves = storage.log_leaf_hashes(0, size).await.unwrap();
            merkle::inclusion_proof(&leaves, spread(run, size)).unwrap();
            merkle::root(&leaves);
        }
    })
    .await;
    println!(
        "| before: inclusion proof from every leaf | {:.1} ms | {:.1} ms (5 runs) |",
        ms(median),
        ms(p99)
    );
    storage.close().await;
}

#[tokio::main]
async fn main() {
    let sizes: Vec<u64> = std::env::var("SIZES")
        .unwrap_or_else(|_| "100000,1000000".to_owned())
        .split(',')
        .map(|s| s.trim().parse().unwrap())
        .collect();
    for size in sizes {
        let dir = std::env::temp_dir().join(format!(
            "tribune-bench-proofs-{}-{size}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/bench.db", dir.display());
        bench("SQLite (file, WAL)", &url, size).await;
        std::fs::remove_dir_all(&dir).ok();
        if let Ok(url) = std::env::var("TEST_POSTGRES_URL") {
            // A fresh database for each size.
            let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
            let name = format!("tribune_bench_proofs_{size}");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name}"
            )))
            .execute(&mut admin)
            .await
            .unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut admin)
                .await
                .unwrap();
            let (base, _) = url.rsplit_once('/').unwrap();
            bench("PostgreSQL", &format!("{base}/{name}"), size).await;
        }
    }
}
