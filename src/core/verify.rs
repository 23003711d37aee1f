//! `verify`: is the library whole? SQLite's own integrity and foreign-key checks, the audit
//! chain against the heads kept outside it, the search index against the database, and (as
//! later capabilities land) attachment checksums.

use serde::Serialize;

use crate::core::index::IndexState;
use crate::core::session::Session;
use crate::model::audit::{ChainVerifier, Head};
use crate::model::error::Result;
use crate::model::permission::Permission;
use crate::store;

/// The most problems listed; a damaged library can have millions.
const MAX_PROBLEMS: usize = 200;

#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub ok: bool,
    pub problems: Vec<String>,
    pub customers: i64,
    pub documents: i64,
    pub audit_rows: i64,
    pub audit_head: Option<Head>,
    pub search_index: IndexState,
}

impl Session {
    pub fn verify(&mut self) -> Result<VerifyReport> {
        self.require(Permission::ReadAudit)?;
        let file_head_raw = std::fs::read_to_string(&self.lib.paths().audit_head).ok();
        let file_head = self.lib.read_head_file();
        let mut report = self.lib.db.read(|tx| {
            let mut problems = Vec::new();
            problems.extend(store::integrity_problems(tx)?);
            problems.extend(store::foreign_key_problems(tx)?);

            let mut chain = ChainVerifier::new(MAX_PROBLEMS);
            let mut last: Option<Head> = None;
            store::audit::for_each_row(tx, |row| {
                chain.push(row);
                last = Some(Head { seq: row.seq, hash: row.hash.clone() });
            })?;
            let audit_rows = chain.rows();
            let meta_head = store::get_meta(tx, store::audit::HEAD_KEY)?;
            let meta_head_parsed = meta_head.as_deref().and_then(Head::decode);
            match (&meta_head_parsed, &last) {
                (Some(m), Some(l)) if m.seq < l.seq => problems.push(format!(
                    "the audit log has rows after the recorded head (row {} onwards were added behind Dangan's back)",
                    m.seq + 1
                )),
                (None, Some(_)) => problems.push("the audit head in the database is missing or unreadable".into()),
                _ => {}
            }
            // The writer head row is what the next audit row chains from: it must name the last row.
            let writer = store::writer_head(store::Tx::new(tx))?;
            let writer_head = Head { seq: writer.audit_seq, hash: writer.audit_hash };
            if last.as_ref().map_or(0, |l| l.seq) != writer_head.seq {
                problems.push(format!(
                    "the writer head names audit row {} but the log ends at row {}",
                    writer_head.seq,
                    last.as_ref().map_or(0, |l| l.seq)
                ));
            }
            if audit_rows > 0 && file_head.is_none() {
                problems.push(match file_head_raw {
                    Some(_) => "the audit.head file is unreadable".into(),
                    None => "the audit.head file beside the database is missing".into(),
                });
            }
            let chain_problems = chain.finish(
                &[
                    ("database's audit head", meta_head_parsed),
                    ("writer head", (writer_head.seq > 0).then_some(writer_head)),
                    ("audit.head file", file_head),
                ],
                |seq| store::audit::hash_at(tx, seq).ok().flatten(),
            );
            problems.extend(chain_problems);
            problems.truncate(MAX_PROBLEMS);
            Ok(VerifyReport {
                ok: problems.is_empty(),
                problems,
                customers: store::customers::count(tx)?,
                documents: store::customers::document_count(tx)?,
                audit_rows,
                audit_head: last,
                search_index: IndexState::Missing,
            })
        })?;
        // The search index is derived: a missing one is rebuilt, not a problem; a present one
        // must agree with the database.
        report.search_index = self.lib.index_state()?;
        let room = MAX_PROBLEMS.saturating_sub(report.problems.len());
        report.problems.extend(self.lib.index_problems(room)?);
        report.ok = report.problems.is_empty();
        Ok(report)
    }
}
