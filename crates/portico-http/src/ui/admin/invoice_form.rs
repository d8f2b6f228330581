//! The draft invoice form, for a new invoice and for editing a draft: any number of line
//! rows, added and removed by buttons that send the form back (no JavaScript needed), amounts
//! and rates typed the way the workspace's locale writes them.

use askama::Template;
use portico_app::AppError;
use portico_app::forms::{AmountInput, DiscountInput, InvoiceForm, LineForm};
use portico_domain::ids::InvoiceId;
use portico_domain::invoice::{Invoice, InvoiceDraft};
use portico_domain::money::Locale;
use portico_domain::rules::RuleViolation;
use portico_domain::validation::ValidationErrors;
use serde::Deserialize;

use crate::state::AppState;
use crate::ui::page::{Ctx, FieldErrors, Layout, Section, UiResult, redirect_with, render};
use crate::ui::picker::{self, Kind, Picker};

/// Line rows a new form starts with.
const FIRST_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "admin/invoice_form.html")]
struct InvoiceFormPage {
    layout: Layout,
    /// Where the form is sent: `/admin/invoices` or the draft's edit address.
    action: String,
    /// The draft being edited.
    editing: Option<InvoiceId>,
    client: Picker,
    project: Picker,
    form: InvoiceFields,
    /// How many line rows to draw.
    rows: usize,
    /// The workspace's named rates, `(name, rate)`, offered on every line.
    tax_rates: Vec<(String, String)>,
    errors: FieldErrors,
}

/// One drawn input of a line row.
struct LineInput {
    field: &'static str,
    label: &'static str,
    value: String,
    width: &'static str,
    hint: &'static str,
    /// The id of the datalist that offers values (the workspace's named rates), if any.
    list: &'static str,
}

/// The workspace's named rates as the form offers them: `(name, rate)`.
fn offered_rates(ctx: &Ctx) -> Vec<(String, String)> {
    let rates = ctx.workspace.settings.billing.tax_rates.rates().iter();
    rates.map(|r| (r.name.to_string(), r.rate.to_string())).collect()
}

impl InvoiceFormPage {
    /// The inputs of row `index`, with what was typed.
    #[allow(clippy::trivially_copy_pass_by_ref, reason = "templates pass loop values by reference")]
    fn line_inputs(&self, index: &usize) -> [LineInput; 5] {
        let at = |values: &[String]| values.get(*index).cloned().unwrap_or_default();
        let form = &self.form;
        [
            LineInput {
                field: "description",
                label: "Description",
                value: at(&form.description),
                width: "grow-3",
                hint: "",
                list: "",
            },
            LineInput {
                field: "quantity",
                label: "Quantity",
                value: at(&form.quantity),
                width: "amount",
                hint: "",
                list: "",
            },
            LineInput {
                field: "unit_price",
                label: "Unit price",
                value: at(&form.unit_price),
                width: "amount",
                hint: "",
                list: "",
            },
            LineInput {
                field: "tax_rate",
                label: "Tax %",
                value: at(&form.tax_rate),
                width: "tax",
                hint: "",
                list: self.listed("tax-rates"),
            },
            LineInput {
                field: "tax_name",
                label: "Tax name",
                value: at(&form.tax_name),
                width: "amount",
                hint: "VAT",
                list: self.listed("tax-names"),
            },
        ]
    }

    /// `list` when the workspace names rates to offer.
    fn listed(&self, list: &'static str) -> &'static str {
        if self.tax_rates.is_empty() { "" } else { list }
    }

    /// The error of `field` on row `index`, as the form names it (`lines[1].quantity`).
    #[allow(clippy::trivially_copy_pass_by_ref, reason = "templates pass loop values by reference")]
    fn line_error(&self, index: &usize, field: &str) -> Option<&str> {
        self.errors.only(&format!("lines[{}].{field}", self.form.line_of_row(*index)?))
    }

    fn discount_is(&self, kind: &str) -> bool {
        self.form.discount_kind.as_str() == kind
    }
}

/// The form as typed. Line inputs are lists, one entry per row.
#[derive(Deserialize, Default, Clone)]
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
    issue_date: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    net_days: String,
    /// `none`, `percent` or `amount`.
    #[serde(default)]
    discount_kind: String,
    #[serde(default)]
    discount_value: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    terms: String,
    #[serde(default)]
    description: Vec<String>,
    #[serde(default)]
    quantity: Vec<String>,
    #[serde(default)]
    unit_price: Vec<String>,
    #[serde(default)]
    tax_rate: Vec<String>,
    #[serde(default)]
    tax_name: Vec<String>,
    #[serde(default)]
    client_q: String,
    #[serde(default)]
    project_q: String,
    /// Sent to search for a client or project, not to save.
    #[serde(default)]
    find: Option<String>,
    /// Sent by "Add a line": draw one more row, save nothing.
    #[serde(default)]
    add_line: Option<String>,
    /// Sent by a row's "Remove": the row to leave out, save nothing.
    #[serde(default)]
    remove_line: Option<usize>,
}

impl InvoiceFields {
    /// A blank form in `currency`, for `client_id` when it is known.
    pub(crate) fn blank(currency: &str, client_id: String) -> Self {
        Self { client_id, currency: currency.to_owned(), discount_kind: "none".to_owned(), ..Self::default() }
    }

    /// The form that says what `draft` says, amounts as `locale` writes them.
    fn of(draft: &InvoiceDraft, locale: Locale) -> Self {
        fn typed(amount: AmountInput) -> String {
            match amount {
                AmountInput::Typed(text) => text,
                AmountInput::Minor(minor) => minor.to_string(),
            }
        }
        let form = InvoiceForm::of_draft(draft, Some(locale));
        let (discount_kind, discount_value) = match form.discount {
            DiscountInput::None => ("none", String::new()),
            DiscountInput::Percent(text) => ("percent", text),
            DiscountInput::Amount(amount) => ("amount", typed(amount)),
        };
        let column = |pick: fn(&LineForm) -> String| form.lines.iter().map(pick).collect();
        Self {
            client_id: form.client_id.clone(),
            project_id: form.project_id.clone().unwrap_or_default(),
            number: form.number.clone().unwrap_or_default(),
            currency: form.currency.clone(),
            issue_date: form.issue_date.clone().unwrap_or_default(),
            due_date: form.due_date.clone().unwrap_or_default(),
            net_days: form.net_days.clone().unwrap_or_default(),
            discount_kind: discount_kind.to_owned(),
            discount_value,
            notes: form.notes.clone().unwrap_or_default(),
            terms: form.terms.clone().unwrap_or_default(),
            description: column(|l| l.description.clone()),
            quantity: column(|l| l.quantity.clone()),
            unit_price: column(|l| typed(l.unit_price.clone())),
            tax_rate: column(|l| l.tax_rate.clone().unwrap_or_default()),
            tax_name: column(|l| l.tax_name.clone().unwrap_or_default()),
            ..Self::default()
        }
    }

    /// The line inputs, one list per column.
    fn columns(&self) -> [&Vec<String>; 5] {
        [&self.description, &self.quantity, &self.unit_price, &self.tax_rate, &self.tax_name]
    }

    /// How many rows were sent: the longest of the line columns.
    fn sent_rows(&self) -> usize {
        self.columns().iter().map(|column| column.len()).max().unwrap_or(0)
    }

    fn cell(column: &[String], row: usize) -> String {
        column.get(row).cloned().unwrap_or_default()
    }

    /// Whether row `row` was left empty (such rows are not lines).
    fn is_blank_row(&self, row: usize) -> bool {
        self.columns().iter().all(|column| Self::cell(column, row).trim().is_empty())
    }

    /// The line a row holds (rows left empty are skipped, so line 2 may be row 3).
    fn line_of_row(&self, row: usize) -> Option<usize> {
        (!self.is_blank_row(row)).then(|| (0..row).filter(|&r| !self.is_blank_row(r)).count())
    }

    /// Leaves out row `row`.
    fn remove_row(&mut self, row: usize) {
        for column in
            [&mut self.description, &mut self.quantity, &mut self.unit_price, &mut self.tax_rate, &mut self.tax_name]
        {
            if row < column.len() {
                column.remove(row);
            }
        }
    }

    /// The form the use cases take; `lines[n]` are the rows that are not blank.
    fn input(&self) -> InvoiceForm {
        let text = |value: &str| Some(value.to_owned()).filter(|v| !v.trim().is_empty());
        let lines = (0..self.sent_rows())
            .filter(|&row| !self.is_blank_row(row))
            .map(|row| LineForm {
                description: Self::cell(&self.description, row),
                quantity: Self::cell(&self.quantity, row),
                unit_price: AmountInput::Typed(Self::cell(&self.unit_price, row)),
                tax_rate: text(&Self::cell(&self.tax_rate, row)),
                tax_name: text(&Self::cell(&self.tax_name, row)),
            })
            .collect();
        let discount = match self.discount_kind.as_str() {
            "percent" => DiscountInput::Percent(self.discount_value.clone()),
            "amount" => DiscountInput::Amount(AmountInput::Typed(self.discount_value.clone())),
            _ => DiscountInput::None,
        };
        InvoiceForm {
            client_id: self.client_id.clone(),
            project_id: text(&self.project_id),
            number: text(&self.number),
            currency: self.currency.clone(),
            issue_date: text(&self.issue_date),
            due_date: text(&self.due_date),
            net_days: text(&self.net_days),
            discount,
            notes: text(&self.notes),
            terms: text(&self.terms),
            lines,
        }
    }

    /// The draft, or field errors (a typed discount's are under `discount_value`).
    pub(crate) fn parse(&self, locale: Locale) -> Result<InvoiceDraft, ValidationErrors> {
        self.input().parse(locale).map_err(|errors| {
            let mut named = ValidationErrors::new();
            for error in errors.errors() {
                let field = match error.field.as_str() {
                    "discount_percent" | "discount_amount" | "discount" => "discount_value",
                    other => other,
                };
                named.add(field, &error.message);
            }
            named
        })
    }
}

/// What the form was sent for.
pub(crate) enum Sent {
    /// To save the draft.
    Save(InvoiceDraft),
    /// To be drawn again: a search, a row added or removed, or errors to show.
    Again(Box<InvoiceFields>, FieldErrors),
}

/// Reads a sent form: a row button or search draws it again, anything else saves.
pub(crate) fn read(mut form: InvoiceFields, locale: Locale) -> Sent {
    if let Some(row) = form.remove_line.take() {
        form.remove_row(row);
        return Sent::Again(Box::new(form), FieldErrors::default());
    }
    if form.add_line.is_some() || form.find.is_some() {
        return Sent::Again(Box::new(form), FieldErrors::default());
    }
    match form.parse(locale) {
        Ok(draft) => Sent::Save(draft),
        Err(errors) => Sent::Again(Box::new(form), FieldErrors::from(&errors)),
    }
}

/// The form page: new when `editing` is `None`.
pub(crate) async fn page(
    state: &AppState,
    ctx: &Ctx,
    editing: Option<&Invoice>,
    form: InvoiceFields,
    errors: FieldErrors,
) -> UiResult {
    let chosen_client = picker::kept(form.find.as_deref(), "client_id", &form.client_id);
    let clients = picker::clients(state, ctx, &form.client_q, &[chosen_client.to_owned()], &[]).await?;
    let client = Picker::new(Kind::Clients, "client_id", "Client", &form.client_q, clients);
    let chosen_project = picker::kept(form.find.as_deref(), "project_id", &form.project_id);
    let projects = picker::projects(state, ctx, &form.project_q, chosen_project).await?;
    let project = Picker::new(Kind::Projects, "project_id", "Project (optional)", &form.project_q, projects)
        .optional("No project");
    let rows = match form.sent_rows() {
        0 => FIRST_ROWS,
        sent => sent + usize::from(form.add_line.is_some()),
    };
    let (title, action) = match editing {
        Some(invoice) => (
            format!("Edit {}", invoice.number().map_or_else(|| "draft invoice".to_owned(), |n| format!("draft {n}"))),
            format!("/admin/invoices/{}/edit", invoice.id()),
        ),
        None => ("New invoice".to_owned(), "/admin/invoices".to_owned()),
    };
    let code =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let page = InvoiceFormPage {
        layout: ctx.layout(title, Section::Invoices),
        action,
        editing: editing.map(Invoice::id),
        client,
        project,
        form,
        rows,
        tax_rates: offered_rates(ctx),
        errors,
    };
    Ok(render(code, &page, ctx.flash.is_some()))
}

/// The form of a draft, to edit it.
pub(crate) fn of_invoice(invoice: &Invoice, locale: Locale) -> InvoiceFields {
    InvoiceFields::of(invoice.draft(), locale)
}

/// Where a refused save puts its message: the field the rule is about.
pub(crate) fn refusal(error: &AppError) -> Option<FieldErrors> {
    match error {
        AppError::Invalid(errors) => Some(FieldErrors::from(errors)),
        AppError::Conflict(_) => Some(FieldErrors::from(("number", "is already used by another invoice"))),
        AppError::Rule(rule @ (RuleViolation::ClientNotOnProject | RuleViolation::ClientDeleted)) => {
            let field = if *rule == RuleViolation::ClientDeleted { "client_id" } else { "project_id" };
            Some(FieldErrors::from((field, rule.to_string().as_str())))
        }
        _ => None,
    }
}

/// Saves a new draft or the edited one, or draws the form again with what went wrong.
pub(crate) async fn save(state: &AppState, ctx: &Ctx, editing: Option<&Invoice>, form: InvoiceFields) -> UiResult {
    let draft = match read(form.clone(), ctx.workspace.locale()) {
        Sent::Save(draft) => draft,
        Sent::Again(form, errors) => return page(state, ctx, editing, *form, errors).await,
    };
    let saved = match editing {
        Some(invoice) => state.portico().update_invoice(&ctx.actor, invoice.id(), draft).await,
        None => state.portico().create_invoice(&ctx.actor, draft).await,
    };
    match saved {
        Ok(invoice) => {
            let what = invoice.number().map_or_else(|| "The draft".to_owned(), |n| format!("Draft {n}"));
            Ok(redirect_with(&format!("/admin/invoices/{}", invoice.id()), &format!("{what} is saved.")))
        }
        Err(error) => match refusal(&error) {
            Some(errors) => page(state, ctx, editing, form, errors).await,
            None => Err(error.into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(currency: &str, price: &str) -> InvoiceFields {
        InvoiceFields {
            client_id: uuid::Uuid::nil().to_string(),
            currency: currency.into(),
            description: vec!["Brand workshop".into()],
            quantity: vec!["2".into()],
            unit_price: vec![price.into()],
            ..InvoiceFields::blank(currency, String::new())
        }
    }

    fn refused(fields: &InvoiceFields) -> Vec<String> {
        let errors = fields.parse(Locale::default()).expect_err("refused");
        errors.errors().iter().map(|e| e.field.clone()).collect()
    }

    #[test]
    fn prices_are_read_by_the_domain_in_the_invoices_currency() {
        for (currency, price, minor) in
            [("EUR", "1.250,50", 125_050), ("EUR", "12,50", 1250), ("USD", "1,250", 125_000), ("JPY", "1,250", 1250)]
        {
            let draft = fields(currency, price).parse(Locale::default()).expect("valid");
            assert_eq!(draft.lines[0].unit_price.minor(), minor, "{price} {currency}");
        }
        assert_eq!(refused(&fields("EUR", "12.3456")), ["lines[0].unit_price"]);
        assert_eq!(refused(&fields("JPY", "12.5")), ["lines[0].unit_price"]);
        assert_eq!(refused(&fields("EURO", "12.50")), ["currency"], "a bad currency is its own field's error");
    }

    #[test]
    fn blank_rows_are_skipped_and_errors_name_the_row_they_came_from() {
        let mut form = fields("EUR", "10");
        form.description = vec![String::new(), "Print".into(), "Design".into()];
        form.quantity = vec![String::new(), "0".into(), "1".into()];
        form.unit_price = vec![String::new(), "5".into(), "8".into()];
        assert_eq!(refused(&form), ["lines[0].quantity"], "the second row is the first line");
        assert_eq!(form.line_of_row(1), Some(0));
        assert_eq!(form.line_of_row(0), None);
        form.remove_row(1);
        assert_eq!(form.parse(Locale::default()).expect("valid").lines.len(), 1);
    }

    #[test]
    fn a_draft_comes_back_as_the_form_that_says_it() {
        let mut form = fields("EUR", "1.234,50");
        form.tax_rate = vec!["7,5".into()];
        form.tax_name = vec!["VAT".into()];
        form.discount_kind = "percent".into();
        form.discount_value = "10".into();
        form.net_days = "30".into();
        let draft = form.parse(Locale::default()).expect("valid");
        let again = InvoiceFields::of(&draft, Locale::default());
        assert_eq!(again.unit_price, ["1,234.50"]);
        assert_eq!(again.tax_rate, ["7.5"]);
        assert_eq!(again.parse(Locale::default()).expect("valid"), draft);
        let german = InvoiceFields::of(&draft, Locale::DeDe);
        assert_eq!((german.unit_price[0].as_str(), german.tax_rate[0].as_str()), ("1.234,50", "7,5"));
        assert_eq!(german.parse(Locale::DeDe).expect("valid"), draft);
    }
}
