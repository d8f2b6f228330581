//! Every route of the API × every kind of caller, against the real server, with the status
//! each must get. The routes are checked against the OpenAPI description, so a route added
//! to the API without a row here (or a row for a route that does not exist) fails the test.
//!
//! Reading the table: staff-only routes refuse clients with 403 for the route as a whole (the
//! same for every id, so nothing leaks); records outside a caller's share are 404, exactly
//! like records that do not exist — for clients, for members not on the project and for
//! admins of another workspace alike.

mod support;

use std::collections::BTreeSet;

use portico_domain::email::EmailAddress;
use portico_domain::password::NewPassword;
use portico_domain::text::{PersonName, WorkspaceName};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Browser, Engine, PASSWORD, TestServer, id_of};

/// The callers, in the order of each row's statuses.
const ACTORS: [&str; 9] = [
    "anonymous",
    "invited client",
    "deactivated client",
    "client A",
    "client B",
    "client A without the permission",
    "member not on the project",
    "admin of another workspace",
    "admin",
];

/// Anyone, signed in or not, gets `status`.
fn anyone(status: u16) -> [u16; 9] {
    [status; 9]
}

/// Anyone signed in.
fn signed_in(ok: u16) -> [u16; 9] {
    [401, 401, 401, ok, ok, ok, ok, ok, ok]
}

/// Admins, for a route that lists or creates in the caller's own workspace: another
/// workspace's admin succeeds there.
fn admins(ok: u16) -> [u16; 9] {
    [401, 401, 401, 403, 403, 403, 403, ok, ok]
}

/// Admins, for a record of this workspace: another workspace's admin cannot find it.
fn admins_on_record(ok: u16) -> [u16; 9] {
    [401, 401, 401, 403, 403, 403, 403, 404, ok]
}

/// Staff, for a route that lists or creates in the caller's own reach.
fn staff(ok: u16) -> [u16; 9] {
    [401, 401, 401, 403, 403, 403, ok, ok, ok]
}

/// Staff on the project the record belongs to.
fn staff_on_project(ok: u16) -> [u16; 9] {
    [401, 401, 401, 403, 403, 403, 404, 404, ok]
}

/// Clients: A (on the project, with the permission), B (not on it), A without the permission.
fn clients(a: u16, b: u16, without: u16) -> [u16; 9] {
    [401, 401, 401, a, b, without, 403, 403, 403]
}

/// A request body.
enum Body {
    None,
    /// JSON; `{actor}` in strings is replaced by the caller's index, for bodies that must
    /// differ per caller (distinct addresses for rate-limited routes).
    Json(Value),
    Csv(&'static str),
    Upload,
    /// A small SVG logo.
    Logo,
}

struct Row {
    method: Method,
    template: &'static str,
    path: String,
    body: Body,
    expect: [u16; 9],
}

fn row(method: Method, template: &'static str, path: String, body: Body, expect: [u16; 9]) -> Row {
    Row { method, template, path, body, expect }
}

/// The records the rows point at.
struct Fixture {
    browsers: Vec<Browser>,
    client_a: String,
    invited: String,
    deactivated: String,
    extra: String,
    on_project: String,
    doomed: String,
    to_deactivate: String,
    project: String,
    other_project: String,
    spare_member: String,
    team_member: String,
    task: String,
    message: String,
    file: String,
    approval: String,
    invoices: Invoices,
    token: String,
}

/// Invoices in each state the rows act on, and a payment to remove.
struct Invoices {
    draft: String,
    sent: String,
    voidable: String,
    editable: String,
    deletable: String,
    payable: String,
    payment: String,
}

/// Drafts and sent invoices for `client` on `project`, one per row that changes one.
async fn invoices(admin: &Browser, client: &str, project: &str) -> Invoices {
    let invoice = |number: &str| {
        let line = json!({"description": "Workshop", "quantity": "1", "unit_price_minor": 50_000});
        json!({"client_id": client, "project_id": project, "number": number, "currency": "EUR", "lines": [line]})
    };
    let draft = created(admin, "/invoices", invoice("INV-1")).await;
    let editable = created(admin, "/invoices", invoice("INV-4")).await;
    let deletable = created(admin, "/invoices", invoice("INV-5")).await;
    let mut issued = Vec::new();
    for number in ["INV-2", "INV-3", "INV-6", "INV-7"] {
        let id = created(admin, "/invoices", invoice(number)).await;
        assert_eq!(admin.post(&format!("/invoices/{id}/send"), json!({})).await.0, StatusCode::OK);
        issued.push(id);
    }
    let [sent, voidable, payable, with_payment] = <[String; 4]>::try_from(issued).expect("four");
    let payment = json!({"amount_minor": 10_000, "paid_on": "2026-03-02", "method": "cash"});
    let (status, paid) = admin.post(&format!("/invoices/{with_payment}/payments"), payment).await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    let payment = paid["payments"][0]["id"].as_str().expect("the payment's id").to_owned();
    Invoices { draft, sent, voidable, editable, deletable, payable, payment }
}

async fn client(admin: &Browser, name: &str, email: &str, preset: &str) -> String {
    let (status, body) = admin.post("/clients", json!({"name": name, "email": email, "preset": preset})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    id_of(&body)
}

async fn created(browser: &Browser, path: &str, body: Value) -> String {
    let (status, answer) = browser.post(path, body).await;
    assert!(status.is_success(), "POST {path}: {status} {answer}");
    id_of(&answer)
}

async fn staff_member(server: &TestServer, admin: &Browser, name: &str, email: &str) -> (String, Browser) {
    let id = created(admin, "/staff", json!({"name": name, "email": email, "role": "member"})).await;
    let browser = server.activate(email).await;
    (id, browser)
}

async fn fixture(server: &TestServer) -> Fixture {
    let admin = server.admin().await;
    let client_a = client(&admin, "Alice", "alice@acme.example", "full_access").await;
    let client_b = client(&admin, "Bob", "bob@globex.example", "full_access").await;
    let without = client(&admin, "Carl", "carl@acme.example", "overview_only").await;
    let invited = client(&admin, "Ivy", "ivy@acme.example", "full_access").await;
    let deactivated = client(&admin, "Dan", "dan@acme.example", "full_access").await;
    let extra = client(&admin, "Eve", "eve@acme.example", "collaborator").await;
    let on_project = client(&admin, "Rob", "rob@acme.example", "collaborator").await;
    let doomed = client(&admin, "Vic", "vic@acme.example", "collaborator").await;
    let to_deactivate = client(&admin, "Val", "val@acme.example", "collaborator").await;
    let (member, member_browser) = staff_member(server, &admin, "Mia", "mia@studio.example").await;
    let (spare_member, _) = staff_member(server, &admin, "Sam", "sam@studio.example").await;
    let (team_member, _) = staff_member(server, &admin, "Sue", "sue@studio.example").await;
    let _ = member;

    let clients_on_p = json!([client_a, without, invited, deactivated, on_project]);
    let project = created(
        &admin,
        "/projects",
        json!({"name": "Brand Refresh", "client_ids": clients_on_p, "team_ids": [team_member]}),
    )
    .await;
    created(&admin, "/projects", json!({"name": "Globex Launch", "client_ids": [client_b]})).await;
    let other_project = created(&admin, "/projects", json!({"name": "Archive Me"})).await;
    let task =
        created(&admin, &format!("/projects/{project}/tasks"), json!({"title": "Logo", "visibility": "client"})).await;
    let message = created(&admin, &format!("/projects/{project}/messages"), json!({"body": "Internal note"})).await;
    let part = reqwest::multipart::Part::bytes(b"guide".to_vec()).file_name("guide.pdf");
    let form = reqwest::multipart::Form::new().part("file", part).text("visibility", "client");
    let answer = admin.request(Method::POST, &format!("/projects/{project}/files")).multipart(form).send().await;
    let (status, file) = support::read(answer.expect("answers")).await;
    assert_eq!(status, StatusCode::CREATED, "{file}");
    let file = id_of(&file);
    let approval = created(&admin, "/approvals", json!({"task_id": task})).await;
    let invoices = invoices(&admin, &client_a, &project).await;
    let token = created(&admin, "/tokens", json!({"label": "Accounting sync"})).await;

    let browser_a = server.activate("alice@acme.example").await;
    let browser_b = server.activate("bob@globex.example").await;
    let browser_without = server.activate("carl@acme.example").await;
    let browser_deactivated = server.activate("dan@acme.example").await;
    assert_eq!(admin.post(&format!("/clients/{deactivated}/deactivate"), json!({})).await.0, StatusCode::OK);
    let browser_invited = server.browser();
    let (status, _) =
        browser_invited.post("/auth/login", json!({"email": "ivy@acme.example", "password": PASSWORD})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "an invited client has no password yet");

    let portico = server.running.portico();
    let elsewhere = portico.create_workspace(WorkspaceName::parse("Elsewhere").expect("valid")).await.expect("created");
    let xena = PersonName::parse("Xena").expect("valid");
    let email = EmailAddress::parse("xena@elsewhere.example").expect("valid");
    let password = NewPassword::parse(PASSWORD).expect("valid");
    portico.bootstrap_admin(elsewhere.id, xena, email, Some(password)).await.expect("created");
    let browser_other = server.browser();
    let login =
        json!({"email": "xena@elsewhere.example", "password": PASSWORD, "workspace_id": elsewhere.id.to_string()});
    assert_eq!(browser_other.post("/auth/login", login).await.0, StatusCode::OK);

    let browsers = vec![
        server.browser(),
        browser_invited,
        browser_deactivated,
        browser_a,
        browser_b,
        browser_without,
        member_browser,
        browser_other,
        admin,
    ];
    Fixture {
        browsers,
        client_a,
        invited,
        deactivated,
        extra,
        on_project,
        doomed,
        to_deactivate,
        project,
        other_project,
        spare_member,
        team_member,
        task,
        message,
        file,
        approval,
        invoices,
        token,
    }
}

#[allow(clippy::too_many_lines, reason = "the table is the test")]
fn rows(f: &Fixture) -> Vec<Row> {
    use Method as M;
    let (a, p, t) = (&f.client_a, &f.project, &f.task);
    let client_body = json!({"name": "New Client", "email": "new-client@acme.example"});
    let project_body = json!({"name": "New Project"});
    let invoice_line = json!({"description": "Extra", "quantity": "1", "unit_price_minor": 100});
    let invoice_body = json!({"client_id": a, "number": "INV-NEW", "currency": "EUR", "lines": [invoice_line]});
    vec![
        row(
            M::POST,
            "/auth/login",
            "/auth/login".into(),
            Body::Json(json!({"email": "nobody{actor}@example.com", "password": "wrong password"})),
            anyone(401),
        ),
        row(M::GET, "/me", "/me".into(), Body::None, signed_in(200)),
        row(M::GET, "/me/notifications", "/me/notifications".into(), Body::None, signed_in(200)),
        row(
            M::PUT,
            "/me/notifications",
            "/me/notifications".into(),
            Body::Json(json!({"categories": {"files": "off"}})),
            signed_in(200),
        ),
        row(M::GET, "/activity", "/activity".into(), Body::None, signed_in(200)),
        row(M::GET, "/portal/activity", "/portal/activity".into(), Body::None, signed_in(200)),
        row(M::GET, "/activity/unread-count", "/activity/unread-count".into(), Body::None, signed_in(200)),
        row(
            M::POST,
            "/activity/read",
            "/activity/read".into(),
            Body::Json(json!({"up_to": "01a233df-289d-7743-8c35-36f545b78bac"})),
            signed_in(404),
        ),
        row(
            M::POST,
            "/auth/invitations/accept",
            "/auth/invitations/accept".into(),
            Body::Json(json!({"token": "not-a-token", "password": PASSWORD})),
            anyone(400),
        ),
        row(
            M::POST,
            "/auth/password-reset",
            "/auth/password-reset".into(),
            Body::Json(json!({"email": "reset{actor}@example.com"})),
            anyone(202),
        ),
        row(
            M::POST,
            "/auth/password-reset/confirm",
            "/auth/password-reset/confirm".into(),
            Body::Json(json!({"token": "0".repeat(64), "password": PASSWORD})),
            anyone(400),
        ),
        row(M::GET, "/tokens", "/tokens".into(), Body::None, admins(200)),
        row(M::POST, "/tokens", "/tokens".into(), Body::Json(json!({"label": "CI"})), admins(201)),
        row(M::DELETE, "/tokens/{id}", format!("/tokens/{}", f.token), Body::None, admins_on_record(200)),
        row(M::GET, "/clients", "/clients".into(), Body::None, admins(200)),
        row(M::POST, "/clients", "/clients".into(), Body::Json(client_body), admins(201)),
        row(M::GET, "/clients/{id}", format!("/clients/{a}"), Body::None, admins_on_record(200)),
        row(
            M::PATCH,
            "/clients/{id}",
            format!("/clients/{a}"),
            Body::Json(json!({"phone": "+44 20 7946 0000"})),
            admins_on_record(200),
        ),
        row(M::DELETE, "/clients/{id}", format!("/clients/{}", f.doomed), Body::None, admins_on_record(204)),
        row(
            M::POST,
            "/clients/{id}/deactivate",
            format!("/clients/{}/deactivate", f.to_deactivate),
            Body::None,
            admins_on_record(200),
        ),
        row(
            M::POST,
            "/clients/{id}/reactivate",
            format!("/clients/{}/reactivate", f.deactivated),
            Body::None,
            admins_on_record(200),
        ),
        row(
            M::POST,
            "/clients/{id}/resend-invitation",
            format!("/clients/{}/resend-invitation", f.invited),
            Body::None,
            admins_on_record(200),
        ),
        row(
            M::POST,
            "/clients/{id}/password-reset",
            format!("/clients/{a}/password-reset"),
            Body::None,
            admins_on_record(200),
        ),
        row(M::GET, "/clients/{id}/history", format!("/clients/{a}/history"), Body::None, admins_on_record(200)),
        row(M::GET, "/clients/{id}/statement", format!("/clients/{a}/statement"), Body::None, admins_on_record(200)),
        row(M::GET, "/clients/{id}/deliveries", format!("/clients/{a}/deliveries"), Body::None, admins_on_record(200)),
        row(
            M::GET,
            "/clients/{id}/visibility",
            format!("/clients/{a}/visibility?item_kind=task&item_id={t}"),
            Body::None,
            admins_on_record(200),
        ),
        row(
            M::POST,
            "/clients/import",
            "/clients/import?dry_run=true".into(),
            Body::Csv("name,email\nImported,imported@acme.example\n"),
            admins(200),
        ),
        row(M::GET, "/clients/export.csv", "/clients/export.csv".into(), Body::None, admins(200)),
        row(M::GET, "/companies", "/companies".into(), Body::None, admins(200)),
        row(M::GET, "/reports/client-review", "/reports/client-review".into(), Body::None, admins(200)),
        row(M::GET, "/outbox", "/outbox".into(), Body::None, admins(200)),
        row(
            M::POST,
            "/impact-preview",
            "/impact-preview".into(),
            Body::Json(json!({"change": "deactivate", "client_id": a})),
            admins_on_record(200),
        ),
        row(M::GET, "/projects", "/projects".into(), Body::None, staff(200)),
        row(M::POST, "/projects", "/projects".into(), Body::Json(project_body), staff(201)),
        row(M::GET, "/projects/{id}", format!("/projects/{p}"), Body::None, staff_on_project(200)),
        row(
            M::PATCH,
            "/projects/{id}",
            format!("/projects/{p}"),
            Body::Json(json!({"description": "Renewed"})),
            staff_on_project(200),
        ),
        row(
            M::POST,
            "/projects/{id}/archive",
            format!("/projects/{}/archive", f.other_project),
            Body::None,
            staff_on_project(200),
        ),
        row(
            M::POST,
            "/projects/{id}/unarchive",
            format!("/projects/{}/unarchive", f.other_project),
            Body::None,
            staff_on_project(200),
        ),
        row(
            M::PUT,
            "/projects/{id}/clients/{client_id}",
            format!("/projects/{p}/clients/{}", f.extra),
            Body::Json(json!({"scope": ["projects", "tasks"]})),
            admins_on_record(200),
        ),
        row(
            M::DELETE,
            "/projects/{id}/clients/{client_id}",
            format!("/projects/{p}/clients/{}", f.on_project),
            Body::None,
            admins_on_record(204),
        ),
        row(
            M::PUT,
            "/projects/{id}/team/{staff_id}",
            format!("/projects/{p}/team/{}", f.spare_member),
            Body::None,
            admins_on_record(204),
        ),
        row(
            M::DELETE,
            "/projects/{id}/team/{staff_id}",
            format!("/projects/{p}/team/{}", f.team_member),
            Body::None,
            admins_on_record(204),
        ),
        row(M::GET, "/staff", "/staff".into(), Body::None, staff(200)),
        row(
            M::POST,
            "/staff",
            "/staff".into(),
            Body::Json(json!({"name": "New Member", "email": "new-member@studio.example", "role": "member"})),
            admins(201),
        ),
        row(
            M::POST,
            "/projects/{id}/tasks",
            format!("/projects/{p}/tasks"),
            Body::Json(json!({"title": "Next", "visibility": "internal"})),
            staff_on_project(201),
        ),
        row(
            M::PATCH,
            "/tasks/{id}",
            format!("/tasks/{t}"),
            Body::Json(json!({"state": "in_progress"})),
            staff_on_project(200),
        ),
        row(
            M::POST,
            "/tasks/{id}/comments",
            format!("/tasks/{t}/comments"),
            Body::Json(json!({"body": "Looks good"})),
            staff_on_project(201),
        ),
        row(
            M::POST,
            "/projects/{id}/messages",
            format!("/projects/{p}/messages"),
            Body::Json(json!({"body": "Update", "visibility": "client"})),
            staff_on_project(201),
        ),
        row(
            M::PATCH,
            "/messages/{id}",
            format!("/messages/{}", f.message),
            Body::Json(json!({"visibility": "client"})),
            staff_on_project(200),
        ),
        row(M::POST, "/projects/{id}/files", format!("/projects/{p}/files"), Body::Upload, staff_on_project(201)),
        row(
            M::PATCH,
            "/files/{id}",
            format!("/files/{}", f.file),
            Body::Json(json!({"visibility": "client"})),
            staff_on_project(200),
        ),
        row(M::GET, "/files/{id}/download", format!("/files/{}/download", f.file), Body::None, staff_on_project(200)),
        // The task already waits for an answer (the fixture asked); the file does not.
        row(M::POST, "/approvals", "/approvals".into(), Body::Json(json!({"file_id": f.file})), staff_on_project(201)),
        row(M::GET, "/invoices", "/invoices".into(), Body::None, admins(200)),
        row(M::GET, "/invoices/export.csv", "/invoices/export.csv".into(), Body::None, admins(200)),
        row(M::GET, "/payments/export.csv", "/payments/export.csv".into(), Body::None, admins(200)),
        row(M::POST, "/invoices", "/invoices".into(), Body::Json(invoice_body), admins_on_record(201)),
        row(M::GET, "/invoices/{id}", format!("/invoices/{}", f.invoices.sent), Body::None, admins_on_record(200)),
        row(
            M::GET,
            "/invoices/{id}/pdf",
            format!("/invoices/{}/pdf", f.invoices.sent),
            Body::None,
            admins_on_record(200),
        ),
        row(
            M::PATCH,
            "/invoices/{id}",
            format!("/invoices/{}", f.invoices.editable),
            Body::Json(json!({"notes": "Thanks!", "net_days": 14})),
            admins_on_record(200),
        ),
        row(
            M::DELETE,
            "/invoices/{id}",
            format!("/invoices/{}", f.invoices.deletable),
            Body::None,
            admins_on_record(204),
        ),
        row(
            M::POST,
            "/invoices/{id}/send",
            format!("/invoices/{}/send", f.invoices.draft),
            Body::None,
            admins_on_record(200),
        ),
        row(
            M::POST,
            "/invoices/{id}/payments",
            format!("/invoices/{}/payments", f.invoices.payable),
            Body::Json(json!({"amount_minor": 2_500, "paid_on": "2026-03-02", "method": "bank_transfer"})),
            admins_on_record(201),
        ),
        row(
            M::DELETE,
            "/payments/{id}",
            format!("/payments/{}", f.invoices.payment),
            Body::None,
            admins_on_record(200),
        ),
        row(M::GET, "/settings", "/settings".into(), Body::None, admins(200)),
        row(M::GET, "/settings/history", "/settings/history".into(), Body::None, admins(200)),
        row(M::PATCH, "/settings", "/settings".into(), Body::Json(json!({"brand_colour": "#0a7d5a"})), admins(200)),
        row(M::POST, "/settings/logo", "/settings/logo".into(), Body::Logo, admins(200)),
        row(M::DELETE, "/settings/logo", "/settings/logo".into(), Body::None, admins(200)),
        row(M::POST, "/settings/test-mail", "/settings/test-mail".into(), Body::None, admins(200)),
        row(
            M::POST,
            "/invoices/{id}/email",
            format!("/invoices/{}/email", f.invoices.sent),
            Body::None,
            admins_on_record(200),
        ),
        row(
            M::POST,
            "/invoices/{id}/mark-paid",
            format!("/invoices/{}/mark-paid", f.invoices.sent),
            Body::None,
            admins_on_record(200),
        ),
        row(
            M::POST,
            "/invoices/{id}/void",
            format!("/invoices/{}/void", f.invoices.voidable),
            Body::Json(json!({"reason": "Billed twice"})),
            admins_on_record(200),
        ),
        row(M::GET, "/portal/projects", "/portal/projects".into(), Body::None, clients(200, 200, 200)),
        row(M::GET, "/portal/projects/{id}", format!("/portal/projects/{p}"), Body::None, clients(200, 404, 200)),
        row(M::GET, "/portal/invoices", "/portal/invoices".into(), Body::None, clients(200, 200, 200)),
        row(M::GET, "/portal/statement", "/portal/statement".into(), Body::None, clients(200, 200, 404)),
        row(
            M::GET,
            "/portal/invoices/{id}",
            format!("/portal/invoices/{}", f.invoices.sent),
            Body::None,
            clients(200, 404, 404),
        ),
        row(
            M::GET,
            "/portal/invoices/{id}/pdf",
            format!("/portal/invoices/{}/pdf", f.invoices.sent),
            Body::None,
            clients(200, 404, 404),
        ),
        row(
            M::GET,
            "/portal/files/{id}/download",
            format!("/portal/files/{}/download", f.file),
            Body::None,
            clients(200, 404, 404),
        ),
        row(
            M::POST,
            "/portal/projects/{id}/messages",
            format!("/portal/projects/{p}/messages"),
            Body::Json(json!({"body": "Hello"})),
            clients(201, 404, 403),
        ),
        row(
            M::POST,
            "/portal/projects/{id}/files",
            format!("/portal/projects/{p}/files"),
            Body::Upload,
            clients(201, 404, 403),
        ),
        row(
            M::POST,
            "/portal/tasks/{id}/comments",
            format!("/portal/tasks/{t}/comments"),
            Body::Json(json!({"body": "Nice"})),
            clients(201, 404, 404),
        ),
        row(
            M::POST,
            "/portal/approvals/{id}",
            format!("/portal/approvals/{}", f.approval),
            Body::Json(json!({"decision": "approved"})),
            clients(201, 404, 404),
        ),
        row(M::GET, "/healthz", "/healthz".into(), Body::None, anyone(200)),
        row(M::GET, "/openapi.json", "/openapi.json".into(), Body::None, anyone(200)),
        // Last: it ends each caller's session.
        row(M::POST, "/auth/logout", "/auth/logout".into(), Body::None, anyone(204)),
    ]
}

/// Every (method, path) of the OpenAPI description.
fn documented_routes() -> BTreeSet<(String, String)> {
    let document = serde_json::to_value(portico_http::openapi()).expect("serialises");
    let paths = document["paths"].as_object().expect("paths").clone();
    paths
        .into_iter()
        .flat_map(|(path, item)| {
            ["get", "post", "put", "patch", "delete"]
                .into_iter()
                .filter(move |method| item.get(*method).is_some())
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect()
}

async fn send(browser: &Browser, row: &Row, actor: usize) -> (StatusCode, Value) {
    let request = browser.request(row.method.clone(), &row.path);
    let request = match &row.body {
        Body::None => request,
        Body::Json(body) => request.json(
            &serde_json::from_str::<Value>(&body.to_string().replace("{actor}", &actor.to_string())).expect("json"),
        ),
        Body::Csv(text) => request.header("content-type", "text/csv").body(*text),
        Body::Upload => {
            let part = reqwest::multipart::Part::bytes(b"notes".to_vec()).file_name("notes.txt");
            request.multipart(reqwest::multipart::Form::new().part("file", part))
        }
        Body::Logo => {
            let svg =
                br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 1"><rect width="4" height="1"/></svg>"#;
            let part = reqwest::multipart::Part::bytes(svg.to_vec()).file_name("logo.svg");
            request.multipart(reqwest::multipart::Form::new().part("file", part))
        }
    };
    support::read(request.send().await.expect("the server answers")).await
}

async fn every_route_answers_every_caller_as_the_table_says(engine: Engine) {
    let server = TestServer::start(engine).await;
    let fixture = fixture(&server).await;
    let rows = rows(&fixture);

    let tested: BTreeSet<(String, String)> =
        rows.iter().map(|r| (r.method.to_string(), r.template.to_owned())).collect();
    let documented = documented_routes();
    let missing: Vec<_> = documented.difference(&tested).collect();
    let unknown: Vec<_> = tested.difference(&documented).collect();
    assert!(missing.is_empty(), "routes in the API but not in the matrix: {missing:?}");
    assert!(unknown.is_empty(), "rows for routes the API does not have: {unknown:?}");

    let mut wrong = Vec::new();
    for row in &rows {
        for (index, browser) in fixture.browsers.iter().enumerate() {
            let (status, body) = send(browser, row, index).await;
            let expected = row.expect[index];
            if status.as_u16() != expected {
                wrong.push(format!(
                    "{} {} as {}: expected {expected}, got {status} {body}",
                    row.method, row.template, ACTORS[index]
                ));
            }
            if status.is_client_error() && !body.is_object() {
                wrong.push(format!(
                    "{} {} as {}: a {status} without a problem body",
                    row.method, row.template, ACTORS[index]
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} answers differ from the table:\n{}",
        wrong.len(),
        rows.len() * ACTORS.len(),
        wrong.join("\n")
    );
    server.running.stop().await.expect("stops");
}

on_both_engines!(every_route_answers_every_caller_as_the_table_says);
