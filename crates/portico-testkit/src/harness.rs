//! A Portico application wired for tests: any store, a manual clock, sequential ids, a fast
//! hasher and in-memory file bytes, with a workspace and an admin ready to act.

use std::sync::Arc;

use portico_app::{Actor, AppError, AppResult, Portico, Services};
use portico_domain::email::EmailAddress;
use portico_domain::ids::{ClientId, WorkspaceId};
use portico_domain::password::NewPassword;
use portico_domain::staff::UserRef;
use portico_domain::text::{PersonName, WorkspaceName};
use portico_domain::token::TokenPurpose;
use portico_memory::{MemoryFileStore, MemoryStore};
use portico_os::RandomSecrets;
use portico_ports::{PageRequest, Store};
use portico_seal::KeyBox;
use time::OffsetDateTime;
use time::macros::datetime;

use crate::doubles::{ManualClock, SequentialIds, TestHasher};

/// The instant test applications start at.
pub const START: OffsetDateTime = datetime!(2026-03-02 09:00 UTC);

/// The password every test user sets.
pub const PASSWORD: &str = "correct horse battery staple";

/// A ready-to-use application for tests.
pub struct TestApp {
    /// The application.
    pub portico: Portico,
    /// The store behind it.
    pub store: Arc<dyn Store>,
    /// Its clock.
    pub clock: Arc<ManualClock>,
    /// Its file bytes.
    pub files: Arc<MemoryFileStore>,
    /// The workspace created at start.
    pub workspace: WorkspaceId,
    /// An admin of that workspace.
    pub admin: Actor,
}

/// An application on `store` (which may hold data already) with the test doubles: a manual
/// clock at [`START`], sequential ids, a fast hasher, a fresh sealing key and in-memory file
/// bytes. Returns the clock and the file bytes too.
pub fn wired(store: Arc<dyn Store>) -> (Portico, Arc<ManualClock>, Arc<MemoryFileStore>) {
    let clock = Arc::new(ManualClock::at(START));
    let files = Arc::new(MemoryFileStore::new());
    let portico = Portico::new(Services {
        store,
        clock: clock.clone(),
        ids: Arc::new(SequentialIds::default()),
        secrets: Arc::new(RandomSecrets),
        secret_box: Arc::new(KeyBox::random()),
        hasher: Arc::new(TestHasher),
        files: files.clone(),
        documents: Arc::new(portico_pdf::PdfDocuments),
    });
    (portico, clock, files)
}

impl TestApp {
    /// An application on a fresh in-memory store.
    ///
    /// # Panics
    /// When setting up the workspace fails (a broken adapter).
    pub async fn in_memory() -> Self {
        Self::on(Arc::new(MemoryStore::new())).await
    }

    /// An application on `store` (empty), with a workspace "Studio North" and its admin.
    ///
    /// # Panics
    /// When setting up the workspace fails (a broken adapter).
    pub async fn on(store: Arc<dyn Store>) -> Self {
        let (portico, clock, files) = wired(Arc::clone(&store));
        let name = WorkspaceName::parse("Studio North").expect("valid name");
        let workspace = portico.create_workspace(name).await.expect("workspace is created").id;
        let (admin, _) = portico
            .bootstrap_admin(
                workspace,
                PersonName::parse("Ada Admin").expect("valid name"),
                EmailAddress::parse("ada@studio.example").expect("valid email"),
                Some(password()),
            )
            .await
            .expect("admin is created");
        Self { portico, store, clock, files, workspace, admin: Actor::staff(workspace, admin.id) }
    }

    /// The actor of a client of this workspace.
    pub fn client(&self, id: ClientId) -> Actor {
        Actor::client(self.workspace, id)
    }

    /// The secret of the newest invitation link queued for `user`, as a person would copy it
    /// from the mail (or the outbox).
    ///
    /// # Errors
    /// `NotFound` when no invitation was queued.
    pub async fn invitation_secret(&self, user: UserRef) -> AppResult<String> {
        self.link_secret(user, TokenPurpose::Invitation).await
    }

    /// The secret of the newest link of `purpose` the outbox still keeps for `user`, as the
    /// mail carries it.
    ///
    /// # Errors
    /// `NotFound` when none is kept.
    pub async fn link_secret(&self, user: UserRef, purpose: TokenPurpose) -> AppResult<String> {
        let page = self.portico.outbox(&self.admin, &PageRequest::new(None, PageRequest::MAX_LIMIT)).await?;
        page.items
            .into_iter()
            .filter(|m| m.about == Some(user) && m.content.link_purpose() == Some(purpose))
            .find_map(|m| self.portico.link_secret(&m)?.ok().map(|secret| secret.expose().to_owned()))
            .ok_or(AppError::NotFound)
    }

    /// Accepts the client's newest invitation with [`PASSWORD`], making it active.
    ///
    /// # Errors
    /// Whatever accepting the invitation fails with.
    pub async fn activate(&self, client: ClientId) -> AppResult<Actor> {
        let secret = self.invitation_secret(UserRef::Client(client)).await?;
        self.portico.accept_invitation(&secret, &password()).await
    }
}

/// [`PASSWORD`] as a checked new password.
///
/// # Panics
/// Never: the constant satisfies the policy.
pub fn password() -> NewPassword {
    NewPassword::parse(PASSWORD).expect("the test password satisfies the policy")
}
