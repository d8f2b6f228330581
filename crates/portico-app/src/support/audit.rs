//! The audit trail, written in the unit of work of the change it records.

use portico_domain::audit::{AuditAction, AuditActor, AuditEvent, AuditSubject, FieldChange};
use portico_domain::ids::AuditEventId;

use crate::error::AppResult;
use crate::support::Work;

impl Work {
    /// Appends an audit event.
    pub(crate) async fn audit(
        &mut self,
        actor: AuditActor,
        subject: AuditSubject,
        related: Option<AuditSubject>,
        action: AuditAction,
        changes: Vec<FieldChange>,
    ) -> AppResult<()> {
        let event = AuditEvent {
            id: self.new_id(AuditEventId::from_uuid),
            workspace_id: self.workspace(),
            at: self.now,
            actor,
            subject,
            related,
            action,
            changes,
        };
        self.uow.audit().append(&event).await?;
        Ok(())
    }
}
