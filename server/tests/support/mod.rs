//! A test app: the real router on a real SQLite database, and helpers that
//! act as members do (enroll with a key, call server functions with a
//! session cookie).

#![allow(dead_code, reason = "each test binary uses the helpers it needs")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail the test loudly on any error"
)]

use axum::Router;
use axum::body::{Body, to_bytes};
use domain::members::{DisplayName, GroupId, GroupName, Role};
use domain::note::NoteSigner;
use domain::statement::MemberId;
use domain::{Council, CouncilName, LogOrigin, Timestamp};
use ed25519_dalek::SigningKey;
use http::{Request, StatusCode, header};
use leptos::config::LeptosOptions;
use storage::{DatabaseUrl, NewInvitation, SharedStorage};
use tower::ServiceExt;

/// One test app at a time in this process. Leptos keeps process-wide state
/// for route generation and rendering, which a server sets up once; many
/// routers built and rendering concurrently in one test process
/// occasionally stalled. Production builds one router and serves
/// concurrent requests with it (the browser tests exercise that).
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The log key's seed in every test council.
pub const LOG_SEED: [u8; 32] = [5; 32];

pub struct TestApp {
    pub router: Router,
    pub storage: SharedStorage,
    pub origin: Option<LogOrigin>,
    _one_at_a_time: tokio::sync::MutexGuard<'static, ()>,
}

/// A member enrolled through the app, with their key and session cookie.
#[derive(Clone)]
pub struct Signed {
    pub id: MemberId,
    pub key: SigningKey,
    pub cookie: String,
}

impl TestApp {
    /// No council yet, in memory, three attempts per minute on limited paths.
    pub async fn new() -> Self {
        Self::build("sqlite::memory:", None, 3).await
    }

    pub async fn with_council(name: &str) -> Self {
        Self::build("sqlite::memory:", Some(name), 3).await
    }

    pub async fn build(url: &str, council: Option<&str>, rate_limit: u32) -> Self {
        let one_at_a_time = ONE_AT_A_TIME.lock().await;
        let storage = storage::connect(&DatabaseUrl::new(url)).await.unwrap();
        storage.migrate().await.unwrap();
        let mut origin = None;
        let mut log_key = None;
        if let Some(existing) = storage.council().await.unwrap() {
            // A database founded by an earlier run of a test: reopen it.
            let key = NoteSigner::from_seed(existing.log_origin.as_str(), &LOG_SEED).unwrap();
            origin = Some(existing.log_origin);
            log_key = Some(std::sync::Arc::new(key));
        } else if let Some(name) = council {
            let name = CouncilName::parse(name).unwrap();
            let council = Council {
                log_origin: domain::council::suggested_origin(&name),
                name,
                founded_at: Timestamp::from_unix_seconds(1_795_219_200),
            };
            let key = NoteSigner::from_seed(council.log_origin.as_str(), &LOG_SEED).unwrap();
            let genesis = domain::genesis::genesis(&council, &key).unwrap();
            storage.found_council(&genesis).await.unwrap();
            origin = Some(council.log_origin);
            log_key = Some(std::sync::Arc::new(key));
        }
        let options = LeptosOptions::builder()
            .output_name("tribune")
            .site_root("target/site")
            .build();
        Self {
            router: server::web::router(
                options,
                storage.clone(),
                app::functions::ssr::Settings {
                    log_key,
                    public_url: "http://127.0.0.1:3000".to_owned(),
                    invitation_ttl_seconds: 72 * 3600,
                    session_ttl_seconds: 24 * 3600,
                    witnesses: std::sync::Arc::new(domain::cosignature::CosignaturePolicy::none()),
                },
                server::security::RateLimits::new(rate_limit),
            ),
            storage,
            origin,
            _one_at_a_time: one_at_a_time,
        }
    }

    pub fn origin(&self) -> &LogOrigin {
        self.origin.as_ref().expect("a founded council")
    }

    pub fn log_key(&self) -> NoteSigner {
        NoteSigner::from_seed(self.origin().as_str(), &LOG_SEED).unwrap()
    }

    /// Sends `request` through the router; a response that takes more than
    /// 30 s fails the test instead of stalling the suite.
    pub async fn request(&self, request: Request<Body>) -> (StatusCode, http::HeaderMap, String) {
        let exchange = async {
            let response = self.router.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
            (status, headers, body)
        };
        let (status, headers, body) =
            tokio::time::timeout(std::time::Duration::from_secs(30), exchange)
                .await
                .expect("the server answered within 30 s");
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    pub async fn get(&self, path: &str) -> (StatusCode, http::HeaderMap, String) {
        self.request(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// Calls the server function at `/api/{endpoint}` with form fields, as
    /// the member whose session cookie is `cookie` (or anonymously).
    pub async fn call(
        &self,
        endpoint: &str,
        fields: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> (StatusCode, http::HeaderMap, String) {
        let body = fields
            .iter()
            .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.request(request.body(Body::from(body)).unwrap()).await
    }

    /// A chair's act through the app, as the chair's browser makes it:
    /// `prepare` (with `fields`) gives the statement to sign, `key` signs
    /// it, `submit` logs it. A refused preparation is returned as is.
    pub async fn chair_act(
        &self,
        prepare: &str,
        fields: &[(&str, &str)],
        submit: &str,
        cookie: &str,
        key: &SigningKey,
    ) -> (StatusCode, String) {
        let (code, _, body) = self.call(prepare, fields, Some(cookie)).await;
        if code != StatusCode::OK {
            return (code, body);
        }
        let (statement, signature) = sign_prepared(&body, key);
        let (code, _, body) = self
            .call(
                submit,
                &[("statement", &statement), ("signature", &signature)],
                Some(cookie),
            )
            .await;
        (code, body)
    }

    /// Opens voting on `motion` until `closes_at` as `chair` does, at
    /// `now`: prepared by storage, signed with the chair's key.
    pub async fn open_as(
        &self,
        motion: domain::statement::MotionId,
        chair: &Signed,
        closes_at: Timestamp,
        now: Timestamp,
    ) -> u64 {
        let rules = self.storage.rules().await.unwrap();
        let statement = self
            .storage
            .prepare_opening(motion, chair.id, closes_at, &rules, now)
            .await
            .unwrap();
        self.storage
            .open_motion(&statement.sign(&chair.key).unwrap(), &self.log_key(), now)
            .await
            .unwrap()
    }

    pub async fn group(&self, name: &str) -> GroupId {
        let name = GroupName::parse(name).unwrap();
        match self.storage.group_by_name(&name).await.unwrap() {
            Some(id) => id,
            None => self.storage.create_group(&name).await.unwrap(),
        }
    }

    /// An invitation created as the command line does; returns the link's
    /// secret.
    pub async fn invitation(
        &self,
        group: GroupId,
        role: Role,
        name: &str,
        member: Option<MemberId>,
    ) -> String {
        let (token, token_hash) = app::functions::ssr::random_token().unwrap();
        self.storage
            .create_invitation(
                &NewInvitation {
                    token_hash,
                    member,
                    name: DisplayName::parse(name).unwrap(),
                    group,
                    role,
                    expires_at: Timestamp(storage::now().0 + 3600),
                    created_by: None,
                },
                &self.log_key(),
            )
            .await
            .unwrap();
        token
    }

    /// Accepts the invitation `token` with `key` as the browser does: builds
    /// the enrollment statement from the invitation and signs it.
    pub async fn enroll(
        &self,
        token: &str,
        key: &SigningKey,
    ) -> (StatusCode, http::HeaderMap, String) {
        let invitation = self
            .storage
            .invitation_by_token(&app::functions::ssr::sha256(token.as_bytes()))
            .await
            .unwrap()
            .unwrap();
        let signed = domain::members::enrollment_statement(
            self.origin(),
            &invitation.terms,
            &invitation.signature,
        )
        .sign(key)
        .unwrap();
        self.call(
            "enroll",
            &[
                ("token", token),
                (
                    "public_key",
                    &domain::hex::encode(key.verifying_key().as_bytes()),
                ),
                ("signature", &domain::hex::encode(&signed.signature)),
            ],
            None,
        )
        .await
    }

    /// A member with `role` in `group`, enrolled through the app and signed in.
    pub async fn member(&self, group: &str, role: Role, name: &str, seed: u8) -> Signed {
        let group = self.group(group).await;
        let token = self.invitation(group, role, name, None).await;
        let key = SigningKey::from_bytes(&[seed; 32]);
        let (status, headers, body) = self.enroll(&token, &key).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
            .as_u64()
            .unwrap();
        Signed {
            id: MemberId(id),
            key,
            cookie: session_cookie(&headers).expect("a session cookie"),
        }
    }
}

impl TestApp {
    /// Verifies the whole log as `tribune verify` would.
    pub async fn verified(&self) -> domain::verify::LogSummary {
        let size = self.storage.log_size().await.unwrap();
        let entries = self.storage.log_entries(0, size).await.unwrap();
        let checkpoint = self.storage.latest_checkpoint().await.unwrap().unwrap();
        domain::verify::verify_log(
            self.origin(),
            &self.log_key().verifier(),
            checkpoint.as_bytes(),
            &entries,
            |_| {},
        )
        .unwrap()
    }

    /// A case like [`TestApp::case`], taken by `by` to its voting stage.
    pub async fn case_in_voting(&self, by: MemberId) -> domain::cases::CaseId {
        let case = self.case(by).await;
        let mut status = domain::cases::CaseStatus::Intake;
        while status != domain::cases::CaseStatus::Voting {
            let next = status.next()[0];
            self.storage
                .move_case(
                    &storage::Transition {
                        case,
                        from: status,
                        to: next,
                        by,
                        reason: None,
                    },
                    storage::now(),
                )
                .await
                .unwrap();
            status = next;
        }
        case
    }

    /// A case in intake about `@subject` under clause HS-2 (added to the
    /// catalogue if needed), recorded by `by`.
    pub async fn case(&self, by: MemberId) -> domain::cases::CaseId {
        let code = domain::cases::ClauseCode::parse("HS-2").unwrap();
        self.storage
            .add_clause(
                &storage::Clause {
                    code: code.clone(),
                    title: "Hateful conduct".to_owned(),
                },
                storage::now(),
            )
            .await
            .unwrap();
        let fields = domain::cases::CaseDraft {
            kind: "content".to_owned(),
            subject_handle: "@subject".to_owned(),
            excerpt: "The post".to_owned(),
            audience: Some(10),
            original_action: "removed".to_owned(),
            clauses: vec!["HS-2".to_owned()],
            reason: "appeal".to_owned(),
            ..domain::cases::CaseDraft::default()
        }
        .validate(&[code])
        .unwrap();
        self.storage
            .create_case(&fields, storage::Actor::Member(by), None, storage::now())
            .await
            .unwrap()
            .case()
    }
}

/// The `name=value` of the session cookie a response sets.
pub fn session_cookie(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tribune_session=") && !v.starts_with("tribune_session=;"))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

/// Form encoding of one key or value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A demo council's database (two published decisions, the demo's cases
/// and votes), made by the `tribune demo` command as `make run` does, in a
/// scratch directory named after `name`: (directory, database URL).
pub fn demo_database(name: &str) -> (std::path::PathBuf, String) {
    demo_database_of(name, 9)
}

/// A demo council's database of `cases` cases (`tribune demo --cases`).
pub fn demo_database_of(name: &str, cases: u32) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("tribune-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/tribune.db", dir.display());
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_tribune"))
        .arg("demo")
        .arg("--cases")
        .arg(cases.to_string())
        .env("TRIBUNE_DATABASE_URL", &url)
        .env("TRIBUNE_LOG_KEY_FILE", dir.join("log.key"))
        .env("LEPTOS_OUTPUT_NAME", "tribune")
        .env_remove("LEPTOS_SITE_ADDR")
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    (dir, url)
}

impl TestApp {
    /// Serves the app over real TCP on a free local port (load tests).
    pub async fn serve_tcp(&self) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let router = self.router.clone();
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap();
        });
        address
    }
}

/// A blocking HTTP client for tests over real TCP: every status is a
/// response (not an error), and a request taking longer than `timeout` fails.
pub fn http_agent(timeout: std::time::Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

/// An HTTP client already connected to `address` (a kept-alive connection
/// opened with a request to `/healthz`), as a browser that loaded a page
/// is: load tests open it before their clock starts.
pub fn connected_agent(address: std::net::SocketAddr) -> ureq::Agent {
    let agent = http_agent(std::time::Duration::from_secs(60));
    let mut warm = agent
        .get(format!("http://{address}/healthz"))
        .call()
        .unwrap();
    let _ = warm.body_mut().read_to_string();
    agent
}

/// What a prepare endpoint answered (a JSON string holding the statement's
/// JSON), signed by `key`: (the statement's JSON, the signature in hex).
pub fn sign_prepared(answer: &str, key: &SigningKey) -> (String, String) {
    let statement: String = serde_json::from_str(answer).unwrap();
    let parsed: domain::statement::Statement = serde_json::from_str(&statement).unwrap();
    let signed = parsed.sign(key).unwrap();
    (statement, domain::hex::encode(&signed.signature))
}
