//! The guide's Acme example over HTTP against the real server: Sarah, James and Lisa each see
//! exactly their share, Tom of Globex sees none of it, and a permission change, a removal and
//! a deactivation take effect on the very next request.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Browser, Engine, TestServer, id_of};

async fn create_client(admin: &Browser, name: &str, email: &str, company: &str, preset: &str) -> String {
    let body = json!({"name": name, "email": email, "company": company, "preset": preset});
    let (status, created) = admin.post("/clients", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    id_of(&created)
}

async fn created(admin: &Browser, path: &str, body: Value) -> String {
    let (status, answer) = admin.post(path, body).await;
    assert_eq!(status, StatusCode::CREATED, "POST {path}: {answer}");
    id_of(&answer)
}

async fn upload(browser: &Browser, path: &str, name: &str, visibility: &str) -> (StatusCode, Value) {
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.7 brand guide".to_vec()).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part).text("visibility", visibility.to_owned());
    support::read(browser.request(Method::POST, path).multipart(form).send().await.expect("answers")).await
}

/// The names of the items of a portal list field.
fn names(project: &Value, field: &str, key: &str) -> Vec<String> {
    project[field]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i[key].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

async fn the_acme_scenario_over_http(engine: Engine) {
    let server = TestServer::start(engine).await;
    let admin = server.admin().await;
    let sarah = create_client(&admin, "Sarah Chen", "sarah@acme.example", "Acme Corp", "full_access").await;
    let james = create_client(&admin, "James Okafor", "james@acme.example", "Acme Corp", "collaborator").await;
    let lisa = create_client(&admin, "Lisa Park", "lisa@acme.example", "Acme Corp", "billing_only").await;
    let tom = create_client(&admin, "Tom Reyes", "tom@globex.example", "Globex", "full_access").await;

    let brand =
        created(&admin, "/projects", json!({"name": "Acme Corp Brand Refresh", "client_ids": [sarah, james, lisa]}))
            .await;
    created(&admin, "/projects", json!({"name": "Globex Launch", "client_ids": [tom]})).await;
    let task = json!({"title": "Logo concepts", "visibility": "client"});
    let shared_task = created(&admin, &format!("/projects/{brand}/tasks"), task).await;
    let secret_task = json!({"title": "Margin review", "visibility": "internal"});
    created(&admin, &format!("/projects/{brand}/tasks"), secret_task).await;
    let message = json!({"body": "Kick-off on Monday", "visibility": "client"});
    created(&admin, &format!("/projects/{brand}/messages"), message).await;
    created(&admin, &format!("/projects/{brand}/messages"), json!({"body": "Client is slow to pay"})).await;
    let (status, file) = upload(&admin, &format!("/projects/{brand}/files"), "brand-guide.pdf", "client").await;
    assert_eq!(status, StatusCode::CREATED, "{file}");
    let shared_file = id_of(&file);
    let (status, _) = upload(&admin, &format!("/projects/{brand}/files"), "costing.xlsx", "internal").await;
    assert_eq!(status, StatusCode::CREATED);
    created(&admin, "/approvals", json!({"task_id": shared_task})).await;
    let line = json!({"description": "Brand workshop", "quantity": "2", "unit_price_minor": 125_000});
    let invoice =
        json!({"client_id": lisa, "project_id": brand, "number": "ACME-001", "currency": "EUR", "lines": [line]});
    let invoice = created(&admin, "/invoices", invoice).await;
    let (status, _) = admin.post(&format!("/invoices/{invoice}/send"), json!({})).await;
    assert_eq!(status, StatusCode::OK);

    let sarah_browser = server.activate("sarah@acme.example").await;
    let james_browser = server.activate("james@acme.example").await;
    let lisa_browser = server.activate("lisa@acme.example").await;
    let tom_browser = server.activate("tom@globex.example").await;
    let project_path = format!("/portal/projects/{brand}");

    // Sarah: everything shared, with approvals; nothing internal.
    let (status, seen) = sarah_browser.get(&project_path).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(names(&seen, "tasks", "title"), ["Logo concepts"]);
    assert_eq!(names(&seen, "files", "name"), ["brand-guide.pdf"]);
    assert_eq!(names(&seen, "messages", "body"), ["Kick-off on Monday"]);
    assert_eq!(names(&seen, "approvals", "subject_name"), ["Logo concepts"]);
    let text = seen.to_string();
    for internal in ["Margin review", "Client is slow to pay", "costing.xlsx"] {
        assert!(!text.contains(internal), "Sarah must not see {internal}");
    }
    let (status, invoices) = sarah_browser.get("/portal/invoices").await;
    assert_eq!(
        (status, invoices["items"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(1)),
        "the project's invoice"
    );

    // James: tasks, files, messages; no approvals, no invoices.
    let (_, seen) = james_browser.get(&project_path).await;
    assert_eq!(names(&seen, "tasks", "title"), ["Logo concepts"]);
    assert!(names(&seen, "approvals", "subject_name").is_empty());
    let (_, invoices) = james_browser.get("/portal/invoices").await;
    assert_eq!(invoices["items"].as_array().map(Vec::len), Some(0));

    // Lisa: her invoice only; no project content.
    let (_, invoices) = lisa_browser.get("/portal/invoices").await;
    assert_eq!(names(&invoices, "items", "number"), ["ACME-001"]);
    assert_eq!(lisa_browser.get(&project_path).await.0, StatusCode::NOT_FOUND, "no projects permission");

    // Tom: nothing of Acme's, and no hint that it exists.
    assert_eq!(tom_browser.get(&project_path).await.0, StatusCode::NOT_FOUND);
    assert_eq!(tom_browser.get(&format!("/portal/files/{shared_file}/download")).await.0, StatusCode::NOT_FOUND);
    let (_, projects) = tom_browser.get("/portal/projects").await;
    assert_eq!(names(&projects, "items", "name"), ["Globex Launch"]);

    // A permission change applies to James's very next request.
    let (status, _) =
        admin.send(Method::PATCH, &format!("/clients/{james}"), Some(json!({"preset": "overview_only"}))).await;
    assert_eq!(status, StatusCode::OK);
    let (_, seen) = james_browser.get(&project_path).await;
    assert!(names(&seen, "tasks", "title").is_empty(), "overview only: no tasks any more");

    // Taking Sarah off the project hides it at once.
    let (status, _) = admin.send(Method::DELETE, &format!("/projects/{brand}/clients/{sarah}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(sarah_browser.get(&project_path).await.0, StatusCode::NOT_FOUND);

    // Deactivating Lisa ends her session at once.
    let (status, _) = admin.post(&format!("/clients/{lisa}/deactivate"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(lisa_browser.get("/portal/invoices").await.0, StatusCode::UNAUTHORIZED);
    let (status, _) =
        lisa_browser.post("/auth/login", json!({"email": "lisa@acme.example", "password": support::PASSWORD})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a deactivated client cannot log in again");

    server.running.stop().await.expect("stops cleanly");
}

on_both_engines!(the_acme_scenario_over_http);
