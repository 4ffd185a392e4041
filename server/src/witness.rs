//! `tribune witness-key` and `tribune witness`: a witness that a member
//! group runs on its own machine. It follows a council's log, checks that
//! every new checkpoint is consistent with the last one it cosigned (RFC
//! 9162 consistency proof), cosigns it (C2SP tlog-cosignature) and submits
//! the cosignature to the council; a log that forked, shrank or was
//! rewritten is refused, with the reason, and never cosigned.

use anyhow::{Context, bail};
use domain::checkpoint::Checkpoint;
use domain::cosignature::WitnessSigner;
use domain::council::LogOrigin;
use domain::merkle::MerkleHash;
use domain::note::NoteVerifier;
use std::path::{Path, PathBuf};

/// `tribune witness-key --name NAME --key FILE`: a new witness key, written
/// with owner-only permissions and never over an existing file. Prints the
/// public key the council lists in its witness policy.
pub fn create_key(name: &str, path: &Path) -> anyhow::Result<()> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("cannot get random bytes: {e}"))?;
    let signer = WitnessSigner::from_seed(name, &seed)
        .with_context(|| format!("invalid witness name {name:?}"))?;
    crate::commands::write_secret_file(path, &signer.to_skey(), "witness key")?;
    println!("{}", signer.verifier().to_vkey());
    eprintln!(
        "the witness key is in {} (keep it secret); give the line above to the council for its witness policy",
        path.display()
    );
    Ok(())
}

/// What a witness remembers between runs: the log it follows (its key) and
/// the last checkpoint it cosigned.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct State {
    log_key: String,
    /// The note text of the last checkpoint cosigned, if any.
    checkpoint: Option<String>,
}

/// `tribune witness --log URL --key FILE [--log-key VKEY] [--state FILE] [--once]`.
pub fn run(
    log: &str,
    key: &Path,
    log_key: Option<&str>,
    state: Option<&Path>,
    once: bool,
    interval: u64,
) -> anyhow::Result<()> {
    let (signer, state_path, _held) = open_witness(key, state)?;
    let mut witness = Witness::open(log, signer, log_key, state_path)?;
    loop {
        match witness.round() {
            Ok(done) => println!("{done}"),
            Err(error) if once => return Err(error),
            Err(error) => eprintln!("tribune: witness: {error:#}"),
        }
        if once {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_secs(interval));
    }
}

struct Witness {
    site: String,
    agent: ureq::Agent,
    signer: WitnessSigner,
    log_key: NoteVerifier,
    origin: LogOrigin,
    state: State,
    state_path: PathBuf,
}

/// The largest checkpoint or proof read from the log.
const MAX_RESPONSE_BYTES: u64 = 1 << 20;

impl Witness {
    fn open(
        log: &str,
        signer: WitnessSigner,
        log_key: Option<&str>,
        state_path: PathBuf,
    ) -> anyhow::Result<Self> {
        if !(log.starts_with("http://") || log.starts_with("https://")) {
            bail!("--log must be the council's address (http:// or https://), not {log:?}");
        }
        let trimmed = log.trim_end_matches('/');
        let site = trimmed.strip_suffix("/log").unwrap_or(trimmed).to_owned();
        let state = load_state(&state_path, log_key)?;
        let verifier = NoteVerifier::from_vkey(&state.log_key).context("invalid log key")?;
        let origin =
            LogOrigin::parse(verifier.name()).context("the log key's name is not a log origin")?;
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(std::time::Duration::from_secs(30)))
            .http_status_as_error(false)
            .build()
            .into();
        Ok(Self {
            site,
            agent,
            signer,
            log_key: verifier,
            origin,
            state,
            state_path,
        })
    }

    fn get(&self, path: &str) -> anyhow::Result<Vec<u8>> {
        let url = format!("{}{path}", self.site);
        let mut response = self
            .agent
            .get(&url)
            .call()
            .with_context(|| format!("cannot fetch {url}"))?;
        let status = response.status();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .with_context(|| format!("cannot read {url}"))?;
        if !status.is_success() {
            bail!(
                "cannot fetch {url}: HTTP {status}: {}",
                String::from_utf8_lossy(&body).trim()
            );
        }
        Ok(body)
    }

    /// One look at the log: cosign its checkpoint if it is consistent with
    /// the last one cosigned. A sentence saying what was done, or why not.
    fn round(&mut self) -> anyhow::Result<String> {
        let signed = self.get("/log/checkpoint")?;
        let (checkpoint, note) = Checkpoint::open(&signed, &self.origin, &self.log_key)
            .context("the log's checkpoint does not verify with the log's key")?;
        let seen = self
            .state
            .checkpoint
            .as_deref()
            .map(Checkpoint::parse_text)
            .transpose()
            .context("the witness state holds no valid checkpoint")?;
        let proof = match &seen {
            Some(seen) if seen.size > 0 && seen.size < checkpoint.size => {
                self.consistency_proof(seen.size, checkpoint.size)?
            }
            _ => Vec::new(),
        };
        domain::witness::may_cosign(seen.as_ref(), &checkpoint, &proof)
            .map_err(|refusal| anyhow::anyhow!("refusing to cosign: {refusal}"))?;
        let verifier = self.signer.verifier();
        let already = domain::cosignature::CosignaturePolicy {
            witnesses: vec![verifier],
            quorum: 1,
        }
        .cosignatures(&note)
        .is_ok_and(|c| !c.is_empty());
        if already {
            return Ok(format!(
                "the checkpoint of size {} already carries this witness's cosignature",
                checkpoint.size
            ));
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let line = self.signer.cosign(&note.text, now)?;
        // Remember the checkpoint before anyone sees the cosignature: a
        // crash after this never lets the witness cosign a fork of it.
        self.state.checkpoint = Some(note.text.clone());
        self.save_state()?;
        let mut body = String::from_utf8(signed).context("the checkpoint is not UTF-8")?;
        body.push_str(&line);
        let url = format!("{}/log/cosignature", self.site);
        let mut response = self
            .agent
            .post(&url)
            .content_type("text/plain; charset=utf-8")
            .send(body.as_bytes())
            .with_context(|| format!("cannot submit the cosignature to {url}"))?;
        let status = response.status();
        let answer: serde_json::Value = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        if !status.is_success() {
            bail!(
                "the council refused the cosignature of the checkpoint of size {} (HTTP {status}): {}",
                checkpoint.size,
                answer
                    .get("message")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("no reason given")
            );
        }
        let by: Vec<&str> = answer
            .get("cosigned_by")
            .and_then(serde_json::Value::as_array)
            .map(|a| a.iter().filter_map(serde_json::Value::as_str).collect())
            .unwrap_or_default();
        let is_final = answer.get("final").and_then(serde_json::Value::as_bool) == Some(true);
        Ok(format!(
            "cosigned the checkpoint of size {} (cosigned so far by {}{})",
            checkpoint.size,
            by.join(", "),
            if is_final { "; final" } else { "" }
        ))
    }

    fn consistency_proof(&self, from: u64, to: u64) -> anyhow::Result<Vec<MerkleHash>> {
        let bytes = self.get(&format!("/log/proof/consistency?from={from}&to={to}"))?;
        let body: serde_json::Value =
            serde_json::from_slice(&bytes).context("the consistency proof is not JSON")?;
        body.get("proof")
            .and_then(serde_json::Value::as_array)
            .context("the consistency proof has no `proof` list")?
            .iter()
            .map(|h| {
                h.as_str()
                    .and_then(MerkleHash::from_hex)
                    .context("a consistency proof hash is not 32 bytes of hex")
            })
            .collect()
    }

    /// Writes the state durably.
    fn save_state(&self) -> anyhow::Result<()> {
        save_state(&self.state_path, &self.state)
    }
}

/// A witness's key from `key`, where its state is (`state`, or the key
/// file's path with `.state` appended), and the lock that holds that state
/// for this process ([`hold_state`]).
fn open_witness(
    key: &Path,
    state: Option<&Path>,
) -> anyhow::Result<(WitnessSigner, PathBuf, std::fs::File)> {
    let text = std::fs::read_to_string(key)
        .with_context(|| format!("cannot read the witness key {}", key.display()))?;
    let signer = WitnessSigner::from_skey(text.trim())
        .with_context(|| format!("{} is not a witness key", key.display()))?;
    let state_path = state.map_or_else(
        || PathBuf::from(format!("{}.state", key.display())),
        Path::to_path_buf,
    );
    let held = hold_state(&state_path)?;
    Ok((signer, state_path, held))
}

/// Holds the witness's state for this process: an exclusive lock on
/// `STATE.lock`, released when the process ends, however it ends. Two
/// processes on one state (two services, or a service and a pulling
/// witness) would each remember only what it cosigned, and could be made
/// to cosign two forks of the log.
fn hold_state(state_path: &Path) -> anyhow::Result<std::fs::File> {
    let path = PathBuf::from(format!("{}.lock", state_path.display()));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "another witness process uses the state {}: one process per witness state",
            state_path.display()
        ),
        Err(std::fs::TryLockError::Error(error)) => {
            Err(error).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

/// The witness's state from `state_path`, or a new one for the log whose key
/// is `log_key` (required then); a given `log_key` must be the state's.
fn load_state(state_path: &Path, log_key: Option<&str>) -> anyhow::Result<State> {
    match std::fs::read(state_path) {
        Ok(bytes) => {
            let state: State = serde_json::from_slice(&bytes).with_context(|| {
                format!("the witness state {} is unreadable", state_path.display())
            })?;
            if let Some(given) = log_key
                && given.trim() != state.log_key
            {
                bail!(
                    "--log-key differs from the key of the log this witness follows ({}, in {}); a witness follows one log",
                    state.log_key,
                    state_path.display()
                );
            }
            Ok(state)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(State {
            log_key: log_key
                .context("pass --log-key (the log's public key, obtained independently of the server) on the first run")?
                .trim()
                .to_owned(),
            checkpoint: None,
        }),
        Err(error) => bail!("cannot read the witness state {}: {error}", state_path.display()),
    }
}

/// Writes the state durably: a temporary file, synced, then renamed, then
/// the directory synced (so a crash keeps the old state or the new, whole).
fn save_state(state_path: &Path, state: &State) -> anyhow::Result<()> {
    use std::io::Write as _;
    let bytes = serde_json::to_vec_pretty(state)?;
    let temporary = PathBuf::from(format!("{}.tmp", state_path.display()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, state_path)?;
        if let Some(dir) = state_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    };
    write().with_context(|| format!("cannot write the witness state {}", state_path.display()))
}

/// The state of a witness service: the log it follows, its key, and the
/// latest checkpoint it cosigned (checked and replaced under one lock).
struct Service {
    signer: WitnessSigner,
    origin: LogOrigin,
    log_key: NoteVerifier,
    state_path: PathBuf,
    state: tokio::sync::Mutex<State>,
}

/// The largest `add-checkpoint` request read.
const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// `tribune witness-serve --listen ADDR --key FILE [--log-key VKEY] [--state
/// FILE]`: the witness as an HTTP service speaking C2SP tlog-witness. A log
/// submits each new checkpoint to `POST /add-checkpoint` with a consistency
/// proof from the last one this witness cosigned; the witness records the
/// checkpoint durably, then answers with its cosignature.
pub async fn serve(
    listen: std::net::SocketAddr,
    key: &Path,
    log_key: Option<&str>,
    state: Option<&Path>,
) -> anyhow::Result<()> {
    let (signer, state_path, _held) = open_witness(key, state)?;
    let state = load_state(&state_path, log_key)?;
    let log_key = NoteVerifier::from_vkey(&state.log_key).context("invalid log key")?;
    let origin =
        LogOrigin::parse(log_key.name()).context("the log key's name is not a log origin")?;
    // Written now, so that the log key given on the first run is kept.
    save_state(&state_path, &state)?;
    let service = std::sync::Arc::new(Service {
        signer,
        origin,
        log_key,
        state_path,
        state: tokio::sync::Mutex::new(state),
    });
    let app = axum::Router::new()
        .route("/add-checkpoint", axum::routing::post(add_checkpoint))
        .with_state(service.clone());
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|error| anyhow::anyhow!("cannot listen on {listen}: {error}"))?;
    println!(
        "witness {} follows {} at http://{listen}/add-checkpoint",
        service.signer.name(),
        service.origin
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(crate::commands::shutdown_signal())
        .await
        .context("witness server error")
}

/// `POST /add-checkpoint` (C2SP tlog-witness).
async fn add_checkpoint(
    axum::extract::State(service): axum::extract::State<std::sync::Arc<Service>>,
    body: axum::body::Bytes,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    use domain::log::tlog_witness::{AddCheckpoint, Answer};
    let answer = |status: u16, content_type: &'static str, body: String| {
        (
            axum::http::StatusCode::from_u16(status)
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
            [(axum::http::header::CONTENT_TYPE, content_type)],
            body,
        )
            .into_response()
    };
    if body.len() > MAX_REQUEST_BYTES {
        return answer(
            413,
            "text/plain; charset=utf-8",
            "the request is too large\n".to_owned(),
        );
    }
    let request = match AddCheckpoint::parse(&body) {
        Ok(request) => request,
        Err(why) => return answer(400, "text/plain; charset=utf-8", format!("{why}\n")),
    };
    // Checked against the latest cosigned checkpoint and recorded in one
    // step: two requests at once cannot roll the witness back.
    let mut state = service.state.lock().await;
    let latest = match state
        .checkpoint
        .as_deref()
        .map(Checkpoint::parse_text)
        .transpose()
    {
        Ok(latest) => latest,
        Err(error) => {
            tracing::error!(%error, "the witness state holds no valid checkpoint");
            return answer(
                500,
                "text/plain; charset=utf-8",
                "the witness's state is damaged\n".to_owned(),
            );
        }
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let decided = domain::log::tlog_witness::add_checkpoint(
        &request,
        (&service.origin, &service.log_key),
        latest.as_ref(),
        &service.signer,
        now,
    );
    if let Answer::Cosigned {
        checkpoint, text, ..
    } = &decided
    {
        let mut next = state.clone();
        next.checkpoint = Some(text.clone());
        // On disk before anyone sees the cosignature.
        if let Err(error) = save_state(&service.state_path, &next) {
            tracing::error!(error = %format!("{error:#}"), "cannot record the cosigned checkpoint");
            return answer(
                503,
                "text/plain; charset=utf-8",
                "the witness cannot record the checkpoint now\n".to_owned(),
            );
        }
        *state = next;
        tracing::info!(size = checkpoint.size, "cosigned");
    }
    let (content_type, text) = decided.body();
    answer(decided.status(), content_type, text)
}
