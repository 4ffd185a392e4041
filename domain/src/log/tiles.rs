//! The log as static files (C2SP tlog-tiles): hash tiles
//! `tile/<L>/<N>[.p/<W>]` and entry bundles `tile/entries/<N>[.p/<W>]`.
//!
//! The `n`-th tile at level `l` holds, for `i` in `0..W`, the tree head of
//! the leaves `(n·256 + i)·256^l .. (n·256 + i + 1)·256^l`; entry bundles hold
//! the entries themselves, each prefixed by its length as a big-endian u16.

use super::merkle::{self, MerkleHash};
use std::fmt;

/// Hashes (or entries) in a full tile.
pub const TILE_WIDTH: u64 = 256;
/// The largest entry an entry bundle can carry.
pub const MAX_BUNDLED_ENTRY: usize = u16::MAX as usize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TileError {
    #[error("not a tile path: {0:?}")]
    BadPath(String),
    #[error("an entry of {0} bytes is too large for an entry bundle")]
    EntryTooLarge(usize),
    #[error("the entry bundle is truncated or has trailing bytes")]
    BadBundle,
    #[error("the tile lies beyond the log")]
    OutOfRange,
}

/// What a tile holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TileKind {
    /// Tree hashes at this level (0 = leaf hashes).
    Hashes { level: u8 },
    /// The entries themselves.
    Entries,
}

/// One tile: which kind, its index at its level, and its width (1 to 256).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tile {
    pub kind: TileKind,
    pub index: u64,
    pub width: u16,
}

impl Tile {
    /// The level whose hashes this tile holds (entries are level 0).
    pub fn level(&self) -> u8 {
        match self.kind {
            TileKind::Hashes { level } => level,
            TileKind::Entries => 0,
        }
    }

    pub fn is_full(&self) -> bool {
        u64::from(self.width) == TILE_WIDTH
    }

    /// The leaves this tile covers: `start..end`.
    pub fn leaf_range(&self) -> Option<(u64, u64)> {
        let span = TILE_WIDTH.checked_pow(u32::from(self.level()))?;
        let first = self.index.checked_mul(TILE_WIDTH)?;
        let start = first.checked_mul(span)?;
        let end = first
            .checked_add(u64::from(self.width))?
            .checked_mul(span)?;
        Some((start, end))
    }

    /// Parses a path relative to the log prefix, e.g. `tile/0/x001/234.p/17`
    /// or `tile/entries/000`.
    pub fn parse_path(path: &str) -> Result<Self, TileError> {
        let bad = || TileError::BadPath(path.to_owned());
        let rest = path.strip_prefix("tile/").ok_or_else(bad)?;
        let (kind, rest) = rest.split_once('/').ok_or_else(bad)?;
        let kind = if kind == "entries" {
            TileKind::Entries
        } else {
            let level: u8 = canonical_decimal(kind).ok_or_else(bad)?;
            if level > 63 {
                return Err(bad());
            }
            TileKind::Hashes { level }
        };
        let (index_path, width) = match rest.split_once(".p/") {
            Some((index_path, width)) => {
                let width: u16 = canonical_decimal(width).ok_or_else(bad)?;
                if !(1..=255).contains(&width) {
                    return Err(bad());
                }
                (index_path, width)
            }
            None => (rest, 256),
        };
        let elements: Vec<&str> = index_path.split('/').collect();
        let mut index: u64 = 0;
        for (i, element) in elements.iter().enumerate() {
            let digits = if i + 1 < elements.len() {
                element.strip_prefix('x').ok_or_else(bad)?
            } else {
                element
            };
            if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let value: u64 = digits.parse().map_err(|_| bad())?;
            index = index
                .checked_mul(1000)
                .and_then(|i| i.checked_add(value))
                .ok_or_else(bad)?;
        }
        let tile = Self { kind, index, width };
        // One path per tile: refuse superfluous leading `x000/` elements.
        if tile.path() != path {
            return Err(bad());
        }
        Ok(tile)
    }

    /// The tile's path relative to the log prefix.
    pub fn path(&self) -> String {
        let kind = match self.kind {
            TileKind::Hashes { level } => level.to_string(),
            TileKind::Entries => "entries".to_owned(),
        };
        let mut groups = vec![self.index % 1000];
        let mut rest = self.index / 1000;
        while rest > 0 {
            groups.push(rest % 1000);
            rest /= 1000;
        }
        let elements: Vec<String> = groups
            .iter()
            .rev()
            .enumerate()
            .map(|(i, group)| {
                if i + 1 < groups.len() {
                    format!("x{group:03}")
                } else {
                    format!("{group:03}")
                }
            })
            .collect();
        let mut path = format!("tile/{kind}/{}", elements.join("/"));
        if !self.is_full() {
            path.push_str(&format!(".p/{}", self.width));
        }
        path
    }
}

impl fmt::Display for Tile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

fn canonical_decimal<T: std::str::FromStr>(text: &str) -> Option<T> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if canonical { text.parse().ok() } else { None }
}

/// Every tile of a tree of `size` leaves: full and partial hash tiles at
/// every level, and the entry bundles.
pub fn tiles_for_size(size: u64) -> Vec<Tile> {
    let mut tiles = Vec::new();
    let mut level: u8 = 0;
    let mut count = size; // hashes at this level
    while count > 0 {
        for index in 0..count.div_ceil(TILE_WIDTH) {
            let width = (count - index * TILE_WIDTH).min(TILE_WIDTH);
            tiles.push(Tile {
                kind: TileKind::Hashes { level },
                index,
                width: width as u16,
            });
            if level == 0 {
                tiles.push(Tile {
                    kind: TileKind::Entries,
                    index,
                    width: width as u16,
                });
            }
        }
        count /= TILE_WIDTH;
        level += 1;
    }
    tiles
}

/// Whether a tree of `size` leaves has this tile.
pub fn tile_exists(tile: &Tile, size: u64) -> bool {
    match tile.leaf_range() {
        Some((_, end)) => end <= size,
        None => false,
    }
}

/// The contents of a hash tile, computed from the leaf hashes of its range
/// (`leaves` must be exactly the leaves of [`Tile::leaf_range`]).
pub fn hash_tile(tile: &Tile, leaves: &[MerkleHash]) -> Result<Vec<u8>, TileError> {
    let (start, end) = tile.leaf_range().ok_or(TileError::OutOfRange)?;
    if (end - start) != leaves.len() as u64 {
        return Err(TileError::OutOfRange);
    }
    let span = leaves.len() / usize::from(tile.width);
    let mut bytes = Vec::with_capacity(usize::from(tile.width) * MerkleHash::LEN);
    for chunk in leaves.chunks(span.max(1)) {
        bytes.extend_from_slice(merkle::root(chunk).as_bytes());
    }
    Ok(bytes)
}

/// The perfect subtrees whose heads a hash tile holds, in order: tree level
/// 8 · the tile's level, `width` of them from `index` · 256. (For a log
/// that stores its subtree heads: one row each, whatever the log's size.)
pub fn tile_subtrees(tile: &Tile) -> Option<Vec<merkle::Subtree>> {
    let TileKind::Hashes { level } = tile.kind else {
        return None;
    };
    let level = level.checked_mul(8).filter(|level| *level < 64)?;
    let first = tile.index.checked_mul(TILE_WIDTH)?;
    Some(
        (0..u64::from(tile.width))
            .map(|i| merkle::Subtree {
                level,
                index: first + i,
            })
            .collect(),
    )
}

/// A hash tile's contents from the heads of its [`tile_subtrees`]; `None`
/// if one is missing.
pub fn hash_tile_from(
    tile: &Tile,
    heads: &std::collections::HashMap<merkle::Subtree, MerkleHash>,
) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::from(tile.width) * MerkleHash::LEN);
    for subtree in tile_subtrees(tile)? {
        bytes.extend_from_slice(heads.get(&subtree)?.as_bytes());
    }
    Some(bytes)
}

/// An entry bundle: each entry prefixed by its length (big-endian u16).
pub fn encode_bundle<E: AsRef<[u8]>>(entries: &[E]) -> Result<Vec<u8>, TileError> {
    let mut bytes = Vec::new();
    for entry in entries {
        let entry = entry.as_ref();
        let length =
            u16::try_from(entry.len()).map_err(|_| TileError::EntryTooLarge(entry.len()))?;
        bytes.extend_from_slice(&length.to_be_bytes());
        bytes.extend_from_slice(entry);
    }
    Ok(bytes)
}

/// Reads an entry bundle back into its entries.
pub fn decode_bundle(bytes: &[u8]) -> Result<Vec<Vec<u8>>, TileError> {
    let (entries, complete) = bundle_prefix(bytes);
    if complete {
        Ok(entries)
    } else {
        Err(TileError::BadBundle)
    }
}

/// The entries of a bundle up to where it breaks off, and whether it was
/// whole (a damaged bundle is then reported at the first entry that is not
/// what it should be).
pub fn bundle_prefix(mut bytes: &[u8]) -> (Vec<Vec<u8>>, bool) {
    let mut entries = Vec::new();
    while !bytes.is_empty() {
        let [high, low, rest @ ..] = bytes else {
            return (entries, false);
        };
        let length = usize::from(u16::from_be_bytes([*high, *low]));
        if rest.len() < length {
            return (entries, false);
        }
        entries.push(rest[..length].to_vec());
        bytes = &rest[length..];
    }
    (entries, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(level: u8, index: u64, width: u16) -> Tile {
        Tile {
            kind: TileKind::Hashes { level },
            index,
            width,
        }
    }

    #[test]
    fn paths_follow_the_c2sp_layout() {
        assert_eq!(hashes(0, 0, 256).path(), "tile/0/000");
        assert_eq!(hashes(1, 1_234_067, 256).path(), "tile/1/x001/x234/067");
        assert_eq!(hashes(2, 5, 17).path(), "tile/2/005.p/17");
        let bundle = Tile {
            kind: TileKind::Entries,
            index: 1000,
            width: 3,
        };
        assert_eq!(bundle.path(), "tile/entries/x001/000.p/3");
        for tile in [
            hashes(0, 0, 256),
            hashes(1, 1_234_067, 256),
            hashes(2, 5, 17),
            bundle,
        ] {
            assert_eq!(Tile::parse_path(&tile.path()), Ok(tile));
        }
    }

    #[test]
    fn malformed_paths_are_refused() {
        for path in [
            "tile/0/0",
            "tile/0/0000",
            "tile/00/000",
            "tile/64/000",
            "tile/0/001/002",
            "tile/0/x000/001",
            "tile/0/000.p/0",
            "tile/0/000.p/256",
            "tile/0/000.p/017",
            "tile/0/000.p/",
            "tile/entries/",
            "tile/-1/000",
            "checkpoint",
            "tile/0/x1/000",
            "tile/0/x999/x999/x999/x999/x999/x999/x999/999",
        ] {
            assert!(Tile::parse_path(path).is_err(), "accepted {path}");
        }
    }

    #[test]
    fn the_tiles_of_70000_leaves_are_those_c2sp_lists() {
        let tiles = tiles_for_size(70_000);
        let level = |l: u8| -> Vec<&Tile> {
            tiles
                .iter()
                .filter(|t| t.kind == TileKind::Hashes { level: l })
                .collect()
        };
        assert_eq!(level(0).iter().filter(|t| t.is_full()).count(), 273);
        assert_eq!(level(0).last().map(|t| t.width), Some(112));
        assert_eq!(level(1).len(), 2);
        assert_eq!(level(1)[1].width, 17);
        assert_eq!(level(2).len(), 1);
        assert_eq!(level(2)[0].width, 1);
        assert!(level(3).is_empty());
        assert!(tiles.iter().all(|t| tile_exists(t, 70_000)));
        // A tree of 256 leaves: a full level-0 tile and a level-1 tile of width 1.
        let small = tiles_for_size(256);
        assert!(small.contains(&hashes(0, 0, 256)));
        assert!(small.contains(&hashes(1, 0, 1)));
    }

    #[test]
    fn hash_tiles_rebuild_the_tree_head() {
        let leaves: Vec<_> = (0..600u32)
            .map(|i| merkle::leaf_hash(&i.to_be_bytes()))
            .collect();
        let level0_full = hash_tile(&hashes(0, 1, 256), &leaves[256..512]).unwrap();
        assert_eq!(&level0_full[..32], leaves[256].as_bytes());
        // Level 1 hashes are the heads of full level-0 tiles.
        let level1 = hash_tile(&hashes(1, 0, 2), &leaves[..512]).unwrap();
        assert_eq!(&level1[32..], merkle::root(&leaves[256..512]).as_bytes());
        // The tree head of 512 leaves is the hash of the two level-1 hashes.
        let left = MerkleHash::from_slice(&level1[..32]).unwrap();
        let right = MerkleHash::from_slice(&level1[32..]).unwrap();
        assert_eq!(
            merkle::node_hash(&left, &right),
            merkle::root(&leaves[..512])
        );
        assert!(hash_tile(&hashes(0, 0, 256), &leaves[..10]).is_err());

        // The same tiles from stored subtree heads, as a log answers them.
        let mut heads = std::collections::HashMap::new();
        let mut frontier = merkle::Frontier::default();
        for (i, leaf) in leaves.iter().enumerate() {
            heads.insert(
                merkle::Subtree {
                    level: 0,
                    index: i as u64,
                },
                *leaf,
            );
            frontier.push_with_nodes(*leaf, |subtree, head| {
                heads.insert(subtree, head);
            });
        }
        for tile in [hashes(0, 1, 256), hashes(1, 0, 2), hashes(0, 2, 88)] {
            let (start, end) = tile.leaf_range().unwrap();
            assert_eq!(
                hash_tile_from(&tile, &heads),
                Some(hash_tile(&tile, &leaves[start as usize..end as usize]).unwrap()),
                "{tile:?}"
            );
        }
        assert_eq!(
            hash_tile_from(&hashes(1, 0, 3), &heads),
            None,
            "not in the log yet"
        );
    }

    #[test]
    fn bundles_round_trip_and_refuse_damage() {
        let entries = vec![b"first".to_vec(), vec![], vec![7; 300]];
        let bundle = encode_bundle(&entries).unwrap();
        assert_eq!(decode_bundle(&bundle).unwrap(), entries);
        assert!(decode_bundle(&bundle[..bundle.len() - 1]).is_err());
        assert!(decode_bundle(&[0]).is_err());
        assert!(encode_bundle(&[vec![0; 65_536]]).is_err());
        assert!(encode_bundle(&[vec![0; 65_535]]).is_ok());
    }

    #[test]
    fn decoding_arbitrary_bundles_never_panics() {
        let mut state = 0x0bad_5eed_u64;
        for len in 0..400 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            if let Ok(entries) = decode_bundle(&bytes) {
                assert_eq!(encode_bundle(&entries).unwrap(), bytes);
            }
            let _ = Tile::parse_path(&String::from_utf8_lossy(&bytes));
        }
    }
}
