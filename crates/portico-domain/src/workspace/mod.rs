//! The workspace: one agency, the tenant that owns every other record, and the settings its
//! admins choose — its brand, how it bills, how people hear of things.

use time::OffsetDateTime;

use crate::activity::{Category, Delivery, DigestTime, NotificationDefaults};
use crate::audit::{DataKind, FieldChange};
use crate::ids::WorkspaceId;
use crate::invoice::{IssuerSnapshot, NumberPattern, PaymentInstructions, ReminderSchedule, TaxRates};
use crate::money::{Currency, Locale};
use crate::text::{BillingAddress, WorkspaceName, bounded_text};

mod colour;
mod logo;

pub use colour::{BrandColour, InvalidColour};
pub use logo::{Logo, LogoError, LogoKind};

bounded_text!(
    /// The words that greet clients on their portal home.
    PortalWelcome, max = 2_000, lines = Multi
);
bounded_text!(
    /// The name mail is sent under ("Northwind Studio Billing").
    SenderName, max = 100, lines = Single
);

/// One agency's space. "Unique per account" in the guide means unique per workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// Identity.
    pub id: WorkspaceId,
    /// The agency's name, shown in mail and in the portal.
    pub name: WorkspaceName,
    /// Settings staff can change.
    pub settings: WorkspaceSettings,
    /// When the workspace was created.
    pub created_at: OffsetDateTime,
}

impl Workspace {
    /// Who its invoices say issued them, as the settings say now.
    pub fn issuer(&self) -> IssuerSnapshot {
        let billing = &self.settings.billing;
        IssuerSnapshot {
            name: self.name.clone(),
            address: billing.address.clone(),
            payment_instructions: billing.payment_instructions.clone(),
        }
    }

    /// The pattern its invoice numbers follow.
    pub fn number_pattern(&self) -> NumberPattern {
        self.settings.billing.number_pattern.clone()
    }

    /// The days open invoices' clients are reminded on.
    pub fn reminder_schedule(&self) -> ReminderSchedule {
        self.settings.billing.reminders.clone()
    }

    /// How its amounts and dates are written.
    pub fn locale(&self) -> Locale {
        self.settings.billing.locale
    }

    /// The name its mail is sent under: the sender name when one is set, else the
    /// workspace's own.
    pub fn sender_name(&self) -> &str {
        self.settings.brand.sender_name.as_ref().map_or(self.name.as_str(), SenderName::as_str)
    }

    /// Applies the fields `edit` gives; returns what changed, for the audit trail.
    pub fn apply(&mut self, edit: SettingsEdit) -> Vec<FieldChange> {
        let mut changes = Vec::new();
        let plain = DataKind::Ordinary;
        if let Some(name) = edit.name {
            FieldChange::set(&mut changes, "name", &mut self.name, name, plain);
        }
        let settings = &mut self.settings;
        let brand = &mut settings.brand;
        if let Some(colour) = edit.colour {
            FieldChange::set(&mut changes, "brand_colour", &mut brand.colour, colour, plain);
        }
        if let Some(welcome) = edit.welcome {
            FieldChange::set_optional(&mut changes, "portal_welcome", &mut brand.welcome, welcome, plain);
        }
        if let Some(sender) = edit.sender_name {
            FieldChange::set_optional(&mut changes, "sender_name", &mut brand.sender_name, sender, plain);
        }
        let billing = &mut settings.billing;
        if let Some(address) = edit.address {
            FieldChange::set_optional(&mut changes, "address", &mut billing.address, address, plain);
        }
        if let Some(text) = edit.payment_instructions {
            FieldChange::set_optional(
                &mut changes,
                "payment_instructions",
                &mut billing.payment_instructions,
                text,
                plain,
            );
        }
        if let Some(pattern) = edit.number_pattern {
            FieldChange::set(&mut changes, "invoice_number_pattern", &mut billing.number_pattern, pattern, plain);
        }
        if let Some(currency) = edit.currency {
            FieldChange::set(&mut changes, "default_currency", &mut billing.currency, currency, plain);
        }
        if let Some(rates) = edit.tax_rates {
            FieldChange::set(&mut changes, "tax_rates", &mut billing.tax_rates, rates, plain);
        }
        if let Some(reminders) = edit.reminders {
            FieldChange::set(&mut changes, "reminder_schedule", &mut billing.reminders, reminders, plain);
        }
        if let Some(locale) = edit.locale {
            FieldChange::set(&mut changes, "locale", &mut billing.locale, locale, plain);
        }
        if let Some(digest) = edit.digest.filter(|d| *d != settings.digest) {
            let hour = |d: DigestTime| format!("{:02}:00", d.hour());
            changes.push(FieldChange::plain("digest_hour", Some(&hour(settings.digest)), Some(&hour(digest))));
            settings.digest = digest;
        }
        if let Some(notify) = edit.notify_clients_on_assignment {
            let slot = &mut settings.notify_clients_on_assignment;
            FieldChange::set(&mut changes, "notify_clients_on_assignment", slot, notify, plain);
        }
        for (audience, category, delivery) in edit.notification_defaults {
            let for_clients = audience == Audience::Clients;
            let before = settings.notification_defaults.default_for(for_clients, category);
            if before != delivery {
                let field = format!("notification_defaults.{}.{category}", audience.as_str());
                changes.push(FieldChange::plain(&field, Some(&before), Some(&delivery)));
                settings.notification_defaults.set(for_clients, category, delivery);
            }
        }
        changes
    }

    /// Makes `logo` the workspace's logo (`None` removes it); returns the logo it replaces
    /// (whose bytes can go) and the change, when there is one.
    pub fn replace_logo(&mut self, logo: Option<Logo>) -> Option<(Option<Logo>, FieldChange)> {
        let slot = &mut self.settings.brand.logo;
        if *slot == logo {
            return None;
        }
        let shown = |l: &Option<Logo>| l.as_ref().map(|l| format!("{} image", l.kind));
        let (before, after) = (shown(slot), shown(&logo));
        let change = FieldChange::plain("logo", as_display(before.as_ref()), as_display(after.as_ref()));
        Some((std::mem::replace(slot, logo), change))
    }
}

fn as_display(text: Option<&String>) -> Option<&dyn std::fmt::Display> {
    text.map(|t| t as &dyn std::fmt::Display)
}

/// Whose notification defaults a setting is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Clients.
    Clients,
    /// Staff.
    Staff,
}

impl Audience {
    /// The name used in the API and the audit trail.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Clients => "clients",
            Self::Staff => "staff",
        }
    }
}

/// Behaviour and looks an agency chooses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSettings {
    /// Email a client when it is added to a project.
    pub notify_clients_on_assignment: bool,
    /// How people hear of each category until they choose.
    pub notification_defaults: NotificationDefaults,
    /// When the daily digest goes out.
    pub digest: DigestTime,
    /// How the portal and mail look.
    pub brand: Brand,
    /// What invoices say and how they are numbered and chased.
    pub billing: BillingSettings,
}

impl Default for WorkspaceSettings {
    fn default() -> Self {
        Self {
            notify_clients_on_assignment: true,
            notification_defaults: NotificationDefaults::default(),
            digest: DigestTime::default(),
            brand: Brand::default(),
            billing: BillingSettings::default(),
        }
    }
}

/// How the portal and mail look to clients.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Brand {
    /// The colour as chosen; pages and mail use its [`BrandColour::legible`] form.
    pub colour: BrandColour,
    /// The logo, if one was uploaded.
    pub logo: Option<Logo>,
    /// The words on the portal home.
    pub welcome: Option<PortalWelcome>,
    /// The name mail is sent under, when not the workspace's.
    pub sender_name: Option<SenderName>,
}

/// What invoices say about the agency, and how they are numbered and chased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingSettings {
    /// The agency's postal address, printed on invoices.
    pub address: Option<BillingAddress>,
    /// How clients pay (bank details), printed on invoices and their mail.
    pub payment_instructions: Option<PaymentInstructions>,
    /// The pattern new invoice numbers follow.
    pub number_pattern: NumberPattern,
    /// The currency new invoices start in.
    pub currency: Currency,
    /// The named tax rates new invoice lines offer, the first one first.
    pub tax_rates: TaxRates,
    /// The days open invoices' clients are reminded on.
    pub reminders: ReminderSchedule,
    /// How amounts and dates are written.
    pub locale: Locale,
}

impl Default for BillingSettings {
    fn default() -> Self {
        Self {
            address: None,
            payment_instructions: None,
            number_pattern: NumberPattern::default(),
            currency: Currency::EUR,
            tax_rates: TaxRates::default(),
            reminders: ReminderSchedule::default(),
            locale: Locale::default(),
        }
    }
}

/// A change of settings: each `Some` field is set, `Some(None)` clears an optional one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SettingsEdit {
    /// The workspace's name.
    pub name: Option<WorkspaceName>,
    /// The brand colour.
    pub colour: Option<BrandColour>,
    /// The portal's welcome text.
    pub welcome: Option<Option<PortalWelcome>>,
    /// The sender name of mail.
    pub sender_name: Option<Option<SenderName>>,
    /// The postal address on invoices.
    pub address: Option<Option<BillingAddress>>,
    /// The payment instructions on invoices.
    pub payment_instructions: Option<Option<PaymentInstructions>>,
    /// The invoice number pattern.
    pub number_pattern: Option<NumberPattern>,
    /// The default currency of new invoices.
    pub currency: Option<Currency>,
    /// The named tax rates.
    pub tax_rates: Option<TaxRates>,
    /// The reminder schedule.
    pub reminders: Option<ReminderSchedule>,
    /// How amounts and dates are written.
    pub locale: Option<Locale>,
    /// When the daily digest goes out.
    pub digest: Option<DigestTime>,
    /// Whether clients are mailed when added to a project.
    pub notify_clients_on_assignment: Option<bool>,
    /// New notification defaults, by audience and category.
    pub notification_defaults: Vec<(Audience, Category, Delivery)>,
}

#[cfg(test)]
mod tests;
