//! Invoices in memory.

use std::collections::BTreeMap;

use async_trait::async_trait;
use portico_domain::ids::{ClientId, InvoiceId, PaymentId, ProjectId, WorkspaceId};
use portico_domain::invoice::{Invoice, InvoiceNumber, Reminder};
use portico_domain::money::Money;
use portico_ports::repos::{DueReminder, InvoiceOrder, InvoiceQuery, InvoiceRepo, InvoiceSum, number_key};
use portico_ports::{Conflict, Page, PageRequest, RepoError, RepoResult};
use time::Date;

use super::MemoryUnit;
use crate::state::{Order, count_in, get_in, insert_new, paginate, replace, sorted_in};

impl MemoryUnit {
    /// Whether another invoice of the workspace has `number`.
    fn number_used_by_other(&self, workspace: WorkspaceId, number: &InvoiceNumber, except: Option<InvoiceId>) -> bool {
        let key = number.normalized();
        self.state().invoices.values().any(|i| {
            i.workspace_id() == workspace && Some(i.id()) != except && i.number().is_some_and(|n| n.normalized() == key)
        })
    }

    /// Refuses `invoice` when its number is another invoice's.
    fn ensure_number_free(&self, invoice: &Invoice) -> RepoResult<()> {
        match invoice.number() {
            Some(number) if self.number_used_by_other(invoice.workspace_id(), number, Some(invoice.id())) => {
                Err(Conflict::InvoiceNumberTaken.into())
            }
            _ => Ok(()),
        }
    }
}

#[async_trait]
impl InvoiceRepo for MemoryUnit {
    async fn insert(&mut self, invoice: &Invoice) -> RepoResult<()> {
        self.ensure_number_free(invoice)?;
        insert_new(&mut self.state_mut().invoices, invoice.id(), invoice.clone())
    }

    async fn update(&mut self, invoice: &Invoice) -> RepoResult<()> {
        self.ensure_number_free(invoice)?;
        replace(&mut self.state_mut().invoices, &invoice.id(), invoice.clone())
    }

    async fn delete(&mut self, workspace: WorkspaceId, id: InvoiceId) -> RepoResult<()> {
        let invoices = &mut self.state_mut().invoices;
        match invoices.get(&id) {
            Some(invoice) if invoice.workspace_id() == workspace => {
                invoices.remove(&id);
                Ok(())
            }
            _ => Err(RepoError::NotFound),
        }
    }

    async fn next_in_series(&mut self, workspace: WorkspaceId, series: &str) -> RepoResult<u32> {
        let last = self.state_mut().invoice_counters.entry((workspace, series.to_owned())).or_default();
        *last += 1;
        Ok(*last)
    }

    async fn number_taken(&mut self, workspace: WorkspaceId, number: &InvoiceNumber) -> RepoResult<bool> {
        Ok(self.number_used_by_other(workspace, number, None))
    }

    async fn get(&mut self, workspace: WorkspaceId, id: InvoiceId) -> RepoResult<Option<Invoice>> {
        Ok(get_in(&self.state().invoices, workspace, &id))
    }

    async fn with_payment(&mut self, workspace: WorkspaceId, payment: PaymentId) -> RepoResult<Option<Invoice>> {
        let paid_by = |i: &&Invoice| i.workspace_id() == workspace && i.payments().iter().any(|p| p.id == payment);
        Ok(self.state().invoices.values().find(paid_by).cloned())
    }

    async fn search(
        &mut self,
        workspace: WorkspaceId,
        query: &InvoiceQuery,
        page: &PageRequest,
    ) -> RepoResult<Page<Invoice>> {
        let key = |i: &Invoice| (query.order.key(i), i.id().as_uuid());
        let mut matching = sorted_in(&self.state().invoices, workspace, |i| query.matches(i), key);
        let order = match query.order {
            InvoiceOrder::Due => Order::Ascending,
            InvoiceOrder::Number => {
                matching.reverse();
                Order::Descending
            }
        };
        Ok(paginate(matching, page, order, key))
    }

    async fn count(&mut self, workspace: WorkspaceId, query: &InvoiceQuery) -> RepoResult<u64> {
        Ok(count_in(&self.state().invoices, workspace, |i| query.matches(i)))
    }

    async fn sums(&mut self, workspace: WorkspaceId, query: &InvoiceQuery) -> RepoResult<Vec<InvoiceSum>> {
        let mut sums: BTreeMap<&'static str, InvoiceSum> = BTreeMap::new();
        let matching = self.state().invoices.values().filter(|i| i.workspace_id() == workspace && query.matches(i));
        for invoice in matching {
            let currency = invoice.currency();
            let sum = sums.entry(currency.code()).or_insert_with(|| InvoiceSum {
                count: 0,
                total: Money::zero(currency),
                owed: Money::zero(currency),
            });
            sum.count += 1;
            sum.total = Money::new(sum.total.minor().saturating_add(invoice.total().minor()), currency);
            sum.owed = Money::new(sum.owed.minor().saturating_add(invoice.owed().minor()), currency);
        }
        Ok(sums.into_values().collect())
    }

    async fn for_client_or_projects(
        &mut self,
        workspace: WorkspaceId,
        client: ClientId,
        projects: &[ProjectId],
    ) -> RepoResult<Vec<Invoice>> {
        let keep = |i: &Invoice| i.client_id() == client || i.project_id().is_some_and(|p| projects.contains(&p));
        let mut matching = sorted_in(&self.state().invoices, workspace, keep, |i| (number_key(i), i.id()));
        matching.reverse();
        Ok(matching)
    }

    async fn awaiting_reminder(&mut self, today: Date, limit: usize) -> RepoResult<Vec<DueReminder>> {
        let mut due: Vec<(Date, WorkspaceId, InvoiceId)> = self
            .state()
            .invoices
            .values()
            .filter(|i| i.status().is_open())
            .filter_map(|i| i.next_reminder().filter(|r| r.on <= today).map(|r| (r.on, i.workspace_id(), i.id())))
            .collect();
        due.sort_unstable();
        Ok(due
            .into_iter()
            .take(limit)
            .map(|(_, workspace_id, invoice_id)| DueReminder { workspace_id, invoice_id })
            .collect())
    }

    async fn take_reminder(
        &mut self,
        workspace: WorkspaceId,
        id: InvoiceId,
        taken: Reminder,
        next: Option<Reminder>,
    ) -> RepoResult<bool> {
        let invoices = &mut self.state_mut().invoices;
        let Some(invoice) = invoices.get(&id).filter(|i| i.workspace_id() == workspace) else {
            return Ok(false);
        };
        if invoice.next_reminder() != Some(taken) {
            return Ok(false);
        }
        let mut parts = invoice.to_parts();
        parts.next_reminder = next;
        let moved = Invoice::from_parts(parts).map_err(|e| RepoError::Corrupt(e.to_string()))?;
        invoices.insert(id, moved);
        Ok(true)
    }
}
