//! Workspaces in memory.

use async_trait::async_trait;
use portico_domain::ids::WorkspaceId;
use portico_domain::workspace::Workspace;
use portico_ports::repos::WorkspaceRepo;
use portico_ports::{Conflict, RepoError, RepoResult};

use super::MemoryUnit;

#[async_trait]
impl WorkspaceRepo for MemoryUnit {
    async fn insert(&mut self, workspace: &Workspace) -> RepoResult<()> {
        if self.state_mut().workspaces.iter().any(|w| w.id == workspace.id) {
            return Err(Conflict::DuplicateId.into());
        }
        self.state_mut().workspaces.push(workspace.clone());
        Ok(())
    }

    async fn update(&mut self, workspace: &Workspace) -> RepoResult<()> {
        let existing =
            self.state_mut().workspaces.iter_mut().find(|w| w.id == workspace.id).ok_or(RepoError::NotFound)?;
        *existing = workspace.clone();
        Ok(())
    }

    async fn get(&mut self, id: WorkspaceId) -> RepoResult<Option<Workspace>> {
        Ok(self.state().workspaces.iter().find(|w| w.id == id).cloned())
    }

    async fn list(&mut self) -> RepoResult<Vec<Workspace>> {
        let mut all = self.state().workspaces.clone();
        all.sort_by_key(|w| (w.created_at, w.id));
        Ok(all)
    }
}
