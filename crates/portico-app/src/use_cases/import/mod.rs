//! Bulk import of client profiles, checked as a whole before anything is written.
//!
//! Every row is parsed and checked first — fields, addresses repeated within the file,
//! addresses already in use — and every problem is reported with its row. A real run writes
//! only when there is no problem at all, in one unit of work, so an import is all or nothing.
//! In upsert mode a row whose address belongs to an existing client updates that client
//! instead, so running the same file twice adds nobody.

pub mod csv;

use std::collections::HashMap;

use portico_domain::client::Client;
use portico_domain::email::EmailAddress;
use portico_domain::status::ClientStatus;

use crate::Portico;
use crate::actor::Actor;
use crate::error::AppResult;
use crate::forms::ClientEditForm;
use crate::support::Work;

/// One data row of an import, as typed. A field that is `None` was not in the file: a new
/// client goes without it, an existing one keeps its value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportRow {
    /// The row's number as people count it in the file (the header is row 1).
    pub row: usize,
    /// The row's fields.
    pub fields: ClientEditForm,
}

/// What to do with a row whose address already belongs to a client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ImportMode {
    /// Refuse the row: every row must be a new client.
    #[default]
    Create,
    /// Update that client from the row.
    Upsert,
}

impl ImportMode {
    /// Both modes.
    pub const ALL: [Self; 2] = [Self::Create, Self::Upsert];

    /// The name the API and the import form use.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Upsert => "upsert",
        }
    }
}

/// How to run an import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Create-only or create-or-update.
    pub mode: ImportMode,
    /// Check and report, write nothing.
    pub dry_run: bool,
    /// Send new clients their invitations.
    pub invite: bool,
}

/// A problem with one field of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// The row, as numbered in [`ImportRow::row`].
    pub row: usize,
    /// The column.
    pub field: String,
    /// What is wrong, for people.
    pub message: String,
}

/// What a good row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOutcome {
    /// Creates a client.
    Create,
    /// Changes the client with the row's address.
    Update,
    /// Matches the client with the row's address exactly.
    Unchanged,
}

/// The outcome of an import (or of its dry run).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Rows that create a client.
    pub created: usize,
    /// Rows that change an existing client.
    pub updated: usize,
    /// Rows that match an existing client exactly.
    pub unchanged: usize,
    /// Everything wrong, row by row. Non-empty means nothing was written.
    pub problems: Vec<ImportProblem>,
    /// What each good row does (or did), by row.
    pub outcomes: Vec<(usize, RowOutcome)>,
    /// Whether the changes were written (false for dry runs and refused imports).
    pub applied: bool,
}

/// How far an import has come, for progress displays: rows are first all checked, then (in
/// a real run without problems) all written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStep {
    /// This many rows are checked.
    Checked(usize),
    /// This many rows are written.
    Written(usize),
}

/// What a checked row will do.
enum Plan {
    Create(crate::NewClient),
    Update(Box<Client>, portico_domain::client::ClientEdit),
    Unchanged,
}

impl Portico {
    /// Imports client rows. Admins only.
    ///
    /// # Errors
    /// `Forbidden` for non-admins; storage failures. Problems with the rows are not errors:
    /// they are in the report, and nothing is written.
    pub async fn import_clients(
        &self,
        actor: &Actor,
        rows: Vec<ImportRow>,
        options: ImportOptions,
        progress: &(dyn Fn(ImportStep) + Sync),
    ) -> AppResult<ImportReport> {
        let mut work =
            if options.dry_run { self.begin_read(actor.workspace).await? } else { self.begin(actor.workspace).await? };
        let admin = work.admin(actor).await?;
        let (plans, mut report) = plan_rows(&mut work, rows, options, progress).await?;
        if options.dry_run || !report.problems.is_empty() {
            return Ok(report);
        }
        for (written, plan) in plans.into_iter().enumerate() {
            match plan {
                Plan::Create(new) => {
                    self.insert_client(&mut work, &admin, new).await?;
                }
                Plan::Update(mut client, edit) => {
                    self.apply_client_edit(&mut work, &admin, &mut client, edit).await?;
                }
                Plan::Unchanged => {}
            }
            progress(ImportStep::Written(written + 1));
        }
        work.commit().await?;
        report.applied = true;
        Ok(report)
    }

    /// Every client that is not deleted, by name: the rows of an export. Admins only.
    ///
    /// # Errors
    /// `Forbidden` for non-admins.
    pub async fn export_clients(&self, actor: &Actor) -> AppResult<Vec<Client>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        let mut clients = work.uow.clients().list_all(actor.workspace).await?;
        clients.retain(|client| client.status() != ClientStatus::Deleted);
        clients.sort_by_key(|client| (client.name().sort_key(), client.id()));
        Ok(clients)
    }
}

/// Who already has an address of the file.
enum InUse {
    Staff,
    Client(Box<Client>),
}

/// Rows whose addresses are looked up in one statement: big enough that a large file costs a
/// few hundred lookups, not one per row; small enough for any engine's statement limits.
const LOOKUP_BATCH: usize = 500;

/// The file's addresses that belong to a staff member or a (non-deleted) client, by
/// normalised address, found with one lookup per batch of rows instead of one per row.
async fn addresses_in_use(work: &mut Work, rows: &[ImportRow]) -> AppResult<HashMap<String, InUse>> {
    let ws = work.workspace();
    let mut in_use: HashMap<String, InUse> = HashMap::new();
    for staff in work.uow.staff().list(ws).await? {
        in_use.insert(staff.email.normalized().to_owned(), InUse::Staff);
    }
    let emails: Vec<EmailAddress> =
        rows.iter().filter_map(|row| EmailAddress::parse(row.fields.email.as_deref()?).ok()).collect();
    for batch in emails.chunks(LOOKUP_BATCH) {
        for client in work.uow.clients().find_by_emails(ws, batch).await? {
            in_use.entry(client.email().normalized().to_owned()).or_insert(InUse::Client(Box::new(client)));
        }
    }
    Ok(in_use)
}

/// Checks every row and decides what it will do, collecting every problem.
async fn plan_rows(
    work: &mut Work,
    rows: Vec<ImportRow>,
    options: ImportOptions,
    progress: &(dyn Fn(ImportStep) + Sync),
) -> AppResult<(Vec<Plan>, ImportReport)> {
    let mut report = ImportReport::default();
    let mut plans = Vec::with_capacity(rows.len());
    let mut first_row_of: HashMap<EmailAddress, usize> = HashMap::new();
    let total = rows.len();
    let mut in_use = addresses_in_use(work, &rows).await?;
    for (checked, ImportRow { row, fields }) in rows.into_iter().enumerate() {
        progress(ImportStep::Checked(checked));
        let mut problem = |field: &str, message: String| {
            report.problems.push(ImportProblem { row, field: field.to_owned(), message });
        };
        let email = match EmailAddress::parse_contact(fields.email.as_deref().unwrap_or_default()) {
            Ok(email) => email,
            Err(error) => {
                // Report the row's other field problems too, so one pass finds them all.
                let others = fields.parse().err().unwrap_or_default();
                others
                    .errors()
                    .iter()
                    .filter(|e| e.field != "email")
                    .for_each(|e| problem(&e.field, e.message.clone()));
                problem("email", error.to_string());
                continue;
            }
        };
        if let Some(first) = first_row_of.insert(email.clone(), row) {
            problem("email", format!("is already on row {first} of this file"));
            continue;
        }
        // An address reaches this point once (repeats were refused above): take its owner.
        let existing = match in_use.remove(email.normalized()) {
            Some(InUse::Staff) => {
                problem("email", "belongs to a staff member".to_owned());
                continue;
            }
            Some(InUse::Client(client)) => Some(*client),
            None => None,
        };
        let plan = match (existing, options.mode) {
            (Some(_), ImportMode::Create) => {
                problem("email", "belongs to an existing client (import in upsert mode to update it)".to_owned());
                continue;
            }
            (Some(client), ImportMode::Upsert) => match fields.parse() {
                Ok(edit) => {
                    let mut preview = client.clone();
                    let changes = preview.apply_edit(edit.clone(), work.now);
                    match changes {
                        Ok(changes) if changes.is_empty() => Plan::Unchanged,
                        Ok(_) => Plan::Update(Box::new(client), edit),
                        Err(rule) => {
                            problem("email", rule.to_string());
                            continue;
                        }
                    }
                }
                Err(errors) => {
                    errors.errors().iter().for_each(|e| problem(&e.field, e.message.clone()));
                    continue;
                }
            },
            (None, _) => match fields.to_new_client(options.invite).parse() {
                Ok(new) => Plan::Create(new),
                Err(errors) => {
                    errors.errors().iter().for_each(|e| problem(&e.field, e.message.clone()));
                    continue;
                }
            },
        };
        let outcome = match plan {
            Plan::Create(_) => RowOutcome::Create,
            Plan::Update(..) => RowOutcome::Update,
            Plan::Unchanged => RowOutcome::Unchanged,
        };
        match outcome {
            RowOutcome::Create => report.created += 1,
            RowOutcome::Update => report.updated += 1,
            RowOutcome::Unchanged => report.unchanged += 1,
        }
        report.outcomes.push((row, outcome));
        plans.push(plan);
    }
    progress(ImportStep::Checked(total));
    Ok((plans, report))
}
