//! The background task that closes voting at each motion's deadline. It
//! reads what is due from the database, so it picks up where it left off
//! after a restart; several instances may run it at once, because closing
//! is one serialised transaction that refuses a motion already closed.

use domain::note::NoteSigner;
use std::sync::Arc;
use std::time::Duration;
use storage::{SharedStorage, StorageError};

/// Closes every motion whose window has ended; returns how many this call
/// closed (another instance may have closed some first).
pub async fn close_due(
    storage: &SharedStorage,
    log_key: &NoteSigner,
) -> Result<usize, StorageError> {
    let now = storage::now();
    let mut closed = 0;
    for motion in storage.due_motions(now).await? {
        match storage
            .close_motion(motion, domain::voting::CloseReason::Deadline, log_key, now)
            .await
        {
            Ok(tally) => {
                closed += 1;
                tracing::info!(motion = %motion, outcome = tally.outcome.as_str(), "voting closed at its deadline");
            }
            // Closed meanwhile by another instance or by the chair.
            Err(StorageError::Refused(refusal)) if refusal.code() == "voting_closed" => {}
            Err(error) => return Err(error),
        }
    }
    Ok(closed)
}

/// Runs [`close_due`] every `every` until the process stops.
pub fn spawn(storage: SharedStorage, log_key: Arc<NoteSigner>, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = close_due(&storage, &log_key).await {
                tracing::error!(%error, "closing due motions failed; will retry");
            }
        }
    });
}
