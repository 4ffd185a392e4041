//! The one configuration struct, read from flags and the environment.
//! Leptos reads its own `LEPTOS_*` variables (site address, site root).

use clap::{Args, Parser, Subcommand};
use storage::DatabaseUrl;

/// Tribune: deliberation, signed votes and a verifiable decision log for a
/// content-moderation council.
#[derive(Debug, Parser)]
#[command(name = "tribune", version)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Database URL: `sqlite://PATH` (file and directory created if missing)
    /// or `postgres://USER:PASSWORD@HOST:PORT/DATABASE`.
    #[arg(
        long,
        env = "TRIBUNE_DATABASE_URL",
        default_value = "sqlite://data/tribune.db",
        hide_env_values = true,
        global = true
    )]
    pub database_url: DatabaseUrl,

    /// The log signing key file: written by `tribune init` (owner-only
    /// permissions, never overwritten). Keep it secret and backed up.
    #[arg(
        long,
        env = "TRIBUNE_LOG_KEY_FILE",
        default_value = "data/log.key",
        global = true
    )]
    pub log_key_file: std::path::PathBuf,

    /// The site's public address, as members type it: invitation links are
    /// made from it, state-changing requests must come from its origin, and
    /// over `https://` the session cookie is `__Host-` prefixed and `Secure`.
    /// Default: `http://` and LEPTOS_SITE_ADDR.
    #[arg(long, env = "TRIBUNE_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// How long an invitation link stays valid, in hours.
    #[arg(long, env = "TRIBUNE_INVITATION_HOURS", default_value_t = 72, global = true,
          value_parser = clap::value_parser!(u32).range(1..=2160))]
    pub invitation_hours: u32,

    /// How long a sign-in lasts, in hours.
    #[arg(long, env = "TRIBUNE_SESSION_HOURS", default_value_t = 24, global = true,
          value_parser = clap::value_parser!(u32).range(1..=720))]
    pub session_hours: u32,

    /// Sign-in, enrollment and public comment requests allowed per client address per minute
    /// (each); beyond it the server answers 429.
    #[arg(long, env = "TRIBUNE_RATE_LIMIT", default_value_t = 20, global = true,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit_per_minute: u32,

    /// The proxies (addresses or networks, separated by commas, e.g.
    /// `10.0.0.0/8,127.0.0.1`) whose `X-Forwarded-For` or `Forwarded` header names
    /// the client for rate limits. Default: none, the connection's address counts.
    #[arg(long, env = "TRIBUNE_TRUSTED_PROXIES", global = true, value_delimiter = ',',
          value_parser = parse_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// How often, in seconds, the server looks for motions whose voting window has ended
    /// and closes them.
    #[arg(long, env = "TRIBUNE_CLOSER_SECONDS", default_value_t = 30, global = true,
          value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub closer_seconds: u32,

    /// The council's witness policy: a witness whose cosignatures count (C2SP
    /// vkey, type 0x04, as `tribune witness-key` prints it); repeatable, or
    /// comma-separated in the environment. Published at `/log/witnesses`.
    #[arg(
        long = "policy-witness",
        env = "TRIBUNE_WITNESSES",
        value_delimiter = ',',
        global = true
    )]
    pub policy_witnesses: Vec<String>,

    /// A witness that takes this log's checkpoints by C2SP tlog-witness: its
    /// submission prefix (`https://witness.example/civic`, to which
    /// `/add-checkpoint` is appended); repeatable, or comma-separated in the
    /// environment. Each new checkpoint is submitted to each, with a
    /// consistency proof; their cosignatures count if they are in the policy.
    #[arg(
        long = "witness-url",
        env = "TRIBUNE_WITNESS_URLS",
        value_delimiter = ',',
        global = true
    )]
    pub witness_urls: Vec<String>,

    /// How many of the policy's witnesses must cosign a checkpoint for it,
    /// and the decisions it covers, to be final (default: all of them).
    #[arg(long = "policy-quorum", env = "TRIBUNE_WITNESS_QUORUM", global = true)]
    pub policy_quorum: Option<usize>,

    /// Log filter, in `tracing` env-filter syntax (e.g. `info,sqlx=warn`).
    #[arg(
        long = "log-filter",
        env = "TRIBUNE_LOG",
        default_value = "info,sqlx=warn",
        global = true
    )]
    pub log: String,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the web app (the default). Listens on LEPTOS_SITE_ADDR (127.0.0.1:3000).
    Serve,
    /// Apply pending database migrations and exit (serve also does this at start-up).
    Migrate,
    /// Found the council in a new database and print the first admin's
    /// one-time invitation link. Refuses to run twice.
    Init {
        /// The council's name, as the public sees it.
        #[arg(long)]
        name: String,
        /// The log origin, the first line of every checkpoint (e.g. `tribune.example.org/log`).
        /// Defaults to `tribune/` and the name in lower case.
        #[arg(long)]
        origin: Option<String>,
        /// The first admin's display name.
        #[arg(long, default_value = "Administrator")]
        admin_name: String,
        /// The group the first admin belongs to (created).
        #[arg(long, default_value = "Secretariat")]
        admin_group: String,
    },
    /// Manage groups (constituencies).
    Group {
        #[command(subcommand)]
        command: GroupCommand,
    },
    /// Print a one-time invitation link for a new member (or, with
    /// --member, for a member whose key was revoked).
    Invite {
        /// admin, chair, clerk or member.
        #[arg(long)]
        role: String,
        /// The member's group (must exist: see `tribune group add`).
        #[arg(long)]
        group: String,
        /// The member's display name.
        #[arg(long)]
        name: String,
        /// Re-enroll this existing member id with a new key.
        #[arg(long)]
        member: Option<u64>,
    },
    /// Manage the platform's intake tokens (for `POST /api/v1/cases`).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Manage the policy catalogue (the clauses cases are judged under).
    Clause {
        #[command(subcommand)]
        command: ClauseCommand,
    },
    /// Found a fictional demo council when the database is new (members with
    /// public demo keys, cases at every stage, votes, decisions); otherwise do nothing.
    Demo {
        /// Only the council, its groups and clauses, and an admin invitation.
        #[arg(long, conflicts_with = "cases")]
        bare: bool,
        /// How many cases in all: beyond the nine of today, past cases are
        /// generated, four hours apart, most of them decided and published
        /// (at most 100,000).
        #[arg(long, default_value_t = crate::demo::HANDCRAFTED_CASES,
              value_parser = clap::value_parser!(u32).range(9..=100_000))]
        cases: u32,
    },
    /// Create a witness signing key (owner-only file, never overwritten) and
    /// print its public key, for the council's witness policy.
    WitnessKey {
        /// The witness's name, e.g. `civil-rights.example/witness`.
        #[arg(long)]
        name: String,
        /// Where to write the key.
        #[arg(long)]
        key: std::path::PathBuf,
    },
    /// Run a witness: follow a council's log, check that each new checkpoint
    /// is consistent with the last one cosigned, cosign it and submit the
    /// cosignature; refuse (and say why) when the log forked or was rewritten.
    Witness {
        /// The council's address (`https://tribune.example.org`).
        #[arg(long)]
        log: String,
        /// The witness key file (see `tribune witness-key`).
        #[arg(long)]
        key: std::path::PathBuf,
        /// The log's public key (C2SP vkey), obtained independently; needed on
        /// the first run, then kept in the state file.
        #[arg(long)]
        log_key: Option<String>,
        /// Where the witness keeps the last checkpoint it cosigned (default:
        /// the key file's path with `.state` appended).
        #[arg(long)]
        state: Option<std::path::PathBuf>,
        /// Check and cosign once, then exit (non-zero on a refusal).
        #[arg(long)]
        once: bool,
        /// Seconds between two looks at the log.
        #[arg(long, default_value_t = 60,
              value_parser = clap::value_parser!(u64).range(1..=86_400))]
        interval: u64,
    },
    /// Run a witness as an HTTP service speaking C2SP tlog-witness: a log
    /// submits each new checkpoint to `POST /add-checkpoint` with a
    /// consistency proof from the last one this witness cosigned; the witness
    /// records it durably, then answers with its cosignature.
    WitnessServe {
        /// The address to listen on, e.g. `127.0.0.1:3100`.
        #[arg(long)]
        listen: std::net::SocketAddr,
        /// The witness key file (see `tribune witness-key`).
        #[arg(long)]
        key: std::path::PathBuf,
        /// The log's public key (C2SP vkey), obtained independently; needed on
        /// the first run, then kept in the state file.
        #[arg(long)]
        log_key: Option<String>,
        /// Where the witness keeps the last checkpoint it cosigned (default:
        /// the key file's path with `.state` appended).
        #[arg(long)]
        state: Option<std::path::PathBuf>,
    },
    /// Write a complete offline copy of the log (checkpoint, key, tiles) into DIR.
    Export {
        /// The directory to write (created if missing).
        dir: std::path::PathBuf,
    },
    /// Check an exported copy of the log: the checkpoint's signature, every
    /// entry's signature, every tile, and (with --since) that an older
    /// checkpoint is a prefix. Exits non-zero naming the first fault.
    Verify {
        /// A directory written by `tribune export` (or any tlog-tiles mirror),
        /// or a server's address (`https://tribune.example.org`).
        source: String,
        /// The log's public key (C2SP vkey), obtained independently of the copy.
        #[arg(long)]
        key: Option<String>,
        /// An older signed checkpoint the log must extend.
        #[arg(long)]
        since: Option<std::path::PathBuf>,
        /// A witness whose cosignature counts (C2SP vkey, type 0x04); repeatable.
        #[arg(long = "witness")]
        witnesses: Vec<String>,
        /// How many of the witnesses must have cosigned the checkpoint
        /// (default: all of those given).
        #[arg(long)]
        witness_quorum: Option<usize>,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum GroupCommand {
    /// Create a group.
    Add {
        /// The group's name (1 to 60 characters).
        name: String,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum TokenCommand {
    /// Create an intake token and print it (once: only its hash is stored).
    Create {
        /// Who uses it, e.g. "Platform trust & safety" (1 to 80 characters).
        #[arg(long)]
        name: String,
    },
    /// List the intake tokens (never their secrets).
    List,
    /// Revoke an intake token: the platform can no longer escalate with it.
    Revoke {
        /// The token's id (see `tribune token list`).
        id: u64,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum ClauseCommand {
    /// Add a clause to the policy catalogue.
    Add {
        /// Its code, e.g. `HS-2` (upper-case letters, digits, '-' and '.').
        code: String,
        /// Its title, e.g. "Hateful conduct" (1 to 200 characters).
        #[arg(long)]
        title: String,
    },
    /// List the policy catalogue.
    List,
}

impl Config {
    /// The witness policy from `--policy-witness` and `--policy-quorum`.
    pub fn witness_policy(&self) -> anyhow::Result<domain::cosignature::CosignaturePolicy> {
        let vkeys: Vec<String> = self
            .policy_witnesses
            .iter()
            .map(|w| w.trim().to_owned())
            .filter(|w| !w.is_empty())
            .collect();
        domain::cosignature::CosignaturePolicy::new(&vkeys, self.policy_quorum).map_err(|e| {
            anyhow::anyhow!(
                "invalid witness policy (--policy-witness/TRIBUNE_WITNESSES, --policy-quorum/TRIBUNE_WITNESS_QUORUM): {e}"
            )
        })
    }

    /// The public URL, defaulting to the address the server listens on.
    pub fn public_url(&self, site_addr: std::net::SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_owned()
    }
}

/// A network (`10.0.0.0/8`) or a single address (`127.0.0.1`, `::1`).
fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("`{text}` is not an IP address or network (like 10.0.0.0/8)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        assert_eq!(
            parse_network("10.0.0.0/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(
            parse_network(" 127.0.0.1 ").unwrap().to_string(),
            "127.0.0.1/32"
        );
        assert_eq!(parse_network("::1").unwrap().to_string(), "::1/128");
        assert!(parse_network("proxy.internal").is_err());
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_is_the_default_and_sqlite_the_default_database() {
        let cli = Cli::try_parse_from(["tribune"]).unwrap();
        assert!(cli.command.is_none());
        // The environment may set TRIBUNE_DATABASE_URL; an explicit flag wins over it.
        let cli = Cli::try_parse_from(["tribune", "migrate", "--database-url", "sqlite::memory:"])
            .unwrap();
        assert!(matches!(cli.command, Some(Command::Migrate)));
        assert_eq!(cli.config.database_url.expose(), "sqlite::memory:");
    }

    #[test]
    fn init_needs_a_name() {
        assert!(Cli::try_parse_from(["tribune", "init"]).is_err());
        let cli = Cli::try_parse_from(["tribune", "init", "--name", "Harbour Council"]).unwrap();
        assert!(
            matches!(cli.command, Some(Command::Init { name, origin: None, .. }) if name == "Harbour Council")
        );
    }
}
