//! Tribune's domain: pure rules with no I/O, built for the server, the browser
//! (wasm32) and `tribune verify` alike, so that anything the public must be able
//! to re-check is the same code everywhere.

pub mod ballots;
pub mod canonical;
pub mod cases;
pub mod consistency;
pub mod council;
pub mod decisions;
pub mod demo;
pub mod genesis;
pub mod hex;
pub mod ledger;
pub mod log;
pub mod members;
pub mod panels;
pub mod public;
pub mod signin;
pub mod statement;
pub mod synthetic;
pub mod time;
pub mod verify;
pub mod voting;

pub use council::{Council, CouncilError, CouncilName, LogOrigin};
// The log's modules, where the council's code has always named them.
pub use log::{checkpoint, cosignature, merkle, note, tiles, witness};
pub use time::Timestamp;
