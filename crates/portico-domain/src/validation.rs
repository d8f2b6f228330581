//! Collecting field errors, so a form or request reports every problem at once.

use std::fmt;

/// One field that was refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as the caller knows it (`"email"`, `"lines[2].quantity"`).
    pub field: String,
    /// What is wrong, for people.
    pub message: String,
}

/// Every field error of one input. Never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
#[error("invalid input: {}", summary(.0))]
pub struct ValidationErrors(Vec<FieldError>);

fn summary(errors: &[FieldError]) -> String {
    errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
}

impl ValidationErrors {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// One error, for checks of a single field.
    pub fn single(field: impl Into<String>, message: impl fmt::Display) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Records that `field` is wrong.
    pub fn add(&mut self, field: impl Into<String>, message: impl fmt::Display) {
        self.0.push(FieldError { field: field.into(), message: message.to_string() });
    }

    /// Keeps the value of a successful parse, or records its error under `field`.
    pub fn check<T, E: fmt::Display>(&mut self, field: &str, parsed: Result<T, E>) -> Option<T> {
        parsed.map_err(|error| self.add(field, error)).ok()
    }

    /// Like [`check`](Self::check) for an optional field: blank input means "not given".
    pub fn check_optional<T, E: fmt::Display>(
        &mut self,
        field: &str,
        input: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<Option<T>> {
        // The parser gets the text as typed: it trims, and counts the length as typed.
        match input.filter(|text| !text.trim().is_empty()) {
            None => Some(None),
            Some(text) => self.check(field, parse(text)).map(Some),
        }
    }

    /// Keeps the value of a successful parse of several fields, or records all its errors.
    pub fn absorb<T>(&mut self, parsed: Result<T, Self>) -> Option<T> {
        parsed.map_err(|more| self.0.extend(more.0)).ok()
    }

    /// Appends the errors of a nested input, prefixing their fields (`lines[2].quantity`).
    pub fn extend_prefixed(&mut self, prefix: &str, nested: Self) {
        self.0.extend(nested.0.into_iter().map(|e| FieldError { field: format!("{prefix}.{}", e.field), ..e }));
    }

    /// Whether no error was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The recorded errors.
    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// `Ok(())` when nothing was recorded, else these errors.
    ///
    /// # Errors
    /// `self`, when it holds at least one error.
    pub fn into_result(self) -> Result<(), Self> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::PersonName;

    #[test]
    fn collects_every_error_with_its_field() {
        let mut errors = ValidationErrors::new();
        assert_eq!(errors.check("name", PersonName::parse("Sarah")).map(|n| n.to_string()), Some("Sarah".into()));
        assert_eq!(errors.check("other", PersonName::parse("")), None);
        assert_eq!(errors.check_optional("phone", Some("  "), PersonName::parse), Some(None));
        assert_eq!(errors.check_optional("title", Some("\u{7}"), PersonName::parse), None);
        let mut nested = ValidationErrors::new();
        nested.add("quantity", "must be greater than zero");
        errors.extend_prefixed("lines[2]", nested);
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["other", "title", "lines[2].quantity"]);
        assert_eq!(errors.errors()[0].message, "must not be empty");
        assert!(errors.into_result().is_err());
        assert_eq!(ValidationErrors::new().into_result(), Ok(()));
    }
}
