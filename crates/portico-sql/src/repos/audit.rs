//! The audit trail: events and their field changes (one query each for any number of events).

use std::collections::HashMap;

use async_trait::async_trait;
use portico_domain::audit::{AuditActor, AuditEvent, AuditSubject, FieldChange};
use portico_domain::ids::{
    ApprovalId, AuditEventId, ClientId, FileId, InvoiceId, MessageId, ProjectId, StaffId, TaskId, WorkspaceId,
};
use portico_ports::repos::AuditRepo;
use portico_ports::{RepoError, RepoResult};
use uuid::Uuid;

use crate::codec::{corrupt, read_enum, user, user_parts};
use crate::columns::{Column, Table};
use crate::engine::{Row, Transaction, Value};
use crate::unit::SqlUnit;

/// How a subject is stored: its kind and id (a workspace is named by its own id).
fn subject_parts(workspace: WorkspaceId, subject: AuditSubject) -> (&'static str, Uuid) {
    match subject {
        AuditSubject::Workspace => ("workspace", workspace.as_uuid()),
        AuditSubject::Staff(id) => ("staff", id.as_uuid()),
        AuditSubject::Client(id) => ("client", id.as_uuid()),
        AuditSubject::Project(id) => ("project", id.as_uuid()),
        AuditSubject::Task(id) => ("task", id.as_uuid()),
        AuditSubject::File(id) => ("file", id.as_uuid()),
        AuditSubject::Message(id) => ("message", id.as_uuid()),
        AuditSubject::Invoice(id) => ("invoice", id.as_uuid()),
        AuditSubject::Approval(id) => ("approval", id.as_uuid()),
    }
}

fn subject(kind: &str, id: Uuid) -> RepoResult<AuditSubject> {
    Ok(match kind {
        "workspace" => AuditSubject::Workspace,
        "staff" => AuditSubject::Staff(StaffId::from_uuid(id)),
        "client" => AuditSubject::Client(ClientId::from_uuid(id)),
        "project" => AuditSubject::Project(ProjectId::from_uuid(id)),
        "task" => AuditSubject::Task(TaskId::from_uuid(id)),
        "file" => AuditSubject::File(FileId::from_uuid(id)),
        "message" => AuditSubject::Message(MessageId::from_uuid(id)),
        "invoice" => AuditSubject::Invoice(InvoiceId::from_uuid(id)),
        "approval" => AuditSubject::Approval(ApprovalId::from_uuid(id)),
        other => return Err(corrupt("subject_kind", format!("unknown kind {other:?}"))),
    })
}

fn event(row: &impl Row) -> RepoResult<AuditEvent> {
    let actor = match row.text("actor_kind")?.as_str() {
        "system" => AuditActor::System,
        _ => AuditActor::User(user(row, "actor_kind", "actor_id")?),
    };
    let related = match row.opt_text("related_kind")? {
        Some(kind) => Some(subject(&kind, row.uuid("related_id")?)?),
        None => None,
    };
    Ok(AuditEvent {
        id: AuditEventId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        at: row.time("at")?,
        actor,
        subject: subject(&row.text("subject_kind")?, row.uuid("subject_id")?)?,
        related,
        action: read_enum(row, "action")?,
        changes: Vec::new(),
    })
}

fn change(row: &impl Row) -> RepoResult<(Uuid, FieldChange)> {
    let change = FieldChange {
        field: row.text("field")?,
        before: row.opt_text("before")?,
        after: row.opt_text("after")?,
        personal: row.bool("personal")?,
    };
    Ok((row.uuid("event_id")?, change))
}

/// The audit events; their field changes live in `audit_changes`, a row each.
static EVENTS: Table<AuditEvent> = Table::new(
    "audit_events",
    &[
        Column::key("workspace_id", |e| e.workspace_id.as_uuid().into()),
        Column::key("id", |e| e.id.as_uuid().into()),
        Column::fixed("at", |e| e.at.into()),
        Column::fixed("actor_kind", |e| match e.actor {
            AuditActor::System => "system".into(),
            AuditActor::User(user) => user_parts(user).0.into(),
        }),
        Column::fixed("actor_id", |e| match e.actor {
            AuditActor::System => Value::OptUuid(None),
            AuditActor::User(user) => Some(user_parts(user).1).into(),
        }),
        Column::fixed("subject_kind", |e| subject_parts(e.workspace_id, e.subject).0.into()),
        Column::fixed("subject_id", |e| subject_parts(e.workspace_id, e.subject).1.into()),
        Column::fixed("related_kind", |e| e.related.map(|r| subject_parts(e.workspace_id, r).0).into()),
        Column::fixed("related_id", |e| e.related.map(|r| subject_parts(e.workspace_id, r).1).into()),
        Column::fixed("action", |e| e.action.as_str().into()),
    ],
);

impl<S: Transaction> SqlUnit<S> {
    /// Writes an event's changes in one statement (a row each), since an event has several:
    /// a new client's has one per field given.
    async fn insert_changes(&mut self, event: &AuditEvent) -> RepoResult<()> {
        if event.changes.is_empty() {
            return Ok(());
        }
        let mut sql = String::from(
            "INSERT INTO audit_changes (workspace_id, event_id, position, field, before, after, personal) VALUES ",
        );
        let mut args = Vec::with_capacity(event.changes.len() * 7);
        for (position, change) in event.changes.iter().enumerate() {
            let first = args.len() + 1;
            let placeholders: Vec<String> = (first..first + 7).map(|n| format!("${n}")).collect();
            if position > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            sql.push_str(&placeholders.join(", "));
            sql.push(')');
            args.extend([
                event.workspace_id.as_uuid().into(),
                event.id.as_uuid().into(),
                i64::try_from(position).map_err(|e| corrupt("position", e))?.into(),
                change.field.as_str().into(),
                Value::from(change.before.clone()),
                Value::from(change.after.clone()),
                change.personal.into(),
            ]);
        }
        self.execute(&sql, args).await.map(drop)
    }
}

#[async_trait]
impl<S: Transaction> AuditRepo for SqlUnit<S> {
    async fn append(&mut self, e: &AuditEvent) -> RepoResult<()> {
        self.execute(EVENTS.insert(), EVENTS.insert_values(e)).await?;
        self.insert_changes(e).await
    }

    async fn for_subject(&mut self, workspace: WorkspaceId, about: AuditSubject) -> RepoResult<Vec<AuditEvent>> {
        let (kind, id) = subject_parts(workspace, about);
        let sql = format!(
            "SELECT {} FROM audit_events WHERE workspace_id = $1 \
             AND ((subject_id = $3 AND subject_kind = $2) OR (related_id = $3 AND related_kind = $2)) \
             ORDER BY at DESC, id DESC",
            EVENTS.select("")
        );
        let mut events = self.all(&sql, vec![workspace.as_uuid().into(), kind.into(), id.into()], event).await?;
        if events.is_empty() {
            return Ok(events);
        }
        let ids: Vec<Uuid> = events.iter().map(|e| e.id.as_uuid()).collect();
        let list = (self.transaction.dialect().in_list)("event_id", 2);
        let sql = format!(
            "SELECT event_id, field, before, after, personal FROM audit_changes WHERE workspace_id = $1 AND {list} \
             ORDER BY event_id, position"
        );
        let mut changes: HashMap<Uuid, Vec<FieldChange>> = HashMap::new();
        for (event_id, change) in self.all(&sql, vec![workspace.as_uuid().into(), ids.into()], change).await? {
            changes.entry(event_id).or_default().push(change);
        }
        for event in &mut events {
            event.changes = changes.remove(&event.id.as_uuid()).unwrap_or_default();
        }
        Ok(events)
    }

    async fn rewrite_changes(&mut self, e: &AuditEvent) -> RepoResult<()> {
        let exists = "SELECT id FROM audit_events WHERE workspace_id = $1 AND id = $2";
        let key = vec![e.workspace_id.as_uuid().into(), e.id.as_uuid().into()];
        self.one(exists, key, |_| Ok(())).await?.ok_or(RepoError::NotFound)?;
        let sql = "DELETE FROM audit_changes WHERE workspace_id = $1 AND event_id = $2";
        self.execute(sql, vec![e.workspace_id.as_uuid().into(), e.id.as_uuid().into()]).await?;
        self.insert_changes(e).await
    }
}
