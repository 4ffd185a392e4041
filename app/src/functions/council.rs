use crate::error::AppError;
use domain::Council;
use leptos::prelude::*;

/// The council as the public home page shows it, or `None` when `tribune
/// init` has not been run yet.
#[server(endpoint = "council")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_council() -> Result<Option<Council>, AppError> {
    let storage = super::ssr::storage()?;
    Ok(storage.council().await?)
}
