//! The email outbox in memory, with the same claim rule the SQL stores use.

use async_trait::async_trait;
use portico_domain::ids::{OutboxId, WorkspaceId};
use portico_domain::mail::{DeliveryState, OutboxMessage};
use portico_domain::staff::UserRef;
use portico_ports::repos::OutboxRepo;
use portico_ports::{Page, PageRequest, RepoResult, time_key};
use time::OffsetDateTime;

use super::MemoryUnit;
use crate::state::{Order, get_in, insert_new, paginate, replace, sorted_in};

#[async_trait]
impl OutboxRepo for MemoryUnit {
    async fn enqueue(&mut self, message: &OutboxMessage) -> RepoResult<()> {
        insert_new(&mut self.state_mut().outbox, message.id, message.clone())
    }

    async fn update(&mut self, message: &OutboxMessage) -> RepoResult<()> {
        replace(&mut self.state_mut().outbox, &message.id, message.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: OutboxId) -> RepoResult<Option<OutboxMessage>> {
        Ok(get_in(&self.state().outbox, workspace, &id))
    }

    async fn about(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<Vec<OutboxMessage>> {
        let newest_first = |m: &OutboxMessage| std::cmp::Reverse((m.created_at, m.id));
        Ok(sorted_in(&self.state().outbox, workspace, |m| m.about == Some(user), newest_first))
    }

    async fn list(&mut self, workspace: WorkspaceId, page: &PageRequest) -> RepoResult<Page<OutboxMessage>> {
        let key = |m: &OutboxMessage| (time_key(m.created_at), m.id.as_uuid());
        let newest_first = |m: &OutboxMessage| std::cmp::Reverse(key(m));
        let all = sorted_in(&self.state().outbox, workspace, |_| true, newest_first);
        Ok(paginate(all, page, Order::Descending, key))
    }

    async fn claim_due(
        &mut self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        with_mailer: bool,
        limit: usize,
    ) -> RepoResult<Vec<OutboxMessage>> {
        let mut due: Vec<OutboxMessage> =
            self.state().outbox.values().filter(|m| m.is_due(now, with_mailer)).cloned().collect();
        due.sort_by_key(|m| (m.created_at, m.id));
        due.truncate(limit);
        let outbox = &mut self.state_mut().outbox;
        for message in &mut due {
            message.claim(lease_until);
            outbox.insert(message.id, message.clone());
        }
        Ok(due)
    }

    async fn finish(&mut self, message: &OutboxMessage, lease_until: OffsetDateTime) -> RepoResult<bool> {
        let claimed = DeliveryState::Sending { lease_until };
        let holds = self.state().outbox.get(&message.id).is_some_and(|m| m.state == claimed);
        if holds && let Some(stored) = self.state_mut().outbox.get_mut(&message.id) {
            stored.state = message.state.clone();
            stored.attempts = message.attempts;
            if !message.keeps_link(None) {
                stored.forget_link();
            }
        }
        Ok(holds)
    }

    async fn erase_link(&mut self, workspace: WorkspaceId, id: OutboxId) -> RepoResult<()> {
        if get_in(&self.state().outbox, workspace, &id).is_some_and(|m| m.keeps_link(None))
            && let Some(stored) = self.state_mut().outbox.get_mut(&id)
        {
            stored.forget_link();
        }
        Ok(())
    }

    async fn dead(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<OutboxMessage>> {
        let newest_first = |m: &OutboxMessage| std::cmp::Reverse((m.created_at, m.id));
        Ok(sorted_in(&self.state().outbox, workspace, OutboxMessage::is_dead, newest_first))
    }
}
