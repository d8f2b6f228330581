//! The workspace: one agency, the tenant that owns every other record.

use time::OffsetDateTime;

use crate::activity::{DigestTime, NotificationDefaults};
use crate::ids::WorkspaceId;
use crate::invoice::{IssuerSnapshot, NumberPattern, ReminderSchedule};
use crate::money::Locale;
use crate::text::WorkspaceName;

/// One agency's space. "Unique per account" in the guide means unique per workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// Identity.
    pub id: WorkspaceId,
    /// The agency's name, shown in mail and in the portal.
    pub name: WorkspaceName,
    /// Settings staff can change.
    pub settings: WorkspaceSettings,
    /// When the workspace was created.
    pub created_at: OffsetDateTime,
}

impl Workspace {
    /// Who its invoices say issued them. The address and payment instructions come with
    /// the workspace's billing settings; until they can be set, invoices carry the name.
    pub fn issuer(&self) -> IssuerSnapshot {
        IssuerSnapshot { name: self.name.clone(), address: None, payment_instructions: None }
    }

    /// The pattern its invoice numbers follow: [`NumberPattern::DEFAULT`] until the
    /// workspace's billing settings can change it.
    pub fn number_pattern(&self) -> NumberPattern {
        NumberPattern::default()
    }

    /// The days open invoices' clients are reminded on: [`ReminderSchedule::default`] until
    /// the workspace's billing settings can change it.
    pub fn reminder_schedule(&self) -> ReminderSchedule {
        ReminderSchedule::default()
    }

    /// How its amounts and dates are written: [`Locale::default`] until the workspace's
    /// settings can change it.
    pub fn locale(&self) -> Locale {
        Locale::default()
    }
}

/// Behaviour an agency chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkspaceSettings {
    /// Email a client when it is added to a project.
    pub notify_clients_on_assignment: bool,
    /// How people hear of each category until they choose.
    pub notification_defaults: NotificationDefaults,
    /// When the daily digest goes out.
    pub digest: DigestTime,
}

impl Default for WorkspaceSettings {
    fn default() -> Self {
        Self {
            notify_clients_on_assignment: true,
            notification_defaults: NotificationDefaults::default(),
            digest: DigestTime::default(),
        }
    }
}
