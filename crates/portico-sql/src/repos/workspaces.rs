//! Workspaces in SQL.

use async_trait::async_trait;
use portico_domain::ids::WorkspaceId;
use portico_domain::text::WorkspaceName;
use portico_domain::workspace::{Workspace, WorkspaceSettings};
use portico_ports::RepoResult;
use portico_ports::repos::WorkspaceRepo;

use crate::codec::read;
use crate::engine::{Row, Transaction};
use crate::unit::{SqlUnit, changed};

const COLUMNS: &str = "SELECT id, name, notify_clients_on_assignment, created_at FROM workspaces";

fn workspace(row: &impl Row) -> RepoResult<Workspace> {
    Ok(Workspace {
        id: WorkspaceId::from_uuid(row.uuid("id")?),
        name: read(row, "name", WorkspaceName::parse)?,
        settings: WorkspaceSettings { notify_clients_on_assignment: row.bool("notify_clients_on_assignment")? },
        created_at: row.time("created_at")?,
    })
}

#[async_trait]
impl<S: Transaction> WorkspaceRepo for SqlUnit<S> {
    async fn insert(&mut self, w: &Workspace) -> RepoResult<()> {
        let sql = "INSERT INTO workspaces (id, name, notify_clients_on_assignment, created_at) VALUES ($1, $2, $3, $4)";
        let args = vec![
            w.id.as_uuid().into(),
            w.name.as_str().into(),
            w.settings.notify_clients_on_assignment.into(),
            w.created_at.into(),
        ];
        self.execute(sql, args).await.map(drop)
    }

    async fn update(&mut self, w: &Workspace) -> RepoResult<()> {
        let sql = "UPDATE workspaces SET name = $2, notify_clients_on_assignment = $3 WHERE id = $1";
        let args = vec![w.id.as_uuid().into(), w.name.as_str().into(), w.settings.notify_clients_on_assignment.into()];
        changed(self.execute(sql, args).await?)
    }

    async fn get(&mut self, id: WorkspaceId) -> RepoResult<Option<Workspace>> {
        self.one(&format!("{COLUMNS} WHERE id = $1"), vec![id.as_uuid().into()], workspace).await
    }

    async fn list(&mut self) -> RepoResult<Vec<Workspace>> {
        self.all(&format!("{COLUMNS} ORDER BY created_at, id"), vec![], workspace).await
    }
}
