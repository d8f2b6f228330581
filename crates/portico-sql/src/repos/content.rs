//! Tasks, files, messages and approvals: each listed per project in one query.

use async_trait::async_trait;
use portico_domain::approval::{ApprovalAnswer, ApprovalRequest, ApprovalSubject};
use portico_domain::content::{ContentType, FileName, Message, ProjectFile, StorageKey, Task};
use portico_domain::ids::{ApprovalId, ClientId, FileId, MessageId, ProjectId, StaffId, TaskId, WorkspaceId};
use portico_domain::text::{Description, MessageBody, TaskTitle};
use portico_ports::RepoResult;
use portico_ports::repos::{ApprovalRepo, FileRepo, MessageRepo, TaskRepo};

use crate::codec::{corrupt, read, read_enum, read_opt, user, user_parts};
use crate::engine::{Row, Transaction, Value};
use crate::unit::{SqlUnit, changed};

const TASKS: &str = "SELECT id, workspace_id, project_id, title, description, state, due_date, assignee, visibility, \
    created_by, created_at, updated_at FROM tasks";
const FILES: &str = "SELECT id, workspace_id, project_id, name, content_type, size_bytes, storage_key, \
    uploaded_by_kind, uploaded_by, visibility, created_at FROM files";
const MESSAGES: &str = "SELECT id, workspace_id, project_id, task_id, author_kind, author_id, body, visibility, \
    created_at FROM messages";
const APPROVALS: &str =
    "SELECT id, workspace_id, project_id, task_id, file_id, requested_by, created_at FROM approvals";

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

fn task_values(t: &Task) -> Vec<Value> {
    vec![
        t.workspace_id.as_uuid().into(),
        t.id.as_uuid().into(),
        t.project_id.as_uuid().into(),
        t.title.as_str().into(),
        Value::from(t.description.as_ref().map(Description::as_str)),
        t.state.as_str().into(),
        t.due_date.into(),
        t.assignee.map(|s| s.as_uuid()).into(),
        t.visibility.as_str().into(),
        t.created_by.as_uuid().into(),
        t.created_at.into(),
        t.updated_at.into(),
    ]
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
        let sql = "INSERT INTO tasks (workspace_id, id, project_id, title, description, state, due_date, assignee, \
            visibility, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
        self.execute(sql, task_values(t)).await.map(drop)
    }

    async fn update(&mut self, t: &Task) -> RepoResult<()> {
        let sql = "UPDATE tasks SET project_id = $3, title = $4, description = $5, state = $6, due_date = $7, \
            assignee = $8, visibility = $9, created_by = $10, created_at = $11, updated_at = $12 \
            WHERE workspace_id = $1 AND id = $2";
        changed(self.execute(sql, task_values(t)).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: TaskId) -> RepoResult<Option<Task>> {
        self.one(&format!("{TASKS}{BY_ID}"), key(workspace, id.as_uuid()), task).await
    }

    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Task>> {
        self.all(&format!("{TASKS}{BY_PROJECT}"), key(workspace, project.as_uuid()), task).await
    }
}

#[async_trait]
impl<S: Transaction> FileRepo for SqlUnit<S> {
    async fn insert(&mut self, f: &ProjectFile) -> RepoResult<()> {
        let sql = "INSERT INTO files (workspace_id, id, project_id, name, content_type, size_bytes, storage_key, \
            uploaded_by_kind, uploaded_by, visibility, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        let (kind, by) = user_parts(f.uploaded_by);
        let size = i64::try_from(f.size_bytes).map_err(|e| corrupt("size_bytes", e))?;
        let args = vec![
            f.workspace_id.as_uuid().into(),
            f.id.as_uuid().into(),
            f.project_id.as_uuid().into(),
            f.name.as_str().into(),
            f.content_type.as_str().into(),
            size.into(),
            f.storage_key.as_str().into(),
            kind.into(),
            by.into(),
            f.visibility.as_str().into(),
            f.created_at.into(),
        ];
        self.execute(sql, args).await.map(drop)
    }

    async fn update(&mut self, f: &ProjectFile) -> RepoResult<()> {
        let sql = "UPDATE files SET name = $3, visibility = $4 WHERE workspace_id = $1 AND id = $2";
        let args = vec![
            f.workspace_id.as_uuid().into(),
            f.id.as_uuid().into(),
            f.name.as_str().into(),
            f.visibility.as_str().into(),
        ];
        changed(self.execute(sql, args).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: FileId) -> RepoResult<Option<ProjectFile>> {
        self.one(&format!("{FILES}{BY_ID}"), key(workspace, id.as_uuid()), file).await
    }

    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<ProjectFile>> {
        self.all(&format!("{FILES}{BY_PROJECT}"), key(workspace, project.as_uuid()), file).await
    }
}

#[async_trait]
impl<S: Transaction> MessageRepo for SqlUnit<S> {
    async fn insert(&mut self, m: &Message) -> RepoResult<()> {
        let sql = "INSERT INTO messages (workspace_id, id, project_id, task_id, author_kind, author_id, body, \
            visibility, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        let (kind, author) = user_parts(m.author);
        let args = vec![
            m.workspace_id.as_uuid().into(),
            m.id.as_uuid().into(),
            m.project_id.as_uuid().into(),
            m.task_id.map(|t| t.as_uuid()).into(),
            kind.into(),
            author.into(),
            m.body.as_str().into(),
            m.visibility.as_str().into(),
            m.created_at.into(),
        ];
        self.execute(sql, args).await.map(drop)
    }

    async fn update(&mut self, m: &Message) -> RepoResult<()> {
        let sql = "UPDATE messages SET body = $3, visibility = $4 WHERE workspace_id = $1 AND id = $2";
        let args = vec![
            m.workspace_id.as_uuid().into(),
            m.id.as_uuid().into(),
            m.body.as_str().into(),
            m.visibility.as_str().into(),
        ];
        changed(self.execute(sql, args).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: MessageId) -> RepoResult<Option<Message>> {
        self.one(&format!("{MESSAGES}{BY_ID}"), key(workspace, id.as_uuid()), message).await
    }

    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Message>> {
        self.all(&format!("{MESSAGES}{BY_PROJECT}"), key(workspace, project.as_uuid()), message).await
    }
}

#[async_trait]
impl<S: Transaction> ApprovalRepo for SqlUnit<S> {
    async fn insert(&mut self, a: &ApprovalRequest) -> RepoResult<()> {
        let sql = "INSERT INTO approvals (workspace_id, id, project_id, task_id, file_id, requested_by, created_at) \
            VALUES ($1, $2, $3, $4, $5, $6, $7)";
        let (task, file) = match a.subject {
            ApprovalSubject::Task(task) => (Some(task.as_uuid()), None),
            ApprovalSubject::File(file) => (None, Some(file.as_uuid())),
        };
        let args = vec![
            a.workspace_id.as_uuid().into(),
            a.id.as_uuid().into(),
            a.project_id.as_uuid().into(),
            task.into(),
            file.into(),
            a.requested_by.as_uuid().into(),
            a.created_at.into(),
        ];
        self.execute(sql, args).await.map(drop)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ApprovalId) -> RepoResult<Option<ApprovalRequest>> {
        self.one(&format!("{APPROVALS}{BY_ID}"), key(workspace, id.as_uuid()), approval).await
    }

    async fn list_for_project(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
    ) -> RepoResult<Vec<ApprovalRequest>> {
        self.all(&format!("{APPROVALS}{BY_PROJECT}"), key(workspace, project.as_uuid()), approval).await
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
        self.execute(sql, args).await.map(drop)
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
