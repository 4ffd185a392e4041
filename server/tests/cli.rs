//! The `tribune` binary as an operator meets it: `init` once, `migrate`,
//! `demo`, and start-up failures that end in one line saying what to fix.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

use std::path::PathBuf;
use std::process::{Command, Output};

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tribune-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `tribune ARGS` on the given database, listening (if it serves) on
/// `site_addr`. A SQLite database keeps its log key file beside it.
fn tribune_command(database_url: &str, site_addr: Option<&str>, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tribune"));
    let key_file = match database_url.strip_prefix("sqlite://") {
        Some(path) => format!("{path}.log.key"),
        None => std::env::temp_dir()
            .join(format!("tribune-cli-{}-unused.key", std::process::id()))
            .display()
            .to_string(),
    };
    command
        .args(args)
        .env("TRIBUNE_DATABASE_URL", database_url)
        .env("TRIBUNE_LOG_KEY_FILE", key_file)
        .env("LEPTOS_OUTPUT_NAME", "tribune")
        .env("TRIBUNE_LOG", "info");
    match site_addr {
        Some(addr) => command.env("LEPTOS_SITE_ADDR", addr),
        None => command.env_remove("LEPTOS_SITE_ADDR"),
    };
    command
}

fn tribune(database_url: &str, args: &[&str]) -> Output {
    tribune_command(database_url, None, args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A failure is one `tribune: error: …` line on stderr, with no panic or backtrace.
fn assert_one_line_error(output: &Output, expected: &str) -> String {
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "should have failed: {stderr}");
    let errors: Vec<_> = stderr
        .lines()
        .filter(|l| l.starts_with("tribune: error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains(expected), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    errors[0].to_owned()
}

#[test]
fn init_founds_the_council_once_and_refuses_a_second_time() {
    let dir = scratch_dir("init");
    let url = format!("sqlite://{}/data/tribune.db", dir.display());

    let first = tribune(&url, &["init", "--name", "Harbour Council"]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout)
            .contains("founded the council “Harbour Council” (log origin tribune/harbour-council)")
    );
    assert!(text(&first.stdout).contains("log public key: tribune/harbour-council+"));

    // The key file: owner-only, a C2SP private key for the log origin.
    let key_file = dir.join("data/tribune.db.log.key");
    let key = std::fs::read_to_string(&key_file).unwrap();
    assert!(
        key.starts_with("PRIVATE+KEY+tribune/harbour-council+"),
        "{key}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let second = tribune(&url, &["init", "--name", "Another Council"]);
    assert_one_line_error(&second, "already holds the council “Harbour Council”");
    // The key file was neither replaced nor removed.
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), key);

    // `demo` leaves an existing council alone and succeeds.
    let demo = tribune(&url, &["demo"]);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    assert!(text(&demo.stdout).contains("leaving it as it is"));

    let migrate = tribune(&url, &["migrate"]);
    assert!(migrate.status.success(), "{}", text(&migrate.stderr));
    assert!(text(&migrate.stdout).contains("is up to date"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn init_refuses_an_invalid_name_or_origin_and_writes_nothing() {
    let dir = scratch_dir("invalid");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    assert_one_line_error(
        &tribune(&url, &["init", "--name", "   "]),
        "invalid --name: the council name is empty",
    );
    assert_one_line_error(
        &tribune(
            &url,
            &["init", "--name", "Harbour", "--origin", "has space"],
        ),
        "invalid --origin",
    );
    // Nothing was founded: a valid init still works.
    let ok = tribune(
        &url,
        &[
            "init",
            "--name",
            "Harbour",
            "--origin",
            "harbour.example/log",
        ],
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn demo_founds_the_demo_council_in_a_new_database() {
    let dir = scratch_dir("demo");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    let demo = tribune(&url, &["demo"]);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    assert!(text(&demo.stdout).contains("founded the demo council “Harbour Content Council”"));
    assert!(
        text(&demo.stdout).contains("demo: 8 members"),
        "{}",
        text(&demo.stdout)
    );
    // Its whole life, votes, opinions and decisions included, verifies.
    let export = dir.join("export");
    let exported = tribune(&url, &["export", export.to_str().unwrap()]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let verified = tribune(&url, &["verify", export.to_str().unwrap()]);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    assert!(
        text(&verified.stdout).contains("; 2 decisions, each naming every vote and opinion"),
        "{}",
        text(&verified.stdout)
    );
    assert!(
        text(&verified.stdout).contains(
            "2 public decision records match the log: every vote, opinion and tally as signed"
        ),
        "{}",
        text(&verified.stdout)
    );

    // A vote row altered in the database (the operator dropping the
    // append-only trigger): the log still verifies, but the public record
    // no longer matches it, and verify names the vote's entry.
    let (entry, choice) = tamper_with_a_vote(&dir.join("tribune.db"));
    let tampered = dir.join("tampered");
    let exported = tribune(&url, &["export", tampered.to_str().unwrap()]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let line = assert_one_line_error(
        &tribune(&url, &["verify", tampered.to_str().unwrap()]),
        &format!("does not match the log at entry {entry}"),
    );
    assert!(
        line.contains(&format!("the page shows “{choice}”")),
        "{line}"
    );
    // A bare demo is the council alone.
    let bare_dir = scratch_dir("demo-bare");
    let bare_url = format!("sqlite://{}/tribune.db", bare_dir.display());
    let bare = tribune(&bare_url, &["demo", "--bare"]);
    assert!(bare.status.success(), "{}", text(&bare.stderr));
    assert!(!text(&bare.stdout).contains("demo: "));
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(bare_dir).unwrap();
}

#[test]
fn demo_cases_adds_a_verifiable_past_and_refuses_impossible_counts() {
    let dir = scratch_dir("demo-cases");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    let demo = tribune(&url, &["demo", "--cases", "48"]);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    let out = text(&demo.stdout);
    assert!(out.contains("demo: 8 members"), "{out}");
    assert!(out.contains(", 48 cases, "), "{out}");
    // Off a terminal, progress comes as one line per tenth.
    assert!(
        text(&demo.stderr).contains("demo: past cases: 39/39 (100%)"),
        "{}",
        text(&demo.stderr)
    );
    // Most past cases were published; all of them verify with today's.
    let published: usize = out
        .split(" cases, ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!((20..=42).contains(&published), "{out}");
    let export = dir.join("export");
    let exported = tribune(&url, &["export", export.to_str().unwrap()]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let verified = tribune(&url, &["verify", export.to_str().unwrap()]);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    assert!(
        text(&verified.stdout).contains(&format!(
            "{published} public decision records match the log"
        )),
        "{}",
        text(&verified.stdout)
    );

    // Fewer cases than today's eight, or a bare council with cases: refused,
    // and nothing founded.
    let other = scratch_dir("demo-cases-refused");
    let other_url = format!("sqlite://{}/tribune.db", other.display());
    for args in [
        &["demo", "--cases", "7"][..],
        &["demo", "--cases", "ten"],
        &["demo", "--bare", "--cases", "20"],
    ] {
        let refused = tribune(&other_url, args);
        assert!(!refused.status.success(), "{args:?}");
        assert!(
            text(&refused.stderr).contains("--cases"),
            "{}",
            text(&refused.stderr)
        );
    }
    assert!(!other.join("tribune.db").exists());
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(other).ok();
}

/// Changes the choice of the first vote on a published decision in the
/// SQLite file, as an operator with the database could; returns the vote's
/// log entry (its reveal, when sealed) and the choice it now shows.
fn tamper_with_a_vote(db: &std::path::Path) -> (i64, String) {
    use sqlx::Connection as _;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        let (motion, member, sequence, choice, entry): (i64, i64, i64, String, i64) =
            sqlx::query_as(
                "SELECT v.motion_id, v.member_id, v.sequence, v.choice, \
                 COALESCE(r.log_index, v.log_index) FROM votes v \
                 JOIN motions m ON m.id = v.motion_id JOIN decisions d ON d.case_id = m.case_id \
                 LEFT JOIN vote_reveals r ON r.motion_id = v.motion_id \
                   AND r.member_id = v.member_id AND r.sequence = v.sequence \
                 ORDER BY v.log_index LIMIT 1",
            )
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let other = if choice == "support" { "oppose" } else { "support" };
        sqlx::query("DROP TRIGGER votes_no_update")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query(
            "UPDATE votes SET choice = $1 WHERE motion_id = $2 AND member_id = $3 AND sequence = $4",
        )
        .bind(other)
        .bind(motion)
        .bind(member)
        .bind(sequence)
        .execute(&mut conn)
        .await
        .unwrap();
        (entry, other.to_owned())
    })
}

#[test]
fn init_refuses_the_demo_origins() {
    let dir = scratch_dir("demo-origin");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    assert_one_line_error(
        &tribune(
            &url,
            &[
                "init",
                "--name",
                "Harbour",
                "--origin",
                "demo.tribune.example/mine",
            ],
        ),
        "reserved for demo councils",
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_unusable_data_directory_stops_start_up_with_one_line() {
    let dir = scratch_dir("datadir");
    let file = dir.join("a-file");
    std::fs::write(&file, b"").unwrap();
    let url = format!("sqlite://{}/data/tribune.db", file.display());
    let line = assert_one_line_error(
        &tribune(&url, &["serve"]),
        "cannot create the data directory",
    );
    assert!(line.contains("a-file/data"), "{line}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_unreachable_database_stops_start_up_with_one_line_and_no_password() {
    let line = assert_one_line_error(
        &tribune("postgres://tribune:s3cret@127.0.0.1:1/tribune", &["serve"]),
        "cannot open the database postgres://tribune:***@127.0.0.1:1/tribune",
    );
    assert!(!line.contains("s3cret"), "{line}");
}

#[test]
fn an_unsupported_database_url_is_named() {
    assert_one_line_error(
        &tribune("mysql://root@localhost/tribune", &["migrate"]),
        "unsupported database URL `mysql://root@localhost/tribune`",
    );
}

#[test]
fn a_port_in_use_stops_start_up_with_one_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = scratch_dir("port");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    let output = tribune_command(&url, Some(&addr), &["serve"])
        .output()
        .unwrap();
    assert_one_line_error(&output, &format!("cannot listen on {addr}"));
    drop(taken);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_invalid_witness_policy_stops_start_up_with_one_line() {
    let dir = scratch_dir("witness-policy");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    found_harbour_council(&url);
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = free.local_addr().unwrap().to_string();
    drop(free);
    for (witnesses, quorum) in [("not-a-vkey", "1"), ("", "2")] {
        let output = tribune_command(&url, Some(&addr), &["serve"])
            .env("TRIBUNE_WITNESSES", witnesses)
            .env("TRIBUNE_WITNESS_QUORUM", quorum)
            .output()
            .unwrap();
        assert_one_line_error(&output, "invalid witness policy");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// Starts `tribune serve` on a free port and waits for `/healthz`; returns
/// the child (stderr piped) and the health response.
#[cfg(unix)]
fn start_server(url: &str) -> (std::process::Child, String) {
    let (server, _, healthy) = start_server_at(url);
    (server, healthy)
}

#[cfg(unix)]
fn start_server_at(url: &str) -> (std::process::Child, String, String) {
    start_server_with(url, &[])
}

/// Starts `tribune serve` with extra environment variables.
#[cfg(unix)]
fn start_server_with(url: &str, env: &[(&str, &str)]) -> (std::process::Child, String, String) {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};

    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let addr = format!("127.0.0.1:{port}");
    let server = tribune_command(url, Some(&addr), &["serve"])
        .envs(env.iter().copied())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let healthy = loop {
        if let Ok(mut stream) = std::net::TcpStream::connect(&addr) {
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut response = String::new();
            stream.read_to_string(&mut response).unwrap();
            break response;
        }
        assert!(Instant::now() < deadline, "the server never answered");
        std::thread::sleep(Duration::from_millis(100));
    };
    (server, addr, healthy)
}

#[cfg(unix)]
#[test]
fn verify_checks_a_live_server_over_http() {
    let dir = scratch_dir("live");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    let vkey = found_harbour_council(&url);
    let (mut server, addr, _) = start_server_at(&url);

    let site = format!("http://{addr}");
    let ok = tribune(&url, &["verify", &site, "--key", &vkey]);
    let wrong_key = tribune(
        &url,
        &[
            "verify",
            &format!("{site}/log"),
            "--key",
            "tribune/harbour-council+00000000+AYqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c",
        ],
    );
    let unreachable = tribune(&url, &["verify", "http://127.0.0.1:1", "--key", &vkey]);
    server.kill().unwrap();
    server.wait().unwrap();

    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).starts_with("ok: log tribune/harbour-council, 1 entries"));
    assert!(!wrong_key.status.success());
    assert_one_line_error(
        &unreachable,
        "cannot fetch http://127.0.0.1:1/log/checkpoint",
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A database on a read-only file system: `tribune serve` ends at once
/// with one line saying so, rather than serving pages and refusing every
/// write (issue 28, fault 7). The file system is made read-only with a bind
/// mount in a mount namespace of the test's own (`unshare -m`, as root).
#[cfg(unix)]
#[test]
fn a_read_only_database_is_refused_at_start() {
    let dir = scratch_dir("read-only");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    found_harbour_council(&url);
    let shown = dir.display().to_string();
    let serve = tribune_command(&url, Some("127.0.0.1:0"), &["serve"]);
    let mut script =
        format!("mount --bind '{shown}' '{shown}' && mount -o remount,ro,bind '{shown}' && exec");
    script.push_str(&format!(" '{}'", serve.get_program().to_string_lossy()));
    for arg in serve.get_args() {
        script.push_str(&format!(" '{}'", arg.to_string_lossy()));
    }
    let mut command = Command::new("unshare");
    command.args(["-m", "sh", "-c", &script]);
    for (key, value) in serve.get_envs() {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    let output = command.output().expect("unshare (util-linux) runs");
    assert_one_line_error(&output, "Read-only file system");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A second `tribune serve` on the SQLite file a first one serves is
/// refused with one line (issue 28, fault 7): two writers, each keeping the
/// log's state in memory, would each believe it is the only one.
#[cfg(unix)]
#[test]
fn a_second_server_on_one_sqlite_file_is_refused() {
    use std::time::{Duration, Instant};
    let dir = scratch_dir("second-server");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    found_harbour_council(&url);
    let (mut first, _, healthy) = start_server_at(&url);
    assert!(healthy.starts_with("HTTP/1.1 200"), "{healthy}");
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let mut second = tribune_command(&url, Some(&format!("127.0.0.1:{port}")), &["serve"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while second.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            second.kill().unwrap();
            first.kill().unwrap();
            panic!("the second server started on the same database");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = second.wait_with_output().unwrap();
    first.kill().unwrap();
    first.wait().unwrap();
    assert_one_line_error(&output, "another `tribune serve` is using the database");
    // Once the first has stopped, the database is free again.
    let (mut again, _, healthy) = start_server_at(&url);
    again.kill().unwrap();
    again.wait().unwrap();
    assert!(healthy.starts_with("HTTP/1.1 200"), "{healthy}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[cfg(unix)]
#[test]
fn sigterm_shuts_the_server_down_gracefully() {
    let dir = scratch_dir("sigterm");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    let (server, healthy) = start_server(&url);
    assert!(healthy.starts_with("HTTP/1.1 200"), "{healthy}");

    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = server.wait_with_output().unwrap();
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("shutting down"), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn init_never_overwrites_an_existing_key_file_and_founds_nothing() {
    let dir = scratch_dir("keyfile");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    let key_file = dir.join("tribune.db.log.key");
    std::fs::write(&key_file, "precious\n").unwrap();
    assert_one_line_error(
        &tribune(&url, &["init", "--name", "Harbour"]),
        "already exists: refusing to overwrite it",
    );
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), "precious\n");
    // Nothing was founded: after moving the file away, init works.
    std::fs::remove_file(&key_file).unwrap();
    let ok = tribune(&url, &["init", "--name", "Harbour"]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    std::fs::remove_dir_all(dir).unwrap();
}

/// `tribune init --name "Harbour Council"`; returns the log key it printed.
fn found_harbour_council(url: &str) -> String {
    let init = tribune(url, &["init", "--name", "Harbour Council"]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    text(&init.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("log public key: ").map(str::to_owned))
        .unwrap()
}

/// Every file of an export, relative to it.
fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn an_export_verifies_and_any_changed_byte_is_caught() {
    let dir = scratch_dir("export");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    let vkey = found_harbour_council(&url);

    let export_dir = dir.join("export");
    let export = tribune(&url, &["export", export_dir.to_str().unwrap()]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    assert!(export_dir.join("checkpoint").is_file());
    assert!(export_dir.join("tile/entries/000.p/1").is_file());
    assert!(export_dir.join("tile/0/000.p/1").is_file());

    let verify = |extra: &[&str]| {
        let mut args = vec!["verify", export_dir.to_str().unwrap(), "--key", &vkey];
        args.extend_from_slice(extra);
        tribune(&url, &args)
    };
    let ok = verify(&[]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).starts_with("ok: log tribune/harbour-council, 1 entries"));

    // An older checkpoint the log extends (here: the same one).
    let old = dir.join("old-checkpoint");
    std::fs::copy(export_dir.join("checkpoint"), &old).unwrap();
    let since = verify(&["--since", old.to_str().unwrap()]);
    assert!(since.status.success(), "{}", text(&since.stderr));

    // A witness policy the checkpoint does not meet (nobody cosigned yet).
    let witness = domain::cosignature::WitnessSigner::from_seed("civil-rights.example/w", &[3; 32])
        .unwrap()
        .verifier()
        .to_vkey();
    let unwitnessed = verify(&["--witness", &witness]);
    assert_one_line_error(
        &unwitnessed,
        "the checkpoint is not final: 0 of the required 1 witnesses",
    );

    // A different key: refused.
    let stranger = "tribune/harbour-council+00000000+AYqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c";
    let args = ["verify", export_dir.to_str().unwrap(), "--key", stranger];
    assert!(!tribune(&url, &args).status.success());

    // Flip bits at many places in every file but `key` (not used with --key).
    let files: Vec<_> = files_under(&export_dir)
        .into_iter()
        .filter(|f| !f.ends_with("key"))
        .collect();
    let mut state = 0x9e37_79b9_u64;
    for round in 0..40 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let file = &files[round % files.len()];
        let original = std::fs::read(file).unwrap();
        let mut changed = original.clone();
        let at = (state as usize) % changed.len();
        changed[at] ^= 1 << (state % 8);
        std::fs::write(file, &changed).unwrap();
        let result = verify(&[]);
        std::fs::write(file, &original).unwrap();
        assert!(
            !result.status.success(),
            "a change at byte {at} of {} went unnoticed",
            file.display()
        );
        let stderr = text(&result.stderr);
        assert!(stderr.contains("tribune: error: "), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert!(verify(&[]).status.success());
    std::fs::remove_dir_all(dir).unwrap();
}

/// Where a changed byte of an exported log file should be reported: the
/// entry (or the entries) whose bytes or hashes it belongs to, or the
/// checkpoint.
fn expected_fault(export: &std::path::Path, file: &std::path::Path, at: usize) -> String {
    use domain::tiles::{Tile, TileKind};
    let relative = file.strip_prefix(export).unwrap().to_str().unwrap();
    if relative == "checkpoint" {
        return "checkpoint".to_owned();
    }
    let tile = Tile::parse_path(relative).unwrap();
    let (start, end) = tile.leaf_range().unwrap();
    let start = usize::try_from(start).unwrap();
    match tile.kind {
        TileKind::Entries => {
            // Walk the bundle: each entry is its two length bytes, then itself.
            let bundle = std::fs::read(file).unwrap();
            let (mut offset, mut k) = (0, 0);
            loop {
                let length = usize::from(u16::from_be_bytes([bundle[offset], bundle[offset + 1]]));
                if at < offset + 2 + length {
                    return format!("entry {}: ", start + k);
                }
                offset += 2 + length;
                k += 1;
            }
        }
        TileKind::Hashes { .. } => {
            let span = (usize::try_from(end).unwrap() - start) / usize::from(tile.width);
            let first = start + at / 32 * span;
            if span == 1 {
                format!("entry {first}: ")
            } else {
                format!("entries {first} to {}: ", first + span - 1)
            }
        }
    }
}

#[test]
fn a_thousand_changed_bytes_in_an_export_are_each_caught_where_they_are() {
    let dir = scratch_dir("tamper-1000");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    let demo = tribune(&url, &["demo", "--cases", "24"]);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    let export = dir.join("export");
    let exported = tribune(&url, &["export", export.to_str().unwrap()]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let key = std::fs::read_to_string(export.join("key")).unwrap();
    let key = key.trim_end();
    let source = export.to_str().unwrap();
    let verify = || server::ledger::verify(source, Some(key), None, &[], None);
    verify().unwrap();

    // A file of the log picked at random (the checkpoint, an entry bundle,
    // a hash tile of either level), then a byte of it.
    let files: Vec<(PathBuf, Vec<u8>)> = files_under(&export)
        .into_iter()
        .filter(|f| f.ends_with("checkpoint") || f.to_str().unwrap().contains("/tile/"))
        .map(|f| {
            let bytes = std::fs::read(&f).unwrap();
            (f, bytes)
        })
        .collect();
    assert!(
        files
            .iter()
            .any(|(f, _)| f.to_str().unwrap().contains("/tile/1/")),
        "the log should be long enough for a level-1 hash tile"
    );
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut caught = std::collections::BTreeMap::<&str, usize>::new();
    for _ in 0..1000 {
        let (file, original) = &files[usize::try_from(next() % files.len() as u64).unwrap()];
        let at = usize::try_from(next() % original.len() as u64).unwrap();
        let mut changed = original.clone();
        changed[at] ^= u8::try_from(next() % 255 + 1).unwrap();
        std::fs::write(file, &changed).unwrap();
        let result = verify();
        std::fs::write(file, original).unwrap();
        let error = format!("{:#}", result.expect_err("a changed byte went unnoticed"));
        let expected = expected_fault(&export, file, at);
        assert!(
            error.contains(&expected),
            "byte {at} of {}: expected “{expected}”, got “{error}”",
            file.display()
        );
        let kind = if expected == "checkpoint" {
            "checkpoint"
        } else if file.to_str().unwrap().contains("/entries/") {
            "entries"
        } else {
            "hashes"
        };
        *caught.entry(kind).or_default() += 1;
    }
    // All three kinds of file were hit, and the copy verifies again.
    eprintln!("1,000 changed bytes, each caught where it was: {caught:?}");
    assert_eq!(caught.len(), 3, "{caught:?}");
    verify().unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn intake_tokens_and_clauses_are_managed_from_the_command_line() {
    let dir = scratch_dir("tokens");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    // Before the council exists: refused with one line.
    assert_one_line_error(
        &tribune(&url, &["token", "create", "--name", "Platform"]),
        "run `tribune init` first",
    );
    found_harbour_council(&url);
    let created = tribune(&url, &["token", "create", "--name", "Harbour Platform"]);
    assert!(created.status.success(), "{}", text(&created.stderr));
    let stdout = text(&created.stdout);
    let token = stdout.lines().last().unwrap();
    assert_eq!(token.len(), 64, "{stdout}");
    let listed = text(&tribune(&url, &["token", "list"]).stdout);
    assert!(
        listed.contains("Harbour Platform") && listed.contains("live"),
        "{listed}"
    );
    // The secret is shown once and never listed.
    assert!(!listed.contains(token), "{listed}");
    let id = listed.split('\t').next().unwrap();
    assert!(tribune(&url, &["token", "revoke", id]).status.success());
    assert!(text(&tribune(&url, &["token", "list"]).stdout).contains("revoked"));
    assert_one_line_error(
        &tribune(&url, &["token", "revoke", id]),
        &format!("there is no live intake token {id}"),
    );
    assert_one_line_error(
        &tribune(&url, &["token", "create", "--name", &"n".repeat(81)]),
        "invalid token name",
    );

    let added = tribune(
        &url,
        &["clause", "add", "HS-2", "--title", "Hateful conduct"],
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert_one_line_error(
        &tribune(&url, &["clause", "add", "HS-2", "--title", "Again"]),
        "already has a clause HS-2",
    );
    assert_one_line_error(
        &tribune(&url, &["clause", "add", "hs 2", "--title", "Bad"]),
        "is not a clause code",
    );
    let clauses = text(&tribune(&url, &["clause", "list"]).stdout);
    assert_eq!(clauses.trim(), "HS-2\tHateful conduct");
    std::fs::remove_dir_all(dir).unwrap();
}

/// Rewrites the log behind the app's back, as a dishonest operator would,
/// and signs checkpoints over the rewritten entries with the log key:
/// entry 0 gets `entry0` and, with `extra`, an entry 1 is appended. Returns
/// nothing; the server must be stopped.
fn fork_the_log(db: &std::path::Path, entry0: &[u8], extra: Option<&[u8]>) {
    use domain::checkpoint::Checkpoint;
    use domain::merkle;
    use sqlx::Connection as _;
    let key = std::fs::read_to_string(format!("{}.log.key", db.display())).unwrap();
    let key = domain::note::NoteSigner::from_skey(key.trim()).unwrap();
    let origin = domain::LogOrigin::parse(key.name()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        for sql in [
            "DROP TRIGGER IF EXISTS log_entries_no_update",
            "DROP TRIGGER IF EXISTS log_checkpoints_no_update",
        ] {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
        let mut leaves = vec![merkle::leaf_hash(entry0)];
        sqlx::query("UPDATE log_entries SET entry = $1, leaf_hash = $2 WHERE idx = 0")
            .bind(entry0)
            .bind(leaves[0].as_bytes().as_slice())
            .execute(&mut conn)
            .await
            .unwrap();
        if let Some(extra) = extra {
            leaves.push(merkle::leaf_hash(extra));
            sqlx::query("INSERT INTO log_entries (idx, entry, leaf_hash, appended_at) VALUES (1, $1, $2, 0)")
                .bind(extra)
                .bind(leaves[1].as_bytes().as_slice())
                .execute(&mut conn)
                .await
                .unwrap();
        }
        for size in 1..=leaves.len() {
            let root = merkle::root(&leaves[..size]);
            let note = Checkpoint {
                origin: origin.clone(),
                size: size as u64,
                root,
                extensions: Vec::new(),
            }
            .sign(&key)
            .unwrap();
            sqlx::query(
                "INSERT INTO log_checkpoints (size, root, note, created_at) VALUES ($1, $2, $3, 0) \
                 ON CONFLICT (size) DO UPDATE SET root = excluded.root, note = excluded.note",
            )
            .bind(size as i64)
            .bind(root.as_bytes().as_slice())
            .bind(note)
            .execute(&mut conn)
            .await
            .unwrap();
        }
    });
}

/// `GET` or `POST` on the test server, returning the status and body.
fn http(method: &str, url: &str, body: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = if method == "POST" {
        agent.post(url).send(body).unwrap()
    } else {
        agent.get(url).call().unwrap()
    };
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

#[cfg(unix)]
#[test]
fn a_witness_cosigns_the_log_and_refuses_a_fork_or_a_rewrite_saying_why() {
    let dir = scratch_dir("witness");
    let db = dir.join("tribune.db");
    let url = format!("sqlite://{}", db.display());
    let log_vkey = found_harbour_council(&url);
    let key = dir.join("civil.key");
    let key_arg = key.display().to_string();
    let made = tribune(
        &url,
        &[
            "witness-key",
            "--name",
            "civil-rights.example/witness",
            "--key",
            &key_arg,
        ],
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let witness_vkey = text(&made.stdout).trim().to_owned();
    assert!(
        witness_vkey.starts_with("civil-rights.example/witness+"),
        "{witness_vkey}"
    );
    // Never over an existing key.
    assert_one_line_error(
        &tribune(
            &url,
            &["witness-key", "--name", "x.example/w", "--key", &key_arg],
        ),
        "already exists: refusing to overwrite it",
    );

    let policy = [("TRIBUNE_WITNESSES", witness_vkey.as_str())];
    let (mut server, addr, _) = start_server_with(&url, &policy);
    let site = format!("http://{addr}");
    let witness = |extra: &[&str]| {
        let mut args = vec!["witness", "--log", &site, "--key", &key_arg, "--once"];
        args.extend_from_slice(extra);
        tribune(&url, &args)
    };
    // The first run needs the log's key, obtained independently.
    assert_one_line_error(&witness(&[]), "pass --log-key");
    let first = witness(&["--log-key", &log_vkey]);
    let again = witness(&[]);
    let (_, policy_text) = http("GET", &format!("{site}/log/witnesses"), "");
    let (_, checkpoint) = http("GET", &format!("{site}/log/checkpoint"), "");
    let verified = tribune(
        &url,
        &[
            "verify",
            &site,
            "--key",
            &log_vkey,
            "--witness",
            &witness_vkey,
        ],
    );
    // The council takes only its witnesses' cosignatures of its own checkpoints.
    let (unknown, _) = http(
        "POST",
        &format!("{site}/log/cosignature"),
        &checkpoint.replace("civil-rights.example/witness", "other.example/witness"),
    );
    let (garbled, _) = http("POST", &format!("{site}/log/cosignature"), "not a note");
    server.kill().unwrap();
    server.wait().unwrap();

    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("cosigned the checkpoint of size 1 (cosigned so far by civil-rights.example/witness; final)"), "{}", text(&first.stdout));
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(text(&again.stdout).contains("already carries this witness's cosignature"));
    assert_eq!(policy_text, format!("quorum 1\nwitness {witness_vkey}\n"));
    assert!(
        checkpoint.contains("\n\u{2014} civil-rights.example/witness "),
        "{checkpoint}"
    );
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    assert!(
        text(&verified.stdout).contains("cosigned by 1 witnesses: civil-rights.example/witness")
    );
    assert_eq!(unknown, 403);
    assert_eq!(garbled, 422);

    // A split view: the same size with another tree head.
    let entry0 = b"{\"forged\":true}".to_vec();
    fork_the_log(&db, &entry0, None);
    let (mut server, addr, _) = start_server_with(&url, &policy);
    let site_now = format!("http://{addr}");
    let forked = tribune(
        &url,
        &["witness", "--log", &site_now, "--key", &key_arg, "--once"],
    );
    server.kill().unwrap();
    server.wait().unwrap();
    let error = assert_one_line_error(
        &forked,
        "refusing to cosign: the log forked: the tree head of size 1 is",
    );

    // A rewrite: the log grew, but over a changed entry 0.
    fork_the_log(&db, &entry0, Some(b"{\"more\":1}"));
    let (mut server, addr, _) = start_server_with(&url, &policy);
    let site_now = format!("http://{addr}");
    let rewritten = tribune(
        &url,
        &["witness", "--log", &site_now, "--key", &key_arg, "--once"],
    );
    server.kill().unwrap();
    server.wait().unwrap();
    assert_one_line_error(
        &rewritten,
        "refusing to cosign: the log forked or was rewritten: the checkpoint of size 2 is not consistent with the checkpoint of size 1 this witness cosigned",
    );
    // The witness still remembers the honest checkpoint.
    let state = std::fs::read_to_string(format!("{key_arg}.state")).unwrap();
    assert!(state.contains("\\n1\\n"), "{state} / {error}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A log key file others can read is said loudly by every command that
/// loads it; an owner-only one is not.
#[cfg(unix)]
#[test]
fn a_log_key_file_readable_by_others_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch_dir("key-mode");
    let url = format!("sqlite://{}/data/tribune.db", dir.display());
    let founded = tribune(&url, &["init", "--name", "Harbour Council"]);
    assert!(founded.status.success(), "{}", text(&founded.stderr));
    let invite = [
        "invite",
        "--role",
        "member",
        "--group",
        "Independent Experts",
        "--name",
        "Bo Lind",
    ];
    let quiet = tribune(&url, &invite);
    assert!(
        !text(&quiet.stderr).contains("READABLE BY OTHER USERS"),
        "{}",
        text(&quiet.stderr)
    );
    let key_file = dir.join("data/tribune.db.log.key");
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let warned = tribune(&url, &invite);
    assert!(
        text(&warned.stderr).contains("THE LOG KEY FILE IS READABLE BY OTHER USERS"),
        "{}",
        text(&warned.stderr)
    );
    std::fs::remove_dir_all(dir).ok();
}

/// `tribune witness-serve` speaks C2SP tlog-witness: it cosigns a log's
/// checkpoint submitted with a consistency proof from the last one it
/// cosigned, answers every other case with the protocol's status, and
/// remembers what it cosigned across a kill -9 (so it can never be made to
/// cosign a rollback or a fork of it). The log side here is the domain's own
/// code, as a log's client of the protocol would be.
#[cfg(unix)]
#[test]
fn a_witness_service_cosigns_consistent_checkpoints_and_remembers_them() {
    use domain::checkpoint::Checkpoint;
    use domain::cosignature::{CosignaturePolicy, WitnessVerifier};
    use domain::log::tlog_witness::AddCheckpoint;
    use domain::merkle;
    use domain::note::{Note, NoteSigner};
    use std::time::{Duration, Instant};

    let dir = scratch_dir("witness-serve");
    let key_file = dir.join("witness.key");
    let key_path = key_file.to_str().unwrap().to_owned();
    let made = tribune(
        "sqlite::memory:",
        &[
            "witness-key",
            "--name",
            "witness.example/civic",
            "--key",
            &key_path,
        ],
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let witness = WitnessVerifier::from_vkey(text(&made.stdout).trim()).unwrap();

    // The log: its key, and checkpoints of its first leaves.
    let origin = domain::LogOrigin::parse("tribune.example/harbour").unwrap();
    let log_key = NoteSigner::from_seed(origin.as_str(), &[1; 32]).unwrap();
    let leaves: Vec<_> = (0..20u8).map(|i| merkle::leaf_hash(&[i])).collect();
    let signed = |of: &[merkle::MerkleHash]| {
        Checkpoint {
            origin: origin.clone(),
            size: of.len() as u64,
            root: merkle::root(of),
            extensions: Vec::new(),
        }
        .sign(&log_key)
        .unwrap()
    };
    let log_vkey = log_key.verifier().to_vkey();
    let start = || {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let addr = format!("127.0.0.1:{port}");
        let child = tribune_command(
            "sqlite::memory:",
            None,
            &[
                "witness-serve",
                "--listen",
                &addr,
                "--key",
                &key_path,
                "--log-key",
                &log_vkey,
            ],
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(Instant::now() < deadline, "the witness never listened");
            std::thread::sleep(Duration::from_millis(50));
        }
        (child, addr)
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into();
    let submit = |addr: &str, old_size: u64, proof: Vec<merkle::MerkleHash>, checkpoint: &str| {
        let body = AddCheckpoint {
            old_size,
            proof,
            checkpoint: checkpoint.to_owned(),
        }
        .to_body();
        let mut response = agent
            .post(format!("http://{addr}/add-checkpoint"))
            .content_type("text/plain")
            .send(body.as_bytes())
            .unwrap();
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let status = response.status().as_u16();
        (status, kind, response.body_mut().read_to_string().unwrap())
    };
    let policy = CosignaturePolicy {
        witnesses: vec![witness],
        quorum: 1,
    };

    let (mut service, addr) = start();
    // A first checkpoint, from nothing: cosigned.
    let eight = signed(&leaves[..8]);
    let (status, _, lines) = submit(&addr, 0, Vec::new(), &eight);
    assert_eq!(status, 200, "{lines}");
    let note = Note::parse(format!("{eight}{lines}").as_bytes()).unwrap();
    assert_eq!(policy.check(&note).unwrap().len(), 1);
    // The client thinks the witness has seen nothing: 409, and the size.
    let twenty = signed(&leaves);
    let (status, kind, body) = submit(&addr, 0, Vec::new(), &twenty);
    assert_eq!(
        (status, kind.as_str(), body.as_str()),
        (409, "text/x.tlog.size", "8\n")
    );
    // With the proof from 8: cosigned; with a wrong one: 422.
    let proof = merkle::consistency_proof(&leaves, 8).unwrap();
    assert_eq!(submit(&addr, 8, proof[1..].to_vec(), &twenty).0, 422);
    let (status, _, lines) = submit(&addr, 8, proof.clone(), &twenty);
    assert_eq!(status, 200, "{lines}");
    assert!(
        lines.starts_with("\u{2014} witness.example/civic "),
        "{lines}"
    );

    // Killed outright, then started again: it remembers size 20.
    service.kill().unwrap();
    service.wait().unwrap();
    let (mut service, addr) = start();
    let (status, _, body) = submit(&addr, 8, proof, &twenty);
    assert_eq!((status, body.as_str()), (409, "20\n"));
    // A second process on the same witness state is refused: each would
    // remember only what it cosigned.
    let mut second = tribune_command(
        "sqlite::memory:",
        None,
        &[
            "witness-serve",
            "--listen",
            "127.0.0.1:0",
            "--key",
            &key_path,
        ],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while second.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            second.kill().unwrap();
            service.kill().unwrap();
            panic!("a second witness process started on the same state");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_one_line_error(
        &second.wait_with_output().unwrap(),
        "another witness process uses the state",
    );
    // A fork at 20 (another tree of the same size): refused, 409.
    let other: Vec<_> = (0..20u8).map(|i| merkle::leaf_hash(&[i, 7])).collect();
    assert_eq!(submit(&addr, 20, Vec::new(), &signed(&other)).0, 409);
    // A checkpoint not signed by the log's key: 403; another log's: 404;
    // not the protocol's body: 400.
    let impostor = NoteSigner::from_seed(origin.as_str(), &[3; 32]).unwrap();
    let forged = Checkpoint::parse_text(&Note::parse(twenty.as_bytes()).unwrap().text)
        .unwrap()
        .sign(&impostor)
        .unwrap();
    assert_eq!(submit(&addr, 20, Vec::new(), &forged).0, 403);
    let elsewhere = NoteSigner::from_seed("other.example/log", &[4; 32]).unwrap();
    let foreign = Checkpoint {
        origin: domain::LogOrigin::parse("other.example/log").unwrap(),
        size: 1,
        root: merkle::root(&leaves[..1]),
        extensions: Vec::new(),
    }
    .sign(&elsewhere)
    .unwrap();
    assert_eq!(submit(&addr, 0, Vec::new(), &foreign).0, 404);
    let mut response = agent
        .post(format!("http://{addr}/add-checkpoint"))
        .content_type("text/plain")
        .send("hello".as_bytes())
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        400,
        "{:?}",
        response.body_mut().read_to_string()
    );
    service.kill().unwrap();
    service.wait().unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

/// The two sides of C2SP tlog-witness against each other: `tribune serve`
/// submits its checkpoint to `tribune witness-serve` (`TRIBUNE_WITNESS_URLS`),
/// keeps the cosignature it answers with, serves it on `/log/checkpoint`,
/// and `tribune verify` finds the checkpoint cosigned by the witness.
#[cfg(unix)]
#[test]
fn the_log_pushes_its_checkpoints_to_a_tlog_witness() {
    use std::time::{Duration, Instant};
    let dir = scratch_dir("tlog-push");
    let url = format!("sqlite://{}/tribune.db", dir.display());
    let log_vkey = found_harbour_council(&url);
    let key_path = dir.join("civic.key").to_str().unwrap().to_owned();
    let made = tribune(
        &url,
        &[
            "witness-key",
            "--name",
            "civic.example/witness",
            "--key",
            &key_path,
        ],
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let witness_vkey = text(&made.stdout).trim().to_owned();

    let witness_addr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("127.0.0.1:{}", probe.local_addr().unwrap().port())
    };
    let mut witness = tribune_command(
        &url,
        None,
        &[
            "witness-serve",
            "--listen",
            &witness_addr,
            "--key",
            &key_path,
            "--log-key",
            &log_vkey,
        ],
    )
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .spawn()
    .unwrap();
    let witness_url = format!("http://{witness_addr}");
    let env = [
        ("TRIBUNE_WITNESSES", witness_vkey.as_str()),
        ("TRIBUNE_WITNESS_URLS", witness_url.as_str()),
    ];
    let (mut server, addr, _) = start_server_with(&url, &env);
    let site = format!("http://{addr}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let checkpoint = loop {
        let (_, checkpoint) = http("GET", &format!("{site}/log/checkpoint"), "");
        if checkpoint.contains("\n\u{2014} civic.example/witness ") || Instant::now() > deadline {
            break checkpoint;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let verified = tribune(
        &url,
        &[
            "verify",
            &site,
            "--key",
            &log_vkey,
            "--witness",
            &witness_vkey,
        ],
    );
    server.kill().unwrap();
    server.wait().unwrap();
    witness.kill().unwrap();
    witness.wait().unwrap();
    assert!(
        checkpoint.contains("\n\u{2014} civic.example/witness "),
        "the log never carried the witness's cosignature: {checkpoint}"
    );
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    assert!(
        text(&verified.stdout).contains("cosigned by 1 witnesses: civic.example/witness"),
        "{}",
        text(&verified.stdout)
    );
    std::fs::remove_dir_all(dir).unwrap();
}
