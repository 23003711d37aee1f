//! The backend-neutral transaction handle: what store functions write their SQL against.
//!
//! Today it wraps a rusqlite connection inside a transaction (or a read snapshot). SQL is
//! written once with `?N` placeholders; the PostgreSQL backend (phase 2 of
//! `multi-workstation.md`) turns this into an enum over both backends, rewriting `?N` to `$N`
//! and matching where the dialects differ. Store functions that take a [`Tx`] say by their
//! signature that they run inside the caller's transaction and never begin one themselves.

use rusqlite::{Connection, OptionalExtension, Params, Row};

use crate::model::error::Result;

/// A handle on the caller's open transaction. Cheap to copy; borrows the connection.
#[derive(Clone, Copy)]
pub struct Tx<'a> {
    conn: &'a Connection,
}

impl std::fmt::Debug for Tx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tx")
    }
}

impl<'a> Tx<'a> {
    /// Wraps a connection that is inside a transaction (a `rusqlite::Transaction` derefs to one).
    pub fn new(conn: &'a Connection) -> Tx<'a> {
        Tx { conn }
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        Ok(self.conn.prepare_cached(sql)?.execute(params)?)
    }

    /// The one row a query returns (an error if none).
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        Ok(self.conn.prepare_cached(sql)?.query_row(params, f)?)
    }

    /// The first row a query returns, if any.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>> {
        Ok(self.conn.prepare_cached(sql)?.query_row(params, f).optional()?)
    }

    /// Every row a query returns, mapped.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params, f)?.collect::<rusqlite::Result<Vec<T>>>()?;
        Ok(rows)
    }

    /// Runs several statements without parameters (schema changes inside a transaction).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        Ok(self.conn.execute_batch(sql)?)
    }

    /// The underlying connection, for store functions not yet written against [`Tx`].
    pub fn conn(&self) -> &'a Connection {
        self.conn
    }
}
