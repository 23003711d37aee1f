-- Schema 5: where every paper is. Locations (a tree of typed levels), boxes (档案盒) with their
-- own barcode series, each dossier's folder filed into at most one box, the box rule per
-- category, retention periods, the movement history of boxes and folders, and shelf
-- inventories (盘点). Filing, refiling and moving a box note the dossiers concerned in the
-- change log, so search shows the new place at once.

CREATE TABLE locations (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES locations (id),
    name       TEXT NOT NULL CHECK (name <> '' AND instr(name, '/') = 0),
    level      TEXT NOT NULL CHECK (level IN ('room', 'rack', 'column', 'section', 'shelf', 'position')),
    code       TEXT NOT NULL UNIQUE,
    -- The whole path, segments joined by '/': derived from the tree, kept for lookup.
    path       TEXT NOT NULL UNIQUE,
    capacity   INTEGER CHECK (capacity IS NULL OR capacity > 0),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX locations_parent ON locations (parent_id);

CREATE TABLE retention_periods (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    years      INTEGER CHECK (years IS NULL OR years > 0),
    sort_order INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO retention_periods (code, name, years, sort_order) VALUES
    ('permanent', '永久', NULL, 1),
    ('y30', '30年', 30, 2),
    ('y10', '10年', 10, 3);

-- The box rule of a category (NULL category: the library's default); sub-categories inherit
-- the nearest one.
CREATE TABLE box_rules (
    id             INTEGER PRIMARY KEY,
    category_id    INTEGER UNIQUE REFERENCES categories (id),
    mode           TEXT NOT NULL CHECK (mode IN ('own', 'shared')),
    capacity_unit  TEXT NOT NULL CHECK (capacity_unit IN ('dossiers', 'mm')),
    capacity       INTEGER NOT NULL CHECK (capacity > 0),
    spine_mm       INTEGER NOT NULL CHECK (spine_mm IN (20, 30, 40, 50)),
    retention      TEXT NOT NULL REFERENCES retention_periods (code)
) STRICT;
CREATE UNIQUE INDEX box_rules_default ON box_rules ((category_id IS NULL)) WHERE category_id IS NULL;
INSERT INTO box_rules (category_id, mode, capacity_unit, capacity, spine_mm, retention)
VALUES (NULL, 'shared', 'dossiers', 20, 40, 'permanent');

CREATE TABLE boxes (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    box_no           INTEGER NOT NULL CHECK (box_no > 0),
    fonds            TEXT NOT NULL DEFAULT '',
    year             INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
    retention        TEXT NOT NULL REFERENCES retention_periods (code),
    spine_mm         INTEGER NOT NULL CHECK (spine_mm IN (20, 30, 40, 50)),
    capacity_unit    TEXT NOT NULL CHECK (capacity_unit IN ('dossiers', 'mm')),
    capacity         INTEGER NOT NULL CHECK (capacity > 0),
    status           TEXT NOT NULL CHECK (status IN ('open', 'full', 'sealed')),
    -- The category whose box rule opened it (shared boxes are filled per category), and for a
    -- box of its own, nothing more: it is full after its one folder.
    category_id      INTEGER REFERENCES categories (id),
    mode             TEXT NOT NULL CHECK (mode IN ('own', 'shared')),
    home_location_id INTEGER REFERENCES locations (id),
    location_id      INTEGER REFERENCES locations (id),
    notes            TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (fonds, year, box_no)
) STRICT;
CREATE INDEX boxes_location ON boxes (location_id);
CREATE INDEX boxes_home ON boxes (home_location_id);
CREATE INDEX boxes_open ON boxes (category_id, year, retention) WHERE status = 'open';

-- A dossier's paper folder in its box (at most one box). `item_no` is the folder's 件号 in
-- its (fonds, year, retention) series; a box's 起止件号 are its folders' first and last.
CREATE TABLE folders (
    customer_id     INTEGER PRIMARY KEY REFERENCES customers (id),
    box_id          INTEGER NOT NULL REFERENCES boxes (id),
    item_no         INTEGER NOT NULL CHECK (item_no > 0),
    filed_at        TEXT NOT NULL,
    filed_by        INTEGER REFERENCES users (id),
    -- Where the folder is when it is not in its box (taken out to a desk, a reading room, on
    -- loan): NULL while it is in its box.
    out_location_id INTEGER REFERENCES locations (id),
    out_note        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX folders_box ON folders (box_id, item_no);

-- Movement history: every time a box or a folder changes place.
CREATE TABLE movements (
    id               INTEGER PRIMARY KEY,
    at               TEXT NOT NULL,
    user_id          INTEGER REFERENCES users (id),
    box_id           INTEGER REFERENCES boxes (id),
    customer_id      INTEGER REFERENCES customers (id),
    from_location_id INTEGER REFERENCES locations (id),
    to_location_id   INTEGER REFERENCES locations (id),
    from_box_id      INTEGER REFERENCES boxes (id),
    to_box_id        INTEGER REFERENCES boxes (id),
    reason           TEXT NOT NULL CHECK (reason IN
                         ('shelved', 'moved', 'filed', 'refiled', 'unfiled', 'loan', 'returned', 'inventory')),
    note             TEXT NOT NULL DEFAULT '',
    CHECK ((box_id IS NULL) <> (customer_id IS NULL))
) STRICT;
CREATE INDEX movements_box ON movements (box_id, id) WHERE box_id IS NOT NULL;
CREATE INDEX movements_customer ON movements (customer_id, id) WHERE customer_id IS NOT NULL;

-- Shelf inventories (盘点): what was scanned against what should be there.
CREATE TABLE inventories (
    id          INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL REFERENCES locations (id),
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users (id),
    found       INTEGER NOT NULL,
    missing     INTEGER NOT NULL,
    misplaced   INTEGER NOT NULL,
    unknown     INTEGER NOT NULL,
    fixed       INTEGER NOT NULL DEFAULT 0 CHECK (fixed IN (0, 1)),
    report      TEXT NOT NULL
) STRICT;
CREATE INDEX inventories_location ON inventories (location_id, at);

-- Filing, refiling, unfiling and taking a folder out change what search shows of a dossier.
CREATE TRIGGER folders_change_insert AFTER INSERT ON folders
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id) SELECT txn, NEW.customer_id FROM writer_head WHERE id = 1;
END;
CREATE TRIGGER folders_change_update AFTER UPDATE ON folders
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id) SELECT txn, NEW.customer_id FROM writer_head WHERE id = 1;
END;
CREATE TRIGGER folders_change_delete AFTER DELETE ON folders
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id) SELECT txn, OLD.customer_id FROM writer_head WHERE id = 1;
END;
-- A box moved or renumbered: every dossier in it.
CREATE TRIGGER boxes_change_update AFTER UPDATE OF location_id, home_location_id, code, box_no ON boxes
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id)
    SELECT w.txn, f.customer_id FROM writer_head w, folders f WHERE w.id = 1 AND f.box_id = NEW.id;
END;
