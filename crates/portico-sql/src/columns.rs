//! A table's own columns in one list, each with how its value is taken from a record. The
//! INSERT and UPDATE statements, their values and the selected column list are all built from
//! that list, so the order placeholders and values must agree on is written once: a column
//! added in the wrong place cannot type-check into the wrong slot.

use std::sync::OnceLock;

use crate::engine::Value;

/// What a column is for, which decides the statements it appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Identifies the row: inserted, read, and the UPDATE's `WHERE`.
    Key,
    /// Set once: inserted and read, never updated.
    Fixed,
    /// Inserted, read and updated.
    Field,
    /// Kept for the database's own use (sort keys, search text): inserted and updated, never
    /// read back, since it is computed from the other columns.
    Derived,
}

/// One column of a [`Table`].
pub(crate) struct Column<T> {
    name: &'static str,
    role: Role,
    value: fn(&T) -> Value,
}

impl<T> Column<T> {
    /// A column that identifies the row.
    pub(crate) const fn key(name: &'static str, value: fn(&T) -> Value) -> Self {
        Self { name, role: Role::Key, value }
    }

    /// A column set when the row is inserted and never changed.
    pub(crate) const fn fixed(name: &'static str, value: fn(&T) -> Value) -> Self {
        Self { name, role: Role::Fixed, value }
    }

    /// A column an update writes.
    pub(crate) const fn field(name: &'static str, value: fn(&T) -> Value) -> Self {
        Self { name, role: Role::Field, value }
    }

    /// A column computed from the others for sorting or searching: written, never read back.
    pub(crate) const fn derived(name: &'static str, value: fn(&T) -> Value) -> Self {
        Self { name, role: Role::Derived, value }
    }

    fn is_read(&self) -> bool {
        self.role != Role::Derived
    }

    fn is_updated(&self) -> bool {
        matches!(self.role, Role::Field | Role::Derived)
    }
}

/// The most rows [`Table::insert_many`] is given at once: far below SQLite's 32,766 and
/// PostgreSQL's 65,535 parameters for any table here.
pub(crate) const INSERT_BATCH: usize = 500;

/// A table and its columns, with its statements built once on first use.
pub(crate) struct Table<T: 'static> {
    name: &'static str,
    columns: &'static [Column<T>],
    insert: OnceLock<String>,
    update: OnceLock<String>,
}

impl<T> Table<T> {
    /// The table `name` with `columns`, keys first by convention.
    pub(crate) const fn new(name: &'static str, columns: &'static [Column<T>]) -> Self {
        Self { name, columns, insert: OnceLock::new(), update: OnceLock::new() }
    }

    /// `INSERT INTO table (every column) VALUES ($1, …)`, for [`insert_values`](Self::insert_values).
    pub(crate) fn insert(&self) -> &str {
        self.insert.get_or_init(|| {
            let names: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
            let places: Vec<String> = (1..=names.len()).map(|n| format!("${n}")).collect();
            format!("INSERT INTO {} ({}) VALUES ({})", self.name, names.join(", "), places.join(", "))
        })
    }

    /// Every column's value of `record`, in the order of [`insert`](Self::insert).
    pub(crate) fn insert_values(&self, record: &T) -> Vec<Value> {
        self.columns.iter().map(|c| (c.value)(record)).collect()
    }

    /// One `INSERT` of every record of `records` (a row each), with its values: for records
    /// written together, in one statement rather than one each. Callers keep `records` short
    /// enough for the engines' parameter limits (see [`INSERT_BATCH`]).
    pub(crate) fn insert_many(&self, records: &[T]) -> (String, Vec<Value>) {
        let names: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
        let rows: Vec<String> = (0..records.len())
            .map(|row| {
                let places: Vec<String> = (1..=names.len()).map(|n| format!("${}", row * names.len() + n)).collect();
                format!("({})", places.join(", "))
            })
            .collect();
        let sql = format!("INSERT INTO {} ({}) VALUES {}", self.name, names.join(", "), rows.join(", "));
        (sql, records.iter().flat_map(|r| self.insert_values(r)).collect())
    }

    /// `UPDATE table SET (updated columns) WHERE (keys)`, for [`update_values`](Self::update_values).
    pub(crate) fn update(&self) -> &str {
        self.update.get_or_init(|| {
            let place = |(n, column): (usize, &Column<T>)| format!("{} = ${}", column.name, n + 1);
            let ordered = self.update_order();
            let keys: Vec<String> =
                ordered.iter().copied().enumerate().filter(|(_, c)| c.role == Role::Key).map(place).collect();
            let sets: Vec<String> =
                ordered.iter().copied().enumerate().filter(|(_, c)| c.is_updated()).map(place).collect();
            format!("UPDATE {} SET {} WHERE {}", self.name, sets.join(", "), keys.join(" AND "))
        })
    }

    /// The keys' and updated columns' values of `record`, in the order of [`update`](Self::update).
    pub(crate) fn update_values(&self, record: &T) -> Vec<Value> {
        self.update_order().into_iter().map(|c| (c.value)(record)).collect()
    }

    /// The columns an update binds: the keys, then the columns it writes.
    fn update_order(&self) -> Vec<&Column<T>> {
        let keys = self.columns.iter().filter(|c| c.role == Role::Key);
        keys.chain(self.columns.iter().filter(|c| c.is_updated())).collect()
    }

    /// The columns a read needs, each as `alias.column`, comma-separated.
    pub(crate) fn select(&self, alias: &str) -> String {
        let qualified =
            |c: &Column<T>| if alias.is_empty() { c.name.to_owned() } else { format!("{alias}.{}", c.name) };
        let names: Vec<String> = self.columns.iter().filter(|c| c.is_read()).map(qualified).collect();
        names.join(", ")
    }

    /// The values of the columns `names` of `record`, in that order, for a statement that
    /// writes only some columns (its `SET` built by [`assignments`] from the same names).
    ///
    /// # Panics
    /// When a name is not a column of the table: a mistake in a constant list, found by the
    /// first test that runs the statement.
    pub(crate) fn values_of(&self, record: &T, names: &[&str]) -> Vec<Value> {
        let value = |name: &&str| {
            let column = self.columns.iter().find(|c| c.name == *name).expect("a column of the table");
            (column.value)(record)
        };
        names.iter().map(value).collect()
    }
}

/// `a = $first, b = $first+1, …` for the columns `names`.
pub(crate) fn assignments(names: &[&str], first: usize) -> String {
    let set: Vec<String> = names.iter().enumerate().map(|(n, name)| format!("{name} = ${}", first + n)).collect();
    set.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        id: i64,
        name: &'static str,
        born: i64,
    }

    static ROWS: Table<Row> = Table::new(
        "rows",
        &[
            Column::key("id", |r| r.id.into()),
            Column::fixed("born", |r| r.born.into()),
            Column::field("name", |r| r.name.into()),
            Column::derived("name_key", |r| r.name.to_lowercase().into()),
        ],
    );

    fn sample() -> Row {
        Row { id: 7, name: "Ada", born: 1815 }
    }

    #[test]
    fn an_insert_of_many_numbers_each_rows_places_on_from_the_last() {
        let (sql, values) = ROWS.insert_many(&[sample(), Row { id: 8, name: "Bo", born: 1900 }]);
        assert_eq!(sql, "INSERT INTO rows (id, born, name, name_key) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)");
        assert_eq!(values.len(), 8);
        assert!(matches!(values[4], Value::Int(8)));
    }

    #[test]
    fn an_insert_binds_every_column_in_the_listed_order() {
        assert_eq!(ROWS.insert(), "INSERT INTO rows (id, born, name, name_key) VALUES ($1, $2, $3, $4)");
        let values = ROWS.insert_values(&sample());
        assert!(matches!(values.as_slice(), [Value::Int(7), Value::Int(1815), Value::Text(n), Value::Text(k)]
            if n == "Ada" && k == "ada"));
    }

    #[test]
    fn an_update_finds_the_row_by_its_keys_and_leaves_fixed_columns_alone() {
        assert_eq!(ROWS.update(), "UPDATE rows SET name = $2, name_key = $3 WHERE id = $1");
        let values = ROWS.update_values(&sample());
        assert!(matches!(values.as_slice(), [Value::Int(7), Value::Text(n), Value::Text(k)]
            if n == "Ada" && k == "ada"));
    }

    #[test]
    fn a_read_selects_what_is_not_derived() {
        assert_eq!(ROWS.select("r"), "r.id, r.born, r.name");
        assert_eq!(ROWS.select(""), "id, born, name");
    }

    #[test]
    fn a_partial_write_binds_the_named_columns_in_order() {
        assert_eq!(assignments(&["name", "name_key"], 2), "name = $2, name_key = $3");
        let values = ROWS.values_of(&sample(), &["id", "name_key"]);
        assert!(matches!(values.as_slice(), [Value::Int(7), Value::Text(k)] if k == "ada"));
    }
}
