//! Invoices in memory.

use async_trait::async_trait;
use portico_domain::ids::{ClientId, InvoiceId, ProjectId, WorkspaceId};
use portico_domain::invoice::Invoice;
use portico_ports::repos::{InvoiceOrder, InvoiceQuery, InvoiceRepo};
use portico_ports::{Conflict, Page, PageRequest, RepoResult};

use super::MemoryUnit;
use crate::state::{Order, count_in, get_in, insert_new, paginate, replace, sorted_in};

#[async_trait]
impl InvoiceRepo for MemoryUnit {
    async fn insert(&mut self, invoice: &Invoice) -> RepoResult<()> {
        let number = invoice.number().normalized();
        let taken = self.state_mut().invoices.values().any(|i| {
            i.workspace_id() == invoice.workspace_id() && i.id() != invoice.id() && i.number().normalized() == number
        });
        if taken {
            return Err(Conflict::InvoiceNumberTaken.into());
        }
        insert_new(&mut self.state_mut().invoices, invoice.id(), invoice.clone())
    }

    async fn update(&mut self, invoice: &Invoice) -> RepoResult<()> {
        replace(&mut self.state_mut().invoices, &invoice.id(), invoice.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: InvoiceId) -> RepoResult<Option<Invoice>> {
        Ok(get_in(&self.state().invoices, workspace, &id))
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

    async fn for_client_or_projects(
        &mut self,
        workspace: WorkspaceId,
        client: ClientId,
        projects: &[ProjectId],
    ) -> RepoResult<Vec<Invoice>> {
        let keep = |i: &Invoice| i.client_id() == client || i.project_id().is_some_and(|p| projects.contains(&p));
        let mut matching = sorted_in(&self.state().invoices, workspace, keep, |i| (i.number().normalized(), i.id()));
        matching.reverse();
        Ok(matching)
    }
}
