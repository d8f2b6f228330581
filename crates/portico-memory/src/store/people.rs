//! Staff, clients and their passwords in memory: an address belongs to one person of a workspace.

use async_trait::async_trait;
use portico_domain::client::Client;
use portico_domain::email::EmailAddress;
use portico_domain::ids::{ClientId, StaffId, WorkspaceId};
use portico_domain::password::PasswordHash;
use portico_domain::staff::{Staff, UserRef};
use portico_ports::repos::{ClientOrder, ClientQuery, ClientRepo, CredentialRepo, StaffRepo};
use portico_ports::{Conflict, Page, PageRequest, RepoError, RepoResult};

use super::MemoryUnit;
use crate::state::{Order, count_in, get_in, insert_new, paginate, replace, sorted_in};

#[async_trait]
impl StaffRepo for MemoryUnit {
    async fn insert(&mut self, staff: &Staff) -> RepoResult<()> {
        if self.email_taken(staff.workspace_id, &staff.email, UserRef::Staff(staff.id)) {
            return Err(Conflict::EmailTaken.into());
        }
        insert_new(&mut self.state_mut().staff, staff.id, staff.clone())
    }

    async fn update(&mut self, staff: &Staff) -> RepoResult<()> {
        if self.email_taken(staff.workspace_id, &staff.email, UserRef::Staff(staff.id)) {
            return Err(Conflict::EmailTaken.into());
        }
        replace(&mut self.state_mut().staff, &staff.id, staff.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: StaffId) -> RepoResult<Option<Staff>> {
        Ok(get_in(&self.state().staff, workspace, &id))
    }

    async fn find_by_email(&mut self, workspace: WorkspaceId, email: &EmailAddress) -> RepoResult<Option<Staff>> {
        Ok(self.state().staff.values().find(|s| s.workspace_id == workspace && &s.email == email).cloned())
    }

    async fn list(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Staff>> {
        Ok(sorted_in(&self.state().staff, workspace, |_| true, |s| (s.name.sort_key(), s.id)))
    }
}

#[async_trait]
impl ClientRepo for MemoryUnit {
    async fn insert(&mut self, client: &Client) -> RepoResult<()> {
        if !client.is_deleted() && self.email_taken(client.workspace_id(), client.email(), UserRef::Client(client.id()))
        {
            return Err(Conflict::EmailTaken.into());
        }
        insert_new(&mut self.state_mut().clients, client.id(), client.clone())
    }

    async fn update(&mut self, client: &Client) -> RepoResult<()> {
        if !client.is_deleted() && self.email_taken(client.workspace_id(), client.email(), UserRef::Client(client.id()))
        {
            return Err(Conflict::EmailTaken.into());
        }
        replace(&mut self.state_mut().clients, &client.id(), client.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ClientId) -> RepoResult<Option<Client>> {
        Ok(get_in(&self.state().clients, workspace, &id))
    }

    async fn get_many(&mut self, workspace: WorkspaceId, ids: &[ClientId]) -> RepoResult<Vec<Client>> {
        Ok(ids.iter().filter_map(|id| get_in(&self.state().clients, workspace, id)).collect())
    }

    async fn find_by_email(&mut self, workspace: WorkspaceId, email: &EmailAddress) -> RepoResult<Option<Client>> {
        Ok(self
            .state()
            .clients
            .values()
            .find(|c| c.workspace_id() == workspace && !c.is_deleted() && c.email() == email)
            .cloned())
    }

    async fn find_by_emails(&mut self, workspace: WorkspaceId, emails: &[EmailAddress]) -> RepoResult<Vec<Client>> {
        Ok(self
            .state()
            .clients
            .values()
            .filter(|c| c.workspace_id() == workspace && !c.is_deleted() && emails.contains(c.email()))
            .cloned()
            .collect())
    }

    async fn search(
        &mut self,
        workspace: WorkspaceId,
        query: &ClientQuery,
        page: &PageRequest,
    ) -> RepoResult<Page<Client>> {
        let key = |c: &Client| (query.order.key(c), c.id().as_uuid());
        let mut matching = sorted_in(&self.state().clients, workspace, |c| query.matches(c), key);
        let order = match query.order {
            ClientOrder::Name => Order::Ascending,
            ClientOrder::Newest => {
                matching.reverse();
                Order::Descending
            }
        };
        Ok(paginate(matching, page, order, key))
    }

    async fn count(&mut self, workspace: WorkspaceId, query: &ClientQuery) -> RepoResult<u64> {
        Ok(count_in(&self.state().clients, workspace, |c| query.matches(c)))
    }

    async fn list_all(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Client>> {
        Ok(sorted_in(&self.state().clients, workspace, |_| true, |c| (c.name().sort_key(), c.id())))
    }
}

#[async_trait]
impl CredentialRepo for MemoryUnit {
    async fn set_password(&mut self, workspace: WorkspaceId, user: UserRef, hash: &PasswordHash) -> RepoResult<()> {
        let exists = match user {
            UserRef::Staff(id) => get_in(&self.state().staff, workspace, &id).is_some(),
            UserRef::Client(id) => get_in(&self.state().clients, workspace, &id).is_some(),
        };
        if !exists {
            return Err(RepoError::NotFound);
        }
        self.state_mut().credentials.insert((workspace, user), hash.clone());
        Ok(())
    }

    async fn password(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<Option<PasswordHash>> {
        Ok(self.state().credentials.get(&(workspace, user)).cloned())
    }

    async fn clear_password(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<()> {
        self.state_mut().credentials.remove(&(workspace, user));
        Ok(())
    }
}
