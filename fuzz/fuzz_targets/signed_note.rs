//! A signed note or checkpoint (from a log, a witness or a cosignature
//! POST): parsing and verifying never panic, and a checkpoint that parses
//! writes back to the same text.
#![no_main]

use domain::checkpoint::Checkpoint;
use domain::note::{Note, NoteSigner};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let signer = NoteSigner::from_seed("tribune.example/fuzz", &[7; 32]).expect("a valid name");
    let verifier = signer.verifier();
    if let Ok(note) = Note::parse(data) {
        let _ = note.verify(std::slice::from_ref(&verifier));
        if let Ok(checkpoint) = Checkpoint::parse_text(&note.text) {
            assert_eq!(
                checkpoint.to_text(),
                note.text,
                "a checkpoint reads back as written"
            );
        }
    }
    if let Ok(origin) = domain::LogOrigin::parse("tribune.example/fuzz") {
        let _ = Checkpoint::open(data, &origin, &verifier);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = domain::note::NoteVerifier::from_vkey(text);
        let _ = domain::cosignature::WitnessVerifier::from_vkey(text);
        let _ = domain::cosignature::CosignaturePolicy::parse(text);
    }
});
