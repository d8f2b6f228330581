//! The forms: what each accepts, refuses (naming every field at once) and turns into.

use super::*;

fn fields(errors: &ValidationErrors) -> Vec<&str> {
    errors.errors().iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_complete_client_form_parses_with_blank_optional_fields_left_out() {
    let form = ClientForm {
        name: " Sarah Chen ".into(),
        email: "sarah@acme.example".into(),
        company: Some("  ".into()),
        phone: None,
        billing_address: Some("1 Main St\r\nSpringfield".into()),
        notes: Some(String::new()),
        permissions: PermissionsInput::Names(vec!["projects".into(), "files".into()]),
        invite: false,
    };
    let new = form.parse().expect("valid");
    assert_eq!(new.profile.name.as_str(), "Sarah Chen");
    assert_eq!(new.profile.company, None);
    assert_eq!(new.profile.notes, None);
    assert_eq!(new.profile.billing_address.map(|a| a.to_string()), Some("1 Main St\nSpringfield".into()));
    assert_eq!(new.permissions.to_string(), "projects, files");
    assert!(!new.invite);
}

#[test]
fn presets_are_accepted_by_name_and_unknown_ones_are_named() {
    let form = ClientForm { name: "A".into(), email: "a@b.example".into(), ..ClientForm::default() };
    let billing = ClientForm { permissions: PermissionsInput::Preset("billing_only".into()), ..form.clone() };
    assert_eq!(billing.parse().expect("valid").permissions, Preset::BillingOnly.permissions());
    let unknown = ClientForm { permissions: PermissionsInput::Preset("superuser".into()), ..form };
    let errors = unknown.parse().expect_err("invalid");
    assert_eq!(errors.errors()[0].message, "\"superuser\" is not a permission preset");
}

#[test]
fn edits_distinguish_keep_clear_and_set() {
    let form = ClientEditForm {
        company: Some(None),
        phone: Some(Some("+1 555 0100".into())),
        notes: Some(Some("  ".into())),
        ..ClientEditForm::default()
    };
    let edit = form.parse().expect("valid");
    assert_eq!(edit.name, None, "absent: keep");
    assert_eq!(edit.company, Some(None), "null: clear");
    assert_eq!(edit.notes, Some(None), "blank: clear");
    assert_eq!(edit.phone.flatten().map(|p| p.to_string()), Some("+1 555 0100".into()));
    let bad = ClientEditForm { email: Some("nope".into()), phone: Some(Some("call me".into())), ..Default::default() };
    assert_eq!(fields(&bad.parse().expect_err("invalid")), ["email", "phone"]);
}

#[test]
fn project_forms_check_dates_and_ids() {
    let form = ProjectForm {
        name: "Brand".into(),
        deadline: Some("31/03/2026".into()),
        client_ids: vec!["not-an-id".into()],
        ..ProjectForm::default()
    };
    assert_eq!(fields(&form.parse().expect_err("invalid")), ["deadline", "client_ids[0]"]);
    let ok = ProjectForm { deadline: Some("2026-03-31".into()), client_ids: vec![], ..form };
    assert_eq!(ok.parse().expect("valid").details.deadline, Some(time::macros::date!(2026 - 03 - 31)));
}

#[test]
fn task_and_message_forms_require_a_known_visibility() {
    let task = TaskForm { title: "Logo".into(), visibility: "public".into(), ..TaskForm::default() };
    assert_eq!(fields(&task.parse().expect_err("invalid")), ["visibility"]);
    let message = MessageForm { body: "Hi".into(), visibility: None };
    assert_eq!(message.parse().expect("valid").visibility, Visibility::Internal, "sharing is never the default");
    let edit = TaskEditForm { state: Some("finished".into()), ..TaskEditForm::default() };
    assert_eq!(fields(&edit.parse().expect_err("invalid")), ["state"]);
}

#[test]
fn invoice_forms_report_each_bad_line() {
    let form = InvoiceForm {
        client_id: uuid::Uuid::from_u128(1).to_string(),
        project_id: None,
        number: "INV-1".into(),
        currency: "EUR".into(),
        due_date: None,
        lines: vec![
            LineForm { description: "Design".into(), quantity: "1.5".into(), unit_price_minor: 8_000 },
            LineForm { description: String::new(), quantity: "0".into(), unit_price_minor: 100 },
            LineForm { description: "Print".into(), quantity: "2".into(), unit_price_minor: -5 },
        ],
    };
    let errors = form.parse().expect_err("invalid");
    assert_eq!(fields(&errors), ["lines[1].description", "lines[1].quantity"]);
    let only_price = InvoiceForm { lines: vec![form.lines[0].clone(), form.lines[2].clone()], ..form.clone() };
    assert_eq!(fields(&only_price.parse().expect_err("invalid")), ["lines[1].unit_price_minor"]);
    let bad_currency = InvoiceForm { currency: "XXX".into(), lines: vec![form.lines[0].clone()], ..form };
    assert_eq!(fields(&bad_currency.parse().expect_err("invalid")), ["currency"]);
}

#[test]
fn uploads_default_to_internal_and_octet_stream() {
    let upload = UploadForm { name: "a.bin".into(), bytes: vec![1], ..UploadForm::default() }.parse().expect("valid");
    assert_eq!(upload.visibility, Visibility::Internal);
    assert_eq!(upload.content_type.as_str(), "application/octet-stream");
    let bad =
        UploadForm { name: "../../etc/passwd".into(), content_type: Some("text".into()), ..UploadForm::default() };
    assert_eq!(fields(&bad.parse().expect_err("invalid")), ["file", "content_type"]);
}

#[test]
fn answers_and_staff_forms_parse() {
    let answer =
        AnswerForm { decision: "changes_requested".into(), comment: Some("Bigger".into()) }.parse().expect("valid");
    assert_eq!(answer.decision, ApprovalDecision::ChangesRequested);
    assert_eq!(fields(&AnswerForm::default().parse().expect_err("invalid")), ["decision"]);
    let staff = StaffForm { name: "Sam".into(), email: "sam@x.example".into(), role: "owner".into() };
    assert_eq!(fields(&staff.parse().expect_err("invalid")), ["role"]);
}
