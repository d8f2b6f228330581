//! Who is asking.

use portico_domain::ids::{ClientId, StaffId, WorkspaceId};
use portico_domain::staff::UserRef;

/// The authenticated person on whose behalf a use case runs. The edge (HTTP session, CLI)
/// establishes it; every use case re-reads the person's record, so a role, status or
/// permission change applies to the very next call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Actor {
    /// The workspace the person belongs to.
    pub workspace: WorkspaceId,
    /// The person.
    pub user: UserRef,
    /// An admin looking through a client's eyes ([`Portico::preview_as_client`]): the portal
    /// queries answer as for the client (an invited one too, as it will see things once it
    /// accepts), and every command refuses.
    ///
    /// [`Portico::preview_as_client`]: crate::Portico::preview_as_client
    pub(crate) preview: bool,
}

impl Actor {
    /// `user` of `workspace`.
    pub fn new(workspace: WorkspaceId, user: UserRef) -> Self {
        Self { workspace, user, preview: false }
    }

    /// A staff member.
    pub fn staff(workspace: WorkspaceId, id: StaffId) -> Self {
        Self::new(workspace, UserRef::Staff(id))
    }

    /// A client.
    pub fn client(workspace: WorkspaceId, id: ClientId) -> Self {
        Self::new(workspace, UserRef::Client(id))
    }

    /// A client as an admin previews it: for the portal's queries only.
    pub(crate) fn preview_of(workspace: WorkspaceId, id: ClientId) -> Self {
        Self { preview: true, ..Self::client(workspace, id) }
    }

    /// Whether this is a preview rather than the person.
    pub fn is_preview(&self) -> bool {
        self.preview
    }
}
