//! Server functions: each one short — find the storage, (later: check the
//! session and the permission), call storage or domain, map the error.

pub mod council;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::error::AppError;
    use leptos::prelude::use_context;
    use storage::SharedStorage;

    /// The storage handle the server provides to every request's context.
    pub fn storage() -> Result<SharedStorage, AppError> {
        use_context::<SharedStorage>().ok_or_else(|| {
            tracing::error!("no storage in the request context");
            AppError::Internal
        })
    }
}
