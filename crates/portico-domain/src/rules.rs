//! Business rules a valid request can still break.
//!
//! Field-level problems are [`ValidationErrors`](crate::validation::ValidationErrors); a
//! [`RuleViolation`] is about the state of things: the input was well-formed, but the rule
//! says no (an archived project takes no new tasks, a paid invoice cannot be voided).

use crate::invoice::InvoiceStatus;
use crate::status::IllegalTransition;

/// A well-formed request that the rules refuse in the current state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleViolation {
    /// The client status state machine forbids this move.
    #[error(transparent)]
    IllegalTransition(#[from] IllegalTransition),
    /// A deleted client is a tombstone: it cannot be edited, assigned or invoiced.
    #[error("the client has been deleted")]
    ClientDeleted,
    /// Only invited clients get invitations; active ones use password reset.
    #[error("only a client that has not accepted its invitation yet can be invited again")]
    NotInvited,
    /// Password-reset links go to people who have a password: active clients.
    #[error("only an active client can be sent a password-reset link")]
    NotActive,
    /// Archived projects are read-only.
    #[error("the project is archived; unarchive it first")]
    ProjectArchived,
    /// The project is already in the requested state.
    #[error("the project is already {0}")]
    ProjectAlready(&'static str),
    /// The client (or staff member) is already on the project.
    #[error("already assigned to this project")]
    AlreadyAssigned,
    /// The client (or staff member) is not on the project.
    #[error("not assigned to this project")]
    NotAssigned,
    /// An invoice may only change in the given way from its current status.
    #[error("an invoice that is {from} cannot be {action}")]
    InvoiceStatus {
        /// The status the invoice is in.
        from: InvoiceStatus,
        /// What was attempted.
        action: &'static str,
    },
    /// The client an invoice is addressed to may not see it now (without the `invoices`
    /// permission, or deactivated), so it cannot be mailed to them.
    #[error("the client this invoice is addressed to cannot see it now, so it cannot be mailed to them")]
    InvoiceNotShownToClient,
    /// An invoice needs at least one line before it is sent.
    #[error("an invoice needs at least one line")]
    InvoiceWithoutLines,
    /// An invoice is sent with a number: its own, or the next of the workspace's pattern.
    #[error("an invoice needs a number")]
    InvoiceWithoutNumber,
    /// An invoice tied to a project must be addressed to a client of that project.
    #[error("the client is not assigned to that project")]
    ClientNotOnProject,
    /// Approvals are asked on client-visible work only.
    #[error("approval can only be requested on a client-visible task or file")]
    ApprovalOnInternalItem,
    /// One request at a time: an item is asked about again only once the last request has
    /// an answer.
    #[error("this item already waits for an answer to an approval request")]
    ApprovalPending,
    /// What a client posts is shared with the project by nature.
    #[error("items created by a client are always visible to clients")]
    ClientItemMustStayShared,
}
