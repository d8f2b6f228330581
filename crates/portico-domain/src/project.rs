//! Projects: the container a client is given access to.

use std::str::FromStr;

use time::{Date, OffsetDateTime};

use crate::audit::{DataKind, FieldChange};
use crate::ids::{ProjectId, WorkspaceId};
use crate::names::named_enum;
use crate::rules::RuleViolation;
use crate::text::{Description, ProjectName};

named_enum! {
    /// Whether a project is running or done.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum ProjectStatus {
        /// Work is going on.
        Active => "active",
        /// Done: still visible to its clients, read-only for everyone.
        Archived => "archived",
    }
}

/// The error for a project status name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a project status (active or archived)")]
pub struct UnknownProjectStatus(pub String);

impl FromStr for ProjectStatus {
    type Err = UnknownProjectStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or_else(|| UnknownProjectStatus(s.trim().to_owned()))
    }
}

/// The editable fields of a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectDetails {
    /// Name shown to staff and clients.
    pub name: ProjectName,
    /// What the project is about.
    pub description: Option<Description>,
    /// When it is due.
    pub deadline: Option<Date>,
}

/// A change to some fields of a project; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectEdit {
    /// New name.
    pub name: Option<ProjectName>,
    /// New description, or `Some(None)` to clear it.
    pub description: Option<Option<Description>>,
    /// New deadline, or `Some(None)` to clear it.
    pub deadline: Option<Option<Date>>,
}

/// A project. Its clients and team are kept as assignment histories, not in this record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// Identity.
    pub id: ProjectId,
    /// The workspace it belongs to.
    pub workspace_id: WorkspaceId,
    /// Name, description and deadline.
    pub details: ProjectDetails,
    /// Active or archived.
    pub status: ProjectStatus,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
}

impl Project {
    /// A new, active project.
    pub fn new(id: ProjectId, workspace_id: WorkspaceId, details: ProjectDetails, now: OffsetDateTime) -> Self {
        Self { id, workspace_id, details, status: ProjectStatus::Active, created_at: now, updated_at: now }
    }

    /// Whether the project is archived.
    pub fn is_archived(&self) -> bool {
        self.status == ProjectStatus::Archived
    }

    /// Refuses changes to the content of an archived project.
    ///
    /// # Errors
    /// [`RuleViolation::ProjectArchived`] when the project is archived.
    pub fn ensure_open(&self) -> Result<(), RuleViolation> {
        if self.is_archived() { Err(RuleViolation::ProjectArchived) } else { Ok(()) }
    }

    /// Applies `edit` and returns what changed.
    ///
    /// # Errors
    /// [`RuleViolation::ProjectArchived`] when the project is archived.
    pub fn apply_edit(&mut self, edit: ProjectEdit, now: OffsetDateTime) -> Result<Vec<FieldChange>, RuleViolation> {
        self.ensure_open()?;
        let mut changes = Vec::new();
        let details = &mut self.details;
        if let Some(name) = edit.name {
            FieldChange::set(&mut changes, "name", &mut details.name, name, DataKind::Ordinary);
        }
        if let Some(description) = edit.description {
            FieldChange::set_optional(
                &mut changes,
                "description",
                &mut details.description,
                description,
                DataKind::Ordinary,
            );
        }
        if let Some(deadline) = edit.deadline {
            FieldChange::set_optional(&mut changes, "deadline", &mut details.deadline, deadline, DataKind::Ordinary);
        }
        if !changes.is_empty() {
            self.updated_at = now;
        }
        Ok(changes)
    }

    /// Moves the project to `status`.
    ///
    /// # Errors
    /// [`RuleViolation::ProjectAlready`] when it already has that status.
    pub fn set_status(&mut self, status: ProjectStatus, now: OffsetDateTime) -> Result<FieldChange, RuleViolation> {
        if self.status == status {
            return Err(RuleViolation::ProjectAlready(status.as_str()));
        }
        let change = FieldChange::plain("status", Some(&self.status), Some(&status));
        self.status = status;
        self.updated_at = now;
        Ok(change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};
    use uuid::Uuid;

    fn project() -> Project {
        let details = ProjectDetails {
            name: ProjectName::parse("Acme Corp Brand Refresh").expect("valid"),
            description: None,
            deadline: Some(date!(2026 - 03 - 31)),
        };
        Project::new(
            ProjectId::from_uuid(Uuid::from_u128(1)),
            WorkspaceId::from_uuid(Uuid::from_u128(2)),
            details,
            datetime!(2026-01-01 0:00 UTC),
        )
    }

    #[test]
    fn archived_projects_are_read_only_until_unarchived() {
        let now = datetime!(2026-02-01 0:00 UTC);
        let mut project = project();
        assert_eq!(project.ensure_open(), Ok(()));
        project.set_status(ProjectStatus::Archived, now).expect("active project archives");
        assert_eq!(project.ensure_open(), Err(RuleViolation::ProjectArchived));
        assert_eq!(project.apply_edit(ProjectEdit::default(), now), Err(RuleViolation::ProjectArchived));
        assert_eq!(project.set_status(ProjectStatus::Archived, now), Err(RuleViolation::ProjectAlready("archived")));
        project.set_status(ProjectStatus::Active, now).expect("archived project unarchives");
        assert_eq!(project.ensure_open(), Ok(()));
    }

    #[test]
    fn edits_report_changes() {
        let mut project = project();
        let edit = ProjectEdit { deadline: Some(None), ..ProjectEdit::default() };
        let changes = project.apply_edit(edit, datetime!(2026-02-01 0:00 UTC)).expect("open");
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].before.as_deref(), Some("2026-03-31"));
        assert_eq!(project.details.deadline, None);
    }
}
