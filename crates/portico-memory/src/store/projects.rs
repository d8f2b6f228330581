//! Projects, client assignments and team memberships in memory.

use async_trait::async_trait;
use portico_domain::assignment::{Assignment, Membership};
use portico_domain::ids::{ClientId, ProjectId, StaffId, WorkspaceId};
use portico_domain::project::Project;
use portico_ports::repos::{AssignmentRepo, MembershipRepo, ProjectOrder, ProjectQuery, ProjectRepo};
use portico_ports::{Conflict, Page, PageRequest, RepoResult};

use super::MemoryUnit;
use crate::state::{Order, count_in, get_in, insert_new, paginate, replace, sorted_in};

impl MemoryUnit {
    /// Whether `project` is one `query` lists.
    fn matches(&self, query: &ProjectQuery, project: &Project) -> bool {
        let on_team = |staff: StaffId| {
            self.state()
                .memberships
                .values()
                .any(|m| m.project_id == project.id && m.staff_id == staff && m.tenure.is_current())
        };
        query.status.is_none_or(|s| project.status == s)
            && query.team_member.is_none_or(on_team)
            && query.names(project)
    }
}

#[async_trait]
impl ProjectRepo for MemoryUnit {
    async fn insert(&mut self, project: &Project) -> RepoResult<()> {
        insert_new(&mut self.state_mut().projects, project.id, project.clone())
    }

    async fn update(&mut self, project: &Project) -> RepoResult<()> {
        replace(&mut self.state_mut().projects, &project.id, project.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ProjectId) -> RepoResult<Option<Project>> {
        Ok(get_in(&self.state().projects, workspace, &id))
    }

    async fn get_many(&mut self, workspace: WorkspaceId, ids: &[ProjectId]) -> RepoResult<Vec<Project>> {
        Ok(ids.iter().filter_map(|id| get_in(&self.state().projects, workspace, id)).collect())
    }

    async fn search(
        &mut self,
        workspace: WorkspaceId,
        query: &ProjectQuery,
        page: &PageRequest,
    ) -> RepoResult<Page<Project>> {
        let key = |p: &Project| (query.order.key(p), p.id.as_uuid());
        let mut matching = sorted_in(&self.state().projects, workspace, |p| self.matches(query, p), key);
        let order = match query.order {
            ProjectOrder::Name | ProjectOrder::Deadline => Order::Ascending,
            ProjectOrder::Newest => {
                matching.reverse();
                Order::Descending
            }
        };
        Ok(paginate(matching, page, order, key))
    }

    async fn count(&mut self, workspace: WorkspaceId, query: &ProjectQuery) -> RepoResult<u64> {
        Ok(count_in(&self.state().projects, workspace, |p| self.matches(query, p)))
    }

    async fn list_all(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Project>> {
        Ok(sorted_in(&self.state().projects, workspace, |_| true, |p| (p.details.name.sort_key(), p.id)))
    }
}

#[async_trait]
impl AssignmentRepo for MemoryUnit {
    async fn insert(&mut self, assignment: &Assignment) -> RepoResult<()> {
        let duplicate = self.state_mut().assignments.values().any(|a| {
            a.workspace_id == assignment.workspace_id
                && a.project_id == assignment.project_id
                && a.client_id == assignment.client_id
                && a.is_current()
        });
        if duplicate && assignment.is_current() {
            return Err(Conflict::AlreadyAssigned.into());
        }
        insert_new(&mut self.state_mut().assignments, assignment.id, assignment.clone())
    }

    async fn update(&mut self, assignment: &Assignment) -> RepoResult<()> {
        replace(&mut self.state_mut().assignments, &assignment.id, assignment.clone())
    }

    async fn current(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
        client: ClientId,
    ) -> RepoResult<Option<Assignment>> {
        Ok(self
            .state()
            .assignments
            .values()
            .find(|a| a.workspace_id == workspace && a.project_id == project && a.client_id == client && a.is_current())
            .cloned())
    }

    async fn current_for_client(&mut self, workspace: WorkspaceId, client: ClientId) -> RepoResult<Vec<Assignment>> {
        let keep = |a: &Assignment| a.client_id == client && a.is_current();
        Ok(sorted_in(&self.state().assignments, workspace, keep, |a| (a.tenure.started_at, a.id)))
    }

    async fn current_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Assignment>> {
        let keep = |a: &Assignment| a.project_id == project && a.is_current();
        Ok(sorted_in(&self.state().assignments, workspace, keep, |a| (a.tenure.started_at, a.id)))
    }

    async fn history_for_client(&mut self, workspace: WorkspaceId, client: ClientId) -> RepoResult<Vec<Assignment>> {
        let keep = |a: &Assignment| a.client_id == client;
        Ok(sorted_in(&self.state().assignments, workspace, keep, |a| (a.tenure.started_at, a.id)))
    }

    async fn all_current(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Assignment>> {
        Ok(sorted_in(&self.state().assignments, workspace, Assignment::is_current, |a| (a.tenure.started_at, a.id)))
    }
}

#[async_trait]
impl MembershipRepo for MemoryUnit {
    async fn insert(&mut self, membership: &Membership) -> RepoResult<()> {
        let duplicate = self.state_mut().memberships.values().any(|m| {
            m.workspace_id == membership.workspace_id
                && m.project_id == membership.project_id
                && m.staff_id == membership.staff_id
                && m.tenure.is_current()
        });
        if duplicate && membership.tenure.is_current() {
            return Err(Conflict::AlreadyAssigned.into());
        }
        insert_new(&mut self.state_mut().memberships, membership.id, membership.clone())
    }

    async fn update(&mut self, membership: &Membership) -> RepoResult<()> {
        replace(&mut self.state_mut().memberships, &membership.id, membership.clone())
    }

    async fn current(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
        staff: StaffId,
    ) -> RepoResult<Option<Membership>> {
        Ok(self
            .state()
            .memberships
            .values()
            .find(|m| {
                m.workspace_id == workspace && m.project_id == project && m.staff_id == staff && m.tenure.is_current()
            })
            .cloned())
    }

    async fn current_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Membership>> {
        let keep = |m: &Membership| m.project_id == project && m.tenure.is_current();
        Ok(sorted_in(&self.state().memberships, workspace, keep, |m| (m.tenure.started_at, m.id)))
    }
}
