//! The filters of the client, project and invoice lists as typed, read the same way by the
//! API's query strings and the pages' filter forms, so a bad filter is the same field error
//! in both.

use portico_domain::company::CompanyName;
use portico_domain::invoice::InvoiceStatus;
use portico_domain::project::ProjectStatus;
use portico_domain::status::ClientStatus;
use portico_domain::validation::ValidationErrors;
use portico_ports::repos::{ClientOrder, ClientQuery, InvoiceQuery, ProjectQuery};

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
    /// company name.
    pub fn parse(&self) -> Result<ClientQuery, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let status = self.status.as_deref().and_then(|s| errors.check("status", s.parse::<ClientStatus>()));
        let company = errors.check_optional("company", self.company.as_deref(), CompanyName::parse).flatten();
        let order = match self.sort.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => ClientOrder::default(),
            Some(name) => ClientOrder::from_name(name).unwrap_or_else(|| {
                errors.add("sort", "must be \"name\" or \"newest\"");
                ClientOrder::default()
            }),
        };
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
}

impl ProjectFilterForm {
    /// The query, or the refused filter as a field error.
    ///
    /// # Errors
    /// `status` for a name that is not a project status.
    pub fn parse(&self) -> Result<ProjectQuery, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let status = self.status.as_deref().and_then(|s| errors.check("status", s.parse::<ProjectStatus>()));
        errors.into_result()?;
        Ok(ProjectQuery { status, team_member: None, text: self.q.clone() })
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
}

impl InvoiceFilterForm {
    /// The query, or each refused filter as a field error.
    ///
    /// # Errors
    /// `client_id` and `project_id` for text that is not an id, `status` for a name that is
    /// not an invoice status.
    pub fn parse(&self) -> Result<InvoiceQuery, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let client = errors.check_optional("client_id", self.client_id.as_deref(), parse_id).flatten();
        let project = errors.check_optional("project_id", self.project_id.as_deref(), parse_id).flatten();
        let status = self.status.as_deref().and_then(|s| errors.check("status", s.parse::<InvoiceStatus>()));
        errors.into_result()?;
        Ok(InvoiceQuery { client, project, status })
    }
}
