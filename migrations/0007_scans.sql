-- Schema 7: scanned attachments. The bytes live under files/ (content-addressed by SHA-256,
-- never changed or replaced); these tables say what they are, which pages they hold and where
-- each page is filed. A rotation or a page's order is metadata here, never a new file.
-- A blob is written to files/.incoming/ (synced) before the transaction that records it, and
-- moved into place after the commit; whoever writes next finishes or removes what a crash left
-- there (core::scans::blobs), so a row never names a half-written file.

-- One stored file: the original bytes of one imported scan or PDF, stored once.
CREATE TABLE files (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    size          INTEGER NOT NULL CHECK (size > 0),
    format        TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'tiff', 'pdf')),
    page_count    INTEGER NOT NULL CHECK (page_count > 0),
    -- The file's name when it was imported, and the full path it came from (a hot folder's
    -- file found again after a crash is recognised by path and hash, and not imported twice).
    original_name TEXT NOT NULL,
    source_path   TEXT,
    -- How it came: 'import' (scan import), 'watch' (a hot folder), 'document' (doc add, the
    -- GUI), 'demo'.
    origin        TEXT NOT NULL CHECK (origin IN ('import', 'watch', 'document', 'demo')),
    added_at      TEXT NOT NULL,
    added_by      INTEGER REFERENCES users (id)
) STRICT;
CREATE INDEX files_added ON files (added_at);

-- One page of a stored file, filed in a document or waiting in the inbox (document_id NULL).
CREATE TABLE pages (
    id           INTEGER PRIMARY KEY,
    file_id      INTEGER NOT NULL REFERENCES files (id),
    page_no      INTEGER NOT NULL CHECK (page_no >= 1),
    document_id  INTEGER REFERENCES documents (id),
    -- Order within its document (or, in the inbox, within its file).
    position     INTEGER NOT NULL,
    rotation     INTEGER NOT NULL DEFAULT 0 CHECK (rotation IN (0, 90, 180, 270)),
    width        INTEGER NOT NULL CHECK (width > 0),
    height       INTEGER NOT NULL CHECK (height > 0),
    -- A cover sheet kept with the pages it routed (scan.keep_cover).
    is_cover     INTEGER NOT NULL DEFAULT 0 CHECK (is_cover IN (0, 1)),
    -- Why a page is in the inbox: no_cover, unknown_dossier, closed_dossier, unknown_type,
    -- foreign_code, unfiled (taken out of a document); the code read, if any.
    inbox_reason TEXT,
    inbox_code   TEXT,
    created_at   TEXT NOT NULL,
    filed_at     TEXT,
    UNIQUE (file_id, page_no),
    CHECK ((document_id IS NULL) = (inbox_reason IS NOT NULL))
) STRICT;
CREATE INDEX pages_document ON pages (document_id, position) WHERE document_id IS NOT NULL;
CREATE INDEX pages_inbox ON pages (file_id, position) WHERE document_id IS NULL;

-- Recognised text of a page (OCR), one row per page; searchable with its dossier.
CREATE TABLE page_text (
    page_id INTEGER PRIMARY KEY REFERENCES pages (id),
    engine  TEXT NOT NULL,
    text    TEXT NOT NULL,
    at      TEXT NOT NULL
) STRICT;

-- Pages waiting for OCR (a queue that survives restarts); a failure keeps its reason.
CREATE TABLE ocr_queue (
    page_id INTEGER PRIMARY KEY REFERENCES pages (id),
    state   TEXT NOT NULL CHECK (state IN ('pending', 'failed')),
    tries   INTEGER NOT NULL DEFAULT 0,
    error   TEXT,
    at      TEXT NOT NULL
) STRICT;

-- A dossier's search record shows its scans and their text: a page filed, moved or unfiled,
-- and a page's text, change the dossier it is in.
CREATE TRIGGER pages_change_insert AFTER INSERT ON pages WHEN NEW.document_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id)
    SELECT w.txn, d.customer_id FROM writer_head w, documents d WHERE w.id = 1 AND d.id = NEW.document_id;
END;
CREATE TRIGGER pages_change_update AFTER UPDATE OF document_id ON pages
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id)
    SELECT w.txn, d.customer_id FROM writer_head w, documents d
    WHERE w.id = 1 AND d.id IN (NEW.document_id, OLD.document_id);
END;
CREATE TRIGGER page_text_change_insert AFTER INSERT ON page_text
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id)
    SELECT w.txn, d.customer_id FROM writer_head w, pages p JOIN documents d ON d.id = p.document_id
    WHERE w.id = 1 AND p.id = NEW.page_id;
END;
CREATE TRIGGER page_text_change_update AFTER UPDATE ON page_text
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id)
    SELECT w.txn, d.customer_id FROM writer_head w, pages p JOIN documents d ON d.id = p.document_id
    WHERE w.id = 1 AND p.id = NEW.page_id;
END;
