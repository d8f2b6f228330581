//! Company names and the key that groups their spelling variants.
//!
//! Several contacts of one organisation should carry the same company name, but people type
//! "Acme Corp", "Acme Corporation" and "ACME". [`CompanyName::company_key`] folds such variants
//! to one key (`acme`), so the companies directory can group them and the new-client form can
//! offer the spelling already in use.

use std::fmt;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::text::{Lines, TextError, clean};

/// Legal-form words that do not tell two companies apart. Dropped only at the end of a name,
/// and never when nothing else would be left ("The Company" keeps its words).
const LEGAL_SUFFIXES: &[&str] = &[
    "ab",
    "ag",
    "bv",
    "co",
    "company",
    "corp",
    "corporation",
    "gmbh",
    "inc",
    "incorporated",
    "kg",
    "limited",
    "llc",
    "llp",
    "lp",
    "ltd",
    "nv",
    "oy",
    "plc",
    "pty",
    "sa",
    "sarl",
    "sas",
    "spa",
    "srl",
];

/// A company or organisation name as typed, with its grouping key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CompanyName {
    text: String,
    key: CompanyKey,
}

/// The spelling-insensitive key of a company name: case-folded, accents and punctuation
/// removed, legal suffixes dropped. Two names with the same key are variants of one company.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CompanyKey(String);

impl CompanyName {
    /// The longest accepted name, in characters.
    pub const MAX_CHARS: usize = 200;

    /// Trims and validates `input`.
    ///
    /// # Errors
    /// [`TextError`] when the name is empty, too long or holds control characters.
    pub fn parse(input: &str) -> Result<Self, TextError> {
        let text = clean(input, Self::MAX_CHARS, Lines::Single)?;
        let key = CompanyKey::of(&text);
        Ok(Self { text, key })
    }

    /// The name as typed (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The key shared by all spelling variants of this name.
    pub fn company_key(&self) -> &CompanyKey {
        &self.key
    }
}

impl fmt::Display for CompanyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl CompanyKey {
    /// Computes the key of any text (used for names and for searches by company).
    pub fn of(name: &str) -> Self {
        let folded: String = name
            .nfkd()
            .filter(|c| !is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            // "A.C.M.E." and "O'Neil" keep their letters together; other punctuation separates words.
            .filter(|c| !matches!(c, '.' | '\'' | '’'))
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let mut words: Vec<&str> = folded.split_whitespace().collect();
        while words.len() > 1 && words.last().is_some_and(|word| LEGAL_SUFFIXES.contains(word)) {
            words.pop();
        }
        Self(words.join(" "))
    }

    /// Rebuilds a key read back from storage.
    pub fn from_stored(key: String) -> Self {
        Self(key)
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CompanyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(name: &str) -> String {
        CompanyName::parse(name).expect("valid name").company_key().as_str().to_owned()
    }

    #[test]
    fn the_guides_variants_share_one_key() {
        for variant in ["Acme Corp", "Acme Corporation", "ACME", "acme, inc.", "Acme Co. Ltd", " Acme  LLC "] {
            assert_eq!(key(variant), "acme", "{variant}");
        }
    }

    #[test]
    fn accents_and_punctuation_do_not_matter() {
        assert_eq!(key("Café Rénové GmbH"), key("CAFE RENOVE"));
        assert_eq!(key("A.C.M.E."), "acme");
        assert_eq!(key("O’Neil & Sons"), "oneil sons");
        assert_eq!(key("Smith-Jones Ltd"), "smith jones");
    }

    #[test]
    fn different_companies_keep_different_keys() {
        assert_ne!(key("Acme Corp"), key("Acme Rockets"));
        assert_ne!(key("Globex"), key("Globex Europe"));
    }

    #[test]
    fn a_name_made_only_of_legal_words_keeps_its_last_word() {
        assert_eq!(key("Company Ltd"), "company");
        assert_eq!(key("Corp"), "corp");
        assert_eq!(key("Co Ltd"), "co");
    }

    #[test]
    fn suffix_words_inside_a_name_stay() {
        assert_eq!(key("Inc Magazine Group"), "inc magazine group");
    }

    #[test]
    fn keeps_the_typed_spelling_for_display() {
        let name = CompanyName::parse("  Acme Corp ").expect("valid");
        assert_eq!(name.as_str(), "Acme Corp");
        assert_eq!(CompanyName::parse("\t"), Err(TextError::Empty));
    }

    proptest! {
        #[test]
        fn key_ignores_case_and_surrounding_punctuation(base in "[A-Za-z][A-Za-z ]{0,30}") {
            let plain = CompanyKey::of(&base);
            prop_assert_eq!(&CompanyKey::of(&base.to_uppercase()), &plain);
            prop_assert_eq!(&CompanyKey::of(&format!("{base}.")), &plain);
            prop_assert_eq!(&CompanyKey::of(&format!("  {base}, ")), &plain);
        }

        #[test]
        fn key_is_idempotent(name in "\\PC{1,40}") {
            let once = CompanyKey::of(&name);
            prop_assert_eq!(CompanyKey::of(once.as_str()), once.clone());
        }

        #[test]
        fn key_is_lowercase_words_separated_by_single_spaces(name in "\\PC{1,40}") {
            let key = CompanyKey::of(&name);
            let text = key.as_str();
            prop_assert!(!text.contains("  "));
            prop_assert_eq!(text, text.trim());
            prop_assert!(text.chars().all(|c| c == ' ' || c.is_alphanumeric()));
            prop_assert_eq!(text.to_lowercase(), text);
        }
    }
}
