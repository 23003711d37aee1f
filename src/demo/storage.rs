//! The demo's records room: rooms of dense mobile shelving (密集架) sized for the boxes, box
//! rules on the utility template's categories, every dossier filed into a box by its rule and
//! every box shelved in order, with a little movement history.
//!
//! Filing follows the core's rule exactly (`core::storage::filing`): a category's rule (its own
//! or its nearest ancestor's) gives the box mode, capacity, spine and retention; a shared box
//! takes the folders of one rule scope, year of registration and retention, first fit; a box
//! of its own takes one. The boxes are then put in shelf order (year, retention, category) and
//! numbered in it, the way an archive is arranged (整理): box codes, 盒号 per year and 件号 per
//! year and retention rise along the shelves. Codes and sequences are the ones the core hands
//! out, so `file` and `box add` continue after them.
//!
//! Everything is planned from the database (deterministic), then written in batches of whole
//! boxes, each one transaction with one audit row naming its range: a kill leaves whole
//! batches, and `demo --finish` plans again and skips the boxes already there.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate};

use super::generate::Rng;
use crate::core::library::Library;
use crate::core::session::{Change, record, to_json};
use crate::model::error::{Error, Result};
use crate::model::storage::{self as st, BoxMode, BoxRule, BoxStatus, Capacity, Level, MoveReason};
use crate::store::{self, Tx, config as cfg, storage as sdb, storage_bulk as bulk};

/// The demo's fonds number (全宗号), printed on its box labels.
pub const FONDS: &str = "0371";
/// Boxes per shelf (层): 25 kraft boxes of mixed spines on a 900 mm shelf.
pub const SHELF_BOXES: usize = 25;
/// Shelves per section (节), sections per column (列), columns per rack (排: the two faces of a
/// mobile carriage): a column holds 500 boxes, a rack 1,000.
pub const SHELVES: usize = 5;
pub const SECTIONS: usize = 4;
pub const COLUMNS: usize = 2;
/// Racks per room (库房).
pub const RACKS_PER_ROOM: usize = 20;
/// Room left for growth: this many racks in a thousand more than the boxes need.
const SPARE_PER_MILLE: usize = 100;
/// Where boxes go when taken out to be read.
pub const READING_ROOM: &str = "查阅室";
/// Per mille of boxes taken to the reading room and not back yet, and taken and returned.
const OUT_PER_MILLE: u64 = 8;
const RETURNED_PER_MILLE: u64 = 25;
/// Per mille of folders that were first put in the wrong box and refiled.
const REFILED_PER_MILLE: u64 = 3;

/// The box rules the demo sets: `(category code, mode, capacity, spine mm, retention)`.
/// High-voltage customers get a box of their own (thick files, kept permanently); low-voltage
/// businesses share boxes by thickness; residents share boxes of 20.
const RULES: &[(&str, BoxMode, Capacity, i64, &str)] = &[
    ("HV", BoxMode::Own, Capacity::Dossiers(1), 50, "permanent"),
    ("LV", BoxMode::Shared, Capacity::Millimetres(45), 50, "y30"),
    ("RES", BoxMode::Shared, Capacity::Dossiers(20), 40, "y30"),
];

/// What the storage phase wrote (all of it, including what an earlier run of a resumed demo
/// wrote).
#[derive(Debug, Clone, Copy, Default)]
pub struct StorageStats {
    pub locations: u64,
    pub boxes: u64,
    pub filed: u64,
    pub movements: u64,
    /// Seconds this run spent planning and writing.
    pub seconds: f64,
}

/// One dossier to file.
struct Input {
    customer_id: i64,
    clerk_id: Option<i64>,
    filed: NaiveDate,
}

/// One box of the plan.
struct PlannedBox {
    scope: i64,
    year: i32,
    retention: usize,
    mode: BoxMode,
    capacity: Capacity,
    spine_mm: i64,
    /// Indexes into the inputs, in filing order.
    folders: Vec<u32>,
    thickness: f64,
    /// The day its first folder was filed.
    opened: NaiveDate,
}

impl PlannedBox {
    fn status(&self) -> BoxStatus {
        if self.capacity.admits(self.folders.len() as i64, self.thickness, 0) {
            BoxStatus::Open
        } else {
            BoxStatus::Full
        }
    }
}

pub(super) fn stamp(day: NaiveDate, minute: u64, now: &str) -> String {
    let s = format!("{day}T{:02}:{:02}:00.000Z", 1 + minute / 60 % 9, minute % 60);
    if s.as_str() > now { now.to_string() } else { s }
}

fn parse_day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|_| crate::core::today())
}

/// A stream of its own for each thing, so the plan does not depend on batch boundaries.
pub(super) fn rng_for(seed: u64, kind: u64, n: u64) -> Rng {
    Rng::new(seed ^ kind.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ n.wrapping_mul(0xd1b5_4a32_d192_ed03))
}

/// Sets the demo's box rules and fonds number (once: a resumed demo finds them set).
fn set_rules(lib: &mut Library, admin: &str) -> Result<()> {
    let cats: HashMap<String, i64> =
        cfg::categories(lib.db.conn())?.into_iter().map(|c| (c.code, c.id)).collect();
    // Done before (a demo resumed): the fonds number is the step's last write. The template's
    // own rules are not a sign of it: the demo replaces them with its own.
    let done = store::get_meta(lib.db.conn(), sdb::FONDS_KEY)?.as_deref() == Some(FONDS);
    if done {
        return Ok(());
    }
    let at = crate::core::now();
    lib.write(|tx| {
        let t = Tx::new(tx);
        for (code, mode, capacity, spine_mm, retention) in RULES {
            let Some(&id) = cats.get(*code) else {
                return Err(Error::missing("demo-category-missing").arg("code", *code));
            };
            let rule = BoxRule {
                category: Some((*code).to_string()),
                mode: *mode,
                capacity: *capacity,
                spine_mm: *spine_mm,
                retention: (*retention).to_string(),
            };
            sdb::set_box_rule(t, Some(id), &rule)?;
            record(
                tx,
                admin,
                &at,
                Change {
                    action: "update",
                    entity: "box_rule",
                    entity_id: code,
                    dossier: None,
                    before: None,
                    after: to_json(&rule),
                },
            )?;
        }
        let before = store::get_meta(tx, sdb::FONDS_KEY)?.unwrap_or_default();
        store::set_meta(tx, sdb::FONDS_KEY, FONDS)?;
        let prefix =
            store::get_meta(tx, sdb::BOX_PREFIX_KEY)?.unwrap_or_else(|| st::DEFAULT_BOX_PREFIX.into());
        record(
            tx,
            admin,
            &at,
            Change {
                action: "update",
                entity: "storage_settings",
                entity_id: "storage",
                dossier: None,
                before: to_json(&serde_json::json!({ "fonds": before, "box_prefix": prefix })),
                after: to_json(&serde_json::json!({ "fonds": FONDS, "box_prefix": prefix })),
            },
        )?;
        Ok(())
    })
}

/// Files every dossier by the box rules into planned boxes, in shelf order.
fn plan(lib: &Library, seed: u64) -> Result<(Vec<Input>, Vec<PlannedBox>, Vec<String>)> {
    let conn = lib.db.conn();
    let t = Tx::new(conn);
    let categories = cfg::categories(conn)?;
    let retentions: Vec<String> = sdb::retention_periods(t)?.into_iter().map(|r| r.code).collect();
    // Each category's rule and the scope its shared boxes are filled per (as `file` does).
    let mut rules: HashMap<i64, (i64, BoxRule)> = HashMap::new();
    for c in &categories {
        let (rule_cat, rule) = sdb::box_rule_for(t, c.id)?;
        rules.insert(c.id, (rule_cat.unwrap_or(c.id), rule));
    }
    let scope_order: HashMap<i64, usize> = categories.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let today = crate::core::today();
    let mut inputs = Vec::new();
    let mut boxes: Vec<PlannedBox> = Vec::new();
    // The open shared boxes of each (scope, year, retention), oldest first.
    let mut open: HashMap<(i64, i32, usize), Vec<usize>> = HashMap::new();
    bulk::for_each_filing_input(conn, |f| {
        let (scope, rule) = rules
            .get(&f.category_id)
            .cloned()
            .ok_or_else(|| Error::missing("demo-category-missing").arg("code", f.category_id))?;
        let day = parse_day(&f.created_day);
        let year = day.year();
        let retention = retentions.iter().position(|r| *r == rule.retention).unwrap_or(0);
        // Filed a few days to a few weeks after registration.
        let mut rng = rng_for(seed, 1, f.customer_id as u64);
        let filed = (day + Duration::days(rng.range(1, 25))).min(today);
        let i = inputs.len();
        inputs.push(Input { customer_id: f.customer_id, clerk_id: f.clerk_id, filed });
        let key = (scope, year, retention);
        let found = match rule.mode {
            BoxMode::Own => None,
            BoxMode::Shared => open.get(&key).and_then(|list| {
                list.iter().copied().find(|&b| {
                    boxes[b].capacity.admits(boxes[b].folders.len() as i64, boxes[b].thickness, f.pages)
                })
            }),
        };
        let b = match found {
            Some(b) => b,
            None => {
                boxes.push(PlannedBox {
                    scope,
                    year,
                    retention,
                    mode: rule.mode,
                    capacity: match rule.mode {
                        BoxMode::Own => Capacity::Dossiers(1),
                        BoxMode::Shared => rule.capacity,
                    },
                    spine_mm: rule.spine_mm,
                    folders: Vec::new(),
                    thickness: 0.0,
                    opened: filed,
                });
                if rule.mode == BoxMode::Shared {
                    open.entry(key).or_default().push(boxes.len() - 1);
                }
                boxes.len() - 1
            }
        };
        let pb = &mut boxes[b];
        pb.folders.push(i as u32);
        pb.thickness += st::folder_thickness_mm(f.pages);
        pb.opened = pb.opened.min(filed);
        if pb.status() == BoxStatus::Full
            && let Some(list) = open.get_mut(&key)
        {
            list.retain(|&x| x != b);
        }
        Ok(())
    })?;
    // Shelf order: year, retention, category, then as opened.
    let mut order: Vec<usize> = (0..boxes.len()).collect();
    order.sort_by_key(|&b| {
        let x = &boxes[b];
        (x.year, x.retention, scope_order.get(&x.scope).copied().unwrap_or(usize::MAX), b)
    });
    let mut slots: Vec<Option<PlannedBox>> = boxes.into_iter().map(Some).collect();
    let boxes = order.into_iter().filter_map(|b| slots[b].take()).collect();
    Ok((inputs, boxes, retentions))
}

/// How many racks the boxes need, with room to grow.
pub fn racks_for(boxes: usize) -> usize {
    let per_rack = SHELF_BOXES * SHELVES * SECTIONS * COLUMNS;
    (boxes + boxes * SPARE_PER_MILLE / 1000).div_ceil(per_rack).max(1)
}

/// The name of the n-th room (0-based): 档案室A, 档案室B, …
fn room_name(n: usize) -> String {
    let letter = (b'A' + (n % 26) as u8) as char;
    if n < 26 { format!("档案室{letter}") } else { format!("档案室{letter}{}", n / 26 + 1) }
}

/// Creates the rooms, racks, columns, sections and shelves (and the reading room) in one
/// transaction, unless an earlier run did. The shelves' ids in shelf order, and the reading
/// room's.
fn build_locations(lib: &mut Library, admin: &str, boxes: usize) -> Result<(Vec<i64>, i64)> {
    let existing = bulk::storage_counts(Tx::new(lib.db.conn()))?.locations;
    if existing == 0 {
        let at = crate::core::now();
        let racks = racks_for(boxes);
        lib.write(|tx| {
            let t = Tx::new(tx);
            let mut seq = 0i64;
            let mut first = String::new();
            let mut add =
                |parent: Option<i64>, name: &str, level: Level, path: &str, capacity: Option<i64>| {
                    seq += 1;
                    let code = st::make_code(st::LOCATION_PREFIX, st::LOCATION_DIGITS, seq);
                    if first.is_empty() {
                        first = code.clone();
                    }
                    let id = sdb::insert_location(
                        t,
                        &sdb::NewLocation {
                            parent_id: parent,
                            name,
                            level,
                            code: &code,
                            path,
                            capacity,
                            at: &at,
                        },
                    )?;
                    Ok::<_, Error>((id, code))
                };
            let mut room = (0, String::new());
            for r in 0..racks {
                if r % RACKS_PER_ROOM == 0 {
                    let name = room_name(r / RACKS_PER_ROOM);
                    room = (add(None, &name, Level::Room, &name, None)?.0, name);
                }
                let rack_name = format!("{}排", r % RACKS_PER_ROOM + 1);
                let rack_path = format!("{}/{rack_name}", room.1);
                let rack = add(Some(room.0), &rack_name, Level::Rack, &rack_path, None)?.0;
                for c in 0..COLUMNS {
                    let col_name = format!("{}列", c + 1);
                    let col_path = format!("{rack_path}/{col_name}");
                    let col = add(Some(rack), &col_name, Level::Column, &col_path, None)?.0;
                    for s in 0..SECTIONS {
                        let sec_name = format!("{}节", s + 1);
                        let sec_path = format!("{col_path}/{sec_name}");
                        let sec = add(Some(col), &sec_name, Level::Section, &sec_path, None)?.0;
                        for h in 0..SHELVES {
                            let name = format!("{}层", h + 1);
                            let path = format!("{sec_path}/{name}");
                            add(Some(sec), &name, Level::Shelf, &path, Some(SHELF_BOXES as i64))?;
                        }
                    }
                }
            }
            let last = add(None, READING_ROOM, Level::Room, READING_ROOM, None)?.1;
            cfg::set_sequence(tx, sdb::LOCATION_CODE_SCOPE, seq)?;
            let after = serde_json::json!({
                "locations": seq, "racks": racks, "first": first, "last": last,
            });
            record(
                tx,
                admin,
                &at,
                Change {
                    action: "generate",
                    entity: "demo",
                    entity_id: &first,
                    dossier: None,
                    before: None,
                    after: Some(after.to_string()),
                },
            )?;
            Ok(())
        })?;
    }
    let t = Tx::new(lib.db.conn());
    let shelves = bulk::location_ids_at_level(t, Level::Shelf)?;
    let reading = sdb::location_by_path(t, READING_ROOM)?
        .map(|l| l.id)
        .ok_or_else(|| Error::missing("location-not-found").arg("path", READING_ROOM))?;
    Ok((shelves, reading))
}

/// The numbers handed out so far along the shelves.
#[derive(Default)]
struct Counters {
    code: i64,
    box_no: HashMap<i32, i64>,
    /// 件号 per year, retention and the category the box is filled for (as the core counts).
    item: HashMap<(i32, usize, i64), i64>,
}

/// Plans, builds the rooms and writes the boxes not written yet, `batch` folders or so per
/// transaction. `progress(done, total)` counts boxes.
pub(crate) fn fill(
    lib: &mut Library,
    admin: &str,
    seed: u64,
    batch: usize,
    cancel: &AtomicBool,
    mut progress: impl FnMut(u64, u64),
) -> Result<StorageStats> {
    let started = Instant::now();
    set_rules(lib, admin)?;
    let (inputs, boxes, retentions) = plan(lib, seed)?;
    let (shelves, reading) = build_locations(lib, admin, boxes.len())?;
    if shelves.len() * SHELF_BOXES < boxes.len() {
        // Cannot happen: the racks are counted from the boxes.
        return Err(Error::Db(format!(
            "the demo's {} shelves take {} boxes, not {}",
            shelves.len(),
            shelves.len() * SHELF_BOXES,
            boxes.len()
        )));
    }
    let users = store::users::list(lib.db.conn())?;
    let archivist = users
        .iter()
        .find(|u| u.role == crate::model::Role::Archivist)
        .or_else(|| users.iter().find(|u| u.role == crate::model::Role::Admin))
        .map(|u| u.id)
        .ok_or_else(|| Error::missing("user-not-found").arg("name", "archivist"))?;
    let prefix =
        store::get_meta(lib.db.conn(), sdb::BOX_PREFIX_KEY)?.unwrap_or_else(|| st::DEFAULT_BOX_PREFIX.into());
    let written = bulk::storage_counts(Tx::new(lib.db.conn()))?.boxes.max(0) as usize;
    let total = boxes.len() as u64;
    let mut counters = Counters::default();
    let mut start = 0usize;
    while start < boxes.len() {
        // Whole boxes, about `batch` folders.
        let mut end = start;
        let mut folders = 0usize;
        while end < boxes.len() && (end == start || folders + boxes[end].folders.len() <= batch.max(1)) {
            folders += boxes[end].folders.len();
            end += 1;
        }
        let range = start..end;
        start = end;
        if range.end <= written {
            // Written by an earlier run: only count its numbers.
            for b in &boxes[range] {
                number(&mut counters, b);
            }
            continue;
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        let ctx = Ctx { admin, seed, prefix: &prefix, retentions: &retentions, archivist, reading };
        write_boxes(lib, &ctx, &boxes, range.clone(), &inputs, &shelves, &mut counters)?;
        progress(range.end as u64, total);
        crate::core::index::fault("demo-after-storage-batch");
    }
    let c = bulk::storage_counts(Tx::new(lib.db.conn()))?;
    Ok(StorageStats {
        locations: c.locations as u64,
        boxes: c.boxes as u64,
        filed: c.folders as u64,
        movements: c.movements as u64,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The box's code sequence, 盒号 and its folders' 件号, handed out in shelf order.
fn number(c: &mut Counters, b: &PlannedBox) -> (i64, i64, Vec<i64>) {
    c.code += 1;
    let no = c.box_no.entry(b.year).or_default();
    *no += 1;
    let box_no = *no;
    let item = c.item.entry((b.year, b.retention, b.scope)).or_default();
    let items = b
        .folders
        .iter()
        .map(|_| {
            *item += 1;
            *item
        })
        .collect();
    (c.code, box_no, items)
}

struct Ctx<'a> {
    admin: &'a str,
    seed: u64,
    prefix: &'a str,
    retentions: &'a [String],
    archivist: i64,
    reading: i64,
}

fn write_boxes(
    lib: &mut Library,
    ctx: &Ctx<'_>,
    boxes: &[PlannedBox],
    range: std::ops::Range<usize>,
    inputs: &[Input],
    shelves: &[i64],
    counters: &mut Counters,
) -> Result<()> {
    let now = crate::core::now();
    let today = crate::core::today();
    lib.write(|tx| {
        store::search::without_change_triggers(tx, || {
            let t = Tx::new(tx);
            let (mut first, mut last) = (String::new(), String::new());
            let (mut folders, mut moves) = (0u64, 0u64);
            let mut previous: Option<i64> = None;
            for k in range.clone() {
                let b = &boxes[k];
                let (seq, box_no, items) = number(counters, b);
                let code = st::make_code(ctx.prefix, st::BOX_DIGITS, seq);
                let retention = ctx.retentions.get(b.retention).map_or("permanent", String::as_str);
                let shelf = shelves[k / SHELF_BOXES];
                let mut rng = rng_for(ctx.seed, 2, k as u64);
                let shelved_day = (b.opened + Duration::days(rng.range(1, 10))).min(today);
                let shelved_at = stamp(shelved_day, rng.below(540), &now);
                // A few boxes were taken to the reading room: some are still there, some back.
                let r = rng.below(1000);
                let mut history = vec![(shelved_at.clone(), None, Some(shelf), MoveReason::Shelved, "")];
                let mut current = shelf;
                if r < OUT_PER_MILLE + RETURNED_PER_MILLE {
                    let span = (today - shelved_day).num_days().max(1);
                    let out_day = if r < OUT_PER_MILLE {
                        today - Duration::days(rng.range(0, 20).min(span))
                    } else {
                        shelved_day + Duration::days(rng.range(0, span))
                    };
                    let out_day = out_day.max(shelved_day);
                    history.push((
                        stamp(out_day, rng.below(540), &now),
                        Some(shelf),
                        Some(ctx.reading),
                        MoveReason::Moved,
                        "查阅",
                    ));
                    if r < OUT_PER_MILLE {
                        current = ctx.reading;
                    } else {
                        let back = (out_day + Duration::days(rng.range(0, 14))).min(today);
                        history.push((
                            stamp(back, 540 + rng.below(60), &now),
                            Some(ctx.reading),
                            Some(shelf),
                            MoveReason::Returned,
                            "",
                        ));
                    }
                }
                let last_filed =
                    b.folders.iter().map(|&i| inputs[i as usize].filed).max().unwrap_or(b.opened);
                let updated = history.last().map_or(shelved_at.clone(), |h| h.0.clone());
                let created = stamp(b.opened, 0, &now);
                let updated =
                    if stamp(last_filed, 0, &now) > updated { stamp(last_filed, 0, &now) } else { updated };
                let id = bulk::insert_box_bulk(
                    t,
                    &bulk::BulkBox {
                        code: &code,
                        box_no,
                        fonds: FONDS,
                        year: b.year,
                        retention,
                        spine_mm: b.spine_mm,
                        capacity: b.capacity,
                        status: b.status(),
                        category_id: Some(b.scope),
                        mode: b.mode,
                        home_location_id: Some(shelf),
                        location_id: Some(current),
                        created_at: &created,
                        updated_at: &updated,
                    },
                )?;
                for (at, from, to, reason, note) in &history {
                    sdb::insert_movement(
                        t,
                        &sdb::NewMovement {
                            at,
                            user_id: ctx.archivist,
                            box_id: Some(id),
                            customer_id: None,
                            from_location: *from,
                            to_location: *to,
                            from_box: None,
                            to_box: None,
                            reason: *reason,
                            note,
                        },
                    )?;
                    moves += 1;
                }
                for (&i, &item) in b.folders.iter().zip(&items) {
                    let input = &inputs[i as usize];
                    let mut frng = rng_for(ctx.seed, 3, input.customer_id as u64);
                    let filed_at = stamp(input.filed, frng.below(540), &now);
                    bulk::insert_folder_bulk(t, input.customer_id, id, item, &filed_at, input.clerk_id)?;
                    folders += 1;
                    // A few folders went into the box before this one by mistake and were
                    // refiled: the history says so.
                    if let Some(wrong) = previous
                        && frng.chance(REFILED_PER_MILLE)
                    {
                        let day = input.filed - Duration::days(frng.range(1, 5));
                        for (at, from_box, to_box, reason) in [
                            (stamp(day, 0, &now), None, Some(wrong), MoveReason::Filed),
                            (filed_at.clone(), Some(wrong), Some(id), MoveReason::Refiled),
                        ] {
                            sdb::insert_movement(
                                t,
                                &sdb::NewMovement {
                                    at: &at,
                                    user_id: input.clerk_id.unwrap_or(ctx.archivist),
                                    box_id: None,
                                    customer_id: Some(input.customer_id),
                                    from_location: None,
                                    to_location: None,
                                    from_box,
                                    to_box,
                                    reason,
                                    note: "",
                                },
                            )?;
                            moves += 1;
                        }
                    }
                }
                if first.is_empty() {
                    first = code.clone();
                }
                last = code;
                previous = Some(id);
            }
            // The core goes on from the numbers handed out here.
            cfg::set_sequence(tx, sdb::BOX_CODE_SCOPE, counters.code)?;
            for (year, n) in &counters.box_no {
                cfg::set_sequence(tx, &sdb::box_no_scope(FONDS, *year), *n)?;
            }
            for ((year, ret, scope), n) in &counters.item {
                let code = ctx.retentions.get(*ret).map_or("permanent", String::as_str);
                cfg::set_sequence(tx, &sdb::item_scope(FONDS, *year, code, Some(*scope)), *n)?;
            }
            let after = serde_json::json!({
                "boxes": range.len(), "folders": folders, "movements": moves,
                "first": first, "last": last,
            });
            record(
                tx,
                ctx.admin,
                &now,
                Change {
                    action: "generate",
                    entity: "demo",
                    entity_id: &first,
                    dossier: None,
                    before: None,
                    after: Some(after.to_string()),
                },
            )?;
            Ok(())
        })
    })
}
