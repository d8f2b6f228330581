//! Credentials, one-time link tokens, sessions and API tokens.

use async_trait::async_trait;
use portico_domain::ids::{ApiTokenId, WorkspaceId};
use portico_domain::session::{ApiToken, Session};
use portico_domain::staff::UserRef;
use portico_domain::token::{OneTimeToken, TokenHash, TokenPurpose};
use time::OffsetDateTime;

use crate::error::RepoResult;

/// One-time link tokens. Only hashes are stored.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait TokenRepo: Send {
    /// Stores a new token.
    ///
    /// # Errors
    /// `Conflict::DuplicateId` when the id (or the hash) exists.
    async fn insert(&mut self, token: &OneTimeToken) -> RepoResult<()>;

    /// Replaces a token's used/revoked times.
    ///
    /// # Errors
    /// `NotFound` when absent.
    async fn update(&mut self, token: &OneTimeToken) -> RepoResult<()>;

    /// The token with this hash, in any workspace: the secret alone identifies it.
    ///
    /// # Errors
    /// Only storage failures.
    async fn find_by_hash(&mut self, hash: &TokenHash) -> RepoResult<Option<OneTimeToken>>;

    /// Revokes every token of `user` that is neither used nor revoked — of one purpose, or of
    /// all when `purpose` is `None`. Expired tokens may be revoked too. Returns how many.
    ///
    /// # Errors
    /// Only storage failures.
    async fn revoke_open(
        &mut self,
        workspace: WorkspaceId,
        user: UserRef,
        purpose: Option<TokenPurpose>,
        at: OffsetDateTime,
    ) -> RepoResult<u64>;
}

/// Server-side login sessions, stored by hash.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait SessionRepo: Send {
    /// Stores a new session.
    ///
    /// # Errors
    /// `Conflict::DuplicateId` when the hash exists.
    async fn insert(&mut self, session: &Session) -> RepoResult<()>;

    /// The session with this hash, in any workspace.
    ///
    /// # Errors
    /// Only storage failures.
    async fn find_by_hash(&mut self, hash: &TokenHash) -> RepoResult<Option<Session>>;

    /// Records use of a session.
    ///
    /// # Errors
    /// `NotFound` when absent.
    async fn touch(&mut self, hash: &TokenHash, at: OffsetDateTime) -> RepoResult<()>;

    /// Ends one session (logout, rotation). Ending a missing session is not an error.
    ///
    /// # Errors
    /// Only storage failures.
    async fn delete(&mut self, hash: &TokenHash) -> RepoResult<()>;

    /// Ends every session of `user`; returns how many.
    ///
    /// # Errors
    /// Only storage failures.
    async fn delete_all_for(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<u64>;
}

/// API tokens for `Authorization: Bearer`. Only hashes are stored.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ApiTokenRepo: Send {
    /// Stores a new token.
    ///
    /// # Errors
    /// `Conflict::DuplicateId` when the id (or the hash) exists.
    async fn insert(&mut self, token: &ApiToken) -> RepoResult<()>;

    /// Replaces a token's last-use and revocation times (nothing else of a token changes).
    ///
    /// # Errors
    /// `NotFound` when absent from the token's workspace.
    async fn update(&mut self, token: &ApiToken) -> RepoResult<()>;

    /// The token with this hash, in any workspace: the secret alone identifies it.
    ///
    /// # Errors
    /// Storage failures only.
    async fn find_by_hash(&mut self, hash: &TokenHash) -> RepoResult<Option<ApiToken>>;

    /// The workspace's token with this id.
    ///
    /// # Errors
    /// Storage failures only.
    async fn get(&mut self, workspace: WorkspaceId, id: ApiTokenId) -> RepoResult<Option<ApiToken>>;

    /// Every token of the workspace, revoked ones included, oldest first.
    ///
    /// # Errors
    /// Storage failures only.
    async fn list(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<ApiToken>>;
}
