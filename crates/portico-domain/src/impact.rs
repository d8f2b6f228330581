//! Impact preview: who loses access to what if a change is made.
//!
//! The preview applies the change to a copy of the relevant [`World`] slice with the same
//! entity methods the real change uses, then compares what every client sees before and after
//! through the visibility rule. Nothing here knows the rule; it only asks it twice.

use std::collections::BTreeSet;

use time::OffsetDateTime;

use crate::client::ClientEdit;
use crate::content::Visibility;
use crate::ids::{ClientId, ProjectId};
use crate::permissions::PermissionSet;
use crate::rules::RuleViolation;
use crate::world::{ItemRef, World};

/// A change staff are about to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProposedChange {
    /// End a client's assignment to a project.
    RemoveFromProject {
        /// The client.
        client: ClientId,
        /// The project.
        project: ProjectId,
    },
    /// Deactivate a client.
    Deactivate {
        /// The client.
        client: ClientId,
    },
    /// Delete a client.
    Delete {
        /// The client.
        client: ClientId,
    },
    /// Replace a client's permissions.
    SetPermissions {
        /// The client.
        client: ClientId,
        /// The new permissions.
        permissions: PermissionSet,
    },
    /// Replace the narrowing of a client's assignment to a project.
    SetScope {
        /// The client.
        client: ClientId,
        /// The project.
        project: ProjectId,
        /// The new scope (`None`: no narrowing).
        scope: Option<PermissionSet>,
    },
    /// Make a task, file or message internal or client-visible.
    SetVisibility {
        /// The item.
        item: ItemRef,
        /// Its new visibility.
        visibility: Visibility,
    },
}

/// What one client would stop seeing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLoss {
    /// The client.
    pub client: ClientId,
    /// The items it sees now and would not see after the change.
    pub items: BTreeSet<ItemRef>,
}

/// Who loses access to what if `change` is applied to `world`; clients that lose nothing are
/// left out.
///
/// # Errors
/// The [`RuleViolation`] the change itself would hit (deleting a deleted client, hiding a
/// client's own post, removing a client that is not on the project).
pub fn preview(world: &World, change: &ProposedChange, now: OffsetDateTime) -> Result<Vec<AccessLoss>, RuleViolation> {
    let mut after = world.clone();
    apply(&mut after, change, now)?;
    let losses = world
        .clients
        .iter()
        .filter_map(|client| {
            let before = world.visible_to(client);
            let still = after.client(client.id()).map(|c| after.visible_to(c)).unwrap_or_default();
            let items: BTreeSet<ItemRef> = before.difference(&still).copied().collect();
            (!items.is_empty()).then_some(AccessLoss { client: client.id(), items })
        })
        .collect();
    Ok(losses)
}

fn apply(world: &mut World, change: &ProposedChange, now: OffsetDateTime) -> Result<(), RuleViolation> {
    match *change {
        ProposedChange::RemoveFromProject { client, project } => {
            let assignment = current_assignment(world, client, project)?;
            assignment.tenure.end(now, None)?;
        }
        ProposedChange::SetScope { client, project, scope } => {
            current_assignment(world, client, project)?.scope = scope;
        }
        ProposedChange::Deactivate { client } => {
            if let Some(client) = client_mut(world, client) {
                client.deactivate(now)?;
            }
        }
        ProposedChange::Delete { client } => {
            if let Some(client) = client_mut(world, client) {
                client.delete(now)?;
            }
        }
        ProposedChange::SetPermissions { client, permissions } => {
            if let Some(client) = client_mut(world, client) {
                let edit = ClientEdit { permissions: Some(permissions), ..ClientEdit::default() };
                client.apply_edit(edit, now)?;
            }
        }
        ProposedChange::SetVisibility { item, visibility } => {
            set_visibility(world, item, visibility)?;
        }
    }
    Ok(())
}

/// A client or item missing from the slice has nothing to lose: the change is a no-op there.
fn client_mut(world: &mut World, id: ClientId) -> Option<&mut crate::client::Client> {
    world.clients.iter_mut().find(|c| c.id() == id)
}

fn current_assignment(
    world: &mut World,
    client: ClientId,
    project: ProjectId,
) -> Result<&mut crate::assignment::Assignment, RuleViolation> {
    world
        .assignments
        .iter_mut()
        .find(|a| a.client_id == client && a.project_id == project && a.is_current())
        .ok_or(RuleViolation::NotAssigned)
}

fn set_visibility(world: &mut World, item: ItemRef, visibility: Visibility) -> Result<(), RuleViolation> {
    match item {
        ItemRef::Task(id) => {
            if let Some(task) = world.tasks.iter_mut().find(|t| t.id == id) {
                task.visibility = visibility;
            }
        }
        ItemRef::File(id) => {
            if let Some(file) = world.files.iter_mut().find(|f| f.id == id) {
                file.set_visibility(visibility)?;
            }
        }
        ItemRef::Message(id) => {
            if let Some(message) = world.messages.iter_mut().find(|m| m.id == id) {
                message.set_visibility(visibility)?;
            }
        }
        // Projects, approvals and invoices have no visibility toggle of their own.
        ItemRef::Project(_) | ItemRef::Approval(_) | ItemRef::Invoice(_) => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies;
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-06-01 0:00 UTC);

    proptest! {
        #[test]
        fn losses_are_exactly_the_items_that_stop_being_visible(world in strategies::world(3, 2), pick in any::<usize>()) {
            let client = &world.clients[pick % world.clients.len()];
            let change = ProposedChange::Deactivate { client: client.id() };
            match preview(&world, &change, NOW) {
                Ok(losses) => {
                    let visible = world.visible_to(client);
                    let lost: BTreeSet<ItemRef> = losses.iter().flat_map(|l| l.items.iter().copied()).collect();
                    prop_assert_eq!(lost, visible, "deactivation hides everything the client saw");
                    prop_assert!(losses.iter().all(|l| l.client == client.id()), "no one else is affected");
                }
                Err(violation) => prop_assert!(matches!(violation, RuleViolation::IllegalTransition(_))),
            }
        }

        #[test]
        fn removing_from_a_project_only_costs_that_projects_items(world in strategies::world(3, 3), pick in any::<usize>()) {
            let Some(assignment) = world.assignments.iter().filter(|a| a.is_current()).nth(pick % world.assignments.len().max(1)) else {
                return Ok(());
            };
            let change = ProposedChange::RemoveFromProject { client: assignment.client_id, project: assignment.project_id };
            let losses = preview(&world, &change, NOW).expect("current assignment");
            for loss in &losses {
                prop_assert_eq!(loss.client, assignment.client_id);
                for item in &loss.items {
                    let subject = world.subjects().into_iter().find(|(i, _)| i == item).map(|(_, s)| s);
                    prop_assert_eq!(subject.and_then(|s| s.project_id()), Some(assignment.project_id));
                }
            }
        }
    }

    #[test]
    fn making_a_task_internal_costs_its_comments_and_approvals_too() {
        let runner = &mut proptest::test_runner::TestRunner::deterministic();
        // Find a generated world where some client sees a task with a comment.
        for _ in 0..500 {
            let world = strategies::world(3, 2).new_tree(runner).expect("generates").current();
            let seen =
                world.clients.iter().find_map(|c| {
                    let visible = world.visible_to(c);
                    world.messages.iter().find_map(|m| {
                        let task = m.task_id?;
                        (visible.contains(&ItemRef::Task(task)) && visible.contains(&ItemRef::Message(m.id)))
                            .then_some((c.id(), task, m.id))
                    })
                });
            if let Some((client, task, comment)) = seen {
                let change =
                    ProposedChange::SetVisibility { item: ItemRef::Task(task), visibility: Visibility::Internal };
                let losses = preview(&world, &change, NOW).expect("staff task");
                let loss = losses.iter().find(|l| l.client == client).expect("the client loses the task");
                assert!(loss.items.contains(&ItemRef::Task(task)));
                assert!(loss.items.contains(&ItemRef::Message(comment)));
                return;
            }
        }
        panic!("no generated world had a visible comment");
    }
}
