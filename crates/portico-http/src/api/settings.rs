//! The workspace's settings (admins): its brand, billing and notification defaults, the
//! logo, and a test mail.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use portico_app::TestMail;
use portico_app::forms::SettingsForm;
use portico_app::mail::logo_path;
use portico_domain::workspace::Workspace;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Patch;
use super::notifications::CategoryChoices;
use crate::extract::{ApiJson, Caller, Object};
use crate::problem::ApiResult;
use crate::state::AppState;
use crate::transfer::read_upload;
use crate::views::{AuditEventView, List};

/// The workspace's settings.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"name": "Northwind Studio", "brand_colour": "#0a7d5a", "brand_colour_used": "#0a7d5a",
    "logo_url": null, "portal_welcome": "Welcome! Everything we make for you is here.", "sender_name": null,
    "address": "1 Harbour Road\nBristol BS1 4RN", "payment_instructions": "IBAN GB00 NWBK 0000 0000 0000 00",
    "invoice_number_pattern": "INV-{YYYY}-{SEQ:4}", "default_currency": "GBP",
    "tax_rates": [{"name": "VAT", "rate": "20"}, {"name": "Reduced VAT", "rate": "5"}], "reminder_days": [-3, 0, 7, 14],
    "locale": "en-GB", "digest_hour": 8, "notify_clients_on_assignment": true,
    "notification_defaults": {"clients": {"messages": "daily_digest"}, "staff": {"messages": "immediate"}}}))]
pub(crate) struct SettingsView {
    /// The agency's name, in the portal and mail.
    name: String,
    /// The brand colour as chosen.
    brand_colour: String,
    /// The colour pages and mail use: the chosen one, darkened where needed so white text on
    /// it (and it as text on white) keeps a WCAG AA contrast of 4.5:1.
    brand_colour_used: String,
    /// Where the logo is served, if there is one.
    logo_url: Option<String>,
    /// The words on the clients' portal home.
    portal_welcome: Option<String>,
    /// The name mail is sent under; without one, the server's configured sender name.
    sender_name: Option<String>,
    /// The agency's postal address, printed on invoices.
    address: Option<String>,
    /// How to pay, printed on invoices and their mail.
    payment_instructions: Option<String>,
    /// The pattern of new invoice numbers: `{YYYY}`, `{YY}`, `{MM}` and `{SEQ}` or `{SEQ:n}`.
    invoice_number_pattern: String,
    /// The currency new invoices start in.
    default_currency: String,
    /// The named tax rates new invoice lines offer, the usual one first.
    tax_rates: Vec<TaxRateView>,
    /// The days open invoices' clients are reminded on, relative to the due date.
    reminder_days: Vec<i16>,
    /// How amounts and dates are written.
    locale: String,
    /// The hour (UTC) the daily digest goes out.
    digest_hour: u8,
    /// Whether clients get a mail when added to a project.
    notify_clients_on_assignment: bool,
    /// How people hear of each category until they choose, for `clients` and `staff`.
    notification_defaults: BTreeMap<String, BTreeMap<String, String>>,
}

impl From<&Workspace> for SettingsView {
    fn from(workspace: &Workspace) -> Self {
        let settings = &workspace.settings;
        let (brand, billing) = (&settings.brand, &settings.billing);
        let text = |value: Option<&str>| value.map(str::to_owned);
        let defaults = |for_clients| {
            let list = settings.notification_defaults.list(for_clients).into_iter();
            list.map(|(c, d)| (c.as_str().to_owned(), d.as_str().to_owned())).collect()
        };
        Self {
            name: workspace.name.to_string(),
            brand_colour: brand.colour.to_string(),
            brand_colour_used: brand.colour.legible().to_string(),
            logo_url: brand.logo.as_ref().map(|logo| logo_path(workspace.id, logo)),
            portal_welcome: text(brand.welcome.as_ref().map(AsRef::as_ref)),
            sender_name: text(brand.sender_name.as_ref().map(AsRef::as_ref)),
            address: text(billing.address.as_ref().map(AsRef::as_ref)),
            payment_instructions: text(billing.payment_instructions.as_ref().map(AsRef::as_ref)),
            invoice_number_pattern: billing.number_pattern.to_string(),
            default_currency: billing.currency.to_string(),
            tax_rates: billing
                .tax_rates
                .rates()
                .iter()
                .map(|r| TaxRateView { name: r.name.to_string(), rate: r.rate.to_string() })
                .collect(),
            reminder_days: billing.reminders.days().to_vec(),
            locale: billing.locale.to_string(),
            digest_hour: settings.digest.hour(),
            notify_clients_on_assignment: settings.notify_clients_on_assignment,
            notification_defaults: [("clients".to_owned(), defaults(true)), ("staff".to_owned(), defaults(false))]
                .into(),
        }
    }
}

/// A named tax rate.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TaxRateView {
    /// What invoices print ("VAT").
    name: String,
    /// The rate in percent, as a decimal text (`19`, `7.5`).
    rate: String,
}

/// A named tax rate to keep.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TaxRateBody {
    /// What invoices print ("VAT"); unique among the workspace's rates.
    name: String,
    /// The rate in percent, 0 to 100 with up to three decimals.
    rate: String,
}

/// Notification defaults to change, for clients and for staff.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DefaultsBody {
    /// Clients' defaults.
    #[schema(value_type = Option<CategoryChoices>)]
    clients: Option<Object<CategoryChoices>>,
    /// Staff's defaults.
    #[schema(value_type = Option<CategoryChoices>)]
    staff: Option<Object<CategoryChoices>>,
}

/// Settings to change; fields left out stay, `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"brand_colour": "#0a7d5a", "address": "1 Harbour Road\nBristol BS1 4RN", "reminder_days": [-3, 0, 7]}))]
pub(crate) struct SettingsBody {
    /// The agency's name.
    name: Option<String>,
    /// The brand colour, `#rrggbb` or `#rgb`.
    brand_colour: Option<String>,
    /// The words on the clients' portal home.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    portal_welcome: Patch<String>,
    /// The name mail is sent under.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    sender_name: Patch<String>,
    /// The postal address printed on invoices.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    address: Patch<String>,
    /// How to pay, printed on invoices.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    payment_instructions: Patch<String>,
    /// The pattern of new invoice numbers, holding `{SEQ}` or `{SEQ:n}` once.
    invoice_number_pattern: Option<String>,
    /// The currency new invoices start in.
    default_currency: Option<String>,
    /// The named tax rates, replacing the list (the first is the usual one); `[]` names none.
    #[schema(value_type = Option<Vec<TaxRateBody>>)]
    tax_rates: Option<Vec<Object<TaxRateBody>>>,
    /// Days relative to the due date (−60 to 365), each once; `[]` sends no reminders.
    reminder_days: Option<Vec<i64>>,
    /// `en-US`, `en-GB`, `de-DE`, `de-CH`, `fr-FR`, `nl-NL`, `es-ES` or `it-IT`.
    locale: Option<String>,
    /// The hour (UTC, 0–23) the daily digest goes out.
    digest_hour: Option<i64>,
    /// Whether clients get a mail when added to a project.
    notify_clients_on_assignment: Option<bool>,
    /// Notification defaults to change.
    #[schema(value_type = Option<DefaultsBody>)]
    notification_defaults: Option<Object<DefaultsBody>>,
}

impl SettingsBody {
    fn into_form(self) -> SettingsForm {
        let mut defaults = BTreeMap::new();
        if let Some(Object(given)) = self.notification_defaults {
            for (audience, choices) in [("clients", given.clients), ("staff", given.staff)] {
                if let Some(Object(choices)) = choices {
                    defaults.insert(audience.to_owned(), choices.given());
                }
            }
        }
        SettingsForm {
            name: self.name,
            brand_colour: self.brand_colour,
            portal_welcome: self.portal_welcome,
            sender_name: self.sender_name,
            address: self.address,
            payment_instructions: self.payment_instructions,
            invoice_number_pattern: self.invoice_number_pattern,
            default_currency: self.default_currency,
            // One `name rate` per line: the form the settings page types.
            tax_rates: self.tax_rates.map(|rates| {
                rates
                    .iter()
                    .map(|Object(r)| format!("{} {}", r.name.trim(), r.rate.trim()))
                    .collect::<Vec<_>>()
                    .join("\n")
            }),
            reminder_days: self
                .reminder_days
                .map(|days| days.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")),
            locale: self.locale,
            digest_hour: self.digest_hour,
            notify_clients_on_assignment: self.notify_clients_on_assignment,
            notification_defaults: defaults,
        }
    }
}

/// What the mail server said to a test message.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"to": "admin@northwind.example", "accepted": true, "reply": "250 2.0.0 Ok: queued as 4XyZ"}))]
pub(crate) struct TestMailView {
    /// Where it went: the admin's own address.
    to: String,
    /// Whether the server took it.
    accepted: bool,
    /// The server's reply, or why it was not sent.
    reply: String,
}

impl From<TestMail> for TestMailView {
    fn from(mail: TestMail) -> Self {
        let (accepted, reply) = match mail.outcome {
            Ok(reply) => (true, reply),
            Err(why) => (false, why),
        };
        Self { to: mail.to, accepted, reply }
    }
}

/// The workspace's settings. Admins only.
#[utoipa::path(get, path = "/settings", tag = "settings",
    responses((status = 200, description = "The settings", body = SettingsView)))]
pub(crate) async fn get_settings(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<SettingsView>> {
    Ok(Json((&state.portico().settings(&actor).await?).into()))
}

/// Every change of the settings, oldest first: who changed which field from what to what.
/// Admins only.
#[utoipa::path(get, path = "/settings/history", tag = "settings",
    responses((status = 200, description = "Audit events", body = List<AuditEventView>)))]
pub(crate) async fn settings_history(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<List<AuditEventView>>> {
    let events = state.portico().settings_history(&actor).await?;
    Ok(Json(List::all(events.iter().map(Into::into).collect())))
}

/// Changes settings, each change in the audit trail. Admins only.
#[utoipa::path(patch, path = "/settings", tag = "settings", request_body = SettingsBody,
    responses(
        (status = 200, description = "The settings as they are now", body = SettingsView),
        (status = 422, description = "Fields are not valid", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn patch_settings(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<SettingsBody>,
) -> ApiResult<Json<SettingsView>> {
    let edit = body.into_form().parse()?;
    Ok(Json((&state.portico().change_settings(&actor, edit).await?).into()))
}

/// The logo upload form: one `file` part, a PNG or SVG of at most 512 KiB.
#[derive(Debug, ToSchema)]
#[allow(dead_code, reason = "describes the multipart form in the OpenAPI document only")]
pub(crate) struct LogoBody {
    /// The image.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Uploads the logo shown in the portal and mail (multipart `file`: PNG or SVG, at most
/// 512 KiB, judged by its content). Admins only.
#[utoipa::path(post, path = "/settings/logo", tag = "settings",
    request_body(content = LogoBody, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The settings with the new logo", body = SettingsView),
        (status = 422, description = "Not a PNG or SVG, or too large", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn upload_logo(
    State(state): State<AppState>,
    Caller(actor): Caller,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<SettingsView>> {
    let upload = read_upload(multipart, false).await?;
    Ok(Json((&state.portico().replace_logo(&actor, Some(upload.bytes)).await?).into()))
}

/// Removes the logo. Admins only.
#[utoipa::path(delete, path = "/settings/logo", tag = "settings",
    responses((status = 200, description = "The settings without a logo", body = SettingsView)))]
pub(crate) async fn remove_logo(State(state): State<AppState>, Caller(actor): Caller) -> ApiResult<Json<SettingsView>> {
    Ok(Json((&state.portico().replace_logo(&actor, None).await?).into()))
}

/// Sends a test message to the admin's own address at once and answers with the mail
/// server's reply. Admins only.
#[utoipa::path(post, path = "/settings/test-mail", tag = "settings",
    responses((status = 200, description = "What the mail server said", body = TestMailView)))]
pub(crate) async fn send_test_mail(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<TestMailView>> {
    let public_url = &state.config().public_url;
    Ok(Json(state.portico().send_test_mail(&actor, state.mailer(), public_url).await?.into()))
}
