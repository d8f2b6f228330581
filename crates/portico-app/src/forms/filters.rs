//! The filters of the client, project and invoice lists as typed, read the same way by the
//! API's query strings and the pages' filter forms, so a bad filter is the same field error
//! in both.

use portico_domain::company::CompanyName;
use portico_domain::invoice::InvoiceStatus;
use portico_domain::project::ProjectStatus;
use portico_domain::status::ClientStatus;
use portico_domain::validation::ValidationErrors;
use portico_ports::ListOrder;
use portico_ports::repos::{BalanceFilter, ClientQuery, InvoiceQuery, ProjectQuery};
use time::Date;

use super::parse_id;

/// The clients list's filters as typed; `None` is no filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientFilterForm {
    /// Part of the name, email or company.
    pub q: Option<String>,
    /// A status name.
    pub status: Option<String>,
    /// A company, however spelled.
    pub company: Option<String>,
    /// An order name (`name`, `newest`); none is by name.
    pub sort: Option<String>,
}

impl ClientFilterForm {
    /// The query, or each refused filter as a field error.
    ///
    /// # Errors
    /// `status` for a name that is not a client status, `company` for text that is not a
    /// company name, `sort` for a name that is not an order.
    pub fn parse(&self) -> Result<ClientQuery, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let status = self.status.as_deref().and_then(|s| errors.check("status", s.parse::<ClientStatus>()));
        let company = errors.check_optional("company", self.company.as_deref(), CompanyName::parse).flatten();
        let order = order(&mut errors, self.sort.as_deref());
        errors.into_result()?;
        let company = company.map(|c| c.company_key().clone());
        Ok(ClientQuery { text: self.q.clone(), status, company, order })
    }
}

/// The projects list's filters as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFilterForm {
    /// Part of the name.
    pub q: Option<String>,
    /// A status name.
    pub status: Option<String>,
    /// An order name (`name`, `newest`, `deadline`); none is by name.
    pub sort: Option<String>,
}

impl ProjectFilterForm {
    /// The query, or the refused filter as a field error.
    ///
    /// # Errors
    /// `status` for a name that is not a project status, `sort` for one that is not an order.
    pub fn parse(&self) -> Result<ProjectQuery, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let status = self.status.as_deref().and_then(|s| errors.check("status", s.parse::<ProjectStatus>()));
        let order = order(&mut errors, self.sort.as_deref());
        errors.into_result()?;
        Ok(ProjectQuery { status, team_member: None, text: self.q.clone(), order })
    }
}

/// The invoices list's filters as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceFilterForm {
    /// Only invoices addressed to this client (an id).
    pub client_id: Option<String>,
    /// Only invoices billing this project (an id).
    pub project_id: Option<String>,
    /// A status name.
    pub status: Option<String>,
    /// `outstanding` (money still owed) or `overdue`.
    pub balance: Option<String>,
    /// An order name (`number`, `due`); none is the newest number first.
    pub sort: Option<String>,
}

impl InvoiceFilterForm {
    /// The query, or each refused filter as a field error.
    ///
    /// # Errors
    /// `client_id` and `project_id` for text that is not an id, `status` for a name that is
    /// not an invoice status, `balance` for one that is not a balance filter, `sort` for a
    /// name that is not an order. `overdue` is judged on `today`.
    pub fn parse(&self, today: Date) -> Result<InvoiceQuery, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let client = errors.check_optional("client_id", self.client_id.as_deref(), parse_id).flatten();
        let project = errors.check_optional("project_id", self.project_id.as_deref(), parse_id).flatten();
        let status = self.status.as_deref().and_then(|s| errors.check("status", s.parse::<InvoiceStatus>()));
        let balance = errors
            .check_optional("balance", self.balance.as_deref(), |name| {
                BalanceFilter::named(name, today).ok_or("must be outstanding or overdue")
            })
            .flatten();
        let order = order(&mut errors, self.sort.as_deref());
        errors.into_result()?;
        Ok(InvoiceQuery { client, project, status, balance, order })
    }
}

/// The order `sort` names (blank: the default, the first of [`ListOrder::ALL`]); another
/// name is a `sort` field error listing the orders.
fn order<O: ListOrder>(errors: &mut ValidationErrors, sort: Option<&str>) -> O {
    let default = O::ALL[0];
    match sort.map(str::trim).filter(|s| !s.is_empty()) {
        None => default,
        Some(name) => O::from_name(name).unwrap_or_else(|| {
            let names: Vec<String> = O::names().iter().map(|name| format!("\"{name}\"")).collect();
            errors.add("sort", format!("must be one of {}", names.join(", ")));
            default
        }),
    }
}

#[cfg(test)]
mod tests {
    use portico_domain::validation::FieldError;
    use portico_ports::repos::{ClientOrder, InvoiceOrder, ProjectOrder};

    use super::*;

    #[test]
    fn every_list_reads_its_orders_by_name_and_refuses_others_by_field() {
        let projects = ProjectFilterForm { sort: Some("deadline".into()), ..ProjectFilterForm::default() };
        assert_eq!(projects.parse().map(|q| q.order), Ok(ProjectOrder::Deadline));
        let invoices = InvoiceFilterForm { sort: Some(" due ".into()), ..InvoiceFilterForm::default() };
        assert_eq!(invoices.parse(DAY).map(|q| q.order), Ok(InvoiceOrder::Due));
        let blank = ClientFilterForm { sort: Some(String::new()), ..ClientFilterForm::default() };
        assert_eq!(blank.parse().map(|q| q.order), Ok(ClientOrder::Name));
        let errors = InvoiceFilterForm { sort: Some("oldest".into()), ..InvoiceFilterForm::default() }
            .parse(DAY)
            .expect_err("not an order");
        let sort = FieldError { field: "sort".into(), message: "must be one of \"number\", \"due\"".into() };
        assert_eq!(errors.errors(), [sort]);
    }

    const DAY: Date = time::macros::date!(2026 - 03 - 02);

    #[test]
    fn invoices_filter_by_what_is_owed() {
        let overdue = InvoiceFilterForm { balance: Some(" Overdue".into()), ..InvoiceFilterForm::default() };
        assert_eq!(overdue.parse(DAY).map(|q| q.balance), Ok(Some(BalanceFilter::Overdue { today: DAY })));
        let blank = InvoiceFilterForm { balance: Some(String::new()), ..InvoiceFilterForm::default() };
        assert_eq!(blank.parse(DAY).map(|q| q.balance), Ok(None));
        let wrong = InvoiceFilterForm { balance: Some("unpaid".into()), ..InvoiceFilterForm::default() };
        assert_eq!(wrong.parse(DAY).expect_err("not a filter").errors()[0].field, "balance");
    }
}
