//! The log side of C2SP tlog-witness: each new checkpoint is submitted to
//! the witnesses that listen for it (`TRIBUNE_WITNESS_URLS`), with the
//! consistency proof from the last checkpoint each cosigned; the
//! cosignatures they answer with are checked against the council's witness
//! policy and kept with the checkpoint, as those a witness posts to
//! `/log/cosignature` are.

use domain::cosignature::CosignaturePolicy;
use domain::log::tlog_witness::AddCheckpoint;
use domain::note::Note;
use std::sync::Arc;
use std::time::Duration;
use storage::SharedStorage;

/// One witness and what this log knows of it.
struct Witness {
    /// Its submission prefix (`…/add-checkpoint` is appended).
    url: String,
    /// The size of the last checkpoint it cosigned, once known.
    cosigned: Option<u64>,
}

/// Submits each new checkpoint to every witness of `urls`, looking for a new
/// one every `every`, until the process ends.
pub fn spawn(
    storage: SharedStorage,
    policy: Arc<CosignaturePolicy>,
    urls: Vec<String>,
    every: Duration,
) {
    if urls.is_empty() {
        return;
    }
    tokio::spawn(async move {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(10)))
            .http_status_as_error(false)
            .build()
            .into();
        let mut witnesses: Vec<Witness> = urls
            .into_iter()
            .map(|url| Witness {
                url: url.trim_end_matches('/').to_owned(),
                cosigned: None,
            })
            .collect();
        loop {
            for witness in &mut witnesses {
                if let Err(error) = push(&storage, &policy, &agent, witness).await {
                    tracing::warn!(witness = %witness.url, error = %format!("{error:#}"), "a witness did not cosign the latest checkpoint");
                }
            }
            tokio::time::sleep(every).await;
        }
    });
}

/// Submits the latest checkpoint to `witness` unless it cosigned it: once,
/// and once more when the witness says it last cosigned another size.
async fn push(
    storage: &SharedStorage,
    policy: &CosignaturePolicy,
    agent: &ureq::Agent,
    witness: &mut Witness,
) -> anyhow::Result<()> {
    for _ in 0..2 {
        // Read again each time: with several instances this one may be
        // behind the size a witness names.
        let Some(checkpoint) = storage.latest_checkpoint().await? else {
            return Ok(());
        };
        let size = crate::public_api::checkpoint_size(&checkpoint);
        if witness.cosigned == Some(size) {
            return Ok(());
        }
        let old = witness.cosigned.unwrap_or(0);
        if old > size {
            anyhow::bail!(
                "the witness last cosigned a checkpoint of size {old}, beyond this log's {size}"
            );
        }
        let proof = if old == 0 || old == size {
            Vec::new()
        } else {
            crate::log_api::consistency_proof(storage, old, size).await?
        };
        let body = AddCheckpoint {
            old_size: old,
            proof,
            checkpoint: checkpoint.clone(),
        }
        .to_body();
        let url = format!("{}/add-checkpoint", witness.url);
        let agent = agent.clone();
        let (status, answer) = tokio::task::spawn_blocking(move || {
            let mut response = agent
                .post(&url)
                .content_type("text/plain; charset=utf-8")
                .send(body.as_bytes())?;
            let status = response.status().as_u16();
            let answer = response
                .body_mut()
                .with_config()
                .limit(64 * 1024)
                .read_to_string()?;
            Ok::<_, ureq::Error>((status, answer))
        })
        .await??;
        match status {
            200 => {
                let note = Note::parse(format!("{checkpoint}{answer}").as_bytes())?;
                let cosigned = policy.cosignatures(&note)?;
                if cosigned.is_empty() {
                    anyhow::bail!("its cosignature is by no witness of the council's policy");
                }
                let rows = crate::log_api::cosignature_rows(size, cosigned);
                let added = storage.add_cosignatures(&rows).await?;
                tracing::info!(witness = %witness.url, size, added, "a witness cosigned the checkpoint");
                witness.cosigned = Some(size);
                return Ok(());
            }
            // The size it last cosigned, which this log did not know: again
            // from there.
            409 => {
                let theirs: u64 = answer.trim().parse().map_err(|_| {
                    anyhow::anyhow!("it answered 409 without a size: {}", answer.trim())
                })?;
                if witness.cosigned == Some(theirs) {
                    anyhow::bail!(
                        "it refuses the checkpoint of size {size} after {theirs}: a fork? {}",
                        answer.trim()
                    );
                }
                witness.cosigned = Some(theirs);
            }
            other => anyhow::bail!("HTTP {other}: {}", answer.trim()),
        }
    }
    Ok(())
}
