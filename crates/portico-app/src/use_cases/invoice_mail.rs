//! Invoice mail: the invoice mailed to its addressee when it is sent, a receipt for each
//! payment, and rounds of payment reminders by the workspace's schedule. Whether one may go
//! is the domain's [`letter`] rule, asked when the mail is queued and again when it is
//! delivered, against the invoice as it is then.

use std::collections::HashMap;

use portico_domain::client::Client;
use portico_domain::ids::{ClientId, WorkspaceId};
use portico_domain::invoice::{Invoice, InvoiceLetter, Letter, ReminderSchedule, Withheld, letter};
use portico_domain::mail::{MailContent, OutboxMessage, TryOutcome};
use portico_domain::staff::UserRef;
use portico_domain::visibility::Viewer;
use portico_ports::repos::DueReminder;

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::support::{InWorkspace, Work};

/// What one round of payment reminders did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReminderReport {
    /// Reminders queued in the outbox.
    pub queued: usize,
    /// Reminders due whose mail the rule withholds (the addressee no longer sees the
    /// invoice); the invoice moves on all the same.
    pub withheld: usize,
    /// Invoices another round reminded at the same moment (left to it).
    pub taken_over: usize,
    /// Invoices whose reminder could not be written this round (tried again next round).
    pub failed: usize,
}

impl InWorkspace for DueReminder {
    fn workspace_id(&self) -> portico_domain::ids::WorkspaceId {
        self.workspace_id
    }
}

impl Portico {
    /// One round over every workspace: for up to `limit` open invoices whose reminder day
    /// has come (by the clock), takes the reminder the workspace's schedule says is due
    /// ([`Invoice::remind`]) and queues its mail — one unit of work per invoice, so the
    /// reminder is taken and its mail queued together, and two rounds never send one twice.
    ///
    /// # Errors
    /// Storage failures in finding the invoices or opening a unit of work; one invoice's
    /// failure is counted in [`ReminderReport::failed`] instead.
    pub async fn send_due_reminders(&self, limit: usize) -> AppResult<ReminderReport> {
        let mut unit = self.begin_unscoped_read().await?;
        let today = unit.now.date();
        let due = unit.invoices().awaiting_reminder(today, limit).await?;
        if due.is_empty() {
            return Ok(ReminderReport::default());
        }
        let schedules: HashMap<WorkspaceId, ReminderSchedule> =
            unit.workspaces().list().await?.into_iter().map(|w| (w.id, w.reminder_schedule())).collect();
        drop(unit);
        let mut report = ReminderReport::default();
        for reminder in due {
            let Some(schedule) = schedules.get(&reminder.workspace_id) else {
                report.failed += 1;
                continue;
            };
            let work = self.begin_unscoped().await?.scoped_to(&reminder);
            match remind(work, reminder, schedule).await {
                Ok(Some(true)) => report.queued += 1,
                Ok(Some(false)) => report.withheld += 1,
                Ok(None) => report.taken_over += 1,
                Err(_) => report.failed += 1,
            }
        }
        Ok(report)
    }

    /// What an invoice mail shows, read now as its addressee sees the invoice: `Ok(None)` for
    /// a message about no invoice; a permanent failure (the message is given up) when the
    /// rule now withholds it, a transient one when storage failed.
    pub(crate) async fn letter_of(&self, message: &OutboxMessage) -> Result<Option<InvoiceLetter>, TryOutcome> {
        let MailContent::Invoice { invoice_id, letter, .. } = &message.content else {
            return Ok(None);
        };
        let cancelled = |why: Withheld| TryOutcome::Permanent(format!("cancelled: {why}"));
        let Some(UserRef::Client(client)) = message.about else {
            return Err(cancelled(Withheld::NotShown));
        };
        let read = async {
            let mut work = self.begin_read(message.workspace_id).await?;
            let invoice = work.uow.invoices().get(message.workspace_id, *invoice_id).await?;
            match invoice {
                Some(invoice) => letter_in(&mut work, client, &invoice, *letter).await,
                None => Ok(Err(Withheld::NotShown)),
            }
        };
        match read.await {
            Ok(Ok((shown, _))) => Ok(Some(shown)),
            Ok(Err(why)) => Err(cancelled(why)),
            Err(error) => Err(TryOutcome::Transient(error.to_string())),
        }
    }
}

/// Takes `due`'s reminder by its workspace's `schedule` and queues its mail in `work`, then
/// commits: `Some(true)` queued, `Some(false)` withheld by the rule, `None` when another round
/// took it first or it was no longer due (nothing written).
async fn remind(mut work: Work, due: DueReminder, schedule: &ReminderSchedule) -> AppResult<Option<bool>> {
    let ws = work.workspace();
    let Some(mut invoice) = work.uow.invoices().get(ws, due.invoice_id).await? else {
        return Ok(None);
    };
    let waited_for = invoice.next_reminder();
    let Some((taken, reminder)) = waited_for.zip(invoice.remind(schedule, work.now.date())) else {
        return Ok(None);
    };
    if !work.uow.invoices().take_reminder(ws, invoice.id(), taken, invoice.next_reminder()).await? {
        return Ok(None);
    }
    let queued = work.queue_letter(&invoice, Letter::Reminder { days: reminder.days }).await?;
    work.commit().await?;
    Ok(Some(queued))
}

/// `letter` about `invoice` for the client `addressee` as they see it now (as an invited
/// client will once they accept), with the client; or why it may not go.
async fn letter_in(
    work: &mut Work,
    addressee: ClientId,
    invoice: &Invoice,
    which: Letter,
) -> AppResult<Result<(InvoiceLetter, Client), Withheld>> {
    let ws = work.workspace();
    let (client, assignments) = match work.reader(&Actor::preview_of(ws, addressee)).await {
        Ok(found) => found,
        Err(AppError::Unauthenticated | AppError::NotFound) => return Ok(Err(Withheld::NotShown)),
        Err(error) => return Err(error),
    };
    let project = match invoice.project_id() {
        Some(project) => work.uow.projects().get(ws, project).await?,
        None => None,
    };
    let viewer = Viewer::new(&client, &assignments);
    let shown = letter(&viewer, invoice, project.as_ref().map(|p| &p.details.name), which);
    Ok(shown.map(|shown| (shown, client)))
}

impl Work {
    /// Queues `which` about `invoice` (as it is in this unit) to its addressee, if the rule
    /// lets it go now; returns whether it did.
    pub(crate) async fn queue_letter(&mut self, invoice: &Invoice, which: Letter) -> AppResult<bool> {
        let Ok((_, client)) = letter_in(self, invoice.client_id(), invoice, which).await? else {
            return Ok(false);
        };
        let Some(number) = invoice.number().cloned() else {
            return Ok(false);
        };
        let profile = client.profile();
        let content = MailContent::Invoice { invoice_id: invoice.id(), number, letter: which };
        self.queue_mail(UserRef::Client(client.id()), (&profile.email, &profile.name), content).await?;
        Ok(true)
    }
}
