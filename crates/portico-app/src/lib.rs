//! # portico-app
//!
//! Portico's application layer: one method of [`Portico`] per use case — commands such as
//! [`create_client`](Portico::create_client) and queries such as
//! [`portal_project`](Portico::portal_project). Each runs in one unit of work, checks who is
//! asking (roles for staff, the visibility rule for clients), applies the domain's rules, and
//! writes the audit trail and outbox mail in the same transaction as the change.
//!
//! The layer knows only `portico-domain` and `portico-ports`; any storage, mail and file
//! adapters can be plugged in through [`Services`].
//!
//! ## Where each use case lives
//!
//! | Module (`use_cases/`) | Use cases |
//! |---|---|
//! | `setup` | workspaces, the first admin, staff: [`create_workspace`](Portico::create_workspace), [`bootstrap_admin`](Portico::bootstrap_admin), [`create_staff`](Portico::create_staff), [`list_staff`](Portico::list_staff) |
//! | `sessions` | [`log_in`](Portico::log_in), [`authenticate`](Portico::authenticate), [`log_out`](Portico::log_out), [`me`](Portico::me), [`change_password`](Portico::change_password) |
//! | `auth` | one-time links: [`accept_invitation`](Portico::accept_invitation), [`request_password_reset`](Portico::request_password_reset), [`reset_password`](Portico::reset_password), [`check_link`](Portico::check_link) |
//! | `links` | issuing links and opening their sealed secrets: [`link_secret`](Portico::link_secret) |
//! | `api_tokens` | [`create_api_token`](Portico::create_api_token), [`list_api_tokens`](Portico::list_api_tokens), [`revoke_api_token`](Portico::revoke_api_token), [`authenticate_api_token`](Portico::authenticate_api_token) |
//! | `clients` | [`create_client`](Portico::create_client), [`edit_client`](Portico::edit_client), [`set_client_permissions`](Portico::set_client_permissions), deactivate, reactivate, delete, [`resend_invitation`](Portico::resend_invitation), [`client_detail`](Portico::client_detail), [`list_clients`](Portico::list_clients) |
//! | `import` | [`import_clients`](Portico::import_clients), [`export_clients`](Portico::export_clients) |
//! | `projects` | [`create_project`](Portico::create_project), edit, status, [`project_detail`](Portico::project_detail), [`assign_client`](Portico::assign_client), [`set_assignment_scope`](Portico::set_assignment_scope), [`remove_client`](Portico::remove_client), the team |
//! | `content` | tasks, messages, comments, files and their visibility: [`create_task`](Portico::create_task), [`post_message`](Portico::post_message), [`upload_file`](Portico::upload_file), [`download_file`](Portico::download_file) |
//! | `approvals` | [`request_approval`](Portico::request_approval), [`answer_approval`](Portico::answer_approval) |
//! | `invoices` | [`create_invoice`](Portico::create_invoice), [`send_invoice`](Portico::send_invoice), [`mark_invoice_paid`](Portico::mark_invoice_paid), [`void_invoice`](Portico::void_invoice), [`list_invoices`](Portico::list_invoices) |
//! | `portal` | what a client sees and does: [`portal_projects`](Portico::portal_projects), [`portal_project`](Portico::portal_project), [`portal_invoices`](Portico::portal_invoices), [`portal_post_message`](Portico::portal_post_message), [`portal_upload_file`](Portico::portal_upload_file), [`preview_as_client`](Portico::preview_as_client) |
//! | `insight` | staff's questions: [`explain_visibility`](Portico::explain_visibility), [`preview_impact`](Portico::preview_impact), [`client_review`](Portico::client_review), [`companies`](Portico::companies), [`client_history`](Portico::client_history), [`outbox`](Portico::outbox) |
//! | `settings` | the workspace's settings and brand: [`settings`](Portico::settings), [`change_settings`](Portico::change_settings), [`settings_history`](Portico::settings_history), [`replace_logo`](Portico::replace_logo), [`logo`](Portico::logo), [`workspace`](Portico::workspace), [`send_test_mail`](Portico::send_test_mail) |
//! | `delivery` | one round of the outbox: [`deliver_due_mail`](Portico::deliver_due_mail) |
//!
//! What they all share lives in `support/`: the unit of work (`unit`: scoped to a workspace,
//! or unscoped for the reads that find it), who is asking (`access`), the audit trail
//! (`audit`), outbox mail (`mail`), shared reads (`lookups`) and shared writes (`records`).
//!
//! ```no_run
//! # async fn demo(portico: portico_app::Portico, admin: portico_app::Actor) -> Result<(), portico_app::AppError> {
//! use portico_app::forms::{ClientForm, PermissionsInput};
//! let form = ClientForm {
//!     name: "Sarah Chen".into(),
//!     email: "sarah@acme.example".into(),
//!     company: Some("Acme Corp".into()),
//!     permissions: PermissionsInput::Preset("full_access".into()),
//!     invite: true,
//!     ..ClientForm::default()
//! };
//! let created = portico.create_client(&admin, form.parse()?).await?;
//! println!("created {} with {} warnings", created.client.name(), created.warnings.len());
//! # Ok(()) }
//! ```

mod actor;
mod error;
pub mod forms;
pub mod mail;
mod support;
mod use_cases;

use std::sync::Arc;

use portico_ports::{
    Clock, DocumentRenderer, FileStore, IdGenerator, PasswordHasher, SecretBox, Store, TokenGenerator,
};

pub use actor::Actor;
pub use error::{AppError, AppResult, LinkError};
/// Clients as CSV files, for the import and export use cases.
pub use use_cases::import::csv;
pub use use_cases::*;

/// The adapters the application runs on.
#[derive(Clone)]
pub struct Services {
    /// Storage.
    pub store: Arc<dyn Store>,
    /// The current time.
    pub clock: Arc<dyn Clock>,
    /// New record ids.
    pub ids: Arc<dyn IdGenerator>,
    /// Secrets for links.
    pub secrets: Arc<dyn TokenGenerator>,
    /// Sealing the link secrets that wait in the outbox.
    pub secret_box: Arc<dyn SecretBox>,
    /// Password hashing.
    pub hasher: Arc<dyn PasswordHasher>,
    /// File bytes.
    pub files: Arc<dyn FileStore>,
    /// Documents mail carries (an invoice's PDF).
    pub documents: Arc<dyn DocumentRenderer>,
}

/// The application: every use case of Portico. Cheap to clone.
#[derive(Clone)]
pub struct Portico {
    services: Services,
}

impl Portico {
    /// The application running on `services`.
    pub fn new(services: Services) -> Self {
        Self { services }
    }

    /// Today's date by the application's clock (UTC), for what views derive from the day,
    /// such as whether an invoice is overdue.
    pub fn today(&self) -> time::Date {
        self.services.clock.now().date()
    }
}
