//! The invoice aggregate: totals against an independent model, the status machine with
//! payments, numbering at send, and the refusals with the fields they name.

use proptest::prelude::*;
use time::macros::{date, datetime};
use uuid::Uuid;

use super::*;
use crate::client::ClientProfile;
use crate::permissions::Preset;

const NOW: OffsetDateTime = datetime!(2026-02-01 10:00 UTC);

fn eur() -> Currency {
    Currency::parse("EUR").expect("known")
}

fn percent(text: &str) -> Percent {
    Percent::parse(text).expect("valid")
}

fn line(quantity: &str, unit_price_minor: i64) -> InvoiceLine {
    taxed(quantity, unit_price_minor, "0")
}

fn taxed(quantity: &str, unit_price_minor: i64, rate: &str) -> InvoiceLine {
    InvoiceLine {
        description: LineDescription::parse("Design work").expect("valid"),
        quantity: Quantity::parse(quantity).expect("valid"),
        unit_price: Money::new(unit_price_minor, eur()),
        tax_rate: percent(rate),
        tax_name: None,
    }
}

fn lisa() -> Client {
    let profile = ClientProfile {
        name: PersonName::parse("Lisa Park").expect("valid"),
        email: EmailAddress::parse("lisa@acme.example").expect("valid"),
        company: Some(CompanyName::parse("Acme Corp").expect("valid")),
        phone: None,
        billing_address: Some(BillingAddress::parse("1 Main St\nSpringfield").expect("valid")),
        notes: None,
    };
    Client::new(
        ClientId::from_uuid(Uuid::from_u128(7)),
        WorkspaceId::from_uuid(Uuid::from_u128(1)),
        profile,
        Preset::BillingOnly.permissions(),
        NOW,
    )
}

fn studio() -> IssuerSnapshot {
    IssuerSnapshot {
        name: WorkspaceName::parse("Northwind Studio").expect("valid"),
        address: Some(BillingAddress::parse("5 Harbour Road").expect("valid")),
        payment_instructions: Some(PaymentInstructions::parse("IBAN DE00 1234").expect("valid")),
    }
}

fn draft(lines: Vec<InvoiceLine>) -> InvoiceDraft {
    InvoiceDraft {
        number: None,
        client_id: lisa().id(),
        project_id: None,
        currency: eur(),
        lines,
        discount: None,
        notes: None,
        terms: None,
        issue_date: None,
        due: None,
    }
}

fn invoice(lines: Vec<InvoiceLine>) -> Result<Invoice, ValidationErrors> {
    Invoice::new(
        InvoiceId::from_uuid(Uuid::from_u128(9)),
        WorkspaceId::from_uuid(Uuid::from_u128(1)),
        draft(lines),
        NOW,
    )
}

fn number(text: &str) -> InvoiceNumber {
    InvoiceNumber::parse(text).expect("valid")
}

fn sent(lines: Vec<InvoiceLine>) -> Invoice {
    let mut invoice = invoice(lines).expect("valid");
    invoice.send(&lisa(), studio(), Some(number("INV-2026-0001")), &ReminderSchedule::default(), NOW).expect("sends");
    invoice
}

fn pay(invoice: &mut Invoice, n: u128, minor: i64) -> Result<(), PaymentRefused> {
    let input = PaymentInput {
        amount: Money::new(minor, eur()),
        paid_on: NOW.date(),
        method: PaymentMethod::BankTransfer,
        reference: None,
    };
    invoice.record_payment(PaymentId::from_uuid(Uuid::from_u128(n)), input, NOW)
}

fn fields(errors: &ValidationErrors) -> Vec<&str> {
    errors.errors().iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn totals_follow_the_rounding_rule_step_by_step() {
    // 1.5 × 80.00 at 19 %, 2 × 25.00 at 7 %, 1 × 33.33 untaxed; 10 % off.
    let mut d = draft(vec![taxed("1.5", 8000, "19"), taxed("2", 2500, "7"), line("1", 3333)]);
    d.discount = Some(Discount::Percent(percent("10")));
    let totals = d.validate_new().expect("valid");
    assert_eq!(totals.subtotal.minor(), 12_000 + 5000 + 3333);
    assert_eq!(totals.discount.minor(), 2033, "round(20333 × 10 %) = round(2033.3)");
    // Shares of 2033 by 12000 : 5000 : 3333 → exact 1199.8, 499.9, 333.3: floors 1199, 499, 333
    // (2031) and the two units left go to the largest remainders, the first two lines.
    let shares: Vec<i64> = totals.lines.iter().map(|l| l.discount.minor()).collect();
    assert_eq!(shares, [1200, 500, 333]);
    let taxes: Vec<i64> = totals.lines.iter().map(|l| l.tax.minor()).collect();
    assert_eq!(taxes, [2052, 315, 0], "19 % of 12000 − 1200, 7 % of 5000 − 500");
    assert_eq!(totals.tax.minor(), 2367);
    assert_eq!(totals.total.minor(), 20_333 - 2033 + 2367);
    assert_eq!(totals.taxes.len(), 2, "the untaxed line is not in the summary");
    assert_eq!((totals.taxes[0].base.minor(), totals.taxes[0].amount.minor()), (10_800, 2052));
}

#[test]
fn an_amount_discount_is_at_most_the_subtotal_and_in_the_currency() {
    let mut d = draft(vec![line("1", 1000)]);
    d.discount = Some(Discount::Amount(Money::new(1001, eur())));
    assert_eq!(fields(&d.validate().expect_err("too much")), ["discount"]);
    d.discount = Some(Discount::Amount(Money::new(1000, eur())));
    assert_eq!(d.validate().expect("all of it").total.minor(), 0);
    d.discount = Some(Discount::Amount(Money::new(5, Currency::parse("USD").expect("known"))));
    assert_eq!(fields(&d.validate().expect_err("dollars")), ["discount"]);
    d.discount = Some(Discount::Amount(Money::new(-5, eur())));
    assert_eq!(fields(&d.validate().expect_err("negative")), ["discount"]);
}

#[test]
fn refuses_lines_in_another_currency_or_out_of_range() {
    let mut dollars = line("1", 100);
    dollars.unit_price = Money::new(100, Currency::parse("USD").expect("known"));
    let errors = invoice(vec![line("1", 100), dollars, line("1", -1)]).expect_err("invalid");
    assert_eq!(fields(&errors), ["lines[1].unit_price_minor", "lines[2].unit_price_minor"]);
}

#[test]
fn refuses_too_many_lines_totals_that_overflow_and_long_terms() {
    assert_eq!(fields(&invoice(vec![line("1", 1); InvoiceDraft::MAX_LINES + 1]).expect_err("too many")), ["lines"]);
    let huge = taxed("1000000", Money::MAX_UNIT_PRICE_MINOR, "100");
    assert_eq!(fields(&invoice(vec![huge; 200]).expect_err("overflows")), ["lines"]);
    let mut d = draft(vec![line("1", 1)]);
    d.due = Some(Due::NetDays(366));
    d.issue_date = Some(date!(2026 - 03 - 01));
    assert_eq!(fields(&d.validate().expect_err("a year and a day")), ["net_days"]);
    d.due = Some(Due::On(date!(2026 - 02 - 28)));
    assert_eq!(fields(&d.validate().expect_err("due before issued")), ["due_date"]);
}

#[test]
fn sending_numbers_snapshots_and_dates_the_invoice() {
    let mut client = lisa();
    let mut invoice = invoice(vec![line("1", 100)]).expect("valid");
    assert_eq!(
        invoice.send(&client, studio(), None, &ReminderSchedule::default(), NOW),
        Err(RuleViolation::InvoiceWithoutNumber)
    );
    invoice
        .send(&client, studio(), Some(number("INV-2026-0001")), &ReminderSchedule::default(), NOW)
        .expect("draft sends");
    client.delete(NOW).expect("deletable");
    let billing = invoice.billing().expect("snapshot taken");
    assert_eq!(billing.name.as_str(), "Lisa Park");
    assert_eq!(billing.address.as_ref().map(BillingAddress::as_str), Some("1 Main St\nSpringfield"));
    assert_eq!(invoice.issuer(), Some(&studio()));
    assert_eq!(invoice.number().map(InvoiceNumber::as_str), Some("INV-2026-0001"));
    assert_eq!(invoice.draft().issue_date, Some(NOW.date()));
    assert_eq!(invoice.sent_at(), Some(NOW));
}

#[test]
fn a_number_typed_on_the_draft_wins_over_the_series() {
    let mut d = draft(vec![line("1", 100)]);
    d.number = Some(number("A-7"));
    let mut invoice =
        Invoice::new(InvoiceId::from_uuid(Uuid::from_u128(9)), lisa().workspace_id(), d, NOW).expect("valid");
    invoice.send(&lisa(), studio(), Some(number("INV-2026-0001")), &ReminderSchedule::default(), NOW).expect("sends");
    assert_eq!(invoice.number().map(InvoiceNumber::as_str), Some("A-7"));
}

#[test]
fn net_days_count_from_the_issue_date_and_overdue_is_derived() {
    let mut d = draft(vec![line("1", 1000)]);
    d.due = Some(Due::NetDays(14));
    let mut invoice =
        Invoice::new(InvoiceId::from_uuid(Uuid::from_u128(9)), lisa().workspace_id(), d, NOW).expect("valid");
    assert_eq!(invoice.due_date(), None, "not issued, so not due");
    invoice.send(&lisa(), studio(), Some(number("I-1")), &ReminderSchedule::default(), NOW).expect("sends");
    assert_eq!(invoice.due_date(), Some(date!(2026 - 02 - 15)));
    assert!(!invoice.is_overdue(date!(2026 - 02 - 15)), "due today is not overdue");
    assert!(invoice.is_overdue(date!(2026 - 02 - 16)));
    pay(&mut invoice, 1, 1000).expect("pays");
    assert!(!invoice.is_overdue(date!(2026 - 03 - 16)), "paid is never overdue");
}

#[test]
fn payments_move_it_to_partially_paid_then_paid_and_never_past_the_balance() {
    let mut invoice = sent(vec![line("1", 10_000)]);
    assert_eq!(fields(&unwrap_invalid(pay(&mut invoice, 1, 0))), ["amount_minor"]);
    pay(&mut invoice, 1, 4000).expect("part");
    assert_eq!((invoice.status(), invoice.balance().minor()), (InvoiceStatus::PartiallyPaid, 6000));
    assert_eq!(fields(&unwrap_invalid(pay(&mut invoice, 2, 6001))), ["amount_minor"]);
    assert_eq!(invoice.payments().len(), 1, "a refused payment is not recorded");
    pay(&mut invoice, 2, 6000).expect("the rest");
    assert_eq!((invoice.status(), invoice.balance().minor(), invoice.paid_at()), (InvoiceStatus::Paid, 0, Some(NOW)));
    assert_eq!(
        pay(&mut invoice, 3, 1),
        Err(PaymentRefused::Rule(RuleViolation::InvoiceStatus { from: InvoiceStatus::Paid, action: "paid" }))
    );
    let removed = invoice.remove_payment(PaymentId::from_uuid(Uuid::from_u128(2)), NOW).expect("allowed");
    assert_eq!(removed.map(|p| p.input.amount.minor()), Some(6000));
    assert_eq!((invoice.status(), invoice.paid_at()), (InvoiceStatus::PartiallyPaid, None));
    assert_eq!(invoice.remove_payment(PaymentId::from_uuid(Uuid::from_u128(99)), NOW), Ok(None));
}

#[test]
fn a_payment_is_dated_when_it_arrived() {
    let mut invoice = sent(vec![line("1", 10_000)]);
    let input = PaymentInput {
        amount: Money::new(100, eur()),
        paid_on: date!(2026 - 02 - 03),
        method: PaymentMethod::Cash,
        reference: None,
    };
    let refused = invoice.record_payment(PaymentId::from_uuid(Uuid::from_u128(1)), input, NOW);
    assert_eq!(fields(&unwrap_invalid(refused)), ["paid_on"]);
}

fn unwrap_invalid(result: Result<(), PaymentRefused>) -> ValidationErrors {
    match result {
        Err(PaymentRefused::Invalid(errors)) => errors,
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[test]
fn follows_the_status_diagram() {
    let client = lisa();
    let refused = invoice(vec![]).expect_err("a new draft needs a line");
    assert_eq!(fields(&refused), ["lines"]);
    // One stored before that rule still reads, and still cannot be sent.
    let mut parts = invoice(vec![line("1", 100)]).expect("valid").to_parts();
    parts.draft.lines.clear();
    let mut empty = Invoice::from_parts(parts).expect("an empty draft from storage reads");
    assert_eq!(
        empty.send(&client, studio(), Some(number("X")), &ReminderSchedule::default(), NOW),
        Err(RuleViolation::InvoiceWithoutLines)
    );

    let mut draft = invoice(vec![line("1", 100)]).expect("valid");
    let reason = VoidReason::parse("Sent to the wrong client").expect("valid");
    assert_eq!(
        draft.void(reason.clone(), NOW),
        Err(RuleViolation::InvoiceStatus { from: InvoiceStatus::Draft, action: "voided" }),
        "a draft is deleted, not voided"
    );
    draft.ensure_deletable().expect("drafts may be deleted");
    let mut voided = sent(vec![line("1", 100)]);
    pay(&mut voided, 1, 50).expect("part");
    voided.void(reason.clone(), NOW).expect("a partly paid invoice voids");
    assert_eq!((voided.void_reason(), voided.balance().minor()), (Some(&reason), 0));
    assert_eq!(voided.payments().len(), 1, "payments stay on record");
    assert!(voided.remove_payment(PaymentId::from_uuid(Uuid::from_u128(1)), NOW).is_err());
    assert!(voided.ensure_deletable().is_err(), "issued invoices are never deleted");
    assert!(voided.edit(voided.draft().clone()).is_err());
}

#[test]
fn only_a_draft_is_edited_and_an_edit_is_checked_whole() {
    let mut invoice = invoice(vec![line("1", 100)]).expect("valid");
    let mut changed = invoice.draft().clone();
    changed.lines = vec![line("2", 100), taxed("1", 50, "20")];
    invoice.edit(changed).expect("drafts change");
    assert_eq!(invoice.total().minor(), 260);
    let mut bad = invoice.draft().clone();
    bad.lines.clear();
    assert!(matches!(invoice.edit(bad), Err(EditRefused::Invalid(_))));
    assert_eq!(invoice.total().minor(), 260, "a refused edit changes nothing");
}

#[test]
fn parts_round_trip() {
    let mut invoice = sent(vec![taxed("3", 999, "19")]);
    pay(&mut invoice, 1, 100).expect("pays");
    assert_eq!(Invoice::from_parts(invoice.to_parts()), Ok(invoice));
}

#[test]
fn the_actions_a_page_offers_are_exactly_the_commands_that_succeed() {
    let draft = invoice(vec![line("1", 100)]).expect("valid");
    let open = sent(vec![line("1", 100)]);
    let (mut part, mut paid, mut void) = (open.clone(), open.clone(), open.clone());
    pay(&mut part, 1, 40).expect("part");
    pay(&mut paid, 1, 100).expect("all");
    void.void(VoidReason::parse("Duplicate").expect("valid"), NOW).expect("voids");
    let first_payment = PaymentId::from_uuid(Uuid::from_u128(1));
    for invoice in [draft, open, part, paid, void] {
        let tried = InvoiceActions {
            edit: invoice.clone().edit(invoice.draft().clone()).is_ok(),
            send: invoice.clone().send(&lisa(), studio(), Some(number("X")), &ReminderSchedule::default(), NOW).is_ok(),
            record_payment: pay(&mut invoice.clone(), 2, 1).is_ok() || invoice.status() == InvoiceStatus::PartiallyPaid,
            void: invoice.clone().void(VoidReason::parse("x").expect("valid"), NOW).is_ok(),
            delete: invoice.ensure_deletable().is_ok(),
            remove_payment: invoice.clone().remove_payment(first_payment, NOW).is_ok_and(|p| p.is_some()),
            email: invoice.ensure_mailable().is_ok(),
        };
        assert_eq!(invoice.actions(), tried, "{:?}", invoice.status());
    }
}

fn lines() -> impl Strategy<Value = Vec<InvoiceLine>> {
    let one = (
        1i64..=100_000_000,
        0i64..=Money::MAX_UNIT_PRICE_MINOR,
        prop_oneof![Just(0u32), Just(7000), Just(19_000), 0u32..=100_000],
    )
        .prop_map(|(thousandths, price, rate)| InvoiceLine {
            description: LineDescription::parse("Work").expect("valid"),
            quantity: Quantity::from_thousandths(thousandths).expect("in range"),
            unit_price: Money::new(price, eur()),
            tax_rate: Percent::from_thousandths(rate).expect("in range"),
            tax_name: None,
        });
    proptest::collection::vec(one, 1..=12)
}

fn discount() -> impl Strategy<Value = Option<Discount>> {
    prop_oneof![
        Just(None),
        (0u32..=100_000).prop_map(|t| Some(Discount::Percent(Percent::from_thousandths(t).expect("in range")))),
        (0i64..=i64::MAX).prop_map(|minor| Some(Discount::Amount(Money::new(minor, eur())))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The rule, checked against its definition in exact integers: shares add up and are
    /// each the floor or ceiling of the exact proportion, the ceilings going to the largest
    /// remainders (earlier lines first); taxes and the discount are rounded half away from
    /// zero; the total is the sum of the lines as printed. Too large is a field error.
    #[test]
    fn totals_satisfy_the_rule(lines in lines(), discount in discount()) {
        let nets: Vec<i128> = lines
            .iter()
            .map(|l| {
                let exact = i128::from(l.unit_price.minor()) * i128::from(l.quantity.thousandths());
                (exact + 500) / 1000
            })
            .collect();
        let subtotal: i128 = nets.iter().sum();
        let expected_discount = match discount {
            None => 0,
            Some(Discount::Percent(p)) => (subtotal * i128::from(p.thousandths()) + 50_000) / 100_000,
            Some(Discount::Amount(a)) => i128::from(a.minor()),
        };
        let Ok(totals) = Totals::of(&lines, discount.as_ref(), eur()) else {
            let too_much = matches!(discount, Some(Discount::Amount(a)) if i128::from(a.minor()) > subtotal);
            prop_assert!(too_much || subtotal * 2 > i128::from(i64::MAX), "refused only when too large");
            return Ok(());
        };
        prop_assert_eq!(i128::from(totals.subtotal.minor()), subtotal);
        prop_assert_eq!(i128::from(totals.discount.minor()), expected_discount);
        let shares: Vec<i128> = totals.lines.iter().map(|l| i128::from(l.discount.minor())).collect();
        prop_assert_eq!(shares.iter().sum::<i128>(), expected_discount);
        let remainder = |i: usize| if subtotal == 0 { 0 } else { expected_discount * nets[i] % subtotal };
        for (i, share) in shares.iter().enumerate() {
            let floor = if subtotal == 0 { 0 } else { expected_discount * nets[i] / subtotal };
            prop_assert!(*share == floor || *share == floor + 1);
            for (j, other) in shares.iter().enumerate() {
                let other_floor = if subtotal == 0 { 0 } else { expected_discount * nets[j] / subtotal };
                if *share == floor + 1 && *other == other_floor {
                    prop_assert!(remainder(i) > remainder(j) || (remainder(i) == remainder(j) && i < j));
                }
            }
        }
        let mut sum_of_lines = 0i128;
        for ((line, amounts), (net, share)) in lines.iter().zip(&totals.lines).zip(nets.iter().zip(&shares)) {
            let exact = (net - share) * i128::from(line.tax_rate.thousandths());
            prop_assert_eq!(i128::from(amounts.tax.minor()), (exact + 50_000) / 100_000);
            sum_of_lines += i128::from(amounts.total().minor());
        }
        prop_assert_eq!(i128::from(totals.total.minor()), sum_of_lines);
        prop_assert_eq!(totals.total.minor(), totals.subtotal.minor() - totals.discount.minor() + totals.tax.minor());
        prop_assert_eq!(totals.taxes.iter().map(|t| t.amount.minor()).sum::<i64>(), totals.tax.minor());
    }

    /// Any run of payments and removals leaves the status and balance the payments imply.
    #[test]
    fn payments_and_the_status_agree(steps in proptest::collection::vec((any::<bool>(), 1i64..=6000), 1..20)) {
        let mut invoice = sent(vec![line("1", 10_000)]);
        let mut model: Vec<(u128, i64)> = Vec::new();
        for (n, (add, amount)) in (1u128..).zip(steps) {
            if add {
                let balance = 10_000 - model.iter().map(|(_, a)| a).sum::<i64>();
                let result = pay(&mut invoice, n, amount);
                prop_assert_eq!(result.is_ok(), amount <= balance && balance > 0);
                if amount <= balance && balance > 0 {
                    model.push((n, amount));
                }
            } else if let Some((id, _)) = model.pop() {
                prop_assert!(invoice.remove_payment(PaymentId::from_uuid(Uuid::from_u128(id)), NOW).expect("open").is_some());
            }
            let paid: i64 = model.iter().map(|(_, a)| a).sum();
            let status = match paid { 0 => InvoiceStatus::Sent, 10_000 => InvoiceStatus::Paid, _ => InvoiceStatus::PartiallyPaid };
            prop_assert_eq!(invoice.status(), status);
            prop_assert_eq!(invoice.balance().minor(), 10_000 - paid);
        }
    }

    /// A statement's closing balance is what the invoices still owe, and its running balance
    /// is the sum of the entries before it, however invoices are paid, voided or left as
    /// drafts.
    #[test]
    fn a_statement_ends_at_what_is_owed(plans in proptest::collection::vec((0u8..4, 1i64..=20_000, 0i64..=20_000), 0..8)) {
        let mut invoices = Vec::new();
        for (n, (fate, total, paid)) in (1u128..).zip(plans) {
            let mut invoice = if fate == 0 { invoice(vec![line("1", total)]).expect("valid") } else { sent(vec![line("1", total)]) };
            if fate >= 2 && paid > 0 {
                let _ = pay(&mut invoice, n * 100, paid.min(total));
            }
            if fate == 3 && invoice.actions().void {
                invoice.void(VoidReason::parse("Wrong").expect("valid"), NOW).expect("voids");
            }
            invoices.push(invoice);
        }
        let ledgers = statement(&invoices);
        prop_assert!(ledgers.len() <= 1, "one currency");
        let owed: i64 = invoices.iter().map(|i| i.owed().minor()).sum();
        let invoiced: i64 = invoices.iter().filter(|i| i.status() != InvoiceStatus::Draft).map(|i| i.total().minor()).sum();
        match ledgers.first() {
            None => prop_assert!(invoices.iter().all(|i| i.status() == InvoiceStatus::Draft)),
            Some(ledger) => {
                prop_assert_eq!(ledger.owed.minor(), owed);
                prop_assert_eq!(ledger.invoiced.minor(), invoiced);
                let mut running = 0;
                for entry in &ledger.entries {
                    running += entry.amount.minor();
                    prop_assert_eq!(entry.balance.minor(), running);
                }
                prop_assert_eq!(running, owed);
            }
        }
    }
}

#[test]
fn reminders_come_while_money_is_owed_and_resume_when_a_payment_is_removed() {
    let schedule = ReminderSchedule::default();
    let mut d = draft(vec![line("1", 10_000)]);
    d.due = Some(Due::NetDays(14));
    let mut invoice =
        Invoice::new(InvoiceId::from_uuid(Uuid::from_u128(9)), lisa().workspace_id(), d, NOW).expect("valid");
    assert_eq!(invoice.remind(&schedule, NOW.date() + Duration::days(30)), None, "a draft is never reminded");
    invoice.send(&lisa(), studio(), Some(number("INV-2026-0001")), &schedule, NOW).expect("sends");
    let due = date!(2026 - 02 - 15);
    assert_eq!(invoice.next_reminder(), Some(Reminder { days: -3, on: date!(2026 - 02 - 12) }));
    assert_eq!(invoice.remind(&schedule, date!(2026 - 02 - 11)), None, "not before its day");
    assert_eq!(invoice.remind(&schedule, date!(2026 - 02 - 12)).map(|r| r.days), Some(-3));
    assert_eq!(invoice.next_reminder(), Some(Reminder { days: 0, on: due }));
    pay(&mut invoice, 1, 10_000).expect("paid in full");
    assert_eq!(invoice.remind(&schedule, due), None, "a paid invoice is not reminded");
    invoice.remove_payment(PaymentId::from_uuid(Uuid::from_u128(1)), NOW).expect("removed");
    assert_eq!(invoice.remind(&schedule, due).map(|r| r.days), Some(0), "open again, the schedule resumes");
    invoice.void(VoidReason::parse("Sent twice").expect("valid"), NOW).expect("voids");
    assert_eq!(invoice.remind(&schedule, due + Duration::days(7)), None, "a void invoice is not reminded");
}

#[test]
fn an_invoice_without_a_due_date_has_no_reminders() {
    let invoice = sent(vec![line("1", 100)]);
    assert_eq!(invoice.next_reminder(), None);
}

/// A client of the workspace other than Lisa, with `permissions`, as it will be once it
/// accepts its invitation.
fn contact(id: u128, permissions: crate::permissions::PermissionSet) -> Client {
    let mut profile = lisa().profile().clone();
    profile.name = PersonName::parse("Sam Lee").expect("valid");
    profile.email = EmailAddress::parse("sam@acme.example").expect("valid");
    let client =
        Client::new(ClientId::from_uuid(Uuid::from_u128(id)), lisa().workspace_id(), profile, permissions, NOW);
    client.as_previewed()
}

#[test]
fn invoice_mail_goes_to_the_addressee_only_while_the_rule_lets_it() {
    use crate::visibility::Viewer;

    let lisa = lisa().as_previewed();
    let mut invoice = invoice(vec![line("1", 10_000)]).expect("valid");
    let as_lisa = |invoice: &Invoice, which: Letter| letter(&Viewer::new(&lisa, []), invoice, None, which);
    assert_eq!(as_lisa(&invoice, Letter::Issued).err(), Some(Withheld::NotShown), "a draft is no one's to see");
    invoice.send(&lisa, studio(), Some(number("INV-2026-0001")), &ReminderSchedule::default(), NOW).expect("sends");
    let shown = as_lisa(&invoice, Letter::Issued).expect("the addressee gets it");
    assert_eq!((shown.invoice.number.as_str(), shown.payment), ("INV-2026-0001", None));
    assert!(as_lisa(&invoice, Letter::Reminder { days: 0 }).is_ok(), "open: reminded");

    let other = contact(8, Preset::FullAccess.permissions());
    let other_letter = letter(&Viewer::new(&other, []), &invoice, None, Letter::Issued);
    assert_eq!(other_letter.err(), Some(Withheld::NotShown), "never to anyone but the addressee");

    pay(&mut invoice, 1, 4_000).expect("part");
    let first = PaymentId::from_uuid(Uuid::from_u128(1));
    let receipt = as_lisa(&invoice, Letter::Receipt { payment: first }).expect("a receipt");
    assert_eq!(receipt.payment.map(|p| p.amount.minor()), Some(4_000));
    let gone = Letter::Receipt { payment: PaymentId::from_uuid(Uuid::from_u128(99)) };
    assert_eq!(as_lisa(&invoice, gone).err(), Some(Withheld::PaymentRemoved));

    pay(&mut invoice, 2, 6_000).expect("the rest");
    assert_eq!(as_lisa(&invoice, Letter::Reminder { days: 7 }).err(), Some(Withheld::Settled), "paid: no reminder");

    let mut hers = invoice.to_parts();
    let invoices_only = [crate::permissions::Permission::Invoices];
    let without_payments = contact(7, crate::permissions::PermissionSet::new(invoices_only).expect("valid"));
    hers.draft.client_id = without_payments.id();
    let theirs = Invoice::from_parts(hers).expect("valid");
    let hidden = letter(&Viewer::new(&without_payments, []), &theirs, None, Letter::Receipt { payment: first });
    assert_eq!(hidden.err(), Some(Withheld::PaymentsHidden), "a receipt is a payment record");
}
