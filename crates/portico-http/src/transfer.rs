//! Files in and out, for the API and the pages alike: reading an upload form into the
//! application's form, and answering a download as an attachment.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use portico_app::Portico;
use portico_app::forms::UploadForm;
use portico_domain::content::ProjectFile;
use portico_domain::portal::PortalInvoice;
use portico_domain::workspace::Workspace;

use crate::extract::body_problem;
use crate::problem::Problem;

/// Reads a multipart upload: the `file` part (with its name and type) and, when
/// `with_visibility`, `visibility`; any other part is refused. A request that is not
/// multipart at all is 415 (or 400 for a broken boundary), as problem+json.
pub(crate) async fn read_upload(
    multipart: Result<Multipart, MultipartRejection>,
    with_visibility: bool,
) -> Result<UploadForm, Problem> {
    let mut multipart = multipart.map_err(|rejection| {
        let status = rejection.status();
        let detail = "Send the file as multipart/form-data with a \"file\" part.";
        if status == StatusCode::BAD_REQUEST {
            Problem::bad_request(detail)
        } else {
            Problem::new(status, "unsupported-media-type", detail)
        }
    })?;
    let mut form = UploadForm::default();
    let mut has_file = false;
    while let Some(field) = multipart.next_field().await.map_err(|e| body_problem(e.status()))? {
        match field.name() {
            Some("file") => {
                form.name = field.file_name().unwrap_or_default().to_owned();
                form.content_type = field.content_type().map(str::to_owned);
                form.bytes = field.bytes().await.map_err(|e| body_problem(e.status()))?.to_vec();
                has_file = true;
            }
            Some("visibility") if with_visibility => {
                form.visibility = Some(field.text().await.map_err(|e| body_problem(e.status()))?);
            }
            other => {
                let part = other.unwrap_or_default().to_owned();
                let parts = if with_visibility { "file, visibility" } else { "file" };
                return Err(Problem::invalid_field(&part, format!("is not a part of this form ({parts})")));
            }
        }
    }
    if has_file { Ok(form) } else { Err(Problem::invalid_field("file", "is missing from the form")) }
}

/// A file download: always an attachment (never rendered by the browser), named per RFC 6266
/// with an ASCII fallback.
pub(crate) fn attachment(file: &ProjectFile, bytes: Vec<u8>) -> Response {
    let content_type = HeaderValue::from_str(file.content_type.as_str())
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    named_attachment(file.name.as_str(), content_type, bytes)
}

/// A CSV file as a download named `name`.
pub(crate) fn csv_download(name: &str, body: String) -> Response {
    named_attachment(name, HeaderValue::from_static("text/csv; charset=utf-8"), body.into_bytes())
}

/// The PDF of `invoice`, drawn by the application in `workspace`'s locale and brand, as a
/// download named for its number (`Invoice INV-2026-0001.pdf`).
pub(crate) async fn invoice_pdf(portico: &Portico, invoice: &PortalInvoice, workspace: &Workspace) -> Response {
    let pdf = portico.invoice_pdf(invoice, workspace).await;
    named_attachment(&invoice.file_name(), HeaderValue::from_static("application/pdf"), pdf)
}

/// `bytes` as a download named `name`: an ASCII fallback for old clients, the name itself
/// percent-encoded for the rest.
fn named_attachment(name: &str, content_type: HeaderValue, bytes: Vec<u8>) -> Response {
    let fallback: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let encoded = utf8_percent_encode(name, NON_ALPHANUMERIC);
    let disposition = format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}");
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
        ),
    ];
    (headers, bytes).into_response()
}
