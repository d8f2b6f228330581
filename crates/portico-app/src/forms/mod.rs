//! Raw input as people type it (JSON bodies, HTML forms, CSV rows), and its parsing into the
//! validated commands the use cases take. Every edge uses these, so an email is checked the
//! same way in the API, the admin UI and a CSV import, and every problem is reported at once,
//! field by field.

use std::fmt;
use std::str::FromStr;

use portico_domain::approval::ApprovalDecision;
use portico_domain::client::{ClientEdit, ClientProfile};
use portico_domain::company::CompanyName;
use portico_domain::content::{ContentType, FileName, TaskEdit, TaskState, Visibility};
use portico_domain::email::EmailAddress;
use portico_domain::ids::{ClientId, StaffId};
use portico_domain::permissions::{PermissionSet, Preset};
use portico_domain::phone::Phone;
use portico_domain::project::{ProjectDetails, ProjectEdit};
use portico_domain::staff::Role;
use portico_domain::text::{
    BillingAddress, Description, InternalNotes, MessageBody, PersonName, ProjectName, TaskTitle,
};
use portico_domain::validation::ValidationErrors;
use time::Date;
use time::macros::format_description;

mod filters;
mod invoices;
mod notifications;
mod settings;

pub use filters::{ClientFilterForm, InvoiceFilterForm, ProjectFilterForm};
pub use invoices::{AmountInput, DiscountInput, InvoiceForm, LineForm, PaymentForm, VoidForm};
pub use notifications::{NotificationChoices, NotificationForm};
pub use settings::SettingsForm;

use crate::use_cases::{Answer, NewClient, NewMessage, NewProject, NewStaff, NewTask, NewUpload};

/// Parses a calendar date written `YYYY-MM-DD`.
///
/// # Errors
/// A message for people when the text is not such a date.
pub fn parse_date(input: &str) -> Result<Date, &'static str> {
    Date::parse(input.trim(), format_description!("[year]-[month]-[day]")).map_err(|_| "must be a date like 2026-03-31")
}

/// Parses an id of any kind, with a message for people.
fn parse_id<T: FromStr>(input: &str) -> Result<T, &'static str> {
    input.parse().map_err(|_| "is not a valid id")
}

/// A field of an edit: `None` leaves it, `Some(None)` (or blank text) clears it.
fn patch<T, E: fmt::Display>(
    errors: &mut ValidationErrors,
    field: &str,
    input: Option<&Option<String>>,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Option<Option<T>> {
    let change = input?;
    errors.check_optional(field, change.as_deref(), parse)
}

/// How a client's permissions are given: by name, or as a preset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermissionsInput {
    /// Permission names such as `"projects"` and `"files"`.
    Names(Vec<String>),
    /// A preset name such as `"collaborator"`.
    Preset(String),
}

impl Default for PermissionsInput {
    fn default() -> Self {
        Self::Names(Vec::new())
    }
}

impl PermissionsInput {
    fn parse(&self) -> Result<PermissionSet, portico_domain::permissions::PermissionError> {
        match self {
            Self::Names(names) => PermissionSet::parse(names.iter().map(String::as_str)),
            Self::Preset(name) => name.parse::<Preset>().map(Preset::permissions),
        }
    }
}

/// A new client as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientForm {
    /// Name, as typed.
    pub name: String,
    /// Email address, as typed.
    pub email: String,
    /// Company, as typed (blank: none).
    pub company: Option<String>,
    /// Phone number, as typed (blank: none).
    pub phone: Option<String>,
    /// Billing address, several lines (blank: none).
    pub billing_address: Option<String>,
    /// Staff-only notes (blank: none).
    pub notes: Option<String>,
    /// Permission names or a preset.
    pub permissions: PermissionsInput,
    /// Send the invitation now (the default) or later.
    pub invite: bool,
}

impl Default for ClientForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            email: String::new(),
            company: None,
            phone: None,
            billing_address: None,
            notes: None,
            permissions: PermissionsInput::default(),
            invite: true,
        }
    }
}

impl ClientForm {
    /// Validates every field.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each invalid field.
    pub fn parse(&self) -> Result<NewClient, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = errors.check("name", PersonName::parse(&self.name));
        let email = errors.check("email", EmailAddress::parse_contact(&self.email));
        let company = errors.check_optional("company", self.company.as_deref(), CompanyName::parse);
        let phone = errors.check_optional("phone", self.phone.as_deref(), Phone::parse);
        let address = errors.check_optional("billing_address", self.billing_address.as_deref(), BillingAddress::parse);
        let notes = errors.check_optional("notes", self.notes.as_deref(), InternalNotes::parse);
        let permissions = errors.check("permissions", self.permissions.parse());
        match (name, email, company, phone, address, notes, permissions) {
            (
                Some(name),
                Some(email),
                Some(company),
                Some(phone),
                Some(billing_address),
                Some(notes),
                Some(permissions),
            ) if errors.is_empty() => {
                let profile = ClientProfile { name, email, company, phone, billing_address, notes };
                Ok(NewClient { profile, permissions, invite: self.invite })
            }
            _ => Err(errors),
        }
    }
}

/// Changes to a client as typed; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientEditForm {
    /// New name (absent: unchanged).
    pub name: Option<String>,
    /// New email address (absent: unchanged).
    pub email: Option<String>,
    /// New company; `Some(None)` or blank clears it.
    pub company: Option<Option<String>>,
    /// New phone; `Some(None)` or blank clears it.
    pub phone: Option<Option<String>>,
    /// New billing address; `Some(None)` or blank clears it.
    pub billing_address: Option<Option<String>>,
    /// New notes; `Some(None)` or blank clears them.
    pub notes: Option<Option<String>>,
    /// New permissions (absent: unchanged).
    pub permissions: Option<PermissionsInput>,
}

impl ClientEditForm {
    /// Validates every given field.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each invalid field.
    pub fn parse(&self) -> Result<ClientEdit, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let edit = ClientEdit {
            name: self.name.as_deref().and_then(|n| errors.check("name", PersonName::parse(n))),
            email: self.email.as_deref().and_then(|e| errors.check("email", EmailAddress::parse_contact(e))),
            company: patch(&mut errors, "company", self.company.as_ref(), CompanyName::parse),
            phone: patch(&mut errors, "phone", self.phone.as_ref(), Phone::parse),
            billing_address: patch(
                &mut errors,
                "billing_address",
                self.billing_address.as_ref(),
                BillingAddress::parse,
            ),
            notes: patch(&mut errors, "notes", self.notes.as_ref(), InternalNotes::parse),
            permissions: self.permissions.as_ref().and_then(|p| errors.check("permissions", p.parse())),
        };
        errors.into_result().map(|()| edit)
    }

    /// The form of a client that does not exist yet: absent and cleared fields are empty.
    pub fn to_new_client(&self, invite: bool) -> ClientForm {
        ClientForm {
            name: self.name.clone().unwrap_or_default(),
            email: self.email.clone().unwrap_or_default(),
            company: self.company.clone().flatten(),
            phone: self.phone.clone().flatten(),
            billing_address: self.billing_address.clone().flatten(),
            notes: self.notes.clone().flatten(),
            permissions: self.permissions.clone().unwrap_or_default(),
            invite,
        }
    }
}

/// A new staff member as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffForm {
    /// Name, as typed.
    pub name: String,
    /// Email address, as typed.
    pub email: String,
    /// `"admin"` or `"member"`.
    pub role: String,
}

impl StaffForm {
    /// Validates every field.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each invalid field.
    pub fn parse(&self) -> Result<NewStaff, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = errors.check("name", PersonName::parse(&self.name));
        let email = errors.check("email", EmailAddress::parse_contact(&self.email));
        let role = errors.check("role", self.role.parse::<Role>());
        match (name, email, role) {
            (Some(name), Some(email), Some(role)) => Ok(NewStaff { name, email, role }),
            _ => Err(errors),
        }
    }
}

/// A new project as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectForm {
    /// Name, as typed.
    pub name: String,
    /// Description (blank: none).
    pub description: Option<String>,
    /// `YYYY-MM-DD`.
    pub deadline: Option<String>,
    /// Clients to assign at once (admins only).
    pub client_ids: Vec<String>,
    /// Staff to put on the team at once.
    pub team_ids: Vec<String>,
}

impl ProjectForm {
    /// Validates every field.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each invalid field (`client_ids[1]`).
    pub fn parse(&self) -> Result<NewProject, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = errors.check("name", ProjectName::parse(&self.name));
        let description = errors.check_optional("description", self.description.as_deref(), Description::parse);
        let deadline = errors.check_optional("deadline", self.deadline.as_deref(), parse_date);
        let clients: Vec<ClientId> = (self.client_ids.iter().enumerate())
            .filter_map(|(i, id)| errors.check(&format!("client_ids[{i}]"), parse_id(id)))
            .collect();
        let team: Vec<StaffId> = (self.team_ids.iter().enumerate())
            .filter_map(|(i, id)| errors.check(&format!("team_ids[{i}]"), parse_id(id)))
            .collect();
        match (name, description, deadline) {
            (Some(name), Some(description), Some(deadline)) if errors.is_empty() => {
                Ok(NewProject { details: ProjectDetails { name, description, deadline }, clients, team })
            }
            _ => Err(errors),
        }
    }
}

/// Changes to a project as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectEditForm {
    /// New name (absent: unchanged).
    pub name: Option<String>,
    /// New description; `Some(None)` or blank clears it.
    pub description: Option<Option<String>>,
    /// New deadline (`YYYY-MM-DD`); `Some(None)` or blank clears it.
    pub deadline: Option<Option<String>>,
}

impl ProjectEditForm {
    /// Validates every given field.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each invalid field.
    pub fn parse(&self) -> Result<ProjectEdit, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let edit = ProjectEdit {
            name: self.name.as_deref().and_then(|n| errors.check("name", ProjectName::parse(n))),
            description: patch(&mut errors, "description", self.description.as_ref(), Description::parse),
            deadline: patch(&mut errors, "deadline", self.deadline.as_ref(), parse_date),
        };
        errors.into_result().map(|()| edit)
    }
}

/// A new task as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskForm {
    /// Title.
    pub title: String,
    /// Description (blank: none).
    pub description: Option<String>,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// A staff id.
    pub assignee: Option<String>,
    /// `"internal"` or `"client"`.
    pub visibility: String,
}

impl TaskForm {
    /// Validates every field.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each invalid field.
    pub fn parse(&self) -> Result<NewTask, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = errors.check("title", TaskTitle::parse(&self.title));
        let description = errors.check_optional("description", self.description.as_deref(), Description::parse);
        let due_date = errors.check_optional("due_date", self.due_date.as_deref(), parse_date);
        let assignee = errors.check_optional("assignee", self.assignee.as_deref(), parse_id::<StaffId>);
        let visibility = errors.check("visibility", self.visibility.parse::<Visibility>());
        match (title, description, due_date, assignee, visibility) {
            (Some(title), Some(description), Some(due_date), Some(assignee), Some(visibility)) => {
                Ok(NewTask { title, description, due_date, assignee, visibility })
            }
            _ => Err(errors),
        }
    }
}

/// Changes to a task as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskEditForm {
    /// New title (absent: unchanged).
    pub title: Option<String>,
    /// New description; `Some(None)` or blank clears it.
    pub description: Option<Option<String>>,
    /// New state: `"open"`, `"in_progress"` or `"done"`.
    pub state: Option<String>,
    /// New due date (`YYYY-MM-DD`); `Some(None)` or blank clears it.
    pub due_date: Option<Option<String>>,
    /// New assignee (a staff id); `Some(None)` or blank clears it.
    pub assignee: Option<Option<String>>,
    /// New visibility: `"internal"` or `"client"`.
    pub visibility: Option<String>,
}

impl TaskEditForm {
    /// Validates every given field.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each invalid field.
    pub fn parse(&self) -> Result<TaskEdit, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let edit = TaskEdit {
            title: self.title.as_deref().and_then(|t| errors.check("title", TaskTitle::parse(t))),
            description: patch(&mut errors, "description", self.description.as_ref(), Description::parse),
            state: self.state.as_deref().and_then(|s| errors.check("state", s.parse::<TaskState>())),
            due_date: patch(&mut errors, "due_date", self.due_date.as_ref(), parse_date),
            assignee: patch(&mut errors, "assignee", self.assignee.as_ref(), parse_id::<StaffId>),
            visibility: self.visibility.as_deref().and_then(|v| errors.check("visibility", v.parse::<Visibility>())),
        };
        errors.into_result().map(|()| edit)
    }
}

/// A new message or comment as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageForm {
    /// The text.
    pub body: String,
    /// `"internal"` or `"client"`; ignored for clients, whose posts are always client-visible.
    pub visibility: Option<String>,
}

impl MessageForm {
    /// Validates every field. A staff post without a visibility is internal: sharing with
    /// clients is a choice, never an accident.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each invalid field.
    pub fn parse(&self) -> Result<NewMessage, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let body = errors.check("body", MessageBody::parse(&self.body));
        let visibility = match self.visibility.as_deref() {
            None => Some(Visibility::Internal),
            Some(v) => errors.check("visibility", v.parse::<Visibility>()),
        };
        match (body, visibility) {
            (Some(body), Some(visibility)) => Ok(NewMessage { body, visibility }),
            _ => Err(errors),
        }
    }
}

/// An uploaded file as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadForm {
    /// The file name the browser sent.
    pub name: String,
    /// The media type the browser sent, if any.
    pub content_type: Option<String>,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// `"internal"` or `"client"`; a staff upload without one is internal.
    pub visibility: Option<String>,
}

impl UploadForm {
    /// Validates the name, type and visibility.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each invalid field.
    pub fn parse(self) -> Result<NewUpload, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = errors.check("file", FileName::parse(&self.name));
        let content_type = match self.content_type.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => Some(ContentType::octet_stream()),
            Some(text) => errors.check("content_type", ContentType::parse(text)),
        };
        let visibility = match self.visibility.as_deref() {
            None => Some(Visibility::Internal),
            Some(v) => errors.check("visibility", v.parse::<Visibility>()),
        };
        match (name, content_type, visibility) {
            (Some(name), Some(content_type), Some(visibility)) => {
                Ok(NewUpload { name, content_type, bytes: self.bytes, visibility })
            }
            _ => Err(errors),
        }
    }
}

/// A client's answer to an approval request as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerForm {
    /// `"approved"` or `"changes_requested"`.
    pub decision: String,
    /// Why, or what to change.
    pub comment: Option<String>,
}

impl AnswerForm {
    /// Validates every field.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each invalid field.
    pub fn parse(&self) -> Result<Answer, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let decision = errors.check("decision", self.decision.parse::<ApprovalDecision>());
        let comment = errors.check_optional("comment", self.comment.as_deref(), MessageBody::parse);
        match (decision, comment) {
            (Some(decision), Some(comment)) => Ok(Answer { decision, comment }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests;
