//! Invoices: draft, send (with the billing snapshot), mark paid, void.

use portico_domain::activity::ActivityKind;
use portico_domain::audit::{AuditAction, AuditSubject, FieldChange};
use portico_domain::ids::InvoiceId;
use portico_domain::invoice::{Invoice, InvoiceDraft, InvoiceStatus};
use portico_domain::rules::RuleViolation;
use portico_domain::staff::UserRef;
use portico_domain::world::ItemRef;
use portico_ports::repos::InvoiceQuery;
use portico_ports::{Page, PageRequest};

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::support::by_staff;

impl Portico {
    /// Drafts an invoice. Its client must exist and not be deleted; an invoice tied to a
    /// project must be addressed to a client currently on it. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Invalid` (lines), `Rule(ClientDeleted)`,
    /// `Rule(ClientNotOnProject)`, `Conflict(InvoiceNumberTaken)`.
    pub async fn create_invoice(&self, actor: &Actor, draft: InvoiceDraft) -> AppResult<Invoice> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let client = work.client(draft.client_id).await?;
        if client.is_deleted() {
            return Err(RuleViolation::ClientDeleted.into());
        }
        if let Some(project) = draft.project_id {
            work.uow.projects().get(actor.workspace, project).await?.ok_or(AppError::NotFound)?;
            if work.uow.assignments().current(actor.workspace, project, client.id()).await?.is_none() {
                return Err(RuleViolation::ClientNotOnProject.into());
            }
        }
        let invoice = Invoice::new(work.new_id(InvoiceId::from_uuid), actor.workspace, draft, work.now)?;
        work.uow.invoices().insert(&invoice).await?;
        let changes = vec![
            FieldChange::plain("number", None, Some(invoice.number())),
            FieldChange::plain("total", None, Some(&invoice.total())),
        ];
        work.audit(by_staff(&admin), AuditSubject::Invoice(invoice.id()), None, AuditAction::InvoiceCreated, changes)
            .await?;
        work.commit().await?;
        Ok(invoice)
    }

    /// Issues a draft to its client, taking the billing snapshot. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(InvoiceStatus)`, `Rule(InvoiceWithoutLines)`, `Rule(ClientDeleted)`.
    pub async fn send_invoice(&self, actor: &Actor, id: InvoiceId) -> AppResult<Invoice> {
        self.move_invoice(actor, id, InvoiceStatus::Sent).await
    }

    /// Records payment of a sent invoice. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(InvoiceStatus)`.
    pub async fn mark_invoice_paid(&self, actor: &Actor, id: InvoiceId) -> AppResult<Invoice> {
        self.move_invoice(actor, id, InvoiceStatus::Paid).await
    }

    /// Cancels a draft or sent invoice; its number stays taken. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(InvoiceStatus)`.
    pub async fn void_invoice(&self, actor: &Actor, id: InvoiceId) -> AppResult<Invoice> {
        self.move_invoice(actor, id, InvoiceStatus::Void).await
    }

    /// One page of invoices, newest number first. Admins only.
    ///
    /// # Errors
    /// `Forbidden`; `Invalid` for a bad cursor.
    pub async fn list_invoices(
        &self,
        actor: &Actor,
        query: &InvoiceQuery,
        page: &PageRequest,
    ) -> AppResult<Page<Invoice>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        Ok(work.uow.invoices().search(actor.workspace, query, page).await?)
    }

    /// How many invoices [`list_invoices`](Self::list_invoices) finds over all its pages.
    /// Admins only.
    ///
    /// # Errors
    /// `Forbidden`.
    pub async fn count_invoices(&self, actor: &Actor, query: &InvoiceQuery) -> AppResult<u64> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        Ok(work.uow.invoices().count(actor.workspace, query).await?)
    }

    async fn move_invoice(&self, actor: &Actor, id: InvoiceId, to: InvoiceStatus) -> AppResult<Invoice> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let mut invoice = work.uow.invoices().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        let from = invoice.status();
        let action = match to {
            InvoiceStatus::Sent => {
                let client = work.client(invoice.client_id()).await?;
                invoice.send(&client, work.now)?;
                AuditAction::InvoiceSent
            }
            InvoiceStatus::Paid => {
                invoice.mark_paid(work.now)?;
                AuditAction::InvoicePaid
            }
            InvoiceStatus::Void => {
                invoice.void(work.now)?;
                AuditAction::InvoiceVoided
            }
            InvoiceStatus::Draft => {
                return Err(RuleViolation::InvoiceStatus { from, action: "made a draft again" }.into());
            }
        };
        work.uow.invoices().update(&invoice).await?;
        let change = FieldChange::plain("status", Some(&from), Some(&to));
        work.audit(by_staff(&admin), AuditSubject::Invoice(id), None, action, vec![change]).await?;
        let news = match to {
            InvoiceStatus::Sent => Some(ActivityKind::InvoiceSent),
            InvoiceStatus::Paid => Some(ActivityKind::InvoicePaid),
            InvoiceStatus::Void | InvoiceStatus::Draft => None,
        };
        if let Some(kind) = news {
            let by = UserRef::Staff(admin.id);
            work.record_activity(by, kind, ItemRef::Invoice(id), invoice.project_id()).await?;
        }
        work.commit().await?;
        Ok(invoice)
    }
}
