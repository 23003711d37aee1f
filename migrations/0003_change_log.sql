-- Schema 3: several programs on one library. Every write transaction moves one head row
-- (SQLite's BEGIN IMMEDIATE already admits one writer at a time; the row makes that order
-- visible and numbered), and triggers note which customers it changed in a gap-free change log.
-- Each process's search indexer follows the log from the bookmark kept in the index's own
-- commit. This replaces schema 2's search_outbox: an index made before schema 3 carries no
-- bookmark and is rebuilt, so the outbox's rows are not carried over.

CREATE TABLE writer_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    txn         INTEGER NOT NULL,   -- the last committed write transaction's number
    audit_seq   INTEGER NOT NULL,   -- the audit chain's head: the last row's seq …
    audit_hash  TEXT    NOT NULL    -- … and hash (genesis: 0 and 64 zeros)
) STRICT;

INSERT INTO writer_head (id, txn, audit_seq, audit_hash)
SELECT 1, 0,
       coalesce((SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1), 0),
       coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1),
                '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE change_log (
    txn         INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    PRIMARY KEY (txn, customer_id)
) STRICT, WITHOUT ROWID;

DROP TRIGGER customers_search_insert;
DROP TRIGGER customers_search_update;
DROP TRIGGER customers_search_delete;
DROP TRIGGER phones_search_insert;
DROP TRIGGER phones_search_delete;
DROP TRIGGER documents_search_insert;
DROP TRIGGER documents_search_update;
DROP TRIGGER documents_search_delete;
DROP TRIGGER categories_search_update;
DROP TABLE search_outbox;

-- The transaction's number is the head row's, which `store::Db::write` moved first.
CREATE TRIGGER customers_change_insert AFTER INSERT ON customers
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id) SELECT txn, NEW.id FROM writer_head WHERE id = 1;
END;
CREATE TRIGGER customers_change_update AFTER UPDATE ON customers
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id) SELECT txn, NEW.id FROM writer_head WHERE id = 1;
END;
CREATE TRIGGER customers_change_delete AFTER DELETE ON customers
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id) SELECT txn, OLD.id FROM writer_head WHERE id = 1;
END;
CREATE TRIGGER phones_change_insert AFTER INSERT ON customer_phones
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id) SELECT txn, NEW.customer_id FROM writer_head WHERE id = 1;
END;
CREATE TRIGGER phones_change_delete AFTER DELETE ON customer_phones
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id) SELECT txn, OLD.customer_id FROM writer_head WHERE id = 1;
END;
CREATE TRIGGER documents_change_insert AFTER INSERT ON documents
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id) SELECT txn, NEW.customer_id FROM writer_head WHERE id = 1;
END;
CREATE TRIGGER documents_change_update AFTER UPDATE ON documents
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id) SELECT txn, NEW.customer_id FROM writer_head WHERE id = 1;
    INSERT OR IGNORE INTO change_log (txn, customer_id)
    SELECT txn, OLD.customer_id FROM writer_head WHERE id = 1 AND OLD.customer_id <> NEW.customer_id;
END;
CREATE TRIGGER documents_change_delete AFTER DELETE ON documents
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id) SELECT txn, OLD.customer_id FROM writer_head WHERE id = 1;
END;
-- Renaming or moving a category changes what its customers' entries say, and those of the
-- categories below it (four levels, as in schema 2).
CREATE TRIGGER categories_change_update AFTER UPDATE OF name, parent_id ON categories
BEGIN
    INSERT OR IGNORE INTO change_log (txn, customer_id)
    SELECT (SELECT txn FROM writer_head WHERE id = 1), id FROM customers WHERE category_id IN (
        SELECT c0.id FROM categories c0 WHERE c0.id = NEW.id
        UNION SELECT c1.id FROM categories c1 WHERE c1.parent_id = NEW.id
        UNION SELECT c2.id FROM categories c2 JOIN categories c1 ON c2.parent_id = c1.id WHERE c1.parent_id = NEW.id
        UNION SELECT c3.id FROM categories c3 JOIN categories c2 ON c3.parent_id = c2.id
              JOIN categories c1 ON c2.parent_id = c1.id WHERE c1.parent_id = NEW.id);
END;
