//! Filing a dossier's paper folder into a box (装盒). Without a box named, the category's box
//! rule picks one: a box of its own (一户一盒, e.g. high-voltage customers) or the oldest open
//! shared box of the same category, year and retention with room for it, else a new one.
//!
//! A shared box is filled per category: the category the rule is set on (so sub-categories
//! under one rule share boxes), or the dossier's own category under the library's default rule.

use chrono::Datelike;

use super::boxes::{Opening, find_box, open_box};
use super::*;
use crate::model::Status;
use crate::model::storage::{BoxInfo, BoxStatus, MoveReason, Movement, Placement};

/// What filing did.
#[derive(Debug, Clone, Serialize)]
pub struct Filed {
    #[serde(flatten)]
    pub placement: Placement,
    /// The box as it is now (with the folder in it).
    #[serde(rename = "box")]
    pub box_info: BoxInfo,
    /// A new box was opened for it.
    pub opened: bool,
    /// The box it was in before (a refile).
    pub moved_from: Option<String>,
}

/// Marks a box full when it takes no more, open again when it does (a sealed box stays sealed).
fn refresh_status(t: Tx<'_>, box_id: i64, at: &str) -> Result<()> {
    let Some(b) = db::box_by_id(t, box_id)? else { return Ok(()) };
    let want = match b.status {
        BoxStatus::Sealed => return Ok(()),
        _ if !b.capacity.admits(b.count, b.thickness_mm, 0) => BoxStatus::Full,
        _ => BoxStatus::Open,
    };
    if want != b.status {
        db::set_box_status(t, box_id, want, at)?;
    }
    Ok(())
}

pub(crate) fn placement(t: Tx<'_>, dossier: &str, customer_id: i64) -> Result<Option<Placement>> {
    let Some(f) = db::folder_of(t, customer_id)? else { return Ok(None) };
    let b = db::box_by_id(t, f.box_id)?.ok_or_else(|| Error::Db("a folder's box is missing".into()))?;
    let out = match f.out_location_id {
        Some(id) => db::location_by_id(t, id)?.map(|l| l.path),
        None => None,
    };
    Ok(Some(Placement {
        dossier: dossier.to_string(),
        box_code: b.code,
        box_no: b.box_no,
        item_no: f.item_no,
        home: b.home,
        current: b.current,
        folder_out: out,
        filed_at: f.filed_at,
    }))
}

impl Session {
    /// Files a dossier's folder into a box (by code), or into the box its category's rule picks.
    /// A folder already in a box is refused unless `move_it` (then it moves, with a movement
    /// row saying from where). A closed dossier, a full or sealed box are refused.
    pub fn file_dossier(&mut self, dossier: &str, box_code: Option<&str>, move_it: bool) -> Result<Filed> {
        self.require(Permission::WriteDossiers)?;
        let (customer, _) = self.lib.db.read(|tx| crate::core::customers::load_customer(tx, dossier))?;
        self.guard_dossier(&customer)?;
        if customer.status == Status::Closed {
            return Err(Error::conflict("file-closed-dossier").arg("dossier", &customer.dossier));
        }
        self.change(Permission::WriteDossiers, |tx, audit| {
            let t = Tx::new(tx);
            let before = db::folder_of(t, customer.id)?;
            let before_box = match &before {
                Some(f) => db::box_by_id(t, f.box_id)?,
                None => None,
            };
            if let Some(b) = &before_box
                && !move_it
            {
                return Err(Error::conflict("file-already-filed")
                    .arg("dossier", &customer.dossier)
                    .arg("box", &b.code)
                    .arg("place", b.current.clone().unwrap_or_default()));
            }
            let pages = db::customer_pages(t, customer.id)?;
            let mut opened = false;
            let target = match box_code {
                Some(code) => {
                    let b = find_box(t, code)?;
                    if before_box.as_ref().is_some_and(|x| x.id == b.id) {
                        return Err(Error::conflict("file-same-box")
                            .arg("dossier", &customer.dossier)
                            .arg("box", &b.code));
                    }
                    match b.status {
                        BoxStatus::Sealed => return Err(Error::conflict("box-sealed").arg("code", &b.code)),
                        BoxStatus::Full => return Err(Error::conflict("box-full").arg("code", &b.code)),
                        BoxStatus::Open if !b.capacity.admits(b.count, b.thickness_mm, pages) => {
                            return Err(Error::conflict("box-no-room")
                                .arg("code", &b.code)
                                .arg("capacity", b.capacity.to_string()));
                        }
                        BoxStatus::Open => b,
                    }
                }
                None => {
                    let cat = store::config::category(tx, &customer.category)?;
                    let (rule_cat, rule) = db::box_rule_for(t, cat.id)?;
                    let scope = rule_cat.unwrap_or(cat.id);
                    let year = chrono::DateTime::parse_from_rfc3339(&customer.created_at)
                        .map(|d| d.year())
                        .unwrap_or_else(|_| crate::core::today().year());
                    let found = match rule.mode {
                        BoxMode::Own => None,
                        BoxMode::Shared => db::open_shared_boxes(t, scope, year, &rule.retention)?
                            .into_iter()
                            .find(|b| b.capacity.admits(b.count, b.thickness_mm, pages)),
                    };
                    match found {
                        Some(b) => b,
                        None => {
                            opened = true;
                            open_box(
                                tx,
                                audit,
                                &Opening {
                                    year,
                                    retention: &rule.retention,
                                    spine_mm: rule.spine_mm,
                                    capacity: match rule.mode {
                                        BoxMode::Own => Capacity::Dossiers(1),
                                        BoxMode::Shared => rule.capacity,
                                    },
                                    category_id: Some(scope),
                                    mode: rule.mode,
                                    location: None,
                                },
                            )?
                        }
                    }
                }
            };
            // The box's own series: its fonds (the library's may have changed since), year,
            // retention and category.
            let (retention_code, box_category): (String, Option<i64>) =
                t.query_row("SELECT retention, category_id FROM boxes WHERE id = ?1", [target.id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            let item = store::config::next_in_sequence(
                tx,
                &db::item_scope(&target.fonds, target.year, &retention_code, box_category),
            )?;
            match &before {
                Some(_) => db::move_folder(t, customer.id, target.id, item, audit.at, audit.user_id)?,
                None => db::insert_folder(t, customer.id, target.id, item, audit.at, audit.user_id)?,
            }
            db::insert_movement(
                t,
                &db::NewMovement {
                    at: audit.at,
                    user_id: audit.user_id,
                    box_id: None,
                    customer_id: Some(customer.id),
                    from_location: None,
                    to_location: None,
                    from_box: before.as_ref().map(|f| f.box_id),
                    to_box: Some(target.id),
                    reason: if before.is_some() { MoveReason::Refiled } else { MoveReason::Filed },
                    note: "",
                },
            )?;
            refresh_status(t, target.id, audit.at)?;
            if let Some(f) = &before {
                refresh_status(t, f.box_id, audit.at)?;
            }
            let placement = placement(t, &customer.dossier, customer.id)?
                .ok_or_else(|| Error::Db("the folder vanished".into()))?;
            let box_info = db::box_by_id(t, target.id)?
                .ok_or_else(|| Error::missing("box-not-found").arg("code", &target.code))?;
            audit.log(
                tx,
                Change {
                    action: if before.is_some() { "refile" } else { "file" },
                    entity: "folder",
                    entity_id: &customer.dossier,
                    dossier: Some(&customer.dossier),
                    before: before_box.as_ref().and_then(|b| to_json(&serde_json::json!({ "box": b.code }))),
                    after: to_json(&placement),
                },
            )?;
            Ok(Filed { placement, box_info, opened, moved_from: before_box.map(|b| b.code) })
        })
    }

    /// Takes a dossier's folder out of its box for good (出盒): it is no longer filed anywhere.
    pub fn unfile_dossier(&mut self, dossier: &str) -> Result<()> {
        self.require(Permission::WriteDossiers)?;
        let (customer, _) = self.lib.db.read(|tx| crate::core::customers::load_customer(tx, dossier))?;
        self.guard_dossier(&customer)?;
        self.change(Permission::WriteDossiers, |tx, audit| {
            let t = Tx::new(tx);
            let Some(before) = placement(t, &customer.dossier, customer.id)? else {
                return Err(Error::conflict("file-not-filed").arg("dossier", &customer.dossier));
            };
            let f = db::folder_of(t, customer.id)?.ok_or_else(|| Error::Db("the folder vanished".into()))?;
            db::delete_folder(t, customer.id)?;
            db::insert_movement(
                t,
                &db::NewMovement {
                    at: audit.at,
                    user_id: audit.user_id,
                    box_id: None,
                    customer_id: Some(customer.id),
                    from_location: None,
                    to_location: None,
                    from_box: Some(f.box_id),
                    to_box: None,
                    reason: MoveReason::Unfiled,
                    note: "",
                },
            )?;
            refresh_status(t, f.box_id, audit.at)?;
            audit.log(
                tx,
                Change {
                    action: "unfile",
                    entity: "folder",
                    entity_id: &customer.dossier,
                    dossier: Some(&customer.dossier),
                    before: to_json(&before),
                    after: None,
                },
            )?;
            Ok(())
        })
    }

    /// Where a dossier's folder is (none while it is not filed).
    pub fn placement(&mut self, dossier: &str) -> Result<Option<Placement>> {
        self.require(Permission::ReadDossiers)?;
        let (customer, _) = self.lib.db.read(|tx| crate::core::customers::load_customer(tx, dossier))?;
        self.guard_dossier(&customer)?;
        placement(self.lib.db.tx(), &customer.dossier, customer.id)
    }

    /// A dossier's movements (its folder's, and its box's while it is in it), newest first.
    pub fn dossier_movements(&mut self, dossier: &str) -> Result<Vec<Movement>> {
        self.require(Permission::ReadDossiers)?;
        let (customer, _) = self.lib.db.read(|tx| crate::core::customers::load_customer(tx, dossier))?;
        self.guard_dossier(&customer)?;
        db::dossier_movements(self.lib.db.tx(), customer.id, 200)
    }

    /// The dossiers filed on a day (`YYYY-MM-DD`), for printing their labels.
    pub fn filed_on(&mut self, day: &str) -> Result<Vec<String>> {
        self.require(Permission::ReadDossiers)?;
        let d = crate::model::parse_date(day, "label-date")?;
        // The local day, as stored timestamps (UTC) bound it.
        let bound = |d: chrono::NaiveDate| {
            d.and_hms_opt(0, 0, 0)
                .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
                .map(|t| t.with_timezone(&chrono::Utc).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
                .unwrap_or_else(|| format!("{d}T00:00:00.000Z"))
        };
        let next = d.succ_opt().unwrap_or(d);
        db::filed_between(self.lib.db.tx(), &bound(d), &bound(next))
    }
}
