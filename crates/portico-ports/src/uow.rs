//! The unit of work: one transaction spanning every repository.

use async_trait::async_trait;

use crate::error::RepoResult;
use crate::repos::{
    ActivityRepo, ApiTokenRepo, ApprovalRepo, AssignmentRepo, AuditRepo, ClientRepo, CredentialRepo, FileRepo,
    InvoiceRepo, MembershipRepo, MessageRepo, NotificationRepo, OutboxRepo, PreferenceRepo, ProjectRepo, SessionRepo,
    StaffRepo, TaskRepo, TokenRepo, WorkspaceRepo,
};

/// Opens units of work. The storage adapter's entry point.
#[async_trait]
pub trait Store: Send + Sync {
    /// Starts a unit of work that may write.
    ///
    /// # Errors
    /// `Unavailable` when the storage cannot be reached.
    async fn begin(&self) -> RepoResult<Box<dyn UnitOfWork>>;

    /// Starts a unit of work that only reads. Engines may run such units side by side with
    /// each other and with a writer; a write through it MAY fail.
    ///
    /// # Errors
    /// `Unavailable` when the storage cannot be reached.
    async fn begin_read(&self) -> RepoResult<Box<dyn UnitOfWork>> {
        self.begin().await
    }
}

/// A transaction over every repository: all of its writes become visible together on
/// [`commit`](UnitOfWork::commit), or none do.
///
/// Contract:
/// - Dropping a unit of work without committing MUST discard every write made through it.
/// - After any failed call the unit MAY be unusable (PostgreSQL aborts the transaction);
///   callers drop it, and use cases never go on after an error.
/// - A unit never sees another's uncommitted writes, and the uniqueness rules of the
///   repositories hold however many units run at once (the storage enforces them). Beyond
///   that, concurrent units that change the same record follow the engine's isolation:
///   the last to commit wins.
#[async_trait]
pub trait UnitOfWork: Send {
    /// Workspaces.
    fn workspaces(&mut self) -> &mut dyn WorkspaceRepo;
    /// Staff members.
    fn staff(&mut self) -> &mut dyn StaffRepo;
    /// Clients.
    fn clients(&mut self) -> &mut dyn ClientRepo;
    /// Password hashes.
    fn credentials(&mut self) -> &mut dyn CredentialRepo;
    /// Projects.
    fn projects(&mut self) -> &mut dyn ProjectRepo;
    /// Client assignments.
    fn assignments(&mut self) -> &mut dyn AssignmentRepo;
    /// Team memberships.
    fn memberships(&mut self) -> &mut dyn MembershipRepo;
    /// Tasks.
    fn tasks(&mut self) -> &mut dyn TaskRepo;
    /// File records.
    fn files(&mut self) -> &mut dyn FileRepo;
    /// Messages.
    fn messages(&mut self) -> &mut dyn MessageRepo;
    /// Approval requests and answers.
    fn approvals(&mut self) -> &mut dyn ApprovalRepo;
    /// Invoices.
    fn invoices(&mut self) -> &mut dyn InvoiceRepo;
    /// The audit trail.
    fn audit(&mut self) -> &mut dyn AuditRepo;
    /// The email outbox.
    fn outbox(&mut self) -> &mut dyn OutboxRepo;
    /// One-time link tokens.
    fn tokens(&mut self) -> &mut dyn TokenRepo;
    /// Login sessions.
    fn sessions(&mut self) -> &mut dyn SessionRepo;
    /// API tokens.
    fn api_tokens(&mut self) -> &mut dyn ApiTokenRepo;
    /// Activity events.
    fn activity(&mut self) -> &mut dyn ActivityRepo;
    /// Notices waiting for their mail.
    fn notifications(&mut self) -> &mut dyn NotificationRepo;
    /// Notification choices.
    fn preferences(&mut self) -> &mut dyn PreferenceRepo;

    /// Makes every write of the unit durable and visible.
    ///
    /// # Errors
    /// `Unavailable` (nothing was written) or a `Conflict` detected at commit time.
    async fn commit(self: Box<Self>) -> RepoResult<()>;
}

/// Implements every repository accessor of [`UnitOfWork`] by returning the unit itself, for
/// adapters whose unit type implements all the repository traits. Use inside the
/// `impl UnitOfWork for …` block, beside `commit`.
#[macro_export]
macro_rules! unit_is_every_repository {
    () => {
        fn workspaces(&mut self) -> &mut dyn $crate::repos::WorkspaceRepo {
            self
        }
        fn staff(&mut self) -> &mut dyn $crate::repos::StaffRepo {
            self
        }
        fn clients(&mut self) -> &mut dyn $crate::repos::ClientRepo {
            self
        }
        fn credentials(&mut self) -> &mut dyn $crate::repos::CredentialRepo {
            self
        }
        fn projects(&mut self) -> &mut dyn $crate::repos::ProjectRepo {
            self
        }
        fn assignments(&mut self) -> &mut dyn $crate::repos::AssignmentRepo {
            self
        }
        fn memberships(&mut self) -> &mut dyn $crate::repos::MembershipRepo {
            self
        }
        fn tasks(&mut self) -> &mut dyn $crate::repos::TaskRepo {
            self
        }
        fn files(&mut self) -> &mut dyn $crate::repos::FileRepo {
            self
        }
        fn messages(&mut self) -> &mut dyn $crate::repos::MessageRepo {
            self
        }
        fn approvals(&mut self) -> &mut dyn $crate::repos::ApprovalRepo {
            self
        }
        fn invoices(&mut self) -> &mut dyn $crate::repos::InvoiceRepo {
            self
        }
        fn audit(&mut self) -> &mut dyn $crate::repos::AuditRepo {
            self
        }
        fn outbox(&mut self) -> &mut dyn $crate::repos::OutboxRepo {
            self
        }
        fn tokens(&mut self) -> &mut dyn $crate::repos::TokenRepo {
            self
        }
        fn sessions(&mut self) -> &mut dyn $crate::repos::SessionRepo {
            self
        }
        fn api_tokens(&mut self) -> &mut dyn $crate::repos::ApiTokenRepo {
            self
        }
        fn activity(&mut self) -> &mut dyn $crate::repos::ActivityRepo {
            self
        }
        fn notifications(&mut self) -> &mut dyn $crate::repos::NotificationRepo {
            self
        }
        fn preferences(&mut self) -> &mut dyn $crate::repos::PreferenceRepo {
            self
        }
    };
}
