//! The agency's own people and the references that name any user.

use std::str::FromStr;

use time::OffsetDateTime;

use crate::email::EmailAddress;
use crate::ids::{ClientId, StaffId, WorkspaceId};
use crate::names::named_enum;
use crate::text::PersonName;

named_enum! {
    /// What a staff member may do.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Role {
        /// Manages clients, invoices, team and settings; sees every project.
        Admin => "admin",
        /// Works on the projects whose team they are on.
        Member => "member",
    }
}

/// The error for a role name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a staff role (admin or member)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or_else(|| UnknownRole(s.trim().to_owned()))
    }
}

/// A member of the agency's staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    /// Identity.
    pub id: StaffId,
    /// The workspace the person works in.
    pub workspace_id: WorkspaceId,
    /// Full name, shown to clients on shared work.
    pub name: PersonName,
    /// Login and notification address; never shown to clients.
    pub email: EmailAddress,
    /// What the person may do.
    pub role: Role,
    /// Whether the person may log in.
    pub active: bool,
    /// When the record was created.
    pub created_at: OffsetDateTime,
}

impl Staff {
    /// Whether the person is an active admin.
    pub fn is_admin(&self) -> bool {
        self.active && self.role == Role::Admin
    }
}

/// Any person who can log in or author content: a staff member or a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserRef {
    /// A staff member.
    Staff(StaffId),
    /// A client.
    Client(ClientId),
}
