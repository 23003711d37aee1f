//! The tamper-evident audit log: every row's hash covers its content and the previous row's
//! hash, so editing, deleting or reordering any row breaks the chain from there on. The chain
//! head (last sequence number and hash) is also kept outside the table — in the `meta` table and
//! in the `audit.head` file beside the database — so rows cut off the end are detected too.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::model::error::Message;

/// The entity and action of the row the writer adds when the log's last row is not the one
/// its head names: rows were added (or removed) behind Dangan's back. It stays in the chain,
/// so `verify` reports it for ever after.
pub const BREAK_ENTITY: &str = "audit";
pub const BREAK_ACTION: &str = "chain_break";

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The content of one audit row, as hashed.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub user: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub dossier: Option<&'a str>,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// SHA-256 over the previous hash and every field, each length-prefixed so no two different
/// rows serialise alike.
pub fn chain_hash(prev_hash: &str, r: &Record<'_>) -> String {
    let mut h = Sha256::new();
    let mut field = |tag: u8, v: Option<&[u8]>| {
        h.update([tag]);
        match v {
            None => h.update([0u8]),
            Some(bytes) => {
                h.update([1u8]);
                h.update((bytes.len() as u64).to_le_bytes());
                h.update(bytes);
            }
        }
    };
    field(b'p', Some(prev_hash.as_bytes()));
    field(b's', Some(&r.seq.to_le_bytes()));
    field(b't', Some(r.at.as_bytes()));
    field(b'u', Some(r.user.as_bytes()));
    field(b'a', Some(r.action.as_bytes()));
    field(b'e', Some(r.entity.as_bytes()));
    field(b'i', Some(r.entity_id.as_bytes()));
    field(b'd', r.dossier.map(str::as_bytes));
    field(b'b', r.before.map(str::as_bytes));
    field(b'f', r.after.map(str::as_bytes));
    hex::encode(h.finalize())
}

/// The last row of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

impl Head {
    pub fn genesis() -> Head {
        Head { seq: 0, hash: GENESIS.to_string() }
    }

    /// `"<seq> <hash>"`, the form kept in `meta` and in the head file.
    pub fn encode(&self) -> String {
        format!("{} {}", self.seq, self.hash)
    }

    /// A short digest of this head in library `library_id`, for a paper log: a manager writes
    /// it down (with the seq) and later compares it with `dangan audit head --check`. Four
    /// groups of four upper-case hex digits; it changes with any change of the row or of any
    /// row before it (the hash covers the whole chain).
    pub fn digest(&self, library_id: &str) -> String {
        let mut h = Sha256::new();
        h.update(b"dangan-audit-head\0");
        h.update(library_id.as_bytes());
        h.update(b"\0");
        h.update(self.seq.to_le_bytes());
        h.update(self.hash.as_bytes());
        let hex = hex::encode_upper(h.finalize());
        hex.as_bytes()[..16]
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    pub fn decode(s: &str) -> Option<Head> {
        let mut it = s.split_whitespace();
        let seq = it.next()?.parse().ok()?;
        let hash = it.next()?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) || it.next().is_some() {
            return None;
        }
        Some(Head { seq, hash: hash.to_string() })
    }
}

/// An audit row as stored, for verification.
#[derive(Debug, Clone)]
pub struct StoredRow {
    pub seq: i64,
    pub at: String,
    pub user: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub dossier: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl StoredRow {
    fn record(&self) -> Record<'_> {
        Record {
            seq: self.seq,
            at: &self.at,
            user: &self.user,
            action: &self.action,
            entity: &self.entity,
            entity_id: &self.entity_id,
            dossier: self.dossier.as_deref(),
            before: self.before.as_deref(),
            after: self.after.as_deref(),
        }
    }
}

/// Walks the chain in `seq` order and reports every break. Stops listing after `max_problems`.
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
    problems: Vec<Message>,
    max_problems: usize,
    /// How many rows were checked.
    seen_rows: i64,
}

impl ChainVerifier {
    pub fn new(max_problems: usize) -> Self {
        ChainVerifier {
            expected_seq: 1,
            prev_hash: GENESIS.to_string(),
            problems: Vec::new(),
            max_problems,
            seen_rows: 0,
        }
    }

    /// Starts after row `seq` whose hash is `hash` (a quick check from a known-good row).
    pub fn starting_after(seq: i64, hash: &str, max_problems: usize) -> Self {
        ChainVerifier {
            expected_seq: seq + 1,
            prev_hash: hash.to_string(),
            ..ChainVerifier::new(max_problems)
        }
    }

    fn problem(&mut self, p: Message) {
        if self.problems.len() < self.max_problems {
            self.problems.push(p);
        }
    }

    pub fn push(&mut self, row: &StoredRow) {
        self.seen_rows += 1;
        if row.seq != self.expected_seq {
            if row.seq > self.expected_seq {
                self.problem(
                    Message::new("verify-audit-rows-missing")
                        .arg("from", self.expected_seq)
                        .arg("to", row.seq - 1),
                );
            } else {
                self.problem(Message::new("verify-audit-row-order").arg("seq", row.seq));
            }
        }
        if row.prev_hash != self.prev_hash {
            self.problem(Message::new("verify-audit-row-unlinked").arg("seq", row.seq));
        }
        let recomputed = chain_hash(&row.prev_hash, &row.record());
        if recomputed != row.hash {
            self.problem(
                Message::new("verify-audit-row-altered")
                    .arg("seq", row.seq)
                    .arg("action", format!("{} {} {}", row.action, row.entity, row.entity_id)),
            );
        }
        if row.entity == BREAK_ENTITY && row.action == BREAK_ACTION {
            let after: serde_json::Value =
                row.after.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
            let writer = after["writer_head"]["seq"].as_i64().unwrap_or(0);
            let last = after["last_row"]["seq"].as_i64().unwrap_or(0);
            self.problem(
                Message::new(if last > writer {
                    "verify-audit-forged-rows"
                } else {
                    "verify-audit-lost-rows"
                })
                .arg("seq", row.seq)
                .arg("from", writer.min(last) + 1)
                .arg("to", writer.max(last))
                .arg("at", &row.at),
            );
        }
        self.expected_seq = row.seq + 1;
        self.prev_hash = row.hash.clone();
    }

    /// Final checks against the heads kept outside the table. `recorded` are the heads from
    /// `meta`, the writer head and the head file, each with the message key of its name;
    /// `hash_at` looks up the stored hash of a row by seq.
    pub fn finish(
        mut self,
        recorded: &[(&'static str, Option<Head>)],
        hash_at: impl Fn(i64) -> Option<String>,
    ) -> Vec<Message> {
        let last_seq = self.expected_seq - 1;
        for (name, head) in recorded {
            let Some(head) = head else { continue };
            if head.seq > last_seq {
                self.problem(
                    Message::new("verify-audit-cut-off")
                        .arg("last", last_seq)
                        .arg("what", *name)
                        .arg("seq", head.seq),
                );
            } else if head.seq > 0 && hash_at(head.seq).as_deref() != Some(head.hash.as_str()) {
                self.problem(Message::new("verify-audit-rewritten").arg("seq", head.seq).arg("what", *name));
            }
        }
        self.problems
    }

    pub fn rows(&self) -> i64 {
        self.seen_rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: i64, prev: &str, action: &str) -> StoredRow {
        let mut r = StoredRow {
            seq,
            at: "2026-11-22T10:00:00.000Z".into(),
            user: "admin".into(),
            action: action.into(),
            entity: "customer".into(),
            entity_id: "KH-2026-000001".into(),
            dossier: Some("KH-2026-000001".into()),
            before: None,
            after: Some("{\"name\":\"张三\"}".into()),
            prev_hash: prev.into(),
            hash: String::new(),
        };
        r.hash = chain_hash(prev, &r.record());
        r
    }

    fn chain(n: i64) -> Vec<StoredRow> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|s| {
                let r = row(s, &prev, "create");
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    fn verify(rows: &[StoredRow], head: Option<Head>) -> Vec<Message> {
        let mut v = ChainVerifier::new(100);
        rows.iter().for_each(|r| v.push(r));
        v.finish(&[("audit-head-file", head)], |s| rows.iter().find(|r| r.seq == s).map(|r| r.hash.clone()))
    }

    fn head_of(rows: &[StoredRow]) -> Option<Head> {
        rows.last().map(|r| Head { seq: r.seq, hash: r.hash.clone() })
    }

    #[test]
    fn intact_chain_verifies() {
        let rows = chain(5);
        assert!(verify(&rows, head_of(&rows)).is_empty());
    }

    #[test]
    fn edited_row_is_found() {
        let mut rows = chain(5);
        let head = head_of(&rows);
        rows[2].after = Some("{\"name\":\"李四\"}".into());
        let p = verify(&rows, head);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].key == "verify-audit-row-altered" && p[0].get("seq") == Some("3"), "{p:?}");
    }

    #[test]
    fn deleted_row_is_found() {
        let mut rows = chain(5);
        let head = head_of(&rows);
        rows.remove(1);
        let p = verify(&rows, head);
        assert!(p.iter().any(|m| m.key == "verify-audit-rows-missing"), "{p:?}");
    }

    #[test]
    fn swapped_rows_are_found() {
        let mut rows = chain(5);
        let head = head_of(&rows);
        rows.swap(1, 2);
        assert!(!verify(&rows, head).is_empty());
    }

    #[test]
    fn truncated_end_is_found_through_the_head() {
        let mut rows = chain(5);
        let head = head_of(&rows);
        rows.truncate(3);
        let p = verify(&rows, head);
        assert!(p.iter().any(|m| m.key == "verify-audit-cut-off"), "{p:?}");
    }

    #[test]
    fn head_round_trips() {
        let h = Head { seq: 42, hash: "ab".repeat(32) };
        assert_eq!(Head::decode(&h.encode()), Some(h));
        assert_eq!(Head::decode("42 xyz"), None);
    }

    #[test]
    fn digest_is_short_and_follows_the_head() {
        let h = Head { seq: 42, hash: "ab".repeat(32) };
        let d = h.digest("lib-1");
        assert_eq!(d.len(), 19, "{d}");
        assert_ne!(d, Head { seq: 43, ..h.clone() }.digest("lib-1"));
        assert_ne!(d, h.digest("lib-2"));
    }
}
