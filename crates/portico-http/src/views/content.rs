//! Tasks, files, messages and approvals as staff see them.

use portico_domain::approval::{ApprovalAnswer, ApprovalRequest, ApprovalSubject};
use portico_domain::content::{Message, ProjectFile, Task};
use portico_domain::staff::UserRef;
use serde::Serialize;
use utoipa::ToSchema;

use super::{instant, maybe_date};

/// Who wrote or uploaded something: `{"kind": "staff"|"client", "id": ...}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorView {
    /// `staff` or `client`.
    pub kind: String,
    /// Their id.
    pub id: String,
}

impl From<UserRef> for AuthorView {
    fn from(user: UserRef) -> Self {
        match user {
            UserRef::Staff(id) => Self { kind: "staff".into(), id: id.to_string() },
            UserRef::Client(id) => Self { kind: "client".into(), id: id.to_string() },
        }
    }
}

/// A task.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    /// Id.
    pub id: String,
    /// The project.
    pub project_id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// `open`, `in_progress` or `done`.
    pub state: String,
    /// Due date (`YYYY-MM-DD`).
    pub due_date: Option<String>,
    /// The staff member responsible.
    pub assignee: Option<String>,
    /// `internal` or `client`.
    pub visibility: String,
    /// When it was created.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

impl From<&Task> for TaskView {
    fn from(task: &Task) -> Self {
        Self {
            id: task.id.to_string(),
            project_id: task.project_id.to_string(),
            title: task.title.as_str().to_owned(),
            description: task.description.as_ref().map(|d| d.as_str().to_owned()),
            state: task.state.as_str().to_owned(),
            due_date: maybe_date(task.due_date),
            assignee: task.assignee.map(|id| id.to_string()),
            visibility: task.visibility.as_str().to_owned(),
            created_at: instant(task.created_at),
            updated_at: instant(task.updated_at),
        }
    }
}

/// A file's record (its bytes are at `/files/{id}/download`).
#[derive(Debug, Serialize, ToSchema)]
pub struct FileView {
    /// Id.
    pub id: String,
    /// The project.
    pub project_id: String,
    /// File name as uploaded.
    pub name: String,
    /// Media type.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Who uploaded it.
    pub uploaded_by: AuthorView,
    /// `internal` or `client`.
    pub visibility: String,
    /// When it was uploaded.
    pub created_at: String,
}

impl From<&ProjectFile> for FileView {
    fn from(file: &ProjectFile) -> Self {
        Self {
            id: file.id.to_string(),
            project_id: file.project_id.to_string(),
            name: file.name.as_str().to_owned(),
            content_type: file.content_type.as_str().to_owned(),
            size_bytes: file.size_bytes,
            uploaded_by: file.uploaded_by.into(),
            visibility: file.visibility.as_str().to_owned(),
            created_at: instant(file.created_at),
        }
    }
}

/// A project post, or a comment when `task_id` is set.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    /// Id.
    pub id: String,
    /// The project.
    pub project_id: String,
    /// The task commented on.
    pub task_id: Option<String>,
    /// The author.
    pub author: AuthorView,
    /// Text.
    pub body: String,
    /// `internal` or `client`.
    pub visibility: String,
    /// When it was posted.
    pub created_at: String,
}

impl From<&Message> for MessageView {
    fn from(message: &Message) -> Self {
        Self {
            id: message.id.to_string(),
            project_id: message.project_id.to_string(),
            task_id: message.task_id.map(|id| id.to_string()),
            author: message.author.into(),
            body: message.body.as_str().to_owned(),
            visibility: message.visibility.as_str().to_owned(),
            created_at: instant(message.created_at),
        }
    }
}

/// One client's answer to an approval request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApprovalAnswerView {
    /// The client who answered.
    pub client_id: String,
    /// `approved` or `changes_requested`.
    pub decision: String,
    /// The client's comment.
    pub comment: Option<String>,
    /// When they answered.
    pub answered_at: String,
}

impl From<&ApprovalAnswer> for ApprovalAnswerView {
    fn from(answer: &ApprovalAnswer) -> Self {
        Self {
            client_id: answer.client_id.to_string(),
            decision: answer.decision.as_str().to_owned(),
            comment: answer.comment.as_ref().map(|c| c.as_str().to_owned()),
            answered_at: instant(answer.answered_at),
        }
    }
}

/// A request for clients to approve a task or a file.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApprovalView {
    /// Id.
    pub id: String,
    /// The project.
    pub project_id: String,
    /// `task` or `file`.
    pub subject_kind: String,
    /// The task's or file's id.
    pub subject_id: String,
    /// The staff member who asked.
    pub requested_by: String,
    /// When it was asked.
    pub created_at: String,
    /// Answers so far.
    pub answers: Vec<ApprovalAnswerView>,
}

impl ApprovalView {
    /// The request with its answers picked from `answers`.
    pub fn new(request: &ApprovalRequest, answers: &[ApprovalAnswer]) -> Self {
        let (subject_kind, subject_id) = match request.subject {
            ApprovalSubject::Task(id) => ("task", id.to_string()),
            ApprovalSubject::File(id) => ("file", id.to_string()),
        };
        Self {
            id: request.id.to_string(),
            project_id: request.project_id.to_string(),
            subject_kind: subject_kind.to_owned(),
            subject_id,
            requested_by: request.requested_by.to_string(),
            created_at: instant(request.created_at),
            answers: answers.iter().filter(|a| a.approval_id == request.id).map(Into::into).collect(),
        }
    }
}
