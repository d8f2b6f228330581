//! What admins look at: history, deliveries, companies, the review report, the outbox, and
//! the two visibility tools — "why can't this client see this?" and "who loses what if...?".

use axum::Json;
use axum::extract::{Path, State};
use portico_domain::content::Visibility;
use portico_domain::ids::{ClientId, ProjectId};
use portico_domain::impact::ProposedChange;
use portico_domain::permissions::PermissionSet;
use portico_domain::validation::ValidationErrors;
use portico_domain::visibility::ItemKind;
use portico_domain::world::ItemRef;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::page_request;
use crate::extract::{ApiJson, ApiQuery, Caller, path_id};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;
use crate::views::{AuditEventView, CompanyView, DeliveryView, ExplanationView, ImpactView, List, ReviewView};

/// Everything that happened to a client, oldest first.
#[utoipa::path(get, path = "/clients/{id}/history", tag = "insight", params(("id" = String, Path, description = "Client id")),
    responses((status = 200, description = "Audit events", body = List<AuditEventView>)))]
pub(crate) async fn client_history(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<List<AuditEventView>>> {
    let events = state.portico().client_history(&actor, path_id(&id)?).await?;
    Ok(Json(List::all(events.iter().map(Into::into).collect())))
}

/// Every mail sent (or being sent) to a client, with its delivery state.
#[utoipa::path(get, path = "/clients/{id}/deliveries", tag = "insight", params(("id" = String, Path, description = "Client id")),
    responses((status = 200, description = "Mail about the client", body = List<DeliveryView>)))]
pub(crate) async fn client_deliveries(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<List<DeliveryView>>> {
    let mail = state.portico().client_deliveries(&actor, path_id(&id)?).await?;
    let url = &state.config().public_url;
    Ok(Json(List::all(DeliveryView::all(state.portico(), &mail, url))))
}

/// Contacts grouped by company, with the spellings in use.
#[utoipa::path(get, path = "/companies", tag = "insight",
    responses((status = 200, description = "Companies", body = List<CompanyView>)))]
pub(crate) async fn companies(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<List<CompanyView>>> {
    let groups = state.portico().companies(&actor).await?;
    Ok(Json(List::all(groups.iter().map(Into::into).collect())))
}

/// The periodic review: idle clients, stale invitations, never logged in, spelling variants,
/// failed mail.
#[utoipa::path(get, path = "/reports/client-review", tag = "insight",
    responses((status = 200, description = "The report", body = ReviewView)))]
pub(crate) async fn client_review(State(state): State<AppState>, Caller(actor): Caller) -> ApiResult<Json<ReviewView>> {
    Ok(Json((&state.portico().client_review(&actor).await?).into()))
}

/// A page of the outbox.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct OutboxQuery {
    /// From `next_cursor` of the previous page.
    pub(crate) cursor: Option<String>,
    /// Page size (1–200, default 50).
    pub(crate) limit: Option<usize>,
}

/// Every mail of the workspace, newest first. Undelivered invitations carry their link;
/// nothing else secret is shown.
#[utoipa::path(get, path = "/outbox", tag = "insight", params(OutboxQuery),
    responses((status = 200, description = "One page of mail", body = List<DeliveryView>)))]
pub(crate) async fn outbox(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(query): ApiQuery<OutboxQuery>,
) -> ApiResult<Json<List<DeliveryView>>> {
    let mut errors = ValidationErrors::new();
    let page = page_request(&mut errors, query.cursor.as_deref(), query.limit);
    errors.into_result()?;
    let page = state.portico().outbox(&actor, &page).await?;
    let url = &state.config().public_url;
    let items = DeliveryView::all(state.portico(), &page.items, url);
    Ok(Json(List { items, next_cursor: page.next.map(|c| c.encode()) }))
}

/// The item to explain.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ItemQuery {
    /// `project`, `task`, `file`, `message`, `approval` or `invoice`.
    pub(crate) item_kind: String,
    /// The item's id.
    pub(crate) item_id: String,
}

fn item_ref(kind: &str, id: &str) -> Result<ItemRef, Problem> {
    let Some(kind) = ItemKind::from_name(kind) else {
        let message = "must be project, task, file, message, approval or invoice";
        return Err(Problem::invalid_field("item_kind", message));
    };
    let parsed = match kind {
        ItemKind::Project => id.parse().map(ItemRef::Project),
        ItemKind::Task => id.parse().map(ItemRef::Task),
        ItemKind::File => id.parse().map(ItemRef::File),
        ItemKind::Message => id.parse().map(ItemRef::Message),
        ItemKind::Approval => id.parse().map(ItemRef::Approval),
        ItemKind::Invoice => id.parse().map(ItemRef::Invoice),
    };
    parsed.map_err(|_| Problem::invalid_field("item_id", "is not a valid id"))
}

/// Explains whether a client sees an item, and every reason it does not.
#[utoipa::path(get, path = "/clients/{id}/visibility", tag = "insight",
    params(("id" = String, Path, description = "Client id"), ItemQuery),
    responses(
        (status = 200, description = "The rule's answer with its reasons", body = ExplanationView),
        (status = 404, description = "No such client or item", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn explain_visibility(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<ItemQuery>,
) -> ApiResult<Json<ExplanationView>> {
    let client: ClientId = path_id(&id)?;
    let item = item_ref(&query.item_kind, &query.item_id)?;
    Ok(Json((&state.portico().explain_visibility(&actor, client, item).await?).into()))
}

/// A change to preview, by `change`: `remove_from_project`, `deactivate`, `delete`,
/// `set_permissions`, `set_scope` or `set_visibility`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
#[schema(example = json!({"change": "remove_from_project", "client_id": "01a233df-289d-7743-8c35-36f545b78bac", "project_id": "01a233df-28b8-7560-a590-ad7625101466"}))]
pub(crate) enum ChangeBody {
    /// Take a client off a project.
    RemoveFromProject {
        /// The client.
        client_id: String,
        /// The project.
        project_id: String,
    },
    /// Deactivate a client.
    Deactivate {
        /// The client.
        client_id: String,
    },
    /// Delete a client.
    Delete {
        /// The client.
        client_id: String,
    },
    /// Replace a client's permissions.
    SetPermissions {
        /// The client.
        client_id: String,
        /// The new permission names.
        permissions: Vec<String>,
    },
    /// Narrow (or un-narrow, with `null`) a client on one project.
    SetScope {
        /// The client.
        client_id: String,
        /// The project.
        project_id: String,
        /// Permission names, or `null` for the client's own.
        scope: Option<Vec<String>>,
    },
    /// Make an item internal or client-visible.
    SetVisibility {
        /// `task`, `file` or `message`.
        item_kind: String,
        /// The item.
        item_id: String,
        /// `internal` or `client`.
        visibility: String,
    },
}

impl ChangeBody {
    fn parse(&self) -> Result<ProposedChange, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let client = |errors: &mut ValidationErrors, id: &str| {
            errors.check("client_id", id.parse::<ClientId>().map_err(|_| "is not a valid id"))
        };
        let project = |errors: &mut ValidationErrors, id: &str| {
            errors.check("project_id", id.parse::<ProjectId>().map_err(|_| "is not a valid id"))
        };
        let permissions = |errors: &mut ValidationErrors, field: &str, names: &[String]| {
            errors.check(field, PermissionSet::parse(names.iter().map(String::as_str)))
        };
        let change = match self {
            Self::RemoveFromProject { client_id, project_id } => {
                let (client, project) = (client(&mut errors, client_id), project(&mut errors, project_id));
                client.zip(project).map(|(client, project)| ProposedChange::RemoveFromProject { client, project })
            }
            Self::Deactivate { client_id } => {
                client(&mut errors, client_id).map(|client| ProposedChange::Deactivate { client })
            }
            Self::Delete { client_id } => {
                client(&mut errors, client_id).map(|client| ProposedChange::Delete { client })
            }
            Self::SetPermissions { client_id, permissions: names } => {
                let (client, set) = (client(&mut errors, client_id), permissions(&mut errors, "permissions", names));
                client.zip(set).map(|(client, permissions)| ProposedChange::SetPermissions { client, permissions })
            }
            Self::SetScope { client_id, project_id, scope } => {
                let (client, project) = (client(&mut errors, client_id), project(&mut errors, project_id));
                let scope = match scope {
                    None => Some(None),
                    Some(names) => permissions(&mut errors, "scope", names).map(Some),
                };
                match (client, project, scope) {
                    (Some(client), Some(project), Some(scope)) => {
                        Some(ProposedChange::SetScope { client, project, scope })
                    }
                    _ => None,
                }
            }
            Self::SetVisibility { item_kind, item_id, visibility } => {
                let item = match item_ref(item_kind, item_id) {
                    Ok(item) => Some(item),
                    Err(problem) => {
                        problem.errors.iter().for_each(|e| errors.add(e.field.clone(), &e.message));
                        None
                    }
                };
                let visibility = errors
                    .check("visibility", visibility.parse::<Visibility>().map_err(|_| "must be internal or client"));
                item.zip(visibility).map(|(item, visibility)| ProposedChange::SetVisibility { item, visibility })
            }
        };
        match change {
            Some(change) if errors.is_empty() => Ok(change),
            _ => Err(errors),
        }
    }
}

/// Previews a change: which clients would stop seeing which items. Nothing is changed.
#[utoipa::path(post, path = "/impact-preview", tag = "insight", request_body = ChangeBody,
    responses(
        (status = 200, description = "Each client that would lose access, with the items", body = List<ImpactView>),
        (status = 422, description = "The change is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn impact_preview(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<ChangeBody>,
) -> ApiResult<Json<List<ImpactView>>> {
    let change = body.parse()?;
    let losses = state.portico().preview_impact(&actor, &change).await?;
    Ok(Json(List::all(losses.iter().map(Into::into).collect())))
}
