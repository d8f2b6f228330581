//! Workspace settings as typed, in the API's JSON or the settings page's form, and their
//! parsing into one [`SettingsEdit`].

use std::collections::BTreeMap;

use portico_domain::activity::{Category, Delivery, DigestTime};
use portico_domain::invoice::{NumberPattern, PaymentInstructions, ReminderSchedule, TaxRates};
use portico_domain::money::{Currency, Locale};
use portico_domain::text::{BillingAddress, WorkspaceName};
use portico_domain::validation::ValidationErrors;
use portico_domain::workspace::{Audience, BrandColour, PortalWelcome, SenderName, SettingsEdit};

use super::patch;

/// New settings: absent fields stay as they are; `Some(None)` or blank text clears an
/// optional one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsForm {
    /// The workspace's name.
    pub name: Option<String>,
    /// The brand colour, `#rrggbb`.
    pub brand_colour: Option<String>,
    /// The portal's welcome text.
    pub portal_welcome: Option<Option<String>>,
    /// The name mail is sent under.
    pub sender_name: Option<Option<String>>,
    /// The agency's postal address, for invoices.
    pub address: Option<Option<String>>,
    /// How clients pay, for invoices.
    pub payment_instructions: Option<Option<String>>,
    /// The invoice number pattern.
    pub invoice_number_pattern: Option<String>,
    /// The currency new invoices start in.
    pub default_currency: Option<String>,
    /// Named tax rates, one `VAT 19 %` per line.
    pub tax_rates: Option<String>,
    /// Reminder days relative to the due date, `-3, 0, 7, 14`.
    pub reminder_days: Option<String>,
    /// How amounts and dates are written (`en-GB`).
    pub locale: Option<String>,
    /// The hour of the daily digest, 0–23.
    pub digest_hour: Option<i64>,
    /// Whether clients are mailed when added to a project.
    pub notify_clients_on_assignment: Option<bool>,
    /// Notification defaults: `clients` or `staff`, then category name to delivery name.
    pub notification_defaults: BTreeMap<String, BTreeMap<String, String>>,
}

impl SettingsForm {
    /// Validates every given field.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each invalid field.
    pub fn parse(&self) -> Result<SettingsEdit, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let e = &mut errors;
        let edit = SettingsEdit {
            name: self.name.as_deref().and_then(|n| e.check("name", WorkspaceName::parse(n))),
            colour: self.brand_colour.as_deref().and_then(|c| e.check("brand_colour", BrandColour::parse(c))),
            welcome: patch(e, "portal_welcome", self.portal_welcome.as_ref(), PortalWelcome::parse),
            sender_name: patch(e, "sender_name", self.sender_name.as_ref(), SenderName::parse),
            address: patch(e, "address", self.address.as_ref(), BillingAddress::parse),
            payment_instructions: patch(
                e,
                "payment_instructions",
                self.payment_instructions.as_ref(),
                PaymentInstructions::parse,
            ),
            number_pattern: self
                .invoice_number_pattern
                .as_deref()
                .and_then(|p| e.check("invoice_number_pattern", NumberPattern::parse(p))),
            currency: self.default_currency.as_deref().and_then(|c| e.check("default_currency", Currency::parse(c))),
            tax_rates: self.tax_rates.as_deref().and_then(|t| e.check("tax_rates", TaxRates::parse(t))),
            reminders: self.reminder_days.as_deref().and_then(|d| e.check("reminder_days", ReminderSchedule::parse(d))),
            locale: self.locale.as_deref().and_then(|l| e.check("locale", l.parse::<Locale>())),
            digest: self.digest_hour.and_then(|hour| {
                let hour = u8::try_from(hour).ok().filter(|h| *h < 24).map(DigestTime::at_hour);
                e.check("digest_hour", hour.ok_or("must be an hour from 0 to 23"))
            }),
            notify_clients_on_assignment: self.notify_clients_on_assignment,
            notification_defaults: defaults(e, &self.notification_defaults),
        };
        errors.into_result().map(|()| edit)
    }
}

fn defaults(
    errors: &mut ValidationErrors,
    given: &BTreeMap<String, BTreeMap<String, String>>,
) -> Vec<(Audience, Category, Delivery)> {
    let mut parsed = Vec::new();
    for (audience, categories) in given {
        let audience = match audience.as_str() {
            "clients" => Audience::Clients,
            "staff" => Audience::Staff,
            other => {
                errors.add(format!("notification_defaults.{other}"), "must be \"clients\" or \"staff\"");
                continue;
            }
        };
        for (category, delivery) in categories {
            let field = format!("notification_defaults.{}.{category}", audience.as_str());
            match (Category::from_name(category), Delivery::from_name(delivery.trim())) {
                (None, _) => errors.add(field, "is not a category"),
                (_, None) => errors.add(field, "must be one of \"immediate\", \"daily_digest\", \"off\""),
                (Some(category), Some(delivery)) => parsed.push((audience, category, delivery)),
            }
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_fields_are_parsed_and_blank_optional_ones_clear() {
        let form = SettingsForm {
            brand_colour: Some("#0A7D5A".into()),
            sender_name: Some(Some("  ".into())),
            reminder_days: Some("7, -3".into()),
            locale: Some("de-DE".into()),
            digest_hour: Some(17),
            notification_defaults: [("clients".to_owned(), [("files".to_owned(), "off".to_owned())].into())].into(),
            ..SettingsForm::default()
        };
        let edit = form.parse().expect("valid");
        assert_eq!(edit.colour, Some(BrandColour::rgb(0x0a, 0x7d, 0x5a)));
        assert_eq!(edit.sender_name, Some(None));
        assert_eq!(edit.reminders, ReminderSchedule::new([-3, 7]).ok());
        assert_eq!(edit.locale, Some(Locale::DeDe));
        assert_eq!(edit.digest, Some(DigestTime::at_hour(17)));
        assert_eq!(edit.notification_defaults, [(Audience::Clients, Category::Files, Delivery::Off)]);
        assert_eq!((edit.name, edit.address), (None, None), "absent fields are left alone");
    }

    #[test]
    fn every_bad_field_is_named() {
        let form = SettingsForm {
            name: Some(" ".into()),
            brand_colour: Some("blue".into()),
            invoice_number_pattern: Some("INV-{YYYY}".into()),
            default_currency: Some("XYZ".into()),
            reminder_days: Some("soon".into()),
            locale: Some("xx".into()),
            digest_hour: Some(24),
            notification_defaults: [
                ("everyone".to_owned(), BTreeMap::new()),
                ("staff".to_owned(), [("gossip".to_owned(), "off".to_owned())].into()),
            ]
            .into(),
            ..SettingsForm::default()
        };
        let errors = form.parse().expect_err("refused");
        let mut fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            [
                "brand_colour",
                "default_currency",
                "digest_hour",
                "invoice_number_pattern",
                "locale",
                "name",
                "notification_defaults.everyone",
                "notification_defaults.staff.gossip",
                "reminder_days",
            ]
        );
    }
}
