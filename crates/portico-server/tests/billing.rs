//! Billing over HTTP against the real server, on both engines: a draft with taxes and a
//! discount edited and sent (numbered from the pattern), a partial payment, a second to
//! paid, an overpayment refused; a void with its reason; a draft deleted; field errors that
//! name the line; and the PDF, read back with poppler's `pdftotext`, for staff and for
//! clients with and without the `payments` permission; and the workspace's billing settings
//! shaping the next invoice.

mod support;

use std::process::Command;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Browser, Engine, TestServer, id_of};

/// A draft for `client`: three lines at two tax rates and a 10 % discount, which comes to
/// 2,659.50 − 265.95 + 434.17 (19 %) + 7.59 (7 %) = 2,835.31.
fn draft(client: &str) -> Value {
    let line = |description: &str, quantity: &str, minor: i64, rate: &str, name: &str| json!({"description": description, "quantity": quantity, "unit_price_minor": minor, "tax_rate": rate, "tax_name": name});
    json!({
        "client_id": client,
        "currency": "EUR",
        "net_days": 14,
        "discount": {"percent": "10"},
        "notes": "Thank you for the workshop.",
        "lines": [
            line("Brand workshop", "2", 123_450, "19", "VAT"),
            line("Travel", "1", 12_050, "7", "Reduced VAT"),
            line("Print run", "200", 35, "19", "VAT"),
        ],
    })
}

/// Page 1 of a PDF as a PNG among the screenshots, to look at.
fn page_one(pdf: &[u8], name: &str) {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("invoice.pdf");
    std::fs::write(&file, pdf).expect("written");
    let shots = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).expect("the screenshot folder");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-singlefile", "-f", "1", "-l", "1"])
        .arg(&file)
        .arg(shots.join(name))
        .status()
        .expect("pdftoppm runs");
    assert!(status.success(), "pdftoppm draws page 1");
}

async fn pdf_of(browser: &Browser, path: &str) -> (StatusCode, Vec<u8>) {
    let answer = browser.request(Method::GET, path).send().await.expect("answers");
    let status = answer.status();
    if status == StatusCode::OK {
        let kind = answer.headers()["content-type"].to_str().unwrap_or_default().to_owned();
        assert_eq!(kind, "application/pdf");
    }
    (status, answer.bytes().await.expect("a body").to_vec())
}

/// Lisa Park of Acme, billing only, with a billing address.
async fn lisa(admin: &Browser) -> String {
    let body = json!({"name": "Lisa Park", "email": "lisa@acme.example", "company": "Acme Corp",
                      "billing_address": "1 Acme Way\nSpringfield", "preset": "billing_only"});
    id_of(&admin.post("/clients", body).await.1)
}

async fn bad_lines_are_refused_naming_them_and_nothing_is_stored(engine: Engine) {
    let server = TestServer::start(engine).await;
    let admin = server.admin().await;
    let lisa = lisa(&admin).await;
    let mut bad = draft(&lisa);
    bad["lines"][1]["unit_price_minor"] = json!(-5);
    bad["lines"][2]["tax_rate"] = json!("101");
    let (status, problem) = admin.post("/invoices", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let fields: Vec<&str> =
        problem["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["lines[2].tax_rate", "lines[1].unit_price_minor"], "{problem}");
    assert_eq!(admin.get("/invoices").await.1["items"].as_array().map(Vec::len), Some(0));

    server.running.stop().await.expect("stops");
}

/// The exports of the void invoice `number`, paid 1,000.00 on `issued`: one row per invoice
/// and per payment, amounts as plain decimals.
async fn exports_hold(admin: &Browser, number: &str, issued: &str) {
    let text_of = |path: &'static str| async move {
        admin.request(Method::GET, path).send().await.expect("answers").text().await.expect("text")
    };
    let invoices = text_of("/invoices/export.csv").await;
    assert!(invoices.starts_with("number,status,overdue,client,currency,"), "{invoices}");
    let row = format!("{number},void,false,Lisa Park,EUR,");
    assert!(invoices.contains(&row) && invoices.contains("2659.50,265.95,441.76,2835.31,1000.00,0.00"), "{invoices}");
    let payments = text_of("/payments/export.csv").await;
    assert!(payments.contains(&format!("{number},{issued},bank_transfer,TX-1,1000.00,EUR,")), "{payments}");
    assert_eq!(payments.lines().count(), 2, "the removed payment is gone: {payments}");
}

/// The invoice of the billing scenario, numbered `number`, as its PDF reads after the first
/// payment: every figure and line it must carry.
fn assert_the_pdf_says(text: &str, number: &str) {
    for shown in [
        number,
        "Lisa Park",
        "1 Acme Way",
        "Brand workshop",
        "€2,659.50",
        "-€265.95",
        "VAT 19 % on €2,285.10",
        "€434.17",
        "€7.59",
        "€2,835.31",
        "-€1,000.00",
        "€1,835.31",
        "TX-1",
        "Net 14.",
        "Page 1 of 1",
    ] {
        assert!(text.contains(shown), "{shown} in the PDF:\n{text}");
    }
}

/// Sending mailed invoice `id` to Lisa; mailing it again queues a second copy.
async fn mailed_twice(admin: &Browser, id: &str) {
    let (status, again) = admin.post(&format!("/invoices/{id}/email"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    let client = again["client_id"].as_str().expect("a client");
    let (_, log) = admin.get(&format!("/clients/{client}/deliveries")).await;
    let invoices = log["items"].as_array().expect("a log").iter().filter(|m| m["kind"] == "invoice").count();
    assert_eq!(invoices, 2, "the invoice at send and the copy: {log}");
}

async fn an_invoice_is_drafted_sent_paid_in_two_payments_and_printed(engine: Engine) {
    let server = TestServer::start(engine).await;
    let admin = server.admin().await;
    let lisa = lisa(&admin).await;

    let (status, created) = admin.post("/invoices", draft(&lisa)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = id_of(&created);
    assert_eq!(created["number"], Value::Null, "numbered when sent");
    assert_eq!(created["totals"]["subtotal"]["minor"], 265_950);
    assert_eq!(created["totals"]["discount"]["minor"], 26_595);
    let taxes: Vec<i64> = created["totals"]["taxes"]
        .as_array()
        .expect("taxes")
        .iter()
        .filter_map(|t| t["amount"]["minor"].as_i64())
        .collect();
    assert_eq!(taxes, [43_417, 759]);
    assert_eq!(created["total"]["display"], "€2,835.31");

    let (status, edited) =
        admin.send(Method::PATCH, &format!("/invoices/{id}"), Some(json!({"terms": "Net 14."}))).await;
    assert_eq!((status, edited["terms"].as_str()), (StatusCode::OK, Some("Net 14.")), "{edited}");
    let (status, _) = admin.get(&format!("/invoices/{id}/pdf")).await;
    assert_eq!(status, StatusCode::CONFLICT, "a draft is not a document yet");

    let (status, sent) = admin.post(&format!("/invoices/{id}/send"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    let number = sent["number"].as_str().expect("a number").to_owned();
    assert!(number.starts_with("INV-") && number.ends_with("-0001"), "{number}");
    let due = sent["due_date"].as_str().expect("due in 14 days");
    let due = time::Date::parse(due, &time::format_description::well_known::Iso8601::DATE).expect("a date");
    let first_reminder = (due - time::Duration::days(3)).to_string();
    assert_eq!(sent["next_reminder_on"].as_str(), Some(first_reminder.as_str()), "three days before it is due");
    let (status, _) = admin.send(Method::PATCH, &format!("/invoices/{id}"), Some(json!({"notes": "x"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "a sent invoice is fixed");
    mailed_twice(&admin, &id).await;

    let issued = sent["issue_date"].as_str().expect("an issue date").to_owned();
    let pay =
        |minor: i64| json!({"amount_minor": minor, "paid_on": issued, "method": "bank_transfer", "reference": "TX-1"});
    let (status, part) = admin.post(&format!("/invoices/{id}/payments"), pay(100_000)).await;
    assert_eq!((status, part["status"].as_str()), (StatusCode::CREATED, Some("partially_paid")), "{part}");
    assert_eq!(part["balance"]["minor"], 183_531);
    let (status, problem) = admin.post(&format!("/invoices/{id}/payments"), pay(183_532)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an overpayment is refused: {problem}");
    assert_eq!(problem["errors"][0]["field"], "amount_minor");

    let (status, pdf) = pdf_of(&admin, &format!("/invoices/{id}/pdf")).await;
    assert_eq!(status, StatusCode::OK);
    let text = portico_testkit::pdf::text(&pdf);
    assert_the_pdf_says(&text, &number);
    page_one(&pdf, &format!("invoice-pdf-{engine:?}").to_lowercase());

    // Lisa's copy is the same document; a client with invoices but not payments gets it
    // without the payment records and the balance.
    let lisa_browser = server.activate("lisa@acme.example").await;
    let (status, hers) = pdf_of(&lisa_browser, &format!("/portal/invoices/{id}/pdf")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(portico_testkit::pdf::text(&hers), text, "the agency's copy is the client's");

    let (status, paid) = admin.post(&format!("/invoices/{id}/payments"), pay(183_531)).await;
    assert_eq!((status, paid["status"].as_str()), (StatusCode::CREATED, Some("paid")), "{paid}");
    assert_eq!(paid["next_reminder_on"], Value::Null, "no reminder once paid");
    assert_eq!(paid["balance"]["minor"], 0);
    let second = paid["payments"][1]["id"].as_str().expect("the second payment").to_owned();
    let (status, reopened) = admin.send(Method::DELETE, &format!("/payments/{second}"), None).await;
    assert_eq!((status, reopened["status"].as_str()), (StatusCode::OK, Some("partially_paid")), "{reopened}");
    let (status, voided) =
        admin.post(&format!("/invoices/{id}/void"), json!({"reason": "Issued to the wrong company."})).await;
    assert_eq!((status, voided["status"].as_str()), (StatusCode::OK, Some("void")), "{voided}");
    assert_eq!(voided["void_reason"], "Issued to the wrong company.");
    assert_eq!(voided["balance"]["minor"], 0, "nothing is owed on a void invoice");
    let (status, _) = admin
        .send(Method::DELETE, &format!("/payments/{}", part["payments"][0]["id"].as_str().unwrap_or_default()), None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a void invoice's record is closed");
    let (status, _) = admin.send(Method::DELETE, &format!("/invoices/{id}"), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "an issued invoice is never deleted");

    // Lisa's statement: issued, two payments, the second removed, then the void.
    let (status, statement) = lisa_browser.get("/portal/statement").await;
    assert_eq!(status, StatusCode::OK, "{statement}");
    let ledger = &statement["items"][0];
    let kinds: Vec<&str> =
        ledger["entries"].as_array().expect("entries").iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(kinds, ["issued", "paid", "voided"], "{ledger}");
    assert_eq!(
        (ledger["invoiced"]["minor"].as_i64(), ledger["paid"]["minor"].as_i64()),
        (Some(283_531), Some(100_000))
    );
    assert_eq!(ledger["owed"]["minor"], 0, "nothing is owed once it is void");
    assert_eq!(admin.get(&format!("/clients/{lisa}/statement")).await.1, statement, "the agency's statement is hers");

    exports_hold(&admin, &number, &issued).await;

    let other = id_of(&admin.post("/invoices", draft(&lisa)).await.1);
    assert_eq!(admin.send(Method::DELETE, &format!("/invoices/{other}"), None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(admin.get(&format!("/invoices/{other}")).await.0, StatusCode::NOT_FOUND, "a draft is deleted");
    server.running.stop().await.expect("stops");
}

async fn a_client_without_payments_gets_the_invoice_without_them(engine: Engine) {
    let server = TestServer::start(engine).await;
    let admin = server.admin().await;
    let body = json!({"name": "Tom Reed", "email": "tom@acme.example", "permissions": ["invoices"]});
    let tom = id_of(&admin.post("/clients", body).await.1);
    let mut long = draft(&tom);
    let line = long["lines"][0].clone();
    long["lines"] = Value::Array(vec![line; 70]);
    let id = id_of(&admin.post("/invoices", long).await.1);
    admin.post(&format!("/invoices/{id}/send"), json!({})).await;
    let payment = json!({"amount_minor": 5_000, "paid_on": "2026-03-02", "method": "cash"});
    assert_eq!(admin.post(&format!("/invoices/{id}/payments"), payment).await.0, StatusCode::CREATED);
    let tom_browser = server.activate("tom@acme.example").await;
    let (status, pdf) = pdf_of(&tom_browser, &format!("/portal/invoices/{id}/pdf")).await;
    assert_eq!(status, StatusCode::OK);
    let text = portico_testkit::pdf::text(&pdf);
    assert!(text.contains("Page 1 of 2") && text.contains("Page 2 of 2"), "seventy lines take two pages:\n{text}");
    assert_eq!(text.matches("DESCRIPTION").count(), 2, "the lines' header is repeated on page 2");
    assert!(text.contains("Total"), "the totals are shown");
    for hidden in ["Balance due", "PAYMENTS RECEIVED", "Cash"] {
        assert!(!text.contains(hidden), "no {hidden} without the payments permission:\n{text}");
    }
    assert_eq!(tom_browser.get("/portal/statement").await.0, StatusCode::NOT_FOUND, "a statement is payment records");
    let (_, view) = tom_browser.get(&format!("/portal/invoices/{id}")).await;
    assert_eq!((view["payments"].clone(), view["balance"].clone()), (Value::Null, Value::Null), "{view}");
    server.running.stop().await.expect("stops");
}

/// A 120 × 40 logo, green on its left half and transparent on its right.
fn png_logo() -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, 120, 40);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let row: Vec<u8> = (0..120).flat_map(|x| if x < 60 { [10, 125, 90, 255] } else { [0, 0, 0, 0] }).collect();
    let mut writer = encoder.write_header().expect("a header");
    writer.write_image_data(&row.repeat(40)).expect("pixels");
    writer.finish().expect("written");
    bytes
}

/// The images of a PDF as `pdfimages -list` lists them: type, width, height.
fn images_of(pdf: &[u8]) -> Vec<(String, String, String)> {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("invoice.pdf");
    std::fs::write(&file, pdf).expect("written");
    let out = Command::new("pdfimages").arg("-list").arg(&file).output().expect("pdfimages runs");
    let listing = String::from_utf8_lossy(&out.stdout).into_owned();
    let rows = listing
        .lines()
        .skip(2)
        .map(|line| line.split_whitespace().skip(2).take(3).map(str::to_owned).collect::<Vec<_>>());
    rows.map(|cells| (cells[0].clone(), cells[1].clone(), cells[2].clone())).collect()
}

/// The workspace's billing settings: refused ones name their fields and change nothing;
/// saved ones number the next invoice, chase it on their days, and print on its PDF in the
/// chosen locale.
async fn billing_settings_number_remind_and_print_the_next_invoice(engine: Engine) {
    let server = TestServer::start(engine).await;
    let admin = server.admin().await;
    let (_, before) = admin.get("/settings").await;
    assert_eq!(before["invoice_number_pattern"], "INV-{YYYY}-{SEQ:4}", "{before}");
    assert_eq!(before["reminder_days"], json!([-3, 0, 7, 14]));
    let bad = json!({"brand_colour": "blue", "invoice_number_pattern": "NW-{YY}", "reminder_days": [400],
                     "locale": "xx-XX", "digest_hour": 30, "address": "1 Harbour Road",
                     "tax_rates": [{"name": "VAT", "rate": "20"}, {"name": "vat", "rate": "5"}]});
    let (status, problem) = admin.send(Method::PATCH, "/settings", Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let mut fields: Vec<&str> =
        problem["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["brand_colour", "digest_hour", "invoice_number_pattern", "locale", "reminder_days", "tax_rates"],
        "{problem}"
    );
    assert_eq!(admin.get("/settings").await.1, before, "a refused change changes nothing, the valid address neither");

    let good = json!({"address": "Northwind Studio\n1 Harbour Road\nBristol BS1 4RN",
                      "payment_instructions": "IBAN GB00 NWBK 6016 1331 9268 19", "invoice_number_pattern": "NW-{YY}-{SEQ:3}",
                      "locale": "de-DE", "default_currency": "GBP", "reminder_days": [1, -7],
                      "tax_rates": [{"name": "VAT", "rate": "20"}, {"name": "Reduced VAT", "rate": "5"}]});
    let (status, saved) = admin.send(Method::PATCH, "/settings", Some(good)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!((saved["reminder_days"].clone(), saved["locale"].clone()), (json!([-7, 1]), json!("de-DE")));
    assert_eq!(saved["brand_colour"], before["brand_colour"], "fields left out stay");
    assert_eq!(saved["tax_rates"], json!([{"name": "VAT", "rate": "20"}, {"name": "Reduced VAT", "rate": "5"}]));
    let (_, history) = admin.get("/settings/history").await;
    let changed: Vec<&str> = history["items"][0]["changes"]
        .as_array()
        .expect("the change's fields")
        .iter()
        .filter_map(|c| c["field"].as_str())
        .collect();
    assert_eq!(
        changed,
        [
            "address",
            "payment_instructions",
            "invoice_number_pattern",
            "default_currency",
            "tax_rates",
            "reminder_schedule",
            "locale"
        ],
        "one audited change, field by field: {history}"
    );

    let part = reqwest::multipart::Part::bytes(png_logo()).file_name("northwind.png");
    let form = reqwest::multipart::Form::new().part("file", part);
    let answer = admin.request(Method::POST, "/settings/logo").multipart(form).send().await.expect("answers");
    assert_eq!(answer.status(), StatusCode::OK, "the logo is kept");

    let lisa = lisa(&admin).await;
    let id = id_of(&admin.post("/invoices", draft(&lisa)).await.1);
    let (status, sent) = admin.post(&format!("/invoices/{id}/send"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    let number = sent["number"].as_str().expect("a number");
    assert!(number.starts_with("NW-") && number.ends_with("-001") && number.len() == 9, "{number}");
    let due = time::Date::parse(
        sent["due_date"].as_str().expect("a due date"),
        &time::format_description::well_known::Iso8601::DATE,
    )
    .expect("a date");
    assert_eq!(sent["next_reminder_on"].as_str(), Some((due - time::Duration::days(7)).to_string().as_str()));
    let pdf = pdf_of(&admin, &format!("/invoices/{id}/pdf")).await.1;
    let kinds =
        [("image", "120", "40"), ("smask", "120", "40")].map(|(k, w, h)| (k.to_owned(), w.to_owned(), h.to_owned()));
    assert_eq!(images_of(&pdf), kinds, "the logo heads the PDF, its transparency kept");
    page_one(&pdf, &format!("invoice-pdf-branded-{engine:?}").to_lowercase());
    let text = portico_testkit::pdf::text(&pdf);
    for shown in [number, "1 Harbour Road", "Bristol BS1 4RN", "IBAN GB00 NWBK 6016 1331 9268 19", "2.835,31"] {
        assert!(text.contains(shown), "{shown} in the PDF:\n{text}");
    }
    server.running.stop().await.expect("stops");
}

on_both_engines!(
    billing_settings_number_remind_and_print_the_next_invoice,
    bad_lines_are_refused_naming_them_and_nothing_is_stored,
    an_invoice_is_drafted_sent_paid_in_two_payments_and_printed,
    a_client_without_payments_gets_the_invoice_without_them
);
