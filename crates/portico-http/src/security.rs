//! The layers every request passes: the same-origin check for state changes, security
//! headers on every answer, request ids, and tracing that names routes, never raw paths
//! (paths can hold link secrets) and never bodies.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::request_id::RequestId;
use tracing::Span;

use crate::problem::Problem;
use crate::state::AppState;

/// The Content Security Policy: only our own scripts, styles and images; no plugins, no
/// `<base>`, no framing. No `unsafe-inline` anywhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Refuses state-changing requests a browser sent from another site.
///
/// `Sec-Fetch-Site` decides when present (`same-origin` or `none` pass); otherwise `Origin`
/// must be this server's origin. A request with neither header does not come from a browser
/// (browsers send one on every state-changing request) and passes: it cannot ride on a
/// victim's cookies. `SameSite=Lax` cookies are the second line of defence.
///
/// One-click unsubscribe links are exempt: their signed token is their whole authority (no
/// cookie counts there), and RFC 8058 has mail providers post them from anywhere.
pub async fn same_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let public_origin = state.config().public_url.origin();
    if is_safe(request.method())
        || request.uri().path().starts_with("/unsubscribe/")
        || is_same_origin(request.headers(), public_origin)
    {
        next.run(request).await
    } else {
        tracing::warn!("refused a cross-site state-changing request");
        Problem::new(StatusCode::FORBIDDEN, "cross-site", "Cross-site requests may not change anything.")
            .into_response()
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_same_origin(headers: &HeaderMap, public_origin: &str) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = text("origin") else {
        return true;
    };
    if origin.eq_ignore_ascii_case(public_origin) {
        return true;
    }
    // Reached under another name than the public URL (a LAN address, a port forward): the
    // browser's Host is where it sent the request, so an Origin naming it is still us.
    let host = text("host").unwrap_or_default();
    let bare = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    !host.is_empty() && bare.is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

/// Sets the security headers on every answer. Answers are `no-store` unless a handler chose
/// a cache policy (they carry personal data, and a shared computer's back button must not
/// show them after logout).
pub async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::CACHE_CONTROL, "no-store");
    set(headers, header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(headers, header::HeaderName::from_static("cross-origin-resource-policy"), "same-origin");
    if state.config().public_url.is_https() {
        set(headers, header::STRICT_TRANSPORT_SECURITY, "max-age=63072000; includeSubDomains");
    }
    response
}

/// The tracing span of a request: method, route template and request id. The raw URI is
/// left out on purpose: `/invitation/{token}` would otherwise write secrets to the log.
pub fn request_span(request: &Request) -> Span {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str);
    let id = request.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", method = %request.method(), route, request_id = id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    const US: &str = "https://portal.agency.example";

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "same-origin")]), US));
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "none")]), US), "typed into the address bar");
        for site in ["same-site", "cross-site"] {
            let sent = headers(&[("sec-fetch-site", site), ("origin", US)]);
            assert!(!is_same_origin(&sent, US), "{site} loses even with a matching Origin");
        }
    }

    #[test]
    fn origin_decides_otherwise_and_no_header_means_no_browser() {
        assert!(is_same_origin(&headers(&[("origin", "https://PORTAL.agency.example")]), US));
        assert!(!is_same_origin(&headers(&[("origin", "https://evil.example")]), US));
        assert!(!is_same_origin(&headers(&[("origin", "null")]), US));
        assert!(is_same_origin(&headers(&[("origin", "http://192.168.1.5:8080"), ("host", "192.168.1.5:8080")]), US));
        assert!(!is_same_origin(&headers(&[("origin", "http://evil.example"), ("host", "192.168.1.5:8080")]), US));
        assert!(is_same_origin(&HeaderMap::new(), US), "curl and API clients send neither");
    }

    #[test]
    fn reads_are_never_blocked() {
        for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
            assert!(is_safe(&method));
        }
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert!(!is_safe(&method));
        }
    }
}
