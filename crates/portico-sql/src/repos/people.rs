//! Staff, clients and their passwords. Addresses live in `users`, shared by both, so one
//! unique key keeps an address to one person whatever the code does.

use std::sync::LazyLock;

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
use portico_ports::repos::{ClientOrder, ClientQuery, ClientRepo, CredentialRepo, StaffRepo};
use portico_ports::{Conflict, Page, PageRequest, RepoResult};

use super::{Order, keyset, newest_first, page_of};
use crate::codec::{permissions, permissions_text, read, read_enum, read_opt, user_parts};
use crate::columns::{Column, Table};
use crate::engine::{Dialect, Row, Transaction, Value};
use crate::query::Query;
use crate::unit::{SqlUnit, changed};

/// The staff table: the address lives in `users`.
static STAFF: Table<Staff> = Table::new(
    "staff",
    &[
        Column::key("workspace_id", |s| s.workspace_id.as_uuid().into()),
        Column::key("id", |s| s.id.as_uuid().into()),
        Column::field("name", |s| s.name.as_str().into()),
        Column::derived("name_key", |s| s.name.sort_key().into()),
        Column::field("role", |s| s.role.as_str().into()),
        Column::field("active", |s| s.active.into()),
        Column::fixed("created_at", |s| s.created_at.into()),
    ],
);

/// The clients table: the address lives in `users`.
static CLIENTS: Table<Client> = Table::new(
    "clients",
    &[
        Column::key("workspace_id", |c| c.workspace_id().as_uuid().into()),
        Column::key("id", |c| c.id().as_uuid().into()),
        Column::field("name", |c| c.name().as_str().into()),
        Column::derived("name_key", |c| c.name().sort_key().into()),
        Column::field("company", |c| c.profile().company.as_ref().map(CompanyName::as_str).into()),
        Column::derived("company_key", |c| {
            c.profile().company.as_ref().map(|company| company.company_key().as_str().to_owned()).into()
        }),
        Column::field("phone", |c| c.profile().phone.as_ref().map(Phone::as_str).into()),
        Column::field("billing_address", |c| c.profile().billing_address.as_ref().map(BillingAddress::as_str).into()),
        Column::field("notes", |c| c.profile().notes.as_ref().map(InternalNotes::as_str).into()),
        Column::field("permissions", |c| permissions_text(c.permissions()).into()),
        Column::field("status", |c| c.status().as_str().into()),
        Column::fixed("created_at", |c| c.created_at().into()),
        Column::field("updated_at", |c| c.updated_at().into()),
        Column::field("invited_at", |c| c.invited_at().into()),
        Column::field("accepted_at", |c| c.accepted_at().into()),
        Column::field("last_login_at", |c| c.last_login_at().into()),
        Column::derived("search_text", |c| ClientQuery::search_text(c).into()),
    ],
);

/// Staff with their address; conditions follow.
static STAFF_SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {}, u.email FROM staff s JOIN users u ON u.workspace_id = s.workspace_id AND u.id = s.id",
        STAFF.select("s")
    )
});

/// Clients with their address, up to the `FROM` (plain `clients c`, or the engine's search source).
static CLIENT_SELECT: LazyLock<String> = LazyLock::new(|| format!("SELECT {}, u.email FROM ", CLIENTS.select("c")));
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
///
/// # Errors
/// `InvalidCursor` for a cursor that is not of the query's order.
pub fn client_search_statement(
    dialect: Dialect,
    workspace: WorkspaceId,
    query: &ClientQuery,
    page: &PageRequest,
) -> RepoResult<(String, Vec<Value>)> {
    let mut sql = clients_matching(dialect, workspace, query);
    match query.order {
        ClientOrder::Name => keyset(&mut sql, page, "c.name_key", "c.id", Order::Ascending),
        ClientOrder::Newest => newest_first(&mut sql, page, "c.created_at", "c.id")?,
    }
    Ok((sql.sql, sql.args))
}

/// The clients matching `query`, unordered: what [`ClientRepo::search`] pages through and
/// [`ClientRepo::count`] counts.
fn clients_matching(dialect: Dialect, workspace: WorkspaceId, query: &ClientQuery) -> Query {
    // With search text, the engine chooses where the scan starts (its search index).
    let search = query.needle().map(|needle| ((dialect.client_search)(1), needle));
    let from = search.as_ref().map_or("clients c", |(search, _)| search.from.as_str());
    let mut sql = Query::new(&format!("{}{from}{WITH_EMAIL}", *CLIENT_SELECT));
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
    sql
}

#[async_trait]
impl<S: Transaction> StaffRepo for SqlUnit<S> {
    async fn insert(&mut self, s: &Staff) -> RepoResult<()> {
        upsert_user(self, UserRef::Staff(s.id), s.workspace_id, &s.email, true).await?;
        self.execute(STAFF.insert(), STAFF.insert_values(s)).await.map(drop)
    }

    async fn update(&mut self, s: &Staff) -> RepoResult<()> {
        upsert_user(self, UserRef::Staff(s.id), s.workspace_id, &s.email, false).await?;
        changed(self.execute(STAFF.update(), STAFF.update_values(s)).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: StaffId) -> RepoResult<Option<Staff>> {
        let sql = format!("{} WHERE s.workspace_id = $1 AND s.id = $2", *STAFF_SELECT);
        self.one(&sql, vec![workspace.as_uuid().into(), id.as_uuid().into()], staff).await
    }

    async fn find_by_email(&mut self, workspace: WorkspaceId, email: &EmailAddress) -> RepoResult<Option<Staff>> {
        let sql = format!("{} WHERE u.workspace_id = $1 AND u.email_key = $2", *STAFF_SELECT);
        self.one(&sql, vec![workspace.as_uuid().into(), email.normalized().into()], staff).await
    }

    async fn list(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Staff>> {
        let sql = format!("{} WHERE s.workspace_id = $1 ORDER BY s.name_key, s.id", *STAFF_SELECT);
        self.all(&sql, vec![workspace.as_uuid().into()], staff).await
    }
}

#[async_trait]
impl<S: Transaction> ClientRepo for SqlUnit<S> {
    async fn insert(&mut self, c: &Client) -> RepoResult<()> {
        upsert_user(self, UserRef::Client(c.id()), c.workspace_id(), c.email(), true).await?;
        self.execute(CLIENTS.insert(), CLIENTS.insert_values(c)).await.map(drop)
    }

    async fn update(&mut self, c: &Client) -> RepoResult<()> {
        upsert_user(self, UserRef::Client(c.id()), c.workspace_id(), c.email(), false).await?;
        changed(self.execute(CLIENTS.update(), CLIENTS.update_values(c)).await?)
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ClientId) -> RepoResult<Option<Client>> {
        let sql = format!("{}clients c{WITH_EMAIL} WHERE c.workspace_id = $1 AND c.id = $2", *CLIENT_SELECT);
        self.one(&sql, vec![workspace.as_uuid().into(), id.as_uuid().into()], client).await
    }

    async fn get_many(&mut self, workspace: WorkspaceId, ids: &[ClientId]) -> RepoResult<Vec<Client>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = (self.transaction.dialect().in_list)("c.id", 2);
        let sql = format!("{}clients c{WITH_EMAIL} WHERE c.workspace_id = $1 AND {list}", *CLIENT_SELECT);
        let ids: Vec<_> = ids.iter().map(ClientId::as_uuid).collect();
        self.all(&sql, vec![workspace.as_uuid().into(), ids.into()], client).await
    }

    async fn find_by_email(&mut self, workspace: WorkspaceId, email: &EmailAddress) -> RepoResult<Option<Client>> {
        let sql = format!(
            "{}clients c{WITH_EMAIL} WHERE u.workspace_id = $1 AND u.email_key = $2 AND c.status <> 'deleted'",
            *CLIENT_SELECT
        );
        self.one(&sql, vec![workspace.as_uuid().into(), email.normalized().into()], client).await
    }

    async fn find_by_emails(&mut self, workspace: WorkspaceId, emails: &[EmailAddress]) -> RepoResult<Vec<Client>> {
        if emails.is_empty() {
            return Ok(Vec::new());
        }
        let list = (self.transaction.dialect().in_list)("u.email_key", 2);
        let sql = format!(
            "{}clients c{WITH_EMAIL} WHERE u.workspace_id = $1 AND {list} AND c.status <> 'deleted'",
            *CLIENT_SELECT
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
        let (sql, args) = client_search_statement(self.transaction.dialect(), workspace, query, page)?;
        let rows = self.all(&sql, args, client).await?;
        Ok(page_of(rows, page, |c| (query.order.key(c), c.id().as_uuid())))
    }

    async fn count(&mut self, workspace: WorkspaceId, query: &ClientQuery) -> RepoResult<u64> {
        let matching = clients_matching(self.transaction.dialect(), workspace, query);
        self.count_rows(matching).await
    }
    async fn list_all(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Client>> {
        let sql =
            format!("{}clients c{WITH_EMAIL} WHERE c.workspace_id = $1 ORDER BY c.name_key, c.id", *CLIENT_SELECT);
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
