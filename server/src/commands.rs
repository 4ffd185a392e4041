//! The command-line commands. Each returns `anyhow::Result` whose error is
//! printed by `main` as one line saying what to fix.

use crate::config::Config;
use anyhow::{Context, bail};
use domain::{Council, CouncilName, LogOrigin};
use leptos::config::{LeptosOptions, get_configuration};
use std::path::Path;
use storage::{SharedStorage, StorageError};
use tokio::net::TcpListener;

/// The demo council `make run` founds in a new database (fictional, like all demo data).
pub const DEMO_COUNCIL_NAME: &str = "Harbour Content Council";
pub const DEMO_LOG_ORIGIN: &str = "demo.tribune.example/harbour";

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
    let storage = open_storage(config).await?;
    match storage.council().await? {
        Some(council) => tracing::info!(council = %council.name, "council loaded"),
        None => tracing::warn!("no council in this database yet: run `tribune init --name NAME`"),
    }
    warn_if_site_is_missing(&options);

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

    let app = crate::web::router(options, storage.clone());
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server error")?;
    storage.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// `tribune migrate`.
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let storage = open_storage(config).await?;
    storage.close().await;
    println!("database {} is up to date", config.database_url);
    Ok(())
}

/// `tribune init --name NAME [--origin ORIGIN]`.
pub async fn init(config: &Config, name: &str, origin: Option<&str>) -> anyhow::Result<()> {
    let name = CouncilName::parse(name).context("invalid --name")?;
    let log_origin = match origin {
        Some(origin) => LogOrigin::parse(origin).context("invalid --origin")?,
        None => LogOrigin::suggested_for(&name),
    };
    let council = Council {
        name,
        log_origin,
        founded_at: storage::now(),
    };
    let storage = open_storage(config).await?;
    let result = found(&storage, &council).await;
    storage.close().await;
    result?;
    println!(
        "founded the council “{}” (log origin {}) in {}",
        council.name, council.log_origin, config.database_url
    );
    Ok(())
}

/// `tribune demo`: founds the demo council in a new database, and leaves an
/// existing council alone.
pub async fn demo(config: &Config) -> anyhow::Result<()> {
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
            founded_at: storage::now(),
        };
        found(&storage, &council).await?;
        println!("founded the demo council “{}”", council.name);
        Ok(())
    }
    .await;
    storage.close().await;
    result
}

async fn found(storage: &SharedStorage, council: &Council) -> anyhow::Result<()> {
    match storage.found_council(council).await {
        Ok(()) => Ok(()),
        Err(StorageError::CouncilExists) => {
            let existing = storage
                .council()
                .await?
                .map_or_else(String::new, |c| format!(" “{}”", c.name));
            bail!(
                "this database already holds the council{existing}: `tribune init` runs only once per database"
            )
        }
        Err(other) => Err(other.into()),
    }
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

async fn shutdown_signal() {
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
