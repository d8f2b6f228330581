//! Invoice pages: the list with its actions, and a new draft.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use portico_app::AppError;
use portico_app::forms::{InvoiceFilterForm, InvoiceForm, LineForm};
use portico_domain::ids::{ClientId, InvoiceId};
use portico_domain::invoice::{Invoice, InvoiceActions, InvoiceStatus};
use portico_domain::money::{Currency, Money};
use portico_domain::rules::RuleViolation;
use portico_domain::validation::ValidationErrors;
use portico_ports::repos::InvoiceOrder;
use portico_ports::{ListOrder as _, Page, PageRequest};
use serde::Deserialize;

use crate::state::AppState;
use crate::ui::filters;
use crate::ui::page::{Ctx, FieldErrors, Layout, Section, UiForm, UiResult, given, page_id, redirect_with, render};
use crate::ui::pager::{PageAt, Pager};
use crate::ui::picker::{self, Kind, Picker};

#[derive(Template)]
#[template(path = "admin/invoices.html")]
struct InvoicesPage {
    layout: Layout,
    status: Option<InvoiceStatus>,
    order: InvoiceOrder,
    /// The client and project the list is narrowed to (ids and name), if any.
    for_client: Option<String>,
    for_project: Option<String>,
    list: ListQuery,
    pager: Pager,
    invoices: Vec<InvoiceRow>,
    /// The names of the clients the listed invoices are addressed to, by id.
    names: HashMap<String, String>,
    client: Picker,
    project: Picker,
    form: InvoiceFields,
    errors: FieldErrors,
}

/// An invoice in the list, with what staff may do with it (the domain's answer).
struct InvoiceRow {
    id: InvoiceId,
    number: String,
    client_id: String,
    total: Money,
    status: InvoiceStatus,
    due: Option<time::Date>,
    actions: InvoiceActions,
}

impl From<&Invoice> for InvoiceRow {
    fn from(invoice: &Invoice) -> Self {
        Self {
            id: invoice.id(),
            number: invoice.number().to_string(),
            client_id: invoice.client_id().to_string(),
            total: invoice.total(),
            status: invoice.status(),
            due: invoice.draft().due_date,
            actions: invoice.actions(),
        }
    }
}

impl InvoicesPage {
    /// Whether the list is filtered by `status`.
    #[allow(clippy::trivially_copy_pass_by_ref, reason = "templates pass loop values by reference")]
    fn is_status(&self, status: &InvoiceStatus) -> bool {
        self.status == Some(*status)
    }

    fn client_name(&self, id: &str) -> &str {
        self.names.get(id).map_or("a former client", String::as_str)
    }

    /// The fields of line `index`: name, label, what was typed, and how wide it is drawn.
    #[allow(clippy::trivially_copy_pass_by_ref, reason = "templates pass loop values by reference")]
    fn line_fields(&self, index: &usize) -> [(&'static str, &'static str, String, &'static str); 3] {
        let at = |values: &[String]| values.get(*index).cloned().unwrap_or_default();
        [
            ("description", "Description", at(&self.form.description), "grow-3"),
            ("quantity", "Quantity", at(&self.form.quantity), "grow"),
            ("unit_price", "Unit price", at(&self.form.unit_price), "grow"),
        ]
    }

    /// The error of `field` on line `index`, as the form names it (`lines[1].quantity`).
    #[allow(clippy::trivially_copy_pass_by_ref, reason = "templates pass loop values by reference")]
    fn line_error(&self, index: &usize, field: &str) -> Option<&str> {
        self.errors.only(&format!("lines[{index}].{field}"))
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
    client_q: String,
    #[serde(default)]
    project_q: String,
    /// Sent to search for a client or project, not to save.
    #[serde(default)]
    find: Option<String>,
}

impl InvoiceFields {
    /// The form the use case takes, or field errors of the price columns.
    fn parse(&self) -> Result<portico_domain::invoice::InvoiceDraft, ValidationErrors> {
        // Prices are read in the invoice's currency; until it is a valid one, only its own
        // field is refused.
        let currency = Currency::parse(&self.currency).ok();
        let mut errors = ValidationErrors::new();
        let mut lines = Vec::new();
        for (index, description) in self.description.iter().enumerate() {
            let quantity = self.quantity.get(index).cloned().unwrap_or_default();
            let price = self.unit_price.get(index).cloned().unwrap_or_default();
            if description.trim().is_empty() && quantity.trim().is_empty() && price.trim().is_empty() {
                continue;
            }
            let price = currency.map(|currency| Money::parse(&price, currency).map(|amount| amount.minor()));
            let field = format!("lines[{index}].unit_price");
            let unit_price_minor = price.and_then(|price| errors.check(&field, price)).unwrap_or(0);
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
    list: &ListQuery,
    form: InvoiceFields,
    errors: FieldErrors,
) -> UiResult {
    let portico = state.portico();
    // The selects' blank choices are "all".
    let filter = InvoiceFilterForm {
        status: given(&list.status),
        client_id: given(&list.client_id),
        project_id: given(&list.project_id),
        sort: given(&list.sort),
    };
    // The list's filters and the new-invoice form share field names: the filter's errors
    // are named `filter.…`.
    let (query, errors) = match filter.parse() {
        Ok(query) => (Some(query), errors),
        Err(refused) => (None, errors.and_in("filter", &refused)),
    };
    let status = query.as_ref().and_then(|q| q.status);
    let limit = PageRequest::DEFAULT_LIMIT;
    let (page, total) = match &query {
        Some(query) => {
            let page = portico.list_invoices(&ctx.actor, query, &list.at.request(limit)).await?;
            (page, Some(portico.count_invoices(&ctx.actor, query).await?))
        }
        None => (Page { items: Vec::new(), next: None }, None),
    };
    let filters = [
        ("status", list.status.as_str()),
        ("client_id", list.client_id.as_str()),
        ("project_id", list.project_id.as_str()),
        ("sort", list.sort.as_str()),
    ];
    let pager = Pager::new("/admin/invoices", &filters, &list.at, limit, page.items.len(), total, page.next.as_ref());
    let invoices = page.items;
    let mut addressed: Vec<ClientId> = invoices.iter().map(Invoice::client_id).collect();
    addressed.extend(query.as_ref().and_then(|q| q.client));
    let names = portico.clients_by_id(&ctx.actor, &addressed).await?;
    let names = names.iter().map(|c| (c.id().to_string(), c.name().to_string())).collect();
    let for_project = match query.as_ref().and_then(|q| q.project) {
        Some(project) => Some(portico.project_detail(&ctx.actor, project).await?.project.details.name.to_string()),
        None => None,
    };
    let chosen_client = picker::kept(form.find.as_deref(), "client_id", &form.client_id);
    let clients = picker::clients(state, ctx, &form.client_q, &[chosen_client.to_owned()], &[]).await?;
    let client = Picker::new(Kind::Clients, "client_id", "Client", &form.client_q, clients);
    let chosen_project = picker::kept(form.find.as_deref(), "project_id", &form.project_id);
    let projects = picker::projects(state, ctx, &form.project_q, chosen_project).await?;
    let project = Picker::new(Kind::Projects, "project_id", "Project (optional)", &form.project_q, projects)
        .optional("No project");
    let code = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = InvoicesPage {
        layout: ctx.layout("Invoices", Section::Invoices),
        status,
        order: query.as_ref().map(|q| q.order).unwrap_or_default(),
        for_client: query.as_ref().and_then(|q| q.client).map(|c| c.to_string()),
        for_project,
        list: list.clone(),
        pager,
        invoices: invoices.iter().map(Into::into).collect(),
        names,
        client,
        project,
        form,
        errors,
    };
    Ok(render(code, &page, ctx.flash.is_some()))
}

/// The list's filters and place, as its address says.
#[derive(Debug, Clone, Deserialize, Default)]
pub(crate) struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    project_id: String,
    #[serde(default)]
    sort: String,
    #[serde(flatten)]
    at: PageAt,
}

pub(crate) async fn list(State(state): State<AppState>, ctx: Ctx, Query(query): Query<ListQuery>) -> UiResult {
    let form = InvoiceFields { currency: "EUR".into(), ..InvoiceFields::default() };
    invoices_page(&state, &ctx, &query, form, FieldErrors::default()).await
}

pub(crate) async fn create(State(state): State<AppState>, ctx: Ctx, UiForm(form): UiForm<InvoiceFields>) -> UiResult {
    if form.find.is_some() {
        return invoices_page(&state, &ctx, &ListQuery::default(), form, FieldErrors::default()).await;
    }
    let draft = match form.parse() {
        Ok(draft) => draft,
        Err(errors) => {
            let errors = FieldErrors::from(&errors);
            return invoices_page(&state, &ctx, &ListQuery::default(), form, errors).await;
        }
    };
    match state.portico().create_invoice(&ctx.actor, draft).await {
        Ok(invoice) => {
            Ok(redirect_with("/admin/invoices", &format!("Invoice {} is saved as a draft.", invoice.number().as_str())))
        }
        Err(AppError::Conflict(_)) => {
            let errors = FieldErrors::from(("number", "is already used by another invoice"));
            invoices_page(&state, &ctx, &ListQuery::default(), form, errors).await
        }
        Err(AppError::Rule(rule @ (RuleViolation::ClientNotOnProject | RuleViolation::ClientDeleted))) => {
            let field = if rule == RuleViolation::ClientDeleted { "client_id" } else { "project_id" };
            let errors = FieldErrors::from((field, rule.to_string().as_str()));
            invoices_page(&state, &ctx, &ListQuery::default(), form, errors).await
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

    fn fields(currency: &str, price: &str) -> InvoiceFields {
        InvoiceFields {
            client_id: uuid::Uuid::nil().to_string(),
            number: "ACME-001".into(),
            currency: currency.into(),
            description: vec!["Brand workshop".into()],
            quantity: vec!["2".into()],
            unit_price: vec![price.into()],
            ..InvoiceFields::default()
        }
    }

    fn refused(fields: &InvoiceFields) -> Vec<String> {
        let errors = fields.parse().expect_err("refused");
        errors.errors().iter().map(|e| e.field.clone()).collect()
    }

    #[test]
    fn prices_are_read_by_the_domain_in_the_invoices_currency() {
        for (currency, price, minor) in
            [("EUR", "1.250,50", 125_050), ("EUR", "12,50", 1250), ("USD", "1,250", 125_000), ("JPY", "1,250", 1250)]
        {
            let draft = fields(currency, price).parse().expect("valid");
            assert_eq!(draft.lines[0].unit_price.minor(), minor, "{price} {currency}");
        }
        assert_eq!(refused(&fields("EUR", "12.3456")), ["lines[0].unit_price"]);
        assert_eq!(refused(&fields("JPY", "12.5")), ["lines[0].unit_price"]);
        assert_eq!(refused(&fields("EURO", "12.50")), ["currency"], "a bad currency is its own field's error");
    }
}
