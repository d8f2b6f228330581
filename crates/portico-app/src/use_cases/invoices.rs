//! Invoices: draft and edit, send (numbered, with the billing snapshots), record and remove
//! payments, void with a reason, delete a draft.

use portico_domain::activity::ActivityKind;
use portico_domain::audit::{AuditAction, AuditEvent, AuditSubject, FieldChange};
use portico_domain::client::Client;
use portico_domain::ids::{ClientId, InvoiceId, PaymentId};
use portico_domain::invoice::{
    Invoice, InvoiceDraft, InvoiceNumber, Ledger, Letter, PaymentInput, PaymentMethod, VoidReason, statement,
};
use portico_domain::mail::{MailContent, OutboxMessage};
use portico_domain::portal::PortalInvoice;
use portico_domain::rules::RuleViolation;
use portico_domain::staff::{Staff, UserRef};
use portico_domain::workspace::{LogoKind, Workspace};
use portico_domain::world::ItemRef;
use portico_ports::repos::{InvoiceQuery, InvoiceSum};
use portico_ports::{Page, PageRequest};
use time::Date;

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::support::{Work, by_staff};

impl Portico {
    /// Drafts an invoice. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Invalid` (lines), `Rule(ClientDeleted)`,
    /// `Rule(ClientNotOnProject)`, `Conflict(InvoiceNumberTaken)` for a number of its own
    /// that another invoice has.
    pub async fn create_invoice(&self, actor: &Actor, draft: InvoiceDraft) -> AppResult<Invoice> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        check_addressee(&mut work, &draft).await?;
        let invoice = Invoice::new(work.new_id(InvoiceId::from_uuid), actor.workspace, draft, work.now)?;
        work.uow.invoices().insert(&invoice).await?;
        let changes = vec![
            FieldChange::plain("number", None, invoice.number().map(|n| n as _)),
            FieldChange::plain("total", None, Some(&invoice.total())),
        ];
        work.audit(by_staff(&admin), AuditSubject::Invoice(invoice.id()), None, AuditAction::InvoiceCreated, changes)
            .await?;
        work.commit().await?;
        Ok(invoice)
    }

    /// Replaces what a draft says: its client, lines, discount, dates and terms. Admins only.
    ///
    /// # Errors
    /// As [`create_invoice`](Self::create_invoice), and `Rule(InvoiceStatus)` once it is sent.
    pub async fn update_invoice(&self, actor: &Actor, id: InvoiceId, draft: InvoiceDraft) -> AppResult<Invoice> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let mut invoice = work.uow.invoices().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        check_addressee(&mut work, &draft).await?;
        let before = invoice.total();
        invoice.edit(draft)?;
        work.uow.invoices().update(&invoice).await?;
        let changes = vec![FieldChange::plain("total", Some(&before), Some(&invoice.total()))];
        work.audit(by_staff(&admin), AuditSubject::Invoice(id), None, AuditAction::InvoiceEdited, changes).await?;
        work.commit().await?;
        Ok(invoice)
    }

    /// Deletes a draft; an issued invoice is voided instead. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(InvoiceStatus)` once it is sent.
    pub async fn delete_invoice(&self, actor: &Actor, id: InvoiceId) -> AppResult<()> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let invoice = work.uow.invoices().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        invoice.ensure_deletable()?;
        work.uow.invoices().delete(actor.workspace, id).await?;
        let change = FieldChange::plain("total", Some(&invoice.total()), None);
        work.audit(by_staff(&admin), AuditSubject::Invoice(id), None, AuditAction::InvoiceDeleted, vec![change])
            .await?;
        work.commit().await?;
        Ok(())
    }

    /// Issues a draft to its client: numbered from the workspace's pattern unless it has a
    /// number of its own, with the client's and the workspace's details copied in, and
    /// mailed to the client with its PDF (clients who also see it hear of it by notice). The
    /// number is taken in the same transaction, so two invoices sent at once never share
    /// one and a failed send leaves no gap. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(InvoiceStatus)`, `Rule(InvoiceWithoutLines)`,
    /// `Rule(ClientDeleted)`, `Conflict(InvoiceNumberTaken)`.
    pub async fn send_invoice(&self, actor: &Actor, id: InvoiceId) -> AppResult<Invoice> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let mut invoice = work.uow.invoices().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        let client = work.client(invoice.client_id()).await?;
        let workspace = work.uow.workspaces().get(actor.workspace).await?.ok_or(AppError::NotFound)?;
        let issued = invoice.issue_date_if_sent(work.now.date());
        let number = match (invoice.actions().send, invoice.number()) {
            (true, None) => Some(next_number(&mut work, &workspace, issued).await?),
            _ => None,
        };
        let from = invoice.status();
        invoice.send(&client, workspace.issuer(), number, &workspace.reminder_schedule(), work.now)?;
        work.uow.invoices().update(&invoice).await?;
        let changes = vec![
            FieldChange::plain("status", Some(&from), Some(&invoice.status())),
            FieldChange::plain("number", None, invoice.number().map(|n| n as _)),
        ];
        work.audit(by_staff(&admin), AuditSubject::Invoice(id), None, AuditAction::InvoiceSent, changes).await?;
        work.queue_letter(&invoice, Letter::Issued).await?;
        work.record_activity(
            UserRef::Staff(admin.id),
            ActivityKind::InvoiceSent,
            ItemRef::Invoice(id),
            invoice.project_id(),
        )
        .await?;
        work.commit().await?;
        Ok(invoice)
    }

    /// Mails an issued invoice to its client again, with its PDF: a copy for a client who
    /// lost it, or after their address changed. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(InvoiceStatus)` for a draft or a void invoice,
    /// `Rule(InvoiceNotShownToClient)` when the client may not see it now.
    pub async fn email_invoice(&self, actor: &Actor, id: InvoiceId) -> AppResult<Invoice> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let invoice = work.uow.invoices().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        invoice.ensure_mailable()?;
        if !work.queue_letter(&invoice, Letter::Issued).await? {
            return Err(RuleViolation::InvoiceNotShownToClient.into());
        }
        work.audit(by_staff(&admin), AuditSubject::Invoice(id), None, AuditAction::InvoiceEmailed, Vec::new()).await?;
        work.commit().await?;
        Ok(invoice)
    }

    /// Records a payment against a sent invoice; paying the balance settles it. The client
    /// gets a receipt if they see payments. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(InvoiceStatus)`, `Invalid` (`amount_minor` above the
    /// balance or not positive, `paid_on` in the future).
    pub async fn record_payment(&self, actor: &Actor, id: InvoiceId, payment: PaymentInput) -> AppResult<Invoice> {
        self.pay(actor, id, |_| payment).await
    }

    /// Records a payment of the whole balance, received today. Admins only.
    ///
    /// # Errors
    /// As [`record_payment`](Self::record_payment).
    pub async fn mark_invoice_paid(&self, actor: &Actor, id: InvoiceId) -> AppResult<Invoice> {
        self.pay(actor, id, |(today, invoice)| invoice.settling_payment(today, PaymentMethod::Other)).await
    }

    /// Records the payment `payment` makes of the invoice as it is in this transaction
    /// (and of today's date), so the balance it reads cannot move under it.
    async fn pay(
        &self,
        actor: &Actor,
        id: InvoiceId,
        payment: impl FnOnce((Date, &Invoice)) -> PaymentInput,
    ) -> AppResult<Invoice> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let mut invoice = work.uow.invoices().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        let payment = payment((work.now.date(), &invoice));
        let payment_id = work.new_id(PaymentId::from_uuid);
        let amount = payment.amount;
        invoice.record_payment(payment_id, payment, work.now)?;
        work.uow.invoices().update(&invoice).await?;
        let change = FieldChange::plain("amount", None, Some(&amount));
        work.audit(by_staff(&admin), AuditSubject::Invoice(id), None, AuditAction::PaymentRecorded, vec![change])
            .await?;
        work.queue_letter(&invoice, Letter::Receipt { payment: payment_id }).await?;
        settled(&mut work, &admin, &invoice).await?;
        work.commit().await?;
        Ok(invoice)
    }

    /// Removes a payment recorded by mistake; the invoice is open again. Admins only.
    ///
    /// # Errors
    /// `NotFound` (no such payment), `Forbidden`, `Rule(InvoiceStatus)` on a void invoice.
    pub async fn remove_payment(&self, actor: &Actor, payment: PaymentId) -> AppResult<Invoice> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let found = work.uow.invoices().with_payment(actor.workspace, payment).await?;
        let mut invoice = found.ok_or(AppError::NotFound)?;
        let id = invoice.id();
        let removed = invoice.remove_payment(payment, work.now)?.ok_or(AppError::NotFound)?;
        work.uow.invoices().update(&invoice).await?;
        let change = FieldChange::plain("amount", Some(&removed.input.amount), None);
        work.audit(by_staff(&admin), AuditSubject::Invoice(id), None, AuditAction::PaymentRemoved, vec![change])
            .await?;
        work.commit().await?;
        Ok(invoice)
    }

    /// Cancels an issued invoice, saying why; its number stays taken. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(InvoiceStatus)` (drafts are deleted, not voided).
    pub async fn void_invoice(&self, actor: &Actor, id: InvoiceId, reason: VoidReason) -> AppResult<Invoice> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let mut invoice = work.uow.invoices().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        let from = invoice.status();
        invoice.void(reason, work.now)?;
        work.uow.invoices().update(&invoice).await?;
        let changes = vec![
            FieldChange::plain("status", Some(&from), Some(&invoice.status())),
            FieldChange::plain("void_reason", None, invoice.void_reason().map(|r| r as _)),
        ];
        work.audit(by_staff(&admin), AuditSubject::Invoice(id), None, AuditAction::InvoiceVoided, changes).await?;
        work.commit().await?;
        Ok(invoice)
    }

    /// One invoice. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`.
    pub async fn invoice(&self, actor: &Actor, id: InvoiceId) -> AppResult<Invoice> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        work.uow.invoices().get(actor.workspace, id).await?.ok_or(AppError::NotFound)
    }

    /// An issued invoice as the document its client receives (with its payments): what the
    /// PDF shows. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(InvoiceStatus)` for a draft (it is not a document yet).
    pub async fn invoice_document(&self, actor: &Actor, id: InvoiceId) -> AppResult<PortalInvoice> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        let invoice = work.uow.invoices().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        let project = match invoice.project_id() {
            Some(project) => work.uow.projects().get(actor.workspace, project).await?,
            None => None,
        };
        let name = project.as_ref().map(|p| &p.details.name);
        PortalInvoice::as_addressed(&invoice, name)
            .ok_or_else(|| RuleViolation::InvoiceStatus { from: invoice.status(), action: "printed" }.into())
    }

    /// The PDF of an invoice as its reader sees it (from [`invoice_document`] or
    /// [`portal_invoice`]), in `workspace`'s locale and headed by its logo when that is a PNG:
    /// the same document the invoice mail carries, drawn by the `DocumentRenderer` port. A
    /// logo whose bytes cannot be read is left out rather than failing the invoice.
    ///
    /// [`invoice_document`]: Self::invoice_document
    /// [`portal_invoice`]: Self::portal_invoice
    pub async fn invoice_pdf(&self, invoice: &PortalInvoice, workspace: &Workspace) -> Vec<u8> {
        let png = workspace.settings.brand.logo.as_ref().filter(|logo| logo.kind == LogoKind::Png);
        let logo = match png {
            Some(logo) => self.services.files.get(&logo.key).await.ok(),
            None => None,
        };
        self.services.documents.invoice_pdf(invoice, workspace.locale(), logo.as_deref())
    }

    /// A client's statement of account: their issued invoices, payments and voids with the
    /// running balance, per currency. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`.
    pub async fn client_statement(&self, actor: &Actor, client: ClientId) -> AppResult<(Client, Vec<Ledger>)> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        let client = work.client(client).await?;
        let invoices = work.uow.invoices().for_client_or_projects(actor.workspace, client.id(), &[]).await?;
        let ledgers = statement(invoices.iter().filter(|i| i.client_id() == client.id()));
        Ok((client, ledgers))
    }

    /// Everything that happened to an invoice, oldest first. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`.
    pub async fn invoice_history(&self, actor: &Actor, id: InvoiceId) -> AppResult<Vec<AuditEvent>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        work.uow.invoices().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        let mut events = work.uow.audit().for_subject(actor.workspace, AuditSubject::Invoice(id)).await?;
        events.reverse();
        Ok(events)
    }

    /// The mail an invoice sent its addressee (the invoice, reminders, receipts), newest
    /// first, as the outbox logs it. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`.
    pub async fn invoice_deliveries(&self, actor: &Actor, id: InvoiceId) -> AppResult<Vec<OutboxMessage>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        let invoice = work.uow.invoices().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        let mail = work.uow.outbox().about(actor.workspace, UserRef::Client(invoice.client_id())).await?;
        Ok(mail
            .into_iter()
            .filter(|m| matches!(m.content, MailContent::Invoice { invoice_id, .. } if invoice_id == id))
            .collect())
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

    /// What the invoices [`list_invoices`](Self::list_invoices) finds come to, per currency.
    /// Admins only.
    ///
    /// # Errors
    /// `Forbidden`.
    pub async fn invoice_sums(&self, actor: &Actor, query: &InvoiceQuery) -> AppResult<Vec<InvoiceSum>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        Ok(work.uow.invoices().sums(actor.workspace, query).await?)
    }

    /// Every invoice of the workspace, newest number first: the rows of an export. Admins
    /// only.
    ///
    /// # Errors
    /// `Forbidden`.
    pub async fn export_invoices(&self, actor: &Actor) -> AppResult<Vec<Invoice>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        let (mut all, mut after) = (Vec::new(), None);
        loop {
            let page = PageRequest::new(after, PageRequest::MAX_LIMIT);
            let found = work.uow.invoices().search(actor.workspace, &InvoiceQuery::default(), &page).await?;
            all.extend(found.items);
            match found.next {
                Some(next) => after = Some(next),
                None => return Ok(all),
            }
        }
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
}

/// Checks who a draft is addressed to: a client that exists and is not deleted, on the
/// project the invoice bills if it bills one.
async fn check_addressee(work: &mut Work, draft: &InvoiceDraft) -> AppResult<()> {
    let ws = work.workspace();
    let client = work.client(draft.client_id).await?;
    if client.is_deleted() {
        return Err(RuleViolation::ClientDeleted.into());
    }
    if let Some(project) = draft.project_id {
        work.uow.projects().get(ws, project).await?.ok_or(AppError::NotFound)?;
        if work.uow.assignments().current(ws, project, client.id()).await?.is_none() {
            return Err(RuleViolation::ClientNotOnProject.into());
        }
    }
    Ok(())
}

/// The next free number of the workspace's pattern for an invoice issued on `issued`. A
/// number typed by hand on an earlier invoice is skipped, not reused.
async fn next_number(
    work: &mut Work,
    workspace: &portico_domain::workspace::Workspace,
    issued: Date,
) -> AppResult<InvoiceNumber> {
    let pattern = workspace.number_pattern();
    let series = pattern.series(issued);
    loop {
        let sequence = work.uow.invoices().next_in_series(workspace.id, &series).await?;
        let number = pattern.number(issued, sequence.into());
        if !work.uow.invoices().number_taken(workspace.id, &number).await? {
            return Ok(number);
        }
    }
}

/// Tells the invoice's followers it was paid, when the last payment settled it.
async fn settled(work: &mut Work, admin: &Staff, invoice: &Invoice) -> AppResult<()> {
    if invoice.status() != portico_domain::invoice::InvoiceStatus::Paid {
        return Ok(());
    }
    let change = FieldChange::plain("status", None, Some(&invoice.status()));
    work.audit(by_staff(admin), AuditSubject::Invoice(invoice.id()), None, AuditAction::InvoicePaid, vec![change])
        .await?;
    let by = UserRef::Staff(admin.id);
    work.record_activity(by, ActivityKind::InvoicePaid, ItemRef::Invoice(invoice.id()), invoice.project_id()).await
}
