//! The email outbox: one row a message, its content and delivery state in columns.

use std::sync::LazyLock;

use async_trait::async_trait;
use portico_domain::activity::{ActivityKind, Category};
use portico_domain::email::EmailAddress;
use portico_domain::ids::{InvoiceId, OutboxId, PaymentId, ProjectId, WorkspaceId};
use portico_domain::invoice::{InvoiceNumber, Letter};
use portico_domain::mail::{DeliveryState, LinkSecret, MailContent, NoticeLine, OutboxMessage, SealedSecret};
use portico_domain::staff::UserRef;
use portico_domain::text::{PersonName, ProjectName};
use portico_domain::token::TokenPurpose;
use portico_ports::repos::OutboxRepo;
use portico_ports::{Page, PageRequest, RepoResult, time_key};
use time::OffsetDateTime;

use super::{newest_first, page_of};
use crate::codec::{corrupt, read, user, user_parts, valid};
use crate::columns::{Column, Table, assignments};
use crate::engine::{Row, Transaction};
use crate::query::Query;
use crate::unit::{SqlUnit, changed};

/// The outbox table: who a message is about and to, its content (the columns its kind uses),
/// and its delivery state (the columns its state uses).
static OUTBOX: Table<OutboxMessage> = Table::new(
    "outbox",
    &[
        Column::key("workspace_id", |m| m.workspace_id.as_uuid().into()),
        Column::key("id", |m| m.id.as_uuid().into()),
        Column::fixed("about_kind", |m| m.about.map(|about| user_parts(about).0).into()),
        Column::fixed("about_id", |m| m.about.map(|about| user_parts(about).1).into()),
        Column::field("to_email", |m| m.to.as_str().into()),
        Column::field("to_name", |m| m.to_name.as_str().into()),
        Column::field("content_kind", |m| m.content.kind().into()),
        Column::field("sealed_link", |m| m.content.sealed_link().map(SealedSecret::to_hex).into()),
        Column::field("expires_at", |m| {
            match &m.content {
                MailContent::Invitation { expires_at, .. } | MailContent::PasswordReset { expires_at, .. } => {
                    Some(*expires_at)
                }
                MailContent::EmailChanged { .. }
                | MailContent::AddedToProject { .. }
                | MailContent::Notice { .. }
                | MailContent::Invoice { .. } => None,
            }
            .into()
        }),
        Column::field("old_email", |m| {
            match &m.content {
                MailContent::EmailChanged { old, .. } => Some(old.as_str()),
                _ => None,
            }
            .into()
        }),
        Column::field("new_email", |m| {
            match &m.content {
                MailContent::EmailChanged { new, .. } => Some(new.as_str()),
                _ => None,
            }
            .into()
        }),
        Column::field("project_id", |m| {
            match &m.content {
                MailContent::AddedToProject { project_id, .. } => Some(project_id.as_uuid()),
                _ => None,
            }
            .into()
        }),
        Column::field("project_name", |m| {
            match &m.content {
                MailContent::AddedToProject { project_name, .. } => Some(project_name.as_str()),
                _ => None,
            }
            .into()
        }),
        Column::field("notice_lines", |m| {
            match &m.content {
                MailContent::Notice { lines, .. } => Some(notice_text(lines)),
                _ => None,
            }
            .into()
        }),
        Column::field("invoice_id", |m| {
            match &m.content {
                MailContent::Invoice { invoice_id, .. } => Some(invoice_id.as_uuid()),
                _ => None,
            }
            .into()
        }),
        Column::field("invoice_number", |m| {
            match &m.content {
                MailContent::Invoice { number, .. } => Some(number.as_str()),
                _ => None,
            }
            .into()
        }),
        Column::field("reminder_days", |m| {
            match &m.content {
                MailContent::Invoice { letter: Letter::Reminder { days }, .. } => Some(i64::from(*days)),
                _ => None,
            }
            .into()
        }),
        Column::field("payment_id", |m| {
            match &m.content {
                MailContent::Invoice { letter: Letter::Receipt { payment }, .. } => Some(payment.as_uuid()),
                _ => None,
            }
            .into()
        }),
        Column::field("state", |m| m.state.as_str().into()),
        Column::field("lease_until", |m| {
            match &m.state {
                DeliveryState::Sending { lease_until } => Some(*lease_until),
                _ => None,
            }
            .into()
        }),
        Column::field("sent_at", |m| {
            match &m.state {
                DeliveryState::Sent { at, .. } => Some(*at),
                _ => None,
            }
            .into()
        }),
        Column::field("reply", |m| {
            match &m.state {
                DeliveryState::Sent { reply, .. } => Some(reply.as_str()),
                _ => None,
            }
            .into()
        }),
        Column::field("next_attempt_at", |m| {
            match &m.state {
                DeliveryState::Retrying { next_attempt_at, .. } => Some(*next_attempt_at),
                _ => None,
            }
            .into()
        }),
        Column::field("error", |m| {
            match &m.state {
                DeliveryState::Retrying { error, .. } | DeliveryState::Dead { error } => Some(error.as_str()),
                _ => None,
            }
            .into()
        }),
        Column::field("attempts", |m| i64::from(m.attempts).into()),
        Column::fixed("created_at", |m| m.created_at.into()),
    ],
);

/// What recording a delivery's outcome writes: the state columns and the attempt count.
const OUTCOME: [&str; 7] = ["state", "lease_until", "sent_at", "reply", "next_attempt_at", "error", "attempts"];

/// The outbox's columns, bare (they follow `SELECT` and `RETURNING` alike).
static OUTBOX_COLUMNS: LazyLock<String> = LazyLock::new(|| OUTBOX.select(""));

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
        kind @ ("notice" | "digest") => MailContent::Notice {
            digest: kind == "digest",
            lines: notice_lines(&required("notice_lines", row.opt_text("notice_lines")?)?)?,
        },
        kind @ ("invoice" | "invoice_reminder" | "payment_receipt") => MailContent::Invoice {
            invoice_id: InvoiceId::from_uuid(required("invoice_id", row.opt_uuid("invoice_id")?)?),
            number: required_text(row, "invoice_number", InvoiceNumber::parse)?,
            letter: match kind {
                "invoice" => Letter::Issued,
                "invoice_reminder" => {
                    let days = required("reminder_days", row.opt_int("reminder_days")?)?;
                    Letter::Reminder { days: valid("reminder_days", i16::try_from(days))? }
                }
                _ => Letter::Receipt {
                    payment: PaymentId::from_uuid(required("payment_id", row.opt_uuid("payment_id")?)?),
                },
            },
        },
        other => return Err(corrupt("content_kind", format!("unknown kind {other:?}"))),
    })
}

/// A notice's lines as stored: a line each, its fields separated by tabs, with `\\`, tabs
/// and line breaks inside a field escaped.
fn notice_text(lines: &[NoticeLine]) -> String {
    let escape = |text: &str| text.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r");
    let rows: Vec<String> = lines
        .iter()
        .map(|line| {
            let project = line.project.as_ref().map_or("", ProjectName::as_str);
            let fields = [
                line.kind.as_str(),
                line.category.as_str(),
                line.actor.as_str(),
                project,
                &line.title,
                &line.path,
                &line.at.unix_timestamp_nanos().to_string(),
            ];
            fields.map(escape).join("\t")
        })
        .collect();
    rows.join("\n")
}

/// Reads what [`notice_text`] wrote.
fn notice_lines(text: &str) -> RepoResult<Vec<NoticeLine>> {
    let unescape = |field: &str| {
        let mut out = String::with_capacity(field.len());
        let mut chars = field.chars();
        while let Some(c) = chars.next() {
            out.push(match (c, c == '\\') {
                (_, true) => match chars.next() {
                    Some('t') => '\t',
                    Some('n') => '\n',
                    Some('r') => '\r',
                    _ => '\\',
                },
                (c, false) => c,
            });
        }
        out
    };
    let bad = |what: &str| corrupt("notice_lines", what);
    text.split('\n')
        .map(|row| {
            let fields: Vec<String> = row.split('\t').map(unescape).collect();
            let [kind, category, actor, project, title, path, at] = fields.as_slice() else {
                return Err(bad("a line without its seven fields"));
            };
            let nanos: i128 = at.parse().map_err(|_| bad("a time that is not a number"))?;
            Ok(NoticeLine {
                kind: ActivityKind::from_name(kind).ok_or_else(|| bad("an unknown kind"))?,
                category: Category::from_name(category).ok_or_else(|| bad("an unknown category"))?,
                actor: valid("notice_lines", PersonName::parse(actor))?,
                project: (!project.is_empty())
                    .then(|| valid("notice_lines", ProjectName::parse(project)))
                    .transpose()?,
                title: title.clone(),
                path: path.clone(),
                at: OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|_| bad("a time out of range"))?,
            })
        })
        .collect()
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

/// `WHERE` and order of a person's log, newest first.
const NEWEST_FIRST: &str = " ORDER BY created_at DESC, id DESC";

#[async_trait]
impl<S: Transaction> OutboxRepo for SqlUnit<S> {
    async fn enqueue(&mut self, m: &OutboxMessage) -> RepoResult<()> {
        self.execute(OUTBOX.insert(), OUTBOX.insert_values(m)).await.map(drop)
    }

    async fn update(&mut self, m: &OutboxMessage) -> RepoResult<()> {
        changed(self.execute(OUTBOX.update(), OUTBOX.update_values(m)).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: OutboxId) -> RepoResult<Option<OutboxMessage>> {
        let columns = &*OUTBOX_COLUMNS;
        let sql = format!("SELECT {columns} FROM outbox WHERE workspace_id = $1 AND id = $2");
        self.one(&sql, vec![workspace.as_uuid().into(), id.as_uuid().into()], message).await
    }

    async fn about(&mut self, workspace: WorkspaceId, person: UserRef) -> RepoResult<Vec<OutboxMessage>> {
        let columns = &*OUTBOX_COLUMNS;
        let (kind, id) = user_parts(person);
        let sql = format!(
            "SELECT {columns} FROM outbox WHERE workspace_id = $1 AND about_id = $2 AND about_kind = $3{NEWEST_FIRST}"
        );
        self.all(&sql, vec![workspace.as_uuid().into(), id.into(), kind.into()], message).await
    }

    async fn list(&mut self, workspace: WorkspaceId, page: &PageRequest) -> RepoResult<Page<OutboxMessage>> {
        let columns = &*OUTBOX_COLUMNS;
        let mut sql = Query::new(&format!("SELECT {columns} FROM outbox"));
        let ws = sql.arg(workspace.as_uuid());
        sql.push(&format!(" WHERE workspace_id = {ws}"));
        newest_first(&mut sql, page, "created_at", "id")?;
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
        let columns = &*OUTBOX_COLUMNS;
        // The due rule of `OutboxMessage::is_due`, as a query over every workspace.
        let lock = self.transaction.dialect().claim_lock;
        let sql = format!(
            "UPDATE outbox SET state = 'sending', lease_until = $2 WHERE (workspace_id, id) IN (\
             SELECT workspace_id, id FROM outbox WHERE state = 'queued' OR (state = 'held' AND $3) \
             OR (state = 'retrying' AND next_attempt_at <= $1) OR (state = 'sending' AND lease_until <= $1) \
             ORDER BY created_at, id LIMIT $4{lock}) RETURNING {columns}"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut claimed =
            self.all(&sql, vec![now.into(), lease_until.into(), with_mailer.into(), limit.into()], message).await?;
        claimed.sort_by_key(|m| (m.created_at, m.id));
        Ok(claimed)
    }

    async fn finish(&mut self, m: &OutboxMessage, lease_until: OffsetDateTime) -> RepoResult<bool> {
        // Only under the claim this worker holds; a link that nothing may need any more goes.
        let (lease, forget) = (OUTCOME.len() + 3, OUTCOME.len() + 4);
        let sql = format!(
            "UPDATE outbox SET {}, sealed_link = CASE WHEN ${forget} THEN NULL ELSE sealed_link END \
             WHERE workspace_id = $1 AND id = $2 AND state = 'sending' AND lease_until = ${lease}",
            assignments(&OUTCOME, 3)
        );
        let mut args = OUTBOX.values_of(m, &["workspace_id", "id"]);
        args.extend(OUTBOX.values_of(m, &OUTCOME));
        args.extend([lease_until.into(), (!m.keeps_link(None)).into()]);
        Ok(self.execute(&sql, args).await? == 1)
    }

    async fn erase_link(&mut self, workspace: WorkspaceId, id: OutboxId) -> RepoResult<()> {
        let sql =
            "UPDATE outbox SET sealed_link = NULL WHERE workspace_id = $1 AND id = $2 AND sealed_link IS NOT NULL";
        self.execute(sql, vec![workspace.as_uuid().into(), id.as_uuid().into()]).await.map(drop)
    }

    async fn dead(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<OutboxMessage>> {
        let columns = &*OUTBOX_COLUMNS;
        let sql = format!("SELECT {columns} FROM outbox WHERE workspace_id = $1 AND state = 'dead'{NEWEST_FIRST}");
        self.all(&sql, vec![workspace.as_uuid().into()], message).await
    }
}
