//! Each person's notification choices: reading them (with the workspace's defaults filled
//! in) and changing them.

use portico_domain::activity::{Category, Delivery, Preferences};
use portico_domain::staff::UserRef;

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::forms::NotificationChoices;

/// How the signed-in person hears of each category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationSettings {
    /// Every category with its delivery, chosen or the workspace's default.
    pub categories: Vec<(Category, Delivery)>,
    /// Whether an admin hears of client activity on every project.
    pub all_projects: bool,
}

impl Portico {
    /// The signed-in person's notification settings.
    ///
    /// # Errors
    /// `Unauthenticated` when the person may no longer log in.
    pub async fn notification_settings(&self, actor: &Actor) -> AppResult<NotificationSettings> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.ensure_can_log_in(actor.user).await?;
        let (chosen, defaults) = chosen_and_defaults(&mut work, actor.user).await?;
        Ok(NotificationSettings {
            categories: chosen.resolved(actor.user, &defaults),
            all_projects: chosen.all_projects,
        })
    }

    /// Changes the signed-in person's choices: the categories given, and an admin's opt-in
    /// to every project. Returns the settings as they are now.
    ///
    /// # Errors
    /// `Forbidden` when someone other than an admin opts in to every project.
    pub async fn set_notification_settings(
        &self,
        actor: &Actor,
        choices: NotificationChoices,
    ) -> AppResult<NotificationSettings> {
        let mut work = self.begin(actor.workspace).await?;
        work.ensure_can_log_in(actor.user).await?;
        let (mut chosen, defaults) = chosen_and_defaults(&mut work, actor.user).await?;
        if let Some(all_projects) = choices.all_projects {
            let admin = match actor.user {
                UserRef::Staff(_) => work.staff(actor).await?.is_admin(),
                UserRef::Client(_) => false,
            };
            if all_projects && !admin {
                return Err(AppError::Forbidden);
            }
            chosen.all_projects = all_projects;
        }
        for (category, delivery) in choices.categories {
            chosen.choose(category, delivery);
        }
        work.uow.preferences().put(actor.workspace, actor.user, &chosen).await?;
        work.commit().await?;
        Ok(NotificationSettings {
            categories: chosen.resolved(actor.user, &defaults),
            all_projects: chosen.all_projects,
        })
    }
}

async fn chosen_and_defaults(
    work: &mut crate::support::Work,
    user: UserRef,
) -> AppResult<(Preferences, portico_domain::activity::NotificationDefaults)> {
    let chosen = work.choices_of(user).await?;
    let ws = work.workspace();
    let defaults = work.uow.workspaces().get(ws).await?.ok_or(AppError::NotFound)?.settings.notification_defaults;
    Ok((chosen, defaults))
}
