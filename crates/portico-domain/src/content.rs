//! The work inside a project: tasks, files and messages, each internal or client-visible.

use std::fmt;
use std::str::FromStr;

use time::{Date, OffsetDateTime};

use crate::audit::{DataKind, FieldChange};
use crate::ids::{FileId, MessageId, ProjectId, StaffId, TaskId, WorkspaceId};
use crate::names::named_enum;
use crate::rules::RuleViolation;
use crate::staff::UserRef;
use crate::text::{Description, MessageBody, TaskTitle, TextError};

named_enum! {
    /// Who may see an item, at most: staff always; clients only if it is `Client`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Visibility {
        /// Staff only.
        Internal => "internal",
        /// Staff and the project's clients (subject to their permissions).
        Client => "client",
    }
}

/// The error for a visibility name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be \"internal\" or \"client\"")]
pub struct UnknownVisibility;

impl FromStr for Visibility {
    type Err = UnknownVisibility;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or(UnknownVisibility)
    }
}

/// Changes the visibility of an item authored by `author`, recording the change.
///
/// What a client posts stays client-visible: hiding it would make the client's own words
/// vanish from its portal.
fn change_visibility(
    author: UserRef,
    slot: &mut Visibility,
    visibility: Visibility,
) -> Result<Option<FieldChange>, RuleViolation> {
    if !may_become(author, visibility) {
        return Err(RuleViolation::ClientItemMustStayShared);
    }
    let mut changes = Vec::new();
    FieldChange::set(&mut changes, "visibility", slot, visibility, DataKind::Ordinary);
    Ok(changes.pop())
}

/// Whether an item by `author` may be given `visibility`: anything but a client's own item
/// made internal.
fn may_become(author: UserRef, visibility: Visibility) -> bool {
    !(matches!(author, UserRef::Client(_)) && visibility == Visibility::Internal)
}

/// The visibility an item by `author` that is `current` can be switched to, if any: the
/// other one, unless the rule above forbids it (a client's post or upload stays shared).
pub fn visibility_switch(author: UserRef, current: Visibility) -> Option<Visibility> {
    let other = match current {
        Visibility::Internal => Visibility::Client,
        Visibility::Client => Visibility::Internal,
    };
    may_become(author, other).then_some(other)
}

named_enum! {
    /// How far along a task is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum TaskState {
        /// Not started.
        Open => "open",
        /// Being worked on.
        InProgress => "in_progress",
        /// Finished.
        Done => "done",
    }
}

/// The error for a task state name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be \"open\", \"in_progress\" or \"done\"")]
pub struct UnknownTaskState;

impl FromStr for TaskState {
    type Err = UnknownTaskState;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or(UnknownTaskState)
    }
}

/// A piece of work in a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// Identity.
    pub id: TaskId,
    /// The workspace.
    pub workspace_id: WorkspaceId,
    /// The project it belongs to.
    pub project_id: ProjectId,
    /// Short title.
    pub title: TaskTitle,
    /// Longer description.
    pub description: Option<Description>,
    /// Progress.
    pub state: TaskState,
    /// When it is due.
    pub due_date: Option<Date>,
    /// The staff member doing it.
    pub assignee: Option<StaffId>,
    /// Internal or client-visible.
    pub visibility: Visibility,
    /// Who created it (always staff).
    pub created_by: StaffId,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
}

/// A change to some fields of a task; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskEdit {
    /// New title.
    pub title: Option<TaskTitle>,
    /// New description, or `Some(None)` to clear it.
    pub description: Option<Option<Description>>,
    /// New progress state.
    pub state: Option<TaskState>,
    /// New due date, or `Some(None)` to clear it.
    pub due_date: Option<Option<Date>>,
    /// New assignee, or `Some(None)` to clear it.
    pub assignee: Option<Option<StaffId>>,
    /// New visibility.
    pub visibility: Option<Visibility>,
}

impl Task {
    /// The visibility the task can be switched to (staff create tasks, so always the other).
    pub fn visibility_switch(&self) -> Option<Visibility> {
        visibility_switch(UserRef::Staff(self.created_by), self.visibility)
    }

    /// Applies `edit` and returns what changed.
    pub fn apply_edit(&mut self, edit: TaskEdit, now: OffsetDateTime) -> Vec<FieldChange> {
        let mut changes = Vec::new();
        let kind = DataKind::Ordinary;
        if let Some(title) = edit.title {
            FieldChange::set(&mut changes, "title", &mut self.title, title, kind);
        }
        if let Some(description) = edit.description {
            FieldChange::set_optional(&mut changes, "description", &mut self.description, description, kind);
        }
        if let Some(state) = edit.state {
            FieldChange::set(&mut changes, "state", &mut self.state, state, kind);
        }
        if let Some(due_date) = edit.due_date {
            FieldChange::set_optional(&mut changes, "due_date", &mut self.due_date, due_date, kind);
        }
        if let Some(assignee) = edit.assignee {
            FieldChange::set_optional(&mut changes, "assignee", &mut self.assignee, assignee, kind);
        }
        if let Some(visibility) = edit.visibility {
            FieldChange::set(&mut changes, "visibility", &mut self.visibility, visibility, kind);
        }
        if !changes.is_empty() {
            self.updated_at = now;
        }
        changes
    }
}

/// A file's name as shown and offered on download: one path component, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileName(String);

/// Why a file name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileNameError {
    /// The usual text problems.
    #[error(transparent)]
    Text(#[from] TextError),
    /// Slashes, backslashes, or a name of only dots.
    #[error("must be a plain file name without / or \\")]
    NotAPlainName,
}

impl FileName {
    /// The longest accepted name, in characters.
    pub const MAX_CHARS: usize = 255;

    /// Trims and validates `input`.
    ///
    /// # Errors
    /// [`FileNameError`] for empty, over-long or control-character text, path separators,
    /// and names made only of dots.
    pub fn parse(input: &str) -> Result<Self, FileNameError> {
        let text = crate::text::clean(input, Self::MAX_CHARS, crate::text::Lines::Single)?;
        if text.contains(['/', '\\']) || text.chars().all(|c| c == '.') {
            return Err(FileNameError::NotAPlainName);
        }
        Ok(Self(text))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A media type such as `application/pdf`, lower-cased, parameters dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentType(String);

/// The error for text that is not a media type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a media type such as application/pdf")]
pub struct InvalidContentType;

impl ContentType {
    /// Parses `type/subtype` (parameters after `;` are dropped).
    ///
    /// # Errors
    /// [`InvalidContentType`] when the text is not of that shape.
    pub fn parse(input: &str) -> Result<Self, InvalidContentType> {
        let essence = input.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let token = |s: &str| {
            !s.is_empty() && s.len() <= 127 && s.chars().all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
        };
        match essence.split_once('/') {
            Some((kind, subtype)) if token(kind) && token(subtype) => Ok(Self(essence)),
            _ => Err(InvalidContentType),
        }
    }

    /// `application/octet-stream`, for uploads that do not say.
    pub fn octet_stream() -> Self {
        Self("application/octet-stream".to_owned())
    }

    /// The media type.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a file's bytes are kept in the file store: a generated name, never the user's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StorageKey(String);

impl StorageKey {
    /// The key for a file's bytes, derived from its id.
    pub fn for_file(id: FileId) -> Self {
        Self(id.as_uuid().simple().to_string())
    }

    /// Rebuilds a key read from storage.
    pub fn from_stored(key: String) -> Self {
        Self(key)
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A file shared in a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFile {
    /// Identity.
    pub id: FileId,
    /// The workspace.
    pub workspace_id: WorkspaceId,
    /// The project it belongs to.
    pub project_id: ProjectId,
    /// The name it was uploaded with.
    pub name: FileName,
    /// Its media type.
    pub content_type: ContentType,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// Where the bytes are.
    pub storage_key: StorageKey,
    /// Who uploaded it.
    pub uploaded_by: UserRef,
    /// Internal or client-visible.
    pub visibility: Visibility,
    /// When it was uploaded.
    pub created_at: OffsetDateTime,
}

impl ProjectFile {
    /// The visibility the file can be switched to, if any.
    pub fn visibility_switch(&self) -> Option<Visibility> {
        visibility_switch(self.uploaded_by, self.visibility)
    }

    /// Changes who may see the file.
    ///
    /// # Errors
    /// [`RuleViolation::ClientItemMustStayShared`] when hiding a client's upload.
    pub fn set_visibility(&mut self, visibility: Visibility) -> Result<Option<FieldChange>, RuleViolation> {
        change_visibility(self.uploaded_by, &mut self.visibility, visibility)
    }
}

/// A discussion post in a project, or (with `task_id`) a comment on a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Identity.
    pub id: MessageId,
    /// The workspace.
    pub workspace_id: WorkspaceId,
    /// The project it belongs to.
    pub project_id: ProjectId,
    /// The task it comments on, if it is a comment.
    pub task_id: Option<TaskId>,
    /// Who wrote it.
    pub author: UserRef,
    /// What it says.
    pub body: MessageBody,
    /// Internal or client-visible.
    pub visibility: Visibility,
    /// When it was posted.
    pub created_at: OffsetDateTime,
}

impl Message {
    /// The visibility the message can be switched to, if any.
    pub fn visibility_switch(&self) -> Option<Visibility> {
        visibility_switch(self.author, self.visibility)
    }

    /// Changes who may see the message.
    ///
    /// # Errors
    /// [`RuleViolation::ClientItemMustStayShared`] when hiding a client's post.
    pub fn set_visibility(&mut self, visibility: Visibility) -> Result<Option<FieldChange>, RuleViolation> {
        change_visibility(self.author, &mut self.visibility, visibility)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ClientId;
    use time::macros::datetime;
    use uuid::Uuid;

    #[test]
    fn bidi_controls_never_reach_a_file_name() {
        let spoof = "invoice\u{202e}fdp.exe";
        assert_eq!(FileName::parse(spoof).map(|n| n.0), Ok("invoicefdp.exe".into()));
        assert_eq!(FileName::parse("\u{2067}report\u{2069}.pdf").map(|n| n.0), Ok("report.pdf".into()));
    }

    #[test]
    fn file_names_are_single_path_components() {
        assert_eq!(FileName::parse(" logo v2.final.PNG ").map(|n| n.0), Ok("logo v2.final.PNG".into()));
        for bad in ["../etc/passwd", "a/b", "a\\b", "..", ".", "x\r\ny"] {
            assert!(FileName::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(FileName::parse("").err(), Some(FileNameError::Text(TextError::Empty)));
    }

    #[test]
    fn content_types_are_normalised() {
        assert_eq!(ContentType::parse("Text/HTML; charset=utf-8").map(|c| c.0), Ok("text/html".into()));
        assert_eq!(ContentType::parse("application/vnd.ms-excel").map(|c| c.0), Ok("application/vnd.ms-excel".into()));
        for bad in ["", "pdf", "text/", "/html", "text/ html", "text/html\r\nX: y"] {
            assert_eq!(ContentType::parse(bad), Err(InvalidContentType), "{bad}");
        }
    }

    #[test]
    fn names_round_trip() {
        for v in [Visibility::Internal, Visibility::Client] {
            assert_eq!(v.as_str().parse(), Ok(v));
        }
        for s in [TaskState::Open, TaskState::InProgress, TaskState::Done] {
            assert_eq!(s.as_str().parse(), Ok(s));
        }
        assert_eq!("public".parse::<Visibility>(), Err(UnknownVisibility));
    }

    #[test]
    fn a_clients_message_cannot_be_made_internal() {
        let mut message = Message {
            id: MessageId::from_uuid(Uuid::from_u128(1)),
            workspace_id: WorkspaceId::from_uuid(Uuid::from_u128(2)),
            project_id: ProjectId::from_uuid(Uuid::from_u128(3)),
            task_id: None,
            author: UserRef::Client(ClientId::from_uuid(Uuid::from_u128(4))),
            body: MessageBody::parse("Looks great").expect("valid"),
            visibility: Visibility::Client,
            created_at: datetime!(2026-01-01 0:00 UTC),
        };
        assert_eq!(message.set_visibility(Visibility::Internal), Err(RuleViolation::ClientItemMustStayShared));
        assert_eq!(message.set_visibility(Visibility::Client), Ok(None));
        message.author = UserRef::Staff(StaffId::from_uuid(Uuid::from_u128(5)));
        let change = message.set_visibility(Visibility::Internal).expect("staff message").expect("changed");
        assert_eq!((change.before.as_deref(), change.after.as_deref()), (Some("client"), Some("internal")));
    }

    #[test]
    fn the_visibility_switch_a_page_offers_is_the_one_the_rule_allows() {
        let staff = UserRef::Staff(StaffId::from_uuid(Uuid::from_u128(5)));
        let client = UserRef::Client(ClientId::from_uuid(Uuid::from_u128(4)));
        for author in [staff, client] {
            for current in Visibility::ALL {
                let mut message = Message {
                    id: MessageId::from_uuid(Uuid::from_u128(1)),
                    workspace_id: WorkspaceId::from_uuid(Uuid::from_u128(2)),
                    project_id: ProjectId::from_uuid(Uuid::from_u128(3)),
                    task_id: None,
                    author,
                    body: MessageBody::parse("Looks great").expect("valid"),
                    visibility: current,
                    created_at: datetime!(2026-01-01 0:00 UTC),
                };
                let offered = message.visibility_switch();
                let allowed: Vec<Visibility> = Visibility::ALL
                    .iter()
                    .copied()
                    .filter(|to| *to != current && message.clone().set_visibility(*to).is_ok())
                    .collect();
                assert_eq!(offered.into_iter().collect::<Vec<_>>(), allowed, "{author:?} {current:?}");
                if let Some(to) = offered {
                    assert!(message.set_visibility(to).expect("allowed").is_some(), "a switch changes something");
                }
            }
        }
    }
}
