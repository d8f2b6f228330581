//! Reading requests: JSON and query strings with problem answers that name the field, ids
//! from paths, the caller behind a session cookie or bearer token, and the peer's address.

use std::net::SocketAddr;
use std::str::FromStr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use portico_app::Actor;
use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::problem::Problem;
use crate::state::AppState;

/// A JSON body, read into `T`. Unlike axum's `Json`, every refusal is problem+json: a wrong
/// media type is 415, a body over the limit 413, broken syntax 400, a body that is not a JSON
/// object 422 naming `body`, and a value of the wrong type 422 naming its field
/// (`lines[0].unit_price_minor`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        if !is_json(request.headers()) {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Send the body as application/json.",
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| body_problem(rejection.status()))?;
        parse_json(&bytes).map(ApiJson)
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The problem for a body that could not be read.
pub(crate) fn body_problem(status: StatusCode) -> Problem {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Problem::new(status, "too-large", "The body is larger than this server accepts.")
    } else {
        Problem::bad_request("The body could not be read.")
    }
}

/// Parses a JSON object into `T`, naming the field of a type error.
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let Object(value) = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| json_problem(&error.path().to_string(), &error.into_inner()))?;
    // Bytes after the object are broken syntax, as with `serde_json::from_slice`.
    deserializer.end().map_err(|error| json_problem(".", &error))?;
    Ok(value)
}

/// 422 naming the field of a value of the wrong type (`body` for the whole), 400 for syntax.
fn json_problem(path: &str, error: &serde_json::Error) -> Problem {
    if error.is_data() {
        let field = if path == "." { "body" } else { path };
        let detail = "A field is missing or has the wrong type; see errors.";
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-input", detail).with_field(field, data_message(error))
    } else {
        Problem::bad_request(format!("The body is not valid JSON (line {}, column {}).", error.line(), error.column()))
    }
}

/// A JSON object read into `T`, and nothing else. serde's derived decoding of a struct also
/// takes an array and reads its fields by position, so `["a@b.example", "secret"]` would log
/// in; every body, and every object nested in one, is read through this instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Object<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = T;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a JSON object")
            }

            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<T, M::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }

        deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData)).map(Object)
    }
}

/// An optional integer field read as [`whole_number`] reads one; `null` or absent is `None`
/// (with `#[serde(default)]`).
pub(crate) fn optional_whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    struct Whole(#[serde(deserialize_with = "whole_number")] i64);
    Option::<Whole>::deserialize(deserializer).map(|whole| whole.map(|Whole(n)| n))
}

/// An integer field as JSON Schema counts integers: `12` or `12.0` (a number with no
/// fraction), never `12.5` or one beyond `i64`.
pub(crate) fn whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    struct WholeNumber;

    impl Visitor<'_> for WholeNumber {
        type Value = i64;

        fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            formatter.write_str("a whole number")
        }

        fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<i64, E> {
            Ok(value)
        }

        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<i64, E> {
            i64::try_from(value).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(value), &self))
        }

        #[allow(clippy::cast_possible_truncation, reason = "checked: whole and within i64's range")]
        fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<i64, E> {
            // 2^63 as a float: every whole float below it (and at or above -2^63) fits.
            const LIMIT: f64 = 9_223_372_036_854_775_808.0;
            if value.fract() == 0.0 && (-LIMIT..LIMIT).contains(&value) {
                Ok(value as i64)
            } else {
                Err(E::invalid_value(serde::de::Unexpected::Float(value), &self))
            }
        }
    }

    deserializer.deserialize_any(WholeNumber)
}

/// serde's message for people: without its " at line 1 column 9" suffix (the field is named
/// apart), and with what was expected said in JSON's words, never a Rust type's name.
fn data_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    in_json_words(text.rfind(" at line ").map_or(text.as_str(), |end| &text[..end]))
}

/// A serde message with what was expected said in JSON's words.
fn in_json_words(message: &str) -> String {
    match message.rsplit_once(", expected ") {
        Some((found, expected)) => format!("{found}, expected {}", json_words(expected)),
        None => message.to_owned(),
    }
}

/// What serde says a value should have been (`u64`, `struct LineBody`, `a sequence`), in the
/// words of JSON.
fn json_words(expected: &str) -> &str {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number, 0 or more",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" => "true or false",
        "a sequence" => "an array",
        "a borrowed string" | "a character" => "a string",
        other if other.starts_with("struct ") || other.starts_with("map") => "a JSON object",
        other if other.starts_with("enum ") || other.starts_with("tuple") || other.starts_with("unit") => {
            "one of the documented values"
        }
        other => other,
    }
}

/// A query string read into `T`, with a 400 problem naming what is wrong.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Problem> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer).map(ApiQuery).map_err(|error| {
            let field = error.path().to_string();
            let message = in_json_words(&error.into_inner().to_string());
            Problem::bad_request("The query string is not valid.").with_field(field, message)
        })
    }
}

/// Parses an id from a path. An id that cannot exist is answered like one that does not.
///
/// # Errors
/// 404 for text that is not an id.
pub fn path_id<T: FromStr>(raw: &str) -> Result<T, Problem> {
    raw.parse().map_err(|_| Problem::not_found())
}

/// How a request proves who sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Credential {
    /// The browser session cookie.
    Session(String),
    /// `Authorization: Bearer ...` from an API client.
    Bearer(String),
}

/// The credential a request carries, bearer first.
pub(crate) fn credential(headers: &HeaderMap, cookie_name: &str) -> Option<Credential> {
    if let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let (scheme, token) = value.trim().split_once(' ')?;
        return scheme.eq_ignore_ascii_case("bearer").then(|| Credential::Bearer(token.trim().to_owned()));
    }
    session_cookie(headers, cookie_name).map(Credential::Session)
}

/// The value of the session cookie, if the request has one.
pub(crate) fn session_cookie(headers: &HeaderMap, cookie_name: &str) -> Option<String> {
    (headers.get_all(header::COOKIE).iter())
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == cookie_name)
        .map(|(_, value)| value.trim_matches('"').to_owned())
}

/// The signed-in person making the request, re-checked on every request: a session that
/// expired, or a person deactivated a moment ago, is 401.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller(pub Actor);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let config = state.config();
        let actor = match credential(&parts.headers, config.cookie_name()) {
            None => return Err(Problem::unauthenticated()),
            Some(Credential::Session(secret)) => state.portico().authenticate(&secret, config.session).await,
            Some(Credential::Bearer(secret)) => state.portico().authenticate_api_token(&secret).await,
        };
        actor.map(Caller).map_err(Problem::from)
    }
}

/// The address of the peer, as a rate-limit key (`unknown` when the server was not started
/// with connection info, as in in-process tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PeerIp {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Problem> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip().to_string());
        Ok(Self(peer.unwrap_or_else(|| "unknown".to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code, reason = "only deserialised")]
    struct Line {
        quantity: String,
        unit_price_minor: i64,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code, reason = "only deserialised")]
    struct Invoice {
        lines: Vec<Object<Line>>,
    }

    #[test]
    fn type_errors_name_the_field_and_syntax_errors_the_place() {
        let wrong = parse_json::<Invoice>(br#"{"lines": [{"quantity": "1", "unit_price_minor": "ten"}]}"#);
        let problem = wrong.expect_err("a string is not an integer");
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors[0].field, "lines[0].unit_price_minor");
        assert!(problem.errors[0].message.contains("invalid type"), "{:?}", problem.errors);

        let broken = parse_json::<Invoice>(b"{\"lines\": [").expect_err("unfinished");
        assert_eq!(broken.status, 400);
        assert!(broken.detail.unwrap_or_default().contains("line 1"));

        let missing = parse_json::<Invoice>(b"{}").expect_err("lines are required");
        assert_eq!((missing.status, missing.errors[0].field.as_str()), (422, "body"));
    }

    #[test]
    fn only_objects_are_read_and_refusals_speak_json() {
        let by_position = parse_json::<Invoice>(br#"[[{"quantity": "1", "unit_price_minor": 1}]]"#);
        let problem = by_position.expect_err("an array is not an object");
        assert_eq!((problem.status, problem.errors[0].field.as_str()), (422, "body"));
        assert_eq!(problem.errors[0].message, "invalid type: sequence, expected a JSON object");

        let wrong = parse_json::<Invoice>(br#"{"lines": [{"quantity": "1", "unit_price_minor": "ten"}]}"#);
        let message = wrong.expect_err("not an integer").errors[0].message.clone();
        assert!(message.ends_with("expected a whole number"), "{message}");

        let trailing = parse_json::<Invoice>(br#"{"lines": []} {}"#).expect_err("bytes after the object");
        assert_eq!(trailing.status, 400);
    }

    #[test]
    fn whole_numbers_are_integers_as_json_schema_counts_them() {
        #[derive(Debug, Deserialize)]
        struct Price {
            #[serde(deserialize_with = "whole_number")]
            minor: i64,
        }
        let read = |json: &str| serde_json::from_str::<Price>(json).map(|p| p.minor).ok();
        assert_eq!(read(r#"{"minor": 125000}"#), Some(125_000));
        assert_eq!(read(r#"{"minor": 125000.0}"#), Some(125_000));
        assert_eq!(read(r#"{"minor": -3}"#), Some(-3));
        assert_eq!(read(r#"{"minor": 1.5}"#), None);
        assert_eq!(read(r#"{"minor": 1e300}"#), None);
        assert_eq!(read(r#"{"minor": 18446744073709551615}"#), None);
        assert_eq!(read(r#"{"minor": "1"}"#), None);
    }

    #[test]
    fn bearer_tokens_win_over_cookies_and_cookies_are_found_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("theme=dark; portico_session=abc123; x=y"));
        assert_eq!(credential(&headers, "portico_session"), Some(Credential::Session("abc123".into())));
        assert_eq!(credential(&headers, "__Host-portico_session"), None);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer tok"));
        assert_eq!(credential(&headers, "portico_session"), Some(Credential::Bearer("tok".into())));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic dXNlcg=="));
        assert_eq!(credential(&headers, "portico_session"), None, "other schemes are not a session");
    }

    #[test]
    fn json_media_types_are_recognised() {
        let mut headers = HeaderMap::new();
        for (value, json) in [
            ("application/json", true),
            ("application/json; charset=utf-8", true),
            ("application/merge-patch+json", true),
            ("text/plain", false),
            ("application/x-www-form-urlencoded", false),
        ] {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            assert_eq!(is_json(&headers), json, "{value}");
        }
    }
}
