-- Schema 6: the lending desk (借阅). Borrowers (staff with a card, outside units with a letter
-- of introduction), loans of a dossier's folder or of a whole box (a box's loan lends each
-- folder in it: one row per folder, pointing at the box's row), requests (holds) on items that
-- are out, and the holiday calendar that due dates are counted on. History is never deleted:
-- a returned or lost loan keeps its row.

CREATE TABLE borrowers (
    id             INTEGER PRIMARY KEY,
    -- The borrower's number on the library's card (JY + 6 digits + a check digit).
    code           TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('staff', 'external')),
    -- The person (for an outside unit: its contact).
    name           TEXT NOT NULL CHECK (name <> ''),
    dept           TEXT NOT NULL DEFAULT '',
    unit           TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    -- A card the borrower already carries (an employee badge): scanned like the code.
    card           TEXT UNIQUE CHECK (card IS NULL OR card <> ''),
    -- 介绍信 number of an outside unit.
    letter_no      TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    blocked        INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
    blocked_reason TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX borrowers_name ON borrowers (name);

-- One row per item lent. A box's loan has `box_id`; each folder lent with it has a row of its
-- own (`customer_id`, `box_loan_id` = the box's row) that returns with it.
CREATE TABLE loans (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER REFERENCES customers (id),
    box_id        INTEGER REFERENCES boxes (id),
    box_loan_id   INTEGER REFERENCES loans (id),
    borrower_id   INTEGER NOT NULL REFERENCES borrowers (id),
    purpose       TEXT NOT NULL DEFAULT '',
    lent_by       INTEGER NOT NULL REFERENCES users (id),
    lent_at       TEXT NOT NULL,
    -- The local date it is due back (YYYY-MM-DD).
    due           TEXT NOT NULL,
    renewals      INTEGER NOT NULL DEFAULT 0 CHECK (renewals >= 0),
    -- Who approved lending a confidential dossier (a second user), and who let a borrower with
    -- overdue loans borrow again (with the reason).
    approved_by   INTEGER REFERENCES users (id),
    override_by   INTEGER REFERENCES users (id),
    override_note TEXT NOT NULL DEFAULT '',
    -- Pages in the folder when it went out.
    pages_out     INTEGER,
    state         TEXT NOT NULL CHECK (state IN ('out', 'returned', 'lost', 'found')),
    returned_at   TEXT,
    received_by   INTEGER REFERENCES users (id),
    pages_back    INTEGER,
    condition     TEXT CHECK (condition IS NULL OR condition IN ('complete', 'pages_missing', 'damaged')),
    return_note   TEXT NOT NULL DEFAULT '',
    lost_at       TEXT,
    lost_by       INTEGER REFERENCES users (id),
    CHECK ((customer_id IS NULL) <> (box_id IS NULL)),
    CHECK ((state IN ('returned', 'found')) = (returned_at IS NOT NULL))
) STRICT;
-- One active loan per item: what is out or lost cannot go out again.
CREATE UNIQUE INDEX loans_active_customer ON loans (customer_id)
    WHERE customer_id IS NOT NULL AND state IN ('out', 'lost');
CREATE UNIQUE INDEX loans_active_box ON loans (box_id)
    WHERE box_id IS NOT NULL AND state IN ('out', 'lost');
CREATE INDEX loans_customer_history ON loans (customer_id, id) WHERE customer_id IS NOT NULL;
CREATE INDEX loans_box_history ON loans (box_id, id) WHERE box_id IS NOT NULL;
CREATE INDEX loans_borrower ON loans (borrower_id, box_loan_id, id);
-- What the desk lists and counts: loans out by due date (overdue, due today; `box_loan_id` in
-- the index so counts of items, a box once, read the index alone), and everything out or lost.
CREATE INDEX loans_due ON loans (due, box_loan_id, state) WHERE state = 'out';
CREATE INDEX loans_active_due ON loans (due, id) WHERE state IN ('out', 'lost');
CREATE INDEX loans_borrower_out ON loans (borrower_id, due) WHERE state IN ('out', 'lost');
CREATE INDEX loans_lent_at ON loans (lent_at);
CREATE INDEX loans_box_loan ON loans (box_loan_id) WHERE box_loan_id IS NOT NULL;

-- A borrower waiting for an item that is out (预约). The oldest waiting request is served first.
CREATE TABLE loan_requests (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER REFERENCES customers (id),
    box_id       INTEGER REFERENCES boxes (id),
    borrower_id  INTEGER NOT NULL REFERENCES borrowers (id),
    requested_at TEXT NOT NULL,
    requested_by INTEGER NOT NULL REFERENCES users (id),
    note         TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL CHECK (state IN ('waiting', 'served', 'cancelled')),
    closed_at    TEXT,
    loan_id      INTEGER REFERENCES loans (id),
    CHECK ((customer_id IS NULL) <> (box_id IS NULL))
) STRICT;
CREATE INDEX loan_requests_waiting ON loan_requests (customer_id, box_id, id) WHERE state = 'waiting';
CREATE INDEX loan_requests_borrower ON loan_requests (borrower_id, id) WHERE state = 'waiting';
CREATE UNIQUE INDEX loan_requests_once ON loan_requests (coalesce(customer_id, -box_id), borrower_id)
    WHERE state = 'waiting';

-- The holiday calendar: days that differ from the plain week (a holiday on a weekday, a
-- make-up working day 调休 on a weekend). The calendar shipped with the program serves each
-- year the library has not edited; editing a year copies the shipped days here first and
-- records the year in `calendar_years`, after which only these rows count for it.
CREATE TABLE calendar_years (
    year       INTEGER PRIMARY KEY CHECK (year BETWEEN 1900 AND 2999),
    edited_at  TEXT NOT NULL
) STRICT;
CREATE TABLE calendar_days (
    day   TEXT PRIMARY KEY CHECK (length(day) = 10),
    kind  TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name  TEXT NOT NULL DEFAULT ''
) STRICT;

-- Lending, returning and losing change what search shows of a dossier (借出：周瑜，应还 12-05).
CREATE TRIGGER loans_change_insert AFTER INSERT ON loans WHEN NEW.customer_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id) SELECT txn, NEW.customer_id FROM writer_head WHERE id = 1;
END;
CREATE TRIGGER loans_change_update AFTER UPDATE ON loans WHEN NEW.customer_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id) SELECT txn, NEW.customer_id FROM writer_head WHERE id = 1;
END;
-- A borrower renamed: the dossiers they have out.
CREATE TRIGGER borrowers_change_update AFTER UPDATE OF name ON borrowers
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id)
    SELECT w.txn, l.customer_id FROM writer_head w, loans l
    WHERE w.id = 1 AND l.borrower_id = NEW.id AND l.customer_id IS NOT NULL AND l.state IN ('out', 'lost');
END;
