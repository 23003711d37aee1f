-- Imports of customers from CSV/XLSX files: one row per file (by its SHA-256) and column
-- mapping, updated in the same transaction as each batch it writes, so a run killed halfway
-- continues after its last committed batch when run again.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    file_sha256 TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    mapping     TEXT NOT NULL,
    -- Data rows in the file, and how many of them (in file order) are done with: imported,
    -- or skipped as invalid or duplicate.
    total_rows  INTEGER NOT NULL CHECK (total_rows >= 0),
    rows_done   INTEGER NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
    imported    INTEGER NOT NULL DEFAULT 0 CHECK (imported >= 0),
    skipped     INTEGER NOT NULL DEFAULT 0 CHECK (skipped >= 0),
    state       TEXT NOT NULL CHECK (state IN ('running', 'done')),
    started_at  TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    finished_at TEXT
) STRICT;
CREATE INDEX imports_file ON imports (file_sha256, mapping);
