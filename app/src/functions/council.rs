use crate::error::AppError;
use domain::Council;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the public home page shows of the council and its log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCouncil {
    pub council: Council,
    /// The log's public key in C2SP vkey form.
    pub log_key: Option<String>,
    /// How many entries the log holds.
    pub log_size: u64,
    /// The latest published decisions, newest first.
    pub decisions: Vec<DecisionSummaryView>,
    /// A demo council (its members' keys are public).
    pub demo: bool,
}

/// A published decision in the public decision log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionSummaryView {
    pub case: u64,
    pub subject_handle: String,
    pub kind: String,
    pub tier: String,
    pub log_index: u64,
    pub published_at: domain::Timestamp,
    /// Each motion's outcome as URLs and tags spell it: `carried`,
    /// `not-carried`, `no-decision`.
    pub outcomes: Vec<String>,
    /// How the case ended in plain words, when its motions said.
    pub ruling: Option<domain::consistency::Ruling>,
    pub clauses: Vec<String>,
    pub opinions: usize,
}

#[cfg(feature = "ssr")]
impl From<storage::DecisionSummary> for DecisionSummaryView {
    fn from(d: storage::DecisionSummary) -> Self {
        Self {
            case: d.case.0,
            subject_handle: d.subject_handle,
            kind: d.kind,
            tier: d.tier,
            log_index: d.log_index,
            published_at: domain::Timestamp(d.body.published_at),
            outcomes: d
                .body
                .motions
                .iter()
                .map(|m| storage::outcome_name(m.outcome).to_owned())
                .collect(),
            ruling: d.ruling,
            clauses: d
                .body
                .record
                .clauses
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            opinions: d.body.opinions.len(),
        }
    }
}

/// A demo member one may sign in as (demo councils only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoMember {
    pub member: u64,
    pub name: String,
    pub group: String,
    pub role: String,
    /// Which demo key the member holds (`domain::demo::demo_key`).
    pub key_index: u32,
}

/// The members of a demo council who hold a demo key, to sign in as one of
/// them; empty for any other council.
#[server(endpoint = "demo_members")]
pub async fn demo_members() -> Result<Vec<DemoMember>, AppError> {
    let storage = super::ssr::storage()?;
    let Some(council) = storage.council().await? else {
        return Ok(vec![]);
    };
    if !domain::demo::is_demo_origin(&council.log_origin) {
        return Ok(vec![]);
    }
    Ok(storage
        .members()
        .await?
        .into_iter()
        .filter(|m| m.status == domain::members::MemberStatus::Active)
        .filter_map(|m| {
            let index = m.active_key().and_then(domain::demo::demo_index)?;
            Some(DemoMember {
                member: m.id.0,
                name: m.name.as_str().to_owned(),
                group: m.group.as_str().to_owned(),
                role: m.role.as_str().to_owned(),
                key_index: index,
            })
        })
        .collect())
}

/// The council as the public home page shows it, or `None` when `tribune
/// init` has not been run yet.
#[server(endpoint = "council")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_council() -> Result<Option<PublicCouncil>, AppError> {
    let storage = super::ssr::storage()?;
    let Some(council) = storage.council().await? else {
        return Ok(None);
    };
    let decisions = storage
        .recent_decisions(20)
        .await?
        .into_iter()
        .map(DecisionSummaryView::from)
        .collect();
    Ok(Some(PublicCouncil {
        demo: domain::demo::is_demo_origin(&council.log_origin),
        council,
        log_key: storage.log_key().await?,
        log_size: storage.log_size().await?,
        decisions,
    }))
}

/// What a check of the log in the browser starts from: the log's key and
/// its latest checkpoint, whose entries it then fetches chunk by chunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogHead {
    /// The log's public key (C2SP vkey).
    pub log_key: String,
    /// The latest signed checkpoint.
    pub checkpoint: String,
    /// How many entries it covers.
    pub size: u64,
}

/// The most entries one request for a chunk of the log gives.
pub const LOG_CHUNK: u64 = 4096;

/// The log's key and latest checkpoint, or `None` before the founding.
#[server(endpoint = "log_head")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_log_head() -> Result<Option<LogHead>, AppError> {
    let storage = super::ssr::storage()?;
    let (Some(log_key), Some(checkpoint)) =
        (storage.log_key().await?, storage.latest_checkpoint().await?)
    else {
        return Ok(None);
    };
    let size = storage.latest_checkpoint_size().await?;
    Ok(Some(LogHead {
        log_key,
        checkpoint,
        size,
    }))
}

/// Entries `start` to `end` of the log (canonical JSON), at most
/// [`LOG_CHUNK`] of them, and none beyond the latest checkpoint.
#[server(endpoint = "log_entries")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_log_entries(start: u64, end: u64) -> Result<Vec<String>, AppError> {
    let storage = super::ssr::storage()?;
    let size = storage.latest_checkpoint_size().await?;
    let end = end.min(size).min(start.saturating_add(LOG_CHUNK));
    if start >= end {
        return Ok(Vec::new());
    }
    storage
        .log_entries(start, end)
        .await?
        .into_iter()
        .map(|entry| String::from_utf8(entry).map_err(|_| AppError::Internal))
        .collect()
}

/// A log checked in the browser, chunk by chunk.
pub struct StreamedCheck {
    pub summary: domain::verify::LogSummary,
    /// Every entry's leaf hash (32 bytes each; the entries are not kept).
    pub leaves: Vec<domain::merkle::MerkleHash>,
    /// The entries asked to be kept, by index.
    pub kept: std::collections::BTreeMap<u64, Vec<u8>>,
    /// The log key's name (the log's origin).
    pub key_name: String,
}

/// Why the log did not verify in the browser.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the log key is invalid: {0}")]
    Key(String),
    #[error("{0}")]
    Fetch(String),
    #[error(transparent)]
    Log(#[from] domain::verify::VerifyError),
}

/// Fetches the log chunk by chunk ([`LOG_CHUNK`] entries) and checks each
/// with the code of `tribune verify` as it arrives: every entry's
/// signature and signer, the ballots, then the tree head against the
/// checkpoint. Memory stays bounded: only leaf hashes and the entries at
/// `keep` are held. `progress` is told (checked, of) after each chunk.
pub async fn check_log_streamed(
    origin: &domain::LogOrigin,
    keep: &std::collections::BTreeSet<u64>,
    mut progress: impl FnMut(u64, u64),
) -> Result<Option<StreamedCheck>, CopyError> {
    let head = get_log_head()
        .await
        .map_err(|e| CopyError::Fetch(e.to_string()))?;
    let Some(head) = head else {
        return Ok(None);
    };
    let key = domain::note::NoteVerifier::from_vkey(&head.log_key)
        .map_err(|e| CopyError::Key(e.to_string()))?;
    let mut verifier = domain::verify::LogVerifier::new(origin, &key);
    let mut leaves = Vec::with_capacity(usize::try_from(head.size).unwrap_or(0));
    let mut kept = std::collections::BTreeMap::new();
    while verifier.len() < head.size {
        let start = verifier.len();
        let chunk = get_log_entries(start, head.size)
            .await
            .map_err(|e| CopyError::Fetch(e.to_string()))?;
        if chunk.is_empty() {
            break;
        }
        let chunk: Vec<Vec<u8>> = chunk.into_iter().map(String::into_bytes).collect();
        for (index, entry) in (start..).zip(&chunk) {
            if keep.contains(&index) {
                kept.insert(index, entry.clone());
            }
        }
        leaves.extend(verifier.push(&chunk)?);
        progress(verifier.len(), head.size);
    }
    let summary = verifier.finish(head.checkpoint.as_bytes())?;
    Ok(Some(StreamedCheck {
        summary,
        leaves,
        kept,
        key_name: key.name().to_owned(),
    }))
}
