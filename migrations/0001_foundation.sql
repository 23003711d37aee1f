-- Dangan schema 1: library metadata, people, configuration, customers and their dossiers,
-- documents, and the hash-chained audit log. Never edit once released: add a new file.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'archivist', 'clerk', 'viewer')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- Multi-level category tree (e.g. 非居民 › 高压).
CREATE TABLE categories (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    parent_id  INTEGER REFERENCES categories (id),
    sort_order INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX categories_parent ON categories (parent_id);

CREATE TABLE doc_types (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Required-document checklist: a category requires these types; sub-categories inherit.
CREATE TABLE category_required_docs (
    category_id INTEGER NOT NULL REFERENCES categories (id),
    doc_type_id INTEGER NOT NULL REFERENCES doc_types (id),
    PRIMARY KEY (category_id, doc_type_id)
) STRICT;

-- Custom fields an admin defines per category (grouped under a heading); sub-categories inherit.
CREATE TABLE custom_fields (
    id          INTEGER PRIMARY KEY,
    category_id INTEGER NOT NULL REFERENCES categories (id),
    group_name  TEXT NOT NULL,
    key         TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('text', 'integer', 'decimal', 'date', 'choice', 'bool')),
    required    INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    options     TEXT NOT NULL DEFAULT '[]',
    unit        TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (category_id, key)
) STRICT;

-- Last number handed out per numbering scope (e.g. 'KH-2026').
CREATE TABLE number_sequences (
    scope TEXT PRIMARY KEY,
    last  INTEGER NOT NULL
) STRICT;

-- One customer, one dossier (一户一档).
CREATE TABLE customers (
    id           INTEGER PRIMARY KEY,
    dossier_no   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL CHECK (name <> ''),
    name_key     TEXT NOT NULL,
    former_names TEXT NOT NULL DEFAULT '[]',
    id_kind      TEXT CHECK (id_kind IN ('resident', 'uscc', 'passport', 'other')),
    id_number    TEXT,
    address      TEXT NOT NULL DEFAULT '',
    category_id  INTEGER NOT NULL REFERENCES categories (id),
    grade        TEXT NOT NULL CHECK (grade IN ('important', 'special', 'general')),
    status       TEXT NOT NULL CHECK (status IN ('potential', 'active', 'closed')),
    confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
    clerk_id     INTEGER REFERENCES users (id),
    notes        TEXT NOT NULL DEFAULT '',
    custom       TEXT NOT NULL DEFAULT '{}',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    closed_at    TEXT,
    CHECK ((id_kind IS NULL) = (id_number IS NULL))
) STRICT;
CREATE UNIQUE INDEX customers_id_number ON customers (id_number) WHERE id_number IS NOT NULL;
CREATE INDEX customers_name_key ON customers (name_key);
CREATE INDEX customers_category ON customers (category_id);

CREATE TABLE customer_phones (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    phone       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (customer_id, phone)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_phones_phone ON customer_phones (phone);

-- Papers inside a dossier. Later papers are added beside earlier ones, never replacing them.
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    doc_type_id INTEGER NOT NULL REFERENCES doc_types (id),
    title       TEXT NOT NULL,
    doc_date    TEXT,
    expires_on  TEXT,
    pages       INTEGER NOT NULL DEFAULT 0 CHECK (pages >= 0),
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES users (id)
) STRICT;
CREATE INDEX documents_customer ON documents (customer_id);
CREATE INDEX documents_expires ON documents (expires_on) WHERE expires_on IS NOT NULL;

-- Append-only, hash-chained audit log. Each row's hash covers its content and the previous hash.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_name  TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    dossier_no TEXT,
    before     TEXT,
    after      TEXT,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
) STRICT;
CREATE INDEX audit_dossier ON audit_log (dossier_no) WHERE dossier_no IS NOT NULL;
CREATE INDEX audit_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
