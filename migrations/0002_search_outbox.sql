-- Schema 2: the search outbox. Every change to searchable data queues the customer for
-- reindexing in the same transaction (triggers, so no code path can forget). The indexer
-- reads the queue, commits the index, then deletes the rows it handled; a crash in between
-- replays them at next open.

CREATE TABLE search_outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL
) STRICT;

CREATE TRIGGER customers_search_insert AFTER INSERT ON customers
BEGIN
    INSERT INTO search_outbox (customer_id) VALUES (NEW.id);
END;
CREATE TRIGGER customers_search_update AFTER UPDATE ON customers
BEGIN
    INSERT INTO search_outbox (customer_id) VALUES (NEW.id);
END;
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers
BEGIN
    INSERT INTO search_outbox (customer_id) VALUES (OLD.id);
END;
CREATE TRIGGER phones_search_insert AFTER INSERT ON customer_phones
BEGIN
    INSERT INTO search_outbox (customer_id) VALUES (NEW.customer_id);
END;
CREATE TRIGGER phones_search_delete AFTER DELETE ON customer_phones
BEGIN
    INSERT INTO search_outbox (customer_id) VALUES (OLD.customer_id);
END;
CREATE TRIGGER documents_search_insert AFTER INSERT ON documents
BEGIN
    INSERT INTO search_outbox (customer_id) VALUES (NEW.customer_id);
END;
CREATE TRIGGER documents_search_update AFTER UPDATE ON documents
BEGIN
    INSERT INTO search_outbox (customer_id) VALUES (NEW.customer_id);
    INSERT INTO search_outbox (customer_id) SELECT OLD.customer_id WHERE OLD.customer_id <> NEW.customer_id;
END;
CREATE TRIGGER documents_search_delete AFTER DELETE ON documents
BEGIN
    INSERT INTO search_outbox (customer_id) VALUES (OLD.customer_id);
END;
-- Renaming or moving a category changes what its customers' entries say, and those of the
-- categories below it (paths are names from the root; triggers allow no recursive CTE, so
-- four levels are followed, deeper than any template goes).
CREATE TRIGGER categories_search_update AFTER UPDATE OF name, parent_id ON categories
BEGIN
    INSERT INTO search_outbox (customer_id)
    SELECT id FROM customers WHERE category_id IN (
        SELECT c0.id FROM categories c0 WHERE c0.id = NEW.id
        UNION SELECT c1.id FROM categories c1 WHERE c1.parent_id = NEW.id
        UNION SELECT c2.id FROM categories c2 JOIN categories c1 ON c2.parent_id = c1.id WHERE c1.parent_id = NEW.id
        UNION SELECT c3.id FROM categories c3 JOIN categories c2 ON c3.parent_id = c2.id
              JOIN categories c1 ON c2.parent_id = c1.id WHERE c1.parent_id = NEW.id);
END;
