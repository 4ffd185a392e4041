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
