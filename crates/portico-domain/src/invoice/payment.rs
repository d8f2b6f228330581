//! Payments received against an invoice.

use time::{Date, OffsetDateTime};

use crate::ids::{InvoiceId, PaymentId};
use crate::money::Money;
use crate::names::named_enum;
use crate::text::bounded_text;

bounded_text!(
    /// What identifies a payment on the agency's side: a bank reference, a receipt number.
    PaymentReference, max = 200, lines = Single
);

named_enum! {
    /// How a payment was made.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum PaymentMethod {
        /// A bank transfer.
        BankTransfer => "bank_transfer",
        /// A card payment.
        Card => "card",
        /// Cash.
        Cash => "cash",
        /// Anything else.
        Other => "other",
    }
}

impl PaymentMethod {
    /// The method as people say it.
    pub const fn label(self) -> &'static str {
        match self {
            Self::BankTransfer => "Bank transfer",
            Self::Card => "Card",
            Self::Cash => "Cash",
            Self::Other => "Other",
        }
    }
}

/// A payment as it is recorded: what the person entering it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentInput {
    /// How much, in the invoice's currency.
    pub amount: Money,
    /// The day the money arrived.
    pub paid_on: Date,
    /// How it was paid.
    pub method: PaymentMethod,
    /// The agency's reference for it.
    pub reference: Option<PaymentReference>,
}

/// A payment recorded against an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// Identity.
    pub id: PaymentId,
    /// The invoice it pays.
    pub invoice_id: InvoiceId,
    /// Amount, date, method and reference.
    pub input: PaymentInput,
    /// When it was recorded.
    pub recorded_at: OffsetDateTime,
}
