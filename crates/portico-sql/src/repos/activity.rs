//! Activity events, notices and notification choices: a row each.

use std::fmt::Write as _;

use async_trait::async_trait;
use portico_domain::activity::{ActivityEvent, Delivery, FeedMark, NoticeState, Notification, Preferences};
use portico_domain::ids::{
    ActivityId, ApprovalId, FileId, InvoiceId, MessageId, NotificationId, ProjectId, TaskId, WorkspaceId,
};
use portico_domain::staff::UserRef;
use portico_domain::world::ItemRef;
use portico_ports::RepoResult;
use portico_ports::repos::{ActivityRepo, DueRecipient, FeedQuery, FeedScope, NotificationRepo, PreferenceRepo};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::codec::{choices, choices_text, corrupt, user, user_parts};
use crate::columns::{Column, INSERT_BATCH, Table};
use crate::engine::{Row, Transaction, Value};
use crate::unit::SqlUnit;

/// How an item is stored: its kind and id.
fn item_parts(item: ItemRef) -> (&'static str, Uuid) {
    match item {
        ItemRef::Project(id) => ("project", id.as_uuid()),
        ItemRef::Task(id) => ("task", id.as_uuid()),
        ItemRef::File(id) => ("file", id.as_uuid()),
        ItemRef::Message(id) => ("message", id.as_uuid()),
        ItemRef::Approval(id) => ("approval", id.as_uuid()),
        ItemRef::Invoice(id) => ("invoice", id.as_uuid()),
    }
}

fn item(row: &impl Row) -> RepoResult<ItemRef> {
    let id = row.uuid("item_id")?;
    Ok(match row.text("item_kind")?.as_str() {
        "project" => ItemRef::Project(ProjectId::from_uuid(id)),
        "task" => ItemRef::Task(TaskId::from_uuid(id)),
        "file" => ItemRef::File(FileId::from_uuid(id)),
        "message" => ItemRef::Message(MessageId::from_uuid(id)),
        "approval" => ItemRef::Approval(ApprovalId::from_uuid(id)),
        "invoice" => ItemRef::Invoice(InvoiceId::from_uuid(id)),
        other => return Err(corrupt("item_kind", format!("unknown kind {other:?}"))),
    })
}

/// A stored name of one of the domain's named values, read back.
fn named<T>(row: &impl Row, column: &str, from_name: fn(&str) -> Option<T>) -> RepoResult<T> {
    let text = row.text(column)?;
    from_name(&text).ok_or_else(|| corrupt(column, format!("unknown name {text:?}")))
}

static EVENTS: Table<ActivityEvent> = Table::new(
    "activity",
    &[
        Column::key("workspace_id", |e| e.workspace_id.as_uuid().into()),
        Column::key("id", |e| e.id.as_uuid().into()),
        Column::fixed("project_id", |e| e.project_id.map(|p| p.as_uuid()).into()),
        Column::fixed("actor_kind", |e| user_parts(e.actor).0.into()),
        Column::fixed("actor_id", |e| user_parts(e.actor).1.into()),
        Column::fixed("kind", |e| e.kind.as_str().into()),
        Column::fixed("item_kind", |e| item_parts(e.item).0.into()),
        Column::fixed("item_id", |e| item_parts(e.item).1.into()),
        Column::fixed("at", |e| e.at.into()),
    ],
);

fn event(row: &impl Row) -> RepoResult<ActivityEvent> {
    Ok(ActivityEvent {
        id: ActivityId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        project_id: row.opt_uuid("project_id")?.map(ProjectId::from_uuid),
        actor: user(row, "actor_kind", "actor_id")?,
        kind: named(row, "kind", portico_domain::activity::ActivityKind::from_name)?,
        item: item(row)?,
        at: row.time("at")?,
    })
}

static NOTICES: Table<Notification> = Table::new(
    "notifications",
    &[
        Column::key("workspace_id", |n| n.workspace_id.as_uuid().into()),
        Column::key("id", |n| n.id.as_uuid().into()),
        Column::fixed("activity_id", |n| n.event_id.as_uuid().into()),
        Column::fixed("recipient_kind", |n| user_parts(n.recipient).0.into()),
        Column::fixed("recipient_id", |n| user_parts(n.recipient).1.into()),
        Column::fixed("delivery", |n| n.delivery.as_str().into()),
        Column::fixed("due_at", |n| n.due_at.into()),
        Column::field("state", |n| n.state.as_str().into()),
    ],
);

fn notice(row: &impl Row) -> RepoResult<Notification> {
    Ok(Notification {
        id: NotificationId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        event_id: ActivityId::from_uuid(row.uuid("activity_id")?),
        recipient: user(row, "recipient_kind", "recipient_id")?,
        delivery: named(row, "delivery", Delivery::from_name)?,
        due_at: row.time("due_at")?,
        state: named(row, "state", NoticeState::from_name)?,
    })
}

fn preferences(row: &impl Row) -> RepoResult<(UserRef, Preferences)> {
    let chosen = choices("chosen", &row.text("chosen")?)?.into_iter().collect();
    let preferences = Preferences { chosen, all_projects: row.bool("all_projects")? };
    Ok((user(row, "user_kind", "user_id")?, preferences))
}

const NOTICE_COLUMNS: &str = "workspace_id, id, activity_id, recipient_kind, recipient_id, delivery, due_at, state";

#[async_trait]
impl<S: Transaction> ActivityRepo for SqlUnit<S> {
    async fn insert(&mut self, event: &ActivityEvent) -> RepoResult<()> {
        self.execute(EVENTS.insert(), EVENTS.insert_values(event)).await.map(drop)
    }

    async fn get_many(&mut self, workspace: WorkspaceId, ids: &[ActivityId]) -> RepoResult<Vec<ActivityEvent>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = (self.transaction.dialect().in_list)("id", 2);
        let sql =
            format!("SELECT {} FROM activity WHERE workspace_id = $1 AND {list} ORDER BY at, id", EVENTS.select(""));
        let ids: Vec<Uuid> = ids.iter().map(ActivityId::as_uuid).collect();
        self.all(&sql, vec![workspace.as_uuid().into(), ids.into()], event).await
    }

    async fn feed(&mut self, workspace: WorkspaceId, query: &FeedQuery) -> RepoResult<Vec<ActivityEvent>> {
        // Writing to a String cannot fail.
        let mut sql = format!("SELECT {} FROM activity WHERE workspace_id = $1", EVENTS.select(""));
        let mut args: Vec<Value> = vec![workspace.as_uuid().into()];
        if let FeedScope::Projects { ids, unscoped } = &query.scope {
            args.push(ids.iter().map(ProjectId::as_uuid).collect::<Vec<_>>().into());
            let list = (self.transaction.dialect().in_list)("project_id", args.len());
            let or_none = if *unscoped { " OR project_id IS NULL" } else { "" };
            let _ = write!(sql, " AND ({list}{or_none})");
        }
        for (mark, side) in [(query.before, '<'), (query.after, '>')] {
            if let Some(mark) = mark {
                args.extend([mark.at.into(), mark.id.as_uuid().into()]);
                let (at, id) = (args.len() - 1, args.len());
                let _ = write!(sql, " AND (at {side} ${at} OR (at = ${at} AND id {side} ${id}))");
            }
        }
        args.push(i64::try_from(query.limit).unwrap_or(i64::MAX).into());
        let _ = write!(sql, " ORDER BY at DESC, id DESC LIMIT ${}", args.len());
        self.all(&sql, args, event).await
    }

    async fn read_mark(&mut self, workspace: WorkspaceId, who: UserRef) -> RepoResult<Option<FeedMark>> {
        let (kind, id) = user_parts(who);
        let sql = "SELECT up_to_at, up_to_id FROM activity_reads \
            WHERE workspace_id = $1 AND user_kind = $2 AND user_id = $3";
        let marks = self
            .all(sql, vec![workspace.as_uuid().into(), kind.into(), id.into()], |row| {
                Ok(FeedMark { at: row.time("up_to_at")?, id: ActivityId::from_uuid(row.uuid("up_to_id")?) })
            })
            .await?;
        Ok(marks.into_iter().next())
    }

    async fn advance_read_mark(&mut self, workspace: WorkspaceId, who: UserRef, mark: FeedMark) -> RepoResult<()> {
        let (kind, id) = user_parts(who);
        // The row's lock orders racing marks; the WHERE keeps whichever is later.
        let sql = "INSERT INTO activity_reads (workspace_id, user_kind, user_id, up_to_at, up_to_id) \
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id, user_kind, user_id) \
            DO UPDATE SET up_to_at = excluded.up_to_at, up_to_id = excluded.up_to_id \
            WHERE activity_reads.up_to_at < excluded.up_to_at \
            OR (activity_reads.up_to_at = excluded.up_to_at AND activity_reads.up_to_id < excluded.up_to_id)";
        let args: Vec<Value> =
            vec![workspace.as_uuid().into(), kind.into(), id.into(), mark.at.into(), mark.id.as_uuid().into()];
        self.execute(sql, args).await.map(drop)
    }
}

#[async_trait]
impl<S: Transaction> NotificationRepo for SqlUnit<S> {
    async fn insert(&mut self, notices: &[Notification]) -> RepoResult<()> {
        for batch in notices.chunks(INSERT_BATCH) {
            let (sql, args) = NOTICES.insert_many(batch);
            self.execute(&sql, args).await?;
        }
        Ok(())
    }

    async fn due_recipients(&mut self, now: OffsetDateTime, limit: usize) -> RepoResult<Vec<DueRecipient>> {
        let sql = "SELECT workspace_id, recipient_kind, recipient_id, MIN(due_at) AS first_due FROM notifications \
            WHERE state = 'pending' AND due_at <= $1 \
            GROUP BY workspace_id, recipient_kind, recipient_id ORDER BY first_due, recipient_id LIMIT $2";
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.all(sql, vec![now.into(), limit.into()], |row| {
            Ok(DueRecipient {
                workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
                user: user(row, "recipient_kind", "recipient_id")?,
            })
        })
        .await
    }

    async fn pending_for(&mut self, workspace: WorkspaceId, who: UserRef) -> RepoResult<Vec<Notification>> {
        let (kind, id) = user_parts(who);
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM notifications WHERE workspace_id = $1 AND recipient_id = $2 \
             AND recipient_kind = $3 AND state = 'pending' ORDER BY due_at, id"
        );
        self.all(&sql, vec![workspace.as_uuid().into(), id.into(), kind.into()], notice).await
    }

    async fn settle(
        &mut self,
        workspace: WorkspaceId,
        ids: &[NotificationId],
        state: NoticeState,
    ) -> RepoResult<usize> {
        if ids.is_empty() {
            return Ok(0);
        }
        let list = (self.transaction.dialect().in_list)("id", 3);
        let sql =
            format!("UPDATE notifications SET state = $2 WHERE workspace_id = $1 AND {list} AND state = 'pending'");
        let ids: Vec<Uuid> = ids.iter().map(NotificationId::as_uuid).collect();
        let settled = self.execute(&sql, vec![workspace.as_uuid().into(), state.as_str().into(), ids.into()]).await?;
        Ok(usize::try_from(settled).unwrap_or(usize::MAX))
    }
}

#[async_trait]
impl<S: Transaction> PreferenceRepo for SqlUnit<S> {
    async fn get_many(&mut self, workspace: WorkspaceId, users: &[UserRef]) -> RepoResult<Vec<(UserRef, Preferences)>> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        let list = (self.transaction.dialect().in_list)("user_id", 2);
        let sql = format!(
            "SELECT user_kind, user_id, chosen, all_projects FROM notification_preferences \
             WHERE workspace_id = $1 AND {list}"
        );
        let ids: Vec<Uuid> = users.iter().map(|u| user_parts(*u).1).collect();
        let found = self.all(&sql, vec![workspace.as_uuid().into(), ids.into()], preferences).await?;
        Ok(found.into_iter().filter(|(user, _)| users.contains(user)).collect())
    }

    async fn put(&mut self, workspace: WorkspaceId, who: UserRef, preferences: &Preferences) -> RepoResult<()> {
        let (kind, id) = user_parts(who);
        let sql = "INSERT INTO notification_preferences (workspace_id, user_kind, user_id, chosen, all_projects) \
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id, user_kind, user_id) \
            DO UPDATE SET chosen = excluded.chosen, all_projects = excluded.all_projects";
        let args: Vec<Value> = vec![
            workspace.as_uuid().into(),
            kind.into(),
            id.into(),
            choices_text(preferences.chosen.iter().map(|(c, d)| (*c, *d))).into(),
            Value::Bool(preferences.all_projects),
        ];
        self.execute(sql, args).await.map(drop)
    }
}
