//! The contract cases. Each takes an empty store and panics at the first broken promise —
//! that is its whole job, so no case repeats it under `# Panics`.
#![allow(clippy::missing_panics_doc)]

use std::sync::Arc;

use portico_domain::approval::{ApprovalAnswer, ApprovalDecision};
use portico_domain::audit::{AuditAction, AuditActor, AuditEvent, AuditSubject, FieldChange};
use portico_domain::client::{Client, ClientEdit};
use portico_domain::company::CompanyKey;
use portico_domain::content::{StorageKey, Visibility};
use portico_domain::email::EmailAddress;
use portico_domain::ids::{ApiTokenId, AuditEventId, ClientId, OutboxId, PaymentId, TokenId};
use portico_domain::invoice::{
    Invoice, InvoiceDraft, InvoiceNumber, InvoiceStatus, Letter, NumberPattern, PaymentInstructions, ReminderSchedule,
    TaxRates,
};
use portico_domain::mail::{
    DeliveryState, LinkSecret, MailContent, OutboxMessage, RetryPolicy, SealedSecret, TryOutcome,
};
use portico_domain::money::{Currency, Locale};
use portico_domain::password::PasswordHash;
use portico_domain::permissions::Preset;
use portico_domain::project::ProjectStatus;
use portico_domain::session::{ApiToken, Session};
use portico_domain::staff::{Role, UserRef};
use portico_domain::status::ClientStatus;
use portico_domain::text::{BillingAddress, TokenLabel};
use portico_domain::token::{OneTimeToken, SecretToken, TokenPurpose};
use portico_domain::workspace::{BillingSettings, Brand, BrandColour, Logo, LogoKind, PortalWelcome, SenderName};
use portico_ports::repos::{
    BalanceFilter, ClientOrder, ClientQuery, DueReminder, InvoiceOrder, InvoiceQuery, ProjectOrder, ProjectQuery,
};
use portico_ports::{Conflict, Cursor, ListOrder, PageRequest, RepoError, Store, UnitOfWork};
use time::Duration;
use uuid::Uuid;

use super::records::Records;

async fn unit(store: &Arc<dyn Store>) -> Box<dyn UnitOfWork> {
    store.begin().await.expect("a unit of work opens")
}

async fn commit(uow: Box<dyn UnitOfWork>) {
    uow.commit().await.expect("the unit of work commits");
}

/// A store with workspace `n` inserted, and its record maker.
async fn seeded(store: &Arc<dyn Store>, n: u8) -> Records {
    let mut records = Records::new(n);
    let workspace = records.workspace_record();
    let mut uow = unit(store).await;
    uow.workspaces().insert(&workspace).await.expect("workspace inserts");
    commit(uow).await;
    records
}

/// Runs one call that must fail, alone in a fresh unit (a failed call may spoil its unit, as
/// PostgreSQL aborts the transaction), and returns the error.
macro_rules! refused {
    ($store:expr, |$uow:ident| $call:expr) => {{
        let mut $uow = unit($store).await;
        let result = $call.await;
        drop($uow);
        result.expect_err("the call must be refused")
    }};
}

/// Two clients and a staff member, stored: people for tokens, sessions and passwords to belong to.
async fn people(store: &Arc<dyn Store>, r: &mut Records) -> (UserRef, UserRef, UserRef) {
    let sarah = r.client("Sarah", "sarah@acme.example", None);
    let james = r.client("James", "james@acme.example", None);
    let sam = r.staff("Sam", "sam@studio.example", Role::Admin);
    let mut uow = unit(store).await;
    uow.clients().insert(&sarah).await.expect("insert");
    uow.clients().insert(&james).await.expect("insert");
    uow.staff().insert(&sam).await.expect("insert");
    commit(uow).await;
    (UserRef::Client(sarah.id()), UserRef::Client(james.id()), UserRef::Staff(sam.id))
}

fn email(text: &str) -> EmailAddress {
    EmailAddress::parse(text).expect("valid email")
}

/// Workspaces can be stored, read, listed (oldest first) and updated.
pub async fn workspaces_round_trip(store: Arc<dyn Store>) {
    let mut first = Records::new(1);
    let mut second = Records::new(2);
    let (a, mut b) = (first.workspace_record(), second.workspace_record());
    let mut uow = unit(&store).await;
    uow.workspaces().insert(&a).await.expect("insert");
    uow.workspaces().insert(&b).await.expect("insert");
    commit(uow).await;
    let error = refused!(&store, |uow| uow.workspaces().insert(&a));
    assert!(matches!(error, RepoError::Conflict(Conflict::DuplicateId)), "{error:?}");
    let mut uow = unit(&store).await;
    b.settings.notify_clients_on_assignment = false;
    b.settings.brand = Brand {
        colour: BrandColour::rgb(0x0a, 0x7d, 0x5a),
        logo: Some(Logo { kind: LogoKind::Svg, key: StorageKey::from_stored("logo-1".to_owned()) }),
        welcome: Some(PortalWelcome::parse("Welcome!\nEverything we make for you is here.").expect("text")),
        sender_name: Some(SenderName::parse("Northwind \"Billing\"").expect("a name")),
    };
    b.settings.billing = BillingSettings {
        address: Some(BillingAddress::parse("1 Harbour Road\nBristol BS1").expect("an address")),
        payment_instructions: Some(
            PaymentInstructions::parse("IBAN GB00 1234\nRef: the invoice number").expect("text"),
        ),
        number_pattern: NumberPattern::parse("NW/{YY}/{SEQ}").expect("a pattern"),
        currency: Currency::parse("GBP").expect("a currency"),
        tax_rates: TaxRates::parse("VAT 20 %\nReduced VAT 5 %").expect("rates"),
        reminders: ReminderSchedule::new([-7, 1, 30]).expect("a schedule"),
        locale: Locale::EnGb,
    };
    uow.workspaces().update(&b).await.expect("update");
    commit(uow).await;
    let mut uow = unit(&store).await;
    assert_eq!(uow.workspaces().get(b.id).await.expect("get"), Some(b.clone()));
    assert_eq!(uow.workspaces().list().await.expect("list"), vec![a, b]);
}

/// A client comes back exactly as stored, through every read.
pub async fn clients_round_trip(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let mut client = r.client("Sarah Chen", "Sarah@Acme.example", Some("Acme Corp"));
    let mut uow = unit(&store).await;
    uow.clients().insert(&client).await.expect("insert");
    let edit = ClientEdit { permissions: Some(Preset::FullAccess.permissions()), ..ClientEdit::default() };
    client.apply_edit(edit, r.tick()).expect("editable");
    client.mark_invited(r.tick()).expect("invited");
    client.accept_invitation(r.tick()).expect("accepts");
    client.record_login(r.tick());
    uow.clients().update(&client).await.expect("update");
    commit(uow).await;
    let mut uow = unit(&store).await;
    let ws = r.workspace;
    assert_eq!(uow.clients().get(ws, client.id()).await.expect("get"), Some(client.clone()));
    assert_eq!(
        uow.clients().find_by_email(ws, &email("sarah@ACME.example")).await.expect("find"),
        Some(client.clone())
    );
    assert_eq!(uow.clients().get_many(ws, &[client.id()]).await.expect("get many"), vec![client.clone()]);
    let batch = [email("nobody@acme.example"), email("SARAH@acme.example")];
    assert_eq!(uow.clients().find_by_emails(ws, &batch).await.expect("find many"), vec![client.clone()]);
    assert_eq!(uow.clients().find_by_emails(ws, &[]).await.expect("find none"), vec![]);
    assert_eq!(uow.clients().list_all(ws).await.expect("list"), vec![client]);
}

/// Updates of missing records are `NotFound`; inserting an existing id is `DuplicateId`.
pub async fn missing_records_and_duplicate_ids(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let client = r.client("Ghost", "ghost@x.example", None);
    let project = r.project("Nowhere");
    let staff = r.staff("Sam", "sam@studio.example", Role::Member);
    let task = r.task(project.id, staff.id, Visibility::Client);
    let mut uow = unit(&store).await;
    assert!(matches!(uow.clients().update(&client).await, Err(RepoError::NotFound)));
    assert!(matches!(uow.projects().update(&project).await, Err(RepoError::NotFound)));
    assert!(matches!(uow.staff().update(&staff).await, Err(RepoError::NotFound)));
    assert!(matches!(uow.tasks().update(&task).await, Err(RepoError::NotFound)));
    uow.projects().insert(&project).await.expect("insert");
    uow.staff().insert(&staff).await.expect("insert");
    uow.tasks().insert(&task).await.expect("insert");
    assert_eq!(uow.clients().get(r.workspace, client.id()).await.expect("get"), None);
    commit(uow).await;
    let error = refused!(&store, |uow| uow.projects().insert(&project));
    assert!(matches!(error, RepoError::Conflict(Conflict::DuplicateId)), "{error:?}");
    let error = refused!(&store, |uow| uow.tasks().insert(&task));
    assert!(matches!(error, RepoError::Conflict(Conflict::DuplicateId)), "{error:?}");
    let error = refused!(&store, |uow| uow.staff().insert(&staff));
    assert!(matches!(error, RepoError::Conflict(Conflict::DuplicateId)), "{error:?}");
}

/// One address, one person: clients and staff share the uniqueness rule, case-insensitively.
pub async fn email_is_unique_across_clients_and_staff(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let staff = r.staff("Sam Staff", "sam@studio.example", Role::Member);
    let sarah = r.client("Sarah", "sarah@acme.example", None);
    let mut uow = unit(&store).await;
    uow.staff().insert(&staff).await.expect("insert");
    uow.clients().insert(&sarah).await.expect("insert");
    commit(uow).await;
    let same_as_staff = r.client("Other", "SAM@studio.example", None);
    let error = refused!(&store, |uow| uow.clients().insert(&same_as_staff));
    assert!(matches!(error, RepoError::Conflict(Conflict::EmailTaken)), "{error:?}");
    let same_as_client = r.staff("Other", "Sarah@Acme.Example", Role::Admin);
    let error = refused!(&store, |uow| uow.staff().insert(&same_as_client));
    assert!(matches!(error, RepoError::Conflict(Conflict::EmailTaken)), "{error:?}");
    let mut james = r.client("James", "james@acme.example", None);
    let mut uow = unit(&store).await;
    uow.clients().insert(&james).await.expect("a new address is free");
    // Re-saving a record with its own address is not a conflict.
    uow.clients().update(&sarah).await.expect("own address");
    uow.staff().update(&staff).await.expect("own address");
    commit(uow).await;
    let edit = ClientEdit { email: Some(email("sarah@acme.example")), ..ClientEdit::default() };
    james.apply_edit(edit, r.tick()).expect("editable");
    let error = refused!(&store, |uow| uow.clients().update(&james));
    assert!(matches!(error, RepoError::Conflict(Conflict::EmailTaken)), "{error:?}");
}

/// Deleting a client frees its address for someone new.
pub async fn deleted_clients_free_their_email(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let mut old = r.client("Old Sarah", "sarah@acme.example", None);
    let mut uow = unit(&store).await;
    uow.clients().insert(&old).await.expect("insert");
    old.delete(r.tick()).expect("deletable");
    uow.clients().update(&old).await.expect("update");
    let new = r.client("New Sarah", "sarah@acme.example", None);
    uow.clients().insert(&new).await.expect("the address is free again");
    let found = uow.clients().find_by_email(r.workspace, &email("sarah@acme.example")).await.expect("find");
    assert_eq!(found.map(|c| c.id()), Some(new.id()));
    let batch = uow.clients().find_by_emails(r.workspace, &[email("sarah@acme.example")]).await.expect("find many");
    assert_eq!(batch.iter().map(Client::id).collect::<Vec<_>>(), vec![new.id()]);
    let tombstone = uow.clients().get(r.workspace, old.id()).await.expect("get").expect("tombstone kept");
    assert_eq!(tombstone.status(), ClientStatus::Deleted);
}

/// A workspace never sees another workspace's records, even by id.
pub async fn other_workspaces_are_invisible(store: Arc<dyn Store>) {
    let mut mine = seeded(&store, 1).await;
    let mut theirs = seeded(&store, 2).await;
    let client = theirs.client("Sarah", "sarah@acme.example", Some("Acme"));
    let project = theirs.project("Secret");
    let staff = theirs.staff("Sam", "sam@studio.example", Role::Admin);
    let task = theirs.task(project.id, staff.id, Visibility::Client);
    let invoice = theirs.invoice("INV-1", client.id(), None);
    let mut uow = unit(&store).await;
    uow.clients().insert(&client).await.expect("insert");
    uow.projects().insert(&project).await.expect("insert");
    uow.staff().insert(&staff).await.expect("insert");
    uow.tasks().insert(&task).await.expect("insert");
    uow.invoices().insert(&invoice).await.expect("insert");
    // The same address in another workspace is a different person.
    let mine_client = mine.client("Sarah Too", "sarah@acme.example", Some("Acme"));
    uow.clients().insert(&mine_client).await.expect("per-workspace uniqueness");
    let mine_invoice = mine.invoice("INV-1", mine_client.id(), None);
    uow.invoices().insert(&mine_invoice).await.expect("per-workspace numbers");
    commit(uow).await;
    let ws = mine.workspace;
    let mut uow = unit(&store).await;
    assert_eq!(uow.clients().get(ws, client.id()).await.expect("get"), None);
    assert_eq!(uow.projects().get(ws, project.id).await.expect("get"), None);
    assert_eq!(uow.staff().get(ws, staff.id).await.expect("get"), None);
    assert_eq!(uow.tasks().get(ws, task.id).await.expect("get"), None);
    assert_eq!(uow.invoices().get(ws, invoice.id()).await.expect("get"), None);
    assert!(uow.tasks().list_for_project(ws, project.id).await.expect("list").is_empty());
    let all = uow.clients().search(ws, &ClientQuery::default(), &PageRequest::first()).await.expect("search");
    assert_eq!(all.items.iter().map(portico_domain::client::Client::id).collect::<Vec<_>>(), vec![mine_client.id()]);
    assert!(matches!(uow.clients().update(&client).await, Ok(())), "its own workspace still reaches it");
    assert_eq!(uow.staff().list(ws).await.expect("list"), vec![]);
}

fn search_population(r: &mut Records) -> Vec<portico_domain::client::Client> {
    let mut clients = vec![
        r.client("Sarah Chen", "sarah@acme.example", Some("Acme Corp")),
        r.client("james ortiz", "james@acme.example", Some("ACME")),
        r.client("Lisa Park", "accounts@acme.example", Some("Acme Corporation")),
        r.client("Tom Becker", "tom@globex.example", Some("Globex")),
        r.client("Zoë Ångström", "zoe@initech.example", None),
        r.client("Adam Acme", "adam@example.org", Some("Initech")),
        r.client("Sarah Chen", "sarah.chen@other.example", None),
    ];
    let _ = clients[2].deactivate(r.tick());
    let _ = clients[3].delete(r.tick());
    let _ = clients[6].accept_invitation(r.tick());
    clients
}

/// Client search returns exactly what [`ClientQuery::matches`] accepts, in name order.
pub async fn client_search_matches_the_query_definition(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let clients = search_population(&mut r);
    let mut uow = unit(&store).await;
    for client in &clients {
        uow.clients().insert(client).await.expect("insert");
    }
    let text = |t: &str| ClientQuery { text: Some(t.to_owned()), ..ClientQuery::default() };
    let queries = [
        ClientQuery::default(),
        text("acme"),
        text("  SARAH "),
        text("ångström"),
        text("example.org"),
        text("corp"),
        text("nobody"),
        text(""),
        ClientQuery { status: Some(ClientStatus::Deleted), ..ClientQuery::default() },
        ClientQuery { status: Some(ClientStatus::Active), ..ClientQuery::default() },
        ClientQuery { company: Some(CompanyKey::of("acme inc")), ..ClientQuery::default() },
        ClientQuery {
            company: Some(CompanyKey::of("Acme")),
            text: Some("lisa".into()),
            status: Some(ClientStatus::Deactivated),
            order: ClientOrder::Name,
        },
    ];
    for query in queries {
        let page = uow.clients().search(r.workspace, &query, &PageRequest::new(None, 100)).await.expect("search");
        let mut expected: Vec<_> = clients.iter().filter(|c| query.matches(c)).collect();
        expected.sort_by_key(|c| (c.name().sort_key(), c.id()));
        let expected: Vec<ClientId> = expected.into_iter().map(portico_domain::client::Client::id).collect();
        let got: Vec<ClientId> = page.items.iter().map(portico_domain::client::Client::id).collect();
        assert_eq!(got, expected, "query {query:?}");
        assert_eq!(page.next, None);
        let count = uow.clients().count(r.workspace, &query).await.expect("count");
        assert_eq!(usize::try_from(count).ok(), Some(expected.len()), "count of {query:?}");
    }
}

/// A list a store pages through, by its query.
enum Listing {
    Clients(ClientQuery),
    Projects(ProjectQuery),
    Invoices(InvoiceQuery),
}

impl Listing {
    /// The ids on one page, and the cursor to the next.
    async fn page(&self, store: &Arc<dyn Store>, r: &Records, page: &PageRequest) -> (Vec<Uuid>, Option<Cursor>) {
        let mut uow = unit(store).await;
        let ws = r.workspace;
        match self {
            Self::Clients(query) => {
                let page = uow.clients().search(ws, query, page).await.expect("page");
                (page.items.iter().map(|c| c.id().as_uuid()).collect(), page.next)
            }
            Self::Projects(query) => {
                let page = uow.projects().search(ws, query, page).await.expect("page");
                (page.items.iter().map(|p| p.id.as_uuid()).collect(), page.next)
            }
            Self::Invoices(query) => {
                let page = uow.invoices().search(ws, query, page).await.expect("page");
                (page.items.iter().map(|i| i.id().as_uuid()).collect(), page.next)
            }
        }
    }

    /// Checks that pages of every size cover exactly `expected`, in its order, each cursor
    /// sent through a URL on the way.
    async fn covers(&self, store: &Arc<dyn Store>, r: &Records, expected: &[Uuid], what: &str) {
        for size in [1, 2, 5, expected.len() - 1, expected.len(), 50] {
            let mut seen = Vec::new();
            let mut after: Option<Cursor> = None;
            loop {
                let (ids, next) = self.page(store, r, &PageRequest::new(after.clone(), size)).await;
                assert!(ids.len() <= size);
                seen.extend(ids);
                match next {
                    Some(next) => after = Some(Cursor::decode(&next.encode()).expect("round trip")),
                    None => break,
                }
            }
            assert_eq!(seen, expected, "{what}, page size {size}");
        }
    }
}

/// The ids of `records` sorted by (`key`, id), newest-first orders reversed.
fn in_order<T>(records: &[T], key: impl Fn(&T) -> (String, Uuid), descending: bool) -> Vec<Uuid> {
    let mut keys: Vec<(String, Uuid)> = records.iter().map(key).collect();
    keys.sort();
    if descending {
        keys.reverse();
    }
    keys.into_iter().map(|(_, id)| id).collect()
}

/// Keyset pages of any size cover every match exactly once, in order.
pub async fn client_pages_cover_every_match_once_in_order(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let mut uow = unit(&store).await;
    let mut clients = Vec::new();
    for n in 0..23 {
        // Repeated names and creation times make the id the tie-breaker.
        let mut client = r.client(&format!("Client {:02}", n % 7), &format!("c{n}@x.example"), None);
        if let Some(previous) = clients.last().filter(|_| n % 3 == 1) {
            let mut parts = client.to_parts();
            parts.created_at = portico_domain::client::Client::created_at(previous);
            client = portico_domain::client::Client::from_parts(parts);
        }
        uow.clients().insert(&client).await.expect("insert");
        clients.push(client);
    }
    commit(uow).await;
    for &order in ClientOrder::ALL {
        let expected = in_order(&clients, |c| (order.key(c), c.id().as_uuid()), order == ClientOrder::Newest);
        let listing = Listing::Clients(ClientQuery { order, ..ClientQuery::default() });
        listing.covers(&store, &r, &expected, &format!("{order:?}")).await;
    }
}

/// Projects and invoices page in each of their orders, the undated last by deadline and due
/// date, ties broken by id.
pub async fn project_and_invoice_pages_cover_every_match_once_in_each_order(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let client = r.client("Sarah", "sarah@acme.example", None);
    let mut uow = unit(&store).await;
    uow.clients().insert(&client).await.expect("insert");
    let mut projects: Vec<portico_domain::project::Project> = Vec::new();
    let mut invoices = Vec::new();
    for n in 0..17_u8 {
        // Repeated names, creation times, deadlines and due dates; every fourth undated.
        let date =
            (n % 4 != 0).then(|| time::Date::from_calendar_date(2027, time::Month::March, n % 5 + 1).expect("date"));
        let mut project = r.project(&format!("Project {:02}", n % 6));
        project.details.deadline = date;
        if let Some(previous) = projects.last().filter(|_| n % 3 == 1) {
            project.created_at = previous.created_at;
        }
        uow.projects().insert(&project).await.expect("insert");
        projects.push(project);
        let invoice = r.invoice(&format!("INV-{n:03}"), client.id(), None);
        let due = date.map(portico_domain::invoice::Due::On);
        let draft = portico_domain::invoice::InvoiceDraft { due, ..invoice.draft().clone() };
        let invoice = portico_domain::invoice::Invoice::new(invoice.id(), r.workspace, draft, invoice.created_at())
            .expect("a valid invoice");
        uow.invoices().insert(&invoice).await.expect("insert");
        invoices.push(invoice);
    }
    commit(uow).await;
    for &order in ProjectOrder::ALL {
        let expected = in_order(&projects, |p| (order.key(p), p.id.as_uuid()), order == ProjectOrder::Newest);
        let listing = Listing::Projects(ProjectQuery { order, ..ProjectQuery::default() });
        listing.covers(&store, &r, &expected, &format!("{order:?}")).await;
    }
    for &order in InvoiceOrder::ALL {
        let expected = in_order(&invoices, |i| (order.key(i), i.id().as_uuid()), order == InvoiceOrder::Number);
        let listing = Listing::Invoices(InvoiceQuery { order, ..InvoiceQuery::default() });
        listing.covers(&store, &r, &expected, &format!("{order:?}")).await;
    }
    let by_deadline = Listing::Projects(ProjectQuery { order: ProjectOrder::Deadline, ..ProjectQuery::default() });
    let (first, _) = by_deadline.page(&store, &r, &PageRequest::first()).await;
    let undated = projects.iter().find(|p| p.details.deadline.is_none()).expect("an undated project");
    assert_ne!(first.first(), Some(&undated.id.as_uuid()), "the undated come last");
}

/// A cursor need not name an existing record: the page starts strictly after its position.
pub async fn pages_start_after_any_cursor_position(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let mut uow = unit(&store).await;
    for name in ["anna", "Mark", "mark", "Zed", "bob"] {
        let email = format!("{}@x.example", r.id().simple());
        let client = r.client(name, &email, None);
        uow.clients().insert(&client).await.expect("insert");
    }
    let position = Cursor { sort_key: "mark".into(), id: Uuid::nil() };
    let request = PageRequest::new(Some(position), 10);
    let page = uow.clients().search(r.workspace, &ClientQuery::default(), &request).await.expect("page");
    let names: Vec<String> = page.items.iter().map(|c| c.name().to_string()).collect();
    assert_eq!(names, ["Mark", "mark", "Zed"]);
}

/// Dropping a unit of work discards all its writes.
pub async fn dropped_units_leave_nothing_behind(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let client = r.client("Sarah", "sarah@acme.example", None);
    let project = r.project("Brand");
    {
        let mut uow = unit(&store).await;
        uow.clients().insert(&client).await.expect("insert");
        uow.projects().insert(&project).await.expect("insert");
        let assignment = r.assignment(project.id, client.id(), None);
        uow.assignments().insert(&assignment).await.expect("insert");
        assert!(uow.clients().get(r.workspace, client.id()).await.expect("get").is_some(), "own writes are visible");
        // A failing write inside the unit does not save the earlier ones either.
        let duplicate = r.client("Sarah 2", "sarah@acme.example", None);
        assert!(uow.clients().insert(&duplicate).await.is_err());
    }
    let mut uow = unit(&store).await;
    assert_eq!(uow.clients().get(r.workspace, client.id()).await.expect("get"), None);
    assert_eq!(uow.projects().get(r.workspace, project.id).await.expect("get"), None);
    assert!(uow.assignments().current_for_client(r.workspace, client.id()).await.expect("list").is_empty());
}

/// What one unit commits, the next one reads.
pub async fn committed_units_are_visible_to_later_units(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let client = r.client("Sarah", "sarah@acme.example", None);
    let mut uow = unit(&store).await;
    uow.clients().insert(&client).await.expect("insert");
    commit(uow).await;
    let mut uow = unit(&store).await;
    assert_eq!(uow.clients().get(r.workspace, client.id()).await.expect("get"), Some(client));
}

/// Password hashes are set, replaced, read and cleared per user.
pub async fn credentials_round_trip(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let (user, _, other) = people(&store, &mut r).await;
    let nobody = UserRef::Client(ClientId::from_uuid(Uuid::from_u128(99)));
    let mut uow = unit(&store).await;
    let first = PasswordHash::from_phc("$argon2id$v=19$first".into());
    let second = PasswordHash::from_phc("$argon2id$v=19$second".into());
    uow.credentials().set_password(r.workspace, user, &first).await.expect("set");
    uow.credentials().set_password(r.workspace, user, &second).await.expect("replace");
    assert_eq!(uow.credentials().password(r.workspace, user).await.expect("get"), Some(second));
    assert_eq!(uow.credentials().password(r.workspace, other).await.expect("get"), None, "each person has their own");
    let hash = PasswordHash::from_phc("$argon2id$v=19$nobody".into());
    assert!(matches!(uow.credentials().set_password(r.workspace, nobody, &hash).await, Err(RepoError::NotFound)));
    uow.credentials().clear_password(r.workspace, user).await.expect("clear");
    assert_eq!(uow.credentials().password(r.workspace, user).await.expect("get"), None);
}

/// Projects list by name, filtered by status and by current team membership, in pages.
pub async fn projects_search_by_status_and_team(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let member = r.staff("Mia Member", "mia@studio.example", Role::Member);
    let mut names = ["delta", "Alpha", "charlie", "Bravo"].map(|n| r.project(n));
    names[2].set_status(ProjectStatus::Archived, r.tick()).expect("archives");
    let mut uow = unit(&store).await;
    uow.staff().insert(&member).await.expect("insert");
    for project in &names {
        uow.projects().insert(project).await.expect("insert");
    }
    let on_alpha = r.membership(names[1].id, member.id);
    let mut was_on_delta = r.membership(names[0].id, member.id);
    was_on_delta.tenure.end(r.tick(), None).expect("current");
    uow.memberships().insert(&on_alpha).await.expect("insert");
    uow.memberships().insert(&was_on_delta).await.expect("insert");
    commit(uow).await;
    let mut uow = unit(&store).await;
    let ws = r.workspace;
    let names_of = |page: Vec<portico_domain::project::Project>| {
        page.into_iter().map(|p| p.details.name.to_string()).collect::<Vec<_>>()
    };
    let all = uow.projects().search(ws, &ProjectQuery::default(), &PageRequest::first()).await.expect("search");
    assert_eq!(names_of(all.items), ["Alpha", "Bravo", "charlie", "delta"]);
    let active = ProjectQuery { status: Some(ProjectStatus::Active), ..ProjectQuery::default() };
    assert_eq!(
        names_of(uow.projects().search(ws, &active, &PageRequest::first()).await.expect("search").items),
        ["Alpha", "Bravo", "delta"]
    );
    let mine = ProjectQuery { team_member: Some(member.id), ..ProjectQuery::default() };
    assert_eq!(uow.projects().count(ws, &mine).await.expect("count"), 1);
    assert_eq!(
        names_of(uow.projects().search(ws, &mine, &PageRequest::first()).await.expect("search").items),
        ["Alpha"]
    );
    for (text, expected) in [("AR", &["charlie"][..]), (" a ", &["Alpha", "Bravo", "charlie", "delta"]), ("%", &[])] {
        let by_text = ProjectQuery { text: Some(text.into()), ..ProjectQuery::default() };
        let found = uow.projects().search(ws, &by_text, &PageRequest::first()).await.expect("search");
        assert_eq!(names_of(found.items), expected, "text {text:?}");
        let count = uow.projects().count(ws, &by_text).await.expect("count");
        assert_eq!(usize::try_from(count).ok(), Some(expected.len()), "count of {text:?}");
    }
    let first = uow.projects().search(ws, &ProjectQuery::default(), &PageRequest::new(None, 3)).await.expect("page");
    let rest = uow
        .projects()
        .search(ws, &ProjectQuery::default(), &PageRequest::new(first.next.clone(), 3))
        .await
        .expect("page");
    assert_eq!((first.items.len(), rest.items.len(), rest.next), (3, 1, None));
    assert_eq!(uow.projects().list_all(ws).await.expect("list").len(), 4);
    let many = uow.projects().get_many(ws, &[names[3].id, names[0].id]).await.expect("get many");
    assert_eq!(many.len(), 2);
}

/// One current assignment per client and project; ended ones stay as history.
pub async fn assignments_keep_history_and_allow_one_current(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let client = r.client("Sarah", "sarah@acme.example", None);
    let (brand, web) = (r.project("Brand"), r.project("Web"));
    let mut uow = unit(&store).await;
    uow.clients().insert(&client).await.expect("insert");
    uow.projects().insert(&brand).await.expect("insert");
    uow.projects().insert(&web).await.expect("insert");
    let mut first = r.assignment(brand.id, client.id(), Records::scope(Preset::OverviewOnly));
    uow.assignments().insert(&first).await.expect("insert");
    commit(uow).await;
    let twice = r.assignment(brand.id, client.id(), None);
    let error = refused!(&store, |uow| uow.assignments().insert(&twice));
    assert!(matches!(error, RepoError::Conflict(Conflict::AlreadyAssigned)), "{error:?}");
    let mut uow = unit(&store).await;
    first.tenure.end(r.tick(), None).expect("current");
    uow.assignments().update(&first).await.expect("end");
    let again = r.assignment(brand.id, client.id(), None);
    uow.assignments().insert(&again).await.expect("re-assign after the end");
    let on_web = r.assignment(web.id, client.id(), None);
    uow.assignments().insert(&on_web).await.expect("insert");
    commit(uow).await;
    let ws = r.workspace;
    let mut uow = unit(&store).await;
    assert_eq!(uow.assignments().current(ws, brand.id, client.id()).await.expect("current"), Some(again.clone()));
    assert_eq!(
        uow.assignments().current_for_client(ws, client.id()).await.expect("list"),
        vec![again.clone(), on_web.clone()]
    );
    assert_eq!(uow.assignments().current_for_project(ws, brand.id).await.expect("list"), vec![again.clone()]);
    assert_eq!(
        uow.assignments().history_for_client(ws, client.id()).await.expect("list"),
        vec![first, again.clone(), on_web.clone()]
    );
    assert_eq!(uow.assignments().all_current(ws).await.expect("list"), vec![again, on_web]);
}

/// One current membership per person and project; ended ones stay as history.
pub async fn memberships_keep_history_and_allow_one_current(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let staff = r.staff("Sam", "sam@studio.example", Role::Member);
    let project = r.project("Brand");
    let mut uow = unit(&store).await;
    uow.staff().insert(&staff).await.expect("insert");
    uow.projects().insert(&project).await.expect("insert");
    let mut first = r.membership(project.id, staff.id);
    uow.memberships().insert(&first).await.expect("insert");
    commit(uow).await;
    let twice = r.membership(project.id, staff.id);
    let error = refused!(&store, |uow| uow.memberships().insert(&twice));
    assert!(matches!(error, RepoError::Conflict(Conflict::AlreadyAssigned)), "{error:?}");
    let mut uow = unit(&store).await;
    first.tenure.end(r.tick(), None).expect("current");
    uow.memberships().update(&first).await.expect("end");
    assert_eq!(uow.memberships().current(r.workspace, project.id, staff.id).await.expect("current"), None);
    let again = r.membership(project.id, staff.id);
    uow.memberships().insert(&again).await.expect("insert");
    assert_eq!(uow.memberships().current_for_project(r.workspace, project.id).await.expect("list"), vec![again]);
}

/// Tasks, files and messages list per project, oldest first, with every field intact.
pub async fn content_lists_by_project_in_creation_order(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let staff = r.staff("Sam", "sam@studio.example", Role::Admin);
    let client = r.client("Sarah", "sarah@acme.example", None);
    let (brand, other) = (r.project("Brand"), r.project("Other"));
    let mut uow = unit(&store).await;
    uow.staff().insert(&staff).await.expect("insert");
    uow.clients().insert(&client).await.expect("insert");
    uow.projects().insert(&brand).await.expect("insert");
    uow.projects().insert(&other).await.expect("insert");
    let mut tasks =
        vec![r.task(brand.id, staff.id, Visibility::Client), r.task(brand.id, staff.id, Visibility::Internal)];
    let elsewhere = r.task(other.id, staff.id, Visibility::Client);
    let files = vec![
        r.file(brand.id, UserRef::Staff(staff.id), Visibility::Internal),
        r.file(brand.id, UserRef::Client(client.id()), Visibility::Client),
    ];
    let messages = vec![
        r.message(brand.id, None, UserRef::Staff(staff.id), Visibility::Internal),
        r.message(brand.id, Some(tasks[0].id), UserRef::Client(client.id()), Visibility::Client),
    ];
    for task in tasks.iter().chain([&elsewhere]) {
        uow.tasks().insert(task).await.expect("insert");
    }
    for file in &files {
        uow.files().insert(file).await.expect("insert");
    }
    for message in &messages {
        uow.messages().insert(message).await.expect("insert");
    }
    tasks[1].apply_edit(
        portico_domain::content::TaskEdit { visibility: Some(Visibility::Client), ..Default::default() },
        r.tick(),
    );
    uow.tasks().update(&tasks[1]).await.expect("update");
    let mut shared = files[0].clone();
    shared.set_visibility(Visibility::Client).expect("staff file");
    uow.files().update(&shared).await.expect("update");
    commit(uow).await;
    let ws = r.workspace;
    let mut uow = unit(&store).await;
    assert_eq!(uow.tasks().list_for_project(ws, brand.id).await.expect("list"), tasks);
    assert_eq!(uow.tasks().get(ws, elsewhere.id).await.expect("get"), Some(elsewhere));
    assert_eq!(uow.files().list_for_project(ws, brand.id).await.expect("list"), vec![shared, files[1].clone()]);
    assert_eq!(uow.messages().list_for_project(ws, brand.id).await.expect("list"), messages);
    assert_eq!(uow.messages().get(ws, messages[1].id).await.expect("get"), Some(messages[1].clone()));
    assert!(uow.files().list_for_project(ws, other.id).await.expect("list").is_empty());
}

/// Approval requests list per project; every answer is kept, oldest first.
pub async fn approval_answers_are_kept(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let staff = r.staff("Sam", "sam@studio.example", Role::Admin);
    let client = r.client("Sarah", "sarah@acme.example", None);
    let project = r.project("Brand");
    let task = r.task(project.id, staff.id, Visibility::Client);
    let request = r.approval(project.id, task.id, staff.id);
    let mut uow = unit(&store).await;
    uow.staff().insert(&staff).await.expect("insert");
    uow.clients().insert(&client).await.expect("insert");
    uow.projects().insert(&project).await.expect("insert");
    uow.tasks().insert(&task).await.expect("insert");
    uow.approvals().insert(&request).await.expect("insert");
    commit(uow).await;
    // One pending request per subject, held by the storage.
    let again = r.approval(project.id, task.id, staff.id);
    let error = refused!(&store, |uow| uow.approvals().insert(&again));
    assert!(matches!(error, RepoError::Conflict(Conflict::ApprovalPending)), "{error:?}");
    let mut uow = unit(&store).await;
    let answer = |decision, comment: Option<&str>, at| ApprovalAnswer {
        approval_id: request.id,
        client_id: client.id(),
        decision,
        comment: comment.map(|c| portico_domain::text::MessageBody::parse(c).expect("valid")),
        answered_at: at,
    };
    let first = answer(ApprovalDecision::ChangesRequested, Some("Bigger logo"), r.tick());
    let second = answer(ApprovalDecision::Approved, None, r.tick());
    uow.approvals().add_answer(r.workspace, &first).await.expect("answer");
    uow.approvals().add_answer(r.workspace, &second).await.expect("answer");
    commit(uow).await;
    let mut uow = unit(&store).await;
    uow.approvals().insert(&again).await.expect("answered: a new request may be stored");
    commit(uow).await;
    let mut stray = first.clone();
    stray.approval_id = portico_domain::ids::ApprovalId::from_uuid(Uuid::from_u128(12_345));
    let error = refused!(&store, |uow| uow.approvals().add_answer(r.workspace, &stray));
    assert!(matches!(error, RepoError::NotFound), "{error:?}");
    let mut uow = unit(&store).await;
    assert_eq!(uow.approvals().get(r.workspace, request.id).await.expect("get"), Some(request.clone()));
    let requests = uow.approvals().list_for_project(r.workspace, project.id).await.expect("list");
    assert_eq!(requests, vec![request, again], "by creation");
    assert_eq!(uow.approvals().answers_for_project(r.workspace, project.id).await.expect("list"), vec![first, second]);
}

/// Invoice numbers are unique per workspace, case-insensitively, whether set on insert or by
/// an update; invoices keep every field, lines, taxes, discount and payments included; a
/// draft is deleted with its lines.
pub async fn invoice_numbers_are_unique_per_workspace(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let client = r.client("Lisa", "lisa@acme.example", Some("Acme"));
    let mut uow = unit(&store).await;
    uow.clients().insert(&client).await.expect("insert");
    let mut invoice = r.invoice("inv-001", client.id(), None);
    uow.invoices().insert(&invoice).await.expect("insert");
    commit(uow).await;
    let clash = r.invoice("INV-001", client.id(), None);
    let error = refused!(&store, |uow| uow.invoices().insert(&clash));
    assert!(matches!(error, RepoError::Conflict(Conflict::InvoiceNumberTaken)), "{error:?}");

    let mut draft = r.unnumbered_invoice(client.id(), None);
    let mut uow = unit(&store).await;
    uow.invoices().insert(&draft).await.expect("drafts without a number do not clash");
    let other = r.unnumbered_invoice(client.id(), None);
    uow.invoices().insert(&other).await.expect("nor with each other");
    commit(uow).await;
    let numbered =
        InvoiceDraft { number: Some(InvoiceNumber::parse("Inv-001").expect("valid")), ..draft.draft().clone() };
    draft.edit(numbered).expect("a draft takes a number");
    let error = refused!(&store, |uow| uow.invoices().update(&draft));
    assert!(matches!(error, RepoError::Conflict(Conflict::InvoiceNumberTaken)), "{error:?}");

    let mut uow = unit(&store).await;
    assert!(
        uow.invoices()
            .number_taken(r.workspace, &InvoiceNumber::parse("INV-001").expect("valid"))
            .await
            .expect("taken")
    );
    assert!(
        !uow.invoices()
            .number_taken(r.workspace, &InvoiceNumber::parse("INV-002").expect("valid"))
            .await
            .expect("taken")
    );
    invoice.send(&client, Records::issuer(), None, &ReminderSchedule::default(), r.tick()).expect("sends");
    let total = invoice.total().minor();
    let now = r.tick();
    invoice.record_payment(PaymentId::from_uuid(r.id()), Records::payment(total / 3, now), now).expect("pays a part");
    let now = r.tick();
    invoice
        .record_payment(PaymentId::from_uuid(r.id()), Records::payment(total - total / 3, now), now)
        .expect("pays the rest");
    uow.invoices().update(&invoice).await.expect("update");
    uow.invoices().delete(r.workspace, other.id()).await.expect("delete a draft");
    commit(uow).await;
    let mut uow = unit(&store).await;
    let stored = uow.invoices().get(r.workspace, invoice.id()).await.expect("get").expect("stored");
    assert_eq!(stored.totals(), invoice.totals(), "taxes and the discount come back");
    assert_eq!(stored, invoice);
    assert_eq!(stored.status(), InvoiceStatus::Paid);
    assert_eq!(uow.invoices().get(r.workspace, other.id()).await.expect("get"), None);
    let first_payment = stored.payments()[0].id;
    let found = uow.invoices().with_payment(r.workspace, first_payment).await.expect("by payment");
    assert_eq!(found.map(|i| i.id()), Some(invoice.id()));
    assert_eq!(uow.invoices().with_payment(r.workspace, PaymentId::from_uuid(r.id())).await.expect("by payment"), None);
    let again = uow.invoices().delete(r.workspace, other.id()).await;
    assert!(matches!(again, Err(RepoError::NotFound)), "{again:?}");
}

/// Invoice lists filter by what is owed (`BalanceFilter::matches`, the domain's answer) and
/// add up their totals and what is owed per currency.
pub async fn invoices_filter_by_what_is_owed_and_sum_per_currency(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let client = r.client("Lisa", "lisa@acme.example", None);
    let mut uow = unit(&store).await;
    uow.clients().insert(&client).await.expect("insert");
    let mut invoices = Vec::new();
    for (n, step) in ["draft", "sent", "part", "paid", "void", "dollars"].iter().enumerate() {
        let mut invoice = r.invoice(&format!("F-{n}"), client.id(), None);
        if *step == "dollars" {
            let usd = portico_domain::money::Currency::parse("USD").expect("known");
            let mut draft = invoice.draft().clone();
            draft.currency = usd;
            for line in &mut draft.lines {
                line.unit_price = portico_domain::money::Money::new(line.unit_price.minor(), usd);
            }
            draft.discount = None;
            invoice.edit(draft).expect("a dollar draft");
        }
        if *step != "draft" {
            invoice.send(&client, Records::issuer(), None, &ReminderSchedule::default(), r.tick()).expect("sends");
        }
        let total = invoice.total().minor();
        let now = r.tick();
        match *step {
            "part" => invoice.record_payment(PaymentId::from_uuid(r.id()), Records::payment(total / 2, now), now),
            "paid" => invoice.record_payment(PaymentId::from_uuid(r.id()), Records::payment(total, now), now),
            _ => Ok(()),
        }
        .expect("pays");
        if *step == "void" {
            invoice.void(portico_domain::invoice::VoidReason::parse("Twice").expect("valid"), now).expect("voids");
        }
        uow.invoices().insert(&invoice).await.expect("insert");
        invoices.push(invoice);
    }
    commit(uow).await;
    let later = time::macros::date!(2027 - 01 - 01);
    let ws = r.workspace;
    let mut uow = unit(&store).await;
    for balance in [
        None,
        Some(BalanceFilter::Outstanding),
        Some(BalanceFilter::Overdue { today: later }),
        Some(BalanceFilter::Overdue { today: r.later(Duration::ZERO).date() }),
    ] {
        let query = InvoiceQuery { balance, ..InvoiceQuery::default() };
        let expected: Vec<&Invoice> = invoices.iter().filter(|i| query.matches(i)).collect();
        let page = uow.invoices().search(ws, &query, &PageRequest::first()).await.expect("search");
        let mut found: Vec<_> = page.items.iter().map(Invoice::id).collect();
        let mut wanted: Vec<_> = expected.iter().map(|i| i.id()).collect();
        found.sort();
        wanted.sort();
        assert_eq!(found, wanted, "{balance:?}");
        assert_eq!(uow.invoices().count(ws, &query).await.expect("count"), wanted.len() as u64, "{balance:?}");
        let sums = uow.invoices().sums(ws, &query).await.expect("sums");
        let mut codes: Vec<&str> = expected.iter().map(|i| i.currency().code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(sums.iter().map(|s| s.total.currency().code()).collect::<Vec<_>>(), codes, "{balance:?}");
        for sum in &sums {
            let of: Vec<&&Invoice> = expected.iter().filter(|i| i.currency() == sum.total.currency()).collect();
            assert_eq!(sum.count, of.len() as u64);
            assert_eq!(sum.total.minor(), of.iter().map(|i| i.total().minor()).sum::<i64>(), "{balance:?}");
            assert_eq!(sum.owed.minor(), of.iter().map(|i| i.owed().minor()).sum::<i64>(), "{balance:?}");
        }
    }
    let outstanding = InvoiceQuery { balance: Some(BalanceFilter::Outstanding), ..InvoiceQuery::default() };
    assert_eq!(uow.invoices().count(ws, &outstanding).await.expect("count"), 3, "sent, part paid, and in dollars");
}

/// Numbering series count from 1, each on its own, per workspace; a number taken in a unit
/// of work that is rolled back is taken again (no gaps).
pub async fn numbering_series_count_on_without_gaps(store: Arc<dyn Store>) {
    let (mine, theirs) = (seeded(&store, 1).await, seeded(&store, 2).await);
    let mut uow = unit(&store).await;
    assert_eq!(uow.invoices().next_in_series(mine.workspace, "INV-2026-").await.expect("next"), 1);
    assert_eq!(uow.invoices().next_in_series(mine.workspace, "INV-2026-").await.expect("next"), 2);
    assert_eq!(uow.invoices().next_in_series(mine.workspace, "INV-2027-").await.expect("next"), 1);
    assert_eq!(uow.invoices().next_in_series(theirs.workspace, "INV-2026-").await.expect("next"), 1);
    commit(uow).await;
    let mut uow = unit(&store).await;
    assert_eq!(uow.invoices().next_in_series(mine.workspace, "INV-2026-").await.expect("next"), 3);
    drop(uow);
    let mut uow = unit(&store).await;
    assert_eq!(uow.invoices().next_in_series(mine.workspace, "INV-2026-").await.expect("next"), 3, "rolled back");
}

/// Open invoices are found on their reminder's day, earliest first, across workspaces; paid,
/// void and draft ones never are. A reminder is taken once: a second round holding the same
/// one finds it gone. The invoice mails' contents round-trip through the outbox.
pub async fn payment_reminders_are_found_on_their_day_and_taken_once(store: Arc<dyn Store>) {
    let (mut r, mut other) = (seeded(&store, 1).await, seeded(&store, 2).await);
    let schedule = ReminderSchedule::default();
    let mut uow = unit(&store).await;
    let mut open = Vec::new();
    for (theirs, step) in
        [(false, "sent"), (false, "part"), (false, "paid"), (false, "void"), (true, "sent"), (false, "draft")]
    {
        let records = if theirs { &mut other } else { &mut r };
        let client = records.client("Lisa", &format!("lisa-{step}@acme.example"), None);
        uow.clients().insert(&client).await.expect("insert");
        let mut invoice = records.invoice(&format!("R-{step}"), client.id(), None);
        if step != "draft" {
            invoice.send(&client, Records::issuer(), None, &schedule, records.tick()).expect("sends");
        }
        let now = records.tick();
        let total = invoice.total().minor();
        match step {
            "part" => invoice.record_payment(PaymentId::from_uuid(records.id()), Records::payment(total / 2, now), now),
            "paid" => invoice.record_payment(PaymentId::from_uuid(records.id()), Records::payment(total, now), now),
            _ => Ok(()),
        }
        .expect("pays");
        if step == "void" {
            invoice.void(portico_domain::invoice::VoidReason::parse("Twice").expect("valid"), now).expect("voids");
        }
        uow.invoices().insert(&invoice).await.expect("insert");
        if matches!(step, "sent" | "part") {
            open.push(invoice);
        }
    }
    commit(uow).await;
    let first = open[0].next_reminder().expect("net 30 from now: a reminder 3 days before");
    let mut uow = unit(&store).await;
    let day_before = first.on.previous_day().expect("a day");
    assert!(uow.invoices().awaiting_reminder(day_before, 10).await.expect("due").is_empty());
    let due = uow.invoices().awaiting_reminder(first.on, 10).await.expect("due");
    let mut expected: Vec<DueReminder> =
        open.iter().map(|i| DueReminder { workspace_id: i.workspace_id(), invoice_id: i.id() }).collect();
    expected.sort_by_key(|d| (d.workspace_id, d.invoice_id));
    assert_eq!(due, expected, "the open invoices of both workspaces, not the paid, void or draft ones");
    assert_eq!(uow.invoices().awaiting_reminder(first.on, 1).await.expect("due").len(), 1, "at most the limit");

    let invoice = &open[0];
    let (ws, id) = (invoice.workspace_id(), invoice.id());
    let next = schedule.first_after(invoice.due_date().expect("due"), first.on);
    assert!(uow.invoices().take_reminder(ws, id, first, next).await.expect("take"), "taken");
    assert!(!uow.invoices().take_reminder(ws, id, first, next).await.expect("take"), "taken once only");
    assert_eq!(uow.invoices().get(ws, id).await.expect("get").and_then(|i| i.next_reminder()), next);
    let other_workspace = open.iter().find(|i| i.workspace_id() != ws).expect("the other workspace's");
    let theirs = other_workspace.next_reminder().expect("waits");
    assert!(!uow.invoices().take_reminder(ws, other_workspace.id(), theirs, None).await.expect("take"), "scoped");
    commit(uow).await;

    let mut uow = unit(&store).await;
    let number = invoice.number().expect("numbered").clone();
    let email = EmailAddress::parse("lisa@acme.example").expect("an address");
    let name = portico_domain::text::PersonName::parse("Lisa Park").expect("a name");
    let letters =
        [Letter::Issued, Letter::Reminder { days: -3 }, Letter::Receipt { payment: PaymentId::from_uuid(r.id()) }];
    for letter in letters {
        let content = MailContent::Invoice { invoice_id: id, number: number.clone(), letter };
        let mail = OutboxMessage::queued(OutboxId::from_uuid(r.id()), ws, None, (&email, &name), content, r.tick());
        uow.outbox().enqueue(&mail).await.expect("enqueue");
        assert_eq!(uow.outbox().get(ws, mail.id).await.expect("get"), Some(mail));
    }
}

/// Invoices page newest number first; portal candidates are the client's and its projects'.
pub async fn invoices_page_newest_number_first_and_find_portal_candidates(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let (lisa, sarah) = (r.client("Lisa", "lisa@acme.example", None), r.client("Sarah", "sarah@acme.example", None));
    let (brand, web) = (r.project("Brand"), r.project("Web"));
    let mut uow = unit(&store).await;
    for client in [&lisa, &sarah] {
        uow.clients().insert(client).await.expect("insert");
    }
    uow.projects().insert(&brand).await.expect("insert");
    uow.projects().insert(&web).await.expect("insert");
    let invoices = [
        r.invoice("INV-003", lisa.id(), None),
        r.invoice("INV-001", sarah.id(), Some(brand.id)),
        r.invoice("INV-002", sarah.id(), Some(web.id)),
        r.invoice("INV-004", sarah.id(), None),
        r.unnumbered_invoice(lisa.id(), None),
    ];
    for invoice in &invoices {
        uow.invoices().insert(invoice).await.expect("insert");
    }
    commit(uow).await;
    let ws = r.workspace;
    let mut uow = unit(&store).await;
    let numbers = |list: &[Invoice]| {
        list.iter().map(|i| i.number().map(ToString::to_string).unwrap_or_default()).collect::<Vec<_>>()
    };
    let first = uow.invoices().search(ws, &InvoiceQuery::default(), &PageRequest::new(None, 3)).await.expect("page");
    assert_eq!(numbers(&first.items), ["INV-004", "INV-003", "INV-002"]);
    let rest =
        uow.invoices().search(ws, &InvoiceQuery::default(), &PageRequest::new(first.next, 3)).await.expect("page");
    assert_eq!(
        (numbers(&rest.items), rest.next),
        (vec!["INV-001".to_owned(), String::new()], None),
        "drafts without a number last"
    );
    let sarahs = InvoiceQuery { client: Some(sarah.id()), project: Some(brand.id), ..InvoiceQuery::default() };
    assert_eq!(
        numbers(&uow.invoices().search(ws, &sarahs, &PageRequest::first()).await.expect("search").items),
        ["INV-001"]
    );
    assert_eq!(uow.invoices().count(ws, &InvoiceQuery::default()).await.expect("count"), 5);
    assert_eq!(uow.invoices().count(ws, &sarahs).await.expect("count"), 1);
    let candidates = uow.invoices().for_client_or_projects(ws, lisa.id(), &[brand.id]).await.expect("candidates");
    assert_eq!(numbers(&candidates), ["INV-003", "INV-001", ""]);
}

/// The audit trail finds events by subject or related record, newest first, and rewrites
/// changes (for erasure) without touching anything else.
pub async fn audit_trail_by_subject_and_rewrite(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let client = ClientId::from_uuid(r.id());
    let project = portico_domain::ids::ProjectId::from_uuid(r.id());
    let event = |r: &mut Records, subject, related, action, changes| AuditEvent {
        id: AuditEventId::from_uuid(r.id()),
        workspace_id: r.workspace,
        at: r.tick(),
        actor: AuditActor::System,
        subject,
        related,
        action,
        changes,
    };
    let created = event(
        &mut r,
        AuditSubject::Client(client),
        None,
        AuditAction::ClientCreated,
        vec![
            FieldChange::personal("email", None, Some(&"sarah@acme.example")),
            FieldChange::plain("permissions", None, Some(&"projects")),
        ],
    );
    let assigned = event(
        &mut r,
        AuditSubject::Client(client),
        Some(AuditSubject::Project(project)),
        AuditAction::ClientAssigned,
        vec![],
    );
    let archived = event(&mut r, AuditSubject::Project(project), None, AuditAction::ProjectArchived, vec![]);
    let mut uow = unit(&store).await;
    for e in [&created, &assigned, &archived] {
        uow.audit().append(e).await.expect("append");
    }
    commit(uow).await;
    let error = refused!(&store, |uow| uow.audit().append(&created));
    assert!(matches!(error, RepoError::Conflict(Conflict::DuplicateId)), "{error:?}");
    let mut uow = unit(&store).await;
    let mut erased = created.clone();
    assert!(erased.erase_personal_data());
    uow.audit().rewrite_changes(&erased).await.expect("rewrite");
    commit(uow).await;
    let mut uow = unit(&store).await;
    assert_eq!(
        uow.audit().for_subject(r.workspace, AuditSubject::Client(client)).await.expect("list"),
        vec![assigned.clone(), erased]
    );
    assert_eq!(
        uow.audit().for_subject(r.workspace, AuditSubject::Project(project)).await.expect("list"),
        vec![archived, assigned]
    );
    let other = Records::new(9).workspace;
    assert!(uow.audit().for_subject(other, AuditSubject::Client(client)).await.expect("list").is_empty());
}

/// The outbox keeps a per-person log, pages newest first, and lists dead letters.
pub async fn outbox_logs_pages_and_dead_letters(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let project = r.project("Brand");
    let sarah = UserRef::Client(ClientId::from_uuid(r.id()));
    let james = UserRef::Client(ClientId::from_uuid(r.id()));
    let mut messages: Vec<_> =
        (0..5).map(|n| r.mail(if n % 2 == 0 { sarah } else { james }, "x@acme.example", &project)).collect();
    let mut uow = unit(&store).await;
    for message in &messages {
        uow.outbox().enqueue(message).await.expect("enqueue");
    }
    messages[0].attempts = 3;
    messages[0].state = DeliveryState::Dead { error: "550 no such user".into() };
    messages[1].attempts = 1;
    messages[1].state = DeliveryState::Sent { at: r.tick(), reply: "250 2.0.0 Ok: queued".into() };
    messages[2].state = DeliveryState::Retrying { next_attempt_at: r.tick(), error: "451 try later".into() };
    for message in &messages[..3] {
        uow.outbox().update(message).await.expect("update");
    }
    commit(uow).await;
    let ws = r.workspace;
    let mut uow = unit(&store).await;
    assert_eq!(uow.outbox().get(ws, messages[2].id).await.expect("get"), Some(messages[2].clone()));
    let about_sarah = uow.outbox().about(ws, sarah).await.expect("log");
    assert_eq!(about_sarah, vec![messages[4].clone(), messages[2].clone(), messages[0].clone()]);
    assert_eq!(uow.outbox().dead(ws).await.expect("dead"), vec![messages[0].clone()]);
    let first = uow.outbox().list(ws, &PageRequest::new(None, 2)).await.expect("page");
    let second = uow.outbox().list(ws, &PageRequest::new(first.next.clone(), 2)).await.expect("page");
    let third = uow.outbox().list(ws, &PageRequest::new(second.next.clone(), 2)).await.expect("page");
    let order: Vec<_> = first.items.iter().chain(&second.items).chain(&third.items).map(|m| m.id).collect();
    assert_eq!(order, messages.iter().rev().map(|m| m.id).collect::<Vec<_>>());
    assert_eq!(third.next, None);
}

/// Workers claim exactly the due messages of every workspace, once per lease, oldest first;
/// a finished try is recorded only while its claim holds.
pub async fn outbox_claims_due_messages_once_per_lease(store: Arc<dyn Store>) {
    let mut a = seeded(&store, 1).await;
    let mut b = seeded(&store, 2).await;
    let (pa, pb) = (a.project("A"), b.project("B"));
    let sarah = UserRef::Client(ClientId::from_uuid(a.id()));
    let mut messages = vec![a.mail(sarah, "q@x.example", &pa), b.mail(sarah, "q2@x.example", &pb)];
    let mut retry_later = a.mail(sarah, "r@x.example", &pa);
    let mut retry_now = a.mail(sarah, "n@x.example", &pa);
    let mut sent = a.mail(sarah, "s@x.example", &pa);
    let mut held = a.mail(sarah, "h@x.example", &pa);
    let now = a.tick();
    retry_later.state = DeliveryState::Retrying { next_attempt_at: now + Duration::minutes(5), error: "451".into() };
    retry_now.state = DeliveryState::Retrying { next_attempt_at: now, error: "451".into() };
    sent.state = DeliveryState::Sent { at: now, reply: "250 ok".into() };
    held.hold();
    messages.extend([retry_later.clone(), retry_now.clone(), sent, held.clone()]);
    let mut uow = unit(&store).await;
    for message in &messages {
        uow.outbox().enqueue(message).await.expect("enqueue");
    }
    commit(uow).await;
    let lease = now + Duration::minutes(1);
    let mut uow = unit(&store).await;
    let claimed = uow.outbox().claim_due(now, lease, false, 10).await.expect("claim");
    commit(uow).await;
    let ids: Vec<_> = claimed.iter().map(|m| m.id).collect();
    assert_eq!(ids, [messages[0].id, messages[1].id, retry_now.id], "due ones of every workspace, oldest first");
    assert!(claimed.iter().all(|m| m.state == DeliveryState::Sending { lease_until: lease }));
    let mut uow = unit(&store).await;
    assert!(uow.outbox().claim_due(now, lease, false, 10).await.expect("claim").is_empty(), "leases hold");
    let with_mailer = uow.outbox().claim_due(now, lease, true, 10).await.expect("claim");
    assert_eq!(with_mailer.iter().map(|m| m.id).collect::<Vec<_>>(), [held.id], "held mail waits for a mailer");
    commit(uow).await;
    let mut done = claimed[0].clone();
    done.record(TryOutcome::Accepted("250 2.0.0 queued".into()), now, &RetryPolicy::default(), 0);
    let mut uow = unit(&store).await;
    assert!(!uow.outbox().finish(&done, lease + Duration::seconds(1)).await.expect("finish"), "not this claim");
    assert!(uow.outbox().finish(&done, lease).await.expect("finish"));
    assert!(!uow.outbox().finish(&done, lease).await.expect("finish"), "recorded once");
    commit(uow).await;
    let mut uow = unit(&store).await;
    let later = lease + Duration::seconds(1);
    let reclaimed = uow.outbox().claim_due(later, later + Duration::minutes(1), false, 1).await.expect("claim");
    assert_eq!(reclaimed.iter().map(|m| m.id).collect::<Vec<_>>(), [messages[1].id], "expired leases, limit 1");
    assert_eq!(uow.outbox().get(a.workspace, done.id).await.expect("get"), Some(done));
}

/// Sealed link secrets round-trip byte for byte; erasing one changes nothing else; a
/// finished try erases the stored secret, and a try finishing after an erasure never brings
/// the secret back.
pub async fn outbox_keeps_sealed_links_until_erased(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let sarah = UserRef::Client(ClientId::from_uuid(r.id()));
    let project = r.project("P");
    let link_mail = |r: &mut Records, to: &str, byte: u8| {
        let mut message = r.mail(sarah, to, &project);
        let sealed = LinkSecret::Sealed(SealedSecret::from_bytes((0..=byte).collect()));
        message.content = MailContent::with_link(TokenPurpose::Invitation, sealed, r.tick());
        message
    };
    let kept = link_mail(&mut r, "a@x.example", 60);
    let erased = link_mail(&mut r, "b@x.example", 61);
    let sending = link_mail(&mut r, "c@x.example", 62);
    let mut uow = unit(&store).await;
    for message in [&kept, &erased, &sending] {
        uow.outbox().enqueue(message).await.expect("enqueue");
    }
    commit(uow).await;
    let ws = r.workspace;
    let now = r.tick();
    let lease = now + Duration::minutes(1);
    let mut uow = unit(&store).await;
    uow.outbox().erase_link(ws, erased.id).await.expect("erase");
    let claimed = uow.outbox().claim_due(now, lease, false, 10).await.expect("claim");
    assert_eq!(claimed.len(), 3);
    assert_eq!(claimed[0].content, kept.content, "sealed bytes come back as written");
    assert!(!claimed[1].keeps_link(None), "erased");
    assert_eq!(claimed[1].state, DeliveryState::Sending { lease_until: lease }, "erasing changes nothing else");
    uow.outbox().erase_link(ws, sending.id).await.expect("erased while being sent");
    let mut retried = claimed[2].clone();
    retried.record(TryOutcome::Transient("451".into()), now, &RetryPolicy::default(), 0);
    assert!(retried.keeps_link(None), "a retry keeps the secret in memory");
    assert!(uow.outbox().finish(&retried, lease).await.expect("finish"));
    let mut sent = claimed[0].clone();
    sent.record(TryOutcome::Accepted("250 ok".into()), now, &RetryPolicy::default(), 0);
    assert!(uow.outbox().finish(&sent, lease).await.expect("finish"));
    commit(uow).await;
    let mut uow = unit(&store).await;
    let after_erasure = uow.outbox().get(ws, sending.id).await.expect("get").expect("exists");
    assert!(!after_erasure.keeps_link(None), "a finishing try never restores an erased secret");
    assert_eq!(after_erasure.state, retried.state);
    let sent = uow.outbox().get(ws, kept.id).await.expect("get").expect("exists");
    assert!(!sent.keeps_link(None), "sent mail keeps no secret");
}

/// Tokens are found by hash from any workspace; revocation hits only open tokens of one
/// user (and purpose).
pub async fn tokens_by_hash_and_revocation(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let (sarah, james, _) = people(&store, &mut r).await;
    let secrets: Vec<SecretToken> = (1..=4u8).map(|n| SecretToken::from_random_bytes([n; 32])).collect();
    let now = r.tick();
    let token = |r: &mut Records, user, purpose, secret: &SecretToken| {
        OneTimeToken::issue(TokenId::from_uuid(r.id()), r.workspace, user, purpose, secret, now)
    };
    let mut used = token(&mut r, sarah, TokenPurpose::Invitation, &secrets[0]);
    let invitation = token(&mut r, sarah, TokenPurpose::Invitation, &secrets[1]);
    let reset = token(&mut r, sarah, TokenPurpose::PasswordReset, &secrets[2]);
    let jamess = token(&mut r, james, TokenPurpose::Invitation, &secrets[3]);
    let mut uow = unit(&store).await;
    for t in [&used, &invitation, &reset, &jamess] {
        uow.tokens().insert(t).await.expect("insert");
    }
    commit(uow).await;
    let mut same_hash = invitation.clone();
    same_hash.id = TokenId::from_uuid(r.id());
    let error = refused!(&store, |uow| uow.tokens().insert(&same_hash));
    assert!(matches!(error, RepoError::Conflict(Conflict::DuplicateId)), "{error:?}");
    let mut uow = unit(&store).await;
    used.consume(TokenPurpose::Invitation, now).expect("open");
    uow.tokens().update(&used).await.expect("update");
    let later = r.later(Duration::minutes(5));
    assert_eq!(
        uow.tokens().revoke_open(r.workspace, sarah, Some(TokenPurpose::Invitation), later).await.expect("revoke"),
        1
    );
    commit(uow).await;
    let mut uow = unit(&store).await;
    let found = |t: &OneTimeToken| t.hash;
    let invitation_now = uow.tokens().find_by_hash(&found(&invitation)).await.expect("find").expect("exists");
    assert_eq!(invitation_now.revoked_at, Some(later));
    assert_eq!(
        uow.tokens().find_by_hash(&found(&used)).await.expect("find"),
        Some(used),
        "used tokens stay as they are"
    );
    assert_eq!(uow.tokens().find_by_hash(&found(&reset)).await.expect("find"), Some(reset), "other purposes stay open");
    assert_eq!(uow.tokens().find_by_hash(&found(&jamess)).await.expect("find"), Some(jamess), "other users stay open");
    assert_eq!(uow.tokens().revoke_open(r.workspace, sarah, None, later).await.expect("revoke"), 1);
    let unknown = SecretToken::from_random_bytes([9; 32]).hash();
    assert_eq!(uow.tokens().find_by_hash(&unknown).await.expect("find"), None);
}

/// Sessions are found by hash, touched, ended one by one or all at once for a user.
pub async fn sessions_round_trip_and_end_per_user(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let (sarah, _, sam) = people(&store, &mut r).await;
    let now = r.tick();
    let session = |n: u8, user| Session {
        hash: SecretToken::from_random_bytes([n; 32]).hash(),
        workspace_id: r.workspace,
        user,
        created_at: now,
        last_seen_at: now,
    };
    let (a, b, c) = (session(1, sarah), session(2, sarah), session(3, sam));
    let mut uow = unit(&store).await;
    for s in [&a, &b, &c] {
        uow.sessions().insert(s).await.expect("insert");
    }
    let later = r.later(Duration::minutes(3));
    uow.sessions().touch(&a.hash, later).await.expect("touch");
    assert_eq!(uow.sessions().find_by_hash(&a.hash).await.expect("find").map(|s| s.last_seen_at), Some(later));
    uow.sessions().delete(&c.hash).await.expect("delete");
    uow.sessions().delete(&c.hash).await.expect("deleting twice is fine");
    assert!(matches!(uow.sessions().touch(&c.hash, later).await, Err(RepoError::NotFound)));
    assert_eq!(uow.sessions().delete_all_for(r.workspace, sarah).await.expect("end all"), 2);
    assert_eq!(uow.sessions().find_by_hash(&b.hash).await.expect("find"), None);
    assert_eq!(uow.sessions().delete_all_for(r.workspace, sam).await.expect("end all"), 0);
}

/// API tokens are found by hash, listed per workspace oldest first, and keep their last use
/// and revocation.
pub async fn api_tokens_round_trip_and_revoke(store: Arc<dyn Store>) {
    let mut r = seeded(&store, 1).await;
    let (_, _, sam) = people(&store, &mut r).await;
    let UserRef::Staff(staff_id) = sam else { unreachable!("people() returns staff last") };
    let mut token = |n: u8, label: &str| ApiToken {
        id: ApiTokenId::from_uuid(Uuid::from_u128(u128::from(n))),
        workspace_id: r.workspace,
        staff_id,
        label: TokenLabel::parse(label).expect("valid label"),
        hash: SecretToken::from_random_bytes([n; 32]).hash(),
        created_at: r.tick(),
        last_used_at: None,
        revoked_at: None,
    };
    let (sync, backup) = (token(1, "Accounting sync"), token(2, "Nightly backup"));
    let mut uow = unit(&store).await;
    uow.api_tokens().insert(&backup).await.expect("insert");
    uow.api_tokens().insert(&sync).await.expect("insert");
    commit(uow).await;
    let mut twin = sync.clone();
    twin.id = ApiTokenId::from_uuid(Uuid::from_u128(3));
    let error = refused!(&store, |uow| uow.api_tokens().insert(&twin));
    assert!(matches!(error, RepoError::Conflict(Conflict::DuplicateId)), "a hash is unique: {error:?}");

    let mut used = sync.clone();
    used.last_used_at = Some(r.tick());
    used.revoked_at = Some(r.tick());
    let mut uow = unit(&store).await;
    uow.api_tokens().update(&used).await.expect("update");
    assert_eq!(uow.api_tokens().find_by_hash(&sync.hash).await.expect("find"), Some(used.clone()));
    assert_eq!(uow.api_tokens().get(r.workspace, backup.id).await.expect("get"), Some(backup.clone()));
    let listed = uow.api_tokens().list(r.workspace).await.expect("list");
    assert_eq!(listed, [used, backup.clone()], "oldest first");
    let other = Records::new(2).workspace;
    assert_eq!(uow.api_tokens().get(other, backup.id).await.expect("get"), None);
    assert!(uow.api_tokens().list(other).await.expect("list").is_empty());
    let unknown = SecretToken::from_random_bytes([9; 32]).hash();
    assert_eq!(uow.api_tokens().find_by_hash(&unknown).await.expect("find"), None);
}

/// Events round-trip; notices are due by time, pending per person, and settle only once.
pub async fn activity_notices_round_trip(store: Arc<dyn Store>) {
    use portico_domain::activity::{ActivityEvent, ActivityKind, Delivery, DigestTime, NoticeState, Notification};
    use portico_domain::ids::{ActivityId, NotificationId};
    use portico_domain::world::ItemRef;
    use portico_ports::repos::DueRecipient;

    let mut r = seeded(&store, 1).await;
    let (sarah, lisa, mia) = people(&store, &mut r).await;
    let UserRef::Staff(staff) = mia else { unreachable!("people gives a staff member third") };
    let project = r.project("Brand");
    let task = r.task(project.id, staff, Visibility::Client);
    let mut uow = unit(&store).await;
    uow.projects().insert(&project).await.expect("insert");
    uow.tasks().insert(&task).await.expect("insert");
    let at = r.tick();
    let event = ActivityEvent {
        id: ActivityId::from_uuid(r.id()),
        workspace_id: r.workspace,
        project_id: Some(project.id),
        actor: mia,
        kind: ActivityKind::Shared,
        item: ItemRef::Task(task.id),
        at,
    };
    uow.activity().insert(&event).await.expect("insert");
    let notice = |r: &mut Records, user, delivery| {
        Notification::pending(
            NotificationId::from_uuid(r.id()),
            (r.workspace, event.id, at),
            user,
            delivery,
            DigestTime::at_hour(8),
        )
    };
    let soon = notice(&mut r, sarah, Delivery::Immediate);
    let digest = notice(&mut r, lisa, Delivery::DailyDigest);
    uow.notifications().insert(&[soon.clone(), digest.clone()]).await.expect("insert");
    commit(uow).await;

    let ws = r.workspace;
    let mut uow = unit(&store).await;
    assert_eq!(uow.activity().get_many(ws, &[event.id, event.id]).await.expect("events"), std::slice::from_ref(&event));
    let other = portico_domain::ids::WorkspaceId::from_uuid(Uuid::from_u128(999));
    assert!(uow.activity().get_many(other, &[event.id]).await.expect("events").is_empty());
    assert!(uow.notifications().due_recipients(at, 10).await.expect("due").is_empty(), "still gathering");
    let due = uow.notifications().due_recipients(soon.due_at, 10).await.expect("due");
    assert_eq!(due, [DueRecipient { workspace_id: ws, user: sarah }]);
    let both = uow.notifications().due_recipients(digest.due_at, 10).await.expect("due");
    assert_eq!(both.len(), 2, "the digest is due by the morning: {both:?}");
    assert_eq!(
        uow.notifications().due_recipients(digest.due_at, 1).await.expect("due"),
        due,
        "the longest waiting first"
    );
    assert_eq!(uow.notifications().pending_for(ws, lisa).await.expect("pending"), std::slice::from_ref(&digest));
    assert_eq!(uow.notifications().settle(ws, &[soon.id, digest.id], NoticeState::Sent).await.expect("settle"), 2);
    assert_eq!(
        uow.notifications().settle(ws, &[soon.id], NoticeState::Dropped).await.expect("settle"),
        0,
        "a settled notice stays as it was"
    );
    assert!(uow.notifications().pending_for(ws, sarah).await.expect("pending").is_empty());
    assert!(uow.notifications().due_recipients(digest.due_at, 10).await.expect("due").is_empty());
}

/// A feed reads newest first (time, then id), narrowed by scope and by marks on either side;
/// each person's read mark is theirs and is replaced whole.
pub async fn feeds_read_newest_first_by_scope_and_keep_read_marks(store: Arc<dyn Store>) {
    use portico_domain::activity::{ActivityEvent, ActivityKind, FeedMark};
    use portico_domain::ids::{ActivityId, ProjectId, TaskId};
    use portico_domain::world::ItemRef;
    use portico_ports::repos::{FeedQuery, FeedScope};

    let mut r = seeded(&store, 1).await;
    let (sarah, lisa, mia) = people(&store, &mut r).await;
    let (a, b) = (ProjectId::from_uuid(r.id()), ProjectId::from_uuid(r.id()));
    let (t1, t2, t3, t4) = (r.tick(), r.tick(), r.tick(), r.tick());
    let event = |r: &mut Records, project, at| ActivityEvent {
        id: ActivityId::from_uuid(r.id()),
        workspace_id: r.workspace,
        project_id: project,
        actor: mia,
        kind: ActivityKind::Shared,
        item: ItemRef::Task(TaskId::from_uuid(r.id())),
        at,
    };
    let e1 = event(&mut r, Some(a), t1);
    let e2 = event(&mut r, Some(b), t2);
    let e3 = event(&mut r, None, t3);
    let e4 = event(&mut r, Some(a), t4);
    let e5 = event(&mut r, Some(a), t4);
    let mut uow = unit(&store).await;
    // Inserted out of order: the order is the feed's, not the insertion's.
    for e in [&e5, &e2, &e1, &e4, &e3] {
        uow.activity().insert(e).await.expect("insert");
    }
    commit(uow).await;

    let ws = r.workspace;
    let mut uow = unit(&store).await;
    let query = |scope: FeedScope, before: Option<&ActivityEvent>, after: Option<&ActivityEvent>, limit| FeedQuery {
        scope,
        before: before.map(FeedMark::of),
        after: after.map(FeedMark::of),
        limit,
    };
    let projects = |ids: &[ProjectId], unscoped| FeedScope::Projects { ids: ids.to_vec(), unscoped };
    let cases = [
        (query(FeedScope::Workspace, None, None, 10), vec![&e5, &e4, &e3, &e2, &e1]),
        (query(FeedScope::Workspace, None, None, 2), vec![&e5, &e4]),
        (query(projects(&[a], false), None, None, 10), vec![&e5, &e4, &e1]),
        (query(projects(&[a], true), None, None, 10), vec![&e5, &e4, &e3, &e1]),
        (query(projects(&[a, b], false), None, None, 10), vec![&e5, &e4, &e2, &e1]),
        (query(projects(&[], true), None, None, 10), vec![&e3]),
        (query(projects(&[], false), None, None, 10), vec![]),
        (query(FeedScope::Workspace, Some(&e5), None, 10), vec![&e4, &e3, &e2, &e1]),
        (query(FeedScope::Workspace, Some(&e4), None, 10), vec![&e3, &e2, &e1]),
        (query(FeedScope::Workspace, None, Some(&e2), 10), vec![&e5, &e4, &e3]),
        (query(FeedScope::Workspace, None, Some(&e4), 10), vec![&e5]),
        (query(projects(&[a], false), Some(&e5), Some(&e1), 10), vec![&e4]),
    ];
    for (query, expected) in cases {
        let found = uow.activity().feed(ws, &query).await.expect("a feed");
        let expected: Vec<ActivityEvent> = expected.into_iter().cloned().collect();
        assert_eq!(found, expected, "{query:?}");
        assert!(found.iter().all(|e| query.holds(e)), "the port's definition agrees");
    }
    let other = portico_domain::ids::WorkspaceId::from_uuid(Uuid::from_u128(999));
    assert!(uow.activity().feed(other, &query(FeedScope::Workspace, None, None, 10)).await.expect("feed").is_empty());

    assert_eq!(uow.activity().read_mark(ws, sarah).await.expect("a mark"), None, "nothing read yet");
    uow.activity().advance_read_mark(ws, sarah, FeedMark::of(&e2)).await.expect("marked");
    uow.activity().advance_read_mark(ws, sarah, FeedMark::of(&e4)).await.expect("marked again");
    commit(uow).await;
    let mut uow = unit(&store).await;
    assert_eq!(uow.activity().read_mark(ws, sarah).await.expect("a mark"), Some(FeedMark::of(&e4)));
    uow.activity().advance_read_mark(ws, sarah, FeedMark::of(&e2)).await.expect("a stale page marks");
    assert_eq!(uow.activity().read_mark(ws, sarah).await.expect("a mark"), Some(FeedMark::of(&e4)), "never back");
    assert_eq!(uow.activity().read_mark(ws, lisa).await.expect("a mark"), None, "each person's own");
    assert_eq!(uow.activity().read_mark(other, sarah).await.expect("a mark"), None);
}

/// Choices are replaced whole; a notice mail keeps its lines, odd characters and all; the
/// workspace keeps its notification defaults and digest hour.
pub async fn notification_choices_and_notice_mails_round_trip(store: Arc<dyn Store>) {
    use portico_domain::activity::{ActivityKind, Category, Delivery, DigestTime, Preferences};
    use portico_domain::mail::NoticeLine;

    let mut r = seeded(&store, 1).await;
    let (sarah, _, mia) = people(&store, &mut r).await;
    let project = r.project("Brand");
    let ws = r.workspace;
    let at = r.tick();
    let mut uow = unit(&store).await;
    let mut choices = Preferences { all_projects: true, ..Preferences::default() };
    choices.choose(Category::Files, Delivery::Off);
    choices.choose(Category::Approvals, Delivery::DailyDigest);
    uow.preferences().put(ws, mia, &choices).await.expect("put");
    assert_eq!(uow.preferences().get_many(ws, &[mia, sarah]).await.expect("get"), [(mia, choices)]);
    let fewer = Preferences::default();
    uow.preferences().put(ws, mia, &fewer).await.expect("put");
    assert_eq!(uow.preferences().get_many(ws, &[mia]).await.expect("get"), [(mia, fewer)], "replaced whole");

    let line = NoticeLine {
        kind: ActivityKind::Commented,
        category: Category::Messages,
        actor: portico_domain::text::PersonName::parse("Mia Park").expect("a name"),
        project: Some(project.details.name.clone()),
        title: "Tabs\tand\nlines \\ backslashes".to_owned(),
        path: format!("/portal/projects/{}", project.id),
        at,
    };
    let unnamed = NoticeLine { project: None, kind: ActivityKind::InvoiceSent, ..line.clone() };
    let content = MailContent::Notice { digest: true, lines: vec![line, unnamed] };
    let email = EmailAddress::parse("sarah@acme.example").expect("an address");
    let name = portico_domain::text::PersonName::parse("Sarah Chen").expect("a name");
    let mail = OutboxMessage::queued(
        portico_domain::ids::OutboxId::from_uuid(r.id()),
        ws,
        Some(sarah),
        (&email, &name),
        content,
        at,
    );
    uow.outbox().enqueue(&mail).await.expect("enqueue");
    commit(uow).await;
    let mut uow = unit(&store).await;
    assert_eq!(uow.outbox().get(ws, mail.id).await.expect("get"), Some(mail));

    // The workspace keeps its defaults and digest hour.
    let mut workspace = uow.workspaces().get(ws).await.expect("get").expect("the workspace");
    workspace.settings.notification_defaults.set(true, Category::Files, Delivery::Off);
    workspace.settings.notification_defaults.set(false, Category::Invoices, Delivery::DailyDigest);
    workspace.settings.digest = DigestTime::at_hour(17);
    uow.workspaces().update(&workspace).await.expect("update");
    commit(uow).await;
    let mut uow = unit(&store).await;
    assert_eq!(uow.workspaces().get(ws).await.expect("get"), Some(workspace));
}
