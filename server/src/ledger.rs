//! `tribune export` and `tribune verify`: the log as a directory of static
//! files (the C2SP tlog-tiles layout: `checkpoint`, `key`, `tile/…`), and
//! the check of such a copy, or of a live server's `/log/`.

use crate::config::Config;
use anyhow::{Context, bail};
use domain::checkpoint::Checkpoint;
use domain::cosignature::{CosignaturePolicy, WitnessVerifier};
use domain::council::LogOrigin;
use domain::merkle::{self, MerkleHash};
use domain::note::NoteVerifier;
use domain::statement::SignedStatement;
use domain::tiles::{self, Tile, TileKind};
use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};

/// `tribune export DIR`: writes the latest checkpoint, the log key and every
/// tile of the log into DIR.
pub async fn export(config: &Config, dir: &Path) -> anyhow::Result<()> {
    let storage = crate::commands::open_storage(config).await?;
    let result = async {
        let Some(checkpoint) = crate::log_api::cosigned_checkpoint(&storage).await? else {
            bail!("the log is empty: found the council with `tribune init` first");
        };
        let key = storage
            .log_key()
            .await?
            .context("the log has a checkpoint but no key")?;
        let size = storage.latest_checkpoint_size().await?;
        let all = tiles::tiles_for_size(size);
        for tile in &all {
            let bytes = crate::log_api::read_tile(&storage, tile, size)
                .await?
                .with_context(|| format!("tile {tile} is missing"))?;
            write(&dir.join(tile.path()), &bytes)?;
        }
        write(&dir.join("key"), format!("{key}\n").as_bytes())?;
        // The decisions' public records, as of this checkpoint, written a
        // page at a time (never held whole).
        let path = dir.join(DECISIONS_FILE);
        let file = std::fs::File::create(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let mut records = std::io::BufWriter::new(file);
        let cannot = || format!("cannot write {}", path.display());
        records
            .write_all(crate::public_api::export_head(&checkpoint, size).as_bytes())
            .with_context(cannot)?;
        let mut before = None;
        let mut decisions = 0;
        loop {
            let (chunk, next) = crate::public_api::records_page(&storage, before, size).await?;
            decisions += chunk.lines().count();
            records.write_all(chunk.as_bytes()).with_context(cannot)?;
            match next {
                Some(next) => before = Some(next),
                None => break,
            }
        }
        records
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|file| file.sync_all())
            .with_context(cannot)?;
        // The checkpoint last: a copy with a checkpoint is complete.
        write(&dir.join("checkpoint"), checkpoint.as_bytes())?;
        println!(
            "exported {size} entries ({} tiles), {decisions} decision records and the checkpoint to {}",
            all.len(),
            dir.display()
        );
        Ok(())
    }
    .await;
    storage.close().await;
    result
}

/// The decisions' public records in an export (JSON Lines, first line the
/// checkpoint they correspond to); served at `/api/v1/decisions.jsonl`.
const DECISIONS_FILE: &str = "decisions.jsonl";

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Where a copy of the log is read from: a directory (an export, a mirror)
/// or a live server's `/log/` prefix.
enum Source {
    Dir(PathBuf),
    Http { prefix: String, agent: ureq::Agent },
}

/// The largest file a copy may hand us: a full entry bundle of maximal entries.
const MAX_FILE_BYTES: u64 = 256 * (2 + 65_535);

impl Source {
    fn new(source: &str) -> Self {
        if source.starts_with("http://") || source.starts_with("https://") {
            let trimmed = source.trim_end_matches('/');
            // Accept the site's address or its log prefix.
            let prefix = if trimmed.ends_with("/log") {
                trimmed.to_owned()
            } else {
                format!("{trimmed}/log")
            };
            let agent = ureq::Agent::config_builder()
                .timeout_global(Some(std::time::Duration::from_secs(30)))
                .http_status_as_error(false)
                .build()
                .into();
            Self::Http { prefix, agent }
        } else {
            Self::Dir(PathBuf::from(source))
        }
    }

    fn read(&self, relative: &str) -> anyhow::Result<Vec<u8>> {
        match self {
            Self::Dir(dir) => {
                let path = dir.join(relative);
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))
            }
            Self::Http { prefix, agent } => {
                let url = format!("{prefix}/{relative}");
                let mut response = agent
                    .get(&url)
                    .call()
                    .with_context(|| format!("cannot fetch {url}"))?;
                let status = response.status();
                if !status.is_success() {
                    bail!("cannot fetch {url}: HTTP {status}");
                }
                response
                    .body_mut()
                    .with_config()
                    .limit(MAX_FILE_BYTES)
                    .read_to_vec()
                    .with_context(|| format!("cannot read {url}"))
            }
        }
    }
}

impl Source {
    /// The decisions' public records, line by line: `decisions.jsonl` in
    /// a directory, or the site's `/api/v1/decisions.jsonl` at the checkpoint
    /// of `size` (the one verified: a live log grows while it is checked);
    /// `None` when the copy has none. Read as they are checked, never held
    /// whole.
    fn read_decisions(&self, size: u64) -> anyhow::Result<Option<Box<dyn std::io::BufRead>>> {
        match self {
            Self::Dir(dir) => {
                let path = dir.join(DECISIONS_FILE);
                if !path.exists() {
                    return Ok(None);
                }
                let file = std::fs::File::open(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                Ok(Some(Box::new(std::io::BufReader::new(file))))
            }
            Self::Http { prefix, agent } => {
                let site = prefix.strip_suffix("/log").unwrap_or(prefix);
                let url = format!("{site}/api/v1/{DECISIONS_FILE}?size={size}");
                let mut response = agent
                    .get(&url)
                    .call()
                    .with_context(|| format!("cannot fetch {url}"))?;
                let status = response.status();
                if status == 404 {
                    // No records at all (a server without the export), or
                    // none at the size verified, which the server must have.
                    let answer = response
                        .body_mut()
                        .with_config()
                        .limit(16 * 1024)
                        .read_to_string()
                        .unwrap_or_default();
                    if answer.contains("no_such_checkpoint") {
                        bail!(
                            "{url}: the server has no decision records at the checkpoint of size {size} it served"
                        );
                    }
                    return Ok(None);
                }
                if !status.is_success() {
                    bail!("cannot fetch {url}: HTTP {status}");
                }
                let body = response
                    .into_body()
                    .into_with_config()
                    .limit(MAX_RECORDS_BYTES)
                    .reader();
                Ok(Some(Box::new(std::io::BufReader::new(body))))
            }
        }
    }
}

/// Entries of a copy read by index from its entry bundles, as the check of
/// the decision records asks for them: the last few bundles are kept, so a
/// record's entries (close together in the log) are read once.
struct BundleReader<'a> {
    source: &'a Source,
    size: u64,
    kept: std::cell::RefCell<std::collections::VecDeque<(u64, Vec<Vec<u8>>)>>,
}

/// How many entry bundles [`BundleReader`] keeps.
const KEPT_BUNDLES: usize = 8;

impl domain::public::EntryAt for BundleReader<'_> {
    fn entry_at(&self, index: u64) -> Option<std::borrow::Cow<'_, [u8]>> {
        if index >= self.size {
            return None;
        }
        let bundle = index / tiles::TILE_WIDTH;
        let at = usize::try_from(index % tiles::TILE_WIDTH).ok()?;
        let mut kept = self.kept.borrow_mut();
        if let Some((_, entries)) = kept.iter().find(|(n, _)| *n == bundle) {
            return entries.get(at).cloned().map(std::borrow::Cow::Owned);
        }
        let start = bundle * tiles::TILE_WIDTH;
        let tile = Tile {
            kind: TileKind::Entries,
            index: bundle,
            width: u16::try_from((self.size - start).min(tiles::TILE_WIDTH)).ok()?,
        };
        let bytes = self.source.read(&tile.path()).ok()?;
        let entries = bundle_entries(&tile, &bytes).ok()?;
        let entry = entries.get(at).cloned();
        if kept.len() == KEPT_BUNDLES {
            kept.pop_front();
        }
        kept.push_back((bundle, entries));
        entry.map(std::borrow::Cow::Owned)
    }
}

/// The largest bulk export of decision records read.
const MAX_RECORDS_BYTES: u64 = 2 << 30;

/// Checks every public decision record of the copy against the verified
/// log: each vote, opinion, tally and decision as logged, none left off, and
/// no published decision missing from the records. A sentence for the
/// summary, or the first mismatch as an error naming the entry.
fn check_records(
    source: &Source,
    log: (&LogOrigin, &NoteVerifier),
    summary: &domain::verify::LogSummary,
    leaves: &[MerkleHash],
) -> anyhow::Result<String> {
    let Some(reader) = source.read_decisions(summary.entries)? else {
        return Ok("no decision records in this copy (pages not checked)".to_owned());
    };
    let entries = BundleReader {
        source,
        size: summary.entries,
        kept: std::cell::RefCell::default(),
    };
    let mut lines = reader.lines();
    let first = lines
        .next()
        .transpose()
        .context("the decision records are not UTF-8 text")?
        .unwrap_or_default();
    let head: serde_json::Value = serde_json::from_str(&first)
        .context("the decision records do not start with their checkpoint")?;
    let records_size = head
        .get("size")
        .and_then(serde_json::Value::as_u64)
        .context("the decision records do not name their checkpoint's size")?;
    if head.get("format").and_then(serde_json::Value::as_str) != Some("tribune-decisions/1") {
        bail!("the decision records are not in the format tribune-decisions/1");
    }
    // Their checkpoint must be the log's, and a prefix of the one verified.
    let note = head
        .get("checkpoint")
        .and_then(serde_json::Value::as_str)
        .context("the decision records do not name their checkpoint")?;
    let (their, _) = Checkpoint::open(note.as_bytes(), log.0, log.1)
        .context("the decision records' checkpoint does not verify")?;
    // A server was asked for the records at the checkpoint verified: at
    // an older one, decisions after it would go unchecked.
    if matches!(source, Source::Http { .. }) && their.size != summary.entries {
        bail!(
            "the server served the decision records at the checkpoint of size {}, not the one of size {} asked for and verified",
            their.size,
            summary.entries
        );
    }
    let prefix = usize::try_from(their.size).unwrap_or(usize::MAX);
    if their.size != records_size
        || prefix > leaves.len()
        || merkle::root(&leaves[..prefix]) != their.root
    {
        bail!(
            "the decision records' checkpoint (size {}) is not consistent with the log",
            their.size
        );
    }
    let mut shown = std::collections::BTreeSet::new();
    let mut checked = 0;
    let mut newer = 0;
    for (n, line) in lines.enumerate() {
        let line = line.context("the decision records are not UTF-8 text")?;
        let record: domain::public::PublishedDecision = serde_json::from_str(&line)
            .with_context(|| format!("decision record {} is not a record", n + 1))?;
        if record.log_index >= summary.entries {
            // Published after the checkpoint verified here.
            newer += 1;
            continue;
        }
        shown.insert(record.case);
        let results = domain::public::check_published(summary, &entries, None, &record);
        if let Some(bad) = results.iter().find(|l| !l.ok) {
            let at = bad
                .index
                .map(|i| format!(" at entry {i}"))
                .unwrap_or_default();
            bail!(
                "the public record of the decision on case {} does not match the log{at}: {}",
                record.case.0,
                bad.text
            );
        }
        checked += 1;
    }
    if records_size >= summary.entries {
        let mut hidden: Vec<u64> = summary
            .ballots
            .decisions()
            .map(|(case, _)| case)
            .filter(|case| !shown.contains(case))
            .map(|case| case.0)
            .collect();
        hidden.sort_unstable();
        if let Some(case) = hidden.first() {
            bail!("the log holds a decision on case {case} that the public records leave out");
        }
    }
    let newer = if newer > 0 {
        format!(" ({newer} newer than this checkpoint not checked)")
    } else {
        String::new()
    };
    Ok(format!(
        "{checked} public decision records match the log: every vote, opinion and tally as signed{newer}"
    ))
}

/// `tribune verify SOURCE [--key VKEY] [--since OLD_CHECKPOINT] [--witness VKEY…]`.
pub fn verify(
    source: &str,
    key: Option<&str>,
    since: Option<&PathBuf>,
    witnesses: &[String],
    witness_quorum: Option<usize>,
) -> anyhow::Result<()> {
    let source = Source::new(source);
    let key_text = match key {
        Some(key) => key.to_owned(),
        None => {
            let text = String::from_utf8(source.read("key")?).context("the key is not UTF-8")?;
            eprintln!(
                "warning: trusting the log key found in the copy itself; pass --key with a key you obtained independently"
            );
            text.trim_end().to_owned()
        }
    };
    let log_key = NoteVerifier::from_vkey(&key_text).context("invalid log key")?;
    // A log key is named after its log's origin.
    let origin =
        LogOrigin::parse(log_key.name()).context("the log key's name is not a log origin")?;

    let signed_checkpoint = source.read("checkpoint")?;
    let (checkpoint, note) = Checkpoint::open(&signed_checkpoint, &origin, &log_key)
        .context("the checkpoint does not verify")?;
    let size = checkpoint.size;

    // The cosignature policy, when witnesses are given.
    let cosigned = if witnesses.is_empty() {
        None
    } else {
        let policy = CosignaturePolicy {
            witnesses: witnesses
                .iter()
                .map(|w| {
                    WitnessVerifier::from_vkey(w).with_context(|| format!("invalid --witness {w}"))
                })
                .collect::<anyhow::Result<_>>()?,
            quorum: witness_quorum.unwrap_or(witnesses.len()),
        };
        Some(policy.check(&note).context("the checkpoint is not final")?)
    };
    let all_tiles = tiles::tiles_for_size(size);

    // The entries, bundle by bundle, checked in batches as they are read
    // and not kept: only their leaf hashes are (32 bytes each).
    let progress = crate::progress::Progress::new("verifying entries", size);
    let mut verifier = domain::verify::LogVerifier::new(&origin, &log_key);
    let mut leaves: Vec<MerkleHash> = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    let mut batch: Vec<Vec<u8>> = Vec::with_capacity(VERIFY_BATCH);
    let bundles = all_tiles.iter().filter(|t| t.kind == TileKind::Entries);
    let mut bundles = bundles.peekable();
    while let Some(tile) = bundles.next() {
        let bundle = source.read(&tile.path())?;
        batch.extend(bundle_entries(tile, &bundle)?);
        if batch.len() >= VERIFY_BATCH || bundles.peek().is_none() {
            leaves.extend(verifier.push(&batch)?);
            batch.clear();
            progress.update(verifier.len());
        }
    }
    progress.finish();
    let summary = verifier.finish(&signed_checkpoint)?;

    // Every hash tile must be what the entries make.
    let mut hash_tiles = 0;
    for tile in all_tiles
        .iter()
        .filter(|t| matches!(t.kind, TileKind::Hashes { .. }))
    {
        let stored = source.read(&tile.path())?;
        let (start, end) = tile_range(tile)?;
        let expected =
            tiles::hash_tile(tile, &leaves[start..end]).with_context(|| format!("{tile}"))?;
        if stored != expected {
            bail!("{}", hash_tile_fault(tile, start, end, &stored, &expected));
        }
        hash_tiles += 1;
    }

    if let Some(old_path) = since {
        let old = std::fs::read(old_path)
            .with_context(|| format!("cannot read {}", old_path.display()))?;
        let (old, _) = Checkpoint::open(&old, &origin, &log_key)
            .context("the older checkpoint (--since) does not verify")?;
        let old_size = usize::try_from(old.size).unwrap_or(usize::MAX);
        if old_size > leaves.len() {
            bail!(
                "the log shrank: the older checkpoint has {} entries, this one {}",
                old.size,
                size
            );
        }
        if merkle::root(&leaves[..old_size]) != old.root {
            bail!(
                "the log was rewritten: its first {} entries no longer hash to the older checkpoint's tree head",
                old.size
            );
        }
        println!("consistent with the older checkpoint of size {}", old.size);
    }

    if let Some(cosigned) = cosigned {
        let names: Vec<_> = cosigned.iter().map(|c| c.witness.as_str()).collect();
        println!(
            "cosigned by {} witnesses: {}",
            names.len(),
            names.join(", ")
        );
    }
    let motions = summary.ballots.motions().count();
    let tallies = summary
        .ballots
        .motions()
        .filter(|m| m.closing.is_some())
        .count();
    let decisions = summary.ballots.decisions().count();
    let records = check_records(&source, (&origin, &log_key), &summary, &leaves)?;
    println!(
        "ok: log {origin}, {} entries, tree head {}, signed by {}; every entry's signature, {hash_tiles} hash tiles and the checkpoint verified; {motions} motions, {tallies} tallies recomputed from their votes; {decisions} decisions, each naming every vote and opinion; {records}",
        summary.entries, summary.checkpoint.root, key_text
    );
    Ok(())
}

/// Entries checked at once by `tribune verify` (split over the cores).
const VERIFY_BATCH: usize = 4096;

/// The entries of an entry bundle. A damaged bundle is reported at the
/// entry that broke: the first one that is not a well-formed statement, or
/// the one whose length runs past the end.
fn bundle_entries(tile: &Tile, bundle: &[u8]) -> anyhow::Result<Vec<Vec<u8>>> {
    let (start, _) = tile_range(tile)?;
    let width = usize::from(tile.width);
    let (decoded, whole) = tiles::bundle_prefix(bundle);
    if whole && decoded.len() == width {
        return Ok(decoded);
    }
    let broken = decoded
        .iter()
        .position(|entry| SignedStatement::from_entry(entry).is_err())
        .unwrap_or(decoded.len())
        .min(width.saturating_sub(1));
    bail!(
        "entry {}: {tile} is damaged there (it should hold {width} entries, each after its length)",
        start + broken
    )
}

/// Which hash of a hash tile differs from what the entries make, and the
/// entries it covers.
fn hash_tile_fault(
    tile: &Tile,
    start: usize,
    end: usize,
    stored: &[u8],
    expected: &[u8],
) -> String {
    let differs = stored
        .chunks(MerkleHash::LEN)
        .zip(expected.chunks(MerkleHash::LEN))
        .position(|(a, b)| a != b)
        .unwrap_or(stored.len().min(expected.len()) / MerkleHash::LEN);
    let span = (end - start) / usize::from(tile.width).max(1);
    let first = start + differs * span.max(1);
    if span <= 1 {
        format!("entry {first}: {tile} does not hold its leaf hash")
    } else {
        format!(
            "entries {first} to {}: {tile} does not hold their tree hash",
            (first + span).min(end) - 1
        )
    }
}

fn tile_range(tile: &Tile) -> anyhow::Result<(usize, usize)> {
    let (start, end) = tile.leaf_range().context("tile out of range")?;
    Ok((usize::try_from(start)?, usize::try_from(end)?))
}
