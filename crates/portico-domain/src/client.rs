//! The client: a contact person at a customer, with a portal login.
//!
//! Fields are private so every change goes through a method that keeps the lifecycle rules:
//! a deleted client cannot be edited, status moves follow the state machine, and deletion
//! erases personal data while keeping the record (same id) so nothing it touched is orphaned.

use time::OffsetDateTime;

use crate::audit::{DataKind, FieldChange};
use crate::company::CompanyName;
use crate::email::EmailAddress;
use crate::ids::{ClientId, WorkspaceId};
use crate::permissions::PermissionSet;
use crate::phone::Phone;
use crate::rules::RuleViolation;
use crate::status::{ClientStatus, StatusEvent};
use crate::text::{BillingAddress, InternalNotes, PersonName};

/// The name a deleted client is shown with.
pub const DELETED_CLIENT_NAME: &str = "Deleted client";

/// The contact details staff keep about a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientProfile {
    /// Full name.
    pub name: PersonName,
    /// Login and mail address, unique among the workspace's clients and staff.
    pub email: EmailAddress,
    /// The organisation the person works for.
    pub company: Option<CompanyName>,
    /// For staff reference.
    pub phone: Option<Phone>,
    /// Copied onto invoices when they are sent.
    pub billing_address: Option<BillingAddress>,
    /// Staff-only notes; never in any client-facing type.
    pub notes: Option<InternalNotes>,
}

/// A change to some fields of a client; `None` leaves a field as it is.
/// For optional fields, `Some(None)` clears the field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientEdit {
    /// New name.
    pub name: Option<PersonName>,
    /// New email address.
    pub email: Option<EmailAddress>,
    /// New company, or `Some(None)` to clear it.
    pub company: Option<Option<CompanyName>>,
    /// New phone, or `Some(None)` to clear it.
    pub phone: Option<Option<Phone>>,
    /// New billing address, or `Some(None)` to clear it.
    pub billing_address: Option<Option<BillingAddress>>,
    /// New notes, or `Some(None)` to clear them.
    pub notes: Option<Option<InternalNotes>>,
    /// New permissions.
    pub permissions: Option<PermissionSet>,
}

/// A client contact person. Its fields are reachable only through methods that keep the
/// lifecycle rules; storage adapters rebuild it from [`ClientParts`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client(ClientParts);

/// Every field of a client, for adapters that store and rebuild clients. Each field mirrors
/// the getter of the same name on [`Client`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientParts {
    /// Identity.
    pub id: ClientId,
    /// The workspace it belongs to.
    pub workspace_id: WorkspaceId,
    /// Contact details.
    pub profile: ClientProfile,
    /// What the client may see and do, before any per-project narrowing.
    pub permissions: PermissionSet,
    /// Where it is in its lifecycle.
    pub status: ClientStatus,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
    /// When the latest invitation was issued.
    pub invited_at: Option<OffsetDateTime>,
    /// When the invitation was accepted.
    pub accepted_at: Option<OffsetDateTime>,
    /// When the client last logged in.
    pub last_login_at: Option<OffsetDateTime>,
}

/// What staff may do with a client now ([`Client::actions`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(clippy::struct_excessive_bools)] // One answer per action, each independent.
pub struct ClientActions {
    /// Change the profile or permissions (not a deleted client).
    pub edit: bool,
    /// Send a fresh invitation (a client that has not accepted yet).
    pub resend_invitation: bool,
    /// Send a password-reset link (an active client, who has a password to forget).
    pub send_password_reset: bool,
    /// Stop all logins.
    pub deactivate: bool,
    /// Restore the access it had.
    pub reactivate: bool,
    /// Erase the personal data.
    pub delete: bool,
}

impl Client {
    /// A new client, `Invited`, not yet sent an invitation.
    pub fn new(
        id: ClientId,
        workspace_id: WorkspaceId,
        profile: ClientProfile,
        permissions: PermissionSet,
        now: OffsetDateTime,
    ) -> Self {
        Self(ClientParts {
            id,
            workspace_id,
            profile,
            permissions,
            status: ClientStatus::Invited,
            created_at: now,
            updated_at: now,
            invited_at: None,
            accepted_at: None,
            last_login_at: None,
        })
    }

    /// Rebuilds a client from storage.
    pub fn from_parts(parts: ClientParts) -> Self {
        Self(parts)
    }

    /// Every field, for storage.
    pub fn to_parts(&self) -> ClientParts {
        self.0.clone()
    }

    /// Identity.
    pub fn id(&self) -> ClientId {
        self.0.id
    }

    /// The workspace the client belongs to.
    pub fn workspace_id(&self) -> WorkspaceId {
        self.0.workspace_id
    }

    /// Contact details.
    pub fn profile(&self) -> &ClientProfile {
        &self.0.profile
    }

    /// Full name (or [`DELETED_CLIENT_NAME`]).
    pub fn name(&self) -> &PersonName {
        &self.0.profile.name
    }

    /// Login address.
    pub fn email(&self) -> &EmailAddress {
        &self.0.profile.email
    }

    /// What the client may see and do, before any per-project narrowing.
    pub fn permissions(&self) -> PermissionSet {
        self.0.permissions
    }

    /// Lifecycle status.
    pub fn status(&self) -> ClientStatus {
        self.0.status
    }

    /// When the client was created.
    pub fn created_at(&self) -> OffsetDateTime {
        self.0.created_at
    }

    /// When the client was last changed.
    pub fn updated_at(&self) -> OffsetDateTime {
        self.0.updated_at
    }

    /// When the latest invitation was issued.
    pub fn invited_at(&self) -> Option<OffsetDateTime> {
        self.0.invited_at
    }

    /// When the client accepted its invitation.
    pub fn accepted_at(&self) -> Option<OffsetDateTime> {
        self.0.accepted_at
    }

    /// When the client last logged in.
    pub fn last_login_at(&self) -> Option<OffsetDateTime> {
        self.0.last_login_at
    }

    /// Whether the client may log in and see its share.
    pub fn is_active(&self) -> bool {
        self.0.status == ClientStatus::Active
    }

    /// Whether the client is a tombstone.
    pub fn is_deleted(&self) -> bool {
        self.0.status == ClientStatus::Deleted
    }

    fn ensure_not_deleted(&self) -> Result<(), RuleViolation> {
        if self.is_deleted() { Err(RuleViolation::ClientDeleted) } else { Ok(()) }
    }

    /// Applies `edit` and returns what changed (empty when nothing did).
    ///
    /// # Errors
    /// [`RuleViolation::ClientDeleted`] for a deleted client.
    pub fn apply_edit(&mut self, edit: ClientEdit, now: OffsetDateTime) -> Result<Vec<FieldChange>, RuleViolation> {
        self.ensure_not_deleted()?;
        let mut changes = Vec::new();
        let profile = &mut self.0.profile;
        if let Some(name) = edit.name {
            FieldChange::set(&mut changes, "name", &mut profile.name, name, DataKind::Personal);
        }
        if let Some(email) = edit.email {
            // Re-typing the same address in another case is still a change of what is shown.
            if email.as_str() != profile.email.as_str() {
                changes.push(FieldChange::personal("email", Some(&profile.email), Some(&email)));
                profile.email = email;
            }
        }
        if let Some(company) = edit.company {
            FieldChange::set_optional(&mut changes, "company", &mut profile.company, company, DataKind::Personal);
        }
        if let Some(phone) = edit.phone {
            FieldChange::set_optional(&mut changes, "phone", &mut profile.phone, phone, DataKind::Personal);
        }
        if let Some(address) = edit.billing_address {
            FieldChange::set_optional(
                &mut changes,
                "billing_address",
                &mut profile.billing_address,
                address,
                DataKind::Personal,
            );
        }
        if let Some(notes) = edit.notes {
            FieldChange::set_optional(&mut changes, "notes", &mut profile.notes, notes, DataKind::Personal);
        }
        if let Some(permissions) = edit.permissions.filter(|p| *p != self.0.permissions) {
            changes.push(FieldChange::plain("permissions", Some(&self.0.permissions), Some(&permissions)));
            self.0.permissions = permissions;
        }
        if !changes.is_empty() {
            self.0.updated_at = now;
        }
        Ok(changes)
    }

    /// Whether `edit` changes the login address (which revokes sessions and links).
    pub fn email_changes(&self, edit: &ClientEdit) -> bool {
        edit.email.as_ref().is_some_and(|email| email != self.email())
    }

    /// Whether an invitation may be issued: only to a client that has not accepted one yet.
    fn can_be_invited(&self) -> bool {
        self.0.status == ClientStatus::Invited
    }

    /// The status event that reactivating this client would be.
    fn reactivation(&self) -> StatusEvent {
        StatusEvent::Reactivate { had_accepted: self.0.accepted_at.is_some() }
    }

    /// What staff may do with the client now, by the same rules the commands follow: a page
    /// offers exactly these.
    pub fn actions(&self) -> ClientActions {
        let status = self.0.status;
        let allows = |event| status.apply(event).is_ok();
        ClientActions {
            edit: !self.is_deleted(),
            resend_invitation: self.can_be_invited(),
            send_password_reset: self.ensure_can_reset_password().is_ok(),
            deactivate: allows(StatusEvent::Deactivate),
            reactivate: allows(self.reactivation()),
            delete: allows(StatusEvent::Delete),
        }
    }

    /// Refuses a password-reset link for a client that has no password to reset.
    ///
    /// # Errors
    /// [`RuleViolation::NotActive`] unless the client is `Active`.
    pub fn ensure_can_reset_password(&self) -> Result<(), RuleViolation> {
        if self.0.status == ClientStatus::Active { Ok(()) } else { Err(RuleViolation::NotActive) }
    }

    /// Records that an invitation was issued now.
    ///
    /// # Errors
    /// [`RuleViolation::NotInvited`] unless the client is `Invited`.
    pub fn mark_invited(&mut self, now: OffsetDateTime) -> Result<(), RuleViolation> {
        if !self.can_be_invited() {
            return Err(RuleViolation::NotInvited);
        }
        self.0.invited_at = Some(now);
        Ok(())
    }

    fn transition(&mut self, event: StatusEvent, now: OffsetDateTime) -> Result<FieldChange, RuleViolation> {
        let next = self.0.status.apply(event)?;
        let change = FieldChange::plain("status", Some(&self.0.status), Some(&next));
        self.0.status = next;
        self.0.updated_at = now;
        Ok(change)
    }

    /// The client set its password through the invitation: it becomes `Active`.
    ///
    /// # Errors
    /// [`RuleViolation::IllegalTransition`] unless the client is `Invited`.
    pub fn accept_invitation(&mut self, now: OffsetDateTime) -> Result<FieldChange, RuleViolation> {
        let change = self.transition(StatusEvent::AcceptInvitation, now)?;
        self.0.accepted_at = Some(now);
        Ok(change)
    }

    /// No more logins; everything else is kept.
    ///
    /// # Errors
    /// [`RuleViolation::IllegalTransition`] unless the client is `Invited` or `Active`.
    pub fn deactivate(&mut self, now: OffsetDateTime) -> Result<FieldChange, RuleViolation> {
        self.transition(StatusEvent::Deactivate, now)
    }

    /// Back to the status it was deactivated from.
    ///
    /// # Errors
    /// [`RuleViolation::IllegalTransition`] unless the client is `Deactivated`.
    pub fn reactivate(&mut self, now: OffsetDateTime) -> Result<FieldChange, RuleViolation> {
        self.transition(self.reactivation(), now)
    }

    /// Erases personal data and leaves a tombstone with the same id.
    ///
    /// The email becomes a unique placeholder under the reserved `.invalid` domain, so the
    /// address is free for a new client and no mail can ever reach it.
    ///
    /// # Errors
    /// [`RuleViolation::IllegalTransition`] when the client is already deleted.
    pub fn delete(&mut self, now: OffsetDateTime) -> Result<FieldChange, RuleViolation> {
        let change = self.transition(StatusEvent::Delete, now)?;
        self.0.profile = ClientProfile {
            name: tombstone_name(),
            email: tombstone_email(self.0.id),
            company: None,
            phone: None,
            billing_address: None,
            notes: None,
        };
        self.0.permissions = PermissionSet::empty();
        Ok(change)
    }

    /// The client as it will be once it accepts its invitation, for previewing its portal
    /// before it does (the visibility rule shows nothing to a client that is not active).
    /// `None` unless it is invited.
    pub fn once_accepted(&self) -> Option<Self> {
        let mut accepted = self.clone();
        accepted.0.status = self.0.status.apply(StatusEvent::AcceptInvitation).ok()?;
        Some(accepted)
    }

    /// The client as an admin's preview shows it: as it will be once accepted when invited,
    /// else as it is (the visibility rule then shows a deactivated or deleted one nothing).
    #[must_use]
    pub fn as_previewed(&self) -> Self {
        self.once_accepted().unwrap_or_else(|| self.clone())
    }

    /// Records a successful login.
    pub fn record_login(&mut self, now: OffsetDateTime) {
        self.0.last_login_at = Some(now);
    }
}

fn tombstone_name() -> PersonName {
    PersonName::parse(DELETED_CLIENT_NAME).unwrap_or_else(|_| unreachable!("the tombstone name is a valid name"))
}

fn tombstone_email(id: ClientId) -> EmailAddress {
    EmailAddress::parse(&format!("deleted-{}@deleted.invalid", id.as_uuid().simple()))
        .unwrap_or_else(|_| unreachable!("a hex id under .invalid is a valid address"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permissions::Preset;
    use time::macros::datetime;
    use uuid::Uuid;

    const T0: OffsetDateTime = datetime!(2026-01-05 09:00 UTC);
    const T1: OffsetDateTime = datetime!(2026-01-06 09:00 UTC);

    fn sarah() -> Client {
        let profile = ClientProfile {
            name: PersonName::parse("Sarah Chen").expect("valid"),
            email: EmailAddress::parse("sarah@acme.example").expect("valid"),
            company: Some(CompanyName::parse("Acme Corp").expect("valid")),
            phone: Some(Phone::parse("+1 555 0100").expect("valid")),
            billing_address: Some(BillingAddress::parse("1 Main St").expect("valid")),
            notes: Some(InternalNotes::parse("Prefers calls").expect("valid")),
        };
        let ids = (ClientId::from_uuid(Uuid::from_u128(1)), WorkspaceId::from_uuid(Uuid::from_u128(2)));
        Client::new(ids.0, ids.1, profile, Preset::FullAccess.permissions(), T0)
    }

    #[test]
    fn a_new_client_is_invited_and_has_never_logged_in() {
        let client = sarah();
        assert_eq!(client.status(), ClientStatus::Invited);
        assert_eq!((client.invited_at(), client.last_login_at(), client.accepted_at()), (None, None, None));
        assert!(!client.is_active());
    }

    #[test]
    fn an_edit_reports_exactly_the_fields_that_changed() {
        let mut client = sarah();
        let edit = ClientEdit {
            name: Some(PersonName::parse("Sarah Chen").expect("valid")),
            company: Some(None),
            permissions: Some(Preset::Collaborator.permissions()),
            ..ClientEdit::default()
        };
        let changes = client.apply_edit(edit, T1).expect("editable");
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["company", "permissions"]);
        assert_eq!(changes[0].before.as_deref(), Some("Acme Corp"));
        assert_eq!(changes[0].after, None);
        assert_eq!(client.profile().company, None);
        assert_eq!(client.updated_at(), T1);
    }

    #[test]
    fn an_edit_that_changes_nothing_leaves_updated_at() {
        let mut client = sarah();
        assert_eq!(client.apply_edit(ClientEdit::default(), T1), Ok(vec![]));
        assert_eq!(client.updated_at(), T0);
    }

    #[test]
    fn email_change_detection_ignores_case() {
        let client = sarah();
        let same = ClientEdit {
            email: Some(EmailAddress::parse("SARAH@acme.example").expect("valid")),
            ..ClientEdit::default()
        };
        let other = ClientEdit {
            email: Some(EmailAddress::parse("s.chen@acme.example").expect("valid")),
            ..ClientEdit::default()
        };
        assert!(!client.email_changes(&same));
        assert!(client.email_changes(&other));
    }

    #[test]
    fn reactivation_restores_the_status_before_deactivation() {
        let mut never_accepted = sarah();
        never_accepted.deactivate(T1).expect("legal");
        never_accepted.reactivate(T1).expect("legal");
        assert_eq!(never_accepted.status(), ClientStatus::Invited);

        let mut accepted = sarah();
        accepted.accept_invitation(T1).expect("legal");
        accepted.deactivate(T1).expect("legal");
        accepted.reactivate(T1).expect("legal");
        assert_eq!(accepted.status(), ClientStatus::Active);
    }

    #[test]
    fn deletion_erases_personal_data_and_keeps_the_id() {
        let mut client = sarah();
        let id = client.id();
        client.delete(T1).expect("legal");
        assert_eq!(client.id(), id);
        assert_eq!(client.name().as_str(), DELETED_CLIENT_NAME);
        assert!(client.email().as_str().ends_with("@deleted.invalid"));
        let profile = client.profile();
        assert_eq!(
            (&profile.company, &profile.phone, &profile.billing_address, &profile.notes),
            (&None, &None, &None, &None)
        );
        assert!(client.permissions().is_empty());
        assert_eq!(client.apply_edit(ClientEdit::default(), T1), Err(RuleViolation::ClientDeleted));
        assert!(client.delete(T1).is_err());
    }

    #[test]
    fn only_invited_clients_can_be_invited_again() {
        let mut client = sarah();
        client.mark_invited(T1).expect("invited");
        assert_eq!(client.invited_at(), Some(T1));
        client.accept_invitation(T1).expect("legal");
        assert_eq!(client.mark_invited(T1), Err(RuleViolation::NotInvited));
    }

    #[test]
    fn parts_round_trip() {
        let client = sarah();
        assert_eq!(Client::from_parts(client.to_parts()), client);
    }

    /// Every client a sequence of staff moves can reach: invited, active, deactivated from
    /// either, and deleted from each.
    fn every_kind_of_client() -> Vec<Client> {
        let mut active = sarah();
        active.accept_invitation(T1).expect("accepts");
        let mut all = vec![sarah(), active];
        for base in all.clone() {
            let mut deactivated = base.clone();
            deactivated.deactivate(T1).expect("deactivates");
            all.push(deactivated);
        }
        for base in all.clone() {
            let mut deleted = base;
            deleted.delete(T1).expect("deletes");
            all.push(deleted);
        }
        all
    }

    #[test]
    fn the_actions_a_page_offers_are_exactly_the_commands_that_succeed() {
        for client in every_kind_of_client() {
            let actions = client.actions();
            let tried = ClientActions {
                edit: client.clone().apply_edit(ClientEdit::default(), T1).is_ok(),
                resend_invitation: client.clone().mark_invited(T1).is_ok(),
                // Only someone who has a password and may log in gets a reset link.
                send_password_reset: client.status() == ClientStatus::Active,
                deactivate: client.clone().deactivate(T1).is_ok(),
                reactivate: client.clone().reactivate(T1).is_ok(),
                delete: client.clone().delete(T1).is_ok(),
            };
            assert_eq!(actions, tried, "{:?}", client.status());
        }
    }

    #[test]
    fn only_an_invited_client_has_a_preview_of_its_accepted_self() {
        for client in every_kind_of_client() {
            let accepted = client.once_accepted();
            assert_eq!(accepted.is_some(), client.status() == ClientStatus::Invited, "{:?}", client.status());
            if let Some(accepted) = accepted {
                assert_eq!(accepted.status(), ClientStatus::Active);
                assert_eq!((accepted.profile(), accepted.permissions()), (client.profile(), client.permissions()));
            }
        }
    }
}
