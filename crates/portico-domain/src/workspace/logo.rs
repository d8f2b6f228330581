//! The agency's logo: which images are accepted, and how they are told apart.
//!
//! A logo is shown to every client, so Portico takes only two kinds it can check: PNG, by its
//! signature, and SVG, by its root element. An SVG can carry scripts; it is only ever shown
//! through `<img>` (where scripts never run) and served with a sandboxing policy should
//! someone open it directly.

use crate::content::StorageKey;
use crate::names::named_enum;

named_enum! {
    /// The kinds of image a logo may be.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum LogoKind {
        /// A PNG image.
        Png => "png",
        /// An SVG drawing.
        Svg => "svg",
    }
}

/// Why an upload cannot be the logo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LogoError {
    /// Nothing was uploaded.
    #[error("choose an image to upload")]
    Empty,
    /// Larger than [`Logo::MAX_BYTES`].
    #[error("must be at most 512 KiB")]
    TooLarge,
    /// Neither a PNG nor an SVG.
    #[error("must be a PNG or SVG image")]
    NotAnImage,
}

impl LogoKind {
    /// What `bytes` are, judged by their content (never by a name or a browser's say-so).
    ///
    /// # Errors
    /// [`LogoError`] for an empty, oversized or unrecognised upload.
    pub fn of(bytes: &[u8]) -> Result<Self, LogoError> {
        const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
        if bytes.is_empty() {
            return Err(LogoError::Empty);
        }
        if bytes.len() > Logo::MAX_BYTES {
            return Err(LogoError::TooLarge);
        }
        if bytes.starts_with(PNG_SIGNATURE) {
            return Ok(Self::Png);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| LogoError::NotAnImage)?;
        if root_element(text).is_some_and(|name| name == "svg") { Ok(Self::Svg) } else { Err(LogoError::NotAnImage) }
    }

    /// The media type it is served with.
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Svg => "image/svg+xml",
        }
    }
}

/// The name of the first element of an XML document, past its prolog, comments and
/// doctype.
fn root_element(text: &str) -> Option<&str> {
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>")?.1.trim_start();
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->")?.1.trim_start();
        } else if let Some(after) = rest.strip_prefix("<!") {
            rest = after.split_once('>')?.1.trim_start();
        } else {
            let after = rest.strip_prefix('<')?;
            let end = after.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
            return Some(&after[..end]);
        }
    }
}

/// The logo a workspace shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// What kind of image it is.
    pub kind: LogoKind,
    /// Where its bytes are kept; a new upload gets a new key, so links to it can be cached.
    pub key: StorageKey,
}

impl Logo {
    /// The largest logo accepted, in bytes (512 KiB).
    pub const MAX_BYTES: usize = 512 * 1024;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pngs_and_svgs_are_told_by_their_content() {
        assert_eq!(LogoKind::of(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok(LogoKind::Png));
        assert_eq!(LogoKind::of(br#"<svg xmlns="http://www.w3.org/2000/svg"/>"#), Ok(LogoKind::Svg));
        let prolog =
            "\u{feff}<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<!DOCTYPE svg>\n<svg viewBox=\"0 0 1 1\"></svg>";
        assert_eq!(LogoKind::of(prolog.as_bytes()), Ok(LogoKind::Svg));
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        assert_eq!(LogoKind::of(b""), Err(LogoError::Empty));
        assert_eq!(LogoKind::of(&vec![b' '; Logo::MAX_BYTES + 1]), Err(LogoError::TooLarge));
        for other in
            [&b"<html><svg/></html>"[..], b"GIF89a", b"\xff\xd8\xff\xe0JFIF", b"<svgx/>", b"<!-- <svg/>", b"plain"]
        {
            assert_eq!(LogoKind::of(other), Err(LogoError::NotAnImage), "{:?}", String::from_utf8_lossy(other));
        }
    }
}
