//! The client review report: the quarterly clean-up list the guide recommends.

use std::collections::HashSet;

use time::{Duration, OffsetDateTime};

use crate::assignment::Assignment;
use crate::client::Client;
use crate::companies::{self, CompanyGroup};
use crate::ids::{ClientId, OutboxId, ProjectId};
use crate::mail::OutboxMessage;
use crate::project::Project;
use crate::staff::UserRef;
use crate::status::ClientStatus;

/// How old an unanswered invitation must be to count as stale: its link has expired.
pub const STALE_INVITATION_AFTER: Duration = Duration::days(7);

/// Clients and deliveries worth a look.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientReview {
    /// Active clients assigned to no active project: candidates for deactivation.
    pub active_without_active_project: Vec<ClientId>,
    /// Clients invited more than [`STALE_INVITATION_AFTER`] ago (or never sent an invitation)
    /// who have not accepted.
    pub stale_invitations: Vec<ClientId>,
    /// Invited or active clients who have never logged in.
    pub never_logged_in: Vec<ClientId>,
    /// Companies spelled in more than one way.
    pub company_variants: Vec<CompanyGroup>,
    /// Messages that could not be delivered, about clients.
    pub failed_deliveries: Vec<OutboxId>,
}

/// Builds the report from the workspace's clients, projects, assignments and dead messages.
pub fn review(
    clients: &[Client],
    projects: &[Project],
    assignments: &[Assignment],
    dead_messages: &[OutboxMessage],
    now: OffsetDateTime,
) -> ClientReview {
    let active_projects: HashSet<ProjectId> = projects.iter().filter(|p| !p.is_archived()).map(|p| p.id).collect();
    let busy: HashSet<ClientId> = assignments
        .iter()
        .filter(|a| a.is_current() && active_projects.contains(&a.project_id))
        .map(|a| a.client_id)
        .collect();
    let ids = |keep: &dyn Fn(&Client) -> bool| clients.iter().filter(|c| keep(c)).map(Client::id).collect();
    ClientReview {
        active_without_active_project: ids(&|c| c.is_active() && !busy.contains(&c.id())),
        stale_invitations: ids(&|c| {
            c.status() == ClientStatus::Invited
                && c.invited_at().unwrap_or(c.created_at()) + STALE_INVITATION_AFTER <= now
        }),
        never_logged_in: ids(&|c| {
            matches!(c.status(), ClientStatus::Invited | ClientStatus::Active) && c.last_login_at().is_none()
        }),
        company_variants: companies::group(clients).into_iter().filter(CompanyGroup::has_variants).collect(),
        failed_deliveries: dead_messages
            .iter()
            .filter(|m| m.is_dead() && matches!(m.about, Some(UserRef::Client(_))))
            .map(|m| m.id)
            .collect(),
    }
}
