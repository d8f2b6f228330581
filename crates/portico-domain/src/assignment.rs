//! Who is on a project, and who was: client assignments and team memberships.
//!
//! Both are kept as history. Removing someone ends the current row (it is never deleted), and
//! putting them back starts a new one, so "who could see this project on 3 March?" has an answer.

use time::OffsetDateTime;

use crate::ids::{AssignmentId, ClientId, MembershipId, ProjectId, StaffId, WorkspaceId};
use crate::permissions::PermissionSet;
use crate::rules::RuleViolation;

/// When a stretch of membership started and ended, and who started and ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tenure {
    /// When it started.
    pub started_at: OffsetDateTime,
    /// Who started it (`None` for system actions such as a project's creator joining its team).
    pub started_by: Option<StaffId>,
    /// When it ended; `None` while current.
    pub ended_at: Option<OffsetDateTime>,
    /// Who ended it.
    pub ended_by: Option<StaffId>,
}

impl Tenure {
    /// A tenure starting now.
    pub fn starting(at: OffsetDateTime, by: Option<StaffId>) -> Self {
        Self { started_at: at, started_by: by, ended_at: None, ended_by: None }
    }

    /// Whether it has not ended.
    pub fn is_current(&self) -> bool {
        self.ended_at.is_none()
    }

    /// Ends it.
    ///
    /// # Errors
    /// [`RuleViolation::NotAssigned`] when it already ended.
    pub fn end(&mut self, at: OffsetDateTime, by: Option<StaffId>) -> Result<(), RuleViolation> {
        if !self.is_current() {
            return Err(RuleViolation::NotAssigned);
        }
        self.ended_at = Some(at);
        self.ended_by = by;
        Ok(())
    }
}

/// A client's access to one project, optionally narrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Identity.
    pub id: AssignmentId,
    /// The workspace.
    pub workspace_id: WorkspaceId,
    /// The project.
    pub project_id: ProjectId,
    /// The client.
    pub client_id: ClientId,
    /// Narrows the client's permissions on this project; `None` means no narrowing.
    /// It can only narrow: the effective set is the intersection with the client's own set.
    pub scope: Option<PermissionSet>,
    /// When and by whom it started and ended.
    pub tenure: Tenure,
}

impl Assignment {
    /// Whether the client is on the project now.
    pub fn is_current(&self) -> bool {
        self.tenure.is_current()
    }

    /// The permissions the client has on this project: its own set, narrowed by the scope.
    pub fn effective_permissions(&self, client_permissions: PermissionSet) -> PermissionSet {
        self.scope.map_or(client_permissions, |scope| client_permissions.intersection(&scope))
    }
}

/// A staff member's place on a project's team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// Identity.
    pub id: MembershipId,
    /// The workspace.
    pub workspace_id: WorkspaceId,
    /// The project.
    pub project_id: ProjectId,
    /// The staff member.
    pub staff_id: StaffId,
    /// When and by whom it started and ended.
    pub tenure: Tenure,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permissions::{Permission, Preset};
    use time::macros::datetime;
    use uuid::Uuid;

    #[test]
    fn a_scope_narrows_but_never_widens() {
        let mut assignment = Assignment {
            id: AssignmentId::from_uuid(Uuid::from_u128(1)),
            workspace_id: WorkspaceId::from_uuid(Uuid::from_u128(2)),
            project_id: ProjectId::from_uuid(Uuid::from_u128(3)),
            client_id: ClientId::from_uuid(Uuid::from_u128(4)),
            scope: None,
            tenure: Tenure::starting(datetime!(2026-01-01 0:00 UTC), None),
        };
        let collaborator = Preset::Collaborator.permissions();
        assert_eq!(assignment.effective_permissions(collaborator), collaborator);
        assignment.scope = Some(Preset::OverviewOnly.permissions());
        assert_eq!(assignment.effective_permissions(collaborator), Preset::OverviewOnly.permissions());
        assignment.scope = Some(PermissionSet::all());
        let effective = assignment.effective_permissions(Preset::OverviewOnly.permissions());
        assert!(!effective.contains(Permission::Files));
    }

    #[test]
    fn a_tenure_ends_once() {
        let mut tenure = Tenure::starting(datetime!(2026-01-01 0:00 UTC), None);
        assert!(tenure.is_current());
        tenure.end(datetime!(2026-01-02 0:00 UTC), None).expect("current");
        assert!(!tenure.is_current());
        assert_eq!(tenure.end(datetime!(2026-01-03 0:00 UTC), None), Err(RuleViolation::NotAssigned));
        assert_eq!(tenure.ended_at, Some(datetime!(2026-01-02 0:00 UTC)));
    }
}
