//! Tasks, files, messages and approvals: each listed per project in one query.

use std::sync::LazyLock;

use async_trait::async_trait;
use portico_domain::approval::{ApprovalAnswer, ApprovalRequest, ApprovalSubject};
use portico_domain::content::{ContentType, FileName, Message, ProjectFile, StorageKey, Task};
use portico_domain::ids::{ApprovalId, ClientId, FileId, MessageId, ProjectId, StaffId, TaskId, WorkspaceId};
use portico_domain::text::{Description, MessageBody, TaskTitle};
use portico_ports::RepoResult;
use portico_ports::repos::{ApprovalRepo, FileRepo, MessageRepo, TaskRepo};

use crate::codec::{corrupt, read, read_enum, read_opt, user, user_parts};
use crate::columns::{Column, Table};
use crate::engine::{Row, Transaction, Value};
use crate::unit::{SqlUnit, changed};

/// The tasks table.
static TASKS: Table<Task> = Table::new(
    "tasks",
    &[
        Column::key("workspace_id", |t| t.workspace_id.as_uuid().into()),
        Column::key("id", |t| t.id.as_uuid().into()),
        Column::fixed("project_id", |t| t.project_id.as_uuid().into()),
        Column::field("title", |t| t.title.as_str().into()),
        Column::field("description", |t| t.description.as_ref().map(Description::as_str).into()),
        Column::field("state", |t| t.state.as_str().into()),
        Column::field("due_date", |t| t.due_date.into()),
        Column::field("assignee", |t| t.assignee.map(|s| s.as_uuid()).into()),
        Column::field("visibility", |t| t.visibility.as_str().into()),
        Column::fixed("created_by", |t| t.created_by.as_uuid().into()),
        Column::fixed("created_at", |t| t.created_at.into()),
        Column::field("updated_at", |t| t.updated_at.into()),
    ],
);

/// The files table: the bytes live in the file store under `storage_key`.
static FILES: Table<ProjectFile> = Table::new(
    "files",
    &[
        Column::key("workspace_id", |f| f.workspace_id.as_uuid().into()),
        Column::key("id", |f| f.id.as_uuid().into()),
        Column::fixed("project_id", |f| f.project_id.as_uuid().into()),
        Column::field("name", |f| f.name.as_str().into()),
        Column::fixed("content_type", |f| f.content_type.as_str().into()),
        // Sizes are held under the upload limit, far below where an i64 ends.
        Column::fixed("size_bytes", |f| i64::try_from(f.size_bytes).unwrap_or(i64::MAX).into()),
        Column::fixed("storage_key", |f| f.storage_key.as_str().into()),
        Column::fixed("uploaded_by_kind", |f| user_parts(f.uploaded_by).0.into()),
        Column::fixed("uploaded_by", |f| user_parts(f.uploaded_by).1.into()),
        Column::field("visibility", |f| f.visibility.as_str().into()),
        Column::fixed("created_at", |f| f.created_at.into()),
    ],
);

/// The messages table: posts, and comments when `task_id` is set.
static MESSAGES: Table<Message> = Table::new(
    "messages",
    &[
        Column::key("workspace_id", |m| m.workspace_id.as_uuid().into()),
        Column::key("id", |m| m.id.as_uuid().into()),
        Column::fixed("project_id", |m| m.project_id.as_uuid().into()),
        Column::fixed("task_id", |m| m.task_id.map(|t| t.as_uuid()).into()),
        Column::fixed("author_kind", |m| user_parts(m.author).0.into()),
        Column::fixed("author_id", |m| user_parts(m.author).1.into()),
        Column::field("body", |m| m.body.as_str().into()),
        Column::field("visibility", |m| m.visibility.as_str().into()),
        Column::fixed("created_at", |m| m.created_at.into()),
    ],
);

/// The approvals table: a request is about exactly one task or file.
static APPROVALS: Table<ApprovalRequest> = Table::new(
    "approvals",
    &[
        Column::key("workspace_id", |a| a.workspace_id.as_uuid().into()),
        Column::key("id", |a| a.id.as_uuid().into()),
        Column::fixed("project_id", |a| a.project_id.as_uuid().into()),
        Column::fixed("task_id", |a| {
            match a.subject {
                ApprovalSubject::Task(task) => Some(task.as_uuid()),
                ApprovalSubject::File(_) => None,
            }
            .into()
        }),
        Column::fixed("file_id", |a| {
            match a.subject {
                ApprovalSubject::File(file) => Some(file.as_uuid()),
                ApprovalSubject::Task(_) => None,
            }
            .into()
        }),
        Column::fixed("requested_by", |a| a.requested_by.as_uuid().into()),
        Column::fixed("created_at", |a| a.created_at.into()),
    ],
);

static TASK_SELECT: LazyLock<String> = LazyLock::new(|| format!("SELECT {} FROM tasks", TASKS.select("tasks")));
static FILE_SELECT: LazyLock<String> = LazyLock::new(|| format!("SELECT {} FROM files", FILES.select("files")));
static MESSAGE_SELECT: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {} FROM messages", MESSAGES.select("messages")));
static APPROVAL_SELECT: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {} FROM approvals", APPROVALS.select("approvals")));

fn task(row: &impl Row) -> RepoResult<Task> {
    Ok(Task {
        id: TaskId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        project_id: ProjectId::from_uuid(row.uuid("project_id")?),
        title: read(row, "title", TaskTitle::parse)?,
        description: read_opt(row, "description", Description::parse)?,
        state: read_enum(row, "state")?,
        due_date: row.opt_date("due_date")?,
        assignee: row.opt_uuid("assignee")?.map(StaffId::from_uuid),
        visibility: read_enum(row, "visibility")?,
        created_by: StaffId::from_uuid(row.uuid("created_by")?),
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

fn file(row: &impl Row) -> RepoResult<ProjectFile> {
    Ok(ProjectFile {
        id: FileId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        project_id: ProjectId::from_uuid(row.uuid("project_id")?),
        name: read(row, "name", FileName::parse)?,
        content_type: read(row, "content_type", ContentType::parse)?,
        size_bytes: u64::try_from(row.int("size_bytes")?).map_err(|e| corrupt("size_bytes", e))?,
        storage_key: StorageKey::from_stored(row.text("storage_key")?),
        uploaded_by: user(row, "uploaded_by_kind", "uploaded_by")?,
        visibility: read_enum(row, "visibility")?,
        created_at: row.time("created_at")?,
    })
}

fn message(row: &impl Row) -> RepoResult<Message> {
    Ok(Message {
        id: MessageId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        project_id: ProjectId::from_uuid(row.uuid("project_id")?),
        task_id: row.opt_uuid("task_id")?.map(TaskId::from_uuid),
        author: user(row, "author_kind", "author_id")?,
        body: read(row, "body", MessageBody::parse)?,
        visibility: read_enum(row, "visibility")?,
        created_at: row.time("created_at")?,
    })
}

fn approval(row: &impl Row) -> RepoResult<ApprovalRequest> {
    let subject = match (row.opt_uuid("task_id")?, row.opt_uuid("file_id")?) {
        (Some(task), None) => ApprovalSubject::Task(TaskId::from_uuid(task)),
        (None, Some(file)) => ApprovalSubject::File(FileId::from_uuid(file)),
        _ => return Err(corrupt("task_id", "an approval is about exactly one task or file")),
    };
    Ok(ApprovalRequest {
        id: ApprovalId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        project_id: ProjectId::from_uuid(row.uuid("project_id")?),
        subject,
        requested_by: StaffId::from_uuid(row.uuid("requested_by")?),
        created_at: row.time("created_at")?,
    })
}

fn answer(row: &impl Row) -> RepoResult<ApprovalAnswer> {
    Ok(ApprovalAnswer {
        approval_id: ApprovalId::from_uuid(row.uuid("approval_id")?),
        client_id: ClientId::from_uuid(row.uuid("client_id")?),
        decision: read_enum(row, "decision")?,
        comment: read_opt(row, "comment", MessageBody::parse)?,
        answered_at: row.time("answered_at")?,
    })
}

/// The `WHERE` of a per-project list, ordered by creation.
const BY_PROJECT: &str = " WHERE workspace_id = $1 AND project_id = $2 ORDER BY created_at, id";
/// The `WHERE` of a lookup by id.
const BY_ID: &str = " WHERE workspace_id = $1 AND id = $2";

fn key(workspace: WorkspaceId, id: uuid::Uuid) -> Vec<Value> {
    vec![workspace.as_uuid().into(), id.into()]
}

#[async_trait]
impl<S: Transaction> TaskRepo for SqlUnit<S> {
    async fn insert(&mut self, t: &Task) -> RepoResult<()> {
        self.execute(TASKS.insert(), TASKS.insert_values(t)).await.map(drop)
    }

    async fn update(&mut self, t: &Task) -> RepoResult<()> {
        changed(self.execute(TASKS.update(), TASKS.update_values(t)).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: TaskId) -> RepoResult<Option<Task>> {
        self.one(&format!("{}{BY_ID}", *TASK_SELECT), key(workspace, id.as_uuid()), task).await
    }

    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Task>> {
        self.all(&format!("{}{BY_PROJECT}", *TASK_SELECT), key(workspace, project.as_uuid()), task).await
    }
}

#[async_trait]
impl<S: Transaction> FileRepo for SqlUnit<S> {
    async fn insert(&mut self, f: &ProjectFile) -> RepoResult<()> {
        self.execute(FILES.insert(), FILES.insert_values(f)).await.map(drop)
    }

    async fn update(&mut self, f: &ProjectFile) -> RepoResult<()> {
        changed(self.execute(FILES.update(), FILES.update_values(f)).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: FileId) -> RepoResult<Option<ProjectFile>> {
        self.one(&format!("{}{BY_ID}", *FILE_SELECT), key(workspace, id.as_uuid()), file).await
    }

    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<ProjectFile>> {
        self.all(&format!("{}{BY_PROJECT}", *FILE_SELECT), key(workspace, project.as_uuid()), file).await
    }
}

#[async_trait]
impl<S: Transaction> MessageRepo for SqlUnit<S> {
    async fn insert(&mut self, m: &Message) -> RepoResult<()> {
        self.execute(MESSAGES.insert(), MESSAGES.insert_values(m)).await.map(drop)
    }

    async fn update(&mut self, m: &Message) -> RepoResult<()> {
        changed(self.execute(MESSAGES.update(), MESSAGES.update_values(m)).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: MessageId) -> RepoResult<Option<Message>> {
        self.one(&format!("{}{BY_ID}", *MESSAGE_SELECT), key(workspace, id.as_uuid()), message).await
    }

    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Message>> {
        self.all(&format!("{}{BY_PROJECT}", *MESSAGE_SELECT), key(workspace, project.as_uuid()), message).await
    }
}

#[async_trait]
impl<S: Transaction> ApprovalRepo for SqlUnit<S> {
    async fn insert(&mut self, a: &ApprovalRequest) -> RepoResult<()> {
        self.execute(APPROVALS.insert(), APPROVALS.insert_values(a)).await.map(drop)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ApprovalId) -> RepoResult<Option<ApprovalRequest>> {
        self.one(&format!("{}{BY_ID}", *APPROVAL_SELECT), key(workspace, id.as_uuid()), approval).await
    }

    async fn list_for_project(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
    ) -> RepoResult<Vec<ApprovalRequest>> {
        self.all(&format!("{}{BY_PROJECT}", *APPROVAL_SELECT), key(workspace, project.as_uuid()), approval).await
    }

    async fn add_answer(&mut self, workspace: WorkspaceId, a: &ApprovalAnswer) -> RepoResult<()> {
        let sql = "INSERT INTO approval_answers (workspace_id, approval_id, client_id, decision, comment, answered_at) \
            VALUES ($1, $2, $3, $4, $5, $6)";
        let args = vec![
            workspace.as_uuid().into(),
            a.approval_id.as_uuid().into(),
            a.client_id.as_uuid().into(),
            a.decision.as_str().into(),
            Value::from(a.comment.as_ref().map(MessageBody::as_str)),
            a.answered_at.into(),
        ];
        // A request (or client) missing from the workspace fails its foreign key: `NotFound`.
        self.execute(sql, args).await?;
        // Answered: another request about the subject may be made (`approvals_pending_*_key`).
        let answered = "UPDATE approvals SET answered = $3 WHERE workspace_id = $1 AND id = $2";
        let args = vec![workspace.as_uuid().into(), a.approval_id.as_uuid().into(), true.into()];
        self.execute(answered, args).await.map(drop)
    }

    async fn answers_for_project(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
    ) -> RepoResult<Vec<ApprovalAnswer>> {
        let sql = "SELECT a.approval_id, a.client_id, a.decision, a.comment, a.answered_at FROM approval_answers a \
            JOIN approvals r ON r.workspace_id = a.workspace_id AND r.id = a.approval_id \
            WHERE a.workspace_id = $1 AND r.project_id = $2 ORDER BY a.answered_at, a.client_id";
        self.all(sql, key(workspace, project.as_uuid()), answer).await
    }
}
