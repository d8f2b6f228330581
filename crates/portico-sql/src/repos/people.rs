//! Staff, clients and their passwords. Addresses live in `users`, shared by both, so one
//! unique key keeps an address to one person whatever the code does.

use async_trait::async_trait;
use portico_domain::client::{Client, ClientParts, ClientProfile};
use portico_domain::company::CompanyName;
use portico_domain::email::EmailAddress;
use portico_domain::ids::{ClientId, StaffId, WorkspaceId};
use portico_domain::password::PasswordHash;
use portico_domain::phone::Phone;
use portico_domain::staff::{Staff, UserRef};
use portico_domain::status::ClientStatus;
use portico_domain::text::{BillingAddress, InternalNotes, PersonName};
use portico_ports::repos::{ClientQuery, ClientRepo, CredentialRepo, StaffRepo};
use portico_ports::{Conflict, Page, PageRequest, RepoResult};

use super::{Order, keyset, page_of};
use crate::codec::{permissions, permissions_text, read, read_enum, read_opt, user_parts};
use crate::engine::{Dialect, Row, Transaction, Value};
use crate::query::Query;
use crate::unit::{SqlUnit, changed};

const STAFF: &str = "SELECT s.id, s.workspace_id, s.name, u.email, s.role, s.active, s.created_at \
    FROM staff s JOIN users u ON u.workspace_id = s.workspace_id AND u.id = s.id";

const CLIENT_COLUMNS: &str = "SELECT c.id, c.workspace_id, c.name, u.email, c.company, c.phone, c.billing_address, \
    c.notes, c.permissions, c.status, c.created_at, c.updated_at, c.invited_at, c.accepted_at, c.last_login_at FROM ";
const WITH_EMAIL: &str = " JOIN users u ON u.workspace_id = c.workspace_id AND u.id = c.id";

fn staff(row: &impl Row) -> RepoResult<Staff> {
    Ok(Staff {
        id: StaffId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        name: read(row, "name", PersonName::parse)?,
        email: read(row, "email", EmailAddress::parse)?,
        role: read_enum(row, "role")?,
        active: row.bool("active")?,
        created_at: row.time("created_at")?,
    })
}

fn client(row: &impl Row) -> RepoResult<Client> {
    let profile = ClientProfile {
        name: read(row, "name", PersonName::parse)?,
        email: read(row, "email", EmailAddress::parse)?,
        company: read_opt(row, "company", CompanyName::parse)?,
        phone: read_opt(row, "phone", Phone::parse)?,
        billing_address: read_opt(row, "billing_address", BillingAddress::parse)?,
        notes: read_opt(row, "notes", InternalNotes::parse)?,
    };
    Ok(Client::from_parts(ClientParts {
        id: ClientId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        profile,
        permissions: permissions("permissions", &row.text("permissions")?)?,
        status: read_enum::<ClientStatus>(row, "status")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
        invited_at: row.opt_time("invited_at")?,
        accepted_at: row.opt_time("accepted_at")?,
        last_login_at: row.opt_time("last_login_at")?,
    }))
}

/// The values of a client's own columns, in the order of [`CLIENT_FIELDS`].
fn client_values(c: &Client) -> Vec<Value> {
    let p = c.profile();
    let text = |value: Option<&str>| Value::from(value);
    vec![
        c.workspace_id().as_uuid().into(),
        c.id().as_uuid().into(),
        p.name.as_str().into(),
        p.name.sort_key().into(),
        text(p.company.as_ref().map(CompanyName::as_str)),
        Value::from(p.company.as_ref().map(|company| company.company_key().as_str().to_owned())),
        text(p.phone.as_ref().map(Phone::as_str)),
        text(p.billing_address.as_ref().map(BillingAddress::as_str)),
        text(p.notes.as_ref().map(InternalNotes::as_str)),
        permissions_text(c.permissions()).into(),
        c.status().as_str().into(),
        c.created_at().into(),
        c.updated_at().into(),
        c.invited_at().into(),
        c.accepted_at().into(),
        c.last_login_at().into(),
        ClientQuery::search_text(c).into(),
    ]
}

/// A person's address row: the one place addresses live.
async fn upsert_user<S: Transaction>(
    unit: &mut SqlUnit<S>,
    user: UserRef,
    workspace: WorkspaceId,
    email: &EmailAddress,
    insert: bool,
) -> RepoResult<()> {
    let (kind, id) = user_parts(user);
    let args =
        vec![workspace.as_uuid().into(), id.into(), kind.into(), email.as_str().into(), email.normalized().into()];
    if insert {
        // A repeated id is reported as such even when the address clashes too.
        let sql = "INSERT INTO users (workspace_id, id, kind, email, email_key) VALUES ($1, $2, $3, $4, $5) \
            ON CONFLICT (workspace_id, id) DO NOTHING";
        match unit.execute(sql, args).await? {
            0 => Err(Conflict::DuplicateId.into()),
            _ => Ok(()),
        }
    } else {
        let sql = "UPDATE users SET email = $4, email_key = $5 WHERE workspace_id = $1 AND id = $2 AND kind = $3";
        changed(unit.execute(sql, args).await?)
    }
}

/// The statement behind [`ClientRepo::search`], public so engine tests can check its plan.
pub fn client_search_statement(
    dialect: Dialect,
    workspace: WorkspaceId,
    query: &ClientQuery,
    page: &PageRequest,
) -> (String, Vec<Value>) {
    // With search text, the engine chooses where the scan starts (its search index).
    let search = query.needle().map(|needle| ((dialect.client_search)(1), needle));
    let from = search.as_ref().map_or("clients c", |(search, _)| search.from.as_str());
    let mut sql = Query::new(&format!("{CLIENT_COLUMNS}{from}{WITH_EMAIL}"));
    if let Some((search, needle)) = search {
        sql.arg(needle);
        sql.push(" WHERE ").push(&search.condition).push(" AND");
    } else {
        sql.push(" WHERE");
    }
    let ws = sql.arg(workspace.as_uuid());
    sql.push(&format!(" c.workspace_id = {ws}"));
    match query.status {
        Some(status) => {
            let status = sql.arg(status.as_str());
            sql.push(&format!(" AND c.status = {status}"));
        }
        None => {
            sql.push(" AND c.status <> 'deleted'");
        }
    }
    if let Some(key) = &query.company {
        let key = sql.arg(key.as_str());
        sql.push(&format!(" AND c.company_key = {key}"));
    }
    keyset(&mut sql, page, "c.name_key", "c.id", Order::Ascending);
    (sql.sql, sql.args)
}

#[async_trait]
impl<S: Transaction> StaffRepo for SqlUnit<S> {
    async fn insert(&mut self, s: &Staff) -> RepoResult<()> {
        upsert_user(self, UserRef::Staff(s.id), s.workspace_id, &s.email, true).await?;
        let sql = "INSERT INTO staff (workspace_id, id, name, name_key, role, active, created_at) \
            VALUES ($1, $2, $3, $4, $5, $6, $7)";
        let args = vec![
            s.workspace_id.as_uuid().into(),
            s.id.as_uuid().into(),
            s.name.as_str().into(),
            s.name.sort_key().into(),
            s.role.as_str().into(),
            s.active.into(),
            s.created_at.into(),
        ];
        self.execute(sql, args).await.map(drop)
    }

    async fn update(&mut self, s: &Staff) -> RepoResult<()> {
        upsert_user(self, UserRef::Staff(s.id), s.workspace_id, &s.email, false).await?;
        let sql =
            "UPDATE staff SET name = $3, name_key = $4, role = $5, active = $6 WHERE workspace_id = $1 AND id = $2";
        let args = vec![
            s.workspace_id.as_uuid().into(),
            s.id.as_uuid().into(),
            s.name.as_str().into(),
            s.name.sort_key().into(),
            s.role.as_str().into(),
            s.active.into(),
        ];
        changed(self.execute(sql, args).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: StaffId) -> RepoResult<Option<Staff>> {
        let sql = format!("{STAFF} WHERE s.workspace_id = $1 AND s.id = $2");
        self.one(&sql, vec![workspace.as_uuid().into(), id.as_uuid().into()], staff).await
    }

    async fn find_by_email(&mut self, workspace: WorkspaceId, email: &EmailAddress) -> RepoResult<Option<Staff>> {
        let sql = format!("{STAFF} WHERE u.workspace_id = $1 AND u.email_key = $2");
        self.one(&sql, vec![workspace.as_uuid().into(), email.normalized().into()], staff).await
    }

    async fn list(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Staff>> {
        let sql = format!("{STAFF} WHERE s.workspace_id = $1 ORDER BY s.name_key, s.id");
        self.all(&sql, vec![workspace.as_uuid().into()], staff).await
    }
}

#[async_trait]
impl<S: Transaction> ClientRepo for SqlUnit<S> {
    async fn insert(&mut self, c: &Client) -> RepoResult<()> {
        upsert_user(self, UserRef::Client(c.id()), c.workspace_id(), c.email(), true).await?;
        let sql = "INSERT INTO clients (workspace_id, id, name, name_key, company, company_key, phone, billing_address, \
            notes, permissions, status, created_at, updated_at, invited_at, accepted_at, last_login_at, search_text) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
        self.execute(sql, client_values(c)).await.map(drop)
    }

    async fn update(&mut self, c: &Client) -> RepoResult<()> {
        upsert_user(self, UserRef::Client(c.id()), c.workspace_id(), c.email(), false).await?;
        let sql = "UPDATE clients SET name = $3, name_key = $4, company = $5, company_key = $6, phone = $7, \
            billing_address = $8, notes = $9, permissions = $10, status = $11, created_at = $12, updated_at = $13, \
            invited_at = $14, accepted_at = $15, last_login_at = $16, search_text = $17 \
            WHERE workspace_id = $1 AND id = $2";
        changed(self.execute(sql, client_values(c)).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ClientId) -> RepoResult<Option<Client>> {
        let sql = format!("{CLIENT_COLUMNS}clients c{WITH_EMAIL} WHERE c.workspace_id = $1 AND c.id = $2");
        self.one(&sql, vec![workspace.as_uuid().into(), id.as_uuid().into()], client).await
    }

    async fn get_many(&mut self, workspace: WorkspaceId, ids: &[ClientId]) -> RepoResult<Vec<Client>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = (self.transaction.dialect().in_list)("c.id", 2);
        let sql = format!("{CLIENT_COLUMNS}clients c{WITH_EMAIL} WHERE c.workspace_id = $1 AND {list}");
        let ids: Vec<_> = ids.iter().map(ClientId::as_uuid).collect();
        self.all(&sql, vec![workspace.as_uuid().into(), ids.into()], client).await
    }

    async fn find_by_email(&mut self, workspace: WorkspaceId, email: &EmailAddress) -> RepoResult<Option<Client>> {
        let sql = format!(
            "{CLIENT_COLUMNS}clients c{WITH_EMAIL} WHERE u.workspace_id = $1 AND u.email_key = $2 AND c.status <> 'deleted'"
        );
        self.one(&sql, vec![workspace.as_uuid().into(), email.normalized().into()], client).await
    }

    async fn find_by_emails(&mut self, workspace: WorkspaceId, emails: &[EmailAddress]) -> RepoResult<Vec<Client>> {
        if emails.is_empty() {
            return Ok(Vec::new());
        }
        let list = (self.transaction.dialect().in_list)("u.email_key", 2);
        let sql = format!(
            "{CLIENT_COLUMNS}clients c{WITH_EMAIL} WHERE u.workspace_id = $1 AND {list} AND c.status <> 'deleted'"
        );
        let keys: Vec<String> = emails.iter().map(|e| e.normalized().to_owned()).collect();
        self.all(&sql, vec![workspace.as_uuid().into(), keys.into()], client).await
    }

    async fn search(
        &mut self,
        workspace: WorkspaceId,
        query: &ClientQuery,
        page: &PageRequest,
    ) -> RepoResult<Page<Client>> {
        let (sql, args) = client_search_statement(self.transaction.dialect(), workspace, query, page);
        let rows = self.all(&sql, args, client).await?;
        Ok(page_of(rows, page, |c| (c.name().sort_key(), c.id().as_uuid())))
    }
    async fn list_all(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Client>> {
        let sql = format!("{CLIENT_COLUMNS}clients c{WITH_EMAIL} WHERE c.workspace_id = $1 ORDER BY c.name_key, c.id");
        self.all(&sql, vec![workspace.as_uuid().into()], client).await
    }
}

#[async_trait]
impl<S: Transaction> CredentialRepo for SqlUnit<S> {
    async fn set_password(&mut self, workspace: WorkspaceId, user: UserRef, hash: &PasswordHash) -> RepoResult<()> {
        let (kind, id) = user_parts(user);
        let sql = "UPDATE users SET password_hash = $4 WHERE workspace_id = $1 AND id = $2 AND kind = $3";
        let args = vec![workspace.as_uuid().into(), id.into(), kind.into(), hash.as_phc().into()];
        changed(self.execute(sql, args).await?)
    }

    async fn password(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<Option<PasswordHash>> {
        let (kind, id) = user_parts(user);
        let sql = "SELECT password_hash FROM users WHERE workspace_id = $1 AND id = $2 AND kind = $3";
        let args = vec![workspace.as_uuid().into(), id.into(), kind.into()];
        let hash = self.one(sql, args, |row| row.opt_text("password_hash")).await?;
        Ok(hash.flatten().map(PasswordHash::from_phc))
    }

    async fn clear_password(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<()> {
        let (kind, id) = user_parts(user);
        let sql = "UPDATE users SET password_hash = NULL WHERE workspace_id = $1 AND id = $2 AND kind = $3";
        self.execute(sql, vec![workspace.as_uuid().into(), id.into(), kind.into()]).await.map(drop)
    }
}
