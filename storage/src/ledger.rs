//! The council's state replayed from the log, kept by storage so that every
//! entry is decided by the domain's one rule engine ([`domain::ledger`])
//! before it is appended: storage holds no rule of its own.
//!
//! The state is rebuilt from the stored log on the first write (and after a
//! write that failed once it had been applied), then caught up inside each
//! write transaction with whatever another instance appended since.

use domain::ledger::Ledger;
use domain::merkle::{Frontier, leaf_hash};
use domain::statement::SignedStatement;

/// The replayed state, shared by the writers of one storage, and the log's
/// origin once read (it never changes: the council is founded once).
#[derive(Default)]
pub(crate) struct LedgerCell(
    pub(crate) tokio::sync::Mutex<Option<Replayed>>,
    pub(crate) std::sync::OnceLock<domain::LogOrigin>,
);

/// A ledger and the log's right edge over the same entries.
pub(crate) struct Replayed {
    pub(crate) ledger: Ledger,
    pub(crate) frontier: Frontier,
}

impl Replayed {
    pub(crate) fn new(ledger: Ledger) -> Self {
        Self {
            ledger,
            frontier: Frontier::default(),
        }
    }

    /// Replays one stored entry. The log was checked as it was written: an
    /// entry that no longer replays (written before a rule existed, or
    /// changed behind the server's back) is counted, not applied, and
    /// logged as an error.
    pub(crate) fn replay(&mut self, entry: &[u8]) {
        let index = self.frontier.len();
        self.frontier.push(leaf_hash(entry));
        let applied = SignedStatement::from_entry(entry)
            .map_err(|e| e.to_string())
            .and_then(|statement| {
                self.ledger
                    .apply(&statement, entry, &domain::ledger::Facts::default())
                    .map_err(|e| e.to_string())
            });
        if let Err(why) = applied {
            tracing::error!(index, %why, "a stored log entry does not replay: the log will not verify");
            self.ledger.pass();
        }
    }
}
