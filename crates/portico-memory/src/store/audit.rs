//! The audit trail in memory.

use async_trait::async_trait;
use portico_domain::audit::{AuditEvent, AuditSubject};
use portico_domain::ids::WorkspaceId;
use portico_ports::repos::AuditRepo;
use portico_ports::{Conflict, RepoError, RepoResult};

use super::MemoryUnit;

#[async_trait]
impl AuditRepo for MemoryUnit {
    async fn append(&mut self, event: &AuditEvent) -> RepoResult<()> {
        if self.state_mut().audit.iter().any(|e| e.id == event.id) {
            return Err(Conflict::DuplicateId.into());
        }
        self.state_mut().audit.push(event.clone());
        Ok(())
    }

    async fn for_subject(&mut self, workspace: WorkspaceId, subject: AuditSubject) -> RepoResult<Vec<AuditEvent>> {
        let mut events: Vec<AuditEvent> = self
            .state()
            .audit
            .iter()
            .filter(|e| e.workspace_id == workspace && (e.subject == subject || e.related == Some(subject)))
            .cloned()
            .collect();
        events.sort_by_key(|e| std::cmp::Reverse((e.at, e.id)));
        Ok(events)
    }

    async fn rewrite_changes(&mut self, event: &AuditEvent) -> RepoResult<()> {
        let stored = self
            .state_mut()
            .audit
            .iter_mut()
            .find(|e| e.id == event.id && e.workspace_id == event.workspace_id)
            .ok_or(RepoError::NotFound)?;
        stored.changes.clone_from(&event.changes);
        Ok(())
    }
}
