//! What staff ask about clients: why a client can or cannot see an item, who would lose
//! access through a change, the review report, companies, history and deliveries.

use portico_domain::audit::{AuditEvent, AuditSubject};
use portico_domain::client::Client;
use portico_domain::companies::{self, CompanyGroup};
use portico_domain::ids::{ClientId, ProjectId};
use portico_domain::impact::{self, AccessLoss, ProposedChange};
use portico_domain::mail::OutboxMessage;
use portico_domain::review::{self, ClientReview};
use portico_domain::staff::UserRef;
use portico_domain::visibility::Decision;
use portico_domain::world::{ItemRef, World};
use portico_ports::{Page, PageRequest};

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};

/// The answer to "can this client see this item, and if not, why not?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The client asked about.
    pub client: Client,
    /// The item asked about.
    pub item: ItemRef,
    /// The rule's decision, with every reason the item is hidden.
    pub decision: Decision,
}

impl Portico {
    /// Explains whether `client` sees `item`, with the rule's reasons. Admins only.
    ///
    /// # Errors
    /// `NotFound` for an unknown client or item; `Forbidden`.
    pub async fn explain_visibility(&self, actor: &Actor, client: ClientId, item: ItemRef) -> AppResult<Explanation> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        let client = work.client(client).await?;
        let mut world = World::new(actor.workspace);
        world.assignments = work.uow.assignments().current_for_client(actor.workspace, client.id()).await?;
        work.add_item(&mut world, item).await?;
        world.clients.push(client.clone());
        let (_, subject) = world.subjects().into_iter().find(|(i, _)| *i == item).ok_or(AppError::NotFound)?;
        let decision = world.viewer(&client).decide(&subject);
        Ok(Explanation { client, item, decision })
    }

    /// Who would lose access to what if `change` were made. Nothing is changed. Admins only.
    ///
    /// # Errors
    /// `NotFound` for unknown records; `Forbidden`; `Rule` when the change itself is not allowed.
    pub async fn preview_impact(&self, actor: &Actor, change: &ProposedChange) -> AppResult<Vec<AccessLoss>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        let world = match change {
            ProposedChange::RemoveFromProject { client, .. }
            | ProposedChange::Deactivate { client }
            | ProposedChange::Delete { client }
            | ProposedChange::SetPermissions { client, .. }
            | ProposedChange::SetScope { client, .. } => {
                let client = work.client(*client).await?;
                let assigned = work.uow.assignments().current_for_client(actor.workspace, client.id()).await?;
                let projects: Vec<ProjectId> = assigned.iter().map(|a| a.project_id).collect();
                work.world(vec![client], &projects).await?
            }
            ProposedChange::SetVisibility { item, .. } => {
                let mut probe = World::new(actor.workspace);
                work.add_item(&mut probe, *item).await?;
                let project = probe.subjects().into_iter().find(|(i, _)| i == item).and_then(|(_, s)| s.project_id());
                let project = project.ok_or(AppError::NotFound)?;
                let on_project = work.uow.assignments().current_for_project(actor.workspace, project).await?;
                let ids: Vec<ClientId> = on_project.iter().map(|a| a.client_id).collect();
                let clients = work.uow.clients().get_many(actor.workspace, &ids).await?;
                work.world(clients, &[project]).await?
            }
        };
        Ok(impact::preview(&world, change, work.now)?)
    }

    /// Each item described for people (`task “Logo concepts”`), in the order given; items
    /// that no longer exist are left out. Admins only.
    ///
    /// # Errors
    /// `Forbidden` for anyone but an admin.
    pub async fn describe_items(&self, actor: &Actor, items: &[ItemRef]) -> AppResult<Vec<(ItemRef, String)>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        let ws = actor.workspace;
        let mut described = Vec::with_capacity(items.len());
        for item in items {
            let text = match *item {
                ItemRef::Project(id) => {
                    work.uow.projects().get(ws, id).await?.map(|p| format!("project “{}”", p.details.name.as_str()))
                }
                ItemRef::Task(id) => {
                    work.uow.tasks().get(ws, id).await?.map(|t| format!("task “{}”", t.title.as_str()))
                }
                ItemRef::File(id) => work.uow.files().get(ws, id).await?.map(|f| format!("file “{}”", f.name.as_str())),
                ItemRef::Message(id) => {
                    work.uow.messages().get(ws, id).await?.map(|m| format!("message “{}”", excerpt(m.body.as_str())))
                }
                ItemRef::Approval(id) => {
                    work.uow.approvals().get(ws, id).await?.map(|_| "an approval request".to_owned())
                }
                ItemRef::Invoice(id) => work
                    .uow
                    .invoices()
                    .get(ws, id)
                    .await?
                    .map(|i| i.number().map_or_else(|| "draft invoice".to_owned(), |n| format!("invoice {n}"))),
            };
            described.extend(text.map(|text| (*item, text)));
        }
        Ok(described)
    }

    /// The client review report. Admins only.
    ///
    /// # Errors
    /// `Forbidden`.
    pub async fn client_review(&self, actor: &Actor) -> AppResult<ClientReview> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        let ws = actor.workspace;
        let clients = work.uow.clients().list_all(ws).await?;
        let projects = work.uow.projects().list_all(ws).await?;
        let assignments = work.uow.assignments().all_current(ws).await?;
        let dead = work.uow.outbox().dead(ws).await?;
        Ok(review::review(&clients, &projects, &assignments, &dead, work.now))
    }

    /// Client contacts grouped by company, with spelling variants. Admins only.
    ///
    /// # Errors
    /// `Forbidden`.
    pub async fn companies(&self, actor: &Actor) -> AppResult<Vec<CompanyGroup>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        let clients = work.uow.clients().list_all(actor.workspace).await?;
        Ok(companies::group(&clients))
    }

    /// Everything that happened to a client, newest first. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`.
    pub async fn client_history(&self, actor: &Actor, id: ClientId) -> AppResult<Vec<AuditEvent>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        work.client(id).await?;
        Ok(work.uow.audit().for_subject(actor.workspace, AuditSubject::Client(id)).await?)
    }

    /// The mail sent (or not) to a client, newest first. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`.
    pub async fn client_deliveries(&self, actor: &Actor, id: ClientId) -> AppResult<Vec<OutboxMessage>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        work.client(id).await?;
        Ok(work.uow.outbox().about(actor.workspace, UserRef::Client(id)).await?)
    }

    /// One page of the outbox, newest first. Admins only.
    ///
    /// # Errors
    /// `Forbidden`; `Invalid` for a bad cursor.
    pub async fn outbox(&self, actor: &Actor, page: &PageRequest) -> AppResult<Page<OutboxMessage>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        Ok(work.uow.outbox().list(actor.workspace, page).await?)
    }
}

/// The start of a long text, cut at a character boundary.
fn excerpt(text: &str) -> String {
    const LONGEST: usize = 40;
    match text.char_indices().nth(LONGEST) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
