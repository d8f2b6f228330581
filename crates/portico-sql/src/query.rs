//! Building statements whose shape depends on the request (filters, cursors, lists).

use crate::engine::Value;

/// SQL text with its arguments, numbered as they are added.
#[derive(Debug, Default)]
pub(crate) struct Query {
    pub(crate) sql: String,
    pub(crate) args: Vec<Value>,
}

impl Query {
    /// Starts a statement.
    pub(crate) fn new(sql: &str) -> Self {
        Self { sql: sql.to_owned(), args: Vec::new() }
    }

    /// Adds an argument and returns its placeholder (`$3`).
    pub(crate) fn arg(&mut self, value: impl Into<Value>) -> String {
        self.args.push(value.into());
        format!("${}", self.args.len())
    }

    /// Appends SQL text.
    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_count_the_arguments() {
        let mut query = Query::new("SELECT 1 WHERE a = ");
        let a = query.arg(1_i64);
        query.push(&a).push(" AND b = ");
        let b = query.arg("x");
        query.push(&b);
        assert_eq!(query.sql, "SELECT 1 WHERE a = $1 AND b = $2");
        assert_eq!(query.args, [Value::Int(1), Value::Text("x".into())]);
    }
}
