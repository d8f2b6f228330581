//! How each person wants to hear of each category: their own choices over the workspace's
//! defaults.

use std::collections::BTreeMap;

use super::Category;
use crate::names::named_enum;
use crate::staff::UserRef;

named_enum! {
    /// How a person hears of a category.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Delivery {
        /// A mail soon after (mails to one person over a short window are gathered into one).
        Immediate => "immediate",
        /// One mail a day, at the workspace's digest hour.
        DailyDigest => "daily_digest",
        /// Not by mail.
        Off => "off",
    }
}

impl Delivery {
    /// How the choice reads to people ("In the daily digest").
    pub const fn label(self) -> &'static str {
        match self {
            Self::Immediate => "Right away",
            Self::DailyDigest => "In the daily digest",
            Self::Off => "No mail",
        }
    }
}

/// The workspace's defaults, for people who have not chosen: a delivery per category, one
/// set for clients and one for staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotificationDefaults {
    clients: [Delivery; Category::ALL.len()],
    staff: [Delivery; Category::ALL.len()],
}

impl Default for NotificationDefaults {
    /// Clients hear of approvals and invoices (and being added to a project) at once and of
    /// the rest in a daily digest; staff hear of what clients do at once.
    fn default() -> Self {
        let client = |category| match category {
            Category::Approvals | Category::Invoices | Category::Projects => Delivery::Immediate,
            Category::Messages | Category::Files | Category::Tasks => Delivery::DailyDigest,
        };
        Self { clients: Category::ALL.map(client), staff: [Delivery::Immediate; Category::ALL.len()] }
    }
}

impl NotificationDefaults {
    /// The default for `user` in `category`.
    pub fn of(&self, user: UserRef, category: Category) -> Delivery {
        self.default_for(matches!(user, UserRef::Client(_)), category)
    }

    /// The default in `category` for clients (`for_clients`) or staff.
    pub fn default_for(&self, for_clients: bool, category: Category) -> Delivery {
        let set = if for_clients { &self.clients } else { &self.staff };
        set[category.index()]
    }

    /// Makes `delivery` the default in `category` for clients (`for_clients`) or staff.
    pub fn set(&mut self, for_clients: bool, category: Category, delivery: Delivery) {
        let set = if for_clients { &mut self.clients } else { &mut self.staff };
        set[category.index()] = delivery;
    }

    /// Every category with its default, for clients (`for_clients`) or staff.
    pub fn list(&self, for_clients: bool) -> Vec<(Category, Delivery)> {
        let set = if for_clients { &self.clients } else { &self.staff };
        Category::ALL.into_iter().zip(set.iter().copied()).collect()
    }
}

/// One person's choices: a delivery per category they chose (the rest follow the workspace's
/// defaults), and for admins whether they hear of every project's client activity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preferences {
    /// The categories the person chose, with their choice.
    pub chosen: BTreeMap<Category, Delivery>,
    /// An admin's opt-in to client activity on projects they are not on.
    pub all_projects: bool,
}

impl Preferences {
    /// How `user`, with these choices, hears of `category`.
    pub fn delivery(&self, user: UserRef, category: Category, defaults: &NotificationDefaults) -> Delivery {
        self.chosen.get(&category).copied().unwrap_or_else(|| defaults.of(user, category))
    }

    /// Every category with how `user` hears of it, for a settings page.
    pub fn resolved(&self, user: UserRef, defaults: &NotificationDefaults) -> Vec<(Category, Delivery)> {
        Category::ALL.into_iter().map(|category| (category, self.delivery(user, category, defaults))).collect()
    }

    /// Sets how the person hears of `category`; `Off` stops it.
    pub fn choose(&mut self, category: Category, delivery: Delivery) {
        self.chosen.insert(category, delivery);
    }
}
