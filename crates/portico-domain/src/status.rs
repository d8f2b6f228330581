//! The client status state machine.
//!
//! ```text
//!   Invited ──accept──▶ Active
//!      │                  │
//!      └──deactivate──▶ Deactivated ──reactivate──▶ (the status it was deactivated from)
//!   any status except Deleted ──delete──▶ Deleted (terminal)
//! ```
//!
//! Reactivation restores *exactly* the previous access: a client deactivated before accepting
//! the invitation goes back to `Invited` (it still has no password), one that had accepted goes
//! back to `Active`. Every other move is an [`IllegalTransition`].

use crate::names::named_enum;
use std::str::FromStr;

named_enum! {
    /// Where a client is in its lifecycle.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum ClientStatus {
        /// Created and invited; has not set a password yet.
        Invited => "invited",
        /// Has accepted the invitation and may log in.
        Active => "active",
        /// Cannot log in; everything is kept and can be restored.
        Deactivated => "deactivated",
        /// Personal data erased; only a tombstone remains. Terminal.
        Deleted => "deleted",
    }
}

/// Something that moves a client between statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusEvent {
    /// The client set a password through the invitation link.
    AcceptInvitation,
    /// Staff deactivated the client.
    Deactivate,
    /// Staff reactivated the client; `had_accepted` tells whether it had accepted its invitation.
    Reactivate {
        /// Whether the client had accepted its invitation before it was deactivated.
        had_accepted: bool,
    },
    /// Staff deleted the client.
    Delete,
}

/// A status change the state machine does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a client that is {from} cannot be {}", event.past_participle())]
pub struct IllegalTransition {
    /// The status the client was in.
    pub from: ClientStatus,
    /// What was attempted.
    pub event: StatusEvent,
}

impl ClientStatus {
    /// The status after `event`, or why it cannot happen.
    ///
    /// # Errors
    /// [`IllegalTransition`] for every move the diagram above does not show.
    pub fn apply(self, event: StatusEvent) -> Result<Self, IllegalTransition> {
        use ClientStatus::{Active, Deactivated, Deleted, Invited};
        let next = match (self, event) {
            (Invited, StatusEvent::AcceptInvitation) => Some(Active),
            (Invited | Active, StatusEvent::Deactivate) => Some(Deactivated),
            (Deactivated, StatusEvent::Reactivate { had_accepted }) => {
                Some(if had_accepted { Active } else { Invited })
            }
            (Invited | Active | Deactivated, StatusEvent::Delete) => Some(Deleted),
            _ => None,
        };
        next.ok_or(IllegalTransition { from: self, event })
    }
}

impl StatusEvent {
    const fn past_participle(self) -> &'static str {
        match self {
            Self::AcceptInvitation => "activated by accepting an invitation",
            Self::Deactivate => "deactivated",
            Self::Reactivate { .. } => "reactivated",
            Self::Delete => "deleted",
        }
    }
}

/// The error for a status name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a client status")]
pub struct UnknownStatus(pub String);

impl FromStr for ClientStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or_else(|| UnknownStatus(s.trim().to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::ClientStatus::*;
    use super::*;

    const EVENTS: [StatusEvent; 5] = [
        StatusEvent::AcceptInvitation,
        StatusEvent::Deactivate,
        StatusEvent::Reactivate { had_accepted: true },
        StatusEvent::Reactivate { had_accepted: false },
        StatusEvent::Delete,
    ];

    #[test]
    fn the_whole_transition_table() {
        let expected = |from: ClientStatus, event: StatusEvent| match (from, event) {
            (Invited, StatusEvent::AcceptInvitation)
            | (Deactivated, StatusEvent::Reactivate { had_accepted: true }) => Some(Active),
            (Invited | Active, StatusEvent::Deactivate) => Some(Deactivated),
            (Deactivated, StatusEvent::Reactivate { had_accepted: false }) => Some(Invited),
            (Invited | Active | Deactivated, StatusEvent::Delete) => Some(Deleted),
            _ => None,
        };
        for from in [Invited, Active, Deactivated, Deleted] {
            for event in EVENTS {
                assert_eq!(from.apply(event).ok(), expected(from, event), "{from} + {event:?}");
            }
        }
    }

    #[test]
    fn deleted_is_terminal() {
        for event in EVENTS {
            assert_eq!(Deleted.apply(event), Err(IllegalTransition { from: Deleted, event }));
        }
    }

    #[test]
    fn illegal_transitions_explain_themselves() {
        let error = Active.apply(StatusEvent::AcceptInvitation).expect_err("illegal");
        assert_eq!(error.to_string(), "a client that is active cannot be activated by accepting an invitation");
    }

    #[test]
    fn names_round_trip() {
        for status in [Invited, Active, Deactivated, Deleted] {
            assert_eq!(status.as_str().parse(), Ok(status));
        }
        assert_eq!("archived".parse::<ClientStatus>(), Err(UnknownStatus("archived".into())));
    }
}
