//! Workspaces in SQL.

use std::sync::LazyLock;

use async_trait::async_trait;
use portico_domain::activity::{DigestTime, NotificationDefaults};
use portico_domain::content::StorageKey;
use portico_domain::ids::WorkspaceId;
use portico_domain::invoice::{NumberPattern, PaymentInstructions, ReminderSchedule, TaxRates};
use portico_domain::money::Currency;
use portico_domain::text::{BillingAddress, WorkspaceName};
use portico_domain::workspace::{
    BillingSettings, Brand, BrandColour, Logo, LogoKind, PortalWelcome, SenderName, Workspace, WorkspaceSettings,
};
use portico_ports::RepoResult;
use portico_ports::repos::WorkspaceRepo;

use crate::codec::{choices, choices_text, corrupt, read, read_enum, read_opt};
use crate::columns::{Column, Table};
use crate::engine::{Row, Transaction, Value};
use crate::unit::{SqlUnit, changed};

/// The workspaces table: a workspace's name and settings.
static WORKSPACES: Table<Workspace> = Table::new(
    "workspaces",
    &[
        Column::key("id", |w| w.id.as_uuid().into()),
        Column::field("name", |w| w.name.as_str().into()),
        Column::field("notify_clients_on_assignment", |w| w.settings.notify_clients_on_assignment.into()),
        Column::field("client_notification_defaults", |w| {
            choices_text(w.settings.notification_defaults.list(true)).into()
        }),
        Column::field("staff_notification_defaults", |w| {
            choices_text(w.settings.notification_defaults.list(false)).into()
        }),
        Column::field("digest_hour", |w| i64::from(w.settings.digest.hour()).into()),
        Column::field("brand_colour", |w| w.settings.brand.colour.to_string().into()),
        Column::field("logo_kind", |w| w.settings.brand.logo.as_ref().map(|l| l.kind.as_str().to_owned()).into()),
        Column::field("logo_key", |w| w.settings.brand.logo.as_ref().map(|l| l.key.as_str().to_owned()).into()),
        Column::field("portal_welcome", |w| text(w.settings.brand.welcome.as_ref().map(PortalWelcome::as_str))),
        Column::field("sender_name", |w| text(w.settings.brand.sender_name.as_ref().map(SenderName::as_str))),
        Column::field("address", |w| text(w.settings.billing.address.as_ref().map(BillingAddress::as_str))),
        Column::field("payment_instructions", |w| {
            text(w.settings.billing.payment_instructions.as_ref().map(PaymentInstructions::as_str))
        }),
        Column::field("invoice_number_pattern", |w| w.settings.billing.number_pattern.as_str().to_owned().into()),
        Column::field("default_currency", |w| w.settings.billing.currency.code().to_owned().into()),
        Column::field("tax_rates", |w| w.settings.billing.tax_rates.to_string().into()),
        Column::field("reminder_days", |w| w.settings.billing.reminders.to_string().into()),
        Column::field("locale", |w| w.settings.billing.locale.as_str().to_owned().into()),
        Column::fixed("created_at", |w| w.created_at.into()),
    ],
);

static WORKSPACE_SELECT: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {} FROM workspaces", WORKSPACES.select("")));

fn workspace(row: &impl Row) -> RepoResult<Workspace> {
    Ok(Workspace {
        id: WorkspaceId::from_uuid(row.uuid("id")?),
        name: read(row, "name", WorkspaceName::parse)?,
        settings: settings(row)?,
        created_at: row.time("created_at")?,
    })
}

fn text(value: Option<&str>) -> Value {
    value.map(str::to_owned).into()
}

fn settings(row: &impl Row) -> RepoResult<WorkspaceSettings> {
    let mut notification_defaults = NotificationDefaults::default();
    for (column, for_clients) in [("client_notification_defaults", true), ("staff_notification_defaults", false)] {
        for (category, delivery) in choices(column, &row.text(column)?)? {
            notification_defaults.set(for_clients, category, delivery);
        }
    }
    let hour = u8::try_from(row.int("digest_hour")?).ok().filter(|h| *h < 24);
    Ok(WorkspaceSettings {
        notify_clients_on_assignment: row.bool("notify_clients_on_assignment")?,
        notification_defaults,
        digest: DigestTime::at_hour(hour.ok_or_else(|| corrupt("digest_hour", "not an hour of the day"))?),
        brand: Brand {
            colour: read(row, "brand_colour", BrandColour::parse)?,
            logo: logo(row)?,
            welcome: read_opt(row, "portal_welcome", PortalWelcome::parse)?,
            sender_name: read_opt(row, "sender_name", SenderName::parse)?,
        },
        billing: BillingSettings {
            address: read_opt(row, "address", BillingAddress::parse)?,
            payment_instructions: read_opt(row, "payment_instructions", PaymentInstructions::parse)?,
            number_pattern: read(row, "invoice_number_pattern", NumberPattern::parse)?,
            currency: read(row, "default_currency", Currency::parse)?,
            tax_rates: read(row, "tax_rates", TaxRates::parse)?,
            reminders: read(row, "reminder_days", ReminderSchedule::parse)?,
            locale: read_enum(row, "locale")?,
        },
    })
}

fn logo(row: &impl Row) -> RepoResult<Option<Logo>> {
    match (
        read_opt(row, "logo_kind", |kind| LogoKind::from_name(kind).ok_or("not a kind of logo"))?,
        row.opt_text("logo_key")?,
    ) {
        (Some(kind), Some(key)) => Ok(Some(Logo { kind, key: StorageKey::from_stored(key) })),
        (None, None) => Ok(None),
        _ => Err(corrupt("logo_key", "a logo needs both its kind and its key")),
    }
}

#[async_trait]
impl<S: Transaction> WorkspaceRepo for SqlUnit<S> {
    async fn insert(&mut self, w: &Workspace) -> RepoResult<()> {
        self.execute(WORKSPACES.insert(), WORKSPACES.insert_values(w)).await.map(drop)
    }

    async fn update(&mut self, w: &Workspace) -> RepoResult<()> {
        changed(self.execute(WORKSPACES.update(), WORKSPACES.update_values(w)).await?)
    }

    async fn get(&mut self, id: WorkspaceId) -> RepoResult<Option<Workspace>> {
        self.one(&format!("{} WHERE id = $1", *WORKSPACE_SELECT), vec![id.as_uuid().into()], workspace).await
    }

    async fn list(&mut self) -> RepoResult<Vec<Workspace>> {
        self.all(&format!("{} ORDER BY created_at, id", *WORKSPACE_SELECT), vec![], workspace).await
    }
}
