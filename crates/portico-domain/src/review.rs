//! The client review report: the quarterly clean-up list the guide recommends.

use std::collections::HashSet;

use time::{Duration, OffsetDateTime};

use crate::assignment::Assignment;
use crate::client::Client;
use crate::companies::{self, CompanyGroup};
use crate::ids::{ClientId, OutboxId, ProjectId};
use crate::mail::{MailContent, OutboxMessage};
use crate::project::Project;
use crate::staff::UserRef;
use crate::status::ClientStatus;

/// How old an unanswered invitation must be to count as stale: its link has expired.
pub const STALE_INVITATION_AFTER: Duration = Duration::days(7);

/// How many notification mails to one address must have failed for good before the client
/// counts as one whose notifications keep failing: one can be a passing fault, two is a pattern.
pub const FAILING_NOTICES_AT: usize = 2;

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
    /// Invited or active clients with at least [`FAILING_NOTICES_AT`] notification mails
    /// to their current address that could not be delivered: their address needs a look.
    pub failing_notifications: Vec<ClientId>,
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
        failing_notifications: ids(&|c| {
            let failed = dead_messages.iter().filter(|m| {
                m.is_dead()
                    && m.about == Some(UserRef::Client(c.id()))
                    && m.to == *c.email()
                    && matches!(m.content, MailContent::Notice { .. })
            });
            matches!(c.status(), ClientStatus::Invited | ClientStatus::Active) && failed.count() >= FAILING_NOTICES_AT
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::{ActivityKind, Category};
    use crate::client::ClientProfile;
    use crate::email::EmailAddress;
    use crate::ids::WorkspaceId;
    use crate::mail::{DeliveryState, NoticeLine};
    use crate::permissions::PermissionSet;
    use crate::text::PersonName;
    use time::macros::datetime;
    use uuid::Uuid;

    const NOW: OffsetDateTime = datetime!(2026-03-01 9:00 UTC);

    fn client(n: u8) -> Client {
        let profile = ClientProfile {
            name: PersonName::parse(&format!("Contact {n}")).expect("valid"),
            email: EmailAddress::parse(&format!("c{n}@x.example")).expect("valid"),
            company: None,
            phone: None,
            billing_address: None,
            notes: None,
        };
        let id = ClientId::from_uuid(Uuid::from_u128(u128::from(n)));
        Client::new(id, WorkspaceId::from_uuid(Uuid::from_u128(99)), profile, PermissionSet::empty(), NOW)
    }

    fn notice() -> MailContent {
        let line = NoticeLine {
            kind: ActivityKind::Shared,
            category: Category::Files,
            actor: PersonName::parse("Ada Admin").expect("valid"),
            project: None,
            title: "logo.pdf".into(),
            path: "/portal".into(),
            at: NOW,
        };
        MailContent::Notice { digest: false, lines: vec![line] }
    }

    /// A mail about `client` to `to`, given up for good.
    fn dead(n: u128, client: &Client, to: &EmailAddress, content: MailContent) -> OutboxMessage {
        let about = Some(UserRef::Client(client.id()));
        let mut message = OutboxMessage::queued(
            OutboxId::from_uuid(Uuid::from_u128(n)),
            client.workspace_id(),
            about,
            (to, client.name()),
            content,
            NOW,
        );
        message.state = DeliveryState::Dead { error: "550 5.1.1 no such user".into() };
        message
    }

    #[test]
    fn a_client_counts_as_failing_at_two_dead_notices_to_the_address_they_still_have() {
        let (twice, once, moved, other) = (client(1), client(2), client(3), client(4));
        let old = EmailAddress::parse("old@x.example").expect("valid");
        let changed = MailContent::EmailChanged { old: old.clone(), new: other.email().clone() };
        let dead = [
            dead(1, &twice, twice.email(), notice()),
            dead(2, &twice, twice.email(), notice()),
            dead(3, &once, once.email(), notice()),
            dead(4, &moved, &old, notice()),
            dead(5, &moved, &old, notice()),
            dead(6, &other, other.email(), notice()),
            dead(7, &other, other.email(), changed),
        ];
        let report = review(&[twice.clone(), once, moved, other], &[], &[], &dead, NOW);
        assert_eq!(
            report.failing_notifications,
            [twice.id()],
            "one failure is not a pattern, nor failures to an old address or of other mail"
        );
        assert_eq!(report.failed_deliveries.len(), dead.len(), "every dead mail is still listed");
    }
}
