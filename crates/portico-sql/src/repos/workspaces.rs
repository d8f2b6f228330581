//! Workspaces in SQL.

use std::sync::LazyLock;

use async_trait::async_trait;
use portico_domain::activity::{DigestTime, NotificationDefaults};
use portico_domain::ids::WorkspaceId;
use portico_domain::text::WorkspaceName;
use portico_domain::workspace::{Workspace, WorkspaceSettings};
use portico_ports::RepoResult;
use portico_ports::repos::WorkspaceRepo;

use crate::codec::{choices, choices_text, corrupt, read};
use crate::columns::{Column, Table};
use crate::engine::{Row, Transaction};
use crate::unit::{SqlUnit, changed};

/// The workspaces table: a workspace's name and settings.
static WORKSPACES: Table<Workspace> = Table::new(
    "workspaces",
    &[
        Column::key("id", |w| w.id.as_uuid().into()),
        Column::field("name", |w| w.name.as_str().into()),
        Column::field("notify_clients_on_assignment", |w| w.settings.notify_clients_on_assignment.into()),
        Column::field("client_notification_defaults", |w| {
            choices_text(w.settings.notification_defaults.list(true)).into()
        }),
        Column::field("staff_notification_defaults", |w| {
            choices_text(w.settings.notification_defaults.list(false)).into()
        }),
        Column::field("digest_hour", |w| i64::from(w.settings.digest.hour()).into()),
        Column::fixed("created_at", |w| w.created_at.into()),
    ],
);

static WORKSPACE_SELECT: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {} FROM workspaces", WORKSPACES.select("")));

fn workspace(row: &impl Row) -> RepoResult<Workspace> {
    Ok(Workspace {
        id: WorkspaceId::from_uuid(row.uuid("id")?),
        name: read(row, "name", WorkspaceName::parse)?,
        settings: settings(row)?,
        created_at: row.time("created_at")?,
    })
}

fn settings(row: &impl Row) -> RepoResult<WorkspaceSettings> {
    let mut notification_defaults = NotificationDefaults::default();
    for (column, for_clients) in [("client_notification_defaults", true), ("staff_notification_defaults", false)] {
        for (category, delivery) in choices(column, &row.text(column)?)? {
            notification_defaults.set(for_clients, category, delivery);
        }
    }
    let hour = u8::try_from(row.int("digest_hour")?).ok().filter(|h| *h < 24);
    Ok(WorkspaceSettings {
        notify_clients_on_assignment: row.bool("notify_clients_on_assignment")?,
        notification_defaults,
        digest: DigestTime::at_hour(hour.ok_or_else(|| corrupt("digest_hour", "not an hour of the day"))?),
    })
}

#[async_trait]
impl<S: Transaction> WorkspaceRepo for SqlUnit<S> {
    async fn insert(&mut self, w: &Workspace) -> RepoResult<()> {
        self.execute(WORKSPACES.insert(), WORKSPACES.insert_values(w)).await.map(drop)
    }

    async fn update(&mut self, w: &Workspace) -> RepoResult<()> {
        changed(self.execute(WORKSPACES.update(), WORKSPACES.update_values(w)).await?)
    }

    async fn get(&mut self, id: WorkspaceId) -> RepoResult<Option<Workspace>> {
        self.one(&format!("{} WHERE id = $1", *WORKSPACE_SELECT), vec![id.as_uuid().into()], workspace).await
    }

    async fn list(&mut self) -> RepoResult<Vec<Workspace>> {
        self.all(&format!("{} ORDER BY created_at, id", *WORKSPACE_SELECT), vec![], workspace).await
    }
}
