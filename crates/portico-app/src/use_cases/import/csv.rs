//! Clients, invoices and payments as CSV: reading an import file into rows, and writing an export that spreadsheet
//! programs open safely.
//!
//! The columns are `name`, `email`, `company`, `phone`, `billing_address`, `notes` and
//! `permissions` (a preset such as `collaborator`, or permission names separated by `;`).
//! Only `name` and `email` are required. An export adds `status`, `created_at` and
//! `last_login_at`, which an import ignores, so an exported file imports again unchanged.
//!
//! Invoices and their payments are exported here too, each a file of its own
//! ([`write_invoices`], [`write_payments`]), defused the same way.

use portico_domain::client::Client;
use portico_domain::company::CompanyName;
use portico_domain::invoice::Invoice;
use portico_domain::permissions::{Permission, Preset};
use portico_domain::phone::Phone;
use portico_domain::text::{BillingAddress, InternalNotes};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use crate::forms::{ClientEditForm, PermissionsInput};
use crate::use_cases::{ImportProblem, ImportRow};

/// The columns an import reads.
pub const IMPORT_COLUMNS: [&str; 7] = ["name", "email", "company", "phone", "billing_address", "notes", "permissions"];
/// Columns of an export that an import skips.
const EXPORT_ONLY: [&str; 3] = ["status", "created_at", "last_login_at"];

/// Reads an import file. A header row is required; every data row becomes an [`ImportRow`]
/// numbered as a spreadsheet shows it (the header is row 1).
///
/// # Errors
/// Problems that make the file unreadable as a whole — not UTF-8, no header, a missing or
/// unknown column, a row with the wrong number of cells — each with its row.
pub fn read_import(bytes: &[u8]) -> Result<Vec<ImportRow>, Vec<ImportProblem>> {
    let problem = |row: usize, field: &str, message: String| ImportProblem { row, field: field.to_owned(), message };
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| vec![problem(1, "file", "is not UTF-8 text; save it as \"CSV UTF-8\"".to_owned())])?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| vec![problem(1, "file", format!("has no readable header row: {e}"))])?
        .iter()
        .map(|h| h.to_ascii_lowercase().replace(' ', "_"))
        .collect();
    check_headers(&headers)
        .map_err(|problems| problems.into_iter().map(|(f, m)| problem(1, &f, m)).collect::<Vec<_>>())?;

    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        match record {
            Ok(record) => {
                let cell = |column: &str| -> Option<String> {
                    let at = headers.iter().position(|h| h == column)?;
                    Some(record.get(at).unwrap_or_default().to_owned())
                };
                rows.push(ImportRow { row, fields: row_fields(&cell) });
            }
            Err(error) => problems.push(problem(row, "row", format!("cannot be read: {error}"))),
        }
    }
    if problems.is_empty() { Ok(rows) } else { Err(problems) }
}

fn check_headers(headers: &[String]) -> Result<(), Vec<(String, String)>> {
    let mut problems = Vec::new();
    for required in ["name", "email"] {
        if !headers.iter().any(|h| h == required) {
            problems.push((required.to_owned(), "column is missing from the header row".to_owned()));
        }
    }
    for (i, header) in headers.iter().enumerate() {
        if !IMPORT_COLUMNS.contains(&header.as_str()) && !EXPORT_ONLY.contains(&header.as_str()) {
            let known = IMPORT_COLUMNS.join(", ");
            problems.push((header.clone(), format!("is not a column Portico knows (known: {known})")));
        } else if headers[..i].contains(header) {
            problems.push((header.clone(), "column appears twice".to_owned()));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// The fields of one row: a column absent from the file is `None` (kept on update), a blank
/// optional cell clears the field.
fn row_fields(cell: &dyn Fn(&str) -> Option<String>) -> ClientEditForm {
    let optional = |column: &str| cell(column).map(|v| Some(v).filter(|v| !v.is_empty()));
    ClientEditForm {
        name: cell("name"),
        email: cell("email"),
        company: optional("company"),
        phone: optional("phone"),
        billing_address: optional("billing_address"),
        notes: optional("notes"),
        permissions: cell("permissions").map(|text| permissions_input(&text)),
    }
}

/// `collaborator` is a preset; `projects; tasks; files` (or commas) are names; blank is none.
fn permissions_input(text: &str) -> PermissionsInput {
    let names: Vec<String> =
        text.split([';', ',']).map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned).collect();
    match names.as_slice() {
        [single] if single.parse::<Preset>().is_ok() => PermissionsInput::Preset(single.clone()),
        _ => PermissionsInput::Names(names),
    }
}

/// Writes clients as CSV. Cells that a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) are prefixed with `'`.
pub fn write_export(clients: &[Client]) -> String {
    let header: Vec<&str> = IMPORT_COLUMNS.iter().chain(EXPORT_ONLY.iter()).copied().collect();
    let rows = clients.iter().map(|client| {
        let profile = client.profile();
        let permissions = match client.permissions().matching_preset() {
            Some(preset) => preset.as_str().to_owned(),
            None => client.permissions().iter().map(Permission::as_str).collect::<Vec<_>>().join(";"),
        };
        let text = |value: Option<&str>| value.unwrap_or_default().to_owned();
        let record = [
            profile.name.as_str().to_owned(),
            profile.email.as_str().to_owned(),
            text(profile.company.as_ref().map(CompanyName::as_str)),
            text(profile.phone.as_ref().map(Phone::as_str)),
            text(profile.billing_address.as_ref().map(BillingAddress::as_str)),
            text(profile.notes.as_ref().map(InternalNotes::as_str)),
            permissions,
            client.status().as_str().to_owned(),
            instant(client.created_at()),
            client.last_login_at().map(instant).unwrap_or_default(),
        ];
        record.to_vec()
    });
    write_rows(&header, rows)
}

/// Writes invoices as CSV, one row each: amounts as plain decimals in the invoice's currency
/// (`2835.31`), dates as `YYYY-MM-DD`, `overdue` judged on `today`; `client` names the
/// client each is addressed to (the billing snapshot's name once it is sent). Cells are
/// defused as in [`write_export`].
pub fn write_invoices(invoices: &[Invoice], today: Date, client: impl Fn(&Invoice) -> String) -> String {
    let header = [
        "number",
        "status",
        "overdue",
        "client",
        "currency",
        "issue_date",
        "due_date",
        "subtotal",
        "discount",
        "tax",
        "total",
        "paid",
        "balance",
        "sent_at",
        "void_reason",
    ];
    let rows = invoices.iter().map(|invoice| {
        let totals = invoice.totals();
        vec![
            invoice.number().map(|n| n.as_str().to_owned()).unwrap_or_default(),
            invoice.status().as_str().to_owned(),
            invoice.is_overdue(today).to_string(),
            client(invoice),
            invoice.currency().code().to_owned(),
            invoice.draft().issue_date.map(|d| d.to_string()).unwrap_or_default(),
            invoice.due_date().map(|d| d.to_string()).unwrap_or_default(),
            totals.subtotal.decimal(),
            totals.discount.decimal(),
            totals.tax.decimal(),
            totals.total.decimal(),
            invoice.paid().decimal(),
            invoice.balance().decimal(),
            invoice.sent_at().map(instant).unwrap_or_default(),
            invoice.void_reason().map(|r| r.as_str().to_owned()).unwrap_or_default(),
        ]
    });
    write_rows(&header, rows)
}

/// Writes the payments of `invoices` as CSV, one row each, oldest invoice first, defused as
/// in [`write_export`].
pub fn write_payments(invoices: &[Invoice]) -> String {
    let header = ["invoice", "paid_on", "method", "reference", "amount", "currency", "recorded_at"];
    let rows = invoices.iter().flat_map(|invoice| {
        invoice.payments().iter().map(move |payment| {
            vec![
                invoice.number().map(|n| n.as_str().to_owned()).unwrap_or_default(),
                payment.input.paid_on.to_string(),
                payment.input.method.as_str().to_owned(),
                payment.input.reference.as_ref().map(|r| r.as_str().to_owned()).unwrap_or_default(),
                payment.input.amount.decimal(),
                invoice.currency().code().to_owned(),
                instant(payment.recorded_at),
            ]
        })
    });
    write_rows(&header, rows)
}

/// A CSV file of `header` and `rows`, every cell defused.
fn write_rows(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail; a failure would only lose the row.
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(row.iter().map(|cell| defuse(cell)));
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// An instant as RFC 3339, as the API writes them.
fn instant(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_else(|_| at.to_string())
}

/// Neutralises a cell a spreadsheet would treat as a formula.
pub fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_numbered_as_spreadsheets_show_them() {
        let file = "Name,Email,Company\nSarah Chen,sarah@acme.example,Acme\nJames,james@acme.example,\n";
        let rows = read_import(file.as_bytes()).expect("readable");
        assert_eq!(rows.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(rows[0].fields.company, Some(Some("Acme".into())));
        assert_eq!(rows[1].fields.company, Some(None), "a blank cell clears");
        assert_eq!(rows[1].fields.phone, None, "an absent column keeps");
    }

    #[test]
    fn structural_problems_are_reported_on_the_header_row() {
        let problems = read_import(b"name,compnay\nSarah,Acme\n").expect_err("unreadable");
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["email", "compnay"]);
        assert!(problems.iter().all(|p| p.row == 1));
        let ragged = read_import(b"name,email\nSarah,sarah@acme.example,extra\n").expect_err("ragged");
        assert_eq!((ragged[0].row, ragged[0].field.as_str()), (2, "row"));
        assert_eq!(read_import(b"name,email\n\xff\xfe\n").expect_err("binary")[0].field, "file");
    }

    #[test]
    fn permissions_are_a_preset_or_a_list() {
        assert_eq!(permissions_input("collaborator"), PermissionsInput::Preset("collaborator".into()));
        assert_eq!(permissions_input("full_access"), PermissionsInput::Preset("full_access".into()));
        assert_eq!(
            permissions_input("projects; tasks,files"),
            PermissionsInput::Names(vec!["projects".into(), "tasks".into(), "files".into()])
        );
        assert_eq!(permissions_input("projects"), PermissionsInput::Names(vec!["projects".into()]));
        assert_eq!(permissions_input(""), PermissionsInput::Names(vec![]));
    }

    #[test]
    fn invoice_exports_write_plain_amounts_and_defuse_cells() {
        let file = write_rows(&["a", "b"], [vec!["=HYPERLINK(x)".to_owned(), "2835.31".to_owned()]].into_iter());
        assert_eq!(file, "a,b\n'=HYPERLINK(x),2835.31\n");
    }

    #[test]
    fn formulas_are_defused() {
        for cell in ["=SUM(A1)", "+1", "-1", "@cmd", "\tx", "\rx"] {
            assert!(defuse(cell).starts_with('\''), "{cell:?}");
        }
        assert_eq!(defuse("Acme"), "Acme");
    }
}
