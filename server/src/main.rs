//! `tribune`: parses the command line, sets up tracing and runs a command.

use clap::Parser;
use server::commands;
use server::config::{ClauseCommand, Cli, Command, GroupCommand, TokenCommand};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

/// mimalloc rather than glibc's malloc: see server/Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_new(&cli.config.log).unwrap_or_else(|error| {
        eprintln!("tribune: ignoring invalid --log-filter/TRIBUNE_LOG ({error}); using `info`");
        EnvFilter::new("info")
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();

    if matches!(cli.command, Some(Command::Demo { .. })) {
        // Before the runtime's threads and SQLite's exist, so that they
        // inherit it.
        server::demo::keep_to_one_core();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("tribune: error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    let config = &cli.config;
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => commands::serve(config).await,
        Command::Migrate => commands::migrate(config).await,
        Command::Init {
            name,
            origin,
            admin_name,
            admin_group,
        } => commands::init(config, &name, origin.as_deref(), &admin_name, &admin_group).await,
        Command::Group {
            command: GroupCommand::Add { name },
        } => commands::group_add(config, &name).await,
        Command::Invite {
            role,
            group,
            name,
            member,
        } => commands::invite(config, &role, &group, &name, member).await,
        Command::Token { command } => match command {
            TokenCommand::Create { name } => commands::token_create(config, &name).await,
            TokenCommand::List => commands::token_list(config).await,
            TokenCommand::Revoke { id } => commands::token_revoke(config, id).await,
        },
        Command::Clause { command } => match command {
            ClauseCommand::Add { code, title } => commands::clause_add(config, &code, &title).await,
            ClauseCommand::List => commands::clause_list(config).await,
        },
        Command::Demo { bare, cases } => commands::demo(config, bare, cases).await,
        Command::WitnessKey { name, key } => server::witness::create_key(&name, &key),
        Command::Witness {
            log,
            key,
            log_key,
            state,
            once,
            interval,
        } => {
            // The witness blocks between looks at the log: off the runtime.
            tokio::task::spawn_blocking(move || {
                server::witness::run(
                    &log,
                    &key,
                    log_key.as_deref(),
                    state.as_deref(),
                    once,
                    interval,
                )
            })
            .await
            .unwrap_or_else(|e| Err(anyhow::anyhow!("the witness stopped: {e}")))
        }
        Command::WitnessServe {
            listen,
            key,
            log_key,
            state,
        } => server::witness::serve(listen, &key, log_key.as_deref(), state.as_deref()).await,
        Command::Export { dir } => server::ledger::export(config, &dir).await,
        Command::Verify {
            source,
            key,
            since,
            witnesses,
            witness_quorum,
        } => server::ledger::verify(
            &source,
            key.as_deref(),
            since.as_ref(),
            &witnesses,
            witness_quorum,
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, causes included, no backtrace.
            eprintln!("tribune: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
