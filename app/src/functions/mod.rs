//! Server functions: each one short — find the storage, check the session and
//! the permission, call storage or domain, map the error.

pub mod auth;
pub mod cases;
pub mod council;
pub mod decisions;
pub mod discussion;
pub mod members;
pub mod public;
pub mod public_comments;
pub mod voting;

#[cfg(feature = "ssr")]
pub mod ssr;
