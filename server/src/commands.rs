//! The command-line commands. Each returns `anyhow::Result` whose error is
//! printed by `main` as one line saying what to fix.

use crate::config::Config;
use anyhow::{Context, bail};
use app::functions::ssr::Settings;
use domain::members::{DisplayName, GroupName, Role};
use domain::note::NoteSigner;
use domain::statement::MemberId;
use domain::{Council, CouncilName, LogOrigin};
use leptos::config::{LeptosOptions, get_configuration};
use std::path::Path;
use std::sync::Arc;
use storage::{SharedStorage, StorageError};
use tokio::net::TcpListener;

/// The demo council `make run` founds in a new database (fictional, like all demo data).
pub const DEMO_COUNCIL_NAME: &str = "Harbour Content Council";
pub const DEMO_LOG_ORIGIN: &str = "demo.tribune.example/harbour";
/// The demo council's groups: fictional organisations.
pub const DEMO_GROUPS: [&str; 4] = [
    "Civil Rights Coalition",
    "Free Expression Alliance",
    "Trust & Safety",
    "Independent Experts",
];
pub const DEMO_ADMIN: &str = "Demo Administrator";
/// The demo council's policy catalogue (fictional clauses).
pub const DEMO_CLAUSES: &[(&str, &str)] = &[
    ("HS-2", "Hateful conduct against protected groups"),
    ("H-1", "Targeted harassment"),
    ("V-1", "Violent threats"),
    ("M-4", "Misleading claims about elections"),
    ("P-3", "Sharing private information without consent"),
];

/// Opens the configured database and brings its schema up to date.
pub async fn open_storage(config: &Config) -> anyhow::Result<SharedStorage> {
    let storage = storage::connect(&config.database_url).await?;
    storage
        .migrate()
        .await
        .with_context(|| format!("database {}", config.database_url))?;
    Ok(storage)
}

/// `tribune serve`: the web app, until SIGINT or SIGTERM.
pub async fn serve(config: &Config) -> anyhow::Result<()> {
    let options = leptos_options()?;
    let addr = options.site_addr;
    let _held = hold_database(config)?;
    let storage = open_storage(config).await?;
    match storage.council().await? {
        Some(council) => tracing::info!(council = %council.name, "council loaded"),
        None => tracing::warn!("no council in this database yet: run `tribune init --name NAME`"),
    }
    warn_if_site_is_missing(&options);
    let log_key = load_log_key(config, &storage).await?;
    if log_key.is_none() && storage.council().await?.is_some() {
        tracing::warn!(
            file = %config.log_key_file.display(),
            "the log key file is missing: the site is read-only (nothing can be appended to the log)"
        );
    }
    let settings = settings(config, addr, log_key)?;
    if settings.log_key.is_some() {
        // The state that decides each write, replayed now rather than by
        // the first write under the write lock.
        let storage = storage.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            match storage.replay_log().await {
                Ok(entries) => tracing::info!(
                    entries,
                    seconds = started.elapsed().as_secs_f64(),
                    "log replayed for writing"
                ),
                Err(error) => {
                    tracing::warn!(%error, "replaying the log ahead of writes failed: the first write will")
                }
            }
        });
    }
    for url in &config.witness_urls {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            bail!("TRIBUNE_WITNESS_URLS: {url:?} is not an http:// or https:// address");
        }
    }
    crate::tlog_push::spawn(
        storage.clone(),
        settings.witnesses.clone(),
        config.witness_urls.clone(),
        std::time::Duration::from_secs(2),
    );
    if let Some(key) = settings.log_key.clone() {
        crate::closer::spawn(
            storage.clone(),
            key,
            std::time::Duration::from_secs(u64::from(config.closer_seconds)),
        );
    }

    let listener = TcpListener::bind(addr).await.map_err(|error| {
        anyhow::anyhow!(
            "cannot listen on {addr}: {error} (stop the program using it, or set LEPTOS_SITE_ADDR to another address)"
        )
    })?;
    tracing::info!(
        database = %config.database_url,
        backend = %storage.backend(),
        "listening on http://{addr}"
    );

    let app = crate::web::router(
        options,
        storage.clone(),
        settings,
        crate::security::RateLimits::new(config.rate_limit_per_minute)
            .trusting(&config.trusted_proxies),
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("server error")?;
    storage.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Holds a SQLite database for this `tribune serve`: an exclusive lock on
/// a file beside it (`PATH.serve-lock`), released when the process ends,
/// however it ends. A second server on the same file would be a second
/// writer that the first does not know of (each keeps the log's state in
/// memory): it is refused with one line. PostgreSQL needs none (instances
/// share its write lock).
fn hold_database(config: &Config) -> anyhow::Result<Option<std::fs::File>> {
    let Some(database) = config.database_url.sqlite_file() else {
        return Ok(None);
    };
    let mut path = database.as_os_str().to_owned();
    path.push(".serve-lock");
    let path = std::path::PathBuf::from(path);
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(&path)
        .map_err(|error| {
            anyhow::anyhow!(
                "cannot write {} beside the database (tribune serve writes the database and files beside it): {error}",
                path.display()
            )
        })?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "another `tribune serve` is using the database {}: stop it first (one server per SQLite file; several instances need PostgreSQL)",
            database.display()
        ),
        Err(std::fs::TryLockError::Error(error)) => {
            Err(error).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

/// `tribune migrate`.
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let storage = open_storage(config).await?;
    storage.close().await;
    println!("database {} is up to date", config.database_url);
    Ok(())
}

/// The server settings the web layer reads.
pub fn settings(
    config: &Config,
    site_addr: std::net::SocketAddr,
    log_key: Option<NoteSigner>,
) -> anyhow::Result<Settings> {
    if config.public_url.is_none() && site_addr.ip().is_unspecified() {
        // Form posts are accepted from the public URL's origin only, and no
        // browser writes `Origin: http://0.0.0.0:…`.
        tracing::warn!(
            %site_addr,
            "listening on every address without TRIBUNE_PUBLIC_URL: set it to the address members use, or every form post will be refused as cross-site"
        );
    }
    Ok(Settings {
        log_key: log_key.map(Arc::new),
        public_url: config.public_url(site_addr),
        invitation_ttl_seconds: i64::from(config.invitation_hours) * 3600,
        session_ttl_seconds: i64::from(config.session_hours) * 3600,
        witnesses: Arc::new(config.witness_policy()?),
    })
}

/// Reads the log key file, if there is one, and checks that it is the key
/// of this database's log.
pub async fn load_log_key(
    config: &Config,
    storage: &SharedStorage,
) -> anyhow::Result<Option<NoteSigner>> {
    let path = &config.log_key_file;
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => bail!("cannot read the log key file {}: {error}", path.display()),
    };
    #[cfg(unix)]
    if let Ok(metadata) = std::fs::metadata(path) {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = metadata.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(
                file = %path.display(),
                mode = format!("{:o}", mode & 0o777),
                "THE LOG KEY FILE IS READABLE BY OTHER USERS: anyone who can read it can sign checkpoints as this council's log. Run `chmod 600` on it."
            );
        }
    }
    let key = NoteSigner::from_skey(text.trim())
        .map_err(|e| anyhow::anyhow!("the log key file {} is invalid: {e}", path.display()))?;
    if let Some(published) = storage.log_key().await?
        && published != key.verifier().to_vkey()
    {
        bail!(
            "the log key file {} is not the key of this database's log (set --log-key-file to the right file)",
            path.display()
        );
    }
    Ok(Some(key))
}

/// The log key, required: commands that append to the log need it.
async fn require_log_key(config: &Config, storage: &SharedStorage) -> anyhow::Result<NoteSigner> {
    if storage.council().await?.is_none() {
        bail!("no council in this database yet: run `tribune init --name NAME` first");
    }
    load_log_key(config, storage).await?.ok_or_else(|| {
        anyhow::anyhow!(
            "the log key file {} is missing: it was written by `tribune init` (set --log-key-file)",
            config.log_key_file.display()
        )
    })
}

fn site_addr() -> std::net::SocketAddr {
    leptos_options().map_or_else(
        |_| std::net::SocketAddr::from(([127, 0, 0, 1], 3000)),
        |options| options.site_addr,
    )
}

/// Issues an invitation and returns its link.
async fn issue(
    config: &Config,
    storage: &SharedStorage,
    log_key: NoteSigner,
    group: &GroupName,
    role: Role,
    name: &str,
    member: Option<u64>,
) -> anyhow::Result<app::functions::members::IssuedInvitation> {
    let name = DisplayName::parse(name).context("invalid --name")?;
    let group_id = storage.group_by_name(group).await?.ok_or_else(|| {
        anyhow::anyhow!("there is no group “{group}” (create it with `tribune group add`)")
    })?;
    let settings = settings(config, site_addr(), Some(log_key))?;
    let log_key = settings.log_key.clone().context("log key")?;
    app::functions::members::issue_invitation(
        storage,
        &log_key,
        &settings,
        group_id,
        role,
        name,
        member.map(MemberId),
        None,
    )
    .await
    .map_err(|error| anyhow::anyhow!("{error}"))
}

/// `tribune group add NAME`.
pub async fn group_add(config: &Config, name: &str) -> anyhow::Result<()> {
    let name = GroupName::parse(name).context("invalid group name")?;
    let storage = open_storage(config).await?;
    let result = storage.create_group(&name).await;
    storage.close().await;
    result?;
    println!("created the group “{name}”");
    Ok(())
}

/// Runs `work` with the storage and closes it whatever happens.
async fn with_storage<T>(
    config: &Config,
    work: impl AsyncFnOnce(&SharedStorage) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let storage = open_storage(config).await?;
    let result = work(&storage).await;
    storage.close().await;
    result
}

/// The longest name of an intake token.
pub const MAX_TOKEN_NAME_CHARS: usize = 80;

/// `tribune token create --name NAME`.
pub async fn token_create(config: &Config, name: &str) -> anyhow::Result<()> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_TOKEN_NAME_CHARS
        || name.contains(char::is_control)
    {
        bail!("invalid token name: one line of 1 to {MAX_TOKEN_NAME_CHARS} characters");
    }
    let (token, hash) = app::functions::ssr::random_token().map_err(|e| anyhow::anyhow!("{e}"))?;
    let id = with_storage(config, async |storage| {
        if storage.council().await?.is_none() {
            bail!("no council in this database yet: run `tribune init` first");
        }
        Ok(storage
            .create_intake_token(name, &hash, None, storage::now())
            .await?)
    })
    .await?;
    println!("created intake token {id} for “{name}”. It is shown only this once:");
    println!("{token}");
    Ok(())
}

/// `tribune token list`.
pub async fn token_list(config: &Config) -> anyhow::Result<()> {
    let tokens = with_storage(config, async |storage| Ok(storage.intake_tokens().await?)).await?;
    if tokens.is_empty() {
        println!("no intake tokens yet: `tribune token create --name NAME` makes one");
    }
    for token in tokens {
        let state = match token.revoked_at {
            Some(at) => format!("revoked {}", at.to_rfc3339()),
            None => "live".to_owned(),
        };
        println!(
            "{}\t{}\tcreated {}\t{state}",
            token.id,
            token.name,
            token.created_at.to_rfc3339()
        );
    }
    Ok(())
}

/// `tribune token revoke ID`.
pub async fn token_revoke(config: &Config, id: u64) -> anyhow::Result<()> {
    with_storage(config, async |storage| {
        match storage
            .revoke_intake_token(domain::cases::IntakeTokenId(id), storage::now())
            .await
        {
            Err(storage::StorageError::NotFound) => {
                bail!("there is no live intake token {id} (see `tribune token list`)")
            }
            other => Ok(other?),
        }
    })
    .await?;
    println!("revoked intake token {id}");
    Ok(())
}

/// The longest title of a policy clause.
pub const MAX_CLAUSE_TITLE_CHARS: usize = 200;

/// `tribune clause add CODE --title TITLE`.
pub async fn clause_add(config: &Config, code: &str, title: &str) -> anyhow::Result<()> {
    let clause = storage::Clause {
        code: domain::cases::ClauseCode::parse(code).map_err(|e| anyhow::anyhow!("{e}"))?,
        title: clause_title(title)?,
    };
    let added = with_storage(config, async |storage| {
        Ok(storage.add_clause(&clause, storage::now()).await?)
    })
    .await?;
    if !added {
        bail!("the catalogue already has a clause {}", clause.code);
    }
    println!(
        "added {} “{}” to the policy catalogue",
        clause.code, clause.title
    );
    Ok(())
}

/// A clause title: one line of 1 to 200 characters.
pub fn clause_title(title: &str) -> anyhow::Result<String> {
    let title = title.trim();
    if title.is_empty()
        || title.chars().count() > MAX_CLAUSE_TITLE_CHARS
        || title.contains(char::is_control)
    {
        bail!("invalid clause title: one line of 1 to {MAX_CLAUSE_TITLE_CHARS} characters");
    }
    Ok(title.to_owned())
}

/// `tribune clause list`.
pub async fn clause_list(config: &Config) -> anyhow::Result<()> {
    let clauses = with_storage(config, async |storage| Ok(storage.clauses().await?)).await?;
    if clauses.is_empty() {
        println!("the policy catalogue is empty: `tribune clause add CODE --title TITLE`");
    }
    for clause in clauses {
        println!("{}\t{}", clause.code, clause.title);
    }
    Ok(())
}

/// `tribune invite --role ROLE --group GROUP --name NAME [--member ID]`.
pub async fn invite(
    config: &Config,
    role: &str,
    group: &str,
    name: &str,
    member: Option<u64>,
) -> anyhow::Result<()> {
    let role = Role::parse(role).context("invalid --role")?;
    let group = GroupName::parse(group).context("invalid --group")?;
    let storage = open_storage(config).await?;
    let result = async {
        let log_key = require_log_key(config, &storage).await?;
        issue(config, &storage, log_key, &group, role, name, member).await
    }
    .await;
    storage.close().await;
    let issued = result?;
    print_invitation(&issued, name, role);
    Ok(())
}

fn print_invitation(issued: &app::functions::members::IssuedInvitation, name: &str, role: Role) {
    println!(
        "invitation for {} ({role}, member {}), valid until {} — open once, in the member's own browser:",
        name.trim(),
        issued.member,
        issued.expires_at.to_rfc3339()
    );
    println!("{}", issued.url);
}

/// `tribune init --name NAME [--origin ORIGIN]`.
pub async fn init(
    config: &Config,
    name: &str,
    origin: Option<&str>,
    admin_name: &str,
    admin_group: &str,
) -> anyhow::Result<()> {
    let name = CouncilName::parse(name).context("invalid --name")?;
    let admin_group = GroupName::parse(admin_group).context("invalid --admin-group")?;
    DisplayName::parse(admin_name).context("invalid --admin-name")?;
    let log_origin = match origin {
        Some(origin) => LogOrigin::parse(origin).context("invalid --origin")?,
        None => domain::council::suggested_origin(&name),
    };
    if domain::demo::is_demo_origin(&log_origin) {
        bail!(
            "the origin {log_origin} is reserved for demo councils (whose member keys are public): choose another --origin"
        );
    }
    let council = Council {
        name,
        log_origin,
        founded_at: storage::now(),
    };
    let storage = open_storage(config).await?;
    let result = async {
        let (vkey, log_key) = found(config, &storage, &council).await?;
        storage.create_group(&admin_group).await?;
        let issued = issue(
            config,
            &storage,
            log_key,
            &admin_group,
            Role::Admin,
            admin_name,
            None,
        )
        .await?;
        anyhow::Ok((vkey, issued))
    }
    .await;
    storage.close().await;
    let (vkey, issued) = result?;
    println!(
        "founded the council “{}” (log origin {}) in {}",
        council.name, council.log_origin, config.database_url
    );
    println!(
        "log signing key written to {} (keep it secret, back it up)",
        config.log_key_file.display()
    );
    println!("log public key: {vkey}");
    print_invitation(&issued, admin_name, Role::Admin);
    Ok(())
}

/// `tribune demo`: founds the demo council in a new database (and, unless
/// `bare`, fills it with its members, cases, votes and decisions), and
/// leaves an existing council alone.
pub async fn demo(config: &Config, bare: bool, cases: u32) -> anyhow::Result<()> {
    let storage = open_storage(config).await?;
    let result = async {
        if let Some(existing) = storage.council().await? {
            println!(
                "the database already holds the council “{}”; leaving it as it is",
                existing.name
            );
            return Ok(());
        }
        let council = Council {
            name: CouncilName::parse(DEMO_COUNCIL_NAME)?,
            log_origin: LogOrigin::parse(DEMO_LOG_ORIGIN)?,
            // Early enough for the generated past cases, if any.
            founded_at: crate::demo::founding_time(storage::now(), cases),
        };
        let (_, log_key) = found(config, &storage, &council).await?;
        for group in DEMO_GROUPS {
            storage.create_group(&GroupName::parse(group)?).await?;
        }
        for (code, title) in DEMO_CLAUSES {
            let clause = storage::Clause {
                code: domain::cases::ClauseCode::parse(code).map_err(|e| anyhow::anyhow!("{e}"))?,
                title: (*title).to_owned(),
            };
            storage.add_clause(&clause, council.founded_at).await?;
        }
        if !bare {
            // A demo that fails half-way is started again in a new
            // database: its writes need not wait for the disk one by one.
            storage.bulk_load(true).await?;
            let made = crate::demo::populate(&storage, &log_key, cases).await?;
            storage.bulk_load(false).await?;
            println!(
                "demo: {} members (sign in as one of them from the sign-in page), {} cases, {} published decisions",
                made.members, made.cases, made.decisions
            );
        }
        let issued = issue(
            config,
            &storage,
            log_key,
            &GroupName::parse(DEMO_GROUPS[3])?,
            Role::Admin,
            DEMO_ADMIN,
            None,
        )
        .await?;
        println!("founded the demo council “{}”", council.name);
        print_invitation(&issued, DEMO_ADMIN, Role::Admin);
        Ok(())
    }
    .await;
    storage.close().await;
    result
}

/// Creates the log key file, then records the founding (council, log key,
/// entry 0, first checkpoint) in one transaction. If the database refuses,
/// the new key file is removed again. Returns the log's public key and its
/// signing key.
async fn found(
    config: &Config,
    storage: &SharedStorage,
    council: &Council,
) -> anyhow::Result<(String, NoteSigner)> {
    if let Some(existing) = storage.council().await? {
        bail!(
            "this database already holds the council “{}”: `tribune init` runs only once per database",
            existing.name
        );
    }
    let key = create_log_key(&config.log_key_file, council.log_origin.as_str())?;
    let genesis =
        domain::genesis::genesis(council, &key).context("cannot build the founding entry")?;
    match storage.found_council(&genesis).await {
        Ok(()) => Ok((genesis.log_vkey, key)),
        Err(error) => {
            // Nothing was founded: the key signs nothing and must not linger.
            let _ = std::fs::remove_file(&config.log_key_file);
            match error {
                StorageError::CouncilExists => bail!(
                    "this database already holds a council: `tribune init` runs only once per database"
                ),
                other => Err(other.into()),
            }
        }
    }
}

/// Generates the log signing key and writes it to `path` (C2SP private key
/// encoding, owner-only permissions). Never overwrites an existing file.
fn create_log_key(path: &Path, origin: &str) -> anyhow::Result<NoteSigner> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("cannot get random bytes: {e}"))?;
    let key = NoteSigner::from_seed(origin, &seed).context("cannot create the log key")?;
    write_secret_file(path, &key.to_skey(), "log key")?;
    Ok(key)
}

/// Writes a secret (a key) to a new file with owner-only permissions,
/// synced; refuses to overwrite an existing file.
pub fn write_secret_file(path: &Path, secret: &str, what: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the directory {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|error| {
        if error.kind() == std::io::ErrorKind::AlreadyExists {
            anyhow::anyhow!(
                "the {what} file {} already exists: refusing to overwrite it (move it away, or choose another path)",
                path.display()
            )
        } else {
            anyhow::anyhow!("cannot write the {what} file {}: {error}", path.display())
        }
    })?;
    file.write_all(format!("{secret}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write the {what} file {}", path.display()))
}

/// Leptos's own settings (`LEPTOS_SITE_ADDR`, `LEPTOS_SITE_ROOT`, …).
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    match get_configuration(None) {
        Ok(conf) => Ok(conf.leptos_options),
        Err(error) => bail!(
            "invalid Leptos settings: {error} (build with `cargo leptos build`, or set LEPTOS_OUTPUT_NAME=tribune)"
        ),
    }
}

fn warn_if_site_is_missing(options: &LeptosOptions) {
    let script = Path::new(options.site_root.as_ref())
        .join(options.site_pkg_dir.as_ref())
        .join(format!("{}.js", options.output_name));
    if !script.is_file() {
        tracing::warn!(
            missing = %script.display(),
            "the browser bundle is missing: pages will render but not hydrate (run `cargo leptos build`, or set LEPTOS_SITE_ROOT)"
        );
    }
}

pub(crate) async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
