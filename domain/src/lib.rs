//! Tribune's domain: pure rules with no I/O, built for the server, the browser
//! (wasm32) and `tribune verify` alike, so that anything the public must be able
//! to re-check is the same code everywhere.

pub mod ballots;
pub mod canonical;
pub mod cases;
pub mod checkpoint;
pub mod consistency;
pub mod cosignature;
pub mod council;
pub mod decisions;
pub mod demo;
pub mod genesis;
pub mod hex;
pub mod ledger;
pub mod members;
pub mod merkle;
pub mod note;
pub mod panels;
pub mod public;
pub mod signin;
pub mod statement;
pub mod synthetic;
pub mod tiles;
pub mod time;
pub mod verify;
pub mod voting;
pub mod witness;

pub use council::{Council, CouncilError, CouncilName, LogOrigin};
pub use time::Timestamp;
