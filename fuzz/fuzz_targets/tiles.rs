//! Tile paths and entry bundles (what a mirror or `tribune verify` reads):
//! never a panic; what decodes encodes back to the same bytes; a path that
//! parses is the tile's own path.
#![no_main]

use domain::tiles::{Tile, bundle_prefix, decode_bundle, encode_bundle};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(entries) = decode_bundle(data) {
        assert_eq!(encode_bundle(&entries).expect("decoded entries fit"), data);
    }
    let (prefix, whole) = bundle_prefix(data);
    assert_eq!(whole, decode_bundle(data).is_ok());
    assert!(prefix.iter().map(|e| e.len() + 2).sum::<usize>() <= data.len());
    if let Ok(path) = std::str::from_utf8(data)
        && let Ok(tile) = Tile::parse_path(path)
    {
        assert_eq!(tile.path(), path);
        let _ = tile.leaf_range();
    }
});
