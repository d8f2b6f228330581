//! Staff, clients and their passwords.

use async_trait::async_trait;
use portico_domain::client::Client;
use portico_domain::company::CompanyKey;
use portico_domain::email::EmailAddress;
use portico_domain::ids::{ClientId, StaffId, WorkspaceId};
use portico_domain::password::PasswordHash;
use portico_domain::staff::{Staff, UserRef};
use portico_domain::status::ClientStatus;

use crate::error::RepoResult;
use crate::page::{ListOrder, Page, PageRequest};

/// Staff members.
///
/// Email uniqueness spans staff *and* clients: an address belongs to at most one non-deleted
/// person of a workspace, compared case-insensitively.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait StaffRepo: Send {
    /// Stores a new staff member.
    ///
    /// # Errors
    /// MUST return `Conflict::EmailTaken` when a non-deleted client or another staff member of
    /// the workspace has the email; `Conflict::DuplicateId` when the id exists.
    async fn insert(&mut self, staff: &Staff) -> RepoResult<()>;

    /// Replaces a staff member's fields.
    ///
    /// # Errors
    /// `NotFound` when absent; `Conflict::EmailTaken` as for `insert`.
    async fn update(&mut self, staff: &Staff) -> RepoResult<()>;

    /// The staff member with this id.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get(&mut self, workspace: WorkspaceId, id: StaffId) -> RepoResult<Option<Staff>>;

    /// The staff member with this email (case-insensitive).
    ///
    /// # Errors
    /// Only storage failures.
    async fn find_by_email(&mut self, workspace: WorkspaceId, email: &EmailAddress) -> RepoResult<Option<Staff>>;

    /// Every staff member, by name (sort key, then id).
    ///
    /// # Errors
    /// Only storage failures.
    async fn list(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Staff>>;
}

/// The order of a client list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ClientOrder {
    /// By name (`name.sort_key()`, then id); cursors carry the name key.
    #[default]
    Name,
    /// The newest first (`created_at` descending, then id descending); cursors carry the
    /// creation instant's [`time_key`](crate::page::time_key).
    Newest,
}

impl ListOrder for ClientOrder {
    const ALL: &'static [Self] = &[Self::Name, Self::Newest];

    fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Newest => "newest",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Name => "By name",
            Self::Newest => "Newest first",
        }
    }
}

impl ClientOrder {
    /// The cursor key of `client` in this order.
    pub fn key(self, client: &Client) -> String {
        match self {
            Self::Name => client.name().sort_key(),
            Self::Newest => crate::page::time_key(client.created_at()),
        }
    }
}

/// Which clients to list, in which order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientQuery {
    /// Case-insensitive substring of the name, email or company (blank: no filter).
    pub text: Option<String>,
    /// Only clients in this status. Without it, every status except `Deleted`.
    pub status: Option<ClientStatus>,
    /// Only clients whose company has this key (all spelling variants).
    pub company: Option<CompanyKey>,
    /// The order of the list.
    pub order: ClientOrder,
}

impl ClientQuery {
    /// The text clients are searched in: name, email and company, lower-cased. SQL adapters
    /// store it in an indexed column so search behaves identically on every engine.
    pub fn search_text(client: &Client) -> String {
        let profile = client.profile();
        let company = profile.company.as_ref().map_or("", |c| c.as_str());
        format!("{}\n{}\n{}", profile.name, profile.email.normalized(), company).to_lowercase()
    }

    /// The search text of the query, trimmed and lower-cased; `None` when blank.
    pub fn needle(&self) -> Option<String> {
        self.text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_lowercase)
    }

    /// Whether `client` belongs in the result. This is the definition every adapter's query
    /// must agree with.
    pub fn matches(&self, client: &Client) -> bool {
        let status_ok = match self.status {
            Some(status) => client.status() == status,
            None => !client.is_deleted(),
        };
        let company_ok = self
            .company
            .as_ref()
            .is_none_or(|key| client.profile().company.as_ref().is_some_and(|company| company.company_key() == key));
        let text_ok = self.needle().is_none_or(|needle| Self::search_text(client).contains(&needle));
        status_ok && company_ok && text_ok
    }
}

/// Client records (including tombstones of deleted clients).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ClientRepo: Send {
    /// Stores a new client.
    ///
    /// # Errors
    /// MUST return `Conflict::EmailTaken` when a non-deleted client or a staff member of the
    /// workspace has the email (case-insensitive); `Conflict::DuplicateId` when the id exists.
    async fn insert(&mut self, client: &Client) -> RepoResult<()>;

    /// Replaces a client's fields (profile, permissions, status, times).
    ///
    /// # Errors
    /// `NotFound` when absent; `Conflict::EmailTaken` as for `insert` (a deleted client's
    /// placeholder address never conflicts).
    async fn update(&mut self, client: &Client) -> RepoResult<()>;

    /// The client with this id, deleted or not.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get(&mut self, workspace: WorkspaceId, id: ClientId) -> RepoResult<Option<Client>>;

    /// The clients with these ids that exist, in no particular order.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get_many(&mut self, workspace: WorkspaceId, ids: &[ClientId]) -> RepoResult<Vec<Client>>;

    /// The non-deleted client with this email (case-insensitive).
    ///
    /// # Errors
    /// Only storage failures.
    async fn find_by_email(&mut self, workspace: WorkspaceId, email: &EmailAddress) -> RepoResult<Option<Client>>;

    /// The non-deleted clients with any of these emails (case-insensitive), in no particular
    /// order: one lookup for a whole batch, as an import checks its rows.
    ///
    /// # Errors
    /// Only storage failures.
    async fn find_by_emails(&mut self, workspace: WorkspaceId, emails: &[EmailAddress]) -> RepoResult<Vec<Client>>;

    /// One page of the clients matching `query` ([`ClientQuery::matches`]), in its
    /// [`ClientOrder`]; cursors carry that order's key ([`ClientOrder::key`]).
    ///
    /// # Errors
    /// `InvalidCursor` for a cursor this adapter cannot read.
    async fn search(
        &mut self,
        workspace: WorkspaceId,
        query: &ClientQuery,
        page: &PageRequest,
    ) -> RepoResult<Page<Client>>;

    /// How many clients match `query` in all: the length of every page of
    /// [`search`](Self::search) together.
    ///
    /// # Errors
    /// Only storage failures.
    async fn count(&mut self, workspace: WorkspaceId, query: &ClientQuery) -> RepoResult<u64>;

    /// Every client of the workspace, deleted ones included, in search order. For reports.
    ///
    /// # Errors
    /// Only storage failures.
    async fn list_all(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Client>>;
}

/// Password hashes, apart from the people they belong to so no read of a person carries one.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait CredentialRepo: Send {
    /// Sets (or replaces) the password hash of `user`.
    ///
    /// # Errors
    /// MUST return `NotFound` when `user` does not exist in the workspace.
    async fn set_password(&mut self, workspace: WorkspaceId, user: UserRef, hash: &PasswordHash) -> RepoResult<()>;

    /// The password hash of `user`, if one was set.
    ///
    /// # Errors
    /// Only storage failures.
    async fn password(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<Option<PasswordHash>>;

    /// Removes the password of `user` (deletion).
    ///
    /// # Errors
    /// Only storage failures.
    async fn clear_password(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<()>;
}
