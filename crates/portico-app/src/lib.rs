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

use portico_ports::{Clock, FileStore, IdGenerator, PasswordHasher, SecretBox, Store, TokenGenerator};

pub use actor::Actor;
pub use error::{AppError, AppResult, LinkError};
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
}
