//! Whole logs through `verify_log`, as `tribune verify` and the browser's
//! Verify run it: the input is an entry bundle (the log's entries, each
//! with its two length bytes), signed into a checkpoint by the log key so
//! that verification goes past the tree head into every statement (the
//! membership, keys, motions, votes, tallies, decisions). Never a panic;
//! an accepted log has exactly the entries given.
//!
//! The log key is read once from the file named by `TRIBUNE_FUZZ_LOG_KEY`
//! (a C2SP signer key, as `tribune init` writes it); `scripts/fuzz.sh`
//! points it at the key of the demo council whose log seeds the corpus.
//! Without it the target does nothing.
#![no_main]

use domain::LogOrigin;
use domain::checkpoint::Checkpoint;
use domain::merkle::{leaf_hash, root};
use domain::note::NoteSigner;
use domain::tiles::bundle_prefix;
use domain::verify::verify_log;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn log_key() -> Option<&'static (NoteSigner, LogOrigin)> {
    static KEY: OnceLock<Option<(NoteSigner, LogOrigin)>> = OnceLock::new();
    KEY.get_or_init(|| {
        let path = std::env::var("TRIBUNE_FUZZ_LOG_KEY").ok()?;
        let text = std::fs::read_to_string(path).ok()?;
        let key = NoteSigner::from_skey(text.trim()).ok()?;
        let origin = LogOrigin::parse(key.name()).ok()?;
        Some((key, origin))
    })
    .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Some((key, origin)) = log_key() else {
        return;
    };
    let (entries, _) = bundle_prefix(data);
    if entries.is_empty() {
        return;
    }
    let leaves: Vec<_> = entries.iter().map(|e| leaf_hash(e)).collect();
    let checkpoint = Checkpoint {
        origin: origin.clone(),
        size: entries.len() as u64,
        root: root(&leaves),
        extensions: Vec::new(),
    };
    let signed = checkpoint.sign(key).expect("a checkpoint signs");
    if let Ok(summary) = verify_log(origin, &key.verifier(), signed.as_bytes(), &entries, |_| {}) {
        assert_eq!(summary.entries, entries.len() as u64);
    }
});
