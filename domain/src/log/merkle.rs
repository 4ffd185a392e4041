//! The council's append-only log is a Merkle tree as specified by RFC 9162
//! §2.1 (the hashing of RFC 6962): leaves are hashed with a `0x00` prefix,
//! interior nodes with `0x01`, and a tree of `n` leaves splits at the largest
//! power of two smaller than `n`.
//!
//! This module computes tree heads and inclusion and consistency proofs, and
//! verifies proofs. Verification never panics, whatever the input.

use sha2::{Digest, Sha256};
use std::fmt;

/// A SHA-256 hash: a leaf hash, an interior node or a tree head.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MerkleHash(pub [u8; 32]);

impl MerkleHash {
    pub const LEN: usize = 32;

    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes).ok().map(Self)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn to_hex(&self) -> String {
        crate::hex::encode(&self.0)
    }

    pub fn from_hex(text: &str) -> Option<Self> {
        crate::hex::decode(text).and_then(|bytes| Self::from_slice(&bytes))
    }
}

impl fmt::Debug for MerkleHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MerkleHash({})", self.to_hex())
    }
}

impl fmt::Display for MerkleHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// Why a proof was refused, or could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("leaf index {index} is outside a tree of size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("the older tree size {old} is larger than the newer {new}")]
    SizesOutOfOrder { old: u64, new: u64 },
    #[error("the proof has {actual} hashes where {expected} were expected")]
    WrongLength { expected: usize, actual: usize },
    #[error("the proof does not lead to the expected tree head")]
    RootMismatch,
}

/// The hash of the empty tree: SHA-256 of nothing.
pub fn empty_root() -> MerkleHash {
    MerkleHash(Sha256::digest([]).into())
}

/// `SHA-256(0x00 || entry)`.
pub fn leaf_hash(entry: &[u8]) -> MerkleHash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(entry);
    MerkleHash(hasher.finalize().into())
}

/// `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &MerkleHash, right: &MerkleHash) -> MerkleHash {
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(left.0);
    hasher.update(right.0);
    MerkleHash(hasher.finalize().into())
}

/// The largest power of two strictly smaller than `n` (for `n >= 2`).
fn split_point(n: usize) -> usize {
    debug_assert!(n >= 2);
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// The tree head (MTH) over these leaf hashes.
pub fn root(leaves: &[MerkleHash]) -> MerkleHash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split_point(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The right edge of a tree: the heads of its perfect subtrees, largest
/// first, one per set bit of its size. Enough to compute the tree head and to
/// append a leaf in O(log n), so a writer need not read every leaf hash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    heads: Vec<MerkleHash>,
}

/// A stored frontier that does not fit the size it was stored with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a frontier of size {size} needs {expected} hashes, not {actual} bytes' worth")]
pub struct FrontierError {
    pub size: u64,
    pub expected: u32,
    pub actual: usize,
}

impl Frontier {
    /// The frontier of the tree made of `leaves`.
    pub fn from_leaves(leaves: &[MerkleHash]) -> Self {
        let mut frontier = Self::default();
        for leaf in leaves {
            frontier.push(*leaf);
        }
        frontier
    }

    /// Reads the frontier of a tree of `size` leaves from its encoding
    /// ([`Frontier::to_bytes`]).
    pub fn from_bytes(size: u64, bytes: &[u8]) -> Result<Self, FrontierError> {
        let expected = size.count_ones();
        let error = FrontierError {
            size,
            expected,
            actual: bytes.len(),
        };
        if bytes.len() != expected as usize * MerkleHash::LEN {
            return Err(error);
        }
        let heads = bytes
            .chunks_exact(MerkleHash::LEN)
            .map(MerkleHash::from_slice)
            .collect::<Option<Vec<_>>>()
            .ok_or(error)?;
        Ok(Self { size, heads })
    }

    /// The heads, concatenated (32 bytes per set bit of the size).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.heads.iter().flat_map(|head| head.0).collect()
    }

    /// The number of leaves.
    pub fn len(&self) -> u64 {
        self.size
    }

    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// Appends a leaf hash: it merges with the equal-sized subtrees on the
    /// right edge, as a binary counter carries.
    pub fn push(&mut self, leaf: MerkleHash) {
        self.push_with_nodes(leaf, |_, _| {});
    }

    /// [`Frontier::push`], handing each perfect subtree it completes (level
    /// 1 and up: the leaf itself is level 0) to `completed`, lowest first.
    /// A writer that stores them answers proofs without reading every leaf.
    pub fn push_with_nodes(
        &mut self,
        leaf: MerkleHash,
        mut completed: impl FnMut(Subtree, MerkleHash),
    ) {
        let index = self.size;
        let mut head = leaf;
        let mut size = self.size;
        let mut level = 0u8;
        while size & 1 == 1 {
            // A set low bit means a perfect subtree of that size ends the edge.
            let Some(left) = self.heads.pop() else { break };
            head = node_hash(&left, &head);
            size >>= 1;
            level += 1;
            completed(
                Subtree {
                    level,
                    index: index >> level,
                },
                head,
            );
        }
        self.heads.push(head);
        self.size += 1;
    }

    /// The tree head (MTH): the subtree heads folded from the right, which is
    /// how RFC 9162 splits a tree at its largest power of two.
    pub fn root(&self) -> MerkleHash {
        let mut heads = self.heads.iter().rev();
        let Some(last) = heads.next() else {
            return empty_root();
        };
        heads.fold(*last, |right, left| node_hash(left, &right))
    }
}

/// The audit path (RFC 9162 §2.1.3.1) proving that leaf `index` is in the tree
/// made of `leaves`.
pub fn inclusion_proof(leaves: &[MerkleHash], index: u64) -> Result<Vec<MerkleHash>, ProofError> {
    let size = leaves.len() as u64;
    let position = usize::try_from(index)
        .ok()
        .filter(|i| *i < leaves.len())
        .ok_or(ProofError::IndexOutOfRange { index, size })?;
    let mut proof = Vec::new();
    path(position, leaves, &mut proof);
    Ok(proof)
}

fn path(m: usize, leaves: &[MerkleHash], proof: &mut Vec<MerkleHash>) {
    let n = leaves.len();
    if n <= 1 {
        return;
    }
    let k = split_point(n);
    if m < k {
        path(m, &leaves[..k], proof);
        proof.push(root(&leaves[k..]));
    } else {
        path(m - k, &leaves[k..], proof);
        proof.push(root(&leaves[..k]));
    }
}

/// The consistency proof (RFC 9162 §2.1.4.1) that the tree of the first
/// `old_size` leaves is a prefix of the tree made of `leaves`. Empty when the
/// old tree is empty or the same size.
pub fn consistency_proof(
    leaves: &[MerkleHash],
    old_size: u64,
) -> Result<Vec<MerkleHash>, ProofError> {
    let new_size = leaves.len() as u64;
    let m = usize::try_from(old_size)
        .ok()
        .filter(|m| *m <= leaves.len())
        .ok_or(ProofError::SizesOutOfOrder {
            old: old_size,
            new: new_size,
        })?;
    let mut proof = Vec::new();
    if m > 0 && m < leaves.len() {
        subproof(m, leaves, true, &mut proof);
    }
    Ok(proof)
}

fn subproof(m: usize, leaves: &[MerkleHash], complete: bool, proof: &mut Vec<MerkleHash>) {
    let n = leaves.len();
    if m == n {
        if !complete {
            proof.push(root(leaves));
        }
        return;
    }
    let k = split_point(n);
    if m <= k {
        subproof(m, &leaves[..k], complete, proof);
        proof.push(root(&leaves[k..]));
    } else {
        subproof(m - k, &leaves[k..], false, proof);
        proof.push(root(&leaves[..k]));
    }
}

/// A perfect subtree of the log: the 2^`level` leaves from
/// `index` · 2^`level`. Level 0 is a leaf hash; a subtree's head never
/// changes once its last leaf is in, so a log can store it as it grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Subtree {
    pub level: u8,
    pub index: u64,
}

impl Subtree {
    /// The leaves it covers: `start..end`.
    pub fn leaves(&self) -> (u64, u64) {
        let width = 1u64 << self.level;
        (self.index * width, (self.index + 1) * width)
    }
}

/// The largest power of two strictly smaller than `n` (for `n >= 2`).
fn split_point_u64(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// MTH of the leaves `start..end`, from the heads of the perfect subtrees
/// that make it up (`start` is a multiple of a power of two at least
/// `end - start`, as every range in an RFC 9162 proof is).
fn range_head(start: u64, end: u64, node: &mut dyn FnMut(Subtree) -> MerkleHash) -> MerkleHash {
    let width = end - start;
    if width == 0 {
        return empty_root();
    }
    if width.is_power_of_two() && start.is_multiple_of(width) {
        return node(Subtree {
            level: width.trailing_zeros() as u8,
            index: start / width,
        });
    }
    let k = split_point_u64(width);
    let left = range_head(start, start + k, node);
    let right = range_head(start + k, end, node);
    node_hash(&left, &right)
}

fn path_of(
    m: u64,
    start: u64,
    end: u64,
    node: &mut dyn FnMut(Subtree) -> MerkleHash,
    proof: &mut Vec<MerkleHash>,
) {
    let n = end - start;
    if n <= 1 {
        return;
    }
    let k = split_point_u64(n);
    if m < k {
        path_of(m, start, start + k, node, proof);
        proof.push(range_head(start + k, end, node));
    } else {
        path_of(m - k, start + k, end, node, proof);
        proof.push(range_head(start, start + k, node));
    }
}

fn subproof_of(
    m: u64,
    start: u64,
    end: u64,
    complete: bool,
    node: &mut dyn FnMut(Subtree) -> MerkleHash,
    proof: &mut Vec<MerkleHash>,
) {
    let n = end - start;
    if m == n {
        if !complete {
            proof.push(range_head(start, end, node));
        }
        return;
    }
    let k = split_point_u64(n);
    if m <= k {
        subproof_of(m, start, start + k, complete, node, proof);
        proof.push(range_head(start + k, end, node));
    } else {
        subproof_of(m - k, start + k, end, false, node, proof);
        proof.push(range_head(start, start + k, node));
    }
}

/// What a proof or a tree head is made of: the perfect subtrees whose heads
/// it needs (O(log n) of them), to be read from a store of subtree heads and
/// handed to [`StoredProof::assemble`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredProof {
    /// The audit path of leaf `index` in the tree of `size` leaves.
    Inclusion { index: u64, size: u64 },
    /// That the tree of `old` leaves is a prefix of the tree of `new`.
    Consistency { old: u64, new: u64 },
    /// The tree head of the tree of `size` leaves.
    Root { size: u64 },
}

impl StoredProof {
    fn check(&self) -> Result<(), ProofError> {
        match *self {
            Self::Inclusion { index, size } if index >= size => {
                Err(ProofError::IndexOutOfRange { index, size })
            }
            Self::Consistency { old, new } if old > new => {
                Err(ProofError::SizesOutOfOrder { old, new })
            }
            _ => Ok(()),
        }
    }

    fn run(&self, node: &mut dyn FnMut(Subtree) -> MerkleHash) -> Vec<MerkleHash> {
        let mut out = Vec::new();
        match *self {
            Self::Inclusion { index, size } => path_of(index, 0, size, node, &mut out),
            Self::Consistency { old, new } => {
                if old > 0 && old < new {
                    subproof_of(old, 0, new, true, node, &mut out);
                }
            }
            Self::Root { size } => out.push(range_head(0, size, node)),
        }
        out
    }

    /// The subtrees to read, each once, in order.
    pub fn subtrees(&self) -> Result<Vec<Subtree>, ProofError> {
        self.check()?;
        let mut wanted = Vec::new();
        self.run(&mut |subtree| {
            wanted.push(subtree);
            MerkleHash([0; 32])
        });
        wanted.sort_unstable();
        wanted.dedup();
        Ok(wanted)
    }

    /// The proof (or, for [`StoredProof::Root`], the one tree head) from
    /// the heads of [`StoredProof::subtrees`]; `None` if one is missing.
    pub fn assemble(
        &self,
        heads: &std::collections::HashMap<Subtree, MerkleHash>,
    ) -> Result<Option<Vec<MerkleHash>>, ProofError> {
        self.check()?;
        let mut missing = false;
        let proof = self.run(&mut |subtree| {
            heads.get(&subtree).copied().unwrap_or_else(|| {
                missing = true;
                MerkleHash([0; 32])
            })
        });
        Ok((!missing).then_some(proof))
    }
}

/// Checks that `leaf` is at `index` in the tree of `size` leaves whose head is
/// `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf: &MerkleHash,
    index: u64,
    size: u64,
    proof: &[MerkleHash],
    root: &MerkleHash,
) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let expected = inclusion_proof_len(index, size);
    if proof.len() != expected {
        return Err(ProofError::WrongLength {
            expected,
            actual: proof.len(),
        });
    }
    let mut f_n = index;
    let mut s_n = size - 1;
    let mut r = *leaf;
    for p in proof {
        if s_n == 0 {
            return Err(ProofError::RootMismatch);
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            while f_n & 1 == 0 && f_n != 0 {
                f_n >>= 1;
                s_n >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    if s_n == 0 && r == *root {
        Ok(())
    } else {
        Err(ProofError::RootMismatch)
    }
}

/// How many hashes an inclusion proof for `index` in a tree of `size` has.
fn inclusion_proof_len(index: u64, size: u64) -> usize {
    // The path has one hash per level where the leaf's node has a sibling:
    // below the highest bit where index and size-1 differ, every level; above
    // it, the levels where the last node's subtree is a right child.
    let last = size - 1;
    let inner = (64 - (index ^ last).leading_zeros()) as usize;
    let border = last.checked_shr(inner as u32).unwrap_or(0).count_ones() as usize;
    inner + border
}

/// Checks that the tree of `old_size` leaves with head `old_root` is a prefix
/// of the tree of `new_size` leaves with head `new_root` (RFC 9162 §2.1.4.2).
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &MerkleHash,
    new_root: &MerkleHash,
    proof: &[MerkleHash],
) -> Result<(), ProofError> {
    if old_size > new_size {
        return Err(ProofError::SizesOutOfOrder {
            old: old_size,
            new: new_size,
        });
    }
    if old_size == new_size || old_size == 0 {
        if !proof.is_empty() {
            return Err(ProofError::WrongLength {
                expected: 0,
                actual: proof.len(),
            });
        }
        let consistent = if old_size == 0 {
            *old_root == empty_root()
        } else {
            old_root == new_root
        };
        return if consistent {
            Ok(())
        } else {
            Err(ProofError::RootMismatch)
        };
    }
    if proof.is_empty() {
        return Err(ProofError::WrongLength {
            expected: 1,
            actual: 0,
        });
    }
    // A proof longer than the tree is deep can only be padding: refuse it
    // before doing any work.
    let max_len = 2 * (64 - new_size.leading_zeros()) as usize + 1;
    if proof.len() > max_len {
        return Err(ProofError::WrongLength {
            expected: max_len,
            actual: proof.len(),
        });
    }

    let mut f_n = old_size - 1;
    let mut s_n = new_size - 1;
    // When the old tree is a complete subtree, its head starts the walk.
    let (first, rest) = if old_size.is_power_of_two() {
        (*old_root, proof)
    } else {
        (proof[0], &proof[1..])
    };
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    let mut f_r = first;
    let mut s_r = first;
    for c in rest {
        if s_n == 0 {
            return Err(ProofError::RootMismatch);
        }
        if f_n & 1 == 1 || f_n == s_n {
            f_r = node_hash(c, &f_r);
            s_r = node_hash(c, &s_r);
            while f_n & 1 == 0 && f_n != 0 {
                f_n >>= 1;
                s_n >>= 1;
            }
        } else {
            s_r = node_hash(&s_r, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    if f_r == *old_root && s_r == *new_root && s_n == 0 {
        Ok(())
    } else {
        Err(ProofError::RootMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Proofs from stored subtree heads are the proofs from every leaf, for
    /// every size, index and older size up to 70, and read O(log n) heads;
    /// the frontier hands out exactly those heads as leaves are appended.
    #[test]
    fn proofs_from_stored_subtrees_are_the_proofs_from_every_leaf() {
        let leaves: Vec<MerkleHash> = (0u32..70).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        let mut heads = std::collections::HashMap::new();
        let mut frontier = Frontier::default();
        for (i, leaf) in leaves.iter().enumerate() {
            heads.insert(
                Subtree {
                    level: 0,
                    index: i as u64,
                },
                *leaf,
            );
            frontier.push_with_nodes(*leaf, |subtree, head| {
                let (start, end) = subtree.leaves();
                assert_eq!(
                    head,
                    root(&leaves[start as usize..end as usize]),
                    "{subtree:?}"
                );
                assert!(heads.insert(subtree, head).is_none(), "{subtree:?} twice");
            });
        }
        assert_eq!(frontier.root(), root(&leaves));
        for size in 0..=leaves.len() as u64 {
            let tree = &leaves[..size as usize];
            let head = StoredProof::Root { size };
            assert_eq!(
                head.assemble(&heads).unwrap(),
                Some(vec![root(tree)]),
                "root {size}"
            );
            for index in 0..size {
                let plan = StoredProof::Inclusion { index, size };
                assert!(plan.subtrees().unwrap().len() <= 2 * 7, "{plan:?}");
                assert_eq!(
                    plan.assemble(&heads).unwrap(),
                    Some(inclusion_proof(tree, index).unwrap()),
                    "{plan:?}"
                );
            }
            for old in 0..=size {
                let plan = StoredProof::Consistency { old, new: size };
                assert_eq!(
                    plan.assemble(&heads).unwrap(),
                    Some(consistency_proof(tree, old).unwrap()),
                    "{plan:?}"
                );
            }
        }
        assert!(
            StoredProof::Inclusion { index: 5, size: 5 }
                .subtrees()
                .is_err()
        );
        assert!(
            StoredProof::Consistency { old: 6, new: 5 }
                .subtrees()
                .is_err()
        );
        // A head the store lacks is said, not guessed.
        heads.remove(&Subtree { level: 2, index: 1 });
        assert_eq!(
            StoredProof::Inclusion { index: 0, size: 8 }
                .assemble(&heads)
                .unwrap(),
            None
        );
    }

    fn h(text: &str) -> MerkleHash {
        MerkleHash::from_hex(text).unwrap()
    }

    /// The reference inputs of the RFC 6962 test vectors (certificate-transparency).
    fn reference_leaves() -> Vec<MerkleHash> {
        [
            "",
            "00",
            "10",
            "2021",
            "3031",
            "40414243",
            "5051525354555657",
            "606162636465666768696a6b6c6d6e6f",
        ]
        .iter()
        .map(|entry| leaf_hash(&crate::hex::decode(entry).unwrap()))
        .collect()
    }

    /// Their published tree heads, for sizes 0 to 8.
    const REFERENCE_ROOTS: [&str; 9] = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    #[test]
    fn a_frontier_gives_the_tree_head_at_every_size() {
        let leaves: Vec<MerkleHash> = (0..300_u32).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        let mut frontier = Frontier::default();
        assert_eq!(frontier.root(), empty_root());
        for (size, leaf) in leaves.iter().enumerate() {
            frontier.push(*leaf);
            let size = size + 1;
            assert_eq!(frontier.len(), size as u64);
            assert_eq!(frontier.root(), root(&leaves[..size]), "size {size}");
            let stored = Frontier::from_bytes(size as u64, &frontier.to_bytes()).unwrap();
            assert_eq!(stored, frontier);
            assert_eq!(stored, Frontier::from_leaves(&leaves[..size]));
        }
    }

    #[test]
    fn a_frontier_of_the_wrong_length_is_refused() {
        let leaves: Vec<MerkleHash> = (0..7_u32).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        let bytes = Frontier::from_leaves(&leaves).to_bytes();
        assert_eq!(bytes.len(), 3 * 32);
        assert!(Frontier::from_bytes(8, &bytes).is_err());
        assert!(Frontier::from_bytes(7, &bytes[..64]).is_err());
        assert!(Frontier::from_bytes(0, &[]).unwrap().is_empty());
    }

    #[test]
    fn tree_heads_match_the_published_vectors() {
        let leaves = reference_leaves();
        for size in 0..=8 {
            assert_eq!(
                root(&leaves[..size]),
                h(REFERENCE_ROOTS[size]),
                "size {size}"
            );
        }
    }

    #[test]
    fn inclusion_proofs_match_the_published_vectors() {
        let leaves = reference_leaves();
        let vectors: [(u64, usize, &[&str]); 4] = [
            (
                0,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                5,
                8,
                &[
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                3,
                &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
            ),
            (
                1,
                5,
                &[
                    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ],
            ),
        ];
        for (index, size, expected) in vectors {
            let expected: Vec<_> = expected.iter().map(|e| h(e)).collect();
            let proof = inclusion_proof(&leaves[..size], index).unwrap();
            assert_eq!(proof, expected, "leaf {index} of {size}");
            let head = h(REFERENCE_ROOTS[size]);
            let leaf = leaves[usize::try_from(index).unwrap()];
            verify_inclusion(&leaf, index, size as u64, &proof, &head).unwrap();
        }
    }

    #[test]
    fn consistency_proofs_match_the_published_vectors() {
        let leaves = reference_leaves();
        let vectors: [(u64, usize, &[&str]); 3] = [
            (
                1,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                6,
                8,
                &[
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                5,
                &[
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ],
            ),
        ];
        for (old, new, expected) in vectors {
            let expected: Vec<_> = expected.iter().map(|e| h(e)).collect();
            let proof = consistency_proof(&leaves[..new], old).unwrap();
            assert_eq!(proof, expected, "{old} → {new}");
            verify_consistency(
                old,
                new as u64,
                &h(REFERENCE_ROOTS[usize::try_from(old).unwrap()]),
                &h(REFERENCE_ROOTS[new]),
                &proof,
            )
            .unwrap();
        }
    }

    fn synthetic_leaves(n: usize) -> Vec<MerkleHash> {
        (0..n)
            .map(|i| leaf_hash(&(i as u64).to_be_bytes()))
            .collect()
    }

    /// Flips one bit of one hash of the proof at a time; each change must be refused.
    fn every_single_bit_flip(proof: &[MerkleHash]) -> impl Iterator<Item = Vec<MerkleHash>> + '_ {
        (0..proof.len()).flat_map(move |i| {
            [0usize, 13, 31].into_iter().map(move |byte| {
                let mut bad = proof.to_vec();
                bad[i].0[byte] ^= 0x01;
                bad
            })
        })
    }

    #[test]
    fn every_inclusion_proof_verifies_and_no_altered_one_does() {
        let all = synthetic_leaves(70);
        for size in 1..=all.len() {
            let leaves = &all[..size];
            let head = root(leaves);
            let size = size as u64;
            for index in 0..size {
                let leaf = leaves[index as usize];
                let proof = inclusion_proof(leaves, index).unwrap();
                verify_inclusion(&leaf, index, size, &proof, &head)
                    .unwrap_or_else(|e| panic!("leaf {index} of {size}: {e}"));
                // Another index, another leaf, a truncated or padded proof,
                // or any altered hash: all refused. (Another *size* with the
                // same path shape is not: a proof binds a leaf to a head, and
                // the signed checkpoint binds the head to its size.)
                if size > 1 {
                    let other = (index + 1) % size;
                    assert!(verify_inclusion(&leaf, other, size, &proof, &head).is_err());
                }
                assert!(verify_inclusion(&leaf_hash(b"x"), index, size, &proof, &head).is_err());
                if !proof.is_empty() {
                    let short = &proof[..proof.len() - 1];
                    assert!(verify_inclusion(&leaf, index, size, short, &head).is_err());
                }
                let mut long = proof.clone();
                long.push(head);
                assert!(verify_inclusion(&leaf, index, size, &long, &head).is_err());
                for bad in every_single_bit_flip(&proof) {
                    assert!(verify_inclusion(&leaf, index, size, &bad, &head).is_err());
                }
            }
            assert!(matches!(
                inclusion_proof(leaves, size),
                Err(ProofError::IndexOutOfRange { .. })
            ));
            assert!(verify_inclusion(&leaves[0], size, size, &[], &head).is_err());
        }
    }

    #[test]
    fn every_consistency_proof_verifies_and_no_altered_one_does() {
        let all = synthetic_leaves(50);
        let heads: Vec<_> = (0..=all.len()).map(|n| root(&all[..n])).collect();
        for new in 0..=all.len() {
            for old in 0..=new {
                let proof = consistency_proof(&all[..new], old as u64).unwrap();
                let (o, n) = (old as u64, new as u64);
                verify_consistency(o, n, &heads[old], &heads[new], &proof)
                    .unwrap_or_else(|e| panic!("{old} → {new}: {e}"));
                if old == new || old == 0 {
                    continue;
                }
                // A different history (another old head), another size, or an
                // altered proof: all refused.
                let forged_old = node_hash(&heads[old], &heads[old]);
                assert!(verify_consistency(o, n, &forged_old, &heads[new], &proof).is_err());
                assert!(verify_consistency(o, n, &heads[old], &forged_old, &proof).is_err());
                if new > old + 1 {
                    assert!(
                        verify_consistency(o + 1, n, &heads[old + 1], &heads[new], &proof).is_err()
                    );
                }
                assert!(verify_consistency(n, o, &heads[new], &heads[old], &proof).is_err());
                for bad in every_single_bit_flip(&proof) {
                    assert!(verify_consistency(o, n, &heads[old], &heads[new], &bad).is_err());
                }
                let mut long = proof.clone();
                long.push(heads[new]);
                assert!(verify_consistency(o, n, &heads[old], &heads[new], &long).is_err());
            }
        }
    }

    #[test]
    fn proof_lengths_are_what_verification_expects() {
        let all = synthetic_leaves(130);
        for size in 1..=all.len() {
            for index in 0..size {
                let proof = inclusion_proof(&all[..size], index as u64).unwrap();
                assert_eq!(proof.len(), inclusion_proof_len(index as u64, size as u64));
            }
        }
    }

    #[test]
    fn hostile_sizes_never_panic() {
        let leaf = leaf_hash(b"entry");
        let head = root(&[leaf]);
        for (index, size) in [
            (0, 0),
            (u64::MAX, u64::MAX),
            (u64::MAX - 1, u64::MAX),
            (0, u64::MAX),
        ] {
            let _ = verify_inclusion(&leaf, index, size, &[head; 3], &head);
        }
        for (old, new) in [
            (u64::MAX, u64::MAX),
            (1, u64::MAX),
            (u64::MAX - 1, u64::MAX),
            (5, 3),
        ] {
            let _ = verify_consistency(old, new, &head, &head, &[head; 130]);
            let _ = verify_consistency(old, new, &head, &head, &[head; 2]);
        }
    }
}
