//! Projects, client assignments and team memberships.

use async_trait::async_trait;
use portico_domain::assignment::{Assignment, Membership};
use portico_domain::ids::{ClientId, ProjectId, StaffId, WorkspaceId};
use portico_domain::project::{Project, ProjectStatus};

use crate::error::RepoResult;
use crate::page::{ListOrder, Page, PageRequest};

/// The order of a project list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProjectOrder {
    /// By name (`name.sort_key()`, then id); cursors carry the name key.
    #[default]
    Name,
    /// The newest first (`created_at` descending, then id descending); cursors carry the
    /// creation instant's [`time_key`](crate::page::time_key).
    Newest,
    /// The nearest deadline first, projects without one last (then by id); cursors carry the
    /// [`date_key`](crate::page::date_key).
    Deadline,
}

impl ListOrder for ProjectOrder {
    const ALL: &'static [Self] = &[Self::Name, Self::Newest, Self::Deadline];

    fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Newest => "newest",
            Self::Deadline => "deadline",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Name => "By name",
            Self::Newest => "Newest first",
            Self::Deadline => "By deadline",
        }
    }
}

impl ProjectOrder {
    /// The cursor key of `project` in this order.
    pub fn key(self, project: &Project) -> String {
        match self {
            Self::Name => project.details.name.sort_key(),
            Self::Newest => crate::page::time_key(project.created_at),
            Self::Deadline => crate::page::date_key(project.details.deadline),
        }
    }
}

/// Which projects to list, in which order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectQuery {
    /// Only projects in this status.
    pub status: Option<ProjectStatus>,
    /// Only projects this staff member is currently on the team of.
    pub team_member: Option<StaffId>,
    /// Case-insensitive substring of the name (blank: no filter).
    pub text: Option<String>,
    /// The order of the list.
    pub order: ProjectOrder,
}

impl ProjectQuery {
    /// The search text of the query, trimmed and lower-cased; `None` when blank.
    pub fn needle(&self) -> Option<String> {
        self.text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_lowercase)
    }

    /// Whether `project`'s name holds the search text: the text every adapter compares
    /// the needle with is the name's sort key (`name.sort_key()`, stored as `name_key`).
    pub fn names(&self, project: &Project) -> bool {
        self.needle().is_none_or(|needle| project.details.name.sort_key().contains(&needle))
    }
}

/// Projects.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ProjectRepo: Send {
    /// Stores a new project.
    ///
    /// # Errors
    /// `Conflict::DuplicateId` when the id exists.
    async fn insert(&mut self, project: &Project) -> RepoResult<()>;

    /// Replaces a project's details and status.
    ///
    /// # Errors
    /// `NotFound` when absent.
    async fn update(&mut self, project: &Project) -> RepoResult<()>;

    /// The project with this id.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get(&mut self, workspace: WorkspaceId, id: ProjectId) -> RepoResult<Option<Project>>;

    /// The projects with these ids that exist, in no particular order.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get_many(&mut self, workspace: WorkspaceId, ids: &[ProjectId]) -> RepoResult<Vec<Project>>;

    /// One page of projects matching `query`, ordered by (name sort key, id).
    ///
    /// # Errors
    /// `InvalidCursor` for a cursor this adapter cannot read.
    async fn search(
        &mut self,
        workspace: WorkspaceId,
        query: &ProjectQuery,
        page: &PageRequest,
    ) -> RepoResult<Page<Project>>;

    /// How many projects match `query` in all: the length of every page of
    /// [`search`](Self::search) together.
    ///
    /// # Errors
    /// Only storage failures.
    async fn count(&mut self, workspace: WorkspaceId, query: &ProjectQuery) -> RepoResult<u64>;

    /// Every project of the workspace, in search order. For reports.
    ///
    /// # Errors
    /// Only storage failures.
    async fn list_all(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Project>>;
}

/// Client assignments to projects, with history. Rows are ended, never deleted.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AssignmentRepo: Send {
    /// Stores a new assignment.
    ///
    /// # Errors
    /// MUST return `Conflict::AlreadyAssigned` when a current assignment of the same client to
    /// the same project exists; `Conflict::DuplicateId` when the id exists.
    async fn insert(&mut self, assignment: &Assignment) -> RepoResult<()>;

    /// Replaces an assignment's scope and tenure (to narrow it or end it).
    ///
    /// # Errors
    /// `NotFound` when absent.
    async fn update(&mut self, assignment: &Assignment) -> RepoResult<()>;

    /// The current assignment of `client` to `project`.
    ///
    /// # Errors
    /// Only storage failures.
    async fn current(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
        client: ClientId,
    ) -> RepoResult<Option<Assignment>>;

    /// The current assignments of `client`, oldest first.
    ///
    /// # Errors
    /// Only storage failures.
    async fn current_for_client(&mut self, workspace: WorkspaceId, client: ClientId) -> RepoResult<Vec<Assignment>>;

    /// The current assignments to `project`, oldest first.
    ///
    /// # Errors
    /// Only storage failures.
    async fn current_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Assignment>>;

    /// Every assignment of `client`, current and ended, oldest first.
    ///
    /// # Errors
    /// Only storage failures.
    async fn history_for_client(&mut self, workspace: WorkspaceId, client: ClientId) -> RepoResult<Vec<Assignment>>;

    /// Every current assignment of the workspace. For reports.
    ///
    /// # Errors
    /// Only storage failures.
    async fn all_current(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Assignment>>;
}

/// Staff memberships of project teams, with history. Rows are ended, never deleted.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait MembershipRepo: Send {
    /// Stores a new membership.
    ///
    /// # Errors
    /// MUST return `Conflict::AlreadyAssigned` when a current membership of the same person in
    /// the same project exists; `Conflict::DuplicateId` when the id exists.
    async fn insert(&mut self, membership: &Membership) -> RepoResult<()>;

    /// Replaces a membership's tenure (to end it).
    ///
    /// # Errors
    /// `NotFound` when absent.
    async fn update(&mut self, membership: &Membership) -> RepoResult<()>;

    /// The current membership of `staff` in `project`.
    ///
    /// # Errors
    /// Only storage failures.
    async fn current(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
        staff: StaffId,
    ) -> RepoResult<Option<Membership>>;

    /// The current team of `project`, oldest first.
    ///
    /// # Errors
    /// Only storage failures.
    async fn current_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Membership>>;
}
