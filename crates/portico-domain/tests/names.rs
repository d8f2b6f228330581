//! The lists of names the domain publishes (`ALL`), which the API's description offers as
//! the only values: each lists every variant exactly once, each name reads back as its
//! value, and a name is found whatever its case.

use portico_domain::approval::ApprovalDecision;
use portico_domain::content::{TaskState, Visibility};
use portico_domain::invoice::{InvoiceStatus, PaymentMethod};
use portico_domain::money::Locale;
use portico_domain::permissions::{Permission, Preset};
use portico_domain::project::ProjectStatus;
use portico_domain::staff::Role;
use portico_domain::status::ClientStatus;
use portico_domain::visibility::ItemKind;

/// Checks `$ty::ALL` against the variants written here. The match has no wildcard, so a new
/// variant does not compile until it is added here, and then fails until it is in `ALL`.
macro_rules! listed_in_full {
    ($ty:ident: $($variant:ident),+) => {{
        let name = |value: $ty| match value { $($ty::$variant => stringify!($variant)),+ };
        assert_eq!($ty::ALL.map(name), [$(stringify!($variant)),+], "{} lists every variant once", stringify!($ty));
    }};
}

/// Each published name parses back to its value, and no two values share a name.
macro_rules! names_read_back {
    ($($ty:ident),+) => {$(
        for value in $ty::ALL {
            assert_eq!(value.as_str().parse::<$ty>().ok(), Some(value), "{}", value.as_str());
        }
        let mut names: Vec<&str> = $ty::ALL.iter().map(|value| value.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), $ty::ALL.len(), "{} names are distinct", stringify!($ty));
    )+};
}

#[test]
fn every_list_holds_every_variant_once() {
    listed_in_full!(Visibility: Internal, Client);
    listed_in_full!(TaskState: Open, InProgress, Done);
    listed_in_full!(ApprovalDecision: Approved, ChangesRequested);
    listed_in_full!(InvoiceStatus: Draft, Sent, PartiallyPaid, Paid, Void);
    listed_in_full!(PaymentMethod: BankTransfer, Card, Cash, Other);
    listed_in_full!(Locale: EnUs, EnGb, DeDe, DeCh, FrFr, NlNl, EsEs, ItIt);
    listed_in_full!(ClientStatus: Invited, Active, Deactivated, Deleted);
    listed_in_full!(ProjectStatus: Active, Archived);
    listed_in_full!(Role: Admin, Member);
    listed_in_full!(ItemKind: Project, Task, File, Message, Approval, Invoice);
    listed_in_full!(Permission: Projects, Tasks, Files, Messages, Approvals, Invoices, Payments);
    listed_in_full!(Preset: FullAccess, Collaborator, BillingOnly, OverviewOnly);
}

#[test]
fn every_name_reads_back_as_its_value() {
    names_read_back!(Visibility, TaskState, ApprovalDecision, InvoiceStatus, ClientStatus, ProjectStatus, Role);
    names_read_back!(Permission, Preset);
    let kinds: Vec<&str> = ItemKind::ALL.iter().map(|kind| kind.as_str()).collect();
    assert_eq!(kinds, ["project", "task", "file", "message", "approval", "invoice"]);
}

#[test]
fn a_name_is_found_whatever_its_case_and_the_space_around_it() {
    assert_eq!(TaskState::from_name(" In_Progress\t"), Some(TaskState::InProgress));
    assert_eq!(ItemKind::from_name("FILE"), Some(ItemKind::File));
    assert_eq!(Visibility::from_name("clients"), None);
    assert_eq!(Visibility::from_name(""), None);
    assert_eq!(Role::from_name("admin member"), None);
    assert_eq!(TaskState::InProgress.to_string(), "in_progress");
}
