//! One-time link tokens, login sessions and API tokens, all stored by the hash of their secret.

use std::sync::LazyLock;

use async_trait::async_trait;
use portico_domain::ids::{ApiTokenId, StaffId, TokenId, WorkspaceId};
use portico_domain::session::{ApiToken, Session};
use portico_domain::staff::UserRef;
use portico_domain::text::TokenLabel;
use portico_domain::token::{OneTimeToken, TokenHash, TokenPurpose};
use portico_ports::RepoResult;
use portico_ports::repos::{ApiTokenRepo, SessionRepo, TokenRepo};
use time::OffsetDateTime;

use crate::codec::{corrupt, read_enum, user, user_parts};
use crate::columns::{Column, Table};
use crate::engine::{Row, Transaction, Value};
use crate::query::Query;
use crate::unit::{SqlUnit, changed};

/// The one-time links: only the hash of a link's secret is kept.
static TOKENS: Table<OneTimeToken> = Table::new(
    "tokens",
    &[
        Column::key("workspace_id", |t| t.workspace_id.as_uuid().into()),
        Column::key("id", |t| t.id.as_uuid().into()),
        Column::fixed("user_kind", |t| user_parts(t.user).0.into()),
        Column::fixed("user_id", |t| user_parts(t.user).1.into()),
        Column::fixed("purpose", |t| t.purpose.as_str().into()),
        Column::fixed("hash", |t| hash_value(&t.hash)),
        Column::fixed("created_at", |t| t.created_at.into()),
        Column::fixed("expires_at", |t| t.expires_at.into()),
        Column::field("used_at", |t| t.used_at.into()),
        Column::field("revoked_at", |t| t.revoked_at.into()),
    ],
);

/// Login sessions, found by the hash of their secret.
static SESSIONS: Table<Session> = Table::new(
    "sessions",
    &[
        Column::fixed("workspace_id", |s| s.workspace_id.as_uuid().into()),
        Column::key("hash", |s| hash_value(&s.hash)),
        Column::fixed("user_kind", |s| user_parts(s.user).0.into()),
        Column::fixed("user_id", |s| user_parts(s.user).1.into()),
        Column::fixed("created_at", |s| s.created_at.into()),
        Column::field("last_seen_at", |s| s.last_seen_at.into()),
    ],
);

/// API tokens: only the hash of a token's secret is kept.
static API_TOKENS: Table<ApiToken> = Table::new(
    "api_tokens",
    &[
        Column::key("workspace_id", |t| t.workspace_id.as_uuid().into()),
        Column::key("id", |t| t.id.as_uuid().into()),
        Column::fixed("staff_id", |t| t.staff_id.as_uuid().into()),
        Column::fixed("label", |t| t.label.as_str().into()),
        Column::fixed("hash", |t| hash_value(&t.hash)),
        Column::fixed("created_at", |t| t.created_at.into()),
        Column::field("last_used_at", |t| t.last_used_at.into()),
        Column::field("revoked_at", |t| t.revoked_at.into()),
    ],
);

static TOKEN_SELECT: LazyLock<String> = LazyLock::new(|| format!("SELECT {} FROM tokens", TOKENS.select("")));
static SESSION_SELECT: LazyLock<String> = LazyLock::new(|| format!("SELECT {} FROM sessions", SESSIONS.select("")));
static API_TOKEN_SELECT: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {} FROM api_tokens", API_TOKENS.select("")));

fn hash(row: &impl Row) -> RepoResult<TokenHash> {
    let bytes: [u8; 32] = row.bytes("hash")?.try_into().map_err(|_| corrupt("hash", "not 32 bytes"))?;
    Ok(TokenHash::from_bytes(bytes))
}

fn token(row: &impl Row) -> RepoResult<OneTimeToken> {
    Ok(OneTimeToken {
        id: TokenId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        user: user(row, "user_kind", "user_id")?,
        purpose: read_enum(row, "purpose")?,
        hash: hash(row)?,
        created_at: row.time("created_at")?,
        expires_at: row.time("expires_at")?,
        used_at: row.opt_time("used_at")?,
        revoked_at: row.opt_time("revoked_at")?,
    })
}

fn session(row: &impl Row) -> RepoResult<Session> {
    Ok(Session {
        hash: hash(row)?,
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        user: user(row, "user_kind", "user_id")?,
        created_at: row.time("created_at")?,
        last_seen_at: row.time("last_seen_at")?,
    })
}

fn api_token(row: &impl Row) -> RepoResult<ApiToken> {
    Ok(ApiToken {
        id: ApiTokenId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        staff_id: StaffId::from_uuid(row.uuid("staff_id")?),
        label: TokenLabel::parse(&row.text("label")?).map_err(|e| corrupt("label", e))?,
        hash: hash(row)?,
        created_at: row.time("created_at")?,
        last_used_at: row.opt_time("last_used_at")?,
        revoked_at: row.opt_time("revoked_at")?,
    })
}

fn hash_value(hash: &TokenHash) -> Value {
    Value::Bytes(hash.as_bytes().to_vec())
}

#[async_trait]
impl<S: Transaction> TokenRepo for SqlUnit<S> {
    async fn insert(&mut self, t: &OneTimeToken) -> RepoResult<()> {
        self.execute(TOKENS.insert(), TOKENS.insert_values(t)).await.map(drop)
    }

    async fn update(&mut self, t: &OneTimeToken) -> RepoResult<()> {
        changed(self.execute(TOKENS.update(), TOKENS.update_values(t)).await?)
    }

    async fn find_by_hash(&mut self, hash: &TokenHash) -> RepoResult<Option<OneTimeToken>> {
        self.one(&format!("{} WHERE hash = $1", *TOKEN_SELECT), vec![hash_value(hash)], token).await
    }

    async fn revoke_open(
        &mut self,
        workspace: WorkspaceId,
        person: UserRef,
        purpose: Option<TokenPurpose>,
        at: OffsetDateTime,
    ) -> RepoResult<u64> {
        let (kind, id) = user_parts(person);
        let mut sql = Query::new("UPDATE tokens SET revoked_at = ");
        let (at, ws, id, kind) = (sql.arg(at), sql.arg(workspace.as_uuid()), sql.arg(id), sql.arg(kind));
        sql.push(&format!(
            "{at} WHERE workspace_id = {ws} AND user_id = {id} AND user_kind = {kind} \
             AND used_at IS NULL AND revoked_at IS NULL"
        ));
        if let Some(purpose) = purpose {
            let purpose = sql.arg(purpose.as_str());
            sql.push(&format!(" AND purpose = {purpose}"));
        }
        self.execute(&sql.sql, sql.args).await
    }
}

#[async_trait]
impl<S: Transaction> SessionRepo for SqlUnit<S> {
    async fn insert(&mut self, s: &Session) -> RepoResult<()> {
        self.execute(SESSIONS.insert(), SESSIONS.insert_values(s)).await.map(drop)
    }

    async fn find_by_hash(&mut self, hash: &TokenHash) -> RepoResult<Option<Session>> {
        self.one(&format!("{} WHERE hash = $1", *SESSION_SELECT), vec![hash_value(hash)], session).await
    }

    async fn touch(&mut self, hash: &TokenHash, at: OffsetDateTime) -> RepoResult<()> {
        let sql = "UPDATE sessions SET last_seen_at = $2 WHERE hash = $1";
        changed(self.execute(sql, vec![hash_value(hash), at.into()]).await?)
    }

    async fn delete(&mut self, hash: &TokenHash) -> RepoResult<()> {
        self.execute("DELETE FROM sessions WHERE hash = $1", vec![hash_value(hash)]).await.map(drop)
    }

    async fn delete_all_for(&mut self, workspace: WorkspaceId, person: UserRef) -> RepoResult<u64> {
        let (kind, id) = user_parts(person);
        let sql = "DELETE FROM sessions WHERE workspace_id = $1 AND user_id = $2 AND user_kind = $3";
        self.execute(sql, vec![workspace.as_uuid().into(), id.into(), kind.into()]).await
    }
}

#[async_trait]
impl<S: Transaction> ApiTokenRepo for SqlUnit<S> {
    async fn insert(&mut self, t: &ApiToken) -> RepoResult<()> {
        self.execute(API_TOKENS.insert(), API_TOKENS.insert_values(t)).await.map(drop)
    }

    async fn update(&mut self, t: &ApiToken) -> RepoResult<()> {
        changed(self.execute(API_TOKENS.update(), API_TOKENS.update_values(t)).await?)
    }

    async fn find_by_hash(&mut self, hash: &TokenHash) -> RepoResult<Option<ApiToken>> {
        self.one(&format!("{} WHERE hash = $1", *API_TOKEN_SELECT), vec![hash_value(hash)], api_token).await
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ApiTokenId) -> RepoResult<Option<ApiToken>> {
        let sql = format!("{} WHERE workspace_id = $1 AND id = $2", *API_TOKEN_SELECT);
        self.one(&sql, vec![workspace.as_uuid().into(), id.as_uuid().into()], api_token).await
    }

    async fn list(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<ApiToken>> {
        let sql = format!("{} WHERE workspace_id = $1 ORDER BY created_at, id", *API_TOKEN_SELECT);
        self.all(&sql, vec![workspace.as_uuid().into()], api_token).await
    }
}
