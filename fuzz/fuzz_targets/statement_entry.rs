//! A log entry from anywhere (an export, a mirror, a server): reading it
//! never panics, an accepted entry is exactly its canonical encoding, and
//! checking its signature never panics.
#![no_main]

use domain::LogOrigin;
use domain::statement::SignedStatement;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(signed) = SignedStatement::from_entry(data) {
        let again = signed.to_entry().expect("an accepted entry encodes");
        assert_eq!(again, data, "one statement, one encoding");
        if let Ok(origin) = LogOrigin::parse("tribune.example/fuzz") {
            let _ = signed.verify(&origin);
        }
        let _ = signed.verify(&signed.statement.origin);
    }
});
