//! Invoices with their lines and payments: a page of invoices is three queries, whatever its
//! size.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use portico_domain::ids::{ClientId, InvoiceId, PaymentId, ProjectId, WorkspaceId};
use portico_domain::invoice::{Invoice, InvoiceLine, InvoiceNumber, InvoiceParts, InvoiceStatus, Payment, Reminder};
use portico_domain::money::{Currency, Money};
use portico_ports::repos::{BalanceFilter, DueReminder, InvoiceOrder, InvoiceQuery, InvoiceRepo, InvoiceSum};
use portico_ports::{Page, PageRequest, RepoResult};
use time::Date;
use uuid::Uuid;

use super::invoice_rows::{INVOICES, LINES, PAYMENTS, currencies, head, line, line_rows, payment, payment_rows};
use super::{Order, keyset, page_of, soonest_first};
use crate::codec::{corrupt, read};
use crate::engine::{Dialect, Row, Transaction, Value};
use crate::query::Query;
use crate::unit::{SqlUnit, changed};

/// Invoices' columns, up to the `FROM`.
static INVOICE_SELECT: LazyLock<String> = LazyLock::new(|| format!("SELECT {} FROM ", INVOICES.select("i")));

/// The invoices matching `query`, unordered: what [`InvoiceRepo::search`] pages through and
/// [`InvoiceRepo::count`] counts.
fn invoices_matching(workspace: WorkspaceId, query: &InvoiceQuery) -> Query {
    invoice_columns_matching(&INVOICE_SELECT, workspace, query)
}

/// As [`invoices_matching`], selecting `select` (`SELECT … FROM `) rather than whole rows.
fn invoice_columns_matching(select: &str, workspace: WorkspaceId, query: &InvoiceQuery) -> Query {
    let mut sql = Query::new(&format!("{select}invoices i"));
    let ws = sql.arg(workspace.as_uuid());
    sql.push(&format!(" WHERE i.workspace_id = {ws}"));
    if let Some(client) = query.client {
        let client = sql.arg(client.as_uuid());
        sql.push(&format!(" AND i.client_id = {client}"));
    }
    if let Some(project) = query.project {
        let project = sql.arg(project.as_uuid());
        sql.push(&format!(" AND i.project_id = {project}"));
    }
    if let Some(status) = query.status {
        let status = sql.arg(status.as_str());
        sql.push(&format!(" AND i.status = {status}"));
    }
    // `BalanceFilter::matches` in SQL, on what the domain stored as owed; the contract suite holds the two
    // to the same answers.
    if let Some(balance) = query.balance {
        let open: Vec<String> =
            [InvoiceStatus::Sent, InvoiceStatus::PartiallyPaid].iter().map(|s| format!("'{}'", s.as_str())).collect();
        sql.push(&format!(" AND i.status IN ({}) AND i.owed_minor > 0", open.join(", ")));
        if let BalanceFilter::Overdue { today } = balance {
            let today = sql.arg(Some(today));
            sql.push(&format!(" AND i.due_date < {today}"));
        }
    }
    sql
}

/// The statement behind [`InvoiceRepo::for_client_or_projects`], public so engine tests can
/// check its plan.
pub fn invoices_for_client_statement(
    dialect: Dialect,
    workspace: WorkspaceId,
    client: ClientId,
    projects: &[ProjectId],
) -> (String, Vec<Value>) {
    let list = (dialect.in_list)("project_id", 3);
    // The ids first, through two index lookups, then their invoices: with
    // `client_id = $2 OR project_id IN …`, or a join the planner may turn around, SQLite
    // walks every invoice of the workspace in number order to avoid a sort (`cargo xtask
    // bench` measured a second per request at 100,000 clients).
    let sql = format!(
        "{select}(SELECT id FROM invoices WHERE workspace_id = $1 AND client_id = $2 \
         UNION SELECT id FROM invoices WHERE workspace_id = $1 AND {list}) m \
         {join} invoices i ON i.workspace_id = $1 AND i.id = m.id ORDER BY i.number_key DESC, i.id DESC",
        select = *INVOICE_SELECT,
        join = dialect.join_left_first
    );
    let projects: Vec<Uuid> = projects.iter().map(ProjectId::as_uuid).collect();
    (sql, vec![workspace.as_uuid().into(), client.as_uuid().into(), projects.into()])
}

impl<S: Transaction> SqlUnit<S> {
    /// Attaches their lines and payments to invoice rows (one query for each, for all of them).
    async fn with_details(&mut self, heads: Vec<InvoiceParts>) -> RepoResult<Vec<Invoice>> {
        let Some(first) = heads.first() else {
            return Ok(Vec::new());
        };
        let workspace = first.workspace_id.as_uuid();
        let ids: Vec<Uuid> = heads.iter().map(|h| h.id.as_uuid()).collect();
        let currencies = currencies(&heads);
        let list = (self.transaction.dialect().in_list)("invoice_id", 2);
        let sql = format!(
            "SELECT {} FROM invoice_lines WHERE workspace_id = $1 AND {list} ORDER BY invoice_id, position",
            LINES.select("")
        );
        let rows = self.all(&sql, vec![workspace.into(), ids.clone().into()], |row| line(row, &currencies)).await?;
        let mut lines: HashMap<Uuid, Vec<InvoiceLine>> = HashMap::new();
        for (invoice, line) in rows {
            lines.entry(invoice).or_default().push(line);
        }
        let sql = format!(
            "SELECT {} FROM payments WHERE workspace_id = $1 AND {list} ORDER BY invoice_id, recorded_at, id",
            PAYMENTS.select("")
        );
        let rows = self.all(&sql, vec![workspace.into(), ids.into()], |row| payment(row, &currencies)).await?;
        let mut payments: HashMap<Uuid, Vec<Payment>> = HashMap::new();
        for payment in rows {
            payments.entry(payment.invoice_id.as_uuid()).or_default().push(payment);
        }
        heads
            .into_iter()
            .map(|mut parts| {
                parts.draft.lines = lines.remove(&parts.id.as_uuid()).unwrap_or_default();
                parts.payments = payments.remove(&parts.id.as_uuid()).unwrap_or_default();
                Invoice::from_parts(parts).map_err(|e| corrupt("invoice_lines", e))
            })
            .collect()
    }

    /// Writes an invoice's payments, and its lines when `with_lines`, each in one statement,
    /// after deleting what was stored for it before (nothing, for a new invoice).
    async fn replace_details(&mut self, invoice: &Invoice, with_lines: bool) -> RepoResult<()> {
        let args = || vec![invoice.workspace_id().as_uuid().into(), invoice.id().as_uuid().into()];
        if with_lines {
            self.execute("DELETE FROM invoice_lines WHERE workspace_id = $1 AND invoice_id = $2", args()).await?;
            let lines = line_rows(invoice)?;
            if !lines.is_empty() {
                let (sql, values) = LINES.insert_many(&lines);
                self.execute(&sql, values).await?;
            }
        }
        self.execute("DELETE FROM payments WHERE workspace_id = $1 AND invoice_id = $2", args()).await?;
        let payments = payment_rows(invoice);
        if !payments.is_empty() {
            let (sql, values) = PAYMENTS.insert_many(&payments);
            self.execute(&sql, values).await?;
        }
        Ok(())
    }
}

#[async_trait]
impl<S: Transaction> InvoiceRepo for SqlUnit<S> {
    async fn insert(&mut self, invoice: &Invoice) -> RepoResult<()> {
        self.execute(INVOICES.insert(), INVOICES.insert_values(invoice)).await?;
        self.replace_details(invoice, true).await
    }

    async fn update(&mut self, invoice: &Invoice) -> RepoResult<()> {
        changed(self.execute(INVOICES.update(), INVOICES.update_values(invoice)).await?)?;
        // Lines change only while it is a draft (`Invoice::edit`); an issued invoice's lines
        // are those its last draft stored, so a send or a payment leaves them alone.
        self.replace_details(invoice, invoice.status() == InvoiceStatus::Draft).await
    }

    async fn delete(&mut self, workspace: WorkspaceId, id: InvoiceId) -> RepoResult<()> {
        let sql = "DELETE FROM invoices WHERE workspace_id = $1 AND id = $2";
        changed(self.execute(sql, vec![workspace.as_uuid().into(), id.as_uuid().into()]).await?)
    }

    async fn next_in_series(&mut self, workspace: WorkspaceId, series: &str) -> RepoResult<u32> {
        // One statement that takes the row lock (PostgreSQL) or the write lock (SQLite):
        // a second sender waits here until the first commits, then counts on from it.
        let sql = "INSERT INTO invoice_counters (workspace_id, series, last) VALUES ($1, $2, 1) \
                   ON CONFLICT (workspace_id, series) DO UPDATE SET last = invoice_counters.last + 1 RETURNING last";
        let last = self.one(sql, vec![workspace.as_uuid().into(), series.into()], |row| row.int("last")).await?;
        let last = last.ok_or_else(|| corrupt("last", "the counter returned no row"))?;
        u32::try_from(last).map_err(|e| corrupt("last", e))
    }

    async fn number_taken(&mut self, workspace: WorkspaceId, number: &InvoiceNumber) -> RepoResult<bool> {
        let sql = "SELECT 1 AS taken FROM invoices WHERE workspace_id = $1 AND number_key = $2";
        let args = vec![workspace.as_uuid().into(), number.normalized().into()];
        Ok(self.one(sql, args, |row| row.int("taken")).await?.is_some())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: InvoiceId) -> RepoResult<Option<Invoice>> {
        let sql = format!("{}invoices i WHERE i.workspace_id = $1 AND i.id = $2", *INVOICE_SELECT);
        let heads = self.all(&sql, vec![workspace.as_uuid().into(), id.as_uuid().into()], head).await?;
        Ok(self.with_details(heads).await?.pop())
    }

    async fn with_payment(&mut self, workspace: WorkspaceId, payment: PaymentId) -> RepoResult<Option<Invoice>> {
        let sql = format!(
            "{}invoices i WHERE i.workspace_id = $1 AND i.id = (SELECT p.invoice_id FROM payments p \
             WHERE p.workspace_id = $1 AND p.id = $2)",
            *INVOICE_SELECT
        );
        let heads = self.all(&sql, vec![workspace.as_uuid().into(), payment.as_uuid().into()], head).await?;
        Ok(self.with_details(heads).await?.pop())
    }

    async fn search(
        &mut self,
        workspace: WorkspaceId,
        query: &InvoiceQuery,
        page: &PageRequest,
    ) -> RepoResult<Page<Invoice>> {
        let mut sql = invoices_matching(workspace, query);
        match query.order {
            InvoiceOrder::Number => keyset(&mut sql, page, "i.number_key", "i.id", Order::Descending),
            InvoiceOrder::Due => soonest_first(&mut sql, page, "i.due_date", "i.id")?,
        }
        let heads = self.all(&sql.sql, sql.args, head).await?;
        let invoices = self.with_details(heads).await?;
        Ok(page_of(invoices, page, |i| (query.order.key(i), i.id().as_uuid())))
    }

    async fn count(&mut self, workspace: WorkspaceId, query: &InvoiceQuery) -> RepoResult<u64> {
        self.count_rows(invoices_matching(workspace, query)).await
    }

    async fn sums(&mut self, workspace: WorkspaceId, query: &InvoiceQuery) -> RepoResult<Vec<InvoiceSum>> {
        let select = "SELECT i.currency, i.total_minor, i.owed_minor FROM ";
        let matching = invoice_columns_matching(select, workspace, query);
        // Cast back to a whole number: PostgreSQL sums `bigint` into `numeric`.
        let sql = format!(
            "SELECT currency, COUNT(*) AS n, CAST(SUM(total_minor) AS bigint) AS total, \
             CAST(SUM(owed_minor) AS bigint) AS owed FROM ({}) m GROUP BY currency ORDER BY currency",
            matching.sql
        );
        self.all(&sql, matching.args, |row| {
            let currency = read(row, "currency", Currency::parse)?;
            Ok(InvoiceSum {
                count: u64::try_from(row.int("n")?).map_err(|e| corrupt("n", e))?,
                total: Money::new(row.int("total")?, currency),
                owed: Money::new(row.int("owed")?, currency),
            })
        })
        .await
    }

    async fn for_client_or_projects(
        &mut self,
        workspace: WorkspaceId,
        client: ClientId,
        projects: &[ProjectId],
    ) -> RepoResult<Vec<Invoice>> {
        let (sql, args) = invoices_for_client_statement(self.transaction.dialect(), workspace, client, projects);
        let heads = self.all(&sql, args, head).await?;
        self.with_details(heads).await
    }

    async fn awaiting_reminder(&mut self, today: Date, limit: usize) -> RepoResult<Vec<DueReminder>> {
        let sql = "SELECT workspace_id, id FROM invoices WHERE status IN ('sent', 'partially_paid') \
            AND next_reminder_on <= $1 ORDER BY next_reminder_on, workspace_id, id LIMIT $2";
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.all(sql, vec![Some(today).into(), limit.into()], |row| {
            Ok(DueReminder {
                workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
                invoice_id: InvoiceId::from_uuid(row.uuid("id")?),
            })
        })
        .await
    }

    async fn take_reminder(
        &mut self,
        workspace: WorkspaceId,
        id: InvoiceId,
        taken: Reminder,
        next: Option<Reminder>,
    ) -> RepoResult<bool> {
        let sql = "UPDATE invoices SET next_reminder_on = $3, next_reminder_days = $4 \
            WHERE workspace_id = $1 AND id = $2 AND next_reminder_on = $5 AND next_reminder_days = $6";
        let args = vec![
            workspace.as_uuid().into(),
            id.as_uuid().into(),
            next.map(|r| r.on).into(),
            next.map(|r| i64::from(r.days)).into(),
            Some(taken.on).into(),
            i64::from(taken.days).into(),
        ];
        Ok(self.execute(sql, args).await? == 1)
    }
}
