//! Whatever arrives — any route, real ids or garbage, any JSON shape, any bytes, any media
//! type, as an admin, a client or nobody — the answer is never a server error, and every
//! refusal is problem+json. And a body that is not a JSON object where one is expected —
//! at the top or nested, as an array read by position, a scalar or junk — is refused with
//! 422 naming it, in words that name no Rust type, and changes nothing.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use portico_app::mail::PublicUrl;
use portico_http::{AppState, HttpConfig};
use portico_memory::MemoryStore;
use portico_testkit::fixtures::Acme;
use portico_testkit::harness::PASSWORD;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use tower::ServiceExt;

/// Every documented route as (method, path template), but logout: a random logout would end
/// the callers' sessions for the rest of the run (logout is tested on its own).
fn routes() -> Vec<(String, String)> {
    let document = serde_json::to_value(portico_http::openapi()).expect("serialises");
    let paths = document["paths"].as_object().cloned().unwrap_or_default();
    let mut routes = Vec::new();
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() && path != "/auth/logout" {
                routes.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes
}

/// Field names the API reads, so random bodies reach validation, not just the parser.
const FIELDS: &[&str] = &[
    "name",
    "email",
    "company",
    "phone",
    "billing_address",
    "notes",
    "permissions",
    "preset",
    "invite",
    "title",
    "description",
    "state",
    "due_date",
    "deadline",
    "assignee",
    "visibility",
    "body",
    "decision",
    "comment",
    "lines",
    "client_id",
    "project_id",
    "number",
    "currency",
    "quantity",
    "unit_price_minor",
    "scope",
    "label",
    "token",
    "password",
    "change",
    "item_kind",
    "item_id",
    "task_id",
    "file_id",
    "client_ids",
    "team_ids",
    "workspace_id",
    "role",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,40}".prop_map(Value::String),
        prop::sample::select(vec!["collaborator", "client", "internal", "2026-02-30", "EUR", "1.5", "approved", "x@y"])
            .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(prop::sample::select(FIELDS).prop_map(str::to_owned), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
enum Payload {
    Nothing,
    Json(Value),
    Bytes(Vec<u8>, &'static str),
}

fn payload() -> impl Strategy<Value = Payload> {
    let media =
        prop::sample::select(vec!["application/json", "text/csv", "text/plain", "multipart/form-data; boundary=x"]);
    prop_oneof![
        1 => Just(Payload::Nothing),
        4 => json_value().prop_map(Payload::Json),
        1 => (prop::collection::vec(any::<u8>(), 0..200), media).prop_map(|(bytes, media)| Payload::Bytes(bytes, media)),
    ]
}

struct World {
    app: Router,
    ids: Vec<(&'static str, String)>,
    cookies: Vec<Option<String>>,
    store: MemoryStore,
}

async fn world() -> World {
    let store = MemoryStore::new();
    let acme = Acme::on(Arc::new(store.clone())).await.expect("the scenario builds");
    let url = PublicUrl::parse("http://portico.test").expect("a valid URL");
    let app = portico_http::router(AppState::new(acme.app.portico.clone(), HttpConfig::new(url, acme.app.workspace)));
    let mut cookies = vec![None];
    for email in ["ada@studio.example", "sarah@acme.example"] {
        let login = json!({"email": email, "password": PASSWORD}).to_string();
        let request = Request::post("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(login));
        let response = app.clone().oneshot(request.expect("a request")).await.expect("answers");
        assert_eq!(response.status(), StatusCode::OK, "{email} logs in");
        let cookie =
            response.headers()[header::SET_COOKIE].to_str().expect("ascii").split(';').next().map(str::to_owned);
        cookies.push(cookie);
    }
    let ids = vec![
        // Sarah is a caller: admin requests on /clients/{id} go to James, so a random
        // deactivation does not end the session the test relies on.
        ("/clients/", acme.james.to_string()),
        ("/projects/", acme.brand_refresh.to_string()),
        ("/tasks/", acme.shared_task.to_string()),
        ("/files/", acme.shared_file.to_string()),
        ("/messages/", acme.internal_message.to_string()),
        ("/invoices/", acme.invoice.to_string()),
        ("/approvals/", acme.approval.to_string()),
    ];
    World { app, ids, cookies, store }
}

/// The path with its parameters filled: the real id of the collection the parameter follows,
/// or `garbage`.
fn fill(world: &World, template: &str, garbage: Option<&str>) -> String {
    let mut path = String::new();
    for segment in template.split('/').filter(|s| !s.is_empty()) {
        path.push('/');
        if segment.starts_with('{') {
            let real = world
                .ids
                .iter()
                .find(|(prefix, _)| path.ends_with(prefix) || path.contains(prefix))
                .map(|(_, id)| id.as_str());
            let value = garbage.or(real).unwrap_or("00000000-0000-0000-0000-000000000000");
            path.push_str(&percent_encode(value));
        } else {
            path.push_str(segment);
        }
    }
    path
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// A runtime, the Acme world and a runner of `cases` cases (`PORTICO_ANY_INPUT_CASES` to change).
fn harness(cases: u32) -> (tokio::runtime::Runtime, Arc<World>, TestRunner) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    let world = Arc::new(runtime.block_on(world()));
    let cases = std::env::var("PORTICO_ANY_INPUT_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    (runtime, world, TestRunner::new(Config { cases, ..Config::default() }))
}

#[test]
fn no_request_gets_a_server_error() {
    let (runtime, world, mut runner) = harness(400);
    let routes = routes();
    let seen = std::sync::Mutex::new(std::collections::BTreeMap::<u16, usize>::new());
    let strategy = (
        prop::sample::select(routes),
        payload(),
        prop::option::weighted(0.2, "\\PC{0,12}"),
        0..world.cookies.len(),
        prop::option::of("[a-z_]{1,8}=\\PC{0,8}"),
    );
    runner
        .run(&strategy, |((method, template), payload, garbage, caller, query)| {
            let mut uri = format!("/api/v1{}", fill(&world, &template, garbage.as_deref()));
            if let Some(query) = query {
                uri = format!("{uri}?{}", percent_encode(&query).replace("%3D", "="));
            }
            let mut request = Request::builder().method(method.as_str()).uri(&uri);
            if let Some(cookie) = &world.cookies[caller] {
                request = request.header(header::COOKIE, cookie);
            }
            let body = match payload {
                Payload::Nothing => Body::empty(),
                Payload::Json(value) => {
                    request = request.header(header::CONTENT_TYPE, "application/json");
                    Body::from(value.to_string())
                }
                Payload::Bytes(bytes, media) => {
                    request = request.header(header::CONTENT_TYPE, media);
                    Body::from(bytes)
                }
            };
            let request = request.body(body).map_err(|e| TestCaseError::reject(e.to_string()))?;
            let (status, content_type, text) = runtime.block_on(async {
                let response = world.app.clone().oneshot(request).await.expect("the router never fails");
                let status = response.status();
                let content_type =
                    response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap_or_default().to_owned());
                let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
                (status, content_type, String::from_utf8_lossy(&bytes).into_owned())
            });
            *seen.lock().expect("not poisoned").entry(status.as_u16()).or_default() += 1;
            prop_assert!(!status.is_server_error(), "{method} {uri}: {status} {text}");
            if status.is_client_error() {
                prop_assert_eq!(
                    content_type.as_deref(),
                    Some("application/problem+json"),
                    "{} {}: {}",
                    method,
                    uri,
                    text
                );
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
    // The inputs must reach past the front door: some succeed, some are refused field by field.
    let seen = seen.into_inner().expect("not poisoned");
    let count = |range: std::ops::RangeInclusive<u16>| seen.range(range).map(|(_, n)| n).sum::<usize>();
    assert!(count(200..=299) > 0 && count(422..=422) > 0 && count(404..=404) > 0, "answers seen: {seen:?}");
}

/// Every route that takes a JSON body, with its documented example.
fn json_routes() -> Vec<(String, String, Value)> {
    let document = portico_http::openapi();
    let mut routes = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
            let Some(reference) = schema["$ref"].as_str() else { continue };
            let name = reference.rsplit('/').next().unwrap_or_default();
            let example = document["components"]["schemas"][name]["example"].clone();
            assert!(example.is_object(), "{method} {path}: the body {name} has an example");
            routes.push((method.to_uppercase(), path.clone(), example));
        }
    }
    routes
}

/// The places of `value` that hold objects, as JSON pointers ("" for the whole).
fn object_places(value: &Value, at: &str, places: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            places.push(at.to_owned());
            for (name, field) in fields {
                object_places(field, &format!("{at}/{name}"), places);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                object_places(item, &format!("{at}/{index}"), places);
            }
        }
        _ => {}
    }
}

/// What replaces an object: its values in order (what serde's derive would read by
/// position), a scalar, or arbitrary junk that is not an object.
#[derive(Debug, Clone)]
enum Replacement {
    ItsValues,
    Other(Value),
}

fn replacement() -> impl Strategy<Value = Replacement> {
    let not_object = json_value().prop_filter("not an object", |v| !v.is_object());
    prop_oneof![
        2 => Just(Replacement::ItsValues),
        1 => not_object.prop_map(Replacement::Other),
        1 => prop::collection::vec(json_value(), 0..4).prop_map(|items| Replacement::Other(Value::Array(items))),
    ]
}

/// Words of Rust that must never reach a caller.
const RUST_WORDS: &[&str] =
    &["struct ", "enum ", "u64", "i64", "usize", "u32", "i32", "f64", "Option<", "Vec<", "String", "Body"];

#[test]
fn bodies_that_are_not_objects_are_refused_and_change_nothing() {
    let (runtime, world, mut runner) = harness(300);
    let routes = json_routes();
    let admin = world.cookies[1].clone().expect("the admin's session");
    // The change count must see a change, or "nothing changed" below would prove nothing.
    let before = world.store.changes();
    let probe = Request::post("/api/v1/tokens")
        .header(header::COOKIE, &admin)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"label": "probe"}).to_string()))
        .expect("a request");
    let created = runtime.block_on(world.app.clone().oneshot(probe)).expect("answers").status();
    assert_eq!((created, world.store.changes() > before), (StatusCode::CREATED, true), "a change is counted");
    let strategy = (prop::sample::select(routes), any::<prop::sample::Index>(), replacement());
    runner
        .run(&strategy, |((method, template, example), place, replacement)| {
            let mut places = Vec::new();
            object_places(&example, "", &mut places);
            let at = places[place.index(places.len())].clone();
            // An object that is a body's field (not the body, not a list's item) is optional in
            // every body here: `null` is that field left out, as the description says
            // (`discount: null` on a PATCH removes the discount), so it is not a refusal case.
            let field = at.rsplit('/').next().is_some_and(|last| !last.is_empty() && last.parse::<usize>().is_err());
            if field && matches!(replacement, Replacement::Other(Value::Null)) {
                return Err(TestCaseError::reject("null is an optional object left out"));
            }
            let mut body = example.clone();
            let target = body.pointer_mut(&at).expect("the place exists");
            *target = match replacement {
                Replacement::ItsValues => {
                    Value::Array(target.as_object().into_iter().flatten().map(|(_, v)| v.clone()).collect())
                }
                Replacement::Other(value) => value,
            };
            let uri = format!("/api/v1{}", fill(&world, &template, None));
            let request = Request::builder()
                .method(method.as_str())
                .uri(&uri)
                .header(header::COOKIE, &admin)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .map_err(|e| TestCaseError::reject(e.to_string()))?;
            let before = world.store.changes();
            let (status, cookie, problem) = runtime.block_on(async {
                let response = world.app.clone().oneshot(request).await.expect("the router never fails");
                let status = response.status();
                let cookie = response.headers().contains_key(header::SET_COOKIE);
                let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
                (status, cookie, serde_json::from_slice::<Value>(&bytes).unwrap_or_default())
            });
            prop_assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{} {} with {}: {}", method, uri, body, problem);
            prop_assert_eq!(world.store.changes(), before, "{} {} changed something", method, uri);
            prop_assert!(!cookie, "{} {}: no session from a refused body", method, uri);
            // The refused object is named: `body` for the whole, else its path (`lines[0]`).
            let field = problem["errors"][0]["field"].as_str().unwrap_or_default().to_owned();
            let expected = if at.is_empty() { "body".to_owned() } else { json_path(&at) };
            prop_assert!(field == expected || field.starts_with(&format!("{expected}.")), "{} for {}", field, expected);
            let text = problem.to_string();
            for word in RUST_WORDS {
                prop_assert!(!text.contains(word), "{} names Rust's {}", text, word);
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

/// A JSON pointer (`/lines/0/description`) as `serde_path_to_error` writes it (`lines[0].description`).
fn json_path(pointer: &str) -> String {
    let mut path = String::new();
    for segment in pointer.split('/').filter(|s| !s.is_empty()) {
        if segment.parse::<usize>().is_ok() {
            path.push('[');
            path.push_str(segment);
            path.push(']');
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(segment);
        }
    }
    path
}
