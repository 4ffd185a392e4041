//! Inclusion and consistency proofs from an untrusted server: verification
//! never panics, whatever the sizes, indices and hashes.
#![no_main]

use domain::merkle::{MerkleHash, verify_consistency, verify_inclusion};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_at_checked(24) else {
        return;
    };
    let number = |i: usize| u64::from_le_bytes(head[i..i + 8].try_into().unwrap_or_default());
    let (a, b, c) = (number(0), number(8), number(16));
    let hashes: Vec<MerkleHash> = rest
        .chunks_exact(32)
        .filter_map(MerkleHash::from_slice)
        .collect();
    let [first, second, proof @ ..] = hashes.as_slice() else {
        return;
    };
    // Small sizes as well as huge ones.
    let small = |n: u64| n % 70;
    let _ = verify_inclusion(first, a, b, proof, second);
    let _ = verify_inclusion(first, small(a), small(b), proof, second);
    let _ = verify_consistency(b, c, first, second, proof);
    let _ = verify_consistency(small(b), small(c), first, second, proof);
});
