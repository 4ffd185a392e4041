//! The one rule engine: whether an act may join the log, given the state
//! replayed from every entry before it, and what it changes.
//!
//! [`Ledger::apply`] is the single decision for every statement kind. Storage
//! calls it before it appends an entry (with the [`Facts`] only the server
//! knows: when the act arrived, the sealed vote behind a commitment), and
//! every verifier — `tribune verify`, the browser's Verify, the server's own
//! checks — replays the log through it. So the server appends exactly what a
//! verifier accepts: a rule written twice could drift.

use crate::ballots::Ballots;
use crate::council::LogOrigin;
use crate::members::{EligibilityError, Roll};
use crate::note::NoteVerifier;
use crate::statement::SignedStatement;
use crate::voting::BallotError;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::CaseId;
    use crate::statement::{MemberId, MotionId, StatementKind};

    /// Every refusal code is documented in docs/protocol.md §6e, so that an
    /// outside verifier (and an API client) knows them all.
    #[test]
    fn every_refusal_code_is_in_the_protocol() {
        let protocol = include_str!("../../docs/protocol.md");
        let table = protocol
            .split("**Refusal codes.**")
            .nth(1)
            .and_then(|rest| rest.split("## 7.").next())
            .unwrap_or_default();
        let (case, motion, member) = (CaseId(1), MotionId(1), MemberId(1));
        let body = |kind| BallotError::Body {
            kind,
            why: String::new(),
        };
        let ballots = [
            body(StatementKind::Vote),
            BallotError::NotByLogKey,
            BallotError::NotByMember,
            BallotError::NotTheSigner,
            BallotError::StaleTime { at: 0, arrived: 0 },
            BallotError::NotAVoter { member, case },
            BallotError::NotAnAuthor(member),
            BallotError::VotesLeftOut(case),
            BallotError::OpinionsLeftOut(case),
            BallotError::NoRationale(case),
            BallotError::RationaleUnsigned(case),
            BallotError::UnknownPrecedent(case),
            BallotError::NotDecided(case),
            BallotError::UnknownRecommendation { case, number: 1 },
            BallotError::AlreadyDecided(case),
            BallotError::NoMotions(case),
            BallotError::MotionOpen(motion),
            BallotError::MotionReused(motion),
            BallotError::UnknownMotion(motion),
            BallotError::WrongCase(motion),
            BallotError::MotionClosed(motion),
            BallotError::WindowEnded {
                motion,
                closes_at: 0,
            },
            BallotError::WrongRoll(motion),
            BallotError::NotOnRoll { member, motion },
            BallotError::UnknownChoice(String::new()),
            BallotError::Sequence {
                expected: 1,
                found: 2,
            },
            BallotError::Sealed(motion),
            BallotError::NotSealed(motion),
            BallotError::MissingSalt,
            BallotError::NoCommitment,
            BallotError::NotTheCommittedVote,
            BallotError::MissingReveal { motion, missing: 1 },
            BallotError::TallyMismatch(motion),
            BallotError::NotYetDue {
                motion,
                closes_at: 0,
            },
            BallotError::NotAllVoted { motion, missing: 1 },
            BallotError::NotSignedByValidKey(member),
            BallotError::MemberInactive(member),
            BallotError::Recused { member, case },
            BallotError::WrongRules(motion),
            BallotError::NotByAdmin,
            BallotError::RulesVersion { expected: 2 },
            BallotError::EmptyRoll(motion),
            BallotError::PanelAfterVoting(case),
            BallotError::AlreadyRecused { member, case },
            BallotError::AlreadySigned { member, case },
        ];
        let eligibility = [
            EligibilityError::Founding,
            EligibilityError::Body {
                kind: StatementKind::Vote,
                why: String::new(),
            },
            EligibilityError::BadInvitation,
            EligibilityError::AlreadyEnrolled(member),
            EligibilityError::Removed(member),
            EligibilityError::UnknownMember(member),
            EligibilityError::KeyReused,
            EligibilityError::DemoKey,
            EligibilityError::BadNewKey,
            EligibilityError::SignerNotEligible,
            EligibilityError::NotChair(member),
            EligibilityError::ChairActByLogKey,
            EligibilityError::NotActive(member),
            EligibilityError::NotAdmin(member),
        ];
        let refusals = ballots
            .into_iter()
            .map(Refusal::from)
            .chain(eligibility.into_iter().map(Refusal::from));
        for refusal in refusals {
            let code = refusal.code();
            assert!(
                table.contains(&format!("`{code}`")),
                "{code} is not in docs/protocol.md's refusal codes"
            );
        }
    }
}
