//! Notice mail: one round of building the mails of every notice that is due — each checked
//! against the rule again, as things are now — and queuing them in the outbox, which delivers
//! them like any other mail.

use portico_domain::activity::{ActivityEvent, Category, NoticeState, Notification, gather, told};
use portico_domain::approval::ApprovalSubject;
use portico_domain::email::EmailAddress;
use portico_domain::ids::OutboxId;
use portico_domain::mail::{MailContent, NoticeLine, OutboxMessage};
use portico_domain::staff::UserRef;
use portico_domain::text::PersonName;
use portico_domain::world::{ItemRef, World};
use portico_ports::repos::DueRecipient;

use crate::Portico;
use crate::error::{AppError, AppResult};
use crate::support::{InWorkspace, Work};

/// What one round of notice mail did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoticeReport {
    /// Mails queued in the outbox.
    pub mails: usize,
    /// Notices put into them.
    pub sent: usize,
    /// Notices left out: the rule or the person's choice no longer allows them.
    pub dropped: usize,
    /// People another round was building mail for at the same moment (left to it).
    pub taken_over: usize,
    /// People whose mail could not be built this round (tried again next round; one
    /// person's trouble never holds up the others').
    pub failed: usize,
}

impl InWorkspace for DueRecipient {
    fn workspace_id(&self) -> portico_domain::ids::WorkspaceId {
        self.workspace_id
    }
}

/// How long a message excerpt in a notice is, at most.
const EXCERPT_CHARS: usize = 80;

impl Portico {
    /// One round over every workspace: for up to `limit` people with notices due, gathers
    /// them into mails ([`gather`]), keeps each notice only if the person is still told of
    /// its event ([`told`], asked again now), queues the mails, and settles the notices — one
    /// unit of work per person, so a mail and its notices are written together. A mail left
    /// with no notice is not sent.
    ///
    /// # Errors
    /// Storage failures in finding who has notices due or opening a unit of work; a failure
    /// while building one person's mail is counted in [`NoticeReport::failed`] instead.
    pub async fn send_due_notices(&self, limit: usize) -> AppResult<NoticeReport> {
        let mut unit = self.begin_unscoped_read().await?;
        let now = unit.now;
        let due = unit.notifications().due_recipients(now, limit).await?;
        drop(unit);
        let mut report = NoticeReport::default();
        for recipient in due {
            let work = self.begin_unscoped().await?.scoped_to(&recipient);
            match notify(work, recipient.user).await {
                Ok(Some(done)) => {
                    report.mails += done.mails;
                    report.sent += done.sent;
                    report.dropped += done.dropped;
                }
                Ok(None) => report.taken_over += 1,
                Err(_) => report.failed += 1,
            }
        }
        Ok(report)
    }
}

/// Builds and queues `user`'s due mails in `work` and commits; `None` (nothing written) when
/// another round settled some of the same notices first.
async fn notify(mut work: Work, user: UserRef) -> AppResult<Option<NoticeReport>> {
    let ws = work.workspace();
    let pending = work.uow.notifications().pending_for(ws, user).await?;
    let Some((email, name)) = address_of(&mut work, user).await? else {
        // Gone (a deleted client's record keeps no address): nothing can reach them.
        let ids: Vec<_> = pending.iter().map(|n| n.id).collect();
        let dropped = work.uow.notifications().settle(ws, &ids, NoticeState::Dropped).await?;
        work.commit().await?;
        return Ok(Some(NoticeReport { dropped, ..NoticeReport::default() }));
    };
    let mut report = NoticeReport::default();
    for notices in gather(pending, work.now) {
        let digest = notices.iter().all(|n| n.delivery == portico_domain::activity::Delivery::DailyDigest);
        let ids: Vec<_> = notices.iter().map(|n| n.event_id).collect();
        let events = work.uow.activity().get_many(ws, &ids).await?;
        let (mut lines, mut sent, mut dropped) = (Vec::new(), Vec::new(), Vec::new());
        for notice in notices {
            match events.iter().find(|e| e.id == notice.event_id) {
                Some(event) => match line_for(&mut work, event, &notice).await? {
                    Some(line) => {
                        lines.push(line);
                        sent.push(notice.id);
                    }
                    None => dropped.push(notice.id),
                },
                None => dropped.push(notice.id),
            }
        }
        let settled_sent = work.uow.notifications().settle(ws, &sent, NoticeState::Sent).await?;
        let settled_dropped = work.uow.notifications().settle(ws, &dropped, NoticeState::Dropped).await?;
        if settled_sent != sent.len() || settled_dropped != dropped.len() {
            return Ok(None);
        }
        if !lines.is_empty() {
            let id = work.new_id(OutboxId::from_uuid);
            let content = MailContent::Notice { digest, lines };
            let mail = OutboxMessage::queued(id, ws, Some(user), (&email, &name), content, work.now);
            work.uow.outbox().enqueue(&mail).await?;
            report.mails += 1;
        }
        report.sent += sent.len();
        report.dropped += dropped.len();
    }
    work.commit().await?;
    Ok(Some(report))
}

/// Where `user` gets mail, while they have an address.
async fn address_of(work: &mut Work, user: UserRef) -> AppResult<Option<(EmailAddress, PersonName)>> {
    let ws = work.workspace();
    Ok(match user {
        UserRef::Staff(id) => work.uow.staff().get(ws, id).await?.map(|s| (s.email, s.name)),
        UserRef::Client(id) => work
            .uow
            .clients()
            .get(ws, id)
            .await?
            .filter(|c| !c.is_deleted())
            .map(|c| (c.profile().email.clone(), c.profile().name.clone())),
    })
}

/// The line `notice` puts in its mail, if its recipient is still told of `event` now.
async fn line_for(work: &mut Work, event: &ActivityEvent, notice: &Notification) -> AppResult<Option<NoticeLine>> {
    let mut people = work.people_around(event).await?;
    if told(event, &people.audience(), notice.recipient).is_none() {
        return Ok(None);
    }
    describe(work, &mut people.world, event, notice.recipient).await
}

/// `event` as a line for `reader`: who did what to which item, where, and the item's link in
/// the reader's area (the portal or the admin). The item is added to `world` when missing;
/// `None` when it is gone.
pub(crate) async fn describe(
    work: &mut Work,
    world: &mut World,
    event: &ActivityEvent,
    reader: UserRef,
) -> AppResult<Option<NoticeLine>> {
    if title_of(world, event.item).is_none() {
        match work.add_item(world, event.item).await {
            Ok(()) | Err(AppError::NotFound) => {}
            Err(other) => return Err(other),
        }
    }
    let Some(title) = title_of(world, event.item) else { return Ok(None) };
    let ws = work.workspace();
    let actor = match event.actor {
        UserRef::Staff(id) => work.uow.staff().get(ws, id).await?.map(|s| s.name),
        UserRef::Client(id) => work.uow.clients().get(ws, id).await?.map(|c| c.profile().name.clone()),
    };
    let Some(actor) = actor else { return Err(AppError::NotFound) };
    let project = match event.project_id {
        Some(id) => work.uow.projects().get(ws, id).await?,
        None => None,
    };
    let area = match reader {
        UserRef::Staff(_) => "/admin",
        UserRef::Client(_) => "/portal",
    };
    let path = match (event.category(), &project) {
        (Category::Invoices, _) | (_, None) => format!("{area}/invoices"),
        (_, Some(project)) => format!("{area}/projects/{}", project.id),
    };
    Ok(Some(NoticeLine {
        kind: event.kind,
        category: event.category(),
        actor,
        project: project.map(|p| p.details.name),
        title,
        path,
        at: event.at,
    }))
}

/// The item as its notice names it: a task's title, a file's name, the start of a message
/// (its first line), what an approval is about, an invoice's number.
fn title_of(world: &World, item: ItemRef) -> Option<String> {
    match item {
        ItemRef::Task(id) => world.task(id).map(|t| t.title.to_string()),
        ItemRef::File(id) => world.file(id).map(|f| f.name.to_string()),
        ItemRef::Message(id) => world.messages.iter().find(|m| m.id == id).map(|m| excerpt(m.body.as_str())),
        ItemRef::Approval(id) => world.approvals.iter().find(|a| a.id == id).and_then(|a| match a.subject {
            ApprovalSubject::Task(task) => title_of(world, ItemRef::Task(task)),
            ApprovalSubject::File(file) => title_of(world, ItemRef::File(file)),
        }),
        ItemRef::Invoice(id) => {
            world.invoices.iter().find(|i| i.id() == id).and_then(|i| i.number().map(ToString::to_string))
        }
        ItemRef::Project(id) => world.projects.iter().find(|p| p.id == id).map(|p| p.details.name.to_string()),
    }
}

/// The first line of `text`, cut at [`EXCERPT_CHARS`] characters with an ellipsis.
fn excerpt(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    if line.chars().count() <= EXCERPT_CHARS {
        return line.to_owned();
    }
    let cut: String = line.chars().take(EXCERPT_CHARS - 1).collect();
    format!("{}\u{2026}", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn an_excerpt_is_the_first_line_cut_short() {
        assert_eq!(excerpt("\n  Hello there  \nsecond line"), "Hello there");
        let long = "word ".repeat(40);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), 80);
        assert!(cut.ends_with('\u{2026}'));
    }
}
