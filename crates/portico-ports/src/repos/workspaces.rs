//! Workspaces: the tenants every other record belongs to.

use async_trait::async_trait;
use portico_domain::ids::WorkspaceId;
use portico_domain::workspace::Workspace;

use crate::error::RepoResult;

/// Workspaces (tenants).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait WorkspaceRepo: Send {
    /// Stores a new workspace.
    ///
    /// # Errors
    /// MUST return `Conflict::DuplicateId` when the id exists.
    async fn insert(&mut self, workspace: &Workspace) -> RepoResult<()>;

    /// Replaces a workspace's name and settings.
    ///
    /// # Errors
    /// MUST return `NotFound` when it does not exist.
    async fn update(&mut self, workspace: &Workspace) -> RepoResult<()>;

    /// The workspace with this id.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get(&mut self, id: WorkspaceId) -> RepoResult<Option<Workspace>>;

    /// Every workspace, oldest first.
    ///
    /// # Errors
    /// Only storage failures.
    async fn list(&mut self) -> RepoResult<Vec<Workspace>>;
}
