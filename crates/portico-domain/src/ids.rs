//! Identifier newtypes.
//!
//! Every entity is named by a UUID wrapped in its own type, so a `ClientId` can never be passed
//! where a `ProjectId` is expected. Ids are created by the `IdGenerator` port (the domain does no
//! I/O and owns no randomness); adapters rebuild them from storage with [`from_uuid`](ClientId::from_uuid).

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

/// The error returned when text is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid identifier")]
pub struct InvalidId;

macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps a UUID (from the id generator or from storage).
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The UUID inside, for storage and transport.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::try_parse(s.trim()).map(Self).map_err(|_| InvalidId)
            }
        }
    };
}

define_id!(
    /// A workspace: one agency, the tenant every other record belongs to.
    WorkspaceId
);
define_id!(
    /// A member of the agency's staff.
    StaffId
);
define_id!(
    /// A client contact person.
    ClientId
);
define_id!(
    /// A project.
    ProjectId
);
define_id!(
    /// One assignment of a client to a project (a row of assignment history).
    AssignmentId
);
define_id!(
    /// One membership of a staff member on a project's team (a row of team history).
    MembershipId
);
define_id!(
    /// A task of a project.
    TaskId
);
define_id!(
    /// A file shared in a project.
    FileId
);
define_id!(
    /// A discussion post in a project, or a comment on a task.
    MessageId
);
define_id!(
    /// An invoice.
    InvoiceId
);
define_id!(
    /// A payment recorded against an invoice.
    PaymentId
);
define_id!(
    /// A request for approval of a task or file.
    ApprovalId
);
define_id!(
    /// An entry of the audit trail.
    AuditEventId
);
define_id!(
    /// A message waiting in (or delivered from) the email outbox.
    OutboxId
);
define_id!(
    /// An activity event: something that happened a person may want to hear about.
    ActivityId
);
define_id!(
    /// One person's notice of one activity event, waiting for its mail or digest.
    NotificationId
);
define_id!(
    /// A one-time link token (invitation or password reset).
    TokenId
);
define_id!(
    /// A long-lived API token for `Authorization: Bearer`.
    ApiTokenId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        let id = ClientId::from_uuid(Uuid::from_u128(0x1234));
        let parsed: ClientId = id.to_string().parse().expect("valid id");
        assert_eq!(parsed, id);
    }

    #[test]
    fn refuses_text_that_is_not_a_uuid() {
        assert_eq!("client-7".parse::<ClientId>(), Err(InvalidId));
        assert_eq!("".parse::<ProjectId>(), Err(InvalidId));
    }
}
