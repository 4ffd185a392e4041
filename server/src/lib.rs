//! The `tribune` binary's library: configuration, the axum router (pages,
//! server functions, `/healthz`) and the command-line commands. `main.rs`
//! only parses the command line and calls in here.

pub mod closer;
pub mod commands;
pub mod config;
pub mod demo;
pub mod evidence;
pub mod health;
pub mod intake_api;
pub mod ledger;
pub mod log_api;
pub mod progress;
pub mod public_api;
pub mod public_comments;
pub mod security;
pub mod tlog_push;
pub mod web;
pub mod witness;
