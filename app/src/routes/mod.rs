//! One module per page.

pub mod account;
pub mod admin;
pub mod cases;
pub mod clauses;
pub mod dashboard;
pub mod decision;
pub mod discussion;
pub mod home;
pub mod invite;
pub mod members;
pub mod not_found;
pub mod public_comments;
pub mod public_decisions;
pub mod rules;
pub mod sign_in;
pub mod voting;
