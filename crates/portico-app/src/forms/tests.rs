//! The forms: what each accepts, refuses (naming every field at once) and turns into.

use portico_domain::money::{Currency, Locale};

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
    let line = |description: &str, quantity: &str, minor: i64| LineForm {
        description: description.into(),
        quantity: quantity.into(),
        unit_price: AmountInput::Minor(minor),
        ..LineForm::default()
    };
    let form = InvoiceForm {
        client_id: uuid::Uuid::from_u128(1).to_string(),
        number: Some("INV-1".into()),
        currency: "EUR".into(),
        lines: vec![line("Design", "1.5", 8_000), line("", "0", 100), line("Print", "2", -5)],
        ..InvoiceForm::default()
    };
    let en = Locale::EnUs;
    let errors = form.parse(en).expect_err("invalid");
    assert_eq!(
        fields(&errors),
        ["lines[1].description", "lines[1].quantity", "lines[2].unit_price_minor"],
        "every line's problems at once, the domain's price check on the line that parsed too"
    );
    let only_price = InvoiceForm { lines: vec![form.lines[0].clone(), form.lines[2].clone()], ..form.clone() };
    assert_eq!(fields(&only_price.parse(en).expect_err("invalid")), ["lines[1].unit_price_minor"]);
    let typed = LineForm { unit_price: AmountInput::Typed("-5".into()), ..form.lines[2].clone() };
    let typed = InvoiceForm { lines: vec![form.lines[0].clone(), typed], ..form.clone() };
    assert_eq!(fields(&typed.parse(en).expect_err("invalid")), ["lines[1].unit_price"], "named as it was typed");
    let bad_currency = InvoiceForm { currency: "XXX".into(), lines: vec![form.lines[0].clone()], ..form.clone() };
    assert_eq!(fields(&bad_currency.parse(en).expect_err("invalid")), ["currency"]);
    let both = InvoiceForm {
        due_date: Some("2026-05-01".into()),
        net_days: Some("30".into()),
        lines: vec![form.lines[0].clone()],
        ..form.clone()
    };
    assert_eq!(fields(&both.parse(en).expect_err("invalid")), ["net_days"], "a date or terms, not both");
    let too_much = InvoiceForm {
        discount: DiscountInput::Amount(AmountInput::Typed("1.000,00".into())),
        lines: vec![form.lines[0].clone()],
        ..form
    };
    assert_eq!(fields(&too_much.parse(en).expect_err("invalid")), ["discount"], "above the subtotal of 120.00");
}

#[test]
fn typed_invoices_are_read_in_the_locale_and_come_back_the_same() {
    let form = InvoiceForm {
        client_id: uuid::Uuid::from_u128(1).to_string(),
        currency: "EUR".into(),
        issue_date: Some("2026-04-01".into()),
        net_days: Some("14".into()),
        discount: DiscountInput::Percent("7,5".into()),
        lines: vec![LineForm {
            description: "Workshop".into(),
            quantity: "1,5".into(),
            unit_price: AmountInput::Typed("1.234,50".into()),
            tax_rate: Some("19".into()),
            tax_name: Some("VAT".into()),
        }],
        ..InvoiceForm::default()
    };
    let draft = form.parse(Locale::DeDe).expect("valid");
    assert_eq!((draft.lines[0].unit_price.minor(), draft.lines[0].quantity.thousandths()), (123_450, 1_500));
    assert_eq!(draft.number, None, "numbered when sent");
    let again = InvoiceForm::of_draft(&draft, Some(Locale::DeDe));
    assert_eq!(again.lines[0].unit_price, AmountInput::Typed("1.234,50".into()));
    assert_eq!(again.parse(Locale::DeDe).expect("valid"), draft);
    assert_eq!(InvoiceForm::of_draft(&draft, None).parse(Locale::EnUs).expect("valid"), draft, "minor units too");
}

#[test]
fn payments_and_voids_parse() {
    let eur = Currency::parse("EUR").expect("known");
    let payment = PaymentForm {
        amount: AmountInput::Typed("1.234,50".into()),
        paid_on: "2026-04-12".into(),
        method: "bank_transfer".into(),
        reference: Some(" ".into()),
    };
    let parsed = payment.parse(eur, Locale::DeDe).expect("valid");
    assert_eq!((parsed.amount.minor(), parsed.reference), (123_450, None));
    let bad =
        PaymentForm { amount: AmountInput::Minor(5), paid_on: "12.04.2026".into(), method: "cheque".into(), ..payment };
    assert_eq!(fields(&bad.parse(eur, Locale::DeDe).expect_err("invalid")), ["paid_on", "method"]);
    assert_eq!(fields(&VoidForm { reason: "  ".into() }.parse().expect_err("blank")), ["reason"]);
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
