//! The settings page (admins): the brand clients see, the logo, billing, notification
//! defaults and a test mail. The page shows and posts the use cases' settings; what each
//! setting means (and the colour actually used) is the domain's.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use portico_app::forms::SettingsForm;
use portico_app::mail::logo_path;
use portico_app::{AppError, TestMail};
use portico_domain::activity::{Category, Delivery};
use portico_domain::audit::AuditEvent;
use portico_domain::money::{Currency, Locale};
use portico_domain::validation::ValidationErrors;
use portico_domain::workspace::{BrandColour, Workspace};

use crate::state::AppState;
use crate::transfer::read_upload;
use crate::ui::filters;
use crate::ui::page::{Ctx, FieldErrors, Layout, Section, UiError, UiForm, UiResult, redirect_with, render};

/// The audiences of notification defaults, as the form names them.
const AUDIENCES: [&str; 2] = ["clients", "staff"];

/// One category's row of defaults: a select for clients and one for staff.
struct DefaultRow {
    label: &'static str,
    /// `(field, chosen)` for clients, then staff.
    choices: [(String, String); 2],
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    layout: Layout,
    /// Every field as shown: saved, or as typed when the form was refused.
    values: BTreeMap<String, String>,
    /// The colour pages and mail use, and whether it differs from the one chosen.
    colour_used: String,
    colour_adjusted: bool,
    logo: Option<String>,
    currencies: Vec<&'static str>,
    locales: &'static [Locale],
    hours: Vec<u8>,
    rows: Vec<DefaultRow>,
    deliveries: [Delivery; 3],
    /// The latest changes of the settings, newest first.
    history: Vec<AuditEvent>,
    errors: FieldErrors,
}

/// How many changes the page lists.
const HISTORY_SHOWN: usize = 10;

impl SettingsPage {
    fn new(
        ctx: &Ctx,
        (workspace, history): (&Workspace, Vec<AuditEvent>),
        typed: Option<&BTreeMap<String, String>>,
        errors: FieldErrors,
    ) -> Self {
        let saved = values_of(workspace);
        let values = typed.cloned().unwrap_or_else(|| saved.clone());
        let shown = values.get("brand_colour").and_then(|c| BrandColour::parse(c).ok());
        let colour = shown.unwrap_or(workspace.settings.brand.colour);
        let rows = Category::ALL
            .into_iter()
            .map(|category| DefaultRow {
                label: category.label(),
                choices: AUDIENCES.map(|audience| {
                    let field = format!("{audience}.{category}");
                    let chosen = values.get(&field).or_else(|| saved.get(&field)).cloned().unwrap_or_default();
                    (field, chosen)
                }),
            })
            .collect();
        Self {
            layout: ctx.layout("Settings", Section::Settings),
            values,
            colour_used: colour.legible().to_string(),
            colour_adjusted: !colour.is_legible(),
            logo: workspace.settings.brand.logo.as_ref().map(|logo| logo_path(workspace.id, logo)),
            currencies: Currency::codes().collect(),
            locales: &Locale::ALL,
            hours: (0..24).collect(),
            rows,
            deliveries: Delivery::ALL,
            history: history.into_iter().rev().take(HISTORY_SHOWN).collect(),
            errors,
        }
    }

    /// The value of `field` as shown.
    fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    /// The error of a notification default's field (`clients.files`), filed by the form
    /// under `notification_defaults.clients.files`.
    fn default_error(&self, field: &str) -> Option<&str> {
        self.errors.of(&format!("notification_defaults.{field}"))
    }
}

/// The saved settings, by the form's field names.
fn values_of(workspace: &Workspace) -> BTreeMap<String, String> {
    let settings = &workspace.settings;
    let (brand, billing) = (&settings.brand, &settings.billing);
    let text = |value: Option<&str>| value.unwrap_or_default().to_owned();
    let mut values: BTreeMap<String, String> = [
        ("name", workspace.name.to_string()),
        ("brand_colour", brand.colour.to_string()),
        ("portal_welcome", text(brand.welcome.as_ref().map(AsRef::as_ref))),
        ("sender_name", text(brand.sender_name.as_ref().map(AsRef::as_ref))),
        ("address", text(billing.address.as_ref().map(AsRef::as_ref))),
        ("payment_instructions", text(billing.payment_instructions.as_ref().map(AsRef::as_ref))),
        ("invoice_number_pattern", billing.number_pattern.to_string()),
        ("default_currency", billing.currency.to_string()),
        ("tax_rates", billing.tax_rates.to_string()),
        ("reminder_days", billing.reminders.to_string()),
        ("locale", billing.locale.to_string()),
        ("digest_hour", settings.digest.hour().to_string()),
        ("notify_clients_on_assignment", if settings.notify_clients_on_assignment { "on" } else { "" }.to_owned()),
    ]
    .into_iter()
    .map(|(field, value)| (field.to_owned(), value))
    .collect();
    for (audience, for_clients) in [(AUDIENCES[0], true), (AUDIENCES[1], false)] {
        for (category, delivery) in settings.notification_defaults.list(for_clients) {
            values.insert(format!("{audience}.{category}"), delivery.as_str().to_owned());
        }
    }
    values
}

/// The whole form as the use case takes it: every text field set as typed (blank clears an
/// optional one), an unticked box is "no".
fn form_of(typed: &BTreeMap<String, String>) -> SettingsForm {
    let field = |name: &str| typed.get(name).cloned();
    let optional = |name: &str| Some(field(name));
    let mut defaults = BTreeMap::new();
    for (name, delivery) in typed {
        if let Some((audience, category)) = name.split_once('.') {
            defaults
                .entry(audience.to_owned())
                .or_insert_with(BTreeMap::new)
                .insert(category.to_owned(), delivery.clone());
        }
    }
    SettingsForm {
        name: field("name"),
        brand_colour: field("brand_colour"),
        portal_welcome: optional("portal_welcome"),
        sender_name: optional("sender_name"),
        address: optional("address"),
        payment_instructions: optional("payment_instructions"),
        invoice_number_pattern: field("invoice_number_pattern"),
        default_currency: field("default_currency"),
        tax_rates: field("tax_rates"),
        reminder_days: field("reminder_days"),
        locale: field("locale"),
        // Not a number: out of range, so the form says which hours there are.
        digest_hour: field("digest_hour").map(|hour| hour.trim().parse().unwrap_or(-1)),
        notify_clients_on_assignment: Some(typed.contains_key("notify_clients_on_assignment")),
        notification_defaults: defaults,
    }
}

/// The settings and their history.
async fn loaded(state: &AppState, ctx: &Ctx) -> Result<(Workspace, Vec<AuditEvent>), UiError> {
    let portico = state.portico();
    Ok((portico.settings(&ctx.actor).await?, portico.settings_history(&ctx.actor).await?))
}

/// `GET /admin/settings`.
pub(crate) async fn page(State(state): State<AppState>, ctx: Ctx) -> UiResult {
    let (workspace, history) = loaded(&state, &ctx).await?;
    let page = SettingsPage::new(&ctx, (&workspace, history), None, FieldErrors::default());
    Ok(render(StatusCode::OK, &page, ctx.flash.is_some()))
}

/// `POST /admin/settings`: saves the whole form; a refused one is shown again with its
/// errors and what was typed, and nothing is saved.
pub(crate) async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    UiForm(typed): UiForm<BTreeMap<String, String>>,
) -> UiResult {
    let edit = match form_of(&typed).parse() {
        Ok(edit) => edit,
        Err(errors) => return refused(&state, &ctx, Some(&typed), &errors).await,
    };
    match state.portico().change_settings(&ctx.actor, edit).await {
        Ok(_) => Ok(redirect_with("/admin/settings", "The settings are saved.")),
        Err(AppError::Invalid(errors)) => refused(&state, &ctx, Some(&typed), &errors).await,
        Err(error) => Err(error.into()),
    }
}

/// The page again with `errors`, showing `typed` when a form was posted.
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    typed: Option<&BTreeMap<String, String>>,
    errors: &ValidationErrors,
) -> UiResult {
    let (workspace, history) = loaded(state, ctx).await?;
    let page = SettingsPage::new(ctx, (&workspace, history), typed, FieldErrors::from(errors));
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page, false))
}

/// `POST /admin/settings/logo`: a new logo, or the page again saying why not.
pub(crate) async fn upload_logo(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Result<Multipart, MultipartRejection>,
) -> UiResult {
    let upload = read_upload(multipart, false).await?;
    match state.portico().replace_logo(&ctx.actor, Some(upload.bytes)).await {
        Ok(_) => Ok(redirect_with("/admin/settings#brand", "The logo is saved.")),
        Err(AppError::Invalid(errors)) => refused(&state, &ctx, None, &errors).await,
        Err(error) => Err(error.into()),
    }
}

/// `POST /admin/settings/logo/remove`.
pub(crate) async fn remove_logo(State(state): State<AppState>, ctx: Ctx) -> UiResult {
    state.portico().replace_logo(&ctx.actor, None).await?;
    Ok(redirect_with("/admin/settings#brand", "The logo is removed."))
}

/// `POST /admin/settings/test-mail`: sends it and says what the mail server answered.
pub(crate) async fn test_mail(State(state): State<AppState>, ctx: Ctx) -> UiResult {
    let public_url = &state.config().public_url;
    let TestMail { to, outcome } = state.portico().send_test_mail(&ctx.actor, state.mailer(), public_url).await?;
    let said = match outcome {
        Ok(reply) => format!("The mail server took the test mail to {to}. It answered: {reply}"),
        Err(why) => format!("The test mail to {to} was not sent: {why}"),
    };
    Ok(redirect_with("/admin/settings#mail", &said))
}
