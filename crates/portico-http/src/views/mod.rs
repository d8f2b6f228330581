//! What the API answers: plain JSON shapes built from domain values. Ids are UUID strings,
//! instants RFC 3339 in UTC, dates `YYYY-MM-DD`, money in minor units with its currency.
//! Views are the API's contract; domain types stay free of serialisation concerns.

mod auth;
mod content;
mod insight;
mod invoices;
mod people;
mod portal;
mod projects;

use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

pub use auth::{ApiTokenView, CreatedTokenView, ResetAccepted};
pub use content::{ApprovalAnswerView, ApprovalView, AuthorView, FileView, MessageView, TaskView};
pub use insight::{
    AuditEventView, CompanyView, DeliveryView, ExplanationView, FieldChangeView, ImpactView, ImportProblemView,
    ImportReportView, ReviewView,
};
pub use invoices::{
    BillingView, DiscountView, InvoiceLineView, InvoiceView, IssuerView, LedgerView, MoneyView, PaymentView,
    StatementEntryView, TaxView, TotalsView,
};
pub use people::{ClientCreatedView, ClientDetailView, ClientView, MeView, StaffView, WarningView};
pub use portal::{
    AnswerView, PortalAnswerView, PortalApprovalView, PortalBilledToView, PortalFileView, PortalInvoiceView,
    PortalMessageView, PortalProjectSummaryView, PortalProjectView, PortalTaskView,
};
pub use projects::{AssignmentView, MembershipView, ProjectDetailView, ProjectView};

/// Whether the server can serve.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` when storage cannot be reached.
    pub status: String,
}

/// A list: one page of items and the cursor of the next page (`null` on the last).
#[derive(Debug, Serialize, ToSchema)]
pub struct List<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; `null` when this is the last.
    pub next_cursor: Option<String>,
}

impl<T> List<T> {
    /// A list that is complete in one page.
    pub fn all(items: Vec<T>) -> Self {
        Self { items, next_cursor: None }
    }
}

/// An instant as RFC 3339.
pub(crate) fn instant(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_else(|_| at.to_string())
}

/// An optional instant as RFC 3339.
pub(crate) fn maybe_instant(at: Option<OffsetDateTime>) -> Option<String> {
    at.map(instant)
}

/// A calendar date as `YYYY-MM-DD`.
pub(crate) fn date(day: Date) -> String {
    let (year, month, day) = (day.year(), u8::from(day.month()), day.day());
    format!("{year:04}-{month:02}-{day:02}")
}

/// An optional date as `YYYY-MM-DD`.
pub(crate) fn maybe_date(day: Option<Date>) -> Option<String> {
    day.map(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn instants_and_dates_use_the_documented_formats() {
        let at = datetime!(2026-03-02 09:05:07.25 UTC);
        assert_eq!(instant(at), "2026-03-02T09:05:07.25Z");
        assert_eq!(date(at.date()), "2026-03-02");
    }
}
