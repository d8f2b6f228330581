//! A client's statement of account: every issued invoice addressed to them, each payment and
//! each void, in the order they happened, with the running balance, one ledger per currency.

use std::collections::BTreeMap;

use time::Date;

use super::{Invoice, InvoiceNumber, InvoiceStatus, PaymentMethod, PaymentReference};
use crate::ids::InvoiceId;
use crate::money::{Currency, Money};

/// What an entry of the statement records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// The invoice was issued: its total is owed.
    Issued {
        /// When it is due.
        due: Option<Date>,
    },
    /// A payment against it arrived.
    Paid {
        /// How.
        method: PaymentMethod,
        /// The agency's reference.
        reference: Option<PaymentReference>,
    },
    /// It was voided: what was still owed on it is cancelled.
    Voided,
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementEntry {
    /// The day it happened.
    pub on: Date,
    /// The invoice it concerns.
    pub invoice: InvoiceId,
    /// That invoice's number.
    pub number: InvoiceNumber,
    /// What happened.
    pub kind: EntryKind,
    /// What it adds to the balance: positive when owed, negative when paid or cancelled.
    pub amount: Money,
    /// The balance after it.
    pub balance: Money,
}

/// The statement of one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    /// The currency.
    pub currency: Currency,
    /// Oldest first.
    pub entries: Vec<StatementEntry>,
    /// The totals of the invoices issued.
    pub invoiced: Money,
    /// The payments received.
    pub paid: Money,
    /// What is owed now: the last entry's balance, and the sum of the invoices' balances.
    pub owed: Money,
}

/// Where an entry goes in a ledger: the day, then an invoice before its payments before its
/// void, then the invoice.
type Place = (Date, u8, InvoiceId);

/// A ledger being gathered: its entries with their places, and the sums of totals and
/// payments in minor units.
struct Book {
    currency: Currency,
    placed: Vec<(Place, StatementEntry)>,
    invoiced: i64,
    paid: i64,
}

impl Book {
    /// The ledger: entries in order, each with the balance after it.
    fn close(mut self) -> Ledger {
        let currency = self.currency;
        self.placed.sort_by_key(|(place, _)| *place);
        let mut running = 0;
        let entries = self
            .placed
            .into_iter()
            .map(|(_, mut entry)| {
                running += entry.amount.minor();
                entry.balance = Money::new(running, currency);
                entry
            })
            .collect();
        Ledger {
            currency,
            entries,
            invoiced: Money::new(self.invoiced, currency),
            paid: Money::new(self.paid, currency),
            owed: Money::new(running, currency),
        }
    }
}

/// The ledgers of `invoices` (drafts are left out: nothing is owed on them yet), one per
/// currency in the order of their codes.
pub fn statement<'a>(invoices: impl IntoIterator<Item = &'a Invoice>) -> Vec<Ledger> {
    let mut books: BTreeMap<&'static str, Book> = BTreeMap::new();
    for invoice in invoices.into_iter().filter(|i| i.status() != InvoiceStatus::Draft) {
        let (Some(number), Some(issued)) = (invoice.number(), invoice.draft().issue_date) else { continue };
        let currency = invoice.currency();
        let mut events = vec![(issued, 0, EntryKind::Issued { due: invoice.due_date() }, invoice.total().minor())];
        for payment in invoice.payments() {
            let kind = EntryKind::Paid { method: payment.input.method, reference: payment.input.reference.clone() };
            events.push((payment.input.paid_on, 1, kind, -payment.input.amount.minor()));
        }
        if let (InvoiceStatus::Void, Some(at)) = (invoice.status(), invoice.voided_at()) {
            events.push((at.date(), 2, EntryKind::Voided, invoice.paid().minor() - invoice.total().minor()));
        }
        let book =
            books.entry(currency.code()).or_insert_with(|| Book { currency, placed: Vec::new(), invoiced: 0, paid: 0 });
        book.invoiced += invoice.total().minor();
        book.paid += invoice.paid().minor();
        for (on, order, kind, amount) in events {
            let entry = StatementEntry {
                on,
                invoice: invoice.id(),
                number: number.clone(),
                kind,
                amount: Money::new(amount, currency),
                balance: Money::zero(currency),
            };
            book.placed.push(((on, order, invoice.id()), entry));
        }
    }
    books.into_values().map(Book::close).collect()
}
