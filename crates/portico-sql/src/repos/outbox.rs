//! The email outbox: one row a message, its content and delivery state in columns.

use async_trait::async_trait;
use portico_domain::email::EmailAddress;
use portico_domain::ids::{OutboxId, ProjectId, WorkspaceId};
use portico_domain::mail::{DeliveryState, LinkSecret, MailContent, OutboxMessage, SealedSecret};
use portico_domain::staff::UserRef;
use portico_domain::text::{PersonName, ProjectName};
use portico_domain::token::TokenPurpose;
use portico_ports::repos::OutboxRepo;
use portico_ports::{Page, PageRequest, RepoResult, time_key};
use time::OffsetDateTime;

use super::{Order, keyset, page_of};
use crate::codec::{corrupt, read, user, user_parts, valid};
use crate::engine::{Row, Transaction, Value};
use crate::query::Query;
use crate::unit::{SqlUnit, changed};

const OUTBOX_COLUMNS: &str = "id, workspace_id, about_kind, about_id, to_email, to_name, content_kind, sealed_link, \
    expires_at, old_email, new_email, project_id, project_name, state, lease_until, sent_at, reply, \
    next_attempt_at, error, attempts, created_at";

fn required<T>(column: &str, value: Option<T>) -> RepoResult<T> {
    value.ok_or_else(|| corrupt(column, "missing"))
}

/// A nullable text column that this kind of message requires, parsed.
fn required_text<T, E: std::fmt::Display>(
    row: &impl Row,
    column: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> RepoResult<T> {
    valid(column, parse(&required(column, row.opt_text(column)?)?))
}

fn content(row: &impl Row) -> RepoResult<MailContent> {
    Ok(match row.text("content_kind")?.as_str() {
        kind @ ("invitation" | "password_reset") => {
            let purpose = if kind == "invitation" { TokenPurpose::Invitation } else { TokenPurpose::PasswordReset };
            let link = match row.opt_text("sealed_link")? {
                Some(hex) => LinkSecret::Sealed(valid("sealed_link", SealedSecret::from_hex(&hex))?),
                None => LinkSecret::Erased,
            };
            MailContent::with_link(purpose, link, required("expires_at", row.opt_time("expires_at")?)?)
        }
        "email_changed" => MailContent::EmailChanged {
            old: required_text(row, "old_email", EmailAddress::parse)?,
            new: required_text(row, "new_email", EmailAddress::parse)?,
        },
        "added_to_project" => MailContent::AddedToProject {
            project_id: ProjectId::from_uuid(required("project_id", row.opt_uuid("project_id")?)?),
            project_name: required_text(row, "project_name", ProjectName::parse)?,
        },
        other => return Err(corrupt("content_kind", format!("unknown kind {other:?}"))),
    })
}

fn state(row: &impl Row) -> RepoResult<DeliveryState> {
    let error = || -> RepoResult<String> { required("error", row.opt_text("error")?) };
    Ok(match row.text("state")?.as_str() {
        "queued" => DeliveryState::Queued,
        "held" => DeliveryState::Held,
        "sending" => DeliveryState::Sending { lease_until: required("lease_until", row.opt_time("lease_until")?)? },
        "sent" => DeliveryState::Sent {
            at: required("sent_at", row.opt_time("sent_at")?)?,
            reply: required("reply", row.opt_text("reply")?)?,
        },
        "retrying" => DeliveryState::Retrying {
            next_attempt_at: required("next_attempt_at", row.opt_time("next_attempt_at")?)?,
            error: error()?,
        },
        "dead" => DeliveryState::Dead { error: error()? },
        other => return Err(corrupt("state", format!("unknown state {other:?}"))),
    })
}

fn message(row: &impl Row) -> RepoResult<OutboxMessage> {
    let about = match row.opt_text("about_kind")? {
        Some(_) => Some(user(row, "about_kind", "about_id")?),
        None => None,
    };
    Ok(OutboxMessage {
        id: OutboxId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        about,
        to: read(row, "to_email", EmailAddress::parse)?,
        to_name: read(row, "to_name", PersonName::parse)?,
        content: content(row)?,
        state: state(row)?,
        attempts: u32::try_from(row.int("attempts")?).map_err(|e| corrupt("attempts", e))?,
        created_at: row.time("created_at")?,
    })
}

/// The state columns: `state`, `lease_until`, `sent_at`, `reply`, `next_attempt_at`, `error`.
fn state_values(state: &DeliveryState) -> [Value; 6] {
    let (no_time, no_text) = (|| Value::OptTime(None), || Value::OptText(None));
    let name = state.as_str().into();
    match state {
        DeliveryState::Queued | DeliveryState::Held => [name, no_time(), no_time(), no_text(), no_time(), no_text()],
        DeliveryState::Sending { lease_until } => {
            [name, (*lease_until).into(), no_time(), no_text(), no_time(), no_text()]
        }
        DeliveryState::Sent { at, reply } => {
            [name, no_time(), (*at).into(), reply.as_str().into(), no_time(), no_text()]
        }
        DeliveryState::Retrying { next_attempt_at, error } => {
            [name, no_time(), no_time(), no_text(), (*next_attempt_at).into(), error.as_str().into()]
        }
        DeliveryState::Dead { error } => [name, no_time(), no_time(), no_text(), no_time(), error.as_str().into()],
    }
}

/// The content columns: `content_kind`, `sealed_link`, `expires_at`, `old_email`, `new_email`, `project_id`,
/// `project_name`.
fn content_values(content: &MailContent) -> [Value; 7] {
    let (sealed, expires_at, old, new, project, name) = match content {
        MailContent::Invitation { expires_at, .. } | MailContent::PasswordReset { expires_at, .. } => {
            (content.sealed_link().map(SealedSecret::to_hex), Some(*expires_at), None, None, None, None)
        }
        MailContent::EmailChanged { old, new } => (None, None, Some(old.as_str()), Some(new.as_str()), None, None),
        MailContent::AddedToProject { project_id, project_name } => {
            (None, None, None, None, Some(project_id.as_uuid()), Some(project_name.as_str()))
        }
    };
    [content.kind().into(), sealed.into(), expires_at.into(), old.into(), new.into(), project.into(), name.into()]
}

/// `WHERE` and order of a person's log, newest first.
const NEWEST_FIRST: &str = " ORDER BY created_at DESC, id DESC";

#[async_trait]
impl<S: Transaction> OutboxRepo for SqlUnit<S> {
    async fn enqueue(&mut self, m: &OutboxMessage) -> RepoResult<()> {
        let (about_kind, about_id) = match m.about.map(user_parts) {
            Some((kind, id)) => (Some(kind), Some(id)),
            None => (None, None),
        };
        let sql = "INSERT INTO outbox (workspace_id, id, about_kind, about_id, to_email, to_name, content_kind, sealed_link, \
            expires_at, old_email, new_email, project_id, project_name, state, lease_until, sent_at, reply, \
            next_attempt_at, error, attempts, created_at) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)";
        let mut args = vec![
            m.workspace_id.as_uuid().into(),
            m.id.as_uuid().into(),
            Value::from(about_kind),
            about_id.into(),
            m.to.as_str().into(),
            m.to_name.as_str().into(),
        ];
        args.extend(content_values(&m.content));
        args.extend(state_values(&m.state));
        args.extend([i64::from(m.attempts).into(), m.created_at.into()]);
        self.execute(sql, args).await.map(drop)
    }

    async fn update(&mut self, m: &OutboxMessage) -> RepoResult<()> {
        let sql = "UPDATE outbox SET to_email = $3, to_name = $4, content_kind = $5, sealed_link = $6, expires_at = $7, \
            old_email = $8, new_email = $9, project_id = $10, project_name = $11, state = $12, lease_until = $13, \
            sent_at = $14, reply = $15, next_attempt_at = $16, error = $17, attempts = $18 \
            WHERE workspace_id = $1 AND id = $2";
        let mut args = vec![
            m.workspace_id.as_uuid().into(),
            m.id.as_uuid().into(),
            m.to.as_str().into(),
            m.to_name.as_str().into(),
        ];
        args.extend(content_values(&m.content));
        args.extend(state_values(&m.state));
        args.push(i64::from(m.attempts).into());
        changed(self.execute(sql, args).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: OutboxId) -> RepoResult<Option<OutboxMessage>> {
        let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE workspace_id = $1 AND id = $2");
        self.one(&sql, vec![workspace.as_uuid().into(), id.as_uuid().into()], message).await
    }

    async fn about(&mut self, workspace: WorkspaceId, person: UserRef) -> RepoResult<Vec<OutboxMessage>> {
        let (kind, id) = user_parts(person);
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE workspace_id = $1 AND about_id = $2 AND about_kind = $3{NEWEST_FIRST}"
        );
        self.all(&sql, vec![workspace.as_uuid().into(), id.into(), kind.into()], message).await
    }

    async fn list(&mut self, workspace: WorkspaceId, page: &PageRequest) -> RepoResult<Page<OutboxMessage>> {
        let mut sql = Query::new(&format!("SELECT {OUTBOX_COLUMNS} FROM outbox"));
        let ws = sql.arg(workspace.as_uuid());
        sql.push(&format!(" WHERE workspace_id = {ws}"));
        // The cursor's sort key is the time key of `created_at`; compare instants, not text.
        if let Some(after) = &page.after {
            let nanos: i128 = after.sort_key.parse().map_err(|_| portico_ports::RepoError::InvalidCursor)?;
            let at = OffsetDateTime::from_unix_timestamp_nanos(nanos)
                .map_err(|_| portico_ports::RepoError::InvalidCursor)?;
            let (at, id) = (sql.arg(at), sql.arg(after.id));
            sql.push(&format!(" AND (created_at, id) < ({at}, {id})"));
        }
        let unpaged = PageRequest::new(None, page.limit());
        keyset(&mut sql, &unpaged, "created_at", "id", Order::Descending);
        let rows = self.all(&sql.sql, sql.args, message).await?;
        Ok(page_of(rows, page, |m| (time_key(m.created_at), m.id.as_uuid())))
    }

    async fn claim_due(
        &mut self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        with_mailer: bool,
        limit: usize,
    ) -> RepoResult<Vec<OutboxMessage>> {
        // The due rule of `OutboxMessage::is_due`, as a query over every workspace.
        let lock = self.transaction.dialect().claim_lock;
        let sql = format!(
            "UPDATE outbox SET state = 'sending', lease_until = $2 WHERE (workspace_id, id) IN (\
             SELECT workspace_id, id FROM outbox WHERE state = 'queued' OR (state = 'held' AND $3) \
             OR (state = 'retrying' AND next_attempt_at <= $1) OR (state = 'sending' AND lease_until <= $1) \
             ORDER BY created_at, id LIMIT $4{lock}) RETURNING {OUTBOX_COLUMNS}"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut claimed =
            self.all(&sql, vec![now.into(), lease_until.into(), with_mailer.into(), limit.into()], message).await?;
        claimed.sort_by_key(|m| (m.created_at, m.id));
        Ok(claimed)
    }

    async fn finish(&mut self, m: &OutboxMessage, lease_until: OffsetDateTime) -> RepoResult<bool> {
        let sql = "UPDATE outbox SET state = $3, lease_until = $4, sent_at = $5, reply = $6, next_attempt_at = $7, \
            error = $8, attempts = $9, sealed_link = CASE WHEN $11 THEN NULL ELSE sealed_link END \
            WHERE workspace_id = $1 AND id = $2 AND state = 'sending' AND lease_until = $10";
        let mut args = vec![m.workspace_id.as_uuid().into(), m.id.as_uuid().into()];
        args.extend(state_values(&m.state));
        args.extend([i64::from(m.attempts).into(), lease_until.into(), (!m.keeps_link(None)).into()]);
        Ok(self.execute(sql, args).await? == 1)
    }

    async fn erase_link(&mut self, workspace: WorkspaceId, id: OutboxId) -> RepoResult<()> {
        let sql =
            "UPDATE outbox SET sealed_link = NULL WHERE workspace_id = $1 AND id = $2 AND sealed_link IS NOT NULL";
        self.execute(sql, vec![workspace.as_uuid().into(), id.as_uuid().into()]).await.map(drop)
    }

    async fn dead(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<OutboxMessage>> {
        let sql =
            format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE workspace_id = $1 AND state = 'dead'{NEWEST_FIRST}");
        self.all(&sql, vec![workspace.as_uuid().into()], message).await
    }
}
