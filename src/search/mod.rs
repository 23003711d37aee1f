//! Full-text search (tantivy, Chinese analysis), derived from SQLite through an outbox.
//! Planned: arrives with the search issue. Nothing here yet.
