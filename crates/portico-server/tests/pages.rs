//! The web pages over plain HTTP: every page answers and carries the security headers, pages
//! are for the right people only, refused forms keep what was typed and say what is wrong,
//! cross-site form posts change nothing, and every button a page shows is one the domain allows.

mod support;

use std::str::FromStr as _;

use portico_app::Actor;
use portico_domain::activity::{Category, Delivery};
use portico_domain::ids::ClientId;
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::redirect::Policy;
use reqwest::{Method, StatusCode};
use serde_json::json;
use support::{Browser, Engine, TestServer, id_of};

/// A page client for `email`, logged in through the login page, that shows redirects instead
/// of following them.
async fn page_client(server: &TestServer, email: &str) -> reqwest::Client {
    let client = reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("a client");
    let login = client
        .post(format!("{}/login", server.base))
        .form(&[("email", email), ("password", support::PASSWORD)])
        .send()
        .await
        .expect("answers");
    assert_eq!(login.status(), StatusCode::SEE_OTHER, "{email} logs in through the page");
    client
}

struct World {
    client: String,
    project: String,
    task: String,
    other_project: String,
}

async fn world(server: &TestServer, admin: &Browser) -> World {
    let created = admin
        .post("/clients", json!({"name": "Sarah Chen", "email": "sarah@acme.example", "preset": "full_access"}))
        .await;
    let client = id_of(&created.1);
    let project = id_of(&admin.post("/projects", json!({"name": "Brand Refresh", "client_ids": [client]})).await.1);
    let other_project = id_of(&admin.post("/projects", json!({"name": "Someone else's"})).await.1);
    let task = json!({"title": "Logo", "visibility": "client"});
    let task = id_of(&admin.post(&format!("/projects/{project}/tasks"), task).await.1);
    server.activate("sarah@acme.example").await;
    World { client, project, task, other_project }
}

/// The hidden inputs of a page, as a browser would send them back.
fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let unescape = |text: &str| {
        text.replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    html.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once("\" value=\"")?;
            let (value, _) = rest.split_once('"')?;
            Some((unescape(name), unescape(value)))
        })
        .collect()
}

fn assert_secure_page(path: &str, response: &reqwest::Response) {
    let headers = response.headers();
    let csp = headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"),
        "{path}: {csp}"
    );
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert_eq!(value("x-content-type-options"), "nosniff", "{path}");
    assert_eq!(value("referrer-policy"), "no-referrer", "{path}");
    assert_eq!(value("cache-control"), "no-store", "{path}");
    let kind = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(kind.starts_with("text/html"), "{path}: {kind}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_answers_with_the_security_headers_and_only_to_its_people() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { client, project, task, other_project } = world(&server, &admin).await;
    let pages = page_client(&server, "admin@localhost").await;
    let admin_pages = [
        "/admin/clients".to_owned(),
        "/admin/clients?q=sarah&status=invited&company=acme".to_owned(),
        "/admin/clients/new".to_owned(),
        format!("/admin/clients/{client}"),
        format!("/admin/clients/{client}/deactivate"),
        format!("/admin/clients/{client}/delete"),
        format!("/admin/clients/{client}/preview"),
        format!("/admin/clients/{client}/preview/projects/{project}"),
        format!("/admin/clients/{client}/preview/invoices"),
        "/admin/companies".to_owned(),
        "/admin/outbox".to_owned(),
        "/admin/review".to_owned(),
        "/admin/import".to_owned(),
        "/admin/projects".to_owned(),
        "/admin/projects?status=archived".to_owned(),
        format!("/admin/projects/{project}"),
        format!("/admin/projects/{project}/clients/{client}/remove"),
        format!("/admin/visibility/task/{task}?to=internal&project={project}"),
        format!("/admin/explain?item_kind=task&item_id={task}&client_id={client}"),
        "/admin/invoices".to_owned(),
        "/admin/activity".to_owned(),
        "/admin/notifications".to_owned(),
        "/account/password".to_owned(),
    ];
    for path in &admin_pages {
        let response = pages.get(format!("{}{path}", server.base)).send().await.expect("answers");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_secure_page(path, &response);
    }

    let anonymous = reqwest::Client::builder().redirect(Policy::none()).build().expect("a client");
    for (path, status) in [
        ("/login", StatusCode::OK),
        ("/forgot-password", StatusCode::OK),
        ("/invitation/not-a-token", StatusCode::NOT_FOUND),
        ("/password-reset/not-a-token", StatusCode::NOT_FOUND),
    ] {
        let response = anonymous.get(format!("{}{path}", server.base)).send().await.expect("answers");
        assert_eq!(response.status(), status, "{path}");
        assert_secure_page(path, &response);
    }
    for path in &admin_pages {
        let response = anonymous.get(format!("{}{path}", server.base)).send().await.expect("answers");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path} sends strangers to log in");
        assert_eq!(response.headers()[LOCATION], "/login");
    }

    let sarah = page_client(&server, "sarah@acme.example").await;
    let portal_pages =
        ["/portal", "/portal/invoices", "/portal/activity", "/portal/notifications", "/account/password"];
    for path in portal_pages.map(str::to_owned).into_iter().chain([format!("/portal/projects/{project}")]) {
        let response = sarah.get(format!("{}{path}", server.base)).send().await.expect("answers");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_secure_page(&path, &response);
    }
    let foreign = sarah.get(format!("{}/portal/projects/{other_project}", server.base)).send().await.expect("answers");
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND, "a project that is not hers does not exist for her");
    for path in ["/admin/clients", "/admin/clients/new", "/admin/invoices", "/admin/activity", "/admin/notifications"] {
        let response = sarah.get(format!("{}{path}", server.base)).send().await.expect("answers");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path} is not for clients");
    }
    let css = anonymous.get(format!("{}/static/portico.css", server.base)).send().await.expect("answers");
    assert_eq!(css.status(), StatusCode::OK);
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_form_keeps_what_was_typed_and_says_what_is_wrong() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let pages = page_client(&server, "admin@localhost").await;
    let form = [("name", "Sarah <b>Chen</b>"), ("email", "sarah@"), ("company", "Acme"), ("preset", "collaborator")];
    let response = pages.post(format!("{}/admin/clients/new", server.base)).form(&form).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("a page");
    assert!(html.contains("value=\"Sarah &#60;b&#62;Chen&#60;/b&#62;\""), "the name is kept, escaped");
    assert!(html.contains("id=\"email-error\""), "the email error is next to its field");
    assert!(html.contains("aria-invalid=\"true\""));
    let list = pages.get(format!("{}/admin/clients?status=invited", server.base)).send().await.expect("answers");
    assert!(!list.text().await.expect("a page").contains("Sarah"), "nothing was saved");

    // An address whose domain has no dot is a typo for a contact, on a page as in the API.
    let local = [("name", "Sarah Chen"), ("email", "sarah@gmail"), ("preset", "collaborator")];
    let html = refused(&server, &pages, "/admin/clients/new", &local).await;
    assert!(html.contains("id=\"email-error\">the part after @ needs a dot, such as example.com</p>"), "{html}");
    assert!(html.contains("value=\"sarah@gmail\""), "the address is kept to be fixed");
    let (status, problem) = admin.post("/clients", json!({"name": "Sarah Chen", "email": "sarah@gmail"})).await;
    assert_eq!((status, &problem["errors"][0]["field"]), (StatusCode::UNPROCESSABLE_ENTITY, &json!("email")));
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_form_posts_change_nothing() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let pages = page_client(&server, "admin@localhost").await;
    let form = [("name", "Forged"), ("email", "forged@evil.example"), ("preset", "full_access")];
    let forged = pages
        .post(format!("{}/admin/clients/new", server.base))
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .expect("answers");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let (_, clients) = admin.send(Method::GET, "/clients", None).await;
    assert_eq!(clients["items"].as_array().map(Vec::len), Some(0));
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn narrowing_permissions_shows_who_loses_what_before_saving() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { client, .. } = world(&server, &admin).await;
    let pages = page_client(&server, "admin@localhost").await;
    let form = [("name", "Sarah Chen"), ("email", "sarah@acme.example"), ("preset", "overview_only")];
    let response =
        pages.post(format!("{}/admin/clients/{client}", server.base)).form(&form).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("a page");
    assert!(html.contains("Narrow Sarah Chen&#39;s permissions?"), "{html}");
    assert!(html.contains("task “Logo”"), "the confirmation lists the task she would lose");
    let (_, before) = admin.get(&format!("/clients/{client}")).await;
    assert_eq!(before["preset"], "full_access", "nothing changes before confirming");

    // What the confirmation button sends: the edit carried in the page's hidden fields.
    let confirmed = hidden_fields(&html);
    assert!(confirmed.contains(&("confirmed".to_owned(), "yes".to_owned())), "{confirmed:?}");
    assert!(confirmed.contains(&("preset".to_owned(), "overview_only".to_owned())), "{confirmed:?}");
    let response =
        pages.post(format!("{}/admin/clients/{client}", server.base)).form(&confirmed).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, after) = admin.get(&format!("/clients/{client}")).await;
    assert_eq!(after["preset"], "overview_only");
    server.running.stop().await.expect("stops");
}

/// The page at `path` as `pages` sees it.
async fn page(server: &TestServer, pages: &reqwest::Client, path: &str) -> String {
    let response = pages.get(format!("{}{path}", server.base)).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("a page")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_button_a_page_shows_is_one_the_domain_allows() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { client, project, .. } = world(&server, &admin).await;
    let pages = page_client(&server, "admin@localhost").await;

    // A client's own post stays shared: no "make internal" for it, as there is for staff's.
    let sarah = server.browser();
    sarah.log_in("sarah@acme.example", support::PASSWORD).await;
    let theirs =
        id_of(&sarah.post(&format!("/portal/projects/{project}/messages"), json!({"body": "Looks great"})).await.1);
    let ours = json!({"body": "Kick-off on Monday", "visibility": "client"});
    let ours = id_of(&admin.post(&format!("/projects/{project}/messages"), ours).await.1);
    let html = page(&server, &pages, &format!("/admin/projects/{project}")).await;
    assert!(html.contains(&format!("/admin/visibility/message/{ours}?to=internal")), "{html}");
    assert!(!html.contains(&format!("/admin/visibility/message/{theirs}")), "no switch for the client's post");

    // A client's actions follow its status.
    let path = format!("/admin/clients/{client}");
    let active = page(&server, &pages, &path).await;
    assert!(active.contains(&format!("{path}/deactivate")) && !active.contains(&format!("{path}/reactivate")));
    assert!(!active.contains(&format!("{path}/resend")), "an active client has accepted its invitation");
    admin.post(&format!("/clients/{client}/deactivate"), json!({})).await;
    let deactivated = page(&server, &pages, &path).await;
    assert!(
        deactivated.contains(&format!("{path}/reactivate")) && !deactivated.contains(&format!("{path}/deactivate\""))
    );
    admin.send(Method::DELETE, &format!("/clients/{client}"), None).await;
    let deleted = page(&server, &pages, &path).await;
    for gone in ["/reactivate", "/deactivate", "/delete", "Save changes"] {
        assert!(!deleted.contains(gone), "a deleted client offers no {gone}");
    }

    // An invoice's actions follow its status.
    let other = json!({"name": "Tom Reed", "email": "tom@acme.example"});
    let tom = id_of(&admin.post("/clients", other).await.1);
    let invoice = |number: &str| {
        json!({"client_id": tom, "number": number, "currency": "EUR",
               "lines": [{"description": "Workshop", "quantity": "1", "unit_price_minor": 1000}]})
    };
    let (_, created) = admin.post("/invoices", invoice("D-1")).await;
    assert_eq!(created["total"]["display"], "€10.00", "the API writes amounts as the locale does");
    let draft = id_of(&created);
    let paid = id_of(&admin.post("/invoices", invoice("P-1")).await.1);
    admin.post(&format!("/invoices/{paid}/send"), json!({})).await;
    admin.post(&format!("/invoices/{paid}/mark-paid"), json!({})).await;
    let sent = id_of(&admin.post("/invoices", invoice("S-1")).await.1);
    admin.post(&format!("/invoices/{sent}/send"), json!({})).await;
    let html = page(&server, &pages, "/admin/invoices").await;
    assert!(html.contains("<td class=\"num\">€10.00</td>"), "the list writes amounts as the locale does");
    let html = page(&server, &pages, &format!("/admin/invoices/{draft}")).await;
    for action in ["edit", "send", "delete"] {
        assert!(html.contains(&format!("/admin/invoices/{draft}/{action}")), "a draft can be {action}");
    }
    for action in ["void", "payments"] {
        assert!(!html.contains(&format!("/admin/invoices/{draft}/{action}")), "a draft offers no {action}");
    }
    let html = page(&server, &pages, &format!("/admin/invoices/{sent}")).await;
    for action in ["void", "payments"] {
        assert!(html.contains(&format!("/admin/invoices/{sent}/{action}")), "a sent invoice offers {action}");
    }
    for action in ["edit", "send", "delete"] {
        assert!(!html.contains(&format!("/admin/invoices/{sent}/{action}")), "a sent invoice offers no {action}");
    }
    let html = page(&server, &pages, &format!("/admin/invoices/{paid}")).await;
    for action in ["edit", "send", "void", "delete", "payments\""] {
        assert!(!html.contains(&format!("/admin/invoices/{paid}/{action}")), "a paid invoice offers no {action}");
    }
    assert!(html.contains("/remove\""), "its payment may be removed (one entered by mistake)");
    // Outstanding: the sent one only (the draft owes nothing yet, the paid one nothing more).
    let html = page(&server, &pages, "/admin/invoices?balance=outstanding").await;
    assert!(html.contains(&format!("/admin/invoices/{sent}\"")), "the sent invoice is outstanding");
    for settled in [&draft, &paid] {
        assert!(!html.contains(&format!("/admin/invoices/{settled}\"")), "{settled} owes nothing");
    }
    assert!(html.contains("1 invoice in EUR</strong>: €10.00 invoiced, <strong>€10.00</strong> outstanding"), "{html}");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_list_filter_is_the_same_field_error_on_a_page_as_in_the_api() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let pages = page_client(&server, "admin@localhost").await;
    for (api, page, field, shown_at) in [
        ("/clients?status=bogus", "/admin/clients?status=bogus", "status", "status-error\">"),
        ("/clients?company=Acme%0D%0ABcc", "/admin/clients?company=Acme%0D%0ABcc", "company", "company-error\">"),
        ("/invoices?status=unpaid", "/admin/invoices?status=unpaid", "status", "status-error\">"),
        ("/invoices?balance=unpaid", "/admin/invoices?balance=unpaid", "balance", "balance-error\">"),
        ("/clients?sort=oldest", "/admin/clients?sort=oldest", "sort", "sort-error\">"),
        ("/projects?sort=oldest", "/admin/projects?sort=oldest", "sort", "sort-error\">"),
        ("/invoices?sort=oldest", "/admin/invoices?sort=oldest", "sort", "sort-error\">"),
        // Beside the list's filter, not the new-invoice form's client field of the same name.
        (
            "/invoices?client_id=nope",
            "/admin/invoices?client_id=nope",
            "client_id",
            "filter-client_id-error\">Client: ",
        ),
    ] {
        let (status, problem) = admin.get(api).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{api}: {problem}");
        let message = problem["errors"][0]["message"].as_str().expect("a message").to_owned();
        assert_eq!(problem["errors"][0]["field"], field);
        let response = pages.get(format!("{}{page}", server.base)).send().await.expect("answers");
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        let html = response.text().await.expect("a page");
        let shown = message.replace('&', "&amp;").replace('"', "&#34;").replace('\'', "&#39;");
        assert!(html.contains(&format!("id=\"{shown_at}{shown}</p>")), "{page} shows “{message}”: {html}");
        assert!(html.contains("<nav"), "the error is inside the normal page");
        assert!(!html.contains("nothing was saved"), "{page}: no form was sent");
    }
    server.running.stop().await.expect("stops");
}

/// Posts `form` to `path` and expects the same page back, refused inside the layout.
async fn refused(server: &TestServer, pages: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> String {
    let response = pages.post(format!("{}{path}", server.base)).form(form).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path} {form:?}");
    let html = response.text().await.expect("a page");
    assert!(html.contains("<nav"), "{path}: the refusal is the page itself, with its navigation");
    html
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_project_and_invoice_forms_show_their_errors_in_the_page_with_the_input_kept() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { client, project, task, .. } = world(&server, &admin).await;
    let pages = page_client(&server, "admin@localhost").await;
    let page = format!("/admin/projects/{project}");

    let task_form = [("title", " "), ("description", "Keep me"), ("visibility", "client")];
    let html = refused(&server, &pages, &format!("{page}/tasks"), &task_form).await;
    assert!(html.contains("id=\"task-title-error\""), "the title's error is beside it");
    assert!(html.contains(">Keep me</textarea>"), "the description is kept");
    assert!(html.contains("name=\"visibility\" value=\"client\" checked"), "the visibility is kept");

    let html = refused(&server, &pages, &format!("{page}/messages"), &[("body", "  "), ("visibility", "client")]).await;
    assert!(html.contains("id=\"message-body-error\""), "an empty message says so beside the box");

    let comment = [("body", ""), ("project_id", project.as_str())];
    let html = refused(&server, &pages, &format!("/admin/tasks/{task}/comments"), &comment).await;
    assert!(html.contains(&format!("id=\"comment-{task}-error\"")), "an empty comment says so on its task");

    let lines = [
        ("client_id", client.as_str()),
        ("number", "ACME-9"),
        ("currency", "EUR"),
        ("description", "Workshop"),
        ("quantity", "2"),
        ("unit_price", "1.250,00"),
        ("description", "Travel"),
        ("quantity", "1"),
        ("unit_price", "12.3456"),
    ];
    let html = refused(&server, &pages, "/admin/invoices", &lines).await;
    assert!(html.contains("id=\"unit_price-1-error\">Row 2: must have at most 2 decimals</p>"), "{html}");
    assert!(html.contains("value=\"1.250,00\""), "the first line's price is kept as typed");
    assert!(!html.contains("id=\"unit_price-0-error\""), "the first line is fine");

    let no_lines = [("client_id", client.as_str()), ("number", "ACME-10"), ("currency", "EUR")];
    let html = refused(&server, &pages, "/admin/invoices", &no_lines).await;
    assert!(html.contains("id=\"lines-error\""), "a draft without lines says so at the lines");
    let (_, invoices) = admin.get("/invoices").await;
    assert_eq!(invoices["items"].as_array().map(Vec::len), Some(0), "nothing was saved");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portal_offers_only_what_the_clients_permissions_open() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { project, .. } = world(&server, &admin).await;
    for (name, email, preset) in [
        ("Lisa Park", "lisa@acme.example", "billing_only"),
        ("James Okafor", "james@acme.example", "collaborator"),
        ("Tom Reed", "tom@acme.example", "overview_only"),
    ] {
        let id = id_of(&admin.post("/clients", json!({"name": name, "email": email, "preset": preset})).await.1);
        if preset != "billing_only" {
            let (status, _) = admin.send(Method::PUT, &format!("/projects/{project}/clients/{id}"), None).await;
            assert!(status.is_success(), "{name} joins the project");
        }
        server.activate(email).await;
    }
    let project_page = format!("/portal/projects/{project}");

    // Billing only: the portal opens at the invoices, and offers no projects.
    let lisa = page_client(&server, "lisa@acme.example").await;
    let home = lisa.get(format!("{}/portal", server.base)).send().await.expect("answers");
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    assert_eq!(home.headers()[LOCATION], "/portal/invoices");
    let invoices = page(&server, &lisa, "/portal/invoices").await;
    assert!(!invoices.contains("href=\"/portal\""), "no Projects in Lisa's navigation");

    // A collaborator: projects with tasks, files and messages, but no approvals and no invoices.
    let james = page_client(&server, "james@acme.example").await;
    let html = page(&server, &james, &project_page).await;
    for open in ["id=\"tasks\"", "id=\"files\"", "id=\"messages\""] {
        assert!(html.contains(open), "James sees {open}");
    }
    assert!(!html.contains("id=\"approvals\""), "no approvals box without the permission");
    assert!(!html.contains("href=\"/portal/invoices\""), "no Invoices in James's navigation");
    let response = james.get(format!("{}/portal/invoices", server.base)).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // Overview only: the project's name and dates, and a true word about the rest.
    let tom = page_client(&server, "tom@acme.example").await;
    let html = page(&server, &tom, &project_page).await;
    for closed in ["id=\"tasks\"", "id=\"files\"", "id=\"messages\"", "id=\"approvals\""] {
        assert!(!html.contains(closed), "Tom's page has no {closed}");
    }
    assert!(html.contains("name and dates only"));

    // Full access: everything.
    let sarah = page_client(&server, "sarah@acme.example").await;
    let html = page(&server, &sarah, &project_page).await;
    for open in ["id=\"tasks\"", "id=\"files\"", "id=\"messages\"", "id=\"approvals\"", "href=\"/portal/invoices\""] {
        assert!(html.contains(open), "Sarah sees {open}");
    }
    server.running.stop().await.expect("stops");
}

/// Every page reachable from `start` by the links the pages render, for `pages`: each must
/// answer with a page or a redirect, never a refusal or a failure.
async fn crawl(server: &TestServer, pages: &reqwest::Client, start: &str) -> std::collections::HashSet<String> {
    let mut queue = std::collections::VecDeque::from([start.to_owned()]);
    let mut seen = std::collections::HashSet::from([start.to_owned()]);
    while let Some(path) = queue.pop_front() {
        let response = pages.get(format!("{}{path}", server.base)).send().await.expect("answers");
        let status = response.status();
        assert!(status.is_success() || status.is_redirection(), "{start} → {path} answered {status}");
        let mut next: Vec<String> = Vec::new();
        if let Some(location) = response.headers().get(LOCATION).and_then(|l| l.to_str().ok()) {
            assert!(!location.starts_with("/login"), "{path} lost the session: the crawl would see nothing more");
            next.push(location.to_owned());
        }
        let html_page = response.headers().get(CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
        if html_page {
            let html = response.text().await.expect("a page");
            next.extend(
                html.split("href=\"")
                    .skip(1)
                    .filter_map(|rest| rest.split('"').next())
                    .map(|href| href.replace("&amp;", "&").split('#').next().unwrap_or_default().to_owned()),
            );
        }
        for link in next {
            let internal = link.starts_with('/') && !link.starts_with("//") && !link.starts_with("/static/");
            if internal && !link.is_empty() && seen.len() < 400 && seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_link_the_pages_render_leads_somewhere_for_admins_and_each_kind_of_client() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { client, project, task, .. } = world(&server, &admin).await;
    admin.post(&format!("/projects/{project}/messages"), json!({"body": "Kick-off", "visibility": "client"})).await;
    admin.post("/approvals", json!({"task_id": task})).await;
    let lisa = json!({"name": "Lisa Park", "email": "lisa@acme.example", "preset": "billing_only"});
    let lisa = id_of(&admin.post("/clients", lisa).await.1);
    let james = json!({"name": "James Okafor", "email": "james@acme.example", "preset": "collaborator"});
    let james = id_of(&admin.post("/clients", james).await.1);
    admin.send(Method::PUT, &format!("/projects/{project}/clients/{james}"), None).await;
    // One who has not accepted yet: their preview and pages must answer too.
    let tom = id_of(&admin.post("/clients", json!({"name": "Tom Reed", "email": "tom@acme.example"})).await.1);
    admin.send(Method::PUT, &format!("/projects/{project}/clients/{tom}"), None).await;
    for (number, to) in [("A-1", &client), ("A-2", &lisa)] {
        let invoice = json!({"client_id": to, "number": number, "currency": "EUR",
            "lines": [{"description": "Workshop", "quantity": "1", "unit_price_minor": 1000}]});
        let id = id_of(&admin.post("/invoices", invoice).await.1);
        admin.post(&format!("/invoices/{id}/send"), json!({})).await;
    }
    server.activate("lisa@acme.example").await;
    server.activate("james@acme.example").await;

    let staff = page_client(&server, "admin@localhost").await;
    let visited = crawl(&server, &staff, "/admin/clients").await;
    assert!(visited.contains("/api/v1/clients/export.csv"), "the clients list offers the export, which answers");
    for deep in [format!("/admin/projects/{project}"), format!("/admin/clients/{lisa}"), "/admin/invoices".to_owned()] {
        assert!(visited.contains(&deep), "the crawl reached {deep}: {visited:?}");
    }
    for email in ["sarah@acme.example", "lisa@acme.example", "james@acme.example"] {
        let portal = page_client(&server, email).await;
        let visited = crawl(&server, &portal, "/portal").await;
        let deep = if email.starts_with("lisa") {
            "/portal/invoices".to_owned()
        } else {
            format!("/portal/projects/{project}")
        };
        assert!(visited.contains(&deep), "{email}'s crawl reached {deep}: {visited:?}");
    }
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_portal_message_or_comment_is_shown_in_its_form() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { project, task, .. } = world(&server, &admin).await;
    let sarah = page_client(&server, "sarah@acme.example").await;
    let html = refused(&server, &sarah, &format!("/portal/projects/{project}/messages"), &[("body", "   ")]).await;
    assert!(html.contains("id=\"message-body-error\""), "the empty message says so beside its box");
    let comment = [("body", "\u{200b}"), ("project_id", project.as_str())];
    let html = refused(&server, &sarah, &format!("/portal/tasks/{task}/comments"), &comment).await;
    assert!(html.contains(&format!("id=\"comment-{task}-error\"")), "the empty comment says so on its task");
    let (_, page) = admin.get(&format!("/projects/{project}")).await;
    assert_eq!(page["messages"].as_array().map(Vec::len), Some(0), "nothing was posted");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_client_with_warnings_is_confirmed_or_fixed_before_anything_is_saved() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    admin.post("/clients", json!({"name": "Sarah Chen", "email": "sarah@acme.example", "company": "Acme Corp"})).await;
    let pages = page_client(&server, "admin@localhost").await;
    let new = format!("{}/admin/clients/new", server.base);
    let typed = [
        ("name", "James Ortiz"),
        ("email", "james@gmial.com"),
        ("company", "ACME Corp."),
        ("preset", "collaborator"),
        ("invite", "on"),
    ];
    let response = pages.post(&new).form(&typed).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::OK, "a question, not a refusal");
    let html = response.text().await.expect("a page");
    assert!(html.contains("Did you mean james@gmail.com?") && html.contains("Use james@gmail.com"), "{html}");
    assert!(html.contains("Use “Acme Corp”"), "the company fix is offered: {html}");
    let count = || async { admin.get("/clients").await.1["items"].as_array().map_or(0, Vec::len) };
    assert_eq!(count().await, 1, "nothing is saved before the admin chooses");
    let (_, outbox) = admin.get("/outbox").await;
    assert_eq!(outbox["items"].as_array().map(Vec::len), Some(1), "and no invitation is queued (only Sarah's)");

    // One click on the email fix: the address is corrected; the company still asks.
    let fixed: Vec<(String, String)> = hidden_fields(
        html.split("Use james@gmail.com").next().expect("the fix").rsplit("<form").next().expect("its form"),
    );
    assert!(fixed.contains(&("email".to_owned(), "james@gmail.com".to_owned())), "{fixed:?}");
    let html = pages.post(&new).form(&fixed).send().await.expect("answers").text().await.expect("a page");
    assert!(!html.contains("Did you mean") && html.contains("Use “Acme Corp”"), "{html}");

    // Saving as typed: confirmed, created, invited.
    let mut checked = fixed.clone();
    checked.push(("checked".to_owned(), "yes".to_owned()));
    let response = pages.post(&new).form(&checked).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(count().await, 2);
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_change_that_looks_like_a_typo_is_asked_about_before_saving() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { client, .. } = world(&server, &admin).await;
    let pages = page_client(&server, "admin@localhost").await;
    let path = format!("{}/admin/clients/{client}", server.base);
    let edit = [("name", "Sarah Chen"), ("email", "sarah@gmial.com"), ("preset", "full_access")];
    let response = pages.post(&path).form(&edit).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::OK, "a question, not a refusal");
    let html = response.text().await.expect("a page");
    assert!(html.contains("Use sarah@gmail.com") && html.contains("Save as typed"), "{html}");
    assert!(!html.contains("no invitation is sent"), "an edit sends no invitation");
    let (_, saved) = admin.get(&format!("/clients/{client}")).await;
    assert_eq!(saved["email"], "sarah@acme.example", "nothing is saved before the admin chooses");

    // Saved as typed, it is not asked again.
    let mut checked: Vec<(&str, &str)> = edit.to_vec();
    checked.push(("checked", "yes"));
    let response = pages.post(&path).form(&checked).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, saved) = admin.get(&format!("/clients/{client}")).await;
    assert_eq!(saved["email"], "sarah@gmial.com");
    // An edit that leaves the address alone does not ask about it again.
    let rename = [("name", "Sarah C. Chen"), ("email", "sarah@gmial.com"), ("preset", "full_access")];
    let response = pages.post(&path).form(&rename).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "only what the edit changes is checked");
    server.running.stop().await.expect("stops");
}

/// 240 clients, `Client 001` to `Client 240`, imported through the API.
async fn many_clients(admin: &Browser) {
    let csv = support::many_clients_csv(240);
    let response = admin.request(Method::POST, "/clients/import").header(CONTENT_TYPE, "text/csv").body(csv);
    let (status, answer) = support::read(response.send().await.expect("answers")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}

/// The options of the select named `name` on a page: (value, label).
fn options_of(html: &str, name: &str) -> Vec<(String, String)> {
    let Some((_, rest)) = html.split_once(&format!("<select id=\"{name}\" name=\"{name}\"")) else { return Vec::new() };
    let select = rest.split_once("</select>").map_or("", |(select, _)| select);
    select
        .split("<option value=\"")
        .skip(1)
        .filter_map(|option| {
            let (value, rest) = option.split_once('"')?;
            let label = rest.split_once('>')?.1.split_once("</option>")?.0;
            Some((value.to_owned(), label.to_owned()))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pickers_reach_every_client_and_project_however_many_there_are() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { project, .. } = world(&server, &admin).await;
    many_clients(&admin).await;
    let pages = page_client(&server, "admin@localhost").await;
    let path = format!("/admin/projects/{project}");

    // A project page offers the first matches with a search, not every client.
    let html = page(&server, &pages, &path).await;
    let first = options_of(&html, "client_id");
    assert_eq!(first.len(), 20, "{first:?}");
    assert!(html.contains("The first 20 clients by name: search to find any other."));
    assert!(!first.iter().any(|(_, label)| label.starts_with("Sarah Chen")), "clients on the project are left out");

    // Without JavaScript, Find shows the page again with the matches.
    let find = [("client_q", "client 240"), ("find", "client_id"), ("client_id", "")];
    let response = pages.post(format!("{}{path}/clients", server.base)).form(&find).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("a page");
    let found = options_of(&html, "client_id");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.starts_with("Client 240 (Many 2) · client240@many.example"), "{found:?}");
    assert!(html.contains("value=\"client 240\""), "the search is kept");
    assert!(html.contains("One match."));
    let (_, listed) = admin.get(&format!("/projects/{project}")).await;
    assert_eq!(listed["clients"].as_array().map(Vec::len), Some(1), "searching changed nothing");

    // Type-ahead asks for the same matches as JSON.
    let url = format!("{}/admin/find/clients?q=CLIENT%20240&not_on={project}", server.base);
    let json: serde_json::Value = pages.get(&url).send().await.expect("answers").json().await.expect("JSON");
    assert_eq!(json["choices"][0]["id"].as_str(), Some(found[0].0.as_str()));
    assert_eq!(json["summary"], "One match.");
    let none: serde_json::Value = pages
        .get(format!("{}/admin/find/clients?q=nobody%20at%20all", server.base))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(none["summary"], "No client matches “nobody at all”.");

    // Client 240 goes on the project, then is left out of its picker.
    let add = [("client_id", found[0].0.as_str()), ("narrow", "")];
    let response = pages.post(format!("{}{path}/clients", server.base)).form(&add).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let after: serde_json::Value = pages.get(&url).send().await.expect("answers").json().await.expect("JSON");
    assert_eq!(after["choices"].as_array().map(Vec::len), Some(0), "{after}");

    // The invoice form finds client 240 and the project, keeps the lines, and the list names them.
    let invoice = [
        ("client_q", "240"),
        ("project_q", "brand"),
        ("find", "client_id"),
        ("number", "MANY-240"),
        ("currency", "EUR"),
        ("description", "Workshop"),
        ("quantity", "1"),
        ("unit_price", "900"),
    ];
    let response = pages.post(format!("{}/admin/invoices", server.base)).form(&invoice).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("a page");
    assert!(html.contains("value=\"Workshop\"") && html.contains("value=\"MANY-240\""), "the draft is kept");
    let client = options_of(&html, "client_id");
    assert_eq!(client.len(), 1, "{client:?}");
    let projects = options_of(&html, "project_id");
    assert_eq!(projects.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>(), ["No project", "Brand Refresh"]);
    // A client who is not on the project is refused beside the project, the draft kept.
    let stranger = options_of(&page(&server, &pages, "/admin/invoices/new").await, "client_id")[0].0.clone();
    let wrong = [
        ("client_id", stranger.as_str()),
        ("project_id", projects[1].0.as_str()),
        ("number", "MANY-240"),
        ("currency", "EUR"),
        ("description", "Workshop"),
        ("quantity", "1"),
        ("unit_price", "900"),
    ];
    let html = refused(&server, &pages, "/admin/invoices", &wrong).await;
    assert!(html.contains("id=\"project_id-error\">the client is not assigned to that project</p>"), "{html}");
    assert!(html.contains("value=\"Workshop\""), "the draft is kept");
    let save = [
        ("client_id", client[0].0.as_str()),
        ("project_id", projects[1].0.as_str()),
        ("number", "MANY-240"),
        ("currency", "EUR"),
        ("description", "Workshop"),
        ("quantity", "1"),
        ("unit_price", "900"),
    ];
    let response = pages.post(format!("{}/admin/invoices", server.base)).form(&save).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let list = page(&server, &pages, "/admin/invoices").await;
    assert!(list.contains(">Client 240</a>"), "the list names the client however far down the alphabet");

    // The explainer finds them too, and explains once a client is chosen.
    let item = format!("/admin/explain?item_kind=project&item_id={project}");
    let html = page(&server, &pages, &format!("{item}&client_q=240&find=client_id")).await;
    assert_eq!(options_of(&html, "client_id").len(), 1);
    assert!(!html.contains("sees it.</strong>"), "searching explains nothing yet");
    let html = page(&server, &pages, &format!("{item}&client_id={}", client[0].0)).await;
    assert!(html.contains("Client 240 does not see it, because:"), "invited clients do not see it yet");
    server.running.stop().await.expect("stops");
}

/// The `href` of the link marked `rel` (`next`, `prev`) on a page.
fn link_marked(html: &str, rel: &str) -> Option<String> {
    let (before, _) = html.split_once(&format!("\" rel=\"{rel}\""))?;
    let href = before.rsplit_once("href=\"")?.1;
    Some(href.replace("&#38;", "&").replace("&amp;", "&"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_page_forward_and_back_with_totals_and_projects_show_who_is_on_them() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { project, .. } = world(&server, &admin).await;
    many_clients(&admin).await;
    let pages = page_client(&server, "admin@localhost").await;

    let first = page(&server, &pages, "/admin/clients").await;
    assert!(first.contains("1–50 of 241"), "Sarah and the 240");
    assert!(link_marked(&first, "prev").is_none(), "the first page has no previous");
    let second = page(&server, &pages, &link_marked(&first, "next").expect("a next page")).await;
    assert!(second.contains("51–100 of 241"));
    assert!(second.contains(">Client 051</a>") && !second.contains(">Client 050</a>"), "the second page goes on");
    let back = page(&server, &pages, &link_marked(&second, "prev").expect("a previous page")).await;
    assert!(back.contains("1–50 of 241") && back.contains(">Client 001</a>"), "previous leads back to the first");

    // Newest first: the client added last leads, though last by name; the order stays on the links.
    assert_eq!(
        admin.post("/clients", json!({"name": "Zed Newest", "email": "zed@acme.example"})).await.0,
        StatusCode::CREATED
    );
    let by_name = page(&server, &pages, "/admin/clients").await;
    assert!(!by_name.contains(">Zed Newest</a>") && by_name.contains("1–50 of 242"));
    let newest = page(&server, &pages, "/admin/clients?sort=newest").await;
    let first_row = newest.split("<tbody>").nth(1).and_then(|b| b.split("</tr>").next()).unwrap_or_default();
    assert!(first_row.contains(">Zed Newest</a>"), "{first_row}");
    assert!(newest.contains("<option value=\"newest\" selected>Newest first</option>"));
    let next = link_marked(&newest, "next").expect("a next page");
    assert!(next.contains("sort=newest"), "{next}");
    assert!(!page(&server, &pages, &next).await.contains(">Zed Newest</a>"), "the next page goes on, not over");

    // Filters stay on the links: 34 clients of "Many 3" (every seventh).
    let many3 = page(&server, &pages, "/admin/clients?company=Many%203").await;
    assert!(many3.contains("34 in all"), "one page, counted");
    assert!(link_marked(&many3, "next").is_none());
    let searched = page(&server, &pages, "/admin/clients?q=client%201").await;
    assert!(searched.contains("1–50 of 100"), "Client 100 to Client 199");
    let next = link_marked(&searched, "next").expect("a next page");
    assert!(next.contains("q=client%201"), "{next}");
    assert!(page(&server, &pages, &next).await.contains("51–100 of 100"));

    // The projects list names the clients on each project and how far its tasks are.
    let projects = page(&server, &pages, "/admin/projects").await;
    assert!(projects.contains("Sarah Chen · 1 of 1 task open"), "{projects}");
    assert!(projects.contains("No clients yet · no tasks"), "the other project");
    assert!(projects.contains("2 in all"));
    let found = page(&server, &pages, "/admin/projects?q=BRAND").await;
    assert!(found.contains("Brand Refresh") && !found.contains("Someone else"), "search by name");
    let archived = page(&server, &pages, "/admin/projects?status=archived").await;
    assert!(archived.contains("No archived projects yet."));

    // The invoices list, narrowed to one client from their page.
    let (_, sarah) = admin.get("/clients?q=sarah").await;
    let sarah = sarah["items"][0]["id"].as_str().expect("Sarah").to_owned();
    let draft = json!({"client_id": sarah, "project_id": project, "number": "S-1", "currency": "EUR",
        "lines": [{"description": "Work", "quantity": "1", "unit_price_minor": 100}]});
    assert_eq!(admin.post("/invoices", draft).await.0, StatusCode::CREATED);
    let for_sarah = page(&server, &pages, &format!("/admin/invoices?client_id={sarah}")).await;
    assert!(for_sarah.contains("For <a href=\"/admin/clients/") && for_sarah.contains("S-1"), "{for_sarah}");
    assert!(page(&server, &pages, &format!("/admin/clients/{sarah}")).await.contains("/admin/invoices?client_id="));
    server.running.stop().await.expect("stops");
}

/// Where each of `names` first appears in `html`, which must hold them all.
fn positions(html: &str, names: &[&str]) -> Vec<usize> {
    names.iter().map(|name| html.find(&format!(">{name}</")).unwrap_or_else(|| panic!("{name} is listed"))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn projects_sort_by_deadline_and_invoices_by_due_date_on_the_pages_as_in_the_api() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let pages = page_client(&server, "admin@localhost").await;
    for (name, deadline) in [("Alpha", None), ("Bravo", Some("2027-05-01")), ("Charlie", Some("2027-02-01"))] {
        let body = json!({"name": name, "deadline": deadline});
        assert_eq!(admin.post("/projects", body).await.0, StatusCode::CREATED);
    }
    let nearest_first = ["Charlie", "Bravo", "Alpha"];
    let (_, listed) = admin.get("/projects?sort=deadline").await;
    let names: Vec<&str> =
        listed["items"].as_array().expect("items").iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(names, nearest_first, "the nearest deadline first, the undated last");
    let html = page(&server, &pages, "/admin/projects?sort=deadline").await;
    assert!(positions(&html, &nearest_first).is_sorted(), "the page lists them in the same order");
    assert!(html.contains("<option value=\"deadline\" selected>By deadline</option>"));
    let newest = page(&server, &pages, "/admin/projects?sort=newest").await;
    assert!(positions(&newest, &["Charlie", "Bravo", "Alpha"]).is_sorted(), "the newest project first");

    let tom = id_of(&admin.post("/clients", json!({"name": "Tom Reed", "email": "tom@acme.example"})).await.1);
    for (number, due) in [("A-1", Some("2027-03-01")), ("A-2", None), ("A-3", Some("2027-01-15"))] {
        let body = json!({"client_id": tom, "number": number, "currency": "EUR", "due_date": due,
            "lines": [{"description": "Workshop", "quantity": "1", "unit_price_minor": 1000}]});
        assert_eq!(admin.post("/invoices", body).await.0, StatusCode::CREATED);
    }
    let (_, listed) = admin.get("/invoices?sort=due").await;
    let numbers: Vec<&str> =
        listed["items"].as_array().expect("items").iter().filter_map(|i| i["number"].as_str()).collect();
    assert_eq!(numbers, ["A-3", "A-1", "A-2"], "the nearest due date first, the undated last");
    let html = page(&server, &pages, "/admin/invoices?sort=due").await;
    assert!(positions(&html, &["A-3", "A-1", "A-2"]).is_sorted(), "{html}");
    let by_number = page(&server, &pages, "/admin/invoices").await;
    assert!(positions(&by_number, &["A-3", "A-2", "A-1"]).is_sorted(), "the newest number first by default");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approvals_are_asked_one_at_a_time_and_show_each_answer_with_its_time() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { project, task, .. } = world(&server, &admin).await;
    let pages = page_client(&server, "admin@localhost").await;
    let sarah = page_client(&server, "sarah@acme.example").await;
    let path = format!("/admin/projects/{project}");
    let ask = [("task_id", task.as_str()), ("project_id", project.as_str())];
    let asks_about_the_task = format!("name=\"task_id\" value=\"{task}\"><input type=\"hidden\" name=\"project_id\"");

    assert!(page(&server, &pages, &path).await.contains(&asks_about_the_task), "the task can be sent for approval");
    let response = pages.post(format!("{}/admin/approvals", server.base)).form(&ask).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = page(&server, &pages, &path).await;
    assert!(!html.contains(&asks_about_the_task), "no second request while one waits");
    assert!(html.contains("Waiting for an answer."));
    let again = pages.post(format!("{}/admin/approvals", server.base)).form(&ask).send().await.expect("answers");
    assert_eq!(again.status(), StatusCode::CONFLICT, "asking twice is refused");
    let (_, detail) = admin.get(&format!("/projects/{project}")).await;
    assert_eq!(detail["approvals"].as_array().map(Vec::len), Some(1), "nothing was added");
    let approval = detail["approvals"][0]["id"].as_str().expect("an approval").to_owned();

    // Sarah sees what she is asked about; her answer is shown with its time, and changing it
    // is a step of its own.
    let portal = page(&server, &sarah, &format!("/portal/projects/{project}")).await;
    assert!(portal.contains("waiting for you") && portal.contains("Asked "), "{portal}");
    assert!(!portal.contains("Change your answer"));
    for decision in ["changes_requested", "approved"] {
        let answer = [("decision", decision), ("comment", ""), ("project_id", project.as_str())];
        let url = format!("{}/portal/approvals/{approval}", server.base);
        assert_eq!(sarah.post(url).form(&answer).send().await.expect("answers").status(), StatusCode::SEE_OTHER);
    }
    let portal = page(&server, &sarah, &format!("/portal/projects/{project}")).await;
    assert!(portal.contains("You answered <strong>approved</strong> on "), "{portal}");
    assert!(portal.contains("<summary>Change your answer</summary>"));

    // Staff see the latest answer as current and the earlier one as history, and may ask again.
    let html = page(&server, &pages, &path).await;
    let current = html.find("Sarah Chen <span class=\"muted\">").expect("an answer");
    assert!(html[current..].contains("· current") && html.contains("· earlier answer"), "{html}");
    assert!(html.find("approved</span>") < html.find("changes requested</span>"), "the current answer comes first");
    assert!(html.contains(&asks_about_the_task), "answered: a new round may be asked");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sends_an_active_client_a_reset_link_that_staff_never_see() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { client, .. } = world(&server, &admin).await;
    let pages = page_client(&server, "admin@localhost").await;
    let html = page(&server, &pages, &format!("/admin/clients/{client}")).await;
    assert!(html.contains("Send a password-reset link"), "Sarah is active");
    let url = format!("{}/admin/clients/{client}/password-reset", server.base);
    let response = pages.post(url).send().await.expect("answers");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, outbox) = admin.get("/outbox").await;
    let reset = outbox["items"].as_array().and_then(|m| m.iter().find(|m| m["kind"] == "password_reset")).cloned();
    let reset = reset.expect("a reset mail is queued");
    assert_eq!(reset["to"], "sarah@acme.example");
    let listed = page(&server, &pages, "/admin/outbox").await;
    assert!(!listed.contains("/password-reset/"), "the reset link is never shown to staff");

    let (_, invited) = admin.post("/clients", json!({"name": "Tom Reed", "email": "tom@acme.example"})).await;
    let tom = id_of(&invited);
    assert!(!page(&server, &pages, &format!("/admin/clients/{tom}")).await.contains("Send a password-reset link"));
    let (status, _) = admin.send(Method::POST, &format!("/clients/{tom}/password-reset"), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "an invited client gets an invitation, not a reset");
    server.running.stop().await.expect("stops");
}

/// The one-click unsubscribe link of a notice mail to `client`, for `categories`, signed with
/// the server's key as the delivery worker signs it.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsubscribe_link_works_without_login_by_post_only_and_only_as_signed() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { client, .. } = world(&server, &admin).await;
    let sarah = Actor::client(server.running.workspace, ClientId::from_str(&client).expect("an id"));
    let delivery_of = |settings: &portico_app::NotificationSettings, category| {
        settings.categories.iter().find(|(c, _)| *c == category).map(|(_, d)| *d)
    };
    let token = server.unsubscribe_token(&client, &[Category::Files, Category::Tasks]);
    let anonymous = reqwest::Client::builder().redirect(Policy::none()).build().expect("a client");
    let url = format!("{}/unsubscribe/{token}", server.base);

    let opened = anonymous.get(&url).send().await.expect("answers");
    assert_eq!(opened.status(), StatusCode::OK);
    let html = opened.text().await.expect("a page");
    assert!(html.contains("Stop these mails?") && html.contains("shared files and shared tasks"), "{html}");
    let settings = server.running.portico().notification_settings(&sarah).await.expect("settings");
    assert_eq!(delivery_of(&settings, Category::Files), Some(Delivery::DailyDigest), "opening changes nothing");

    // A mail provider's one-click POST: no cookie, from anywhere (RFC 8058).
    let posted = anonymous
        .post(&url)
        .header("origin", "https://mail.example")
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .expect("answers");
    assert_eq!(posted.status(), StatusCode::OK);
    assert!(posted.text().await.expect("a page").contains("You are unsubscribed"));
    let settings = server.running.portico().notification_settings(&sarah).await.expect("settings");
    assert_eq!(delivery_of(&settings, Category::Files), Some(Delivery::Off));
    assert_eq!(delivery_of(&settings, Category::Tasks), Some(Delivery::Off));
    assert_eq!(delivery_of(&settings, Category::Invoices), Some(Delivery::Immediate), "only what the link names");

    // Asking for invoices too by editing the link breaks its signature.
    let forged = {
        let mut bytes = hex::decode(&token).expect("hex");
        bytes[34] |= 1 << Category::Invoices.index();
        hex::encode(bytes)
    };
    for bad in [forged, "not-a-token".to_owned(), token[..token.len() - 2].to_owned()] {
        let answer = anonymous.post(format!("{}/unsubscribe/{bad}", server.base)).send().await.expect("answers");
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{bad}");
    }
    let settings = server.running.portico().notification_settings(&sarah).await.expect("settings");
    assert_eq!(delivery_of(&settings, Category::Invoices), Some(Delivery::Immediate), "still on");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_shows_each_person_what_is_new_for_them_and_is_marked_read_up_to_an_event() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let World { project, .. } = world(&server, &admin).await;
    let sarah = server.browser();
    sarah.log_in("sarah@acme.example", support::PASSWORD).await;
    let (status, feed) = sarah.get("/portal/activity").await;
    assert_eq!(status, StatusCode::OK, "{feed}");
    assert_eq!(feed["items"][0]["title"], "Logo", "the shared task");
    assert_eq!(feed["items"][0]["link"], format!("/portal/projects/{project}"));
    assert_eq!(feed["unread"], 1);

    let post = json!({"body": "Can we talk on Friday?"});
    let (status, _) = sarah.post(&format!("/portal/projects/{project}/messages"), post).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, feed) = admin.get(&format!("/activity?project_id={project}")).await;
    assert_eq!(feed["items"].as_array().map(Vec::len), Some(1), "not her own task: {feed}");
    assert_eq!((&feed["items"][0]["actor"], &feed["items"][0]["unread"]), (&json!("Sarah Chen"), &json!(true)));
    assert_eq!(admin.get("/activity/unread-count").await.1["unread"], 1);
    let up_to = feed["items"][0]["id"].clone();
    let (status, read) = admin.post("/activity/read", json!({"up_to": up_to})).await;
    assert_eq!((status, &read["unread"]), (StatusCode::OK, &json!(0)));
    let pages = page_client(&server, "admin@localhost").await;
    assert!(page(&server, &pages, "/admin/activity").await.contains("Can we talk on Friday?"));

    let (status, problem) = admin.get("/activity?cursor=nope&limit=0").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        problem["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["cursor", "limit"]);
    let (status, _) = sarah.post("/activity/read", json!({"up_to": up_to})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "her own post is not in her feed");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_person_sets_their_own_notification_choices_on_their_account_page() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    world(&server, &admin).await;
    let sarah = page_client(&server, "sarah@acme.example").await;
    let html = page(&server, &sarah, "/portal/notifications").await;
    assert!(html.contains("<option value=\"daily_digest\" selected>In the daily digest</option>"), "the default");
    assert!(!html.contains("all_projects"), "a client has no say over other projects");

    // A bad choice is refused in the page, with the valid choices kept, and nothing is saved.
    let form = [("files", "off"), ("tasks", "hourly")];
    let html = refused(&server, &sarah, "/portal/notifications", &form).await;
    assert!(html.contains("id=\"n-tasks-error\">must be one of"), "{html}");
    let files =
        html.split("name=\"files\"").nth(1).and_then(|rest| rest.split("</select>").next()).expect("the select");
    assert!(files.contains("<option value=\"off\" selected>"), "what she chose is kept: {files}");
    let client_api = server.browser();
    client_api.log_in("sarah@acme.example", support::PASSWORD).await;
    assert_eq!(client_api.get("/me/notifications").await.1["categories"]["files"], "daily_digest", "nothing saved");
    let sneaky = sarah
        .post(format!("{}/portal/notifications", server.base))
        .form(&[("files", "off"), ("all_projects", "true")])
        .send()
        .await
        .expect("answers");
    assert_eq!(sneaky.status(), StatusCode::FORBIDDEN, "only admins hear of every project");
    assert_eq!(client_api.get("/me/notifications").await.1["categories"]["files"], "daily_digest");

    let saved =
        sarah.post(format!("{}/portal/notifications", server.base)).form(&form[..1]).send().await.expect("answers");
    assert_eq!(
        (saved.status(), &saved.headers()[LOCATION]),
        (StatusCode::SEE_OTHER, &"/portal/notifications".parse().expect("a location"))
    );
    let choices = client_api.get("/me/notifications").await.1;
    assert_eq!(
        (&choices["categories"]["files"], &choices["categories"]["tasks"]),
        (&json!("off"), &json!("daily_digest"))
    );
    let wrong_side = sarah.get(format!("{}/admin/notifications", server.base)).send().await.expect("answers");
    assert_eq!(wrong_side.status(), StatusCode::FORBIDDEN, "the admin pages are not hers");

    let pages = page_client(&server, "admin@localhost").await;
    let html = page(&server, &pages, "/admin/notifications").await;
    assert!(html.contains("name=\"all_projects\" value=\"false\" checked"), "{html}");
    let refused_html = refused(&server, &pages, "/admin/notifications", &[("all_projects", "maybe")]).await;
    assert!(refused_html.contains("id=\"all_projects-error\""), "{refused_html}");
    let saved = pages
        .post(format!("{}/admin/notifications", server.base))
        .form(&[("all_projects", "true"), ("messages", "off")])
        .send()
        .await
        .expect("answers");
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let mine = admin.get("/me/notifications").await.1;
    assert_eq!((&mine["all_projects"], &mine["categories"]["messages"]), (&json!(true), &json!("off")));
    server.running.stop().await.expect("stops");
}
