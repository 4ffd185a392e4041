//! The one rule engine: whether an act may join the log, given the state
//! replayed from every entry before it, and what it changes.
//!
//! [`Ledger::apply`] is the single decision for every statement kind. Storage
//! calls it before it appends an entry (with the [`Facts`] only the server
//! knows: when the act arrived, the sealed vote behind a commitment), and
//! every verifier — `tribune verify`, the browser's Verify, the server's own
//! checks — replays the log through it. So the server appends exactly what a
//! verifier accepts: a rule written twice could drift.

use crate::council::LogOrigin;
use crate::members::{EligibilityError, Roll};
use crate::note::NoteVerifier;
use crate::statement::SignedStatement;
use crate::voting::{BallotError, Ballots};

pub use crate::voting::Facts;

/// Why an act may not join the log: a membership rule or a voting and
/// decision rule, each with a stable snake_case [`code`](Refusal::code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(transparent)]
    Eligibility(#[from] EligibilityError),
    #[error(transparent)]
    Ballot(#[from] BallotError),
}

impl Refusal {
    /// The stable code of the rule that refused the act.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Eligibility(error) => error.code(),
            Self::Ballot(error) => error.code(),
        }
    }

    /// The vote sequence due, for a stale or skipped one.
    pub fn expected_sequence(&self) -> Option<u32> {
        match self {
            Self::Ballot(BallotError::Sequence { expected, .. }) => Some(*expected),
            _ => None,
        }
    }
}

/// The council's state replayed from its log: the membership and the
/// motions, votes, opinions and decisions, and how many entries made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    roll: Roll,
    ballots: Ballots,
    size: u64,
}

impl Ledger {
    /// The state before entry 0 of the log `origin`, signed by `log_key`.
    pub fn new(origin: &LogOrigin, log_key: &NoteVerifier) -> Self {
        Self {
            roll: Roll::new(origin, log_key),
            ballots: Ballots::new(),
            size: 0,
        }
    }

    /// How many entries have been applied.
    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn roll(&self) -> &Roll {
        &self.roll
    }

    pub fn ballots(&self) -> &Ballots {
        &self.ballots
    }

    pub fn into_parts(self) -> (Roll, Ballots) {
        (self.roll, self.ballots)
    }

    /// Decides whether `statement` (whose signature has been checked), as
    /// the log entry `entry`, may be the next entry, and applies it if so.
    /// A refused act changes nothing.
    pub fn apply(
        &mut self,
        statement: &SignedStatement,
        entry: &[u8],
        facts: &Facts<'_>,
    ) -> Result<(), Refusal> {
        let index = self.size;
        // The membership rules change the roll only for membership kinds,
        // which the ballots accept as they are: whichever refuses, nothing
        // has changed.
        self.roll.apply(index, statement)?;
        self.ballots
            .apply_with(index, &self.roll, statement, entry, facts)?;
        self.size += 1;
        Ok(())
    }

    /// Counts the next entry without applying it: for a store catching up
    /// with a log it already holds, one of whose entries no longer replays
    /// (it says so loudly; `tribune verify` refuses such a log).
    pub fn pass(&mut self) {
        self.size += 1;
    }
}
