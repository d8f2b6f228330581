//! One-time links, API tokens and login sessions in memory.

use async_trait::async_trait;
use portico_domain::ids::{ApiTokenId, WorkspaceId};
use portico_domain::session::{ApiToken, Session};
use portico_domain::staff::UserRef;
use portico_domain::token::{OneTimeToken, TokenHash, TokenPurpose};
use portico_ports::repos::{ApiTokenRepo, SessionRepo, TokenRepo};
use portico_ports::{Conflict, RepoError, RepoResult};
use time::OffsetDateTime;

use super::MemoryUnit;
use crate::state::{get_in, insert_new, replace, sorted_in};

#[async_trait]
impl TokenRepo for MemoryUnit {
    async fn insert(&mut self, token: &OneTimeToken) -> RepoResult<()> {
        if self.state_mut().tokens.values().any(|t| t.hash == token.hash) {
            return Err(Conflict::DuplicateId.into());
        }
        insert_new(&mut self.state_mut().tokens, token.id, token.clone())
    }

    async fn update(&mut self, token: &OneTimeToken) -> RepoResult<()> {
        replace(&mut self.state_mut().tokens, &token.id, token.clone())
    }

    async fn find_by_hash(&mut self, hash: &TokenHash) -> RepoResult<Option<OneTimeToken>> {
        Ok(self.state().tokens.values().find(|t| &t.hash == hash).cloned())
    }

    async fn revoke_open(
        &mut self,
        workspace: WorkspaceId,
        user: UserRef,
        purpose: Option<TokenPurpose>,
        at: OffsetDateTime,
    ) -> RepoResult<u64> {
        let mut revoked = 0;
        for token in self.state_mut().tokens.values_mut() {
            let matches = token.workspace_id == workspace
                && token.user == user
                && purpose.is_none_or(|p| token.purpose == p)
                && token.used_at.is_none()
                && token.revoked_at.is_none();
            if matches {
                token.revoked_at = Some(at);
                revoked += 1;
            }
        }
        Ok(revoked)
    }
}

#[async_trait]
impl ApiTokenRepo for MemoryUnit {
    async fn insert(&mut self, token: &ApiToken) -> RepoResult<()> {
        if self.state().api_tokens.values().any(|t| t.hash == token.hash) {
            return Err(Conflict::DuplicateId.into());
        }
        insert_new(&mut self.state_mut().api_tokens, token.id, token.clone())
    }

    async fn update(&mut self, token: &ApiToken) -> RepoResult<()> {
        replace(&mut self.state_mut().api_tokens, &token.id, token.clone())
    }

    async fn find_by_hash(&mut self, hash: &TokenHash) -> RepoResult<Option<ApiToken>> {
        Ok(self.state().api_tokens.values().find(|t| &t.hash == hash).cloned())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ApiTokenId) -> RepoResult<Option<ApiToken>> {
        Ok(get_in(&self.state().api_tokens, workspace, &id))
    }

    async fn list(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<ApiToken>> {
        Ok(sorted_in(&self.state().api_tokens, workspace, |_| true, |t| (t.created_at, t.id)))
    }
}

#[async_trait]
impl SessionRepo for MemoryUnit {
    async fn insert(&mut self, session: &Session) -> RepoResult<()> {
        insert_new(&mut self.state_mut().sessions, session.hash, session.clone())
    }

    async fn find_by_hash(&mut self, hash: &TokenHash) -> RepoResult<Option<Session>> {
        Ok(self.state().sessions.get(hash).cloned())
    }

    async fn touch(&mut self, hash: &TokenHash, at: OffsetDateTime) -> RepoResult<()> {
        let session = self.state_mut().sessions.get_mut(hash).ok_or(RepoError::NotFound)?;
        session.last_seen_at = at;
        Ok(())
    }

    async fn delete(&mut self, hash: &TokenHash) -> RepoResult<()> {
        self.state_mut().sessions.remove(hash);
        Ok(())
    }

    async fn delete_all_for(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<u64> {
        let before = self.state_mut().sessions.len();
        self.state_mut().sessions.retain(|_, s| !(s.workspace_id == workspace && s.user == user));
        Ok((before - self.state_mut().sessions.len()) as u64)
    }
}
