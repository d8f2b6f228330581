//! Invoice pages: the list with its actions, and a new draft.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use portico_app::AppError;
use portico_app::forms::{InvoiceForm, LineForm};
use portico_domain::ids::InvoiceId;
use portico_domain::invoice::InvoiceStatus;
use portico_domain::money::Currency;
use portico_domain::validation::ValidationErrors;
use portico_ports::PageRequest;
use portico_ports::repos::{ClientQuery, InvoiceQuery, ProjectQuery};
use serde::Deserialize;

use crate::state::AppState;
use crate::ui::page::{Ctx, FieldErrors, Layout, Section, UiForm, UiResult, page_id, redirect_with, render};
use crate::views::{ClientView, InvoiceView, ProjectView};

#[derive(Template)]
#[template(path = "admin/invoices.html")]
struct InvoicesPage {
    layout: Layout,
    status: String,
    invoices: Vec<InvoiceView>,
    clients: Vec<ClientView>,
    projects: Vec<ProjectView>,
    form: InvoiceFields,
    errors: FieldErrors,
}

impl InvoicesPage {
    fn client_name(&self, id: &str) -> String {
        self.clients.iter().find(|c| c.id == id).map_or_else(|| "a former client".to_owned(), |c| c.name.clone())
    }

    /// The typed values of line `index` (description, quantity, unit price).
    #[allow(clippy::trivially_copy_pass_by_ref, reason = "templates pass loop values by reference")]
    fn line(&self, index: &usize) -> (String, String, String) {
        let at = |values: &[String]| values.get(*index).cloned().unwrap_or_default();
        (at(&self.form.description), at(&self.form.quantity), at(&self.form.unit_price))
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct InvoiceFields {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    project_id: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    description: Vec<String>,
    #[serde(default)]
    quantity: Vec<String>,
    #[serde(default)]
    unit_price: Vec<String>,
    #[serde(default)]
    status: String,
}

/// A price typed in major units (`1250`, `1250.50`) in minor units of a currency with
/// `digits` decimals.
fn minor_units(text: &str, digits: u8) -> Result<i64, String> {
    let text = text.trim().replace([',', ' '], "");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let invalid = || format!("must be an amount with at most {digits} decimals, such as 1250.00");
    if whole.is_empty() || fraction.len() > usize::from(digits) || !whole.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid());
    }
    let padded = format!("{fraction:0<width$}", width = usize::from(digits));
    format!("{whole}{padded}").parse::<i64>().map_err(|_| invalid())
}

impl InvoiceFields {
    /// The form the use case takes, or field errors of the price columns.
    fn parse(&self) -> Result<portico_domain::invoice::InvoiceDraft, ValidationErrors> {
        let digits = Currency::parse(&self.currency).map_or(2, |c| c.minor_digits());
        let mut errors = ValidationErrors::new();
        let mut lines = Vec::new();
        for (index, description) in self.description.iter().enumerate() {
            let quantity = self.quantity.get(index).cloned().unwrap_or_default();
            let price = self.unit_price.get(index).cloned().unwrap_or_default();
            if description.trim().is_empty() && quantity.trim().is_empty() && price.trim().is_empty() {
                continue;
            }
            let unit_price_minor =
                errors.check(&format!("lines[{index}].unit_price"), minor_units(&price, digits)).unwrap_or(0);
            lines.push(LineForm { description: description.clone(), quantity, unit_price_minor });
        }
        let form = InvoiceForm {
            client_id: self.client_id.clone(),
            project_id: Some(self.project_id.clone()).filter(|p| !p.is_empty()),
            number: self.number.clone(),
            currency: self.currency.clone(),
            due_date: Some(self.due_date.clone()).filter(|d| !d.is_empty()),
            lines,
        };
        match form.parse() {
            Ok(draft) if errors.is_empty() => Ok(draft),
            Ok(_) => Err(errors),
            Err(more) => {
                for error in more.errors() {
                    errors.add(error.field.clone(), &error.message);
                }
                Err(errors)
            }
        }
    }
}

async fn invoices_page(
    state: &AppState,
    ctx: &Ctx,
    status: String,
    form: InvoiceFields,
    errors: FieldErrors,
) -> UiResult {
    let portico = state.portico();
    let all = PageRequest::new(None, PageRequest::MAX_LIMIT);
    let query = InvoiceQuery { status: status.parse::<InvoiceStatus>().ok(), ..InvoiceQuery::default() };
    let invoices = portico.list_invoices(&ctx.actor, &query, &all).await?;
    let clients = portico.list_clients(&ctx.actor, &ClientQuery::default(), &all).await?;
    let projects = portico.list_projects(&ctx.actor, &ProjectQuery::default(), &all).await?;
    let code = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = InvoicesPage {
        layout: ctx.layout("Invoices", Section::Invoices),
        status,
        invoices: invoices.items.iter().map(Into::into).collect(),
        clients: clients.items.iter().map(Into::into).collect(),
        projects: projects.items.iter().map(Into::into).collect(),
        form,
        errors,
    };
    Ok(render(code, &page, ctx.flash.is_some()))
}

#[derive(Deserialize, Default)]
pub(crate) struct ListQuery {
    #[serde(default)]
    status: String,
}

pub(crate) async fn list(State(state): State<AppState>, ctx: Ctx, Query(query): Query<ListQuery>) -> UiResult {
    let form = InvoiceFields { currency: "EUR".into(), ..InvoiceFields::default() };
    invoices_page(&state, &ctx, query.status, form, FieldErrors::default()).await
}

pub(crate) async fn create(State(state): State<AppState>, ctx: Ctx, UiForm(form): UiForm<InvoiceFields>) -> UiResult {
    let draft = match form.parse() {
        Ok(draft) => draft,
        Err(errors) => {
            let errors = FieldErrors::from(&errors);
            return invoices_page(&state, &ctx, form.status.clone(), form, errors).await;
        }
    };
    match state.portico().create_invoice(&ctx.actor, draft).await {
        Ok(invoice) => {
            Ok(redirect_with("/admin/invoices", &format!("Invoice {} is saved as a draft.", invoice.number().as_str())))
        }
        Err(AppError::Conflict(_)) => {
            let errors = FieldErrors::from(("number", "is already used by another invoice"));
            invoices_page(&state, &ctx, String::new(), form, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

pub(crate) async fn act(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, action)): Path<(String, String)>,
) -> UiResult {
    let id: InvoiceId = page_id(&id)?;
    let portico = state.portico();
    let (invoice, done) = match action.as_str() {
        "send" => (portico.send_invoice(&ctx.actor, id).await?, "is sent: the client can see it now"),
        "mark-paid" => (portico.mark_invoice_paid(&ctx.actor, id).await?, "is marked paid"),
        "void" => (portico.void_invoice(&ctx.actor, id).await?, "is void"),
        _ => return Err(AppError::NotFound.into()),
    };
    Ok(redirect_with("/admin/invoices", &format!("Invoice {} {done}.", invoice.number().as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_read_in_major_units() {
        assert_eq!(minor_units("1250", 2), Ok(125_000));
        assert_eq!(minor_units("1,250.5", 2), Ok(125_050));
        assert_eq!(minor_units("7", 0), Ok(7));
        assert!(minor_units("12.345", 2).is_err());
        assert!(minor_units("-5", 2).is_err());
        assert!(minor_units("", 2).is_err());
    }
}
