//! The companies directory: client contacts grouped by company, with spelling variants.

use std::collections::BTreeMap;

use crate::client::Client;
use crate::company::{CompanyKey, CompanyName};
use crate::ids::ClientId;

/// All contacts whose company names share one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyGroup {
    /// The shared key.
    pub key: CompanyKey,
    /// The spelling to standardise on: the most used one (the earliest used wins a tie).
    pub canonical: String,
    /// Every spelling in use with how many contacts use it, most used first.
    pub variants: Vec<(String, usize)>,
    /// The contacts, oldest first.
    pub contacts: Vec<ClientId>,
}

impl CompanyGroup {
    /// Whether contacts spell the company in more than one way.
    pub fn has_variants(&self) -> bool {
        self.variants.len() > 1
    }
}

/// Groups the companies of `clients` (deleted clients and clients without a company are left
/// out), ordered by key.
pub fn group<'a>(clients: impl IntoIterator<Item = &'a Client>) -> Vec<CompanyGroup> {
    let mut by_key: BTreeMap<&CompanyKey, Vec<(&Client, &CompanyName)>> = BTreeMap::new();
    for client in clients.into_iter().filter(|c| !c.is_deleted()) {
        if let Some(company) = &client.profile().company {
            by_key.entry(company.company_key()).or_default().push((client, company));
        }
    }
    by_key
        .into_iter()
        .map(|(key, mut members)| {
            members.sort_by_key(|(client, _)| (client.created_at(), client.id()));
            // Count spellings in order of first use, so a stable sort by count breaks ties by age.
            let mut variants: Vec<(String, usize)> = Vec::new();
            for (_, company) in &members {
                match variants.iter_mut().find(|(spelling, _)| spelling == company.as_str()) {
                    Some((_, count)) => *count += 1,
                    None => variants.push((company.as_str().to_owned(), 1)),
                }
            }
            variants.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
            CompanyGroup {
                key: key.clone(),
                canonical: variants[0].0.clone(),
                variants,
                contacts: members.iter().map(|(client, _)| client.id()).collect(),
            }
        })
        .collect()
}

/// When `name` is a new spelling of a company already in `groups`, the spelling in use.
pub fn suggest_spelling<'a>(groups: &'a [CompanyGroup], name: &CompanyName) -> Option<&'a str> {
    groups
        .iter()
        .find(|group| &group.key == name.company_key())
        .map(|group| group.canonical.as_str())
        .filter(|canonical| *canonical != name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ClientProfile;
    use crate::email::EmailAddress;
    use crate::ids::WorkspaceId;
    use crate::permissions::PermissionSet;
    use crate::text::PersonName;
    use time::Duration;
    use time::macros::datetime;
    use uuid::Uuid;

    fn client(n: u8, company: Option<&str>) -> Client {
        let profile = ClientProfile {
            name: PersonName::parse(&format!("Contact {n}")).expect("valid"),
            email: EmailAddress::parse(&format!("c{n}@x.example")).expect("valid"),
            company: company.map(|c| CompanyName::parse(c).expect("valid")),
            phone: None,
            billing_address: None,
            notes: None,
        };
        let created = datetime!(2026-01-01 0:00 UTC) + Duration::minutes(i64::from(n));
        let id = ClientId::from_uuid(Uuid::from_u128(u128::from(n)));
        Client::new(id, WorkspaceId::from_uuid(Uuid::from_u128(99)), profile, PermissionSet::empty(), created)
    }

    #[test]
    fn groups_variants_and_picks_the_most_used_spelling() {
        let clients = [
            client(1, Some("Acme Corp")),
            client(2, Some("ACME")),
            client(3, Some("Acme Corporation")),
            client(4, Some("ACME")),
            client(5, Some("Globex")),
            client(6, None),
        ];
        let groups = group(&clients);
        assert_eq!(groups.len(), 2);
        let acme = &groups[0];
        assert_eq!(acme.key.as_str(), "acme");
        assert_eq!(acme.canonical, "ACME");
        assert_eq!(acme.variants, [("ACME".into(), 2), ("Acme Corp".into(), 1), ("Acme Corporation".into(), 1)]);
        assert_eq!(acme.contacts.len(), 4);
        assert!(acme.has_variants());
        assert!(!groups[1].has_variants());
    }

    #[test]
    fn a_tie_goes_to_the_spelling_used_first() {
        let groups = group(&[client(2, Some("Acme Corporation")), client(1, Some("Acme Corp"))]);
        assert_eq!(groups[0].canonical, "Acme Corp");
    }

    #[test]
    fn deleted_clients_are_left_out() {
        let mut gone = client(1, Some("Acme"));
        gone.delete(datetime!(2026-02-01 0:00 UTC)).expect("deletable");
        assert!(group(&[gone]).is_empty());
    }

    #[test]
    fn suggests_the_spelling_in_use_for_a_new_variant_only() {
        let groups = group(&[client(1, Some("Acme Corp"))]);
        let name = |s: &str| CompanyName::parse(s).expect("valid");
        assert_eq!(suggest_spelling(&groups, &name("ACME inc.")), Some("Acme Corp"));
        assert_eq!(suggest_spelling(&groups, &name("Acme Corp")), None);
        assert_eq!(suggest_spelling(&groups, &name("Globex")), None);
    }
}
