//! The public record on the demo council, as anyone reads it without
//! signing in: the decision log page and its filters, a decision's page, the
//! JSON API with its cache validators, the bulk export and the feeds.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use http::{Request, StatusCode, header};
use support::TestApp;

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn the_decision_log_and_its_filters() {
    let (dir, url) = support::demo_database("public-log");
    let app = TestApp::build(&url, None, 100).await;

    let (status, _, page) = app.get("/decisions").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        page.matches("class=\"decision-summary\"").count(),
        2,
        "{page}"
    );
    assert!(page.contains("href=\"/decisions/1\""));
    assert!(page.contains("href=\"/decisions.atom\""));
    // A ban upheld reads "not carried", not "no decision".
    assert!(page.contains("Outcome: carried"), "{page}");
    assert!(page.contains("Outcome: not carried"), "{page}");
    assert!(!page.contains("Outcome: no decision"), "{page}");

    // The same filters as the page, as JSON, a page at a time.
    let (status, headers, body) = app.get("/api/v1/decisions?limit=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=30");
    let first = json(&body);
    assert_eq!(first["decisions"].as_array().unwrap().len(), 1);
    let next = first["next"].as_str().unwrap().to_owned();
    assert!(next.contains("before="), "{next}");
    let second = json(&app.get(&next).await.2);
    assert_eq!(second["decisions"].as_array().unwrap().len(), 1);
    assert!(second["next"].is_null());
    assert_ne!(
        first["decisions"][0]["case"],
        second["decisions"][0]["case"]
    );

    // Filters narrow the log; an empty result says so.
    let demo_clause = first["decisions"][0]["clauses"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, _, body) = app
        .get(&format!("/api/v1/decisions?clause={demo_clause}"))
        .await;
    assert!(!json(&body)["decisions"].as_array().unwrap().is_empty());
    let (_, _, body) = app.get("/api/v1/decisions?q=no%20such%20words").await;
    assert!(json(&body)["decisions"].as_array().unwrap().is_empty());
    let (_, _, page) = app.get("/decisions?q=no+such+words").await;
    assert!(
        page.contains("No decision matches these filters."),
        "{page}"
    );
    let (_, _, body) = app
        .get("/api/v1/decisions?from=2000-01-01&until=2000-12-31")
        .await;
    assert!(json(&body)["decisions"].as_array().unwrap().is_empty());

    // Filters that make no sense are refused, naming the filter.
    for (query, words) in [
        ("from=2026-02-30", "from date"),
        ("outcome=won", "outcome"),
        ("group=Trust%20%26%20Safety", "both the group and its vote"),
        ("kind=murder", "kind"),
    ] {
        let (status, _, body) = app.get(&format!("/api/v1/decisions?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(
            json(&body)["message"].as_str().unwrap().contains(words),
            "{body}"
        );
    }
    drop(app);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_decision_page_its_record_and_the_feeds() {
    let (dir, url) = support::demo_database("public-record");
    let app = TestApp::build(&url, None, 100).await;

    let (status, _, page) = app.get("/decisions/1").await;
    assert_eq!(status, StatusCode::OK);
    for part in [
        "id=\"public-decision\"",
        "Motions and votes",
        "<svg",
        "role=\"img\"",
        "id=\"rationale\"",
        "Dissents and concurrences",
        "Verify this decision",
        // Finality, with no witness policy configured.
        "The council names no witnesses: nobody outside it has cosigned the log that holds this decision.",
        "id=\"verify-button\"",
    ] {
        assert!(page.contains(part), "{part} missing");
    }
    for missing in ["/decisions/999", "/decisions/abc", "/decisions/3"] {
        let (status, _, page) = app.get(missing).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        assert!(page.contains("There is no published decision here."));
    }

    // Each published decision's ruling, as the lists show it, is the one a
    // reader recomputes from its record (the openings' effects and the
    // decision's outcomes); the demo's motions state their effects, so
    // some decisions have one, and their pages say it.
    let listed = app.storage.recent_decisions(100).await.unwrap();
    let mut ruled = 0;
    for summary in &listed {
        let (status, _, body) = app
            .get(&format!("/api/v1/decisions/{}", summary.case.0))
            .await;
        assert_eq!(status, StatusCode::OK);
        let record: domain::public::PublishedDecision = serde_json::from_str(&body).unwrap();
        let recomputed = domain::consistency::ruling(
            &record
                .decision
                .motions
                .iter()
                .map(|o| {
                    let opening = record.motions.iter().find(|m| m.id == o.motion).unwrap();
                    (opening.opening.effect, o.outcome)
                })
                .collect::<Vec<_>>(),
        );
        assert_eq!(summary.ruling, recomputed, "case {}", summary.case.0);
        if let Some(ruling) = recomputed {
            ruled += 1;
            let (_, _, page) = app.get(&format!("/decisions/{}", summary.case.0)).await;
            assert!(
                page.contains(&format!("data-ruling=\"{}\"", ruling.as_str())),
                "case {}",
                summary.case.0
            );
        }
    }
    assert!(ruled > 0, "no demo decision has a ruling");

    // The record as JSON, with a validator: a client that has it gets 304.
    let (status, headers, body) = app.get("/api/v1/decisions/1").await;
    assert_eq!(status, StatusCode::OK);
    let record: domain::public::PublishedDecision = serde_json::from_str(&body).unwrap();
    assert_eq!(record.case.0, 1);
    assert!(record.motions.iter().all(|m| !m.votes.is_empty()));
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    let (status, _, body) = app
        .request(
            Request::get("/api/v1/decisions/1")
                .header(header::IF_NONE_MATCH, &etag)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    let (status, _, body) = app.get("/api/v1/decisions/3").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(json(&body)["error"], "not_found");

    // The bulk export names its checkpoint, then every record.
    let (status, headers, body) = app.get("/api/v1/decisions.jsonl").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/jsonl")
    );
    let mut lines = body.lines();
    let head = json(lines.next().unwrap());
    assert_eq!(head["format"], "tribune-decisions/1");
    assert!(
        head["checkpoint"]
            .as_str()
            .unwrap()
            .starts_with("demo.tribune.example/harbour\n")
    );
    let records: Vec<domain::public::PublishedDecision> =
        lines.map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), 2);
    // Held at this checkpoint, the export is not read again: 304.
    let tag = headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(tag.starts_with("\"checkpoint-"), "{tag}");
    let again = Request::get("/api/v1/decisions.jsonl")
        .header(header::IF_NONE_MATCH, tag.as_str())
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, _, body) = app.request(again).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    // Pinned at an earlier checkpoint (a verifier's, while the log grows:
    // issue 28, fault 5): that checkpoint heads the records, and a decision
    // published after it is left out.
    let latest = records.iter().map(|r| r.log_index).max().unwrap();
    let earlier = latest; // the size before the latest decision's entry
    let (status, _, body) = app
        .get(&format!("/api/v1/decisions.jsonl?size={earlier}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut lines = body.lines();
    let head = json(lines.next().unwrap());
    assert_eq!(head["size"], earlier);
    assert_eq!(
        head["checkpoint"].as_str().unwrap().lines().nth(1),
        Some(earlier.to_string().as_str())
    );
    let pinned: Vec<domain::public::PublishedDecision> =
        lines.map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(pinned.len(), 1, "{pinned:?}");
    assert!(pinned.iter().all(|r| r.log_index < earlier));
    let (status, _, body) = app.get("/api/v1/decisions.jsonl?size=999999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(json(&body)["error"], "no_such_checkpoint");

    // The recommendations tracker: the answered one, and the one awaited.
    let (status, _, tracker) = app.get("/recommendations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(tracker.contains("id=\"recommendations-tracker\""));
    assert!(tracker.contains("href=\"/decisions/1\""), "{tracker}");
    assert!(tracker.contains("Assessing — "), "{tracker}");
    assert!(tracker.contains("Awaiting an answer, due by"), "{tracker}");

    // Feeds.
    let (status, headers, atom) = app.get("/decisions.atom").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    assert_eq!(atom.matches("<entry>").count(), 2);
    assert!(atom.contains("<link rel=\"alternate\" href=\"http://127.0.0.1:3000/decisions/1\"/>"));
    let (status, _, feed) = app.get("/decisions.json").await;
    assert_eq!(status, StatusCode::OK);
    let feed = json(&feed);
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["items"].as_array().unwrap().len(), 2);
    let item = feed["items"][0]["content_text"].as_str().unwrap();
    assert!(item.starts_with("A "), "{item}");
    assert!(!item.contains("a ordinary"), "{item}");
    // The same feeds in French, from the address (a feed reader sends no
    // language cookie).
    let (status, _, atom) = app.get("/decisions.atom?lang=fr").await;
    assert_eq!(status, StatusCode::OK);
    assert!(atom.contains("xml:lang=\"fr\""), "{atom}");
    assert!(atom.contains("— décisions</title>"), "{atom}");
    assert!(atom.contains("<title>Affaire "), "{atom}");
    assert!(atom.contains("Entrée "), "{atom}");
    let (_, _, feed) = app.get("/decisions.json?lang=fr").await;
    let feed = json(&feed);
    assert_eq!(feed["language"], "fr");
    let item = feed["items"][0]["content_text"].as_str().unwrap();
    assert!(item.starts_with("Une affaire de "), "{item}");
    assert!(item.contains("Résultat : "), "{item}");
    let (_, _, page) = app
        .request(
            http::Request::get("/decisions")
                .header(header::COOKIE, "tribune_lang=fr")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(page.contains("href=\"/decisions.atom?lang=fr\""), "{page}");
    drop(app);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn clause_pages_compare_outcomes_across_tiers() {
    let (dir, url) = support::demo_database("public-clauses");
    let app = TestApp::build(&url, None, 100).await;
    let storage = app.storage.clone();

    // The catalogue, each clause with its number of decisions.
    let (status, _, page) = app.get("/clauses").await;
    assert_eq!(status, StatusCode::OK);
    let counts = storage.clause_decision_counts().await.unwrap();
    let (code, decisions) = counts.first().cloned().unwrap();
    assert!(
        page.contains(&format!("href=\"/clauses/{code}\"")),
        "{page}"
    );

    // A clause's page: the chart (SVG, with a text alternative), the table,
    // the departures and every decision under it.
    let (status, _, page) = app.get(&format!("/clauses/{code}")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Same rules for everyone?"));
    assert!(page.contains("id=\"outcomes-by-tier\""));
    assert!(page.contains("<title id=\"outcomes-by-tier-title\">"));
    assert!(page.contains("Outcomes by kind of case and prominence tier"));
    let decided = storage
        .clause_decisions(&domain::cases::ClauseCode::parse(&code).unwrap())
        .await
        .unwrap();
    assert_eq!(decided.len() as u64, decisions);
    for d in &decided {
        assert!(page.contains(&format!("href=\"/decisions/{}\"", d.case.0)));
    }
    let report = domain::consistency::report(&decided);
    if report.departures.is_empty() {
        assert!(page.contains("id=\"no-departures\""));
    } else {
        assert!(page.contains("Departed without distinguishing"));
    }
    // Rulings in plain words per tier, and whether ordinary and more
    // prominent accounts' cases ended alike, with the pairs to compare.
    assert!(page.contains("Ordinary and prominent accounts"));
    assert!(page.contains(">Rulings</th>"));
    if report.divergences.is_empty() {
        assert!(page.contains("id=\"no-divergence\""));
    } else {
        assert_eq!(
            page.matches("class=\"divergence\"").count(),
            report.divergences.len()
        );
        for d in &report.divergences {
            for pair in &d.pairs {
                assert!(page.contains(&format!(
                    "data-ordinary=\"{}\" data-prominent=\"{}\"",
                    pair.ordinary.0, pair.prominent.0
                )));
            }
        }
    }

    // A clause with no decision yet says so; an unknown or malformed one is a 404.
    let unused = storage
        .clauses()
        .await
        .unwrap()
        .into_iter()
        .find(|c| !counts.iter().any(|(code, _)| code == c.code.as_str()));
    if let Some(unused) = unused {
        let (status, _, page) = app.get(&format!("/clauses/{}", unused.code.as_str())).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("No published decision has applied this clause yet."));
    }
    // The same as JSON.
    let (status, headers, body) = app.get(&format!("/api/v1/clauses/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.contains_key(header::ETAG));
    let body = json(&body);
    assert_eq!(body["clause"], code.as_str());
    assert_eq!(
        body["decisions"].as_array().unwrap().len() as u64,
        decisions
    );
    assert_eq!(body["report"], serde_json::to_value(&report).unwrap());
    let (status, _, body) = app.get("/api/v1/clauses/ZZ-99").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(json(&body)["error"], "not_found");
    for path in ["/clauses/ZZ-99", "/clauses/not%20a%20code"] {
        let (status, _, page) = app.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.contains("There is no such clause"), "{page}");
    }
    drop(app);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_language_switch_keeps_the_choice_and_never_leaves_the_site() {
    let app = TestApp::with_council("Harbour Council").await;
    let (status, headers, _) = app.get("/language/fr?back=%2Fdecisions%3Fq%3Dx").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/decisions?q=x");
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("tribune_lang=fr; Path=/;"), "{cookie}");
    for back in [
        "%2F%2Fevil.example%2F",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
    ] {
        let (_, headers, _) = app.get(&format!("/language/en?back={back}")).await;
        assert_eq!(headers[header::LOCATION], "/", "{back}");
    }
    let (status, _, _) = app.get("/language/de").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The page follows the cookie, else the browser's preference.
    let french = |cookie: Option<&str>, accept: Option<&str>| {
        let mut request = http::Request::get("/decisions");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT_LANGUAGE, accept);
        }
        request.body(axum::body::Body::empty()).unwrap()
    };
    let (_, _, page) = app.request(french(None, Some("fr-CA,en;q=0.5"))).await;
    assert!(page.contains("<html lang=\"fr\""), "{page}");
    assert!(page.contains("Journal des décisions"));
    let (_, _, page) = app
        .request(french(Some("tribune_lang=en"), Some("fr")))
        .await;
    assert!(page.contains("<html lang=\"en\""));
    assert!(page.contains(">Decision log<"));

    // The rules history too, the rules themselves in words.
    let rules = http::Request::get("/rules")
        .header(header::COOKIE, "tribune_lang=fr")
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, _, page) = app.request(rules).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Règles de vote"), "{page}");
    assert!(
        page.contains("Les règles initiales de tout conseil."),
        "{page}"
    );
    assert!(page.contains("Quorum de "), "{page}");
    assert!(page.contains("de la liste hors abstentions"), "{page}");
}

/// A French page loads the French tables (which the browser bundle does not
/// carry) from an address that names their content, before the bundle; an
/// English page does not load them.
#[tokio::test]
async fn a_french_page_loads_the_french_tables_before_the_bundle() {
    let app = TestApp::with_council("Harbour Council").await;
    let page_in = |language: &str| {
        http::Request::get("/decisions")
            .header(header::COOKIE, format!("tribune_lang={language}"))
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let (_, _, page) = app.request(page_in("fr")).await;
    let start = page.find("src=\"/i18n/fr.").expect("the tables' script") + 5;
    let src = &page[start..start + page[start..].find('"').unwrap()];
    assert!(
        page.find(src).unwrap() < page.find("tribune.js").expect("the bundle's script"),
        "{page}"
    );
    let (status, headers, body) = app.get(src).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(body.starts_with("window.tribuneFrench = {"), "{body}");
    assert!(body.contains(
        r#"["Wrong passphrase for this key.","Phrase secrète erronée pour cette clé."]"#
    ));
    assert!(body.contains(r#"["Your key","Votre clé"]"#));

    let (_, _, page) = app.request(page_in("en")).await;
    assert!(!page.contains("/i18n/"), "{page}");
    for other in ["/i18n/fr.0000000000000000.js", "/i18n/de.js"] {
        let (status, _, _) = app.get(other).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{other}");
    }
}

/// The members' pages follow the reader's language as the public ones do:
/// the refusal a visitor gets, and a case page as its chair reads it.
#[tokio::test]
async fn the_members_pages_in_french() {
    let app = TestApp::build("sqlite::memory:", Some("Harbour Council"), 1000).await;
    let in_french = |path: &str, cookie: Option<&str>| {
        let cookie = cookie.map_or_else(
            || "tribune_lang=fr".to_owned(),
            |c| format!("{c}; tribune_lang=fr"),
        );
        Request::get(path)
            .header(header::COOKIE, cookie)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let (status, _, page) = app.request(in_french("/dashboard", None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        page.contains("Votre tableau de bord est réservé aux membres du conseil."),
        "{page}"
    );
    let (status, _, page) = app.request(in_french("/cases", None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("Les affaires sont réservées aux membres du conseil."));
    let (_, _, page) = app.request(in_french("/sign-in", None)).await;
    assert!(
        page.contains("La connexion a besoin de JavaScript"),
        "{page}"
    );
    // Its buttons come disabled from the server and are enabled once the
    // island runs: a click before would do nothing and say nothing.
    let import = page.find("Importer la clé").expect("the import button");
    let button = &page[page[..import].rfind("<button").unwrap()..import];
    assert!(button.contains("disabled"), "{button}");
    // The footer too is in French.
    assert!(page.contains("le registre public, en ajout seul"), "{page}");

    let chair = app
        .member(
            "Civil Rights Coalition",
            domain::members::Role::Chair,
            "Ada",
            21,
        )
        .await;
    let case = app.case_in_voting(chair.id).await;
    let (status, _, page) = app
        .request(in_french(
            &format!("/cases/{}", case.0),
            Some(&chair.cookie),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    for text in [
        "<html lang=\"fr\"",
        "Historique",
        "Motions et votes",
        "Règles en vigueur (version ",
        "Rédiger une motion",
        "Récusations",
        "Contribuer à la discussion (Markdown)",
    ] {
        assert!(page.contains(text), "no {text:?} in {page}");
    }
    // A refusal from the server, in the reader's language.
    let (status, _, page) = app.request(in_french("/admin", Some(&chair.cookie))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("Votre rôle ne le permet pas."), "{page}");
    let english = Request::get("/admin")
        .header(header::COOKIE, chair.cookie.as_str())
        .body(axum::body::Body::empty())
        .unwrap();
    let (_, _, page) = app.request(english).await;
    assert!(page.contains("Your role does not allow this."), "{page}");
    // The same page in English, for comparison.
    let english = Request::get(format!("/cases/{}", case.0))
        .header(header::COOKIE, chair.cookie.as_str())
        .body(axum::body::Body::empty())
        .unwrap();
    let (_, _, page) = app.request(english).await;
    assert!(page.contains("Motions and votes") && page.contains("Draft a motion"));
}

#[tokio::test]
async fn the_docket_shows_every_case_with_its_moves_and_names_no_private_person() {
    let (dir, url) = support::demo_database("public-docket");
    let app = TestApp::build(&url, None, 100).await;

    // Every case of the demo council, whatever became of it, without signing in.
    let (status, _, page) = app.get("/docket").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches("class=\"docket-line\"").count(), 9, "{page}");
    for stage in [
        "published",
        "decided",
        "voting",
        "deliberation",
        "accepted",
        "intake",
        "declined",
        "withdrawn",
    ] {
        assert!(
            page.contains(&format!("data-stage=\"{stage}\"")),
            "{stage}: {page}"
        );
    }
    // A prominent subject is named; an ordinary one (a private person) is not.
    assert!(page.contains("@harbour_news_daily"), "{page}");
    for private in ["@duplicate_report", "@spam_wave_42", "@quiet_gardener"] {
        assert!(!page.contains(private), "{private} named: {page}");
    }
    assert!(page.contains("a private account (not named)"));

    // Filters narrow it; an unknown one is refused by name.
    let (_, _, page) = app.get("/docket?stage=withdrawn").await;
    assert_eq!(page.matches("class=\"docket-line\"").count(), 1, "{page}");
    let (_, _, page) = app.get("/docket?stage=withdrawn&kind=policy").await;
    assert!(page.contains("No case matches these filters."), "{page}");
    let (status, _, page) = app.get("/docket?stage=lost").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("Unknown stage in the filter."), "{page}");

    // A withdrawn case has its page: every move, who made it and why.
    let (_, _, list) = app.get("/docket?stage=withdrawn").await;
    let at = list.find("href=\"/docket/").unwrap() + "href=\"/docket/".len();
    let id: u64 = list[at..].split('"').next().unwrap().parse().unwrap();
    let (status, _, page) = app.get(&format!("/docket/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("data-stage=\"withdrawn\""), "{page}");
    assert!(
        page.contains("The platform escalated this case twice."),
        "{page}"
    );
    assert!(page.contains("Rosa Lindqvist"), "{page}");
    assert!(page.contains("ended without a decision"), "{page}");
    assert!(!page.contains("@duplicate_report"), "{page}");
    assert!(!page.contains("id=\"docket-decision\""), "{page}");

    // A published case links to its decision.
    let (_, _, page) = app.get("/docket?stage=published&tier=prominent").await;
    let at = page.find("href=\"/docket/").unwrap() + "href=\"/docket/".len();
    let id: u64 = page[at..].split('"').next().unwrap().parse().unwrap();
    let (_, _, page) = app.get(&format!("/docket/{id}")).await;
    assert!(
        page.contains(&format!("href=\"/decisions/{id}\"")),
        "{page}"
    );

    let (status, _, _) = app.get("/docket/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    std::fs::remove_dir_all(dir).unwrap();
}

/// The browser's check fetches the log chunk by chunk: the head names the
/// latest checkpoint, a chunk never runs past it, and the chunks together
/// are the log that checkpoint signs.
#[tokio::test]
async fn the_log_is_served_in_chunks_for_the_browsers_check() {
    let (dir, url) = support::demo_database("log-chunks");
    let app = TestApp::build(&url, None, 100).await;
    let (status, _, body) = app.call("log_head", &[], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let head: serde_json::Value = serde_json::from_str(&body).unwrap();
    let size = head["size"].as_u64().unwrap();
    let mut entries: Vec<Vec<u8>> = Vec::new();
    while (entries.len() as u64) < size {
        let start = entries.len().to_string();
        // Asked for more than there is: the chunk stops at the checkpoint.
        let (status, _, body) = app
            .call(
                "log_entries",
                &[("start", &start), ("end", "1000000000")],
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let chunk: Vec<String> = serde_json::from_str(&body).unwrap();
        assert!(!chunk.is_empty() && chunk.len() <= 4096, "{}", chunk.len());
        entries.extend(chunk.into_iter().map(String::into_bytes));
    }
    assert_eq!(entries.len() as u64, size);
    let past = size.to_string();
    let (status, _, body) = app
        .call(
            "log_entries",
            &[("start", &past), ("end", "1000000000")],
            None,
        )
        .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "[]"));
    // Bad input: a start past the end, numbers that are not numbers.
    for fields in [
        [("start", "5"), ("end", "2")],
        [
            ("start", "18446744073709551615"),
            ("end", "18446744073709551615"),
        ],
    ] {
        let (status, _, body) = app.call("log_entries", &fields, None).await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, "[]"),
            "{fields:?}"
        );
    }
    for fields in [
        [("start", "x"), ("end", "2")],
        [("start", "-1"), ("end", "2")],
    ] {
        let (status, _, body) = app.call("log_entries", &fields, None).await;
        assert!(status.is_client_error(), "{fields:?}: {status} {body}");
    }
    let key = domain::note::NoteVerifier::from_vkey(head["log_key"].as_str().unwrap()).unwrap();
    let origin = domain::LogOrigin::parse(key.name()).unwrap();
    let summary = domain::verify::verify_log(
        &origin,
        &key,
        head["checkpoint"].as_str().unwrap().as_bytes(),
        &entries,
        |_| {},
    )
    .unwrap();
    assert_eq!(summary.entries, size);
    drop(app);
    std::fs::remove_dir_all(dir).ok();
}
