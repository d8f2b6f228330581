//! Tasks, files, messages and approvals in memory.

use async_trait::async_trait;
use portico_domain::approval::is_pending;
use portico_domain::approval::{ApprovalAnswer, ApprovalRequest};
use portico_domain::content::{Message, ProjectFile, Task};
use portico_domain::ids::{ApprovalId, FileId, MessageId, ProjectId, TaskId, WorkspaceId};
use portico_ports::repos::{ApprovalRepo, FileRepo, MessageRepo, TaskRepo};
use portico_ports::{Conflict, RepoError, RepoResult};

use super::MemoryUnit;
use crate::state::{get_in, insert_new, replace, sorted_in};

#[async_trait]
impl TaskRepo for MemoryUnit {
    async fn insert(&mut self, task: &Task) -> RepoResult<()> {
        insert_new(&mut self.state_mut().tasks, task.id, task.clone())
    }

    async fn update(&mut self, task: &Task) -> RepoResult<()> {
        replace(&mut self.state_mut().tasks, &task.id, task.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: TaskId) -> RepoResult<Option<Task>> {
        Ok(get_in(&self.state().tasks, workspace, &id))
    }

    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Task>> {
        Ok(sorted_in(&self.state().tasks, workspace, |t| t.project_id == project, |t| (t.created_at, t.id)))
    }
}

#[async_trait]
impl FileRepo for MemoryUnit {
    async fn insert(&mut self, file: &ProjectFile) -> RepoResult<()> {
        insert_new(&mut self.state_mut().files, file.id, file.clone())
    }

    async fn update(&mut self, file: &ProjectFile) -> RepoResult<()> {
        replace(&mut self.state_mut().files, &file.id, file.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: FileId) -> RepoResult<Option<ProjectFile>> {
        Ok(get_in(&self.state().files, workspace, &id))
    }

    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<ProjectFile>> {
        Ok(sorted_in(&self.state().files, workspace, |f| f.project_id == project, |f| (f.created_at, f.id)))
    }
}

#[async_trait]
impl MessageRepo for MemoryUnit {
    async fn insert(&mut self, message: &Message) -> RepoResult<()> {
        insert_new(&mut self.state_mut().messages, message.id, message.clone())
    }

    async fn update(&mut self, message: &Message) -> RepoResult<()> {
        replace(&mut self.state_mut().messages, &message.id, message.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: MessageId) -> RepoResult<Option<Message>> {
        Ok(get_in(&self.state().messages, workspace, &id))
    }

    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Message>> {
        Ok(sorted_in(&self.state().messages, workspace, |m| m.project_id == project, |m| (m.created_at, m.id)))
    }
}

#[async_trait]
impl ApprovalRepo for MemoryUnit {
    async fn insert(&mut self, request: &ApprovalRequest) -> RepoResult<()> {
        let state = self.state();
        let pending = state.approvals.values().any(|r| {
            r.workspace_id == request.workspace_id && r.subject == request.subject && is_pending(r, &state.answers)
        });
        if pending {
            return Err(Conflict::ApprovalPending.into());
        }
        insert_new(&mut self.state_mut().approvals, request.id, request.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ApprovalId) -> RepoResult<Option<ApprovalRequest>> {
        Ok(get_in(&self.state().approvals, workspace, &id))
    }

    async fn list_for_project(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
    ) -> RepoResult<Vec<ApprovalRequest>> {
        Ok(sorted_in(&self.state().approvals, workspace, |a| a.project_id == project, |a| (a.created_at, a.id)))
    }

    async fn add_answer(&mut self, workspace: WorkspaceId, answer: &ApprovalAnswer) -> RepoResult<()> {
        if get_in(&self.state_mut().approvals, workspace, &answer.approval_id).is_none() {
            return Err(RepoError::NotFound);
        }
        self.state_mut().answers.push(answer.clone());
        Ok(())
    }

    async fn answers_for_project(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
    ) -> RepoResult<Vec<ApprovalAnswer>> {
        let approvals = &self.state().approvals;
        let in_project = |answer: &&ApprovalAnswer| {
            get_in(approvals, workspace, &answer.approval_id).is_some_and(|a| a.project_id == project)
        };
        let mut answers: Vec<ApprovalAnswer> = self.state().answers.iter().filter(in_project).cloned().collect();
        answers.sort_by_key(|a| a.answered_at);
        Ok(answers)
    }
}
