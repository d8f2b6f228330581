//! Activity events, notices and notification choices in memory.

use async_trait::async_trait;
use portico_domain::activity::{ActivityEvent, FeedMark, NoticeState, Notification, Preferences};
use portico_domain::ids::{ActivityId, NotificationId, WorkspaceId};
use portico_domain::staff::UserRef;
use portico_ports::repos::{ActivityRepo, DueRecipient, FeedQuery, NotificationRepo, PreferenceRepo};
use portico_ports::{Conflict, RepoResult};
use time::OffsetDateTime;

use super::MemoryUnit;
use crate::state::{get_in, insert_new};

#[async_trait]
impl ActivityRepo for MemoryUnit {
    async fn insert(&mut self, event: &ActivityEvent) -> RepoResult<()> {
        insert_new(&mut self.state_mut().activity, event.id, event.clone())
    }

    async fn get_many(&mut self, workspace: WorkspaceId, ids: &[ActivityId]) -> RepoResult<Vec<ActivityEvent>> {
        let mut events: Vec<ActivityEvent> =
            ids.iter().filter_map(|id| get_in(&self.state().activity, workspace, id)).collect();
        events.sort_by_key(|e| (e.at, e.id));
        events.dedup_by_key(|e| e.id);
        Ok(events)
    }

    async fn feed(&mut self, workspace: WorkspaceId, query: &FeedQuery) -> RepoResult<Vec<ActivityEvent>> {
        let mut events: Vec<ActivityEvent> =
            self.state().activity.values().filter(|e| e.workspace_id == workspace && query.holds(e)).cloned().collect();
        events.sort_by_key(|e| std::cmp::Reverse(FeedMark::of(e)));
        events.truncate(query.limit);
        Ok(events)
    }

    async fn read_mark(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<Option<FeedMark>> {
        Ok(self.state().read_marks.get(&(workspace, user)).copied())
    }

    async fn advance_read_mark(&mut self, workspace: WorkspaceId, user: UserRef, mark: FeedMark) -> RepoResult<()> {
        let marks = &mut self.state_mut().read_marks;
        let advanced = FeedMark::advanced(marks.get(&(workspace, user)).copied(), mark);
        marks.insert((workspace, user), advanced);
        Ok(())
    }
}

#[async_trait]
impl NotificationRepo for MemoryUnit {
    async fn insert(&mut self, notices: &[Notification]) -> RepoResult<()> {
        if notices.iter().any(|n| self.state().notifications.contains_key(&n.id)) {
            return Err(Conflict::DuplicateId.into());
        }
        for notice in notices {
            insert_new(&mut self.state_mut().notifications, notice.id, notice.clone())?;
        }
        Ok(())
    }

    async fn due_recipients(&mut self, now: OffsetDateTime, limit: usize) -> RepoResult<Vec<DueRecipient>> {
        let mut due: Vec<&Notification> = self.state().notifications.values().filter(|n| n.is_due(now)).collect();
        due.sort_by_key(|n| (n.due_at, n.id));
        let mut recipients: Vec<DueRecipient> = Vec::new();
        for notice in due {
            let recipient = DueRecipient { workspace_id: notice.workspace_id, user: notice.recipient };
            if !recipients.contains(&recipient) {
                recipients.push(recipient);
            }
        }
        recipients.truncate(limit);
        Ok(recipients)
    }

    async fn pending_for(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<Vec<Notification>> {
        let mut pending: Vec<Notification> = self
            .state()
            .notifications
            .values()
            .filter(|n| n.workspace_id == workspace && n.recipient == user && n.state == NoticeState::Pending)
            .cloned()
            .collect();
        pending.sort_by_key(|n| (n.due_at, n.id));
        Ok(pending)
    }

    async fn settle(
        &mut self,
        workspace: WorkspaceId,
        ids: &[NotificationId],
        state: NoticeState,
    ) -> RepoResult<usize> {
        let mut settled = 0;
        for id in ids {
            if let Some(notice) = self.state_mut().notifications.get_mut(id)
                && notice.workspace_id == workspace
                && notice.state == NoticeState::Pending
            {
                notice.state = state;
                settled += 1;
            }
        }
        Ok(settled)
    }
}

#[async_trait]
impl PreferenceRepo for MemoryUnit {
    async fn get_many(&mut self, workspace: WorkspaceId, users: &[UserRef]) -> RepoResult<Vec<(UserRef, Preferences)>> {
        let preferences = &self.state().preferences;
        Ok(users.iter().filter_map(|user| preferences.get(&(workspace, *user)).map(|p| (*user, p.clone()))).collect())
    }

    async fn put(&mut self, workspace: WorkspaceId, user: UserRef, preferences: &Preferences) -> RepoResult<()> {
        self.state_mut().preferences.insert((workspace, user), preferences.clone());
        Ok(())
    }
}
