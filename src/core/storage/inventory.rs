//! Shelf inventory (盘点): the codes scanned along a shelf compared with what belongs there.
//!
//! What should be there: every box whose home is the location or below it. Each scanned code
//! is a box found (belongs here), a box or folder misplaced (belongs elsewhere: where), a
//! location label (it sets where the boxes scanned after it stand, for fixing), or unknown
//! (not a Dangan code, mistyped, or a code nothing has). Boxes that belong here and were not
//! scanned are missing (with where they are known to be, if moved). The result is saved as
//! an inventory record with an audit row; with `fix`, the current place of every box seen is
//! set to where it was seen (found boxes that were recorded elsewhere come home, misplaced
//! boxes are recorded where they stand), each a movement.

use std::collections::{BTreeSet, HashMap};

use super::boxes::move_box;
use super::*;
use crate::model::storage::{BoxInfo, CodeShape, Location, MoveReason};

/// One line of an inventory report.
#[derive(Debug, Clone, Serialize)]
pub struct InventoryItem {
    pub code: String,
    /// `box`, `folder`, or `unknown`.
    pub what: &'static str,
    /// The dossier's name (a folder), for the clerk to recognise it; empty for a box.
    pub label: String,
    /// A box's 年度 and 盒号 (the front end says them in the user's language).
    pub year: Option<i32>,
    pub box_no: Option<i64>,
    /// Where it belongs (a path, or a box code for a folder).
    pub home: Option<String>,
    /// Where it was recorded to be before this inventory.
    pub current: Option<String>,
    /// Why an unknown code is unknown (a message key: not ours, mistyped, no such box…).
    pub reason: Option<String>,
    /// A missing box that is out on loan: to whom (and their department).
    pub on_loan: Option<String>,
}

/// The result of an inventory.
#[derive(Debug, Clone, Serialize)]
pub struct InventoryReport {
    pub id: i64,
    pub location: String,
    pub at: String,
    pub user: String,
    pub expected: usize,
    pub found: Vec<InventoryItem>,
    pub missing: Vec<InventoryItem>,
    pub misplaced: Vec<InventoryItem>,
    pub unknown: Vec<InventoryItem>,
    /// Boxes whose current place was corrected.
    pub fixed: usize,
}

/// A past inventory, for the list.
#[derive(Debug, Clone, Serialize)]
pub struct InventorySummary {
    pub id: i64,
    pub location: String,
    pub at: String,
    pub user: String,
    pub found: i64,
    pub missing: i64,
    pub misplaced: i64,
    pub unknown: i64,
}

fn box_item(b: &BoxInfo) -> InventoryItem {
    InventoryItem {
        code: b.code.clone(),
        what: "box",
        label: String::new(),
        year: Some(b.year),
        box_no: Some(b.box_no),
        home: b.home.clone(),
        current: b.current.clone(),
        reason: None,
        on_loan: None,
    }
}

fn unknown(code: &str, reason: &str) -> InventoryItem {
    InventoryItem {
        code: code.to_string(),
        what: "unknown",
        label: String::new(),
        year: None,
        box_no: None,
        home: None,
        current: None,
        reason: Some(reason.to_string()),
        on_loan: None,
    }
}

fn under(path: Option<&str>, root: &str) -> bool {
    path.is_some_and(|p| p == root || p.strip_prefix(root).is_some_and(|r| r.starts_with('/')))
}

impl Session {
    /// Takes an inventory of a location from the codes scanned there (one per entry; blank
    /// entries and repeats are ignored) and saves it. See the module doc.
    pub fn inventory(&mut self, location: &str, scanned: &[String], fix: bool) -> Result<InventoryReport> {
        let see_all = self.may(Permission::ViewConfidential);
        let user = self.user.name.clone();
        self.change(Permission::ManageStorage, |tx, audit| {
            let t = Tx::new(tx);
            let root = locations::find(t, location)?;
            let prefix = settings(tx)?.box_prefix;
            let expected = db::boxes_under(t, &root.path, false)?;
            let mut seen: BTreeSet<String> = BTreeSet::new();
            let (mut found, mut misplaced, mut unknowns) = (Vec::new(), Vec::new(), Vec::new());
            // Where each box seen stands: the last location label scanned before it.
            let mut seen_at: HashMap<i64, Location> = HashMap::new();
            let mut here = root.clone();
            for raw in scanned {
                let code = st::normalize_code(raw);
                if code.is_empty() {
                    continue;
                }
                if let Some(l) = db::location_by_code(t, &code)? {
                    if under(Some(&l.path), &root.path) {
                        here = l;
                    } else {
                        unknowns.push(unknown(&code, "inventory-other-location"));
                    }
                    continue;
                }
                if !seen.insert(code.clone()) {
                    continue;
                }
                if let Some(b) = db::box_by_code(t, &code)? {
                    seen_at.insert(b.id, here.clone());
                    if under(b.home.as_deref(), &root.path) {
                        found.push(box_item(&b));
                    } else {
                        misplaced.push(box_item(&b));
                    }
                    continue;
                }
                if let Some((c, _)) =
                    store::customers::get(tx, raw.trim())?.or(store::customers::get(tx, &code)?)
                {
                    let place = filing::placement(t, &c.dossier, c.id)?;
                    let name =
                        if c.confidential && !see_all { HIDDEN_NAME.to_string() } else { c.name.clone() };
                    let item = InventoryItem {
                        code: c.dossier.clone(),
                        what: "folder",
                        label: name,
                        year: None,
                        box_no: None,
                        home: place
                            .as_ref()
                            .map(|p| format!("{} · {}", p.box_code, p.home.clone().unwrap_or_default())),
                        current: place.as_ref().and_then(|p| p.current.clone()),
                        reason: None,
                        on_loan: None,
                    };
                    if place.as_ref().is_some_and(|p| under(p.home.as_deref(), &root.path)) {
                        found.push(item);
                    } else {
                        misplaced.push(item);
                    }
                    continue;
                }
                let reason = match st::code_shape(&code, &prefix) {
                    CodeShape::Mistyped { .. } => "inventory-mistyped",
                    CodeShape::Box(_) | CodeShape::Location(_) => "inventory-no-such-code",
                    CodeShape::Other => "inventory-not-ours",
                };
                unknowns.push(unknown(&code, reason));
            }
            let mut missing: Vec<InventoryItem> =
                expected.iter().filter(|b| !seen.contains(&b.code)).map(box_item).collect();
            // A box not on its shelf because it is out on loan is missing for a reason.
            for (item, b) in missing.iter_mut().zip(expected.iter().filter(|b| !seen.contains(&b.code))) {
                if let Some(loan) = crate::store::loans::active_loan_of_box(t, b.id)? {
                    item.on_loan =
                        crate::store::loans::borrower_by_id(t, loan.borrower_id)?.map(|p| p.display());
                }
            }
            let mut fixed = 0;
            if fix {
                let mut boxes: Vec<BoxInfo> = expected.clone();
                for i in misplaced.iter().filter(|i| i.what == "box") {
                    if let Some(b) = db::box_by_code(t, &i.code)? {
                        boxes.push(b);
                    }
                }
                for b in &boxes {
                    let Some(at) = seen_at.get(&b.id) else { continue };
                    let (home, current) = db::box_places(t, b.id)?;
                    // A box on its own shelf, scanned without a finer label before it, is home.
                    let to = if under(b.home.as_deref(), &root.path) && at.id == root.id {
                        home
                    } else {
                        Some(at.id)
                    };
                    if to == current {
                        continue;
                    }
                    move_box(tx, audit, b, home.or(to), to, current, MoveReason::Inventory, "")?;
                    fixed += 1;
                }
            }
            let report = InventoryReport {
                id: 0,
                location: root.path.clone(),
                at: audit.at.to_string(),
                user: user.clone(),
                expected: expected.len(),
                found,
                missing,
                misplaced,
                unknown: unknowns,
                fixed,
            };
            let json = serde_json::to_string(&report).map_err(|e| Error::Db(e.to_string()))?;
            let id = db::insert_inventory(
                t,
                &db::NewInventory {
                    location_id: root.id,
                    at: audit.at,
                    user_id: audit.user_id,
                    found: report.found.len() as i64,
                    missing: report.missing.len() as i64,
                    misplaced: report.misplaced.len() as i64,
                    unknown: report.unknown.len() as i64,
                    fixed: fix,
                    report: &json,
                },
            )?;
            let report = InventoryReport { id, ..report };
            audit.log(
                tx,
                Change {
                    action: "create",
                    entity: "inventory",
                    entity_id: &id.to_string(),
                    dossier: None,
                    before: None,
                    after: to_json(&serde_json::json!({
                        "location": report.location, "expected": report.expected,
                        "found": report.found.len(), "missing": report.missing.len(),
                        "misplaced": report.misplaced.len(), "unknown": report.unknown.len(),
                        "fixed": report.fixed,
                    })),
                },
            )?;
            Ok(report)
        })
    }

    /// Past inventories of a location's subtree (or all), newest first.
    pub fn inventories(&mut self, location: Option<&str>, limit: usize) -> Result<Vec<InventorySummary>> {
        self.require(Permission::ReadDossiers)?;
        let t = self.lib.db.tx();
        let root = location.map(|l| locations::find(t, l)).transpose()?;
        Ok(db::inventories(t, root.as_ref().map(|r| r.path.as_str()), limit.clamp(1, 10_000) as i64)?
            .into_iter()
            .map(|(id, location, at, user, found, missing, misplaced, unknown)| InventorySummary {
                id,
                location,
                at,
                user,
                found,
                missing,
                misplaced,
                unknown,
            })
            .collect())
    }
}
