//! A client's fields as typed, the one body both edges read: the JSON API's `POST /clients`
//! and the new-client and edit pages, whose form encoding is mapped onto it. It becomes the
//! application's [`ClientForm`] or [`ClientEditForm`] in one place.

use portico_app::forms::{ClientEditForm, ClientForm, PermissionsInput};
use portico_domain::client::Client;
use portico_domain::company::CompanyName;
use portico_domain::phone::Phone;
use portico_domain::text::{BillingAddress, InternalNotes};
use portico_domain::validation::ValidationErrors;
use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;

/// Permissions as a list of names or one preset name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PermissionsBody {
    /// Names: `["projects", "tasks", "files"]`.
    Names(Vec<String>),
    /// A preset: `"collaborator"`, `"full_access"`, `"billing_only"`, `"overview_only"`.
    Preset(String),
}

/// Read by hand rather than as an untagged enum, whose refusal would name the Rust type.
impl<'de> Deserialize<'de> for PermissionsBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PermissionsVisitor;

        impl<'de> Visitor<'de> for PermissionsVisitor {
            type Value = PermissionsBody;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("an array of permission names or a preset name")
            }

            fn visit_str<E: serde::de::Error>(self, preset: &str) -> Result<PermissionsBody, E> {
                Ok(PermissionsBody::Preset(preset.to_owned()))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut names: A) -> Result<PermissionsBody, A::Error> {
                let mut all = Vec::new();
                while let Some(name) = names.next_element()? {
                    all.push(name);
                }
                Ok(PermissionsBody::Names(all))
            }
        }

        deserializer.deserialize_any(PermissionsVisitor)
    }
}

/// A placeholder: the schema (a list of names or one preset name, from the domain's lists) is
/// written by `api::document`, as utoipa's derive cannot say "one of" for a hand-read enum.
impl utoipa::PartialSchema for PermissionsBody {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::RefOr::T(utoipa::openapi::schema::Schema::default())
    }
}

impl ToSchema for PermissionsBody {}

impl From<PermissionsBody> for PermissionsInput {
    fn from(body: PermissionsBody) -> Self {
        match body {
            PermissionsBody::Names(names) => Self::Names(names),
            PermissionsBody::Preset(preset) => Self::Preset(preset),
        }
    }
}

/// A client's fields as typed: what `POST /clients` reads as JSON, and what the new-client and
/// edit pages read from their forms ([`ClientBody::from_form`]). Turned into the
/// application's form in one place, so a field is added here once for both edges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Sarah Chen", "email": "sarah@acme.example", "company": "Acme Corp", "phone": "+44 20 7946 0958", "preset": "full_access"}))]
pub(crate) struct ClientBody {
    /// Full name.
    pub(crate) name: String,
    /// Login and contact address.
    pub(crate) email: String,
    /// Company.
    pub(crate) company: Option<String>,
    /// Phone.
    pub(crate) phone: Option<String>,
    /// Billing address.
    pub(crate) billing_address: Option<String>,
    /// Internal notes (never shown to the client).
    pub(crate) notes: Option<String>,
    /// Permissions (names or a preset); none when left out.
    pub(crate) permissions: Option<PermissionsBody>,
    /// A preset name, as an alternative to `permissions`.
    pub(crate) preset: Option<String>,
    /// Send the invitation now (default true).
    pub(crate) invite: Option<bool>,
}

/// `permissions` or `preset`, not both.
pub(crate) fn permissions_of(
    permissions: Option<PermissionsBody>,
    preset: Option<String>,
) -> Result<Option<PermissionsInput>, ValidationErrors> {
    match (permissions, preset) {
        (Some(_), Some(_)) => Err(ValidationErrors::single("preset", "give either permissions or preset, not both")),
        (Some(permissions), None) => Ok(Some(permissions.into())),
        (None, Some(preset)) => Ok(Some(PermissionsInput::Preset(preset))),
        (None, None) => Ok(None),
    }
}

impl ClientBody {
    /// The fields of a form page (`application/x-www-form-urlencoded`): text inputs by name,
    /// one `permissions` pair per ticked box, a `preset` select whose blank choice means "the
    /// boxes", and an `invite` checkbox that is absent when unticked. A chosen preset stands
    /// for the permissions, so the boxes left ticked beside it are not read.
    pub(crate) fn from_form(pairs: &[(String, String)]) -> Self {
        let last = |name: &str| pairs.iter().rev().find(|(key, _)| key == name).map(|(_, value)| value.clone());
        let preset = last("preset").filter(|preset| !preset.trim().is_empty());
        let permissions = preset.is_none().then(|| {
            PermissionsBody::Names(
                pairs.iter().filter(|(key, _)| key == "permissions").map(|(_, v)| v.clone()).collect(),
            )
        });
        Self {
            name: last("name").unwrap_or_default(),
            email: last("email").unwrap_or_default(),
            company: last("company"),
            phone: last("phone"),
            billing_address: last("billing_address"),
            notes: last("notes"),
            permissions,
            preset,
            invite: Some(last("invite").is_some()),
        }
    }

    /// The fields as form pairs, read back by [`from_form`](Self::from_form) into the same
    /// body: to carry an edit through a confirmation page.
    pub(crate) fn to_form(&self) -> Vec<(String, String)> {
        let text = [
            ("name", Some(&self.name)),
            ("email", Some(&self.email)),
            ("company", self.company.as_ref()),
            ("phone", self.phone.as_ref()),
            ("billing_address", self.billing_address.as_ref()),
            ("notes", self.notes.as_ref()),
            ("preset", self.preset.as_ref()),
        ];
        let mut pairs: Vec<(String, String)> =
            text.into_iter().filter_map(|(key, value)| Some((key.to_owned(), value?.clone()))).collect();
        if let Some(PermissionsBody::Names(names)) = &self.permissions {
            pairs.extend(names.iter().map(|name| ("permissions".to_owned(), name.clone())));
        }
        if self.invite == Some(true) {
            pairs.push(("invite".to_owned(), "on".to_owned()));
        }
        pairs
    }

    /// The saved fields of `client`, for its edit form.
    pub(crate) fn of(client: &Client) -> Self {
        let profile = client.profile();
        let text = |value: Option<&str>| value.map(str::to_owned);
        Self {
            name: profile.name.to_string(),
            email: profile.email.to_string(),
            company: text(profile.company.as_ref().map(CompanyName::as_str)),
            phone: text(profile.phone.as_ref().map(Phone::as_str)),
            billing_address: text(profile.billing_address.as_ref().map(BillingAddress::as_str)),
            notes: text(profile.notes.as_ref().map(InternalNotes::as_str)),
            permissions: Some(PermissionsBody::Names(
                client.permissions().iter().map(|p| p.as_str().to_owned()).collect(),
            )),
            preset: None,
            invite: None,
        }
    }

    /// A new client's form: permissions as given (none when left out), the invitation sent
    /// unless `invite` is false.
    ///
    /// # Errors
    /// `preset` when both `permissions` and `preset` are given.
    pub(crate) fn into_form(self) -> Result<ClientForm, ValidationErrors> {
        let permissions = permissions_of(self.permissions, self.preset)?.unwrap_or_default();
        Ok(ClientForm {
            name: self.name,
            email: self.email,
            company: self.company,
            phone: self.phone,
            billing_address: self.billing_address,
            notes: self.notes,
            permissions,
            invite: self.invite.unwrap_or(true),
        })
    }

    /// An edit that sets every field as typed (a blank optional field clears it), as a page's
    /// whole form does.
    ///
    /// # Errors
    /// `preset` when both `permissions` and `preset` are given.
    pub(crate) fn into_edit(self) -> Result<ClientEditForm, ValidationErrors> {
        let permissions = permissions_of(self.permissions, self.preset)?;
        Ok(ClientEditForm {
            name: Some(self.name),
            email: Some(self.email),
            company: Some(self.company),
            phone: Some(self.phone),
            billing_address: Some(self.billing_address),
            notes: Some(self.notes),
            permissions,
        })
    }

    /// Whether the permission box is ticked.
    pub(crate) fn has(&self, permission: &str) -> bool {
        matches!(&self.permissions, Some(PermissionsBody::Names(names)) if names.iter().any(|p| p == permission))
    }

    /// Whether this preset is chosen.
    pub(crate) fn is_preset(&self, preset: &str) -> bool {
        self.preset.as_deref() == Some(preset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn a_page_form_reads_as_the_api_body_does() {
        let form = pairs(&[
            ("name", "Sarah Chen"),
            ("email", "sarah@acme.example"),
            ("company", ""),
            ("preset", ""),
            ("permissions", "projects"),
            ("permissions", "files"),
        ]);
        let body = ClientBody::from_form(&form);
        assert_eq!(body.permissions, Some(PermissionsBody::Names(vec!["projects".into(), "files".into()])));
        assert_eq!((body.preset.as_deref(), body.invite), (None, Some(false)), "blank preset, unticked invite");
        let made = body.into_form().expect("valid");
        assert_eq!(made.permissions, PermissionsInput::Names(vec!["projects".into(), "files".into()]));
        assert_eq!(made.company.as_deref(), Some(""), "blank is left for the form to read as none");
        assert!(!made.invite);
    }

    #[test]
    fn a_chosen_preset_stands_for_the_boxes_on_a_page_but_not_beside_them_in_the_api() {
        let body =
            ClientBody::from_form(&pairs(&[("preset", "collaborator"), ("permissions", "invoices"), ("invite", "on")]));
        assert_eq!(body.permissions, None);
        let made = body.into_form().expect("valid");
        assert_eq!((made.permissions, made.invite), (PermissionsInput::Preset("collaborator".into()), true));
        let both = ClientBody {
            permissions: Some(PermissionsBody::Names(vec!["projects".into()])),
            preset: Some("collaborator".into()),
            ..ClientBody::default()
        };
        let errors = both.into_form().expect_err("not both");
        assert_eq!(errors.errors().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["preset"]);
    }

    #[test]
    fn a_body_carried_through_a_confirmation_comes_back_the_same() {
        for body in [
            ClientBody {
                name: "Sarah".into(),
                email: "sarah@acme.example".into(),
                company: Some("Acme".into()),
                notes: Some("line one\nline two".into()),
                permissions: Some(PermissionsBody::Names(vec!["projects".into(), "tasks".into()])),
                invite: Some(false),
                ..ClientBody::default()
            },
            ClientBody { preset: Some("full_access".into()), invite: Some(true), ..ClientBody::default() },
        ] {
            assert_eq!(ClientBody::from_form(&body.to_form()), body);
        }
    }
}
