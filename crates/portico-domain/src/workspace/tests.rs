//! The workspace's settings: defaults, edits and what they record, the logo's replacement.

use time::macros::datetime;
use uuid::Uuid;

use super::*;
use crate::content::StorageKey;
use crate::invoice::TaxRates;

fn workspace() -> Workspace {
    Workspace {
        id: WorkspaceId::from_uuid(Uuid::from_u128(1)),
        name: WorkspaceName::parse("Northwind Studio").expect("a name"),
        settings: WorkspaceSettings::default(),
        created_at: datetime!(2026-01-01 0:00 UTC),
    }
}

fn fields(changes: &[FieldChange]) -> Vec<(&str, Option<&str>, Option<&str>)> {
    changes.iter().map(|c| (c.field.as_str(), c.before.as_deref(), c.after.as_deref())).collect()
}

#[test]
fn a_new_workspace_bills_in_euros_with_the_default_pattern_and_reminders() {
    let ws = workspace();
    assert_eq!(ws.number_pattern().as_str(), "INV-{YYYY}-{SEQ:4}");
    assert_eq!(ws.reminder_schedule(), ReminderSchedule::default());
    assert_eq!(ws.settings.billing.currency, Currency::EUR);
    assert_eq!(ws.locale(), Locale::EnUs);
    assert_eq!(ws.sender_name(), "Northwind Studio");
    assert!(ws.settings.notify_clients_on_assignment);
    assert_eq!(ws.issuer().address, None);
}

#[test]
fn an_edit_changes_only_what_it_names_and_says_what_changed() {
    let mut ws = workspace();
    let address = BillingAddress::parse("1 Harbour Road\nBristol").expect("an address");
    let edit = SettingsEdit {
        colour: Some(BrandColour::rgb(0x0a, 0x7d, 0x5a)),
        address: Some(Some(address.clone())),
        payment_instructions: Some(Some(PaymentInstructions::parse("IBAN GB00 1234").expect("text"))),
        locale: Some(Locale::EnGb),
        tax_rates: Some(TaxRates::parse("VAT 20 %").expect("rates")),
        digest: Some(DigestTime::at_hour(17)),
        notification_defaults: vec![
            (Audience::Clients, Category::Messages, Delivery::Immediate),
            (Audience::Staff, Category::Messages, Delivery::Immediate),
        ],
        ..SettingsEdit::default()
    };
    let changes = ws.apply(edit.clone());
    assert_eq!(
        fields(&changes),
        [
            ("brand_colour", Some("#2456c9"), Some("#0a7d5a")),
            ("address", None, Some("1 Harbour Road\nBristol")),
            ("payment_instructions", None, Some("IBAN GB00 1234")),
            ("tax_rates", Some(""), Some("VAT 20 %")),
            ("locale", Some("en-US"), Some("en-GB")),
            ("digest_hour", Some("08:00"), Some("17:00")),
            ("notification_defaults.clients.messages", Some("daily_digest"), Some("immediate")),
        ],
        "staff already heard of messages at once"
    );
    assert_eq!(ws.issuer().address, Some(address));
    assert_eq!(ws.settings.notification_defaults.default_for(true, Category::Messages), Delivery::Immediate);
    assert_eq!(ws.name.as_str(), "Northwind Studio", "unnamed fields stay");
    assert!(ws.apply(edit).is_empty(), "the same edit again changes nothing");
}

#[test]
fn clearing_an_optional_setting_falls_back_to_its_default() {
    let mut ws = workspace();
    let named = SettingsEdit {
        sender_name: Some(Some(SenderName::parse("Northwind Billing").expect("a name"))),
        ..SettingsEdit::default()
    };
    ws.apply(named);
    assert_eq!(ws.sender_name(), "Northwind Billing");
    let changes = ws.apply(SettingsEdit { sender_name: Some(None), ..SettingsEdit::default() });
    assert_eq!(fields(&changes), [("sender_name", Some("Northwind Billing"), None)]);
    assert_eq!(ws.sender_name(), "Northwind Studio");
}

#[test]
fn a_new_logo_hands_back_the_old_one() {
    let mut ws = workspace();
    let logo = |key: &str, kind| Logo { kind, key: StorageKey::from_stored(key.to_owned()) };
    let (old, change) = ws.replace_logo(Some(logo("a", LogoKind::Png))).expect("a change");
    assert_eq!((old, change.before, change.after.as_deref()), (None, None, Some("png image")));
    let (old, _) = ws.replace_logo(Some(logo("b", LogoKind::Svg))).expect("a change");
    assert_eq!(old, Some(logo("a", LogoKind::Png)));
    assert_eq!(ws.replace_logo(Some(logo("b", LogoKind::Svg))), None, "the same logo is no change");
    let (old, change) = ws.replace_logo(None).expect("removed");
    assert_eq!((old, change.after), (Some(logo("b", LogoKind::Svg)), None));
}
