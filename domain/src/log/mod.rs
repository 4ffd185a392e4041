//! The council-agnostic transparency log: the Merkle tree and its proofs
//! (RFC 9162), tiles (C2SP tlog-tiles), signed notes and checkpoints (C2SP
//! signed-note, tlog-checkpoint), witness cosignatures (C2SP
//! tlog-cosignature) and a witness's rule. Nothing here knows what a
//! council, a member or a vote is: the statements and their rules are built
//! on top (the `rooms` test keeps it so: a file here imports nothing of the
//! crate outside this module but `hex`).

pub mod checkpoint;
pub mod cosignature;
pub mod merkle;
pub mod note;
pub mod origin;
pub mod tiles;
pub mod tlog_witness;
pub mod witness;
