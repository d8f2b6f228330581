//! Projects, client assignments and team memberships.

use async_trait::async_trait;
use portico_domain::assignment::{Assignment, Membership, Tenure};
use portico_domain::ids::{AssignmentId, ClientId, MembershipId, ProjectId, StaffId, WorkspaceId};
use portico_domain::project::{Project, ProjectDetails};
use portico_domain::text::{Description, ProjectName};
use portico_ports::repos::{AssignmentRepo, MembershipRepo, ProjectQuery, ProjectRepo};
use portico_ports::{Page, PageRequest, RepoResult};

use super::{Order, keyset, page_of};
use crate::codec::{permissions, permissions_text, read, read_enum, read_opt};
use crate::engine::{Row, Transaction, Value};
use crate::query::Query;
use crate::unit::{SqlUnit, changed};

const PROJECTS: &str = "SELECT p.id, p.workspace_id, p.name, p.description, p.deadline, p.status, p.created_at, \
    p.updated_at FROM projects p";
const ASSIGNMENTS: &str = "SELECT id, workspace_id, project_id, client_id, scope, started_at, started_by, ended_at, \
    ended_by FROM assignments";
const MEMBERSHIPS: &str = "SELECT id, workspace_id, project_id, staff_id, started_at, started_by, ended_at, ended_by \
    FROM memberships";

fn project(row: &impl Row) -> RepoResult<Project> {
    Ok(Project {
        id: ProjectId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        details: ProjectDetails {
            name: read(row, "name", ProjectName::parse)?,
            description: read_opt(row, "description", Description::parse)?,
            deadline: row.opt_date("deadline")?,
        },
        status: read_enum(row, "status")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

fn tenure(row: &impl Row) -> RepoResult<Tenure> {
    Ok(Tenure {
        started_at: row.time("started_at")?,
        started_by: row.opt_uuid("started_by")?.map(StaffId::from_uuid),
        ended_at: row.opt_time("ended_at")?,
        ended_by: row.opt_uuid("ended_by")?.map(StaffId::from_uuid),
    })
}

fn assignment(row: &impl Row) -> RepoResult<Assignment> {
    Ok(Assignment {
        id: AssignmentId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        project_id: ProjectId::from_uuid(row.uuid("project_id")?),
        client_id: ClientId::from_uuid(row.uuid("client_id")?),
        scope: row.opt_text("scope")?.map(|text| permissions("scope", &text)).transpose()?,
        tenure: tenure(row)?,
    })
}

fn membership(row: &impl Row) -> RepoResult<Membership> {
    Ok(Membership {
        id: MembershipId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        project_id: ProjectId::from_uuid(row.uuid("project_id")?),
        staff_id: StaffId::from_uuid(row.uuid("staff_id")?),
        tenure: tenure(row)?,
    })
}

fn tenure_values(t: &Tenure) -> [Value; 4] {
    [
        t.started_at.into(),
        t.started_by.map(|s| s.as_uuid()).into(),
        t.ended_at.into(),
        t.ended_by.map(|s| s.as_uuid()).into(),
    ]
}

fn project_values(p: &Project) -> Vec<Value> {
    vec![
        p.workspace_id.as_uuid().into(),
        p.id.as_uuid().into(),
        p.details.name.as_str().into(),
        p.details.name.sort_key().into(),
        Value::from(p.details.description.as_ref().map(Description::as_str)),
        p.details.deadline.into(),
        p.status.as_str().into(),
        p.created_at.into(),
        p.updated_at.into(),
    ]
}

#[async_trait]
impl<S: Transaction> ProjectRepo for SqlUnit<S> {
    async fn insert(&mut self, p: &Project) -> RepoResult<()> {
        let sql = "INSERT INTO projects (workspace_id, id, name, name_key, description, deadline, status, created_at, \
            updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        self.execute(sql, project_values(p)).await.map(drop)
    }

    async fn update(&mut self, p: &Project) -> RepoResult<()> {
        let sql = "UPDATE projects SET name = $3, name_key = $4, description = $5, deadline = $6, status = $7, \
            created_at = $8, updated_at = $9 WHERE workspace_id = $1 AND id = $2";
        changed(self.execute(sql, project_values(p)).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ProjectId) -> RepoResult<Option<Project>> {
        let sql = format!("{PROJECTS} WHERE p.workspace_id = $1 AND p.id = $2");
        self.one(&sql, vec![workspace.as_uuid().into(), id.as_uuid().into()], project).await
    }

    async fn get_many(&mut self, workspace: WorkspaceId, ids: &[ProjectId]) -> RepoResult<Vec<Project>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = (self.transaction.dialect().in_list)("p.id", 2);
        let sql = format!("{PROJECTS} WHERE p.workspace_id = $1 AND {list}");
        let ids: Vec<_> = ids.iter().map(ProjectId::as_uuid).collect();
        self.all(&sql, vec![workspace.as_uuid().into(), ids.into()], project).await
    }

    async fn search(
        &mut self,
        workspace: WorkspaceId,
        query: &ProjectQuery,
        page: &PageRequest,
    ) -> RepoResult<Page<Project>> {
        let mut sql = Query::new(PROJECTS);
        let ws = sql.arg(workspace.as_uuid());
        sql.push(&format!(" WHERE p.workspace_id = {ws}"));
        if let Some(status) = query.status {
            let status = sql.arg(status.as_str());
            sql.push(&format!(" AND p.status = {status}"));
        }
        if let Some(staff) = query.team_member {
            let staff = sql.arg(staff.as_uuid());
            sql.push(&format!(
                " AND EXISTS (SELECT 1 FROM memberships m WHERE m.workspace_id = p.workspace_id \
                 AND m.project_id = p.id AND m.staff_id = {staff} AND m.ended_at IS NULL)"
            ));
        }
        keyset(&mut sql, page, "p.name_key", "p.id", Order::Ascending);
        let rows = self.all(&sql.sql, sql.args, project).await?;
        Ok(page_of(rows, page, |p| (p.details.name.sort_key(), p.id.as_uuid())))
    }

    async fn list_all(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Project>> {
        let sql = format!("{PROJECTS} WHERE p.workspace_id = $1 ORDER BY p.name_key, p.id");
        self.all(&sql, vec![workspace.as_uuid().into()], project).await
    }
}

#[async_trait]
impl<S: Transaction> AssignmentRepo for SqlUnit<S> {
    async fn insert(&mut self, a: &Assignment) -> RepoResult<()> {
        let sql = "INSERT INTO assignments (workspace_id, id, project_id, client_id, scope, started_at, started_by, \
            ended_at, ended_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        let mut args = vec![
            a.workspace_id.as_uuid().into(),
            a.id.as_uuid().into(),
            a.project_id.as_uuid().into(),
            a.client_id.as_uuid().into(),
            a.scope.map(permissions_text).into(),
        ];
        args.extend(tenure_values(&a.tenure));
        self.execute(sql, args).await.map(drop)
    }

    async fn update(&mut self, a: &Assignment) -> RepoResult<()> {
        let sql = "UPDATE assignments SET scope = $3, started_at = $4, started_by = $5, ended_at = $6, ended_by = $7 \
            WHERE workspace_id = $1 AND id = $2";
        let mut args =
            vec![a.workspace_id.as_uuid().into(), a.id.as_uuid().into(), a.scope.map(permissions_text).into()];
        args.extend(tenure_values(&a.tenure));
        changed(self.execute(sql, args).await?)
    }

    async fn current(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
        client: ClientId,
    ) -> RepoResult<Option<Assignment>> {
        let sql = format!(
            "{ASSIGNMENTS} WHERE workspace_id = $1 AND project_id = $2 AND client_id = $3 AND ended_at IS NULL"
        );
        let args = vec![workspace.as_uuid().into(), project.as_uuid().into(), client.as_uuid().into()];
        self.one(&sql, args, assignment).await
    }

    async fn current_for_client(&mut self, workspace: WorkspaceId, client: ClientId) -> RepoResult<Vec<Assignment>> {
        let sql = format!(
            "{ASSIGNMENTS} WHERE workspace_id = $1 AND client_id = $2 AND ended_at IS NULL ORDER BY started_at, id"
        );
        self.all(&sql, vec![workspace.as_uuid().into(), client.as_uuid().into()], assignment).await
    }

    async fn current_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Assignment>> {
        let sql = format!(
            "{ASSIGNMENTS} WHERE workspace_id = $1 AND project_id = $2 AND ended_at IS NULL ORDER BY started_at, id"
        );
        self.all(&sql, vec![workspace.as_uuid().into(), project.as_uuid().into()], assignment).await
    }

    async fn history_for_client(&mut self, workspace: WorkspaceId, client: ClientId) -> RepoResult<Vec<Assignment>> {
        let sql = format!("{ASSIGNMENTS} WHERE workspace_id = $1 AND client_id = $2 ORDER BY started_at, id");
        self.all(&sql, vec![workspace.as_uuid().into(), client.as_uuid().into()], assignment).await
    }

    async fn all_current(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Assignment>> {
        let sql = format!("{ASSIGNMENTS} WHERE workspace_id = $1 AND ended_at IS NULL ORDER BY started_at, id");
        self.all(&sql, vec![workspace.as_uuid().into()], assignment).await
    }
}

#[async_trait]
impl<S: Transaction> MembershipRepo for SqlUnit<S> {
    async fn insert(&mut self, m: &Membership) -> RepoResult<()> {
        let sql = "INSERT INTO memberships (workspace_id, id, project_id, staff_id, started_at, started_by, ended_at, \
            ended_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        let mut args = vec![
            m.workspace_id.as_uuid().into(),
            m.id.as_uuid().into(),
            m.project_id.as_uuid().into(),
            m.staff_id.as_uuid().into(),
        ];
        args.extend(tenure_values(&m.tenure));
        self.execute(sql, args).await.map(drop)
    }

    async fn update(&mut self, m: &Membership) -> RepoResult<()> {
        let sql = "UPDATE memberships SET started_at = $3, started_by = $4, ended_at = $5, ended_by = $6 \
            WHERE workspace_id = $1 AND id = $2";
        let mut args = vec![m.workspace_id.as_uuid().into(), m.id.as_uuid().into()];
        args.extend(tenure_values(&m.tenure));
        changed(self.execute(sql, args).await?)
    }

    async fn current(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
        staff: StaffId,
    ) -> RepoResult<Option<Membership>> {
        let sql =
            format!("{MEMBERSHIPS} WHERE workspace_id = $1 AND project_id = $2 AND staff_id = $3 AND ended_at IS NULL");
        let args = vec![workspace.as_uuid().into(), project.as_uuid().into(), staff.as_uuid().into()];
        self.one(&sql, args, membership).await
    }

    async fn current_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Membership>> {
        let sql = format!(
            "{MEMBERSHIPS} WHERE workspace_id = $1 AND project_id = $2 AND ended_at IS NULL ORDER BY started_at, id"
        );
        self.all(&sql, vec![workspace.as_uuid().into(), project.as_uuid().into()], membership).await
    }
}
