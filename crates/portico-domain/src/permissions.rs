//! What a client may see and do in the portal.
//!
//! A [`PermissionSet`] is a set of [`Permission`]s that respects the dependency rule: work
//! inside projects (`tasks`, `files`, `messages`, `approvals`) needs `projects`, and `payments`
//! needs `invoices`. The only ways to build a set check that rule, so every set in the system
//! satisfies it, and intersecting two valid sets gives a valid set.

use crate::names::named_enum;
use std::fmt;
use std::str::FromStr;

/// One thing a client can be allowed to see or do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    /// See the projects the client is assigned to.
    Projects,
    /// See client-visible tasks (and comment on them, with `messages`).
    Tasks,
    /// See and download client-visible files, and upload files.
    Files,
    /// See invoices addressed to the client or to its projects.
    Invoices,
    /// See payment details of those invoices.
    Payments,
    /// Read and post project discussion.
    Messages,
    /// Answer approval requests.
    Approvals,
}

impl Permission {
    /// Every permission, in display order.
    pub const ALL: [Self; 7] =
        [Self::Projects, Self::Tasks, Self::Files, Self::Messages, Self::Approvals, Self::Invoices, Self::Payments];

    /// The permission this one depends on, if any.
    pub const fn requires(self) -> Option<Self> {
        match self {
            Self::Tasks | Self::Files | Self::Messages | Self::Approvals => Some(Self::Projects),
            Self::Payments => Some(Self::Invoices),
            Self::Projects | Self::Invoices => None,
        }
    }

    /// The stable name used in the API, forms and storage.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Projects => "projects",
            Self::Tasks => "tasks",
            Self::Files => "files",
            Self::Invoices => "invoices",
            Self::Payments => "payments",
            Self::Messages => "messages",
            Self::Approvals => "approvals",
        }
    }

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Permission {
    type Err = PermissionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim();
        Self::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| PermissionError::Unknown(name.to_owned()))
    }
}

/// Why a set of permissions was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PermissionError {
    /// A permission was given without the one it depends on.
    #[error("\"{permission}\" requires \"{requires}\"")]
    Requires {
        /// The permission that was given.
        permission: Permission,
        /// The permission it needs.
        requires: Permission,
    },
    /// A name that is no permission.
    #[error("\"{0}\" is not a permission")]
    Unknown(String),
    /// A name that is no preset.
    #[error("\"{0}\" is not a permission preset")]
    UnknownPreset(String),
}

/// A set of permissions satisfying the dependency rule.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PermissionSet(u8);

impl PermissionSet {
    /// No permissions: the client sees nothing.
    pub const fn empty() -> Self {
        Self(0)
    }

    /// Every permission.
    pub fn all() -> Self {
        Self(Permission::ALL.iter().fold(0, |bits, p| bits | p.bit()))
    }

    /// Builds a set, checking the dependency rule.
    ///
    /// # Errors
    /// [`PermissionError::Requires`] naming the first permission whose dependency is missing.
    pub fn new(permissions: impl IntoIterator<Item = Permission>) -> Result<Self, PermissionError> {
        let set = Self(permissions.into_iter().fold(0, |bits, p| bits | p.bit()));
        for permission in set.iter() {
            if let Some(requires) = permission.requires().filter(|r| !set.contains(*r)) {
                return Err(PermissionError::Requires { permission, requires });
            }
        }
        Ok(set)
    }

    /// Parses permission names (`"projects"`, `"tasks"`, …) into a set.
    ///
    /// # Errors
    /// [`PermissionError::Unknown`] for a name that is no permission, and the errors of [`PermissionSet::new`].
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, PermissionError> {
        let permissions = names.into_iter().map(str::parse).collect::<Result<Vec<Permission>, _>>()?;
        Self::new(permissions)
    }

    /// Whether `permission` is in the set.
    pub const fn contains(&self, permission: Permission) -> bool {
        self.0 & permission.bit() != 0
    }

    /// The permissions in both sets. Valid whenever both inputs are, so it needs no check.
    #[must_use]
    pub const fn intersection(&self, other: &Self) -> Self {
        Self(self.0 & other.0)
    }

    /// Whether every permission of `self` is also in `other`.
    pub const fn is_subset(&self, other: &Self) -> bool {
        self.0 & !other.0 == 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The permissions in the set, in display order.
    pub fn iter(&self) -> impl Iterator<Item = Permission> + '_ {
        Permission::ALL.into_iter().filter(|p| self.contains(*p))
    }

    /// The permissions of `self` that `other` lacks.
    pub fn missing_from(&self, other: &Self) -> impl Iterator<Item = Permission> + '_ {
        let other = *other;
        self.iter().filter(move |p| !other.contains(*p))
    }

    /// The preset this set equals, if any (to label it in the UI).
    pub fn matching_preset(&self) -> Option<Preset> {
        Preset::ALL.into_iter().find(|preset| preset.permissions() == *self)
    }
}

impl fmt::Debug for PermissionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for PermissionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Permission::as_str).collect();
        f.write_str(&names.join(", "))
    }
}

named_enum! {
    /// The permission sets the guide recommends for the usual roles of a client contact.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Preset {
        /// Everything, including review and approvals (a marketing director).
        FullAccess => "full_access",
        /// Projects, tasks, files and messages (a project coordinator).
        Collaborator => "collaborator",
        /// Invoices and payments only (accounts payable).
        BillingOnly => "billing_only",
        /// Only the list of projects and their status (a senior executive).
        OverviewOnly => "overview_only",
    }
}

impl Preset {
    /// The permissions of the preset.
    pub fn permissions(self) -> PermissionSet {
        use Permission::{Files, Invoices, Messages, Payments, Projects, Tasks};
        let bits = |ps: &[Permission]| PermissionSet(ps.iter().fold(0, |bits, p| bits | p.bit()));
        match self {
            Self::FullAccess => PermissionSet::all(),
            Self::Collaborator => bits(&[Projects, Tasks, Files, Messages]),
            Self::BillingOnly => bits(&[Invoices, Payments]),
            Self::OverviewOnly => bits(&[Projects]),
        }
    }

    /// A label for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::FullAccess => "Full access",
            Self::Collaborator => "Collaborator",
            Self::BillingOnly => "Billing only",
            Self::OverviewOnly => "Overview only",
        }
    }
}

impl FromStr for Preset {
    type Err = PermissionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or_else(|| PermissionError::UnknownPreset(s.trim().to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::Permission::*;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn enforces_the_dependency_rule() {
        assert_eq!(
            PermissionSet::new([Tasks]),
            Err(PermissionError::Requires { permission: Tasks, requires: Projects })
        );
        assert_eq!(
            PermissionSet::new([Payments]),
            Err(PermissionError::Requires { permission: Payments, requires: Invoices })
        );
        assert!(PermissionSet::new([Projects, Tasks, Approvals]).is_ok());
        assert!(PermissionSet::new([]).is_ok());
    }

    #[test]
    fn presets_match_the_guide() {
        let names = |preset: Preset| preset.permissions().iter().map(Permission::as_str).collect::<Vec<_>>();
        assert_eq!(names(Preset::FullAccess).len(), 7);
        assert_eq!(names(Preset::Collaborator), ["projects", "tasks", "files", "messages"]);
        assert_eq!(names(Preset::BillingOnly), ["invoices", "payments"]);
        assert_eq!(names(Preset::OverviewOnly), ["projects"]);
        for preset in Preset::ALL {
            assert_eq!(PermissionSet::new(preset.permissions().iter()), Ok(preset.permissions()));
            assert_eq!(preset.permissions().matching_preset(), Some(preset));
            assert_eq!(preset.as_str().parse(), Ok(preset));
        }
    }

    #[test]
    fn parses_names_and_refuses_unknown_ones() {
        assert_eq!(PermissionSet::parse(["Projects", " files "]), PermissionSet::new([Projects, Files]));
        assert_eq!(PermissionSet::parse(["projects", "chat"]), Err(PermissionError::Unknown("chat".into())));
        assert_eq!("owner".parse::<Preset>(), Err(PermissionError::UnknownPreset("owner".into())));
    }

    #[test]
    fn shows_as_names() {
        let set = PermissionSet::new([Projects, Files]).expect("valid");
        assert_eq!(set.to_string(), "projects, files");
        assert_eq!(format!("{set:?}"), "{Projects, Files}");
    }

    fn any_subset() -> impl Strategy<Value = Vec<Permission>> {
        proptest::sample::subsequence(Permission::ALL.to_vec(), 0..=7)
    }

    fn valid_set() -> impl Strategy<Value = PermissionSet> {
        any_subset().prop_filter_map("violates the dependency rule", |ps| PermissionSet::new(ps).ok())
    }

    proptest! {
        #[test]
        fn a_set_is_accepted_exactly_when_every_dependency_is_present(ps in any_subset()) {
            let respects_rule = ps.iter().all(|p| p.requires().is_none_or(|r| ps.contains(&r)));
            prop_assert_eq!(PermissionSet::new(ps.clone()).is_ok(), respects_rule);
            if let Ok(set) = PermissionSet::new(ps.clone()) {
                for permission in Permission::ALL {
                    prop_assert_eq!(set.contains(permission), ps.contains(&permission));
                }
            }
        }

        #[test]
        fn intersection_of_valid_sets_is_valid_and_a_subset_of_both(a in valid_set(), b in valid_set()) {
            let both = a.intersection(&b);
            prop_assert_eq!(PermissionSet::new(both.iter()), Ok(both));
            prop_assert!(both.is_subset(&a) && both.is_subset(&b));
            prop_assert_eq!(both, b.intersection(&a));
            prop_assert_eq!(a.intersection(&PermissionSet::all()), a);
        }

        #[test]
        fn names_round_trip(set in valid_set()) {
            let names: Vec<&str> = set.iter().map(Permission::as_str).collect();
            prop_assert_eq!(PermissionSet::parse(names), Ok(set));
        }

        #[test]
        fn missing_from_lists_exactly_the_difference(a in valid_set(), b in valid_set()) {
            let missing: Vec<Permission> = a.missing_from(&b).collect();
            for permission in Permission::ALL {
                prop_assert_eq!(missing.contains(&permission), a.contains(permission) && !b.contains(permission));
            }
        }
    }
}
