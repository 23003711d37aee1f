-- Dangan schema 4: people. Failed logins are counted per user and lock the account for a
-- while after too many in a row; user names are unique without regard to case ("Admin" and
-- "admin" are one user). Customers' name keys are recomputed by the program after this file
-- (traditional = simplified, invisible characters removed): see `store::migrate`.
-- Never edit once released: add a new file.

ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0);
-- RFC 3339 UTC, like every timestamp here; NULL when not locked.
ALTER TABLE users ADD COLUMN locked_until TEXT;

CREATE UNIQUE INDEX users_name_nocase ON users (name COLLATE NOCASE);
