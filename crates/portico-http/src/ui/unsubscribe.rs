//! The one-click unsubscribe page behind every notice mail's link (RFC 8058). It needs no
//! login: the link's signature is the authority. Opening it (as mail scanners do) changes
//! nothing; the button, or a mail client's one-click POST, turns the categories off.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portico_app::{AppError, UnsubscribeLink};

use super::page::{Layout, UiError, UiResult, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "auth/unsubscribe.html")]
struct UnsubscribePage {
    layout: Layout,
    token: String,
    workspace: String,
    categories: String,
    choices: &'static str,
    done: bool,
}

impl UnsubscribePage {
    fn new(token: String, link: &UnsubscribeLink, done: bool) -> Self {
        let labels: Vec<String> = link.categories.iter().map(|c| c.topic().to_owned()).collect();
        let title = if done { "Unsubscribed" } else { "Unsubscribe" };
        Self {
            layout: Layout::public(title, None),
            token,
            workspace: link.workspace.as_str().to_owned(),
            categories: list_in_words(&labels),
            choices: if link.for_client { "/portal/notifications" } else { "/admin/notifications" },
            done,
        }
    }
}

/// "a", "a and b", "a, b and c".
fn list_in_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn not_valid(error: AppError) -> UiError {
    match error {
        AppError::NotFound => UiError::Refused(
            StatusCode::NOT_FOUND,
            "This unsubscribe link is not valid. Check that the whole link was copied from the mail.".into(),
        ),
        other => other.into(),
    }
}

/// `GET /unsubscribe/{token}`: what the link would stop, and the button that does it.
pub(crate) async fn page(State(state): State<AppState>, Path(token): Path<String>) -> UiResult {
    let link = state.portico().unsubscribe_link_of(&token).await.map_err(not_valid)?;
    Ok(render(StatusCode::OK, &UnsubscribePage::new(token, &link, false), false))
}

/// `POST /unsubscribe/{token}`: turns the categories off. The body is ignored: RFC 8058
/// clients send `List-Unsubscribe=One-Click`, our own button sends nothing.
pub(crate) async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> UiResult {
    let link = state.portico().unsubscribe(&token).await.map_err(not_valid)?;
    Ok(render(StatusCode::OK, &UnsubscribePage::new(token, &link, true), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_read_as_a_list_in_words() {
        let words = |items: &[&str]| list_in_words(&items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!(words(&["files"]), "files");
        assert_eq!(words(&["files", "tasks"]), "files and tasks");
        assert_eq!(words(&["messages", "files", "tasks"]), "messages, files and tasks");
    }
}
