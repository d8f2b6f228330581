//! Work inside a project, by staff: tasks, comments, messages and files, each internal or
//! client-visible.

use portico_domain::activity::{ActivityKind, makes_news, message_kind};
use portico_domain::audit::{AuditAction, AuditActor, AuditSubject, FieldChange};
use portico_domain::content::{
    ContentType, FileName, Message, ProjectFile, StorageKey, Task, TaskEdit, TaskState, Visibility,
};
use portico_domain::ids::{FileId, MessageId, ProjectId, StaffId, TaskId};
use portico_domain::project::Project;
use portico_domain::staff::UserRef;
use portico_domain::text::{Description, MessageBody, TaskTitle};
use portico_domain::world::ItemRef;
use time::Date;

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::support::{Work, by_staff};

/// A validated new task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    /// Short title.
    pub title: TaskTitle,
    /// Longer description.
    pub description: Option<Description>,
    /// When it is due.
    pub due_date: Option<Date>,
    /// The staff member doing it.
    pub assignee: Option<StaffId>,
    /// Internal or client-visible.
    pub visibility: Visibility,
}

/// A validated new message or comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// The text.
    pub body: MessageBody,
    /// Who may see it (clients' posts are always client-visible whatever this says).
    pub visibility: Visibility,
}

/// A validated upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUpload {
    /// The file's name.
    pub name: FileName,
    /// Its media type.
    pub content_type: ContentType,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Who may see it (clients' uploads are always client-visible whatever this says).
    pub visibility: Visibility,
}

impl Portico {
    /// Adds a task to a project. Staff on the project.
    ///
    /// # Errors
    /// `NotFound` (project, or assignee), `Rule(ProjectArchived)`.
    pub async fn create_task(&self, actor: &Actor, project: ProjectId, new: NewTask) -> AppResult<Task> {
        let mut work = self.begin(actor.workspace).await?;
        let (staff, project) = work.staff_project(actor, project).await?;
        project.ensure_open()?;
        if let Some(assignee) = new.assignee {
            work.uow.staff().get(actor.workspace, assignee).await?.ok_or(AppError::NotFound)?;
        }
        let task = Task {
            id: work.new_id(TaskId::from_uuid),
            workspace_id: actor.workspace,
            project_id: project.id,
            title: new.title,
            description: new.description,
            state: TaskState::Open,
            due_date: new.due_date,
            assignee: new.assignee,
            visibility: new.visibility,
            created_by: staff.id,
            created_at: work.now,
            updated_at: work.now,
        };
        work.uow.tasks().insert(&task).await?;
        let changes = vec![
            FieldChange::plain("title", None, Some(&task.title)),
            FieldChange::plain("visibility", None, Some(&task.visibility)),
        ];
        let related = Some(AuditSubject::Project(project.id));
        work.audit(by_staff(&staff), AuditSubject::Task(task.id), related, AuditAction::TaskCreated, changes).await?;
        if makes_news(task.visibility) {
            work.record_activity(
                UserRef::Staff(staff.id),
                ActivityKind::Shared,
                ItemRef::Task(task.id),
                Some(project.id),
            )
            .await?;
        }
        work.commit().await?;
        Ok(task)
    }

    /// Changes a task — its visibility included. Staff on the project.
    ///
    /// # Errors
    /// `NotFound`, `Rule(ProjectArchived)`.
    pub async fn edit_task(&self, actor: &Actor, id: TaskId, edit: TaskEdit) -> AppResult<Task> {
        let mut work = self.begin(actor.workspace).await?;
        let mut task = work.uow.tasks().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        let (staff, project) = work.staff_project(actor, task.project_id).await?;
        project.ensure_open()?;
        if let Some(Some(assignee)) = edit.assignee {
            work.uow.staff().get(actor.workspace, assignee).await?.ok_or(AppError::NotFound)?;
        }
        let was_news = makes_news(task.visibility);
        let changes = task.apply_edit(edit, work.now);
        if !changes.is_empty() {
            work.uow.tasks().update(&task).await?;
            let related = Some(AuditSubject::Project(project.id));
            work.audit(by_staff(&staff), AuditSubject::Task(id), related, AuditAction::TaskEdited, changes).await?;
            if makes_news(task.visibility) && !was_news {
                work.record_activity(
                    UserRef::Staff(staff.id),
                    ActivityKind::Shared,
                    ItemRef::Task(id),
                    Some(project.id),
                )
                .await?;
            }
            work.commit().await?;
        }
        Ok(task)
    }

    /// Posts to a project's discussion. Staff on the project.
    ///
    /// # Errors
    /// `NotFound`, `Rule(ProjectArchived)`.
    pub async fn post_message(&self, actor: &Actor, project: ProjectId, new: NewMessage) -> AppResult<Message> {
        let mut work = self.begin(actor.workspace).await?;
        let (staff, project) = work.staff_project(actor, project).await?;
        let message = work.insert_message(&project, None, UserRef::Staff(staff.id), new).await?;
        work.commit().await?;
        Ok(message)
    }

    /// Comments on a task. Staff on the project.
    ///
    /// # Errors
    /// `NotFound`, `Rule(ProjectArchived)`.
    pub async fn comment_on_task(&self, actor: &Actor, task: TaskId, new: NewMessage) -> AppResult<Message> {
        let mut work = self.begin(actor.workspace).await?;
        let task = work.uow.tasks().get(actor.workspace, task).await?.ok_or(AppError::NotFound)?;
        let (staff, project) = work.staff_project(actor, task.project_id).await?;
        let message = work.insert_message(&project, Some(task.id), UserRef::Staff(staff.id), new).await?;
        work.commit().await?;
        Ok(message)
    }

    /// Makes a message internal or client-visible. Staff on the project.
    ///
    /// # Errors
    /// `NotFound`, `Rule(ProjectArchived)`, `Rule(ClientItemMustStayShared)`.
    pub async fn set_message_visibility(
        &self,
        actor: &Actor,
        id: MessageId,
        visibility: Visibility,
    ) -> AppResult<Message> {
        let mut work = self.begin(actor.workspace).await?;
        let mut message = work.uow.messages().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        let (staff, project) = work.staff_project(actor, message.project_id).await?;
        project.ensure_open()?;
        if let Some(change) = message.set_visibility(visibility)? {
            work.uow.messages().update(&message).await?;
            let related = Some(AuditSubject::Project(project.id));
            let action = AuditAction::MessageVisibilityChanged;
            work.audit(by_staff(&staff), AuditSubject::Message(id), related, action, vec![change]).await?;
            if makes_news(message.visibility) {
                let kind = message_kind(message.task_id.is_some());
                work.record_activity(UserRef::Staff(staff.id), kind, ItemRef::Message(id), Some(project.id)).await?;
            }
            work.commit().await?;
        }
        Ok(message)
    }

    /// Uploads a file to a project. Staff on the project.
    ///
    /// # Errors
    /// `NotFound`, `Rule(ProjectArchived)`, `Service` when the bytes cannot be stored.
    pub async fn upload_file(&self, actor: &Actor, project: ProjectId, upload: NewUpload) -> AppResult<ProjectFile> {
        let mut work = self.begin(actor.workspace).await?;
        let (staff, project) = work.staff_project(actor, project).await?;
        self.store_upload(work, &project, UserRef::Staff(staff.id), upload).await
    }

    /// Makes a file internal or client-visible. Staff on the project.
    ///
    /// # Errors
    /// `NotFound`, `Rule(ProjectArchived)`, `Rule(ClientItemMustStayShared)`.
    pub async fn set_file_visibility(
        &self,
        actor: &Actor,
        id: FileId,
        visibility: Visibility,
    ) -> AppResult<ProjectFile> {
        let mut work = self.begin(actor.workspace).await?;
        let mut file = work.uow.files().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        let (staff, project) = work.staff_project(actor, file.project_id).await?;
        project.ensure_open()?;
        if let Some(change) = file.set_visibility(visibility)? {
            work.uow.files().update(&file).await?;
            let related = Some(AuditSubject::Project(project.id));
            let action = AuditAction::FileVisibilityChanged;
            work.audit(by_staff(&staff), AuditSubject::File(id), related, action, vec![change]).await?;
            if makes_news(file.visibility) {
                let by = UserRef::Staff(staff.id);
                work.record_activity(by, ActivityKind::Shared, ItemRef::File(id), Some(project.id)).await?;
            }
            work.commit().await?;
        }
        Ok(file)
    }

    /// A file and its bytes, for staff on the project.
    ///
    /// # Errors
    /// `NotFound` (also when the bytes are missing), `Service`.
    pub async fn download_file(&self, actor: &Actor, id: FileId) -> AppResult<(ProjectFile, Vec<u8>)> {
        let mut work = self.begin_read(actor.workspace).await?;
        let file = work.uow.files().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        work.staff_project(actor, file.project_id).await?;
        drop(work);
        let bytes = self.services.files.get(&file.storage_key).await?;
        Ok((file, bytes))
    }

    /// Stores an upload's bytes, then its record, in that order; the bytes are removed again
    /// if the record cannot be committed, so neither is ever left without the other.
    pub(crate) async fn store_upload(
        &self,
        work: Work,
        project: &Project,
        uploader: UserRef,
        upload: NewUpload,
    ) -> AppResult<ProjectFile> {
        project.ensure_open()?;
        let id = work.new_id(FileId::from_uuid);
        let visibility = match uploader {
            UserRef::Client(_) => Visibility::Client,
            UserRef::Staff(_) => upload.visibility,
        };
        let file = ProjectFile {
            id,
            workspace_id: work.workspace(),
            project_id: project.id,
            name: upload.name,
            content_type: upload.content_type,
            size_bytes: upload.bytes.len() as u64,
            storage_key: StorageKey::for_file(id),
            uploaded_by: uploader,
            visibility,
            created_at: work.now,
        };
        self.services.files.put(&file.storage_key, upload.bytes).await?;
        if let Err(error) = record_upload(work, &file).await {
            // Best effort: the record failed, so the bytes must not linger. A failure to
            // delete leaves an unreferenced blob, never a record without bytes.
            let _ = self.services.files.delete(&file.storage_key).await;
            return Err(error);
        }
        Ok(file)
    }
}

/// Writes the record and audit event of an upload whose bytes are stored, and commits.
async fn record_upload(mut work: Work, file: &ProjectFile) -> AppResult<()> {
    work.uow.files().insert(file).await?;
    let changes = vec![
        FieldChange::plain("name", None, Some(&file.name)),
        FieldChange::plain("visibility", None, Some(&file.visibility)),
    ];
    let related = Some(AuditSubject::Project(file.project_id));
    let by = AuditActor::User(file.uploaded_by);
    work.audit(by, AuditSubject::File(file.id), related, AuditAction::FileUploaded, changes).await?;
    if makes_news(file.visibility) {
        let item = ItemRef::File(file.id);
        work.record_activity(file.uploaded_by, ActivityKind::Shared, item, Some(file.project_id)).await?;
    }
    work.commit().await
}
