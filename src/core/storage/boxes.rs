//! Boxes (档案盒): opened with their own barcode, placed on a shelf (home) and moved (current),
//! filled, sealed. Every move is a movement row and an audit row.

use super::*;
use crate::model::storage::{BoxInfo, BoxStatus, Folder, Location, MoveReason, Movement};

/// A new box as given; `None` takes the box rule's (or the library's) value.
#[derive(Debug, Clone, Default)]
pub struct NewBoxSpec {
    /// Where it is shelved (path or barcode); none: not shelved yet.
    pub location: Option<String>,
    /// 年度; this year when not given.
    pub year: Option<i32>,
    /// 保管期限, code or name.
    pub retention: Option<String>,
    pub spine_mm: Option<i64>,
    pub capacity: Option<String>,
    /// The category whose folders it takes (its box rule gives the defaults).
    pub category: Option<String>,
    pub notes: String,
}

/// A box with its contents and history.
#[derive(Debug, Clone, Serialize)]
pub struct BoxView {
    #[serde(flatten)]
    pub info: BoxInfo,
    pub folders: Vec<Folder>,
    pub movements: Vec<Movement>,
    /// The box's loan while it is out (or lost).
    pub loan: Option<crate::core::loans::OnLoan>,
}

/// A box by its code (scanned or typed); a mistyped code is refused, not guessed.
pub(crate) fn find_box(tx: Tx<'_>, code: &str) -> Result<BoxInfo> {
    let c = st::normalize_code(code);
    if let Some(b) = db::box_by_code(tx, &c)? {
        return Ok(b);
    }
    let prefix = settings(tx.conn())?.box_prefix;
    match st::code_shape(&c, &prefix) {
        st::CodeShape::Mistyped { expected, .. } => {
            Err(Error::usage("code-mistyped").arg("code", &c).arg("expected", expected))
        }
        _ => Err(Error::missing("box-not-found").arg("code", &c)),
    }
}

/// Opens a box inside the caller's transaction: its code and 盒号, an audit row, and a
/// movement if it is shelved at once.
pub(crate) struct Opening<'a> {
    pub year: i32,
    pub retention: &'a str,
    pub spine_mm: i64,
    pub capacity: Capacity,
    pub category_id: Option<i64>,
    pub mode: BoxMode,
    pub location: Option<&'a Location>,
}

pub(crate) fn open_box(
    tx: &rusqlite::Connection,
    audit: &crate::core::session::Auditor<'_>,
    o: &Opening<'_>,
) -> Result<BoxInfo> {
    let t = Tx::new(tx);
    let s = settings(tx)?;
    if let Some(l) = o.location {
        check_room(t, l)?;
    }
    let seq = store::config::next_in_sequence(tx, db::BOX_CODE_SCOPE)?;
    let code = st::make_code(&s.box_prefix, st::BOX_DIGITS, seq);
    let box_no = store::config::next_in_sequence(tx, &db::box_no_scope(&s.fonds, o.year))?;
    let id = db::insert_box(
        t,
        &db::NewBox {
            code: &code,
            box_no,
            fonds: &s.fonds,
            year: o.year,
            retention: o.retention,
            spine_mm: o.spine_mm,
            capacity: o.capacity,
            category_id: o.category_id,
            mode: o.mode,
            location_id: o.location.map(|l| l.id),
            at: audit.at,
        },
    )?;
    if let Some(l) = o.location {
        db::insert_movement(
            t,
            &db::NewMovement {
                at: audit.at,
                user_id: audit.user_id,
                box_id: Some(id),
                customer_id: None,
                from_location: None,
                to_location: Some(l.id),
                from_box: None,
                to_box: None,
                reason: MoveReason::Shelved,
                note: "",
            },
        )?;
    }
    let info = db::box_by_id(t, id)?.ok_or_else(|| Error::Db("the new box vanished".into()))?;
    audit.log(
        tx,
        Change {
            action: "create",
            entity: "box",
            entity_id: &info.code,
            dossier: None,
            before: None,
            after: to_json(&info),
        },
    )?;
    Ok(info)
}

/// Refuses a location that holds as many boxes as its capacity allows.
fn check_room(t: Tx<'_>, l: &Location) -> Result<()> {
    if let Some(cap) = l.capacity {
        let n = db::boxes_at(t, l.id)?;
        if n >= cap {
            return Err(Error::conflict("location-full").arg("path", &l.path).arg("capacity", cap));
        }
    }
    Ok(())
}

impl Session {
    /// Opens a new box (its barcode and 盒号 handed out), shelved at a location or not yet.
    pub fn add_box(&mut self, spec: NewBoxSpec) -> Result<BoxInfo> {
        let year = spec.year.unwrap_or_else(|| chrono::Datelike::year(&crate::core::today()));
        if !(1900..=2999).contains(&year) {
            return Err(Error::usage("box-year-invalid").arg("value", year));
        }
        let capacity = spec.capacity.as_deref().map(Capacity::parse).transpose()?;
        let spine = spec.spine_mm.map(check_spine).transpose()?;
        self.change(Permission::ManageStorage, |tx, audit| {
            let t = Tx::new(tx);
            let cat = spec.category.as_deref().map(|c| store::config::category(tx, c.trim())).transpose()?;
            let (_, rule) = db::box_rule_for(t, cat.as_ref().map_or(-1, |c| c.id))?;
            let retention = match &spec.retention {
                Some(r) => super::retention(t, r)?.code,
                None => rule.retention.clone(),
            };
            let location = spec.location.as_deref().map(|l| locations::find(t, l)).transpose()?;
            open_box(
                tx,
                audit,
                &Opening {
                    year,
                    retention: &retention,
                    spine_mm: spine.unwrap_or(rule.spine_mm),
                    capacity: capacity.unwrap_or(rule.capacity),
                    category_id: cat.as_ref().map(|c| c.id),
                    mode: BoxMode::Shared,
                    location: location.as_ref(),
                },
            )
        })
    }

    /// A box's own fields and fill, without its folders and history (for labels and lists).
    pub fn box_info(&mut self, code: &str) -> Result<BoxInfo> {
        self.require(Permission::ReadDossiers)?;
        find_box(self.lib.db.tx(), code)
    }

    /// A box with its folders (by item number) and its movements (newest first).
    pub fn box_view(&mut self, code: &str) -> Result<BoxView> {
        self.require(Permission::ReadDossiers)?;
        let see_all = self.may(Permission::ViewConfidential);
        self.lib
            .db
            .read(|tx| {
                let t = Tx::new(tx);
                let info = find_box(t, code)?;
                let folders = db::folders_in(t, info.id)?
                    .into_iter()
                    .map(|(mut f, confidential)| {
                        if confidential && !see_all {
                            f.name = HIDDEN_NAME.into();
                        }
                        f
                    })
                    .collect();
                let movements = db::box_movements(t, info.id, 200)?;
                Ok(BoxView { info, folders, movements, loan: None })
            })
            .and_then(|mut v| {
                v.loan = self.on_loan(None, Some(v.info.id))?;
                Ok(v)
            })
    }

    /// The boxes that belong under a location (or, with `current`, stand there now).
    pub fn boxes_at(&mut self, location: &str, current: bool) -> Result<Vec<BoxInfo>> {
        self.require(Permission::ReadDossiers)?;
        self.lib.db.read(|tx| {
            let t = Tx::new(tx);
            let loc = locations::find(t, location)?;
            db::boxes_under(t, &loc.path, current)
        })
    }

    /// Boxes opened but not shelved yet (待上架), newest first.
    pub fn unshelved_boxes(&mut self, limit: usize) -> Result<Vec<BoxInfo>> {
        self.require(Permission::ReadDossiers)?;
        db::unshelved_boxes(self.lib.db.tx(), limit.clamp(1, 10_000) as i64)
    }

    /// Puts a box at a location. Shelving (the default) makes it the box's home too; a
    /// `temporary` move changes only where it is now (to a reading room, a desk), and
    /// [`Session::return_box`] brings it back.
    pub fn place_box(&mut self, code: &str, location: &str, temporary: bool, note: &str) -> Result<BoxInfo> {
        let note = crate::model::text::clean_line("label-note", note)?;
        self.change(Permission::ManageStorage, |tx, audit| {
            let t = Tx::new(tx);
            let b = find_box(t, code)?;
            let to = locations::find(t, location)?;
            let (home, current) = db::box_places(t, b.id)?;
            if current == Some(to.id) && (temporary || home == Some(to.id)) {
                return Err(Error::conflict("box-already-there").arg("code", &b.code).arg("path", &to.path));
            }
            if current != Some(to.id) {
                check_room(t, &to)?;
            }
            let (new_home, reason) = if temporary {
                if home.is_none() {
                    return Err(Error::conflict("box-not-shelved").arg("code", &b.code));
                }
                (home, MoveReason::Moved)
            } else {
                (Some(to.id), if home.is_none() { MoveReason::Shelved } else { MoveReason::Moved })
            };
            move_box(tx, audit, &b, new_home, Some(to.id), current, reason, &note)
        })
    }

    /// Brings a box that was moved away back to its home.
    pub fn return_box(&mut self, code: &str) -> Result<BoxInfo> {
        self.change(Permission::ManageStorage, |tx, audit| {
            let t = Tx::new(tx);
            let b = find_box(t, code)?;
            let (home, current) = db::box_places(t, b.id)?;
            let Some(home) = home else {
                return Err(Error::conflict("box-not-shelved").arg("code", &b.code));
            };
            if current == Some(home) {
                return Err(Error::conflict("box-at-home").arg("code", &b.code));
            }
            move_box(tx, audit, &b, Some(home), Some(home), current, MoveReason::Returned, "")
        })
    }

    /// Seals a box (its contents and labels are final), or opens a sealed one again.
    pub fn set_box_status(&mut self, code: &str, status: BoxStatus) -> Result<BoxInfo> {
        self.change(Permission::ManageStorage, |tx, audit| {
            let t = Tx::new(tx);
            let b = find_box(t, code)?;
            if b.status == status {
                return Ok(b);
            }
            // Opening again means "takes folders": a box at capacity stays full.
            let status = match status {
                BoxStatus::Open if !b.capacity.admits(b.count, b.thickness_mm, 0) => BoxStatus::Full,
                s => s,
            };
            db::set_box_status(t, b.id, status, audit.at)?;
            let after = db::box_by_id(t, b.id)?
                .ok_or_else(|| Error::missing("box-not-found").arg("code", &b.code))?;
            audit.log(
                tx,
                Change {
                    action: "update",
                    entity: "box",
                    entity_id: &b.code,
                    dossier: None,
                    before: to_json(&b),
                    after: to_json(&after),
                },
            )?;
            Ok(after)
        })
    }
}

/// Moves a box: its places, a movement row and an audit row.
#[allow(clippy::too_many_arguments)]
pub(crate) fn move_box(
    tx: &rusqlite::Connection,
    audit: &crate::core::session::Auditor<'_>,
    b: &BoxInfo,
    home: Option<i64>,
    current: Option<i64>,
    from: Option<i64>,
    reason: MoveReason,
    note: &str,
) -> Result<BoxInfo> {
    let t = Tx::new(tx);
    db::set_box_places(t, b.id, home, current, audit.at)?;
    db::insert_movement(
        t,
        &db::NewMovement {
            at: audit.at,
            user_id: audit.user_id,
            box_id: Some(b.id),
            customer_id: None,
            from_location: from,
            to_location: current,
            from_box: None,
            to_box: None,
            reason,
            note,
        },
    )?;
    let after =
        db::box_by_id(t, b.id)?.ok_or_else(|| Error::missing("box-not-found").arg("code", &b.code))?;
    audit.log(
        tx,
        Change {
            action: reason.as_str(),
            entity: "box",
            entity_id: &b.code,
            dossier: None,
            before: to_json(&serde_json::json!({ "home": b.home, "current": b.current })),
            after: to_json(
                &serde_json::json!({ "home": after.home, "current": after.current, "note": note }),
            ),
        },
    )?;
    Ok(after)
}
