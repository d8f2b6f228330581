//! Email addresses: the login name and the address every mail goes to.
//!
//! The accepted syntax is the WHATWG "valid email address" (what a browser's
//! `<input type=email>` accepts): an ASCII local part of atom characters and dots, and a domain
//! of letter-digit-hyphen labels. It is deliberately narrower than RFC 5322 — no quoted local
//! parts, comments or IP literals — because every address must survive SMTP servers, mail
//! headers and people retyping it. A domain without a dot is valid syntax (`admin@localhost` is
//! the first admin of a fresh install, and logins read it), but the address of a new contact
//! must reach beyond one machine: [`EmailAddress::parse_contact`] refuses it (`sarah@gmail` is
//! a typo). A workspace setting to allow local domains comes with the workspace settings.
//!
//! Addresses keep the spelling they were typed with but compare case-insensitively, so
//! `Sarah@Acme.com` and `sarah@acme.com` are the same login.

use std::fmt;
use std::hash::{Hash, Hasher};

/// The longest address SMTP can carry (RFC 5321 path limit minus the angle brackets).
const MAX_LEN: usize = 254;
/// The longest local part RFC 5321 allows.
const MAX_LOCAL_LEN: usize = 64;

/// Why text is not an acceptable email address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing but whitespace was given.
    #[error("must not be empty")]
    Empty,
    /// Longer than SMTP allows.
    #[error("must be at most {MAX_LEN} characters")]
    TooLong,
    /// There is no `@`, or more than one.
    #[error("must contain exactly one @")]
    MissingAt,
    /// The part before the `@` is empty, too long or holds characters mail systems refuse.
    #[error("the part before @ is not valid")]
    InvalidLocalPart,
    /// The part after the `@` is not a valid domain name.
    #[error("the part after @ is not a valid domain")]
    InvalidDomain,
    /// A contact's domain has no dot, so mail cannot reach it from outside one machine.
    #[error("the part after @ needs a dot, such as example.com")]
    LocalDomain,
}

/// A syntactically valid email address, compared case-insensitively.
#[derive(Debug, Clone)]
pub struct EmailAddress {
    /// As typed (trimmed).
    text: String,
    /// Lower-cased, for equality, hashing and uniqueness.
    key: String,
}

/// Something worth a second look about an address that is nevertheless valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailWarning {
    /// The domain is one letter or two away from a common mail domain or top-level domain.
    LikelyTypo {
        /// The address with the domain most likely meant.
        suggestion: EmailAddress,
    },
}

impl EmailAddress {
    /// The longest accepted address, in bytes (RFC 5321).
    pub const MAX_LEN: usize = MAX_LEN;

    /// Trims and validates `input`.
    ///
    /// # Errors
    /// [`EmailError`] naming the first part of the address that is not valid.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(EmailError::Empty);
        }
        // Counted as typed, as every text length is (`text::clean`).
        if input.len() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = split_once_exactly(text, '@').ok_or(EmailError::MissingAt)?;
        if !is_valid_local_part(local) {
            return Err(EmailError::InvalidLocalPart);
        }
        if !is_valid_domain(domain) {
            return Err(EmailError::InvalidDomain);
        }
        Ok(Self { text: text.to_owned(), key: text.to_ascii_lowercase() })
    }

    /// Trims and validates the address of a client or staff member being added or changed:
    /// [`parse`](Self::parse), and a domain with a dot.
    ///
    /// # Errors
    /// As [`parse`](Self::parse), and [`EmailError::LocalDomain`].
    pub fn parse_contact(input: &str) -> Result<Self, EmailError> {
        let address = Self::parse(input)?;
        if address.domain().contains('.') { Ok(address) } else { Err(EmailError::LocalDomain) }
    }

    /// The address as it was typed (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The lower-cased form used for equality and uniqueness (storage indexes use it too).
    pub fn normalized(&self) -> &str {
        &self.key
    }

    /// The domain, lower-cased.
    pub fn domain(&self) -> &str {
        self.key.rsplit_once('@').map_or("", |(_, domain)| domain)
    }

    /// A warning when the address looks like a typo of a common domain (`gmial.com`).
    ///
    /// A warning never blocks saving: the address may be right, and only a person can tell.
    pub fn warning(&self) -> Option<EmailWarning> {
        let domain = self.domain();
        let suggested = suggest_domain(domain)?;
        let local = self.text.rsplit_once('@').map_or("", |(local, _)| local);
        let suggestion = Self::parse(&format!("{local}@{suggested}")).ok()?;
        Some(EmailWarning::LikelyTypo { suggestion })
    }
}

impl PartialEq for EmailAddress {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for EmailAddress {}

impl Hash for EmailAddress {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn split_once_exactly(text: &str, separator: char) -> Option<(&str, &str)> {
    let (left, right) = text.split_once(separator)?;
    (!right.contains(separator)).then_some((left, right))
}

fn is_valid_local_part(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-";
    !local.is_empty()
        && local.len() <= MAX_LOCAL_LEN
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || SPECIALS.contains(c))
}

fn is_valid_domain(domain: &str) -> bool {
    !domain.is_empty() && domain.split('.').all(is_valid_label)
}

fn is_valid_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Mail domains common enough that a near miss is far more likely a typo than a real domain.
const COMMON_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "ymail.com",
    "rocketmail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "gmx.de",
    "web.de",
    "mail.com",
    "fastmail.com",
    "zoho.com",
    "comcast.net",
    "verizon.net",
    "btinternet.com",
];

/// Top-level domains commonly mistyped, with what was meant.
const TLD_TYPOS: &[(&str, &str)] = &[
    ("con", "com"),
    ("cmo", "com"),
    ("ocm", "com"),
    ("vom", "com"),
    ("xom", "com"),
    ("comm", "com"),
    ("coom", "com"),
    ("nte", "net"),
    ("ent", "net"),
    ("ogr", "org"),
    ("orgg", "org"),
];

fn suggest_domain(domain: &str) -> Option<String> {
    if COMMON_DOMAINS.contains(&domain) {
        return None;
    }
    // Short domains are too close to too many others; allow one edit below 10 letters.
    let max_distance = if domain.len() < 10 { 1 } else { 2 };
    let nearest = COMMON_DOMAINS
        .iter()
        .map(|common| (edit_distance(domain, common), *common))
        .filter(|(distance, _)| *distance <= max_distance)
        .min_by_key(|(distance, _)| *distance);
    if let Some((_, common)) = nearest {
        return Some(common.to_owned());
    }
    let (name, tld) = domain.rsplit_once('.')?;
    TLD_TYPOS.iter().find(|(typo, _)| *typo == tld).map(|(_, meant)| format!("{name}.{meant}"))
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring letters each count one (`gmial` → `gmail` is one edit).
fn edit_distance(a: &str, b: &str) -> usize {
    let a = a.as_bytes();
    let b = b.as_bytes();
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        rows[at(i, 0)] = i;
    }
    for j in 0..=b.len() {
        rows[at(0, j)] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[at(i - 1, j)] + 1).min(rows[at(i, j - 1)] + 1).min(rows[at(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[at(i - 2, j - 2)] + 1);
            }
            rows[at(i, j)] = best;
        }
    }
    rows[at(a.len(), b.len())]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn email(text: &str) -> EmailAddress {
        EmailAddress::parse(text).expect("valid address")
    }

    #[test]
    fn a_contact_address_needs_a_dot_in_its_domain() {
        assert_eq!(EmailAddress::parse_contact("sarah@gmail").err(), Some(EmailError::LocalDomain));
        assert_eq!(EmailAddress::parse_contact("admin@localhost").err(), Some(EmailError::LocalDomain));
        assert!(EmailAddress::parse("admin@localhost").is_ok(), "still a valid login");
        assert_eq!(
            EmailAddress::parse_contact(" Sarah@Acme.com ").ok().map(|e| e.to_string()),
            Some("Sarah@Acme.com".into())
        );
        assert_eq!(EmailAddress::parse_contact("sarah").err(), Some(EmailError::MissingAt), "syntax first");
    }

    #[test]
    fn accepts_ordinary_addresses() {
        for text in ["sarah@acme.com", "first.last+tag@mail.example.co.uk", "admin@localhost", "o'brien@x-y.ie"] {
            assert_eq!(email(text).as_str(), text);
        }
    }

    #[test]
    fn trims_but_keeps_the_typed_case() {
        let address = email("  Sarah@Acme.COM ");
        assert_eq!(address.as_str(), "Sarah@Acme.COM");
        assert_eq!(address.normalized(), "sarah@acme.com");
        assert_eq!(address.domain(), "acme.com");
    }

    #[test]
    fn compares_and_hashes_case_insensitively() {
        use std::collections::HashSet;
        assert_eq!(email("Sarah@Acme.com"), email("sarah@acme.COM"));
        let set: HashSet<_> = [email("A@b.c"), email("a@B.C")].into_iter().collect();
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn refuses_malformed_addresses() {
        let cases = [
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            ("sarah.acme.com", EmailError::MissingAt),
            ("a@b@c.com", EmailError::MissingAt),
            ("@acme.com", EmailError::InvalidLocalPart),
            (".sarah@acme.com", EmailError::InvalidLocalPart),
            ("sa..rah@acme.com", EmailError::InvalidLocalPart),
            ("sa rah@acme.com", EmailError::InvalidLocalPart),
            ("\"quoted\"@acme.com", EmailError::InvalidLocalPart),
            ("sarah@", EmailError::InvalidDomain),
            ("sarah@acme..com", EmailError::InvalidDomain),
            ("sarah@-acme.com", EmailError::InvalidDomain),
            ("sarah@acme.com.", EmailError::InvalidDomain),
            ("sarah@acme_corp.com", EmailError::InvalidDomain),
            ("sarah@acme.com\r\nBcc: all", EmailError::InvalidDomain),
            ("Sarah <sarah@acme.com>", EmailError::InvalidLocalPart),
        ];
        for (input, expected) in cases {
            assert_eq!(EmailAddress::parse(input).err(), Some(expected), "input {input:?}");
        }
    }

    #[test]
    fn enforces_smtp_length_limits() {
        let local = "a".repeat(65);
        assert_eq!(EmailAddress::parse(&format!("{local}@x.com")).err(), Some(EmailError::InvalidLocalPart));
        let domain = format!("{}.com", vec!["a".repeat(63); 4].join("."));
        assert_eq!(EmailAddress::parse(&format!("me@{domain}")).err(), Some(EmailError::TooLong));
    }

    #[test]
    fn warns_about_likely_typos_of_common_domains() {
        for (typed, meant) in [
            ("sarah@gmial.com", "sarah@gmail.com"),
            ("sarah@gmail.co", "sarah@gmail.com"),
            ("Sarah@hotmial.com", "Sarah@hotmail.com"),
            ("sarah@outlok.com", "sarah@outlook.com"),
            ("sarah@acme.con", "sarah@acme.com"),
            ("sarah@acme.ogr", "sarah@acme.org"),
        ] {
            let Some(EmailWarning::LikelyTypo { suggestion }) = email(typed).warning() else {
                panic!("expected a typo warning for {typed}");
            };
            assert_eq!(suggestion.as_str(), meant);
        }
    }

    #[test]
    fn does_not_warn_about_correct_or_unrelated_domains() {
        for text in ["sarah@gmail.com", "sarah@acme.com", "sarah@mail.acme.io", "admin@localhost", "x@me.com"] {
            assert_eq!(email(text).warning(), None, "{text}");
        }
    }

    #[test]
    fn edit_distance_counts_swaps_as_one_edit() {
        assert_eq!(edit_distance("gmial", "gmail"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    proptest! {
        #[test]
        fn generated_valid_addresses_parse_and_round_trip(
            local in "[a-zA-Z0-9_+-]{1,20}(\\.[a-zA-Z0-9_+-]{1,10}){0,2}",
            domain in "[a-z0-9]{1,20}(\\.[a-z]{2,6}){1,2}",
        ) {
            let text = format!("{local}@{domain}");
            let parsed = EmailAddress::parse(&text).expect("generated address is valid");
            prop_assert_eq!(parsed.as_str(), text.as_str());
            prop_assert_eq!(EmailAddress::parse(&text.to_uppercase()).expect("valid"), parsed);
        }

        #[test]
        fn never_accepts_control_characters_or_spaces(input in ".{0,80}") {
            if let Ok(parsed) = EmailAddress::parse(&input) {
                prop_assert!(!parsed.as_str().chars().any(|c| c.is_control() || c.is_whitespace()));
                prop_assert_eq!(parsed.as_str().matches('@').count(), 1);
            }
        }

        #[test]
        fn edit_distance_is_symmetric(a in "[a-c]{0,8}", b in "[a-c]{0,8}") {
            prop_assert_eq!(edit_distance(&a, &b), edit_distance(&b, &a));
        }
    }
}
