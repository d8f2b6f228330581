//! The mails an invoice sends its client — the invoice itself, payment reminders, payment
//! receipts — and the rule for whether one may go.
//!
//! An invoice mail is addressed to the client the invoice is addressed to, never to others
//! who see it on a project (they hear of it by a notice, if they want to). What it shows is
//! the invoice as that client sees it in the portal ([`PortalInvoice`]), decided when the
//! mail is queued and decided again when it is delivered: an invoice paid or voided in
//! between gets no reminder, a receipt needs the `payments` permission, and a client who no
//! longer sees the invoice gets nothing.

use crate::ids::PaymentId;
use crate::invoice::{Invoice, PaymentInput};
use crate::portal::{PortalInvoice, invoices};
use crate::text::ProjectName;
use crate::visibility::Viewer;

/// Which invoice mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Letter {
    /// The invoice, just sent, with its PDF.
    Issued,
    /// A payment reminder on its day of the schedule (relative to the due date).
    Reminder {
        /// The day, relative to the due date.
        days: i16,
    },
    /// A payment was received.
    Receipt {
        /// The payment.
        payment: PaymentId,
    },
}

impl Letter {
    /// Whether the mail carries the invoice's PDF.
    pub const fn attaches_pdf(self) -> bool {
        matches!(self, Self::Issued | Self::Reminder { .. })
    }
}

/// Why an invoice mail may not go (or no longer may).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Withheld {
    /// The recipient is not the addressee, or no longer sees the invoice.
    #[error("the recipient no longer sees the invoice")]
    NotShown,
    /// A reminder for an invoice that is paid or void.
    #[error("the invoice is paid or void")]
    Settled,
    /// A receipt for a client without the `payments` permission.
    #[error("the recipient does not see payments")]
    PaymentsHidden,
    /// A receipt for a payment that was removed.
    #[error("the payment was removed")]
    PaymentRemoved,
}

/// What an invoice mail shows: the invoice as its addressee sees it, and for a receipt the
/// payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLetter {
    /// The invoice as the addressee sees it in the portal.
    pub invoice: PortalInvoice,
    /// The payment a receipt is for.
    pub payment: Option<PaymentInput>,
}

/// The `letter` about `invoice` for `viewer`, as things are now, or why it must not go.
///
/// # Errors
/// [`Withheld`]: the viewer is not the addressee or does not see the invoice; a reminder for
/// an invoice that is no longer open; a receipt without `payments`, or for a removed payment.
pub fn letter(
    viewer: &Viewer<'_>,
    invoice: &Invoice,
    project: Option<&ProjectName>,
    letter: Letter,
) -> Result<InvoiceLetter, Withheld> {
    if invoice.client_id() != viewer.client().id() {
        return Err(Withheld::NotShown);
    }
    let shown = invoices(viewer, [invoice], |_| project).pop().ok_or(Withheld::NotShown)?;
    let payment = match letter {
        Letter::Reminder { .. } if !invoice.status().is_open() => return Err(Withheld::Settled),
        Letter::Issued | Letter::Reminder { .. } => None,
        Letter::Receipt { .. } if shown.payments.is_none() => return Err(Withheld::PaymentsHidden),
        Letter::Receipt { payment } => {
            let found = invoice.payments().iter().find(|p| p.id == payment);
            Some(found.ok_or(Withheld::PaymentRemoved)?.input.clone())
        }
    };
    Ok(InvoiceLetter { invoice: shown, payment })
}
