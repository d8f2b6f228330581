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
}

impl Actor {
    /// A staff member.
    pub fn staff(workspace: WorkspaceId, id: StaffId) -> Self {
        Self { workspace, user: UserRef::Staff(id) }
    }

    /// A client.
    pub fn client(workspace: WorkspaceId, id: ClientId) -> Self {
        Self { workspace, user: UserRef::Client(id) }
    }
}
