//! A project's content: tasks, files, messages and approvals.

use async_trait::async_trait;
use portico_domain::approval::{ApprovalAnswer, ApprovalRequest};
use portico_domain::content::{Message, ProjectFile, Task};
use portico_domain::ids::{ApprovalId, FileId, MessageId, ProjectId, TaskId, WorkspaceId};

use crate::error::RepoResult;

/// Tasks.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait TaskRepo: Send {
    /// Stores a new task.
    ///
    /// # Errors
    /// `Conflict::DuplicateId` when the id exists.
    async fn insert(&mut self, task: &Task) -> RepoResult<()>;

    /// Replaces a task's fields.
    ///
    /// # Errors
    /// `NotFound` when absent.
    async fn update(&mut self, task: &Task) -> RepoResult<()>;

    /// The task with this id.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get(&mut self, workspace: WorkspaceId, id: TaskId) -> RepoResult<Option<Task>>;

    /// Every task of `project`, by creation (time, then id). One query, whatever the count.
    ///
    /// # Errors
    /// Only storage failures.
    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Task>>;
}

/// File records (the bytes live in the `FileStore`).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait FileRepo: Send {
    /// Stores a new file record.
    ///
    /// # Errors
    /// `Conflict::DuplicateId` when the id exists.
    async fn insert(&mut self, file: &ProjectFile) -> RepoResult<()>;

    /// Replaces a file record's fields (its visibility).
    ///
    /// # Errors
    /// `NotFound` when absent.
    async fn update(&mut self, file: &ProjectFile) -> RepoResult<()>;

    /// The file with this id.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get(&mut self, workspace: WorkspaceId, id: FileId) -> RepoResult<Option<ProjectFile>>;

    /// Every file of `project`, by upload (time, then id).
    ///
    /// # Errors
    /// Only storage failures.
    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<ProjectFile>>;
}

/// Discussion posts and task comments.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait MessageRepo: Send {
    /// Stores a new message.
    ///
    /// # Errors
    /// `Conflict::DuplicateId` when the id exists.
    async fn insert(&mut self, message: &Message) -> RepoResult<()>;

    /// Replaces a message's fields (its visibility).
    ///
    /// # Errors
    /// `NotFound` when absent.
    async fn update(&mut self, message: &Message) -> RepoResult<()>;

    /// The message with this id.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get(&mut self, workspace: WorkspaceId, id: MessageId) -> RepoResult<Option<Message>>;

    /// Every message of `project`, posts and comments, by posting (time, then id).
    ///
    /// # Errors
    /// Only storage failures.
    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Message>>;
}

/// Approval requests and their answers (answers are kept, never replaced).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ApprovalRepo: Send {
    /// Stores a new request.
    ///
    /// # Errors
    /// `Conflict::DuplicateId` when the id exists. MUST return `Conflict::ApprovalPending`
    /// when a request about the same subject has no answer yet — held by the storage itself
    /// (a partial unique key), so two requests made at once leave exactly one.
    async fn insert(&mut self, request: &ApprovalRequest) -> RepoResult<()>;

    /// The request with this id.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get(&mut self, workspace: WorkspaceId, id: ApprovalId) -> RepoResult<Option<ApprovalRequest>>;

    /// Every request of `project`, by creation (time, then id).
    ///
    /// # Errors
    /// Only storage failures.
    async fn list_for_project(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
    ) -> RepoResult<Vec<ApprovalRequest>>;

    /// Appends an answer; the request is answered from then on (no longer pending).
    ///
    /// # Errors
    /// `NotFound` when the request does not exist in the workspace.
    async fn add_answer(&mut self, workspace: WorkspaceId, answer: &ApprovalAnswer) -> RepoResult<()>;

    /// Every answer to the requests of `project`, oldest first.
    ///
    /// # Errors
    /// Only storage failures.
    async fn answers_for_project(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
    ) -> RepoResult<Vec<ApprovalAnswer>>;
}
