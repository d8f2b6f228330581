//! Between columns and domain types. Stored data is parsed back through the same
//! constructors user input goes through; anything that no longer passes is `Corrupt`.

use std::fmt::Display;
use std::str::FromStr;

use portico_domain::activity::{Category, Delivery};
use portico_domain::ids::{ClientId, StaffId};
use portico_domain::permissions::{Permission, PermissionSet};
use portico_domain::staff::UserRef;
use portico_ports::{RepoError, RepoResult};
use uuid::Uuid;

use crate::engine::Row;

/// The error for a stored value the domain refuses.
pub(crate) fn corrupt(column: &str, error: impl Display) -> RepoError {
    RepoError::Corrupt(format!("{column}: {error}"))
}

/// A parsed value, or `Corrupt` naming the column.
pub(crate) fn valid<T, E: Display>(column: &str, parsed: Result<T, E>) -> RepoResult<T> {
    parsed.map_err(|error| corrupt(column, error))
}

/// Reads text and parses it with `parse`.
pub(crate) fn read<T, E: Display>(
    row: &impl Row,
    column: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> RepoResult<T> {
    valid(column, parse(&row.text(column)?))
}

/// Reads nullable text and parses it with `parse` when present.
pub(crate) fn read_opt<T, E: Display>(
    row: &impl Row,
    column: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> RepoResult<Option<T>> {
    row.opt_text(column)?.map(|text| valid(column, parse(&text))).transpose()
}

/// Reads text naming an enum variant (`"active"`, `"client"`, …).
pub(crate) fn read_enum<T: FromStr>(row: &impl Row, column: &str) -> RepoResult<T>
where
    T::Err: Display,
{
    read(row, column, str::parse)
}

/// How a person is stored: the kind column and the id.
pub(crate) fn user_parts(user: UserRef) -> (&'static str, Uuid) {
    match user {
        UserRef::Staff(id) => ("staff", id.as_uuid()),
        UserRef::Client(id) => ("client", id.as_uuid()),
    }
}

/// A person from its kind and id columns.
pub(crate) fn user(row: &impl Row, kind_column: &str, id_column: &str) -> RepoResult<UserRef> {
    let id = row.uuid(id_column)?;
    match row.text(kind_column)?.as_str() {
        "staff" => Ok(UserRef::Staff(StaffId::from_uuid(id))),
        "client" => Ok(UserRef::Client(ClientId::from_uuid(id))),
        other => Err(corrupt(kind_column, format!("unknown kind {other:?}"))),
    }
}

/// A permission set as stored: its names, comma-separated (`"projects,files"`).
pub(crate) fn permissions_text(set: PermissionSet) -> String {
    set.iter().map(Permission::as_str).collect::<Vec<_>>().join(",")
}

/// A permission set from its stored names.
pub(crate) fn permissions(column: &str, text: &str) -> RepoResult<PermissionSet> {
    valid(column, PermissionSet::parse(text.split(',').filter(|name| !name.is_empty())))
}

/// Notification choices as stored: `category=delivery` pairs, comma-separated.
pub(crate) fn choices_text(choices: impl IntoIterator<Item = (Category, Delivery)>) -> String {
    let pairs: Vec<String> = choices.into_iter().map(|(c, d)| format!("{c}={d}")).collect();
    pairs.join(",")
}

/// Reads what [`choices_text`] wrote.
pub(crate) fn choices(column: &str, text: &str) -> RepoResult<Vec<(Category, Delivery)>> {
    text.split(',')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let choice =
                pair.split_once('=').and_then(|(c, d)| Some((Category::from_name(c)?, Delivery::from_name(d)?)));
            choice.ok_or_else(|| corrupt(column, format!("not a choice: {pair:?}")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use portico_domain::permissions::Preset;

    #[test]
    fn permission_sets_round_trip_through_text() {
        for preset in Preset::ALL {
            let set = preset.permissions();
            assert_eq!(permissions("p", &permissions_text(set)).ok(), Some(set));
        }
        assert_eq!(permissions_text(PermissionSet::empty()), "");
        assert_eq!(permissions("p", "").ok(), Some(PermissionSet::empty()));
        assert!(matches!(permissions("p", "tasks"), Err(RepoError::Corrupt(_))));
    }
}
