//! A set of records the visibility rule can be evaluated over as a whole: a workspace, or the
//! slice of one that a question needs ("who sees this task?", "what does Sarah lose if…?").

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use crate::approval::{ApprovalRequest, ApprovalSubject};
use crate::assignment::Assignment;
use crate::client::Client;
use crate::content::{Message, ProjectFile, Task, Visibility};
use crate::ids::{ApprovalId, ClientId, FileId, InvoiceId, MessageId, ProjectId, TaskId, WorkspaceId};
use crate::invoice::Invoice;
use crate::project::Project;
use crate::visibility::{Subject, Viewer};

/// A reference to anything a client might see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemRef {
    /// A project.
    Project(ProjectId),
    /// A task.
    Task(TaskId),
    /// A file.
    File(FileId),
    /// A message or comment.
    Message(MessageId),
    /// An approval request.
    Approval(ApprovalId),
    /// An invoice.
    Invoice(InvoiceId),
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Project(id) => write!(f, "project {id}"),
            Self::Task(id) => write!(f, "task {id}"),
            Self::File(id) => write!(f, "file {id}"),
            Self::Message(id) => write!(f, "message {id}"),
            Self::Approval(id) => write!(f, "approval {id}"),
            Self::Invoice(id) => write!(f, "invoice {id}"),
        }
    }
}

/// Records of one workspace (possibly a slice of it).
#[derive(Debug, Clone)]
pub struct World {
    /// The workspace it belongs to.
    pub workspace_id: WorkspaceId,
    /// Clients (any status).
    pub clients: Vec<Client>,
    /// Projects.
    pub projects: Vec<Project>,
    /// Client assignments (current and ended).
    pub assignments: Vec<Assignment>,
    /// Tasks.
    pub tasks: Vec<Task>,
    /// File records.
    pub files: Vec<ProjectFile>,
    /// Posts and comments.
    pub messages: Vec<Message>,
    /// Approval requests.
    pub approvals: Vec<ApprovalRequest>,
    /// Invoices.
    pub invoices: Vec<Invoice>,
}

impl World {
    /// An empty world of `workspace_id`.
    pub fn new(workspace_id: WorkspaceId) -> Self {
        Self {
            workspace_id,
            clients: Vec::new(),
            projects: Vec::new(),
            assignments: Vec::new(),
            tasks: Vec::new(),
            files: Vec::new(),
            messages: Vec::new(),
            approvals: Vec::new(),
            invoices: Vec::new(),
        }
    }

    /// The client with this id.
    pub fn client(&self, id: ClientId) -> Option<&Client> {
        self.clients.iter().find(|c| c.id() == id)
    }

    /// The task with this id.
    pub fn task(&self, id: TaskId) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// The file with this id.
    pub fn file(&self, id: FileId) -> Option<&ProjectFile> {
        self.files.iter().find(|f| f.id == id)
    }

    /// `client` as a viewer, with its assignments in this world.
    pub fn viewer<'a>(&'a self, client: &'a Client) -> Viewer<'a> {
        Viewer::new(client, &self.assignments)
    }

    /// Every item of the world with what the rule needs to know about it. Comments whose task
    /// and approvals whose subject are not in the world are left out: they cannot be decided.
    pub fn subjects(&self) -> Vec<(ItemRef, Subject)> {
        let tasks: HashMap<TaskId, &Task> = self.tasks.iter().map(|t| (t.id, t)).collect();
        let file_visibility: HashMap<FileId, Visibility> = self.files.iter().map(|f| (f.id, f.visibility)).collect();
        let projects = self.projects.iter().map(|p| (ItemRef::Project(p.id), Subject::project(p)));
        let task_items = self.tasks.iter().map(|t| (ItemRef::Task(t.id), Subject::task(t)));
        let files = self.files.iter().map(|f| (ItemRef::File(f.id), Subject::file(f)));
        let messages = self.messages.iter().filter_map(|m| {
            let subject = match m.task_id {
                None => Subject::message(m, None),
                Some(task) => Subject::message(m, Some(tasks.get(&task)?)),
            };
            Some((ItemRef::Message(m.id), subject))
        });
        let approvals = self.approvals.iter().filter_map(|a| {
            let visibility = match a.subject {
                ApprovalSubject::Task(id) => tasks.get(&id)?.visibility,
                ApprovalSubject::File(id) => *file_visibility.get(&id)?,
            };
            Some((ItemRef::Approval(a.id), Subject::approval(a, visibility)))
        });
        let invoices = self.invoices.iter().map(|i| (ItemRef::Invoice(i.id()), Subject::invoice(i)));
        projects.chain(task_items).chain(files).chain(messages).chain(approvals).chain(invoices).collect()
    }

    /// What the rule needs to know about `item`, if the world holds it (and what it depends on).
    pub fn subject(&self, item: ItemRef) -> Option<Subject> {
        self.subjects().into_iter().find_map(|(candidate, subject)| (candidate == item).then_some(subject))
    }

    /// Everything in the world that `client` sees.
    pub fn visible_to(&self, client: &Client) -> BTreeSet<ItemRef> {
        let viewer = self.viewer(client);
        self.subjects()
            .into_iter()
            .filter(|(_, subject)| viewer.decide(subject).is_visible())
            .map(|(item, _)| item)
            .collect()
    }
}
