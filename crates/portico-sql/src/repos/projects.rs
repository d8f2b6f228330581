//! Projects, client assignments and team memberships.

use std::sync::LazyLock;

use async_trait::async_trait;
use portico_domain::assignment::{Assignment, Membership, Tenure};
use portico_domain::ids::{AssignmentId, ClientId, MembershipId, ProjectId, StaffId, WorkspaceId};
use portico_domain::project::{Project, ProjectDetails};
use portico_domain::text::{Description, ProjectName};
use portico_ports::repos::{AssignmentRepo, MembershipRepo, ProjectOrder, ProjectQuery, ProjectRepo};
use portico_ports::{Page, PageRequest, RepoResult};

use super::{Order, keyset, newest_first, page_of, soonest_first};
use crate::codec::{permissions, permissions_text, read, read_enum, read_opt};
use crate::columns::{Column, Table};
use crate::engine::{Dialect, Row, Transaction};
use crate::query::Query;
use crate::unit::{SqlUnit, changed};

/// The projects table.
static PROJECTS: Table<Project> = Table::new(
    "projects",
    &[
        Column::key("workspace_id", |p| p.workspace_id.as_uuid().into()),
        Column::key("id", |p| p.id.as_uuid().into()),
        Column::field("name", |p| p.details.name.as_str().into()),
        Column::derived("name_key", |p| p.details.name.sort_key().into()),
        Column::field("description", |p| p.details.description.as_ref().map(Description::as_str).into()),
        Column::field("deadline", |p| p.details.deadline.into()),
        Column::field("status", |p| p.status.as_str().into()),
        Column::fixed("created_at", |p| p.created_at.into()),
        Column::field("updated_at", |p| p.updated_at.into()),
    ],
);

/// The assignments table: who a client was put on a project by, and until when.
static ASSIGNMENTS: Table<Assignment> = Table::new(
    "assignments",
    &[
        Column::key("workspace_id", |a| a.workspace_id.as_uuid().into()),
        Column::key("id", |a| a.id.as_uuid().into()),
        Column::fixed("project_id", |a| a.project_id.as_uuid().into()),
        Column::fixed("client_id", |a| a.client_id.as_uuid().into()),
        Column::field("scope", |a| a.scope.map(permissions_text).into()),
        Column::field("started_at", |a| a.tenure.started_at.into()),
        Column::field("started_by", |a| a.tenure.started_by.map(|s| s.as_uuid()).into()),
        Column::field("ended_at", |a| a.tenure.ended_at.into()),
        Column::field("ended_by", |a| a.tenure.ended_by.map(|s| s.as_uuid()).into()),
    ],
);

/// The memberships table: who put a staff member on a project's team, and until when.
static MEMBERSHIPS: Table<Membership> = Table::new(
    "memberships",
    &[
        Column::key("workspace_id", |m| m.workspace_id.as_uuid().into()),
        Column::key("id", |m| m.id.as_uuid().into()),
        Column::fixed("project_id", |m| m.project_id.as_uuid().into()),
        Column::fixed("staff_id", |m| m.staff_id.as_uuid().into()),
        Column::field("started_at", |m| m.tenure.started_at.into()),
        Column::field("started_by", |m| m.tenure.started_by.map(|s| s.as_uuid()).into()),
        Column::field("ended_at", |m| m.tenure.ended_at.into()),
        Column::field("ended_by", |m| m.tenure.ended_by.map(|s| s.as_uuid()).into()),
    ],
);

static PROJECT_SELECT: LazyLock<String> = LazyLock::new(|| format!("SELECT {} FROM projects p", PROJECTS.select("p")));
static ASSIGNMENT_SELECT: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {} FROM assignments", ASSIGNMENTS.select("assignments")));
static MEMBERSHIP_SELECT: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {} FROM memberships", MEMBERSHIPS.select("memberships")));

/// The projects matching `query`, unordered: what [`ProjectRepo::search`] pages through and
/// [`ProjectRepo::count`] counts.
fn projects_matching(dialect: Dialect, workspace: WorkspaceId, query: &ProjectQuery) -> Query {
    let mut sql = Query::new(&PROJECT_SELECT);
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
    if let Some(needle) = query.needle() {
        sql.arg(needle);
        let contains = (dialect.contains)("p.name_key", sql.args.len());
        sql.push(" AND ").push(&contains);
    }
    sql
}

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

#[async_trait]
impl<S: Transaction> ProjectRepo for SqlUnit<S> {
    async fn insert(&mut self, p: &Project) -> RepoResult<()> {
        self.execute(PROJECTS.insert(), PROJECTS.insert_values(p)).await.map(drop)
    }

    async fn update(&mut self, p: &Project) -> RepoResult<()> {
        changed(self.execute(PROJECTS.update(), PROJECTS.update_values(p)).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ProjectId) -> RepoResult<Option<Project>> {
        let sql = format!("{} WHERE p.workspace_id = $1 AND p.id = $2", *PROJECT_SELECT);
        self.one(&sql, vec![workspace.as_uuid().into(), id.as_uuid().into()], project).await
    }

    async fn get_many(&mut self, workspace: WorkspaceId, ids: &[ProjectId]) -> RepoResult<Vec<Project>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = (self.transaction.dialect().in_list)("p.id", 2);
        let sql = format!("{} WHERE p.workspace_id = $1 AND {list}", *PROJECT_SELECT);
        let ids: Vec<_> = ids.iter().map(ProjectId::as_uuid).collect();
        self.all(&sql, vec![workspace.as_uuid().into(), ids.into()], project).await
    }

    async fn search(
        &mut self,
        workspace: WorkspaceId,
        query: &ProjectQuery,
        page: &PageRequest,
    ) -> RepoResult<Page<Project>> {
        let mut sql = projects_matching(self.transaction.dialect(), workspace, query);
        match query.order {
            ProjectOrder::Name => keyset(&mut sql, page, "p.name_key", "p.id", Order::Ascending),
            ProjectOrder::Newest => newest_first(&mut sql, page, "p.created_at", "p.id")?,
            ProjectOrder::Deadline => soonest_first(&mut sql, page, "p.deadline", "p.id")?,
        }
        let rows = self.all(&sql.sql, sql.args, project).await?;
        Ok(page_of(rows, page, |p| (query.order.key(p), p.id.as_uuid())))
    }

    async fn count(&mut self, workspace: WorkspaceId, query: &ProjectQuery) -> RepoResult<u64> {
        let matching = projects_matching(self.transaction.dialect(), workspace, query);
        self.count_rows(matching).await
    }

    async fn list_all(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Project>> {
        let sql = format!("{} WHERE p.workspace_id = $1 ORDER BY p.name_key, p.id", *PROJECT_SELECT);
        self.all(&sql, vec![workspace.as_uuid().into()], project).await
    }
}

#[async_trait]
impl<S: Transaction> AssignmentRepo for SqlUnit<S> {
    async fn insert(&mut self, a: &Assignment) -> RepoResult<()> {
        self.execute(ASSIGNMENTS.insert(), ASSIGNMENTS.insert_values(a)).await.map(drop)
    }

    async fn update(&mut self, a: &Assignment) -> RepoResult<()> {
        changed(self.execute(ASSIGNMENTS.update(), ASSIGNMENTS.update_values(a)).await?)
    }

    async fn current(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
        client: ClientId,
    ) -> RepoResult<Option<Assignment>> {
        let sql = format!(
            "{} WHERE workspace_id = $1 AND project_id = $2 AND client_id = $3 AND ended_at IS NULL",
            *ASSIGNMENT_SELECT
        );
        let args = vec![workspace.as_uuid().into(), project.as_uuid().into(), client.as_uuid().into()];
        self.one(&sql, args, assignment).await
    }

    async fn current_for_client(&mut self, workspace: WorkspaceId, client: ClientId) -> RepoResult<Vec<Assignment>> {
        let sql = format!(
            "{} WHERE workspace_id = $1 AND client_id = $2 AND ended_at IS NULL ORDER BY started_at, id",
            *ASSIGNMENT_SELECT
        );
        self.all(&sql, vec![workspace.as_uuid().into(), client.as_uuid().into()], assignment).await
    }

    async fn current_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Assignment>> {
        let sql = format!(
            "{} WHERE workspace_id = $1 AND project_id = $2 AND ended_at IS NULL ORDER BY started_at, id",
            *ASSIGNMENT_SELECT
        );
        self.all(&sql, vec![workspace.as_uuid().into(), project.as_uuid().into()], assignment).await
    }

    async fn history_for_client(&mut self, workspace: WorkspaceId, client: ClientId) -> RepoResult<Vec<Assignment>> {
        let sql = format!("{} WHERE workspace_id = $1 AND client_id = $2 ORDER BY started_at, id", *ASSIGNMENT_SELECT);
        self.all(&sql, vec![workspace.as_uuid().into(), client.as_uuid().into()], assignment).await
    }

    async fn all_current(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Assignment>> {
        let sql =
            format!("{} WHERE workspace_id = $1 AND ended_at IS NULL ORDER BY started_at, id", *ASSIGNMENT_SELECT);
        self.all(&sql, vec![workspace.as_uuid().into()], assignment).await
    }
}

#[async_trait]
impl<S: Transaction> MembershipRepo for SqlUnit<S> {
    async fn insert(&mut self, m: &Membership) -> RepoResult<()> {
        self.execute(MEMBERSHIPS.insert(), MEMBERSHIPS.insert_values(m)).await.map(drop)
    }

    async fn update(&mut self, m: &Membership) -> RepoResult<()> {
        changed(self.execute(MEMBERSHIPS.update(), MEMBERSHIPS.update_values(m)).await?)
    }

    async fn current(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
        staff: StaffId,
    ) -> RepoResult<Option<Membership>> {
        let sql = format!(
            "{} WHERE workspace_id = $1 AND project_id = $2 AND staff_id = $3 AND ended_at IS NULL",
            *MEMBERSHIP_SELECT
        );
        let args = vec![workspace.as_uuid().into(), project.as_uuid().into(), staff.as_uuid().into()];
        self.one(&sql, args, membership).await
    }

    async fn current_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Membership>> {
        let sql = format!(
            "{} WHERE workspace_id = $1 AND project_id = $2 AND ended_at IS NULL ORDER BY started_at, id",
            *MEMBERSHIP_SELECT
        );
        self.all(&sql, vec![workspace.as_uuid().into(), project.as_uuid().into()], membership).await
    }
}
