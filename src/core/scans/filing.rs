//! Filing by hand: inbox pages into a dossier (a new document, or the end of one it has),
//! a page taken back out to the inbox, a page turned. Each is one transaction with one audit
//! row naming the pages.

use crate::core::session::{Change, Session, to_json};
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::model::scans::{InboxReason, Page};
use crate::store;

/// Where inbox pages go.
#[derive(Debug, Clone)]
pub enum FileInto {
    /// A new document of this type (code or name), titled by its type unless `title` is given.
    NewDocument { doc_type: String, title: String },
    /// The end of a document the dossier has.
    Document(i64),
}

/// Pages named on the command line: `123`, `P123`, `120-125`, `file:7` (all of a file's
/// inbox pages), comma-separated.
pub fn parse_page_list(s: &str) -> Result<Vec<PageSel>> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || Error::usage("scan-page-list").arg("value", part);
        if let Some(f) = part.strip_prefix("file:").or_else(|| part.strip_prefix("F")) {
            out.push(PageSel::File(f.trim().parse().map_err(|_| bad())?));
            continue;
        }
        let p = part.trim_start_matches(['P', 'p']);
        match p.split_once('-') {
            Some((a, b)) => {
                let (a, b): (i64, i64) =
                    (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
                if a > b || b - a > 10_000 {
                    return Err(bad());
                }
                out.extend((a..=b).map(PageSel::Page));
            }
            None => out.push(PageSel::Page(p.parse().map_err(|_| bad())?)),
        }
    }
    if out.is_empty() {
        return Err(Error::usage("scan-page-list").arg("value", s));
    }
    Ok(out)
}

/// One item of a page list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageSel {
    Page(i64),
    File(i64),
}

impl Session {
    /// Files inbox pages into a dossier, in the order given. A page already filed is refused
    /// (take it out first: [`Session::unfile_page`]).
    pub fn file_pages(
        &mut self,
        pages: &[PageSel],
        dossier: &str,
        into: FileInto,
    ) -> Result<(i64, Vec<Page>)> {
        self.require(Permission::WriteDossiers)?;
        let (c, _) = self.lib.db.read(|tx| crate::core::customers::load_customer(tx, dossier))?;
        self.guard_confidential(&c)?;
        if c.closed_at.is_some() {
            return Err(Error::conflict("scan-file-closed").arg("dossier", &c.dossier));
        }
        self.change(Permission::WriteDossiers, |tx, audit| {
            let mut ids = Vec::new();
            for sel in pages {
                match *sel {
                    PageSel::Page(id) => {
                        let p = store::scans::page(tx, id)?
                            .ok_or_else(|| Error::missing("scan-page-not-found").arg("id", id))?;
                        if let Some(d) = &p.dossier {
                            return Err(Error::conflict("scan-page-filed").arg("id", id).arg("dossier", d));
                        }
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                    PageSel::File(f) => {
                        let inbox = store::scans::inbox_of_file(tx, f)?;
                        if inbox.is_empty() {
                            return Err(Error::missing("scan-file-no-inbox").arg("file", f));
                        }
                        ids.extend(
                            inbox
                                .into_iter()
                                .map(|p| p.id)
                                .filter(|id| !ids.contains(id))
                                .collect::<Vec<_>>(),
                        );
                    }
                }
            }
            let document_id = match &into {
                FileInto::Document(id) => {
                    let docs = store::customers::documents_of(tx, c.id)?;
                    if !docs.iter().any(|d| d.id == *id) {
                        return Err(Error::missing("doc-not-found").arg("id", id).arg("dossier", &c.dossier));
                    }
                    *id
                }
                FileInto::NewDocument { doc_type, title } => {
                    let ty = store::config::doc_type(tx, doc_type.trim())?;
                    let title = crate::model::text::clean_line("label-title", title)?;
                    store::customers::insert_document(
                        tx,
                        &store::customers::DocRow {
                            customer_id: c.id,
                            doc_type_id: ty.id,
                            title: if title.is_empty() { &ty.name } else { &title },
                            date: None,
                            expires_on: None,
                            pages: ids.len() as i64,
                            notes: "",
                            created_at: audit.at,
                            created_by: Some(audit.user_id),
                        },
                    )?
                }
            };
            let first = store::scans::next_position(tx, document_id)?;
            for (pos, id) in (first..).zip(&ids) {
                store::scans::file_page(tx, *id, document_id, pos, audit.at)?;
            }
            store::customers::touch(tx, c.id, audit.at)?;
            if let FileInto::NewDocument { .. } = into {
                crate::core::customers::record_new_document(tx, audit, c.id, &c.dossier, document_id)?;
            }
            audit.log(
                tx,
                Change {
                    action: "file",
                    entity: "page",
                    entity_id: &ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
                    dossier: Some(&c.dossier),
                    before: None,
                    after: to_json(&serde_json::json!({ "document": document_id, "pages": ids })),
                },
            )?;
            let filed = store::scans::pages_of_document(tx, document_id)?;
            Ok((document_id, filed))
        })
    }

    /// Takes a filed page out of its document, back to the inbox (it was misfiled).
    pub fn unfile_page(&mut self, id: i64) -> Result<Page> {
        let page = self.page(id)?;
        let Some(dossier) = page.dossier.clone() else {
            return Err(Error::conflict("scan-page-in-inbox").arg("id", id));
        };
        self.change(Permission::WriteDossiers, |tx, audit| {
            store::scans::unfile_page(tx, id, InboxReason::Unfiled, Some(&dossier))?;
            audit.log(
                tx,
                Change {
                    action: "unfile",
                    entity: "page",
                    entity_id: &id.to_string(),
                    dossier: Some(&dossier),
                    before: to_json(&serde_json::json!({ "document": page.document_id })),
                    after: None,
                },
            )?;
            store::scans::page(tx, id)?.ok_or_else(|| Error::missing("scan-page-not-found").arg("id", id))
        })
    }

    /// Turns a page by `degrees` (90, 180, 270, or -90) clockwise: metadata only, the stored
    /// file never changes.
    pub fn rotate_page(&mut self, id: i64, degrees: i64) -> Result<Page> {
        if degrees % 90 != 0 {
            return Err(Error::usage("scan-rotation").arg("value", degrees));
        }
        let page = self.page(id)?;
        let rotation = (page.rotation + degrees).rem_euclid(360);
        if page.dossier.is_none() {
            self.require(Permission::WriteDossiers)?;
        }
        self.change(Permission::WriteDossiers, |tx, audit| {
            store::scans::set_rotation(tx, id, rotation)?;
            audit.log(
                tx,
                Change {
                    action: "rotate",
                    entity: "page",
                    entity_id: &id.to_string(),
                    dossier: page.dossier.as_deref(),
                    before: to_json(&serde_json::json!({ "rotation": page.rotation })),
                    after: to_json(&serde_json::json!({ "rotation": rotation })),
                },
            )?;
            store::scans::page(tx, id)?.ok_or_else(|| Error::missing("scan-page-not-found").arg("id", id))
        })
    }
}
