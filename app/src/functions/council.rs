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

/// A complete copy of the public log, for verifying it in the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogCopy {
    /// The log's public key (C2SP vkey).
    pub log_key: String,
    /// The latest signed checkpoint.
    pub checkpoint: String,
    /// Every entry the checkpoint covers (canonical JSON).
    pub entries: Vec<String>,
}

/// A log copy verified by [`LogCopy::verify`].
pub struct VerifiedCopy {
    pub summary: domain::verify::LogSummary,
    pub entries: Vec<Vec<u8>>,
    /// The log key's name (the log's origin).
    pub key_name: String,
}

/// Why a log copy did not verify.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the log key is invalid: {0}")]
    Key(String),
    #[error(transparent)]
    Log(#[from] domain::verify::VerifyError),
}

impl LogCopy {
    /// Verifies the copy with the code of `tribune verify`: the
    /// checkpoint's signature, every entry's signature and signer, the
    /// ballots, and the tree head.
    pub fn verify(&self, origin: &domain::LogOrigin) -> Result<VerifiedCopy, CopyError> {
        let key = domain::note::NoteVerifier::from_vkey(&self.log_key)
            .map_err(|e| CopyError::Key(e.to_string()))?;
        let entries: Vec<Vec<u8>> = self
            .entries
            .iter()
            .map(|e| e.clone().into_bytes())
            .collect();
        let summary =
            domain::verify::verify_log(origin, &key, self.checkpoint.as_bytes(), &entries, |_| {})?;
        Ok(VerifiedCopy {
            summary,
            entries,
            key_name: key.name().to_owned(),
        })
    }
}

/// The most entries the in-browser check fetches at once; larger logs are
/// for `tribune verify`.
pub const MAX_BROWSER_CHECK_ENTRIES: u64 = 20_000;

/// The public log, whole, or `None` before the founding.
#[server(endpoint = "log_copy")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_log_copy() -> Result<Option<LogCopy>, AppError> {
    let storage = super::ssr::storage()?;
    let (Some(log_key), Some(checkpoint)) =
        (storage.log_key().await?, storage.latest_checkpoint().await?)
    else {
        return Ok(None);
    };
    let size = storage.latest_checkpoint_size().await?;
    if size > MAX_BROWSER_CHECK_ENTRIES {
        return Err(AppError::TooLarge);
    }
    let entries = storage
        .log_entries(0, size)
        .await?
        .into_iter()
        .map(|entry| String::from_utf8(entry).map_err(|_| AppError::Internal))
        .collect::<Result<_, _>>()?;
    Ok(Some(LogCopy {
        log_key,
        checkpoint,
        entries,
    }))
}
