//! A person's notification choices as typed: category names to delivery names.

use std::collections::BTreeMap;

use portico_domain::activity::{Category, Delivery};
use portico_domain::validation::ValidationErrors;

/// New choices: some categories with how to hear of them, and an admin's opt-in to every
/// project's client activity. Categories left out keep their choice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotificationForm {
    /// Category name (`messages`, …) to delivery name (`immediate`, `daily_digest`, `off`).
    pub categories: BTreeMap<String, String>,
    /// Whether to hear of client activity on every project (admins).
    pub all_projects: Option<bool>,
}

/// Parsed choices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotificationChoices {
    /// The categories chosen, with their delivery.
    pub categories: Vec<(Category, Delivery)>,
    /// An admin's opt-in to every project, when given.
    pub all_projects: Option<bool>,
}

impl NotificationForm {
    /// The choices, or every refused one as a field error (`categories.<name>`).
    ///
    /// # Errors
    /// A category or delivery name that is not one.
    pub fn parse(&self) -> Result<NotificationChoices, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let mut categories = Vec::new();
        for (name, delivery) in &self.categories {
            let field = format!("categories.{name}");
            match (Category::from_name(name), Delivery::from_name(delivery)) {
                (None, _) => errors.add(
                    field,
                    format!("is not a category: use one of {}", names(&Category::ALL.map(Category::as_str))),
                ),
                (_, None) => {
                    errors.add(field, format!("must be one of {}", names(&Delivery::ALL.map(Delivery::as_str))));
                }
                (Some(category), Some(delivery)) => categories.push((category, delivery)),
            }
        }
        errors.into_result()?;
        Ok(NotificationChoices { categories, all_projects: self.all_projects })
    }
}

fn names(all: &[&str]) -> String {
    all.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_and_each_bad_one_is_its_own_field_error() {
        let form = NotificationForm {
            categories: [("files", "off"), ("invoices", " Immediate ")]
                .map(|(c, d)| (c.to_owned(), d.to_owned()))
                .into(),
            all_projects: None,
        };
        let choices = form.parse().expect("valid");
        assert_eq!(choices.categories, [(Category::Files, Delivery::Off), (Category::Invoices, Delivery::Immediate)]);
        let bad = NotificationForm {
            categories: [("gossip", "off"), ("files", "hourly")].map(|(c, d)| (c.to_owned(), d.to_owned())).into(),
            all_projects: None,
        };
        let errors = bad.parse().expect_err("refused");
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["categories.files", "categories.gossip"]);
    }
}
