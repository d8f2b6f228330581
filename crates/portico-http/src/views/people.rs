//! Clients, staff and the signed-in person.

use portico_app::{ClientDetail, ClientWarning, CreatedClient, Me};
use portico_domain::client::Client;
use portico_domain::permissions::PermissionSet;
use portico_domain::staff::Staff;
use serde::Serialize;
use utoipa::ToSchema;

use super::projects::AssignmentView;
use super::{instant, maybe_instant};

/// A client profile as admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientView {
    /// Id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Login and contact address.
    pub email: String,
    /// Company, as typed.
    pub company: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Billing address (multi-line).
    pub billing_address: Option<String>,
    /// Internal notes; never shown to the client.
    pub notes: Option<String>,
    /// Permission names.
    #[schema(example = json!(["projects", "tasks", "files"]))]
    pub permissions: Vec<String>,
    /// The preset these permissions equal, if any.
    pub preset: Option<String>,
    /// `invited`, `active`, `deactivated` or `deleted`.
    pub status: String,
    /// When the profile was created.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// When the newest invitation was sent.
    pub invited_at: Option<String>,
    /// When the client accepted its invitation.
    pub accepted_at: Option<String>,
    /// When the client last logged in.
    pub last_login_at: Option<String>,
}

pub(crate) fn permission_names(set: PermissionSet) -> Vec<String> {
    set.iter().map(|p| p.as_str().to_owned()).collect()
}

impl From<&Client> for ClientView {
    fn from(client: &Client) -> Self {
        let profile = client.profile();
        Self {
            id: client.id().to_string(),
            name: profile.name.as_str().to_owned(),
            email: profile.email.as_str().to_owned(),
            company: profile.company.as_ref().map(|c| c.as_str().to_owned()),
            phone: profile.phone.as_ref().map(|p| p.as_str().to_owned()),
            billing_address: profile.billing_address.as_ref().map(|a| a.as_str().to_owned()),
            notes: profile.notes.as_ref().map(|n| n.as_str().to_owned()),
            permissions: permission_names(client.permissions()),
            preset: client.permissions().matching_preset().map(|p| p.as_str().to_owned()),
            status: client.status().as_str().to_owned(),
            created_at: instant(client.created_at()),
            updated_at: instant(client.updated_at()),
            invited_at: maybe_instant(client.invited_at()),
            accepted_at: maybe_instant(client.accepted_at()),
            last_login_at: maybe_instant(client.last_login_at()),
        }
    }
}

/// Something about a client's data worth a second look.
#[derive(Debug, Serialize, ToSchema)]
pub struct WarningView {
    /// `email_typo`, `company_variant` or `no_permissions`.
    pub kind: String,
    /// What to check, for people.
    pub message: String,
    /// The value probably meant, when there is one (the address, the company's spelling).
    pub suggestion: Option<String>,
}

impl From<&ClientWarning> for WarningView {
    fn from(warning: &ClientWarning) -> Self {
        let (kind, suggestion) = match warning {
            ClientWarning::EmailTypo { suggestion } => ("email_typo", Some(suggestion.as_str().to_owned())),
            ClientWarning::CompanyVariant { in_use } => ("company_variant", Some(in_use.clone())),
            ClientWarning::NoPermissions => ("no_permissions", None),
        };
        Self { kind: kind.to_owned(), message: warning.to_string(), suggestion }
    }
}

/// A client just created, with warnings about its data.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientCreatedView {
    /// The client.
    #[serde(flatten)]
    pub client: ClientView,
    /// Likely typos and spelling variants (the client is saved regardless).
    pub warnings: Vec<WarningView>,
}

impl From<&CreatedClient> for ClientCreatedView {
    fn from(created: &CreatedClient) -> Self {
        Self { client: (&created.client).into(), warnings: created.warnings.iter().map(Into::into).collect() }
    }
}

/// A client with every assignment, current and ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientDetailView {
    /// The client.
    #[serde(flatten)]
    pub client: ClientView,
    /// Assignments, oldest first.
    pub assignments: Vec<AssignmentView>,
    /// What is worth a second look about the saved data.
    pub warnings: Vec<WarningView>,
}

impl From<&ClientDetail> for ClientDetailView {
    fn from(detail: &ClientDetail) -> Self {
        Self {
            client: (&detail.client).into(),
            assignments: detail.assignments.iter().map(|(a, p)| AssignmentView::new(a, Some(p), None)).collect(),
            warnings: detail.warnings.iter().map(Into::into).collect(),
        }
    }
}

/// A staff member.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    /// Id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Login address.
    pub email: String,
    /// `admin` or `member`.
    pub role: String,
    /// Whether the account may log in.
    pub active: bool,
}

impl From<&Staff> for StaffView {
    fn from(staff: &Staff) -> Self {
        Self {
            id: staff.id.to_string(),
            name: staff.name.as_str().to_owned(),
            email: staff.email.as_str().to_owned(),
            role: staff.role.as_str().to_owned(),
            active: staff.active,
        }
    }
}

/// The signed-in person.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    /// `staff` or `client`.
    pub kind: String,
    /// Id.
    pub id: String,
    /// The workspace.
    pub workspace_id: String,
    /// Full name.
    pub name: String,
    /// Login address.
    pub email: String,
    /// Staff only: `admin` or `member`.
    pub role: Option<String>,
    /// Clients only: their permissions.
    pub permissions: Option<Vec<String>>,
}

impl From<&Me> for MeView {
    fn from(me: &Me) -> Self {
        match me {
            Me::Staff(staff) => Self {
                kind: "staff".into(),
                id: staff.id.to_string(),
                workspace_id: staff.workspace_id.to_string(),
                name: staff.name.as_str().to_owned(),
                email: staff.email.as_str().to_owned(),
                role: Some(staff.role.as_str().to_owned()),
                permissions: None,
            },
            Me::Client(client) => Self {
                kind: "client".into(),
                id: client.id().to_string(),
                workspace_id: client.workspace_id().to_string(),
                name: client.name().as_str().to_owned(),
                email: client.email().as_str().to_owned(),
                role: None,
                permissions: Some(permission_names(client.permissions())),
            },
        }
    }
}
