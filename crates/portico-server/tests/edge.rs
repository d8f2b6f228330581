//! The HTTP edge against the real server: bad input gets a clear 4xx and changes nothing;
//! sessions, API tokens, rate limits, the same-origin check, security headers, downloads and
//! CSV behave as documented.

mod support;

use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, RETRY_AFTER, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Browser, Engine, PASSWORD, TestServer, id_of};

async fn client_count(admin: &Browser) -> usize {
    let (status, list) = admin.get("/clients?status=invited").await;
    assert_eq!(status, StatusCode::OK);
    list["items"].as_array().map_or(0, Vec::len)
}

async fn raw(browser: &Browser, method: Method, path: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let request = browser.request(method, path).header(CONTENT_TYPE, content_type).body(body);
    support::read(request.send().await.expect("answers")).await
}

async fn bad_input_gets_a_clear_4xx_and_changes_nothing(engine: Engine) {
    let server = TestServer::start_with(engine, |settings| {
        settings.json_limit_kib = 4;
        settings.upload_limit_mib = 1;
    })
    .await;
    let admin = server.admin().await;
    let before = client_count(&admin).await;

    let (status, problem) =
        raw(&admin, Method::POST, "/clients", "application/json", b"{\"name\": \"Sarah\",".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert!(problem["detail"].as_str().unwrap_or_default().contains("not valid JSON"));

    let wrong_types = json!({"name": 42, "email": "sarah@acme.example"});
    let (status, problem) = admin.post("/clients", wrong_types).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("name")));

    let invalid = json!({"name": " ", "email": "sarah@", "phone": "call me", "preset": "everything"});
    let (status, problem) = admin.post("/clients", invalid).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        problem["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["name", "email", "phone", "permissions"], "every field at once: {problem}");

    // The server stops reading an oversized body and closes the connection: ask the client
    // not to reuse it.
    let huge = json!({"name": "x".repeat(8 * 1024), "email": "big@acme.example"});
    let request = admin.request(Method::POST, "/clients").header("connection", "close").json(&huge);
    let (status, _) = support::read(request.send().await.expect("answers")).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    let (status, _) = raw(&admin, Method::POST, "/clients", "text/plain", b"name=Sarah".to_vec()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let csv = "name,email\nSarah,sarah@acme.example\nBroken,not-an-address\nSarah again,SARAH@acme.example\n";
    let (status, report) = raw(&admin, Method::POST, "/clients/import", "text/csv", csv.into()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    assert_eq!(report["applied"], false);
    let rows: Vec<u64> =
        report["problems"].as_array().expect("problems").iter().filter_map(|p| p["row"].as_u64()).collect();
    assert_eq!(rows, [3, 4]);
    let (status, report) = raw(&admin, Method::POST, "/clients/import", "text/csv", b"nom,courriel\n".to_vec()).await;
    assert_eq!((status, report["problems"][0]["row"].as_u64()), (StatusCode::UNPROCESSABLE_ENTITY, Some(1)));

    let project = id_of(&admin.post("/projects", json!({"name": "Uploads"})).await.1);
    let part = reqwest::multipart::Part::bytes(vec![0_u8; 2 * 1024 * 1024]).file_name("big.bin");
    let form = reqwest::multipart::Form::new().part("file", part);
    let request = admin.request(Method::POST, &format!("/projects/{project}/files")).header("connection", "close");
    let (status, problem) = support::read(request.multipart(form).send().await.expect("answers")).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{problem}");
    let (_, detail) = admin.get(&format!("/projects/{project}")).await;
    assert_eq!(detail["files"].as_array().map(Vec::len), Some(0), "no file record for a refused upload");

    for path in ["/clients/not-an-id", "/clients/00000000-0000-0000-0000-000000000000", "/nothing/here"] {
        let (status, problem) = admin.get(path).await;
        assert_eq!((status, problem["status"].as_u64()), (StatusCode::NOT_FOUND, Some(404)), "{path}");
    }
    let (status, problem) = admin.send(Method::PUT, "/clients", None).await;
    assert_eq!((status, problem["status"].as_u64()), (StatusCode::METHOD_NOT_ALLOWED, Some(405)));
    let (status, _) = admin.get("/clients?limit=0&cursor=garbage").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(client_count(&admin).await, before, "nothing was created by any refused request");
    server.running.stop().await.expect("stops");
}

on_both_engines!(bad_input_gets_a_clear_4xx_and_changes_nothing);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_the_security_headers_and_the_cookie_is_locked_down() {
    let server = TestServer::start(Engine::Sqlite).await;
    let browser = server.browser();
    for path in ["/healthz", "/me", "/nowhere"] {
        let answer = browser.request(Method::GET, path).send().await.expect("answers");
        let headers = answer.headers();
        let csp = headers["content-security-policy"].to_str().unwrap_or_default();
        assert!(
            csp.contains("object-src 'none'")
                && csp.contains("frame-ancestors 'none'")
                && !csp.contains("unsafe-inline")
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["cache-control"], "no-store");
        assert!(headers.contains_key("x-request-id"), "{path}");
    }
    let answer = browser
        .request(Method::POST, "/auth/invitations/accept")
        .json(&json!({"token": "x", "password": "y"}))
        .send()
        .await
        .expect("answers");
    assert_eq!(answer.headers()[CONTENT_TYPE], "application/problem+json");

    let link = server.running.admin_link.as_deref().expect("a link");
    let token = link.rsplit('/').next().expect("token");
    browser.post("/auth/invitations/accept", json!({"token": token, "password": PASSWORD})).await;
    let login = json!({"email": "admin@localhost", "password": PASSWORD});
    let answer = browser.request(Method::POST, "/auth/login").json(&login).send().await.expect("answers");
    let cookie = answer.headers()[SET_COOKIE].to_str().unwrap_or_default().to_owned();
    for attribute in ["portico_session=", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http: a Secure cookie would never come back");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_deployments_get_host_prefixed_secure_cookies_and_hsts() {
    let server = TestServer::start_with(Engine::Sqlite, |s| s.public_url = Some("https://portal.example".into())).await;
    let browser = server.browser();
    let answer = browser.request(Method::GET, "/healthz").send().await.expect("answers");
    assert!(answer.headers()["strict-transport-security"].to_str().unwrap_or_default().starts_with("max-age="));
    let token = server.running.admin_link.as_deref().and_then(|l| l.rsplit('/').next()).expect("token").to_owned();
    browser.post("/auth/invitations/accept", json!({"token": token, "password": PASSWORD})).await;
    let login = json!({"email": "admin@localhost", "password": PASSWORD});
    let answer = browser.request(Method::POST, "/auth/login").json(&login).send().await.expect("answers");
    let cookie = answer.headers()[SET_COOKIE].to_str().unwrap_or_default().to_owned();
    assert!(cookie.starts_with("__Host-portico_session=") && cookie.contains("; Secure"), "{cookie}");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_state_changes_are_refused_and_same_site_ones_pass() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let body = json!({"name": "Sarah", "email": "sarah@acme.example"});
    for (header, value) in
        [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site"), ("sec-fetch-site", "same-site")]
    {
        let request = admin.request(Method::POST, "/clients").header(header, value).json(&body);
        let (status, problem) = support::read(request.send().await.expect("answers")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{header}: {value}: {problem}");
    }
    assert_eq!(client_count(&admin).await, 0);
    let request = admin.request(Method::POST, "/clients").header("sec-fetch-site", "same-origin").json(&body);
    assert_eq!(request.send().await.expect("answers").status(), StatusCode::CREATED);
    let reading = admin.request(Method::GET, "/clients").header("sec-fetch-site", "cross-site");
    assert_eq!(reading.send().await.expect("answers").status(), StatusCode::OK, "reads change nothing and pass");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_limited_per_account_and_per_ip_without_blocking_resets() {
    let server = TestServer::start(Engine::Sqlite).await;
    let _admin = server.admin().await;
    let browser = server.browser();
    let attempt = |email: &str| json!({"email": email, "password": "not the password"});
    for _ in 0..5 {
        assert_eq!(browser.post("/auth/login", attempt("admin@localhost")).await.0, StatusCode::UNAUTHORIZED);
    }
    let answer =
        browser.request(Method::POST, "/auth/login").json(&attempt("admin@localhost")).send().await.expect("answers");
    assert_eq!(answer.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = answer.headers()[RETRY_AFTER].to_str().ok().and_then(|s| s.parse().ok()).expect("Retry-After");
    assert!((1..=300).contains(&wait), "{wait}");
    let right = json!({"email": "admin@localhost", "password": PASSWORD});
    assert_eq!(
        browser.post("/auth/login", right).await.0,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    let (status, _) = browser.post("/auth/password-reset", json!({"email": "admin@localhost"})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "the owner can still reset");

    // Five failures so far from this address; five more reach the limit of ten.
    for n in 0..5 {
        let (status, _) = browser.post("/auth/login", attempt(&format!("guess{n}@example.com"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, problem) = browser.post("/auth/login", attempt("fresh@example.com")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "ten failures from one address: {problem}");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_answers_never_tell_who_has_an_account() {
    let server = TestServer::start(Engine::Sqlite).await;
    let _admin = server.admin().await;
    let browser = server.browser();
    let (known_status, known) = browser.post("/auth/password-reset", json!({"email": "admin@localhost"})).await;
    let (unknown_status, unknown) = browser.post("/auth/password-reset", json!({"email": "nobody@example.com"})).await;
    assert_eq!((known_status, &known), (unknown_status, &unknown));
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_rotate_at_login_and_end_at_logout_and_password_reset() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let stolen = admin.http.get(admin.url("/me")).send().await.expect("answers").status();
    assert_eq!(stolen, StatusCode::OK);
    let other = server.browser();
    other.log_in("admin@localhost", PASSWORD).await;

    let answer = admin.request(Method::POST, "/auth/logout").send().await.expect("answers");
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    assert!(answer.headers()["clear-site-data"].to_str().unwrap_or_default().contains("cookies"));
    assert_eq!(admin.get("/me").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(other.get("/me").await.0, StatusCode::OK, "logout ends only its own session");

    let (status, _) = other.post("/auth/password-reset", json!({"email": "admin@localhost"})).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let actor = server.admin_actor().await;
    let outbox = server.running.portico().outbox(&actor, &portico_ports::PageRequest::first()).await.expect("outbox");
    let token = outbox
        .items
        .iter()
        .filter(|m| matches!(m.content, portico_domain::mail::MailContent::PasswordReset { .. }))
        .find_map(|m| server.running.portico().link_secret(m)?.ok().map(|secret| secret.expose().to_owned()));
    let reset = json!({"token": token.expect("a reset mail"), "password": "an entirely new passphrase"});
    assert_eq!(other.post("/auth/password-reset/confirm", reset).await.0, StatusCode::NO_CONTENT);
    assert_eq!(other.get("/me").await.0, StatusCode::UNAUTHORIZED, "a password reset ends every session");
    other.log_in("admin@localhost", "an entirely new passphrase").await;
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_work_as_bearer_credentials_until_revoked() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let (status, created) = admin.post("/tokens", json!({"label": "Accounting sync"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let secret = created["secret"].as_str().expect("the secret, once").to_owned();
    let program = reqwest::Client::new();
    let me = |secret: String| program.get(admin.url("/me")).bearer_auth(secret).send();
    let answer = me(secret.clone()).await.expect("answers");
    assert_eq!(answer.status(), StatusCode::OK);
    let (_, listed) = admin.get("/tokens").await;
    assert!(!listed.to_string().contains(&secret), "the secret is never listed");
    admin.send(Method::DELETE, &format!("/tokens/{}", id_of(&created)), None).await;
    assert_eq!(me(secret).await.expect("answers").status(), StatusCode::UNAUTHORIZED);
    assert_eq!(me("made-up".into()).await.expect("answers").status(), StatusCode::UNAUTHORIZED);
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_are_attachments_and_exports_defuse_formulas() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let project = id_of(&admin.post("/projects", json!({"name": "Files"})).await.1);
    let part = reqwest::multipart::Part::bytes(b"<script>alert(1)</script>".to_vec())
        .file_name("résumé \"final\".html")
        .mime_str("text/html")
        .expect("a media type");
    let form = reqwest::multipart::Form::new().part("file", part);
    let answer = admin.request(Method::POST, &format!("/projects/{project}/files")).multipart(form).send().await;
    let (status, file) = support::read(answer.expect("answers")).await;
    assert_eq!(status, StatusCode::CREATED, "{file}");
    let download =
        admin.request(Method::GET, &format!("/files/{}/download", id_of(&file))).send().await.expect("answers");
    let disposition = download.headers()[CONTENT_DISPOSITION].to_str().unwrap_or_default().to_owned();
    assert!(disposition.starts_with("attachment; filename=\"r_sum_ _final_.html\""), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22%2Ehtml"), "{disposition}");
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    assert_eq!(download.bytes().await.expect("bytes").as_ref(), b"<script>alert(1)</script>");
    let stored: Vec<_> = walk(&server.files_dir());
    assert!(stored.iter().all(|name| !name.contains("sum")), "stored under generated keys only: {stored:?}");

    admin
        .post(
            "/clients",
            json!({"name": "=HYPERLINK(\"http://evil\")", "email": "formula@acme.example", "company": "+Acme"}),
        )
        .await;
    let export = admin.request(Method::GET, "/clients/export.csv").send().await.expect("answers");
    assert!(export.headers()[CONTENT_DISPOSITION].to_str().unwrap_or_default().starts_with("attachment"));
    let text = export.text().await.expect("text");
    assert!(text.contains("\"'=HYPERLINK(\"\"http://evil\"\")\"") && text.contains("'+Acme"), "{text}");
    server.running.stop().await.expect("stops");
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() { walk(&path) } else { vec![entry.file_name().to_string_lossy().into_owned()] }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_the_same_file_twice_in_upsert_mode_adds_nobody() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let csv = "name,email,company,permissions\nSarah Chen,sarah@acme.example,Acme,collaborator\nJames,james@acme.example,Acme,projects;tasks\n";
    let import = |query: &'static str| {
        let request =
            admin.request(Method::POST, &format!("/clients/import?{query}")).header(CONTENT_TYPE, "text/csv").body(csv);
        async move { support::read(request.send().await.expect("answers")).await }
    };
    let (status, dry) = import("dry_run=true&mode=upsert").await;
    assert_eq!((status, dry["created"].as_u64(), dry["applied"].as_bool()), (StatusCode::OK, Some(2), Some(false)));
    assert_eq!(client_count(&admin).await, 0, "a dry run writes nothing");
    let (_, first) = import("mode=upsert").await;
    assert_eq!((first["created"].as_u64(), first["applied"].as_bool()), (Some(2), Some(true)));
    let (_, second) = import("mode=upsert").await;
    assert_eq!((second["created"].as_u64(), second["unchanged"].as_u64()), (Some(0), Some(2)));
    let (_, clients) = admin.get("/clients").await;
    assert_eq!(clients["items"].as_array().map(Vec::len), Some(2));
    let (status, refused) = import("mode=create").await;
    assert_eq!((status, refused["problems"].as_array().map(Vec::len)), (StatusCode::UNPROCESSABLE_ENTITY, Some(2)));
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_shows_undelivered_invitation_links_but_never_reset_links() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    admin.post("/clients", json!({"name": "Sarah Chen", "email": "sarah@acme.example"})).await;
    admin.post("/auth/password-reset", json!({"email": "admin@localhost"})).await;
    let (status, outbox) = admin.get("/outbox").await;
    assert_eq!(status, StatusCode::OK);
    let items = outbox["items"].as_array().expect("items");
    let link_of = |kind: &str| items.iter().find(|m| m["kind"] == kind).map(|m| m["invitation_link"].clone());
    let invitation = link_of("invitation").expect("an invitation is queued");
    let expected = format!("{}/invitation/{}", server.base, server.invitation_for("sarah@acme.example").await);
    assert_eq!(invitation.as_str(), Some(expected.as_str()));
    assert_eq!(link_of("password_reset"), Some(Value::Null), "reset links stay with their owner");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_person_reads_and_sets_their_own_notification_choices() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    admin.post("/clients", json!({"name": "Sarah Chen", "email": "sarah@acme.example"})).await;
    let sarah = server.activate("sarah@acme.example").await;
    let (status, mine) = sarah.get("/me/notifications").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mine["categories"]["invoices"], "immediate", "the workspace's default for clients");
    assert_eq!(mine["categories"]["files"], "daily_digest");
    let (status, changed) =
        sarah.send(Method::PUT, "/me/notifications", Some(json!({"categories": {"files": "off"}}))).await;
    assert_eq!((status, &changed["categories"]["files"]), (StatusCode::OK, &json!("off")));
    assert_eq!(changed["categories"]["invoices"], "immediate", "categories left out keep theirs");
    assert_eq!(admin.get("/me/notifications").await.1["categories"]["files"], "immediate", "each person's own");

    // A bad name is its field's error and changes nothing; only admins opt in to every project.
    let bad = json!({"categories": {"files": "hourly", "tasks": "weekly"}});
    let (status, problem) = sarah.send(Method::PUT, "/me/notifications", Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let fields: Vec<&str> =
        problem["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["categories.files", "categories.tasks"]);
    let unknown = json!({"categories": {"gossip": "off"}});
    let (status, problem) = sarah.send(Method::PUT, "/me/notifications", Some(unknown)).await;
    let refused = (status, problem["errors"][0]["field"].as_str());
    assert_eq!(refused, (StatusCode::UNPROCESSABLE_ENTITY, Some("categories.gossip")), "{problem}");
    assert_eq!(sarah.get("/me/notifications").await.1["categories"]["files"], "off");
    let opt_in = json!({"all_projects": true});
    assert_eq!(sarah.send(Method::PUT, "/me/notifications", Some(opt_in.clone())).await.0, StatusCode::FORBIDDEN);
    let (status, admins) = admin.send(Method::PUT, "/me/notifications", Some(opt_in)).await;
    assert_eq!((status, &admins["all_projects"]), (StatusCode::OK, &json!(true)));
    server.running.stop().await.expect("stops");
}

/// A GET of a page-side `path` (outside the API), as anyone.
async fn fetch_site(server: &TestServer, path: &str) -> reqwest::Response {
    let browser = server.browser();
    browser.http.get(format!("{}{path}", browser.base)).send().await.expect("answers")
}

/// Uploads `bytes` as the logo.
async fn upload_logo(admin: &Browser, bytes: &[u8], name: &str) -> (StatusCode, Value) {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part);
    support::read(admin.request(Method::POST, "/settings/logo").multipart(form).send().await.expect("answers")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logo_is_judged_by_its_content_and_served_sandboxed_and_the_brand_colour_stays_legible() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let (status, problem) = upload_logo(&admin, b"<html><script>alert(1)</script></html>", "logo.svg").await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("logo")));
    let (status, problem) = upload_logo(&admin, &vec![b' '; 512 * 1024 + 1], "big.png").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "over 512 KiB: {problem}");
    assert_eq!(admin.get("/settings").await.1["logo_url"], Value::Null, "nothing was kept");

    let hostile = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>fetch('/api/v1/clients')</script><rect width="10" height="10"/></svg>"#;
    let (status, saved) = upload_logo(&admin, hostile, "logo.png").await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let url = saved["logo_url"].as_str().expect("a logo").to_owned();
    let logo = fetch_site(&server, &url).await;
    assert_eq!(logo.status(), StatusCode::OK, "anyone may load the logo (the login page shows it)");
    let headers = logo.headers().clone();
    assert_eq!(headers[CONTENT_TYPE], "image/svg+xml", "judged by its content, not its name");
    let policy = headers["content-security-policy"].to_str().unwrap_or_default();
    assert!(
        policy.contains("sandbox") && policy.contains("default-src 'none'") && !policy.contains("script-src"),
        "{policy}"
    );
    assert!(headers[CONTENT_DISPOSITION].to_str().unwrap_or_default().starts_with("attachment"));
    assert_eq!(logo.bytes().await.expect("bytes").as_ref(), hostile);

    let (status, replaced) = upload_logo(&admin, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "logo.png").await;
    assert_eq!(status, StatusCode::OK, "{replaced}");
    let gone = fetch_site(&server, &url).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND, "the replaced logo is gone");

    // A colour white text cannot sit on is darkened; the style sheet trusts no address.
    let (_, yellow) = admin.send(Method::PATCH, "/settings", Some(json!({"brand_colour": "#FFD500"}))).await;
    assert_eq!(yellow["brand_colour"], "#ffd500");
    let used = yellow["brand_colour_used"].as_str().expect("a colour").to_owned();
    assert_ne!(used, "#ffd500", "too light for white text");
    let css = fetch_site(&server, "/brand/accent/ffd500.css").await;
    assert_eq!(css.text().await.expect("text"), format!(":root {{ --accent: {used}; }}\n"));
    let bad = fetch_site(&server, "/brand/accent/red%3B%7Dbody%7Bdisplay:none.css").await;
    assert_eq!(bad.status(), StatusCode::NOT_FOUND);

    // Without a mail server, a test mail says so instead of pretending.
    let (status, test) = admin.post("/settings/test-mail", json!({})).await;
    assert_eq!((status, test["accepted"].as_bool()), (StatusCode::OK, Some(false)), "{test}");
    assert!(test["reply"].as_str().unwrap_or_default().contains("no mail server"), "{test}");
    server.running.stop().await.expect("stops");
}
