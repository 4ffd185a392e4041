//! What the storage keeps in memory beside the database: which case each
//! motion belongs to, the ballot box whose one writer stores the votes
//! that arrive together in one transaction, and each clause's consistency
//! report as of its latest decision.

use domain::Timestamp;
use domain::cases::CaseId;
use domain::statement::MotionId;

/// The case of each motion looked up so far (a motion never changes case).
#[derive(Default)]
pub(crate) struct MotionCases(std::sync::RwLock<std::collections::HashMap<MotionId, CaseId>>);

impl MotionCases {
    pub(crate) fn get(&self, motion: MotionId) -> Option<CaseId> {
        self.0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&motion)
            .copied()
    }

    pub(crate) fn insert(&self, motion: MotionId, case: CaseId) {
        self.0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(motion, case);
    }
}

/// Votes waiting to be written, and the lock of the one writer that writes
/// them: votes arriving together are stored in one transaction with one
/// checkpoint (group commit), each still checked on its own.
#[derive(Default)]
pub(crate) struct BallotBox {
    queue: std::sync::Mutex<Vec<VoteJob>>,
    pub(crate) commit: tokio::sync::Mutex<()>,
}

pub(crate) struct VoteJob {
    pub vote: domain::statement::SignedStatement,
    pub commitment: Option<domain::statement::SignedStatement>,
    pub now: Timestamp,
    pub reply: tokio::sync::oneshot::Sender<Result<u64, crate::StorageError>>,
}

impl BallotBox {
    pub(crate) fn push(&self, job: VoteJob) {
        self.queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(job);
    }

    pub(crate) fn take(&self) -> Vec<VoteJob> {
        std::mem::take(
            &mut *self
                .queue
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

/// Each clause's consistency report, kept until the clause has another
/// decision: the report folds every decision under the clause, so it is
/// made once per decision published, not once per request, and then from
/// the decisions kept plus those published since.
#[derive(Default)]
pub(crate) struct ClauseReports(
    std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<crate::ClauseReport>>>,
);

impl ClauseReports {
    /// The report kept for `code`, if it covers `decisions` decisions.
    pub(crate) fn get(
        &self,
        code: &str,
        decisions: u64,
    ) -> Option<std::sync::Arc<crate::ClauseReport>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(code)
            .filter(|kept| kept.decisions.len() as u64 == decisions)
            .cloned()
    }

    /// The report last kept for `code`, whatever it covers.
    pub(crate) fn latest(&self, code: &str) -> Option<std::sync::Arc<crate::ClauseReport>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(code)
            .cloned()
    }

    pub(crate) fn insert(&self, code: &str, report: std::sync::Arc<crate::ClauseReport>) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(code.to_owned(), report);
    }
}
