//! Projects, their clients and their team, as staff see them.

use portico_app::ProjectDetail;
use portico_domain::assignment::{Assignment, Membership};
use portico_domain::client::Client;
use portico_domain::project::Project;
use portico_domain::staff::Staff;
use serde::Serialize;
use utoipa::ToSchema;

use super::content::{ApprovalView, FileView, MessageView, TaskView};
use super::people::permission_names;
use super::{instant, maybe_date, maybe_instant};

/// A project.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectView {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Deadline (`YYYY-MM-DD`).
    pub deadline: Option<String>,
    /// `active` or `archived` (read-only).
    pub status: String,
    /// When it was created.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

impl From<&Project> for ProjectView {
    fn from(project: &Project) -> Self {
        Self {
            id: project.id.to_string(),
            name: project.details.name.as_str().to_owned(),
            description: project.details.description.as_ref().map(|d| d.as_str().to_owned()),
            deadline: maybe_date(project.details.deadline),
            status: project.status.as_str().to_owned(),
            created_at: instant(project.created_at),
            updated_at: instant(project.updated_at),
        }
    }
}

/// A client's assignment to a project.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentView {
    /// The project.
    pub project_id: String,
    /// The project's name, where known.
    pub project_name: Option<String>,
    /// The client.
    pub client_id: String,
    /// The client's name, where known.
    pub client_name: Option<String>,
    /// Permissions narrowed to on this project; `null` means the client's own permissions.
    pub scope: Option<Vec<String>>,
    /// When the client was put on the project.
    pub started_at: String,
    /// When the client was taken off it (`null` while current).
    pub ended_at: Option<String>,
}

impl AssignmentView {
    /// The assignment, with the project's and client's names when at hand.
    pub fn new(assignment: &Assignment, project: Option<&Project>, client: Option<&Client>) -> Self {
        Self {
            project_id: assignment.project_id.to_string(),
            project_name: project.map(|p| p.details.name.as_str().to_owned()),
            client_id: assignment.client_id.to_string(),
            client_name: client.map(|c| c.name().as_str().to_owned()),
            scope: assignment.scope.map(permission_names),
            started_at: instant(assignment.tenure.started_at),
            ended_at: maybe_instant(assignment.tenure.ended_at),
        }
    }
}

/// A staff member on a project's team.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipView {
    /// The staff member.
    pub staff_id: String,
    /// Their name.
    pub name: String,
    /// `admin` or `member`.
    pub role: String,
    /// When they joined the team.
    pub since: String,
}

impl MembershipView {
    fn new(membership: &Membership, staff: &Staff) -> Self {
        Self {
            staff_id: staff.id.to_string(),
            name: staff.name.as_str().to_owned(),
            role: staff.role.as_str().to_owned(),
            since: instant(membership.tenure.started_at),
        }
    }
}

/// A project with everything in it, internal items included (staff only).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectDetailView {
    /// The project.
    #[serde(flatten)]
    pub project: ProjectView,
    /// Current clients.
    pub clients: Vec<AssignmentView>,
    /// Current team.
    pub team: Vec<MembershipView>,
    /// Tasks.
    pub tasks: Vec<TaskView>,
    /// Files.
    pub files: Vec<FileView>,
    /// Posts and comments.
    pub messages: Vec<MessageView>,
    /// Approval requests with their answers.
    pub approvals: Vec<ApprovalView>,
}

impl From<&ProjectDetail> for ProjectDetailView {
    fn from(detail: &ProjectDetail) -> Self {
        Self {
            project: (&detail.project).into(),
            clients: detail
                .clients
                .iter()
                .map(|(a, c)| AssignmentView::new(a, Some(&detail.project), Some(c)))
                .collect(),
            team: detail.team.iter().map(|(m, s)| MembershipView::new(m, s)).collect(),
            tasks: detail.tasks.iter().map(Into::into).collect(),
            files: detail.files.iter().map(Into::into).collect(),
            messages: detail.messages.iter().map(Into::into).collect(),
            approvals: detail.approvals.iter().map(|request| ApprovalView::new(request, &detail.answers)).collect(),
        }
    }
}
