//! The heads of the log's perfect subtrees (`log_nodes`): written with the
//! entry that completes each ([`domain::merkle::Frontier::push_with_nodes`]),
//! read to answer inclusion and consistency proofs and hash tiles in
//! O(log n) rows ([`domain::merkle::StoredProof`]), whatever the log's size.

use domain::merkle::{MerkleHash, Subtree};

pub(crate) const INSERT_NODE: &str =
    "INSERT INTO log_nodes (level, idx, hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

pub(crate) const COUNT_NODES: &str = "SELECT COUNT(*) FROM log_nodes";

/// Subtrees read per query: well inside both databases' limits on
/// parameters, and more than any one proof needs.
pub(crate) const PER_QUERY: usize = 200;

/// How many perfect subtrees above the leaves a log of `size` entries has.
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
        for chunk in leaves.chunks(crate::log_nodes::PER_QUERY) {
            let sql = crate::log_nodes::select_leaves(chunk.len());
            let mut query = sqlx::query_as::<sqlx::Any, (i64, Vec<u8>)>(sqlx::AssertSqlSafe(sql));
            for subtree in chunk {
                query = query.bind(crate::db_int(subtree.index));
            }
            for (index, hash) in query.fetch_all(self.reader()).await? {
                let (subtree, hash) = crate::log_nodes::head(0, index, &hash)?;
                heads.insert(subtree, hash);
            }
        }
        for chunk in nodes.chunks(crate::log_nodes::PER_QUERY / 2) {
            let sql = crate::log_nodes::select_nodes(chunk.len());
            let mut query =
                sqlx::query_as::<sqlx::Any, (i64, i64, Vec<u8>)>(sqlx::AssertSqlSafe(sql));
            for subtree in chunk {
                query = query
                    .bind(i64::from(subtree.level))
                    .bind(crate::db_int(subtree.index));
            }
            for (level, index, hash) in query.fetch_all(self.reader()).await? {
                let (subtree, hash) = crate::log_nodes::head(level, index, &hash)?;
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
        let size: i64 = sqlx::query_scalar(crate::sql::SELECT_LOG_SIZE)
            .fetch_one(self.reader())
            .await?;
        let size = u64::try_from(size).unwrap_or(0);
        let stored: i64 = sqlx::query_scalar(crate::log_nodes::COUNT_NODES)
            .fetch_one(self.reader())
            .await?;
        if u64::try_from(stored).unwrap_or(0) >= crate::log_nodes::nodes_in(size) {
            return Ok(0);
        }
        tracing::info!(entries = size, "storing the log's subtree heads (once)");
        let mut frontier = domain::merkle::Frontier::default();
        let mut written = 0;
        let chunk = 10_000u64;
        let mut start = 0;
        while start < size {
            let rows: Vec<Vec<u8>> = sqlx::query_scalar(crate::sql::SELECT_LEAF_HASHES)
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
                written += sqlx::query(crate::log_nodes::INSERT_NODE)
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
