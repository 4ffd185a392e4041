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
    Ok(Some(PublicCouncil {
        council,
        log_key: storage.log_key().await?,
        log_size: storage.log_size().await?,
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
