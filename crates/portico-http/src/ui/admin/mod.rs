//! The admin console: clients, companies, projects, invoices, the outbox, the review report,
//! import, the settings, and the visibility tools (preview as client, "why can't they see it?", impact
//! before a change).

pub(super) mod clients;
pub(super) mod deliveries;
pub(super) mod import;
pub(super) mod insight;
mod invoice_form;
pub(super) mod invoices;
pub(super) mod projects;
pub(super) mod settings;

use axum::Router;
use axum::routing::{get, post};
use portico_app::Actor;
use portico_domain::impact::AccessLoss;
use portico_domain::world::ItemRef;

use super::page::UiError;
use crate::state::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(|| async { axum::response::Redirect::to("/admin/activity") }))
        .route("/admin/activity", get(super::activity::admin_feed))
        .route("/admin/activity/read", post(super::activity::mark_read))
        .route("/admin/notifications", get(super::notifications::admin_page).post(super::notifications::admin_save))
        .route("/admin/clients", get(clients::list))
        .route("/admin/clients/new", get(clients::new_page).post(clients::create))
        .route("/admin/clients/{id}", get(clients::show).post(clients::edit))
        .route("/admin/clients/{id}/company", post(clients::use_company))
        .route("/admin/clients/{id}/resend", post(clients::resend))
        .route("/admin/clients/{id}/password-reset", post(clients::send_reset))
        .route("/admin/clients/{id}/deactivate", get(clients::confirm_deactivate).post(clients::deactivate))
        .route("/admin/clients/{id}/reactivate", post(clients::reactivate))
        .route("/admin/clients/{id}/delete", get(clients::confirm_delete).post(clients::delete))
        .route("/admin/clients/{id}/statement", get(invoices::statement))
        .route("/admin/clients/{id}/preview", get(insight::preview))
        .route("/admin/clients/{id}/preview/projects/{project}", get(insight::preview_project))
        .route("/admin/clients/{id}/preview/invoices", get(insight::preview_invoices))
        .route("/admin/clients/{id}/preview/invoices/{invoice}", get(insight::preview_invoice))
        .route("/admin/clients/{id}/preview/invoices/{invoice}/pdf", get(insight::preview_invoice_pdf))
        .route("/admin/companies", get(insight::companies))
        .route("/admin/outbox", get(insight::outbox))
        .route("/admin/review", get(insight::review))
        .route("/admin/review/deactivate", post(insight::bulk_deactivate))
        .route("/admin/explain", get(insight::explain))
        .route("/admin/find/{kind}", get(super::picker::find))
        .route("/admin/import", get(import::page))
        .route("/admin/projects", get(projects::list).post(projects::create))
        .route("/admin/projects/{id}", get(projects::show).post(projects::edit))
        .route("/admin/projects/{id}/status", post(projects::set_status))
        .route("/admin/projects/{id}/clients", post(projects::assign))
        .route("/admin/projects/{id}/clients/{client}/remove", get(projects::confirm_remove).post(projects::remove))
        .route("/admin/projects/{id}/team", post(projects::add_member))
        .route("/admin/projects/{id}/team/{staff}/remove", post(projects::remove_member))
        .route("/admin/projects/{id}/tasks", post(projects::create_task))
        .route("/admin/projects/{id}/messages", post(projects::post_message))
        .route("/admin/tasks/{id}", post(projects::update_task))
        .route("/admin/tasks/{id}/comments", post(projects::comment))
        .route("/admin/visibility/{kind}/{id}", get(projects::confirm_visibility).post(projects::set_visibility))
        .route("/admin/approvals", post(projects::request_approval))
        .route("/admin/files/{id}/download", get(projects::download))
        .route("/admin/invoices", get(invoices::list).post(invoices::create))
        .route("/admin/invoices/new", get(invoices::new_page))
        .route("/admin/invoices/{id}", get(invoices::show))
        .route("/admin/invoices/{id}/pdf", get(invoices::pdf))
        .route("/admin/invoices/{id}/edit", get(invoices::edit_page).post(invoices::edit))
        .route("/admin/invoices/{id}/send", post(invoices::send))
        .route("/admin/invoices/{id}/mark-paid", post(invoices::mark_paid))
        .route("/admin/invoices/{id}/email", post(invoices::email))
        .route("/admin/invoices/{id}/payments", post(invoices::record_payment))
        .route("/admin/invoices/{id}/payments/{payment}/remove", post(invoices::remove_payment))
        .route("/admin/invoices/{id}/void", get(invoices::confirm_void).post(invoices::void))
        .route("/admin/invoices/{id}/delete", get(invoices::confirm_delete).post(invoices::delete))
        .route("/admin/settings", get(settings::page).post(settings::save))
        .route("/admin/settings/logo/remove", post(settings::remove_logo))
        .route("/admin/settings/test-mail", post(settings::test_mail))
}

/// Who loses what, for people: each client's name with the items described.
pub(super) async fn describe_impact(
    state: &AppState,
    actor: &Actor,
    losses: &[AccessLoss],
) -> Result<Vec<(String, Vec<String>)>, UiError> {
    let mut described = Vec::with_capacity(losses.len());
    for loss in losses {
        let client = state.portico().client_detail(actor, loss.client).await?.client;
        let items: Vec<ItemRef> = loss.items.iter().copied().collect();
        let names = state.portico().describe_items(actor, &items).await?;
        described.push((client.name().as_str().to_owned(), names.into_iter().map(|(_, text)| text).collect()));
    }
    Ok(described)
}
