//! Choosing a client or a project among any number of them: a search field, the matches the
//! server found (at most [`SHOWN`], by name), and a select or boxes to pick from — never a
//! list cut at some length. Without JavaScript the search is a form button (`find`) that
//! shows the same page again with the matches and everything typed kept; with it, the
//! matches follow the typing through `/admin/find/{clients,projects}`, which answers the
//! same choices as JSON.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use portico_app::AppError;
use portico_domain::client::Client;
use portico_domain::ids::{ClientId, ProjectId};
use portico_domain::project::{Project, ProjectStatus};
use portico_domain::status::ClientStatus;
use portico_ports::PageRequest;
use portico_ports::repos::{ClientQuery, ProjectQuery};
use serde::{Deserialize, Serialize};

use crate::state::AppState;
use crate::ui::page::{Ctx, UiError};

/// How many matches a picker shows at once.
pub(crate) const SHOWN: usize = 20;

/// What a picker chooses among.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Clients,
    Projects,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Self::Clients => "client",
            Self::Projects => "project",
        }
    }

    fn nouns(self) -> &'static str {
        match self {
            Self::Clients => "clients",
            Self::Projects => "projects",
        }
    }
}

/// One record to choose.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Choice {
    pub(crate) id: String,
    pub(crate) label: String,
    /// Chosen already (it stays among the choices whatever the search).
    #[serde(skip)]
    pub(crate) selected: bool,
}

impl Choice {
    fn client(client: &Client, selected: bool) -> Self {
        let profile = client.profile();
        let company = profile.company.as_ref().map(|company| format!(" ({company})")).unwrap_or_default();
        let status = match client.status() {
            ClientStatus::Active => String::new(),
            status => format!(" · {status}"),
        };
        let label = format!("{}{company} · {}{status}", profile.name, profile.email);
        Self { id: client.id().to_string(), label, selected }
    }

    fn project(project: &Project, selected: bool) -> Self {
        let mut label = project.details.name.to_string();
        if project.status == ProjectStatus::Archived {
            label.push_str(" · archived");
        }
        Self { id: project.id.to_string(), label, selected }
    }
}

/// The matches of one search: the chosen records first, then the others by name.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Matches {
    pub(crate) choices: Vec<Choice>,
    /// What the search found, in words (how many, whether to narrow it).
    pub(crate) summary: String,
}

impl Matches {
    fn new(kind: Kind, query: &str, chosen: Vec<Choice>, found: Vec<Choice>, more: bool) -> Self {
        let query = query.trim();
        let summary = match (found.is_empty(), more, query.is_empty()) {
            (true, _, false) => format!("No {} matches “{query}”.", kind.noun()),
            (true, _, true) => format!("There are no {} to choose yet.", kind.nouns()),
            (false, true, true) => {
                format!("The first {SHOWN} {} by name: search to find any other.", kind.nouns())
            }
            (false, true, false) => format!("The first {SHOWN} matches: type more to narrow them."),
            (false, false, _) if found.len() == 1 => "One match.".to_owned(),
            (false, false, _) => format!("{} matches.", found.len()),
        };
        let mut choices = chosen;
        let others: Vec<Choice> = found.into_iter().filter(|f| !choices.iter().any(|c| c.id == f.id)).collect();
        choices.extend(others);
        Self { choices, summary }
    }
}

/// A picker as a page draws it.
pub(crate) struct Picker {
    /// The field of the chosen id(s): `client_id`, `client_ids`, `project_id`.
    pub(crate) name: &'static str,
    pub(crate) label: &'static str,
    /// What one record is called ("client").
    pub(crate) noun: &'static str,
    /// The search field's name: `client_q`, `project_q`.
    pub(crate) search: &'static str,
    /// What was searched for.
    pub(crate) query: String,
    pub(crate) matches: Matches,
    /// Boxes to tick rather than a select.
    pub(crate) multiple: bool,
    /// The blank choice of an optional select ("No project").
    pub(crate) none: Option<&'static str>,
    /// Where type-ahead asks for matches.
    pub(crate) source: String,
    pub(crate) placeholder: &'static str,
}

impl Picker {
    /// A picker of `kind` over `matches` for the search `query`.
    pub(crate) fn new(kind: Kind, name: &'static str, label: &'static str, query: &str, matches: Matches) -> Self {
        let (search, placeholder) = match kind {
            Kind::Clients => ("client_q", "Name, email or company"),
            Kind::Projects => ("project_q", "Part of the name"),
        };
        Self {
            name,
            label,
            noun: kind.noun(),
            search,
            query: query.to_owned(),
            matches,
            multiple: false,
            none: None,
            source: format!("/admin/find/{}", kind.nouns()),
            placeholder,
        }
    }

    /// Boxes to tick, for choosing several.
    pub(crate) fn multiple(mut self) -> Self {
        self.multiple = true;
        self
    }

    /// A blank first choice reading `none`.
    pub(crate) fn optional(mut self, none: &'static str) -> Self {
        self.none = Some(none);
        self
    }

    /// Type-ahead leaves out the clients already on `project`, as the page does.
    pub(crate) fn not_on(mut self, project: ProjectId) -> Self {
        self.source = format!("{}?not_on={project}", self.source);
        self
    }

    /// The element id of the search field.
    pub(crate) fn search_id(&self) -> String {
        format!("{}-search", self.name)
    }
}

/// The choice of a one-record picker `name` to keep when a form comes back: none when the
/// form was sent to search for it (`find` names the picker), as the select's first option was
/// chosen only by default then; the chosen id otherwise.
pub(crate) fn kept<'a>(find: Option<&str>, name: &str, chosen: &'a str) -> &'a str {
    if find == Some(name) { "" } else { chosen }
}

/// The clients matching `query`, with the `chosen` ones kept and the `left_out` ones (already
/// on the project) never offered. Deleted clients are never offered; deactivated ones are,
/// marked, as the domain lets them be put on projects.
pub(crate) async fn clients(
    state: &AppState,
    ctx: &Ctx,
    query: &str,
    chosen: &[String],
    left_out: &[ClientId],
) -> Result<Matches, UiError> {
    let portico = state.portico();
    let search = ClientQuery { text: Some(query.to_owned()), ..ClientQuery::default() };
    let wanted = (SHOWN + left_out.len()).min(PageRequest::MAX_LIMIT);
    let page = portico.list_clients(&ctx.actor, &search, &PageRequest::new(None, wanted)).await?;
    let more = page.next.is_some();
    let mut found: Vec<Choice> =
        page.items.iter().filter(|c| !left_out.contains(&c.id())).map(|c| Choice::client(c, false)).collect();
    let more = more || found.len() > SHOWN;
    found.truncate(SHOWN);
    let ids: Vec<ClientId> = chosen.iter().filter_map(|id| id.parse().ok()).collect();
    let chosen = if ids.is_empty() { Vec::new() } else { portico.clients_by_id(&ctx.actor, &ids).await? };
    let chosen = chosen.iter().filter(|c| !c.is_deleted()).map(|c| Choice::client(c, true)).collect();
    Ok(Matches::new(Kind::Clients, query, chosen, found, more))
}

/// The projects matching `query` (the ones the signed-in person may list), with `chosen` kept.
pub(crate) async fn projects(state: &AppState, ctx: &Ctx, query: &str, chosen: &str) -> Result<Matches, UiError> {
    let portico = state.portico();
    let search = ProjectQuery { text: Some(query.to_owned()), ..ProjectQuery::default() };
    let page = portico.list_projects(&ctx.actor, &search, &PageRequest::new(None, SHOWN)).await?;
    let found = page.items.iter().map(|p| Choice::project(p, false)).collect();
    let chosen = match chosen.parse::<ProjectId>() {
        Ok(id) => match portico.project_detail(&ctx.actor, id).await {
            Ok(detail) => vec![Choice::project(&detail.project, true)],
            Err(AppError::NotFound) => Vec::new(),
            Err(error) => return Err(error.into()),
        },
        Err(_) => Vec::new(),
    };
    Ok(Matches::new(Kind::Projects, query, chosen, found, page.next.is_some()))
}

/// The query of a type-ahead request.
#[derive(Deserialize)]
pub(crate) struct FindQuery {
    #[serde(default)]
    q: String,
    /// Leave out the clients currently on this project.
    #[serde(default)]
    not_on: Option<String>,
}

/// `GET /admin/find/{clients,projects}?q=`: the matches as JSON, for type-ahead.
pub(crate) async fn find(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(kind): Path<String>,
    Query(query): Query<FindQuery>,
) -> Result<Response, UiError> {
    let matches = match kind.as_str() {
        "clients" => {
            let left_out = match query.not_on.as_deref().map(str::parse::<ProjectId>) {
                Some(Ok(project)) => {
                    let detail = state.portico().project_detail(&ctx.actor, project).await?;
                    detail.clients.iter().map(|(a, _)| a.client_id).collect()
                }
                Some(Err(_)) => return Err(AppError::NotFound.into()),
                None => Vec::new(),
            };
            clients(&state, &ctx, &query.q, &[], &left_out).await?
        }
        "projects" => projects(&state, &ctx, &query.q, "").await?,
        _ => return Err(AppError::NotFound.into()),
    };
    Ok(Json(matches).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(id: &str, selected: bool) -> Choice {
        Choice { id: id.into(), label: id.to_uppercase(), selected }
    }

    #[test]
    fn chosen_records_come_first_once_and_the_summary_says_what_was_found() {
        let matches = Matches::new(
            Kind::Clients,
            "sa",
            vec![choice("b", true)],
            vec![choice("a", false), choice("b", false), choice("c", false)],
            false,
        );
        let ids: Vec<_> = matches.choices.iter().map(|c| (c.id.as_str(), c.selected)).collect();
        assert_eq!(ids, [("b", true), ("a", false), ("c", false)]);
        assert_eq!(matches.summary, "3 matches.");
        let none = Matches::new(Kind::Projects, " zz ", Vec::new(), Vec::new(), false);
        assert_eq!(none.summary, "No project matches “zz”.");
        let first = Matches::new(Kind::Clients, "", Vec::new(), vec![choice("a", false)], true);
        assert_eq!(first.summary, "The first 20 clients by name: search to find any other.");
        let narrow = Matches::new(Kind::Clients, "a", Vec::new(), vec![choice("a", false)], true);
        assert_eq!(narrow.summary, "The first 20 matches: type more to narrow them.");
    }
}
