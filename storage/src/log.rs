//! The log: the council, its entries, checkpoints and cosignatures.

use crate::StorageError;
use domain::genesis::Genesis;
use domain::merkle;
use domain::merkle::{MerkleHash, Subtree};
use domain::{Council, CouncilName, LogOrigin, Timestamp};

pub(crate) const SELECT_COUNCIL: &str =
    "SELECT name, log_origin, founded_at FROM council WHERE id = 1";

/// Inserts the council, or nothing if there is one (0 rows affected).
pub(crate) const INSERT_COUNCIL: &str = "INSERT INTO council (id, name, log_origin, founded_at) VALUES (1, $1, $2, $3) \
     ON CONFLICT (id) DO NOTHING";

pub(crate) const INSERT_LOG_KEY: &str = "INSERT INTO log_key (id, vkey) VALUES (1, $1)";

pub(crate) const SELECT_LOG_KEY: &str = "SELECT vkey FROM log_key WHERE id = 1";

pub(crate) const INSERT_LOG_ENTRY: &str =
    "INSERT INTO log_entries (idx, entry, leaf_hash, appended_at) VALUES ($1, $2, $3, $4)";

/// The log's size: one past the last index (entries are numbered from 0
/// without a gap), read from the primary key's end rather than counted.
pub(crate) const SELECT_LOG_SIZE: &str = "SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries";

pub(crate) const SELECT_LOG_ENTRIES: &str =
    "SELECT entry FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx";

pub(crate) const INSERT_CHECKPOINT: &str = "INSERT INTO log_checkpoints (size, root, note, created_at, frontier) VALUES ($1, $2, $3, $4, $5)";

/// The latest checkpoint's size, root and right edge (NULL before migration 0014).
pub(crate) const SELECT_LATEST_FRONTIER: &str =
    "SELECT size, root, frontier FROM log_checkpoints ORDER BY size DESC LIMIT 1";

pub(crate) const SELECT_LATEST_CHECKPOINT: &str =
    "SELECT note FROM log_checkpoints ORDER BY size DESC LIMIT 1";

pub(crate) const SELECT_LEAF_HASHES: &str =
    "SELECT leaf_hash FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx";

pub(crate) const SELECT_LATEST_CHECKPOINT_SIZE: &str =
    "SELECT COALESCE(MAX(size), 0) FROM log_checkpoints";

pub(crate) const SELECT_CHECKPOINT_ROOT: &str = "SELECT root FROM log_checkpoints WHERE size = $1";

pub(crate) const SELECT_CHECKPOINT_NOTE: &str = "SELECT note FROM log_checkpoints WHERE size = $1";

pub(crate) const INSERT_COSIGNATURE: &str = "INSERT INTO log_cosignatures \
     (size, witness, key_id, signed_at, line, received_at) VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT DO NOTHING";

pub(crate) const SELECT_COSIGNATURES: &str = "SELECT size, witness, key_id, signed_at, line \
     FROM log_cosignatures WHERE size = $1 ORDER BY witness, key_id";

pub(crate) const SELECT_RECENT_COSIGNATURES: &str = "SELECT size, witness, key_id, signed_at, line \
     FROM log_cosignatures ORDER BY size DESC, witness, key_id LIMIT $1";

pub(crate) const SELECT_LOG_ORIGIN: &str = "SELECT log_origin FROM council WHERE id = 1";

pub(crate) const SELECT_LEAF_HASHES_FROM: &str =
    "SELECT leaf_hash FROM log_entries WHERE idx >= $1 ORDER BY idx";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CouncilRow {
    pub name: String,
    pub log_origin: String,
    pub founded_at: i64,
}

impl TryFrom<CouncilRow> for Council {
    type Error = StorageError;
    fn try_from(row: CouncilRow) -> Result<Self, Self::Error> {
        let corrupt = |e: domain::CouncilError| StorageError::Corrupt(format!("council: {e}"));
        Ok(Council {
            name: CouncilName::parse(&row.name).map_err(corrupt)?,
            log_origin: LogOrigin::parse(&row.log_origin)
                .map_err(|e| corrupt(domain::CouncilError::from(e)))?,
            founded_at: Timestamp::from_unix_seconds(row.founded_at),
        })
    }
}

/// A witness's cosignature of one of the log's checkpoints, verified
/// against the council's witness policy when it was received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointCosignature {
    /// The size of the checkpoint it cosigns.
    pub size: u64,
    /// The witness key's name and ID.
    pub witness: String,
    pub key_id: u32,
    /// The cosignature's own timestamp (seconds since the Unix epoch).
    pub signed_at: u64,
    /// The note signature line, as appended to the checkpoint.
    pub line: String,
}

/// A witness's cosignature of a checkpoint (`SELECT_COSIGNATURES`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CosignatureRow {
    pub size: i64,
    pub witness: String,
    pub key_id: i64,
    pub signed_at: i64,
    pub line: String,
}

pub(crate) fn cosignature(
    row: CosignatureRow,
) -> Result<crate::CheckpointCosignature, StorageError> {
    Ok(crate::CheckpointCosignature {
        size: crate::db_u64(row.size),
        witness: row.witness,
        key_id: u32::try_from(row.key_id)
            .map_err(|_| StorageError::Corrupt("a cosignature's key ID".to_owned()))?,
        signed_at: crate::db_u64(row.signed_at),
        line: row.line,
    })
}

/// Appends `statement` as the next log entry and publishes a checkpoint
/// over the whole log signed by `log_key`, inside `tx`. Returns the
/// entry's index.
pub(crate) async fn append_statement(
    tx: &mut crate::db::Tx,
    ledger: &crate::ledger::LedgerCell,
    statement: &domain::statement::SignedStatement,
    log_key: &domain::note::NoteSigner,
    now: domain::Timestamp,
) -> Result<u64, crate::StorageError> {
    let mut frontier = log_frontier_in(tx).await?;
    let facts = domain::ledger::Facts {
        arrived_at: Some(now.unix_seconds()),
        sealed_vote: None,
    };
    let index = append_entry(tx, ledger, statement, &mut frontier, now, &facts).await?;
    let origin = kept_origin(tx, ledger).await?;
    publish_checkpoint(tx, &origin, &frontier, log_key, now).await?;
    Ok(index)
}

/// The log's origin, read once per storage: one query less per append.
pub(crate) async fn kept_origin(
    tx: &mut crate::db::Tx,
    cell: &crate::ledger::LedgerCell,
) -> Result<domain::LogOrigin, crate::StorageError> {
    if let Some(origin) = cell.1.get() {
        return Ok(origin.clone());
    }
    let origin = log_origin_in(tx).await?;
    Ok(cell.1.get_or_init(|| origin).clone())
}

/// The council's state replayed up to the end of the log as `tx`
/// sees it (whose right edge is `frontier`): the kept state when it
/// is over the same entries, caught up with entries appended since,
/// or rebuilt from the whole log when it is not (the first write, or
/// after a write that failed once applied).
pub(crate) async fn ledger_at<'c>(
    tx: &mut crate::db::Tx,
    cell: &'c crate::ledger::LedgerCell,
    frontier: &domain::merkle::Frontier,
) -> Result<tokio::sync::MappedMutexGuard<'c, crate::ledger::Replayed>, crate::StorageError> {
    let mut guard = cell.0.lock().await;
    let usable = match guard.as_ref() {
        Some(kept) if kept.frontier.len() == frontier.len() => {
            kept.frontier.root() == frontier.root()
        }
        Some(kept) if kept.frontier.len() < frontier.len() => {
            let root: Option<Vec<u8>> = sqlx::query_scalar(crate::log::SELECT_CHECKPOINT_ROOT)
                .bind(crate::db_int(kept.frontier.len()))
                .fetch_optional(&mut **tx)
                .await?;
            root.as_deref() == Some(kept.frontier.root().as_bytes().as_slice())
        }
        _ => false,
    };
    if !usable {
        let origin = kept_origin(tx, cell).await?;
        let vkey: Option<String> = sqlx::query_scalar(crate::log::SELECT_LOG_KEY)
            .fetch_optional(&mut **tx)
            .await?;
        let vkey = vkey.ok_or(crate::StorageError::NoCouncil)?;
        let log_key = domain::note::NoteVerifier::from_vkey(&vkey)
            .map_err(|e| crate::StorageError::Corrupt(format!("log key: {e}")))?;
        *guard = Some(crate::ledger::Replayed::new(domain::ledger::Ledger::new(
            &origin, &log_key,
        )));
    }
    let mut replayed = tokio::sync::MutexGuard::try_map(guard, Option::as_mut)
        .map_err(|_| crate::StorageError::NoCouncil)?;
    // Entries this state has not seen: all of them when rebuilt.
    while replayed.frontier.len() < frontier.len() {
        let start = replayed.frontier.len();
        let end = frontier.len().min(start + 4096);
        let entries: Vec<Vec<u8>> = sqlx::query_scalar(crate::log::SELECT_LOG_ENTRIES)
            .bind(crate::db_int(start))
            .bind(crate::db_int(end))
            .fetch_all(&mut **tx)
            .await?;
        if entries.is_empty() {
            return Err(crate::StorageError::Corrupt(format!(
                "log entries {start}..{end} are missing"
            )));
        }
        for entry in &entries {
            replayed.replay(entry);
        }
    }
    Ok(replayed)
}

/// Asks the council's state at the end of the log, as `tx` sees it.
pub(crate) async fn with_ledger<R>(
    tx: &mut crate::db::Tx,
    cell: &crate::ledger::LedgerCell,
    ask: impl FnOnce(&domain::ledger::Ledger) -> R,
) -> Result<R, crate::StorageError> {
    let frontier = log_frontier_in(tx).await?;
    let replayed = ledger_at(tx, cell, &frontier).await?;
    Ok(ask(&replayed.ledger))
}

/// The right edge of the whole log, from the latest checkpoint (which
/// stores it, and whose root it must give) plus any entry after it:
/// O(log n) per write transaction. A checkpoint from before the edge
/// was stored has it rebuilt from every leaf hash, once.
pub(crate) async fn log_frontier_in(
    tx: &mut crate::db::Tx,
) -> Result<domain::merkle::Frontier, crate::StorageError> {
    let latest: Option<(i64, Vec<u8>, Option<Vec<u8>>)> =
        sqlx::query_as(crate::log::SELECT_LATEST_FRONTIER)
            .fetch_optional(&mut **tx)
            .await?;
    let mut frontier = match latest {
        Some((size, root, Some(edge))) => {
            let size = u64::try_from(size).map_err(|_| {
                crate::StorageError::Corrupt("a checkpoint size is negative".to_owned())
            })?;
            let frontier = domain::merkle::Frontier::from_bytes(size, &edge)
                .map_err(|e| crate::StorageError::Corrupt(format!("checkpoint: {e}")))?;
            if frontier.root().as_bytes().as_slice() != root.as_slice() {
                return Err(crate::StorageError::Corrupt(format!(
                    "the stored edge of checkpoint {size} does not give its root"
                )));
            }
            frontier
        }
        _ => domain::merkle::Frontier::default(),
    };
    // Entries after the edge (all of them when none is stored).
    let after: Vec<Vec<u8>> = sqlx::query_scalar(crate::log::SELECT_LEAF_HASHES_FROM)
        .bind(crate::db_int(frontier.len()))
        .fetch_all(&mut **tx)
        .await?;
    for bytes in after {
        let leaf = domain::merkle::MerkleHash::from_slice(&bytes).ok_or_else(|| {
            crate::StorageError::Corrupt("a leaf hash is not 32 bytes".to_owned())
        })?;
        frontier.push(leaf);
    }
    Ok(frontier)
}

/// Appends `statement` as the next entry after `frontier` (which it
/// extends) without publishing a checkpoint. Returns its index.
pub(crate) async fn append_entry(
    tx: &mut crate::db::Tx,
    ledger: &crate::ledger::LedgerCell,
    statement: &domain::statement::SignedStatement,
    frontier: &mut domain::merkle::Frontier,
    now: domain::Timestamp,
    facts: &domain::ledger::Facts<'_>,
) -> Result<u64, crate::StorageError> {
    let entry = statement
        .to_entry()
        .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
    let index = frontier.len();
    let leaf = domain::merkle::leaf_hash(&entry);
    {
        // The one decision, replay's own: refused, nothing is written.
        let mut replayed = ledger_at(tx, ledger, frontier).await?;
        replayed
            .ledger
            .apply(statement, &entry, facts)
            .map_err(crate::StorageError::Refused)?;
        replayed.frontier.push(leaf);
    }
    sqlx::query(crate::log::INSERT_LOG_ENTRY)
        .bind(crate::db_int(index))
        .bind(&entry)
        .bind(leaf.as_bytes().as_slice())
        .bind(now.unix_seconds())
        .execute(&mut **tx)
        .await?;
    // The subtree heads this entry completes (one on average).
    let mut completed = Vec::new();
    frontier.push_with_nodes(leaf, |subtree, head| completed.push((subtree, head)));
    for (subtree, head) in completed {
        sqlx::query(crate::log::INSERT_NODE)
            .bind(i64::from(subtree.level))
            .bind(crate::db_int(subtree.index))
            .bind(head.as_bytes().as_slice())
            .execute(&mut **tx)
            .await?;
    }
    Ok(index)
}

/// Publishes the checkpoint over the whole log (whose right edge is
/// `frontier`), signed by `log_key`, with the edge for the next write.
pub(crate) async fn publish_checkpoint(
    tx: &mut crate::db::Tx,
    origin: &domain::LogOrigin,
    frontier: &domain::merkle::Frontier,
    log_key: &domain::note::NoteSigner,
    now: domain::Timestamp,
) -> Result<(), crate::StorageError> {
    let origin = origin.clone();
    let size = frontier.len();
    let root = frontier.root();
    let note = domain::checkpoint::Checkpoint {
        origin,
        size,
        root,
        extensions: vec![],
    }
    .sign(log_key)
    .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
    sqlx::query(crate::log::INSERT_CHECKPOINT)
        .bind(crate::db_int(size))
        .bind(root.as_bytes().as_slice())
        .bind(&note)
        .bind(now.unix_seconds())
        .bind(frontier.to_bytes())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(crate) async fn log_origin_in(
    tx: &mut crate::db::Tx,
) -> Result<domain::LogOrigin, crate::StorageError> {
    let origin: Option<String> = sqlx::query_scalar(crate::log::SELECT_LOG_ORIGIN)
        .fetch_optional(&mut **tx)
        .await?;
    let origin = origin.ok_or(crate::StorageError::NoCouncil)?;
    domain::LogOrigin::parse(&origin)
        .map_err(|e| crate::StorageError::Corrupt(format!("council: {e}")))
}

impl crate::db::Store {
    /// Replays the stored log into the state that decides each write,
    /// reading through the read pool outside any write transaction, and
    /// keeps it unless a write built it meanwhile. Without this, the first
    /// write after a start replays the whole log while it holds the write
    /// lock (seconds at a million entries): every other write, and the
    /// health check's write probe, would wait. Returns how many entries
    /// were replayed.
    pub(crate) async fn replay_log(&self) -> Result<u64, StorageError> {
        if self.ledger.0.lock().await.is_some() {
            return Ok(0);
        }
        let Some(council) = self.council().await? else {
            return Ok(0);
        };
        let vkey = self.log_key().await?.ok_or(StorageError::NoCouncil)?;
        let log_key = domain::note::NoteVerifier::from_vkey(&vkey)
            .map_err(|e| StorageError::Corrupt(format!("log key: {e}")))?;
        let mut replayed = crate::ledger::Replayed::new(domain::ledger::Ledger::new(
            &council.log_origin,
            &log_key,
        ));
        // Up to a checkpoint: the state is then usable as it is kept
        // (its edge gives that checkpoint's root).
        let size = self.latest_checkpoint_size().await?;
        while replayed.frontier.len() < size {
            let start = replayed.frontier.len();
            let entries = self.log_entries(start, size.min(start + 4096)).await?;
            if entries.is_empty() {
                return Err(StorageError::Corrupt(format!(
                    "log entries from {start} are missing"
                )));
            }
            for entry in &entries {
                replayed.replay(entry);
            }
            // Other tasks run between chunks.
            tokio::task::yield_now().await;
        }
        let mut kept = self.ledger.0.lock().await;
        if kept.is_none() {
            *kept = Some(replayed);
            return Ok(size);
        }
        Ok(0)
    }
}

/// The log: the council, its entries, checkpoints and cosignatures.
#[async_trait::async_trait]
pub trait LogStore: Send + Sync {
    /// The council, or `None` while `tribune init` has not been run.
    async fn council(&self) -> Result<Option<Council>, StorageError>;

    /// Records the council's founding in one transaction: the council, the
    /// log's public key, entry 0 (the founding statement) and the first
    /// checkpoint. Fails with [`StorageError::CouncilExists`] (and changes
    /// nothing) if there already is a council.
    async fn found_council(&self, genesis: &Genesis) -> Result<(), StorageError>;

    /// The log's public key (C2SP vkey), once the council is founded.
    async fn log_key(&self) -> Result<Option<String>, StorageError>;

    /// How many entries the log holds.
    async fn log_size(&self) -> Result<u64, StorageError>;

    /// The entries with indexes `start..end`, in order.
    async fn log_entries(&self, start: u64, end: u64) -> Result<Vec<Vec<u8>>, StorageError>;

    /// The leaf hashes of the entries `start..end`, in order.
    async fn log_leaf_hashes(&self, start: u64, end: u64) -> Result<Vec<MerkleHash>, StorageError>;

    /// The heads of the perfect subtrees `wanted` (level 0: leaf hashes),
    /// as far as the log has them: what a proof or a hash tile needs
    /// ([`domain::merkle::StoredProof::subtrees`]), O(log n) rows.
    async fn subtree_heads(
        &self,
        wanted: &[domain::merkle::Subtree],
    ) -> Result<std::collections::HashMap<domain::merkle::Subtree, MerkleHash>, StorageError>;

    /// The size of the most recent checkpoint (0 before the founding): how
    /// much of the log is published.
    async fn latest_checkpoint_size(&self) -> Result<u64, StorageError>;

    /// The most recent signed checkpoint, as published.
    async fn latest_checkpoint(&self) -> Result<Option<String>, StorageError>;

    /// The signed checkpoint of `size`, as published (without cosignatures),
    /// or `None` if the log never published one of that size.
    async fn checkpoint_note(&self, size: u64) -> Result<Option<String>, StorageError>;

    /// Records witness cosignatures (already verified) of published
    /// checkpoints; one already recorded for the same checkpoint and
    /// witness key is left as it is. Returns how many were new.
    async fn add_cosignatures(
        &self,
        cosignatures: &[CheckpointCosignature],
    ) -> Result<u64, StorageError>;

    /// The cosignatures of the checkpoint of `size`, by witness name.
    async fn cosignatures(&self, size: u64) -> Result<Vec<CheckpointCosignature>, StorageError>;

    /// The most recent cosignatures (largest checkpoints first), at most
    /// `limit`: enough to find the last final checkpoint.
    async fn recent_cosignatures(
        &self,
        limit: u32,
    ) -> Result<Vec<CheckpointCosignature>, StorageError>;
}

#[async_trait::async_trait]
impl LogStore for crate::db::Store {
    async fn council(&self) -> Result<Option<Council>, StorageError> {
        if let Some(council) = self.council.get() {
            return Ok(Some(council.clone()));
        }
        let row: Option<CouncilRow> = sqlx::query_as(crate::log::SELECT_COUNCIL)
            .fetch_optional(self.reader())
            .await?;
        let council = row.map(Council::try_from).transpose()?;
        if let Some(council) = &council {
            let _ = self.council.set(council.clone());
        }
        Ok(council)
    }

    async fn found_council(&self, genesis: &Genesis) -> Result<(), StorageError> {
        let council = &genesis.council;
        let now = council.founded_at.unix_seconds();
        let leaf = merkle::leaf_hash(&genesis.entry);
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(crate::log::INSERT_COUNCIL)
            .bind(council.name.as_str())
            .bind(council.log_origin.as_str())
            .bind(council.founded_at.unix_seconds())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if inserted == 0 {
            return Err(StorageError::CouncilExists);
        }
        sqlx::query(crate::log::INSERT_LOG_KEY)
            .bind(&genesis.log_vkey)
            .execute(&mut *tx)
            .await?;
        sqlx::query(crate::log::INSERT_LOG_ENTRY)
            .bind(0_i64)
            .bind(&genesis.entry)
            .bind(leaf.as_bytes().as_slice())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(crate::log::INSERT_CHECKPOINT)
            .bind(1_i64)
            .bind(merkle::root(&[leaf]).as_bytes().as_slice())
            .bind(&genesis.checkpoint)
            .bind(now)
            .bind(merkle::Frontier::from_leaves(&[leaf]).to_bytes())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn log_key(&self) -> Result<Option<String>, StorageError> {
        Ok(sqlx::query_scalar(crate::log::SELECT_LOG_KEY)
            .fetch_optional(self.reader())
            .await?)
    }

    async fn log_size(&self) -> Result<u64, StorageError> {
        let size: i64 = sqlx::query_scalar(crate::log::SELECT_LOG_SIZE)
            .fetch_one(self.reader())
            .await?;
        u64::try_from(size).map_err(|_| StorageError::Corrupt("negative log size".to_owned()))
    }

    async fn log_entries(&self, start: u64, end: u64) -> Result<Vec<Vec<u8>>, StorageError> {
        Ok(sqlx::query_scalar(crate::log::SELECT_LOG_ENTRIES)
            .bind(crate::db_int(start))
            .bind(crate::db_int(end))
            .fetch_all(self.reader())
            .await?)
    }

    async fn log_leaf_hashes(&self, start: u64, end: u64) -> Result<Vec<MerkleHash>, StorageError> {
        let rows: Vec<Vec<u8>> = sqlx::query_scalar(crate::log::SELECT_LEAF_HASHES)
            .bind(crate::db_int(start))
            .bind(crate::db_int(end))
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|bytes| {
                MerkleHash::from_slice(bytes)
                    .ok_or_else(|| StorageError::Corrupt("a leaf hash is not 32 bytes".to_owned()))
            })
            .collect()
    }

    async fn latest_checkpoint_size(&self) -> Result<u64, StorageError> {
        let size: i64 = sqlx::query_scalar(crate::log::SELECT_LATEST_CHECKPOINT_SIZE)
            .fetch_one(self.reader())
            .await?;
        u64::try_from(size)
            .map_err(|_| StorageError::Corrupt("negative checkpoint size".to_owned()))
    }

    async fn latest_checkpoint(&self) -> Result<Option<String>, StorageError> {
        Ok(sqlx::query_scalar(crate::log::SELECT_LATEST_CHECKPOINT)
            .fetch_optional(self.reader())
            .await?)
    }

    async fn checkpoint_note(&self, size: u64) -> Result<Option<String>, crate::StorageError> {
        Ok(sqlx::query_scalar(crate::log::SELECT_CHECKPOINT_NOTE)
            .bind(crate::db_int(size))
            .fetch_optional(self.reader())
            .await?)
    }

    async fn add_cosignatures(
        &self,
        cosignatures: &[crate::CheckpointCosignature],
    ) -> Result<u64, crate::StorageError> {
        let mut tx = self.begin_write().await?;
        let mut added = 0;
        for c in cosignatures {
            added += sqlx::query(crate::log::INSERT_COSIGNATURE)
                .bind(crate::db_int(c.size))
                .bind(&c.witness)
                .bind(i64::from(c.key_id))
                .bind(crate::db_int(c.signed_at))
                .bind(&c.line)
                .bind(crate::now().unix_seconds())
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    async fn cosignatures(
        &self,
        size: u64,
    ) -> Result<Vec<crate::CheckpointCosignature>, crate::StorageError> {
        let rows: Vec<crate::log::CosignatureRow> = sqlx::query_as(crate::log::SELECT_COSIGNATURES)
            .bind(crate::db_int(size))
            .fetch_all(self.reader())
            .await?;
        rows.into_iter().map(crate::log::cosignature).collect()
    }

    async fn recent_cosignatures(
        &self,
        limit: u32,
    ) -> Result<Vec<crate::CheckpointCosignature>, crate::StorageError> {
        let rows: Vec<crate::log::CosignatureRow> =
            sqlx::query_as(crate::log::SELECT_RECENT_COSIGNATURES)
                .bind(i64::from(limit))
                .fetch_all(self.reader())
                .await?;
        rows.into_iter().map(crate::log::cosignature).collect()
    }

    async fn subtree_heads(
        &self,
        wanted: &[domain::merkle::Subtree],
    ) -> Result<
        std::collections::HashMap<domain::merkle::Subtree, domain::merkle::MerkleHash>,
        crate::StorageError,
    > {
        self.read_subtree_heads(wanted).await
    }
}

// The tree's stored nodes.

pub(crate) const INSERT_NODE: &str =
    "INSERT INTO log_nodes (level, idx, hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

pub(crate) const SELECT_NODE_PRESENT: &str =
    "SELECT level FROM log_nodes WHERE level = $1 AND idx = $2";

/// Subtrees read per query: well inside both databases' limits on
/// parameters, and more than any one proof needs.
pub(crate) const PER_QUERY: usize = 200;

/// How many perfect subtrees above the leaves a log of `size` entries has.
#[cfg(test)]
pub(crate) fn nodes_in(size: u64) -> u64 {
    (1..64).map(|level| size >> level).sum()
}

/// `SELECT … WHERE idx IN ($1, …)` over the leaves in `wanted`.
pub(crate) fn select_leaves(count: usize) -> String {
    let params: Vec<String> = (1..=count).map(|n| format!("${n}")).collect();
    format!(
        "SELECT idx, leaf_hash FROM log_entries WHERE idx IN ({})",
        params.join(", ")
    )
}

/// `SELECT … WHERE (level = $1 AND idx = $2) OR …` over `count` subtrees.
pub(crate) fn select_nodes(count: usize) -> String {
    let terms: Vec<String> = (0..count)
        .map(|n| format!("(level = ${} AND idx = ${})", 2 * n + 1, 2 * n + 2))
        .collect();
    format!(
        "SELECT level, idx, hash FROM log_nodes WHERE {}",
        terms.join(" OR ")
    )
}

pub(crate) fn head(
    level: i64,
    index: i64,
    hash: &[u8],
) -> Result<(Subtree, MerkleHash), crate::StorageError> {
    let corrupt = || crate::StorageError::Corrupt("a subtree head is malformed".to_owned());
    let level = u8::try_from(level).map_err(|_| corrupt())?;
    let index = u64::try_from(index).map_err(|_| corrupt())?;
    let hash = MerkleHash::from_slice(hash).ok_or_else(corrupt)?;
    Ok((Subtree { level, index }, hash))
}

impl crate::db::Store {
    /// The heads of the subtrees `wanted` (leaves among them), as
    /// far as the log has them.
    pub(crate) async fn read_subtree_heads(
        &self,
        wanted: &[domain::merkle::Subtree],
    ) -> Result<
        std::collections::HashMap<domain::merkle::Subtree, domain::merkle::MerkleHash>,
        crate::StorageError,
    > {
        let mut heads = std::collections::HashMap::with_capacity(wanted.len());
        let (leaves, nodes): (Vec<&domain::merkle::Subtree>, Vec<&domain::merkle::Subtree>) =
            wanted.iter().partition(|subtree| subtree.level == 0);
        for chunk in leaves.chunks(crate::log::PER_QUERY) {
            let sql = crate::log::select_leaves(chunk.len());
            let mut query = sqlx::query_as::<sqlx::Any, (i64, Vec<u8>)>(sqlx::AssertSqlSafe(sql));
            for subtree in chunk {
                query = query.bind(crate::db_int(subtree.index));
            }
            for (index, hash) in query.fetch_all(self.reader()).await? {
                let (subtree, hash) = crate::log::head(0, index, &hash)?;
                heads.insert(subtree, hash);
            }
        }
        for chunk in nodes.chunks(crate::log::PER_QUERY / 2) {
            let sql = crate::log::select_nodes(chunk.len());
            let mut query =
                sqlx::query_as::<sqlx::Any, (i64, i64, Vec<u8>)>(sqlx::AssertSqlSafe(sql));
            for subtree in chunk {
                query = query
                    .bind(i64::from(subtree.level))
                    .bind(crate::db_int(subtree.index));
            }
            for (level, index, hash) in query.fetch_all(self.reader()).await? {
                let (subtree, hash) = crate::log::head(level, index, &hash)?;
                heads.insert(subtree, hash);
            }
        }
        Ok(heads)
    }

    /// Fills in the subtree heads of a log written before they were
    /// stored (or by a crashed version that did not): reads the leaf
    /// hashes in order once, in chunks, and writes the heads it
    /// lacks. Nothing to do, one COUNT, when they are all there.
    pub(crate) async fn store_log_nodes(&self) -> Result<u64, crate::StorageError> {
        let size: i64 = sqlx::query_scalar(crate::log::SELECT_LOG_SIZE)
            .fetch_one(self.reader())
            .await?;
        let size = u64::try_from(size).unwrap_or(0);
        // Heads are written in log order (by each append, or by this
        // filling, chunk after chunk): when each level's newest complete
        // head is there, they all are. O(log n) lookups, not a count.
        let mut complete = true;
        let mut level = 1;
        while size >> level > 0 {
            let found: Option<i64> = sqlx::query_scalar(crate::log::SELECT_NODE_PRESENT)
                .bind(i64::from(level))
                .bind(crate::db_int((size >> level) - 1))
                .fetch_optional(self.reader())
                .await?;
            if found.is_none() {
                complete = false;
                break;
            }
            level += 1;
        }
        if complete {
            return Ok(0);
        }
        tracing::info!(entries = size, "storing the log's subtree heads (once)");
        let mut frontier = domain::merkle::Frontier::default();
        let mut written = 0;
        let chunk = 10_000u64;
        let mut start = 0;
        while start < size {
            let rows: Vec<Vec<u8>> = sqlx::query_scalar(crate::log::SELECT_LEAF_HASHES)
                .bind(crate::db_int(start))
                .bind(crate::db_int(start + chunk))
                .fetch_all(self.reader())
                .await?;
            let mut nodes = Vec::new();
            for bytes in &rows {
                let leaf = domain::merkle::MerkleHash::from_slice(bytes).ok_or_else(|| {
                    crate::StorageError::Corrupt("a leaf hash is not 32 bytes".to_owned())
                })?;
                frontier.push_with_nodes(leaf, |subtree, head| nodes.push((subtree, head)));
            }
            let mut tx = self.begin_write().await?;
            for (subtree, head) in &nodes {
                written += sqlx::query(crate::log::INSERT_NODE)
                    .bind(i64::from(subtree.level))
                    .bind(crate::db_int(subtree.index))
                    .bind(head.as_bytes().as_slice())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            if rows.is_empty() {
                break;
            }
            start += rows.len() as u64;
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_has_one_head_less_than_its_entries_above_its_leaves_when_full() {
        assert_eq!(nodes_in(0), 0);
        assert_eq!(nodes_in(1), 0);
        assert_eq!(nodes_in(2), 1);
        assert_eq!(nodes_in(8), 7);
        assert_eq!(nodes_in(11), 5 + 2 + 1);
    }

    #[test]
    fn queries_name_each_subtree() {
        assert_eq!(
            select_nodes(2),
            "SELECT level, idx, hash FROM log_nodes WHERE (level = $1 AND idx = $2) OR (level = $3 AND idx = $4)"
        );
        assert_eq!(
            select_leaves(3),
            "SELECT idx, leaf_hash FROM log_entries WHERE idx IN ($1, $2, $3)"
        );
    }
}
