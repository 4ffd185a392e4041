//! The log's proofs and hash tiles over HTTP, on the demo council's log
//! (tens of entries, several levels of subtrees): every inclusion proof of
//! every entry, every consistency proof from every older size, and every
//! hash tile verify against the tree computed from all the leaf hashes.
//! They are read from the stored subtree heads; the leaves are the check.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use domain::merkle::{self, MerkleHash};
use domain::tiles;
use http::StatusCode;
use support::TestApp;

fn hash(value: &serde_json::Value) -> MerkleHash {
    MerkleHash::from_hex(value.as_str().unwrap()).unwrap()
}

fn hashes(value: &serde_json::Value) -> Vec<MerkleHash> {
    value.as_array().unwrap().iter().map(hash).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_proof_and_tile_of_a_real_log_verifies() {
    let (dir, url) = support::demo_database("log-proofs");
    let app = TestApp::build(&url, None, 100).await;
    let size = app.storage.latest_checkpoint_size().await.unwrap();
    assert!(size > 32, "a log with several levels: {size}");
    let leaves = app.storage.log_leaf_hashes(0, size).await.unwrap();
    let root = merkle::root(&leaves);

    for index in 0..size {
        let (status, _, body) = app
            .get(&format!("/log/proof/inclusion?index={index}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let proof: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(hash(&proof["root"]), root);
        assert_eq!(hash(&proof["leaf_hash"]), leaves[index as usize]);
        merkle::verify_inclusion(
            &leaves[index as usize],
            index,
            size,
            &hashes(&proof["proof"]),
            &root,
        )
        .unwrap();
    }
    for old in 1..=size {
        let (status, _, body) = app.get(&format!("/log/proof/consistency?from={old}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let proof: serde_json::Value = serde_json::from_str(&body).unwrap();
        let old_root = merkle::root(&leaves[..old as usize]);
        assert_eq!(hash(&proof["from_root"]), old_root);
        assert_eq!(hash(&proof["to_root"]), root);
        merkle::verify_consistency(old, size, &old_root, &root, &hashes(&proof["proof"])).unwrap();
    }
    for tile in tiles::tiles_for_size(size) {
        let (status, _, _) = app.get(&format!("/log/{}", tile.path())).await;
        assert_eq!(status, StatusCode::OK, "{}", tile.path());
        if let tiles::TileKind::Hashes { .. } = tile.kind {
            let (start, end) = tile.leaf_range().unwrap();
            let expected = tiles::hash_tile(&tile, &leaves[start as usize..end as usize]).unwrap();
            let served = app
                .storage
                .subtree_heads(&tiles::tile_subtrees(&tile).unwrap())
                .await
                .unwrap();
            assert_eq!(
                tiles::hash_tile_from(&tile, &served),
                Some(expected),
                "{}",
                tile.path()
            );
        }
    }
    std::fs::remove_dir_all(dir).ok();
}
