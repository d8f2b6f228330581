//! Activity, written in the unit of work of the change it reports: the event, and the notice
//! of everyone the domain says is told. The same audience is read again when a notice's mail
//! is built, so the rule is asked twice.

use std::collections::HashMap;

use portico_domain::activity::{
    ActivityEvent, ActivityKind, Audience, DigestTime, Notification, NotificationDefaults, Preferences, recipients,
};
use portico_domain::assignment::Membership;
use portico_domain::ids::{ActivityId, ClientId, NotificationId, ProjectId};
use portico_domain::staff::{Staff, UserRef};
use portico_domain::world::{ItemRef, World};

use crate::error::{AppError, AppResult};
use crate::support::Work;

/// Everyone who might be told of an event, owned: what [`Audience`] borrows.
pub(crate) struct People {
    pub(crate) world: World,
    pub(crate) staff: Vec<Staff>,
    pub(crate) team: Vec<Membership>,
    pub(crate) preferences: HashMap<UserRef, Preferences>,
    pub(crate) defaults: NotificationDefaults,
    /// When the workspace's daily digest goes out.
    pub(crate) digest: DigestTime,
}

impl People {
    /// The people as the domain's rule reads them.
    pub(crate) fn audience(&self) -> Audience<'_> {
        Audience {
            world: &self.world,
            staff: &self.staff,
            team: &self.team,
            preferences: &self.preferences,
            defaults: &self.defaults,
        }
    }
}

impl Work {
    /// Records that `actor` did `kind` to `item` in `project`, and queues a notice for each
    /// person [`recipients`] names.
    pub(crate) async fn record_activity(
        &mut self,
        actor: UserRef,
        kind: ActivityKind,
        item: ItemRef,
        project: Option<ProjectId>,
    ) -> AppResult<()> {
        let ws = self.workspace();
        let event = ActivityEvent {
            id: self.new_id(ActivityId::from_uuid),
            workspace_id: ws,
            project_id: project,
            actor,
            kind,
            item,
            at: self.now,
        };
        self.uow.activity().insert(&event).await?;
        let people = self.people_around(&event).await?;
        let digest = people.digest;
        let notices: Vec<Notification> = recipients(&event, &people.audience())
            .into_iter()
            .map(|to| {
                let id = self.new_id(NotificationId::from_uuid);
                Notification::pending(id, (ws, event.id, event.at), to.user, to.delivery, digest)
            })
            .collect();
        self.uow.notifications().insert(&notices).await?;
        Ok(())
    }

    /// `user`'s own notification choices (none made: the empty set, so every category
    /// follows the workspace's defaults).
    pub(crate) async fn choices_of(&mut self, user: UserRef) -> AppResult<Preferences> {
        let ws = self.workspace();
        Ok(self.uow.preferences().get_many(ws, &[user]).await?.pop().map(|(_, p)| p).unwrap_or_default())
    }

    /// Everyone who might be told of `event`, as they are now: the project's current clients
    /// (and an invoice's addressee) with their assignments there, the item and what it
    /// depends on, the staff, the project's team, everyone's choices and the workspace's
    /// defaults. An item no longer there leaves the world without it, so nobody is told.
    pub(crate) async fn people_around(&mut self, event: &ActivityEvent) -> AppResult<People> {
        let ws = self.workspace();
        let mut world = World::new(ws);
        match self.add_item(&mut world, event.item).await {
            Ok(()) | Err(AppError::NotFound) => {}
            Err(other) => return Err(other),
        }
        let mut client_ids: Vec<ClientId> =
            world.invoices.iter().map(portico_domain::invoice::Invoice::client_id).collect();
        let mut team = Vec::new();
        if let Some(project) = event.project_id {
            world.assignments = self.uow.assignments().current_for_project(ws, project).await?;
            client_ids.extend(world.assignments.iter().map(|a| a.client_id));
            team = self.uow.memberships().current_for_project(ws, project).await?;
        }
        client_ids.sort_unstable();
        client_ids.dedup();
        world.clients = self.uow.clients().get_many(ws, &client_ids).await?;
        let staff = self.uow.staff().list(ws).await?;
        let users: Vec<UserRef> = world
            .clients
            .iter()
            .map(|c| UserRef::Client(c.id()))
            .chain(staff.iter().map(|s| UserRef::Staff(s.id)))
            .collect();
        let preferences = self.uow.preferences().get_many(ws, &users).await?.into_iter().collect();
        let settings = self.uow.workspaces().get(ws).await?.ok_or(AppError::NotFound)?.settings;
        let (defaults, digest) = (settings.notification_defaults, settings.digest);
        Ok(People { world, staff, team, preferences, defaults, digest })
    }
}
