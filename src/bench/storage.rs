//! The records room's figures: `where` on each kind of code, filing dossiers one by one as a
//! clerk does, and a shelf inventory of a 500-box column, all through the session's services
//! on the demo library the bench built.

use std::time::Instant;

use serde::Serialize;

use super::{Percentiles, ms};
use crate::core::Session;
use crate::core::customers::NewCustomer;
use crate::demo::DemoReport;
use crate::model::error::{Error, Result};
use crate::model::storage::Level;

/// How many codes of each kind `where` is timed on.
const WHERE_SAMPLES: usize = 200;
/// How many new dossiers are filed one by one.
const FILE_COUNT: usize = 1000;
/// The boxes of the column inventoried.
const INVENTORY_BOXES: usize = 500;

#[derive(Debug, Serialize)]
pub struct StorageBench {
    /// What the demo built: locations, boxes, dossiers filed, and its storage phase's time and
    /// rate (planning, rooms, boxes, folders, movements; bulk, in its own transactions).
    pub demo_locations: u64,
    pub demo_boxes: u64,
    pub demo_filed: u64,
    pub demo_storage_seconds: f64,
    pub demo_filed_per_second: f64,
    /// `Session::where_is` on a dossier number (placement and history; a confidential one
    /// writes its audited view), milliseconds.
    pub where_dossier_ms: Percentiles,
    /// On a box code (the box with its folders and history), milliseconds.
    pub where_box_ms: Percentiles,
    /// On a shelf's location code (its boxes and those visiting), milliseconds.
    pub where_location_ms: Percentiles,
    /// Filing new dossiers one by one (`Session::file_dossier`, the box rule picking or
    /// opening the box; one synced transaction each): the total and each one, milliseconds.
    pub file_dossiers: usize,
    pub file_total_ms: f64,
    pub file_each_ms: Percentiles,
    pub inventory: InventoryBench,
}

#[derive(Debug, Serialize)]
pub struct InventoryBench {
    /// The column inventoried and how many boxes belong there.
    pub location: String,
    pub expected: usize,
    /// Codes scanned: the column's boxes less three, two boxes of another column, one
    /// product barcode.
    pub scanned: usize,
    pub found: usize,
    pub missing: usize,
    pub misplaced: usize,
    pub unknown: usize,
    /// `Session::inventory` (compare, save the record, audit), milliseconds.
    pub ms: f64,
}

pub fn measure(s: &mut Session, demo: &DemoReport, seed: u64) -> Result<StorageBench> {
    // Codes to look up: dossiers at random, the boxes and shelves of the first full columns.
    let dossiers = s.library().sample_dossiers(WHERE_SAMPLES, seed ^ 0x5707)?;
    let nodes = s.locations(None)?;
    let columns: Vec<_> = nodes.iter().filter(|n| n.location.level == Level::Column).collect();
    let mut column = None;
    let mut other_boxes = Vec::new();
    for c in &columns {
        let boxes = s.boxes_at(&c.location.code, false)?;
        if column.is_none() && boxes.len() >= INVENTORY_BOXES {
            column = Some((c.location.clone(), boxes));
        } else if !boxes.is_empty() {
            other_boxes = boxes;
            if column.is_some() {
                break;
            }
        }
    }
    // A small library has no full column: inventory the fullest there is.
    let (column, boxes) = match column {
        Some(c) => c,
        None => {
            let c = columns.first().ok_or_else(|| Error::missing("location-not-found").arg("path", "列"))?;
            (c.location.clone(), s.boxes_at(&c.location.code, false)?)
        }
    };
    let shelves: Vec<String> = nodes
        .iter()
        .filter(|n| n.location.level == Level::Shelf && n.boxes_here > 0)
        .map(|n| n.location.code.clone())
        .collect();

    let time = |codes: Vec<String>, s: &mut Session| -> Result<Percentiles> {
        let mut out = Vec::with_capacity(codes.len());
        for c in codes {
            let t = Instant::now();
            s.where_is(&c)?;
            out.push(ms(t.elapsed()));
        }
        Ok(Percentiles::of(out))
    };
    let step = |n: usize| (n / WHERE_SAMPLES).max(1);
    let box_codes: Vec<String> = boxes
        .iter()
        .chain(&other_boxes)
        .step_by(step(boxes.len()))
        .take(WHERE_SAMPLES)
        .map(|b| b.code.clone())
        .collect();
    let shelf_codes: Vec<String> =
        shelves.iter().step_by(step(shelves.len())).take(WHERE_SAMPLES).cloned().collect();
    let where_dossier_ms = time(dossiers, s)?;
    let where_box_ms = time(box_codes, s)?;
    let where_location_ms = time(shelf_codes, s)?;

    // New customers, then each filed by its rule.
    let mut new = Vec::with_capacity(FILE_COUNT);
    for i in 0..FILE_COUNT {
        let c = s.add_customer(
            NewCustomer {
                name: format!("装盒测试{i}"),
                phones: vec![format!("137{:08}", 2000 + i)],
                fields: vec![("户号".into(), format!("98{i:08}"))],
                ..Default::default()
            },
            false,
        )?;
        new.push(c.dossier);
    }
    let mut each = Vec::with_capacity(FILE_COUNT);
    let all = Instant::now();
    for d in &new {
        let t = Instant::now();
        s.file_dossier(d, None, false)?;
        each.push(ms(t.elapsed()));
    }
    let file_total_ms = ms(all.elapsed());

    // The column's boxes less three (missing), two from elsewhere (misplaced), one foreign code.
    let mut scanned: Vec<String> = boxes.iter().skip(3).map(|b| b.code.clone()).collect();
    scanned.extend(other_boxes.iter().rev().take(2).map(|b| b.code.clone()));
    scanned.push("6901234567892".into());
    let t = Instant::now();
    let report = s.inventory(&column.code, &scanned, false)?;
    let inventory = InventoryBench {
        location: column.path.clone(),
        expected: report.expected,
        scanned: scanned.len(),
        found: report.found.len(),
        missing: report.missing.len(),
        misplaced: report.misplaced.len(),
        unknown: report.unknown.len(),
        ms: ms(t.elapsed()),
    };
    Ok(StorageBench {
        demo_locations: demo.locations,
        demo_boxes: demo.boxes,
        demo_filed: demo.filed,
        demo_storage_seconds: demo.storage_seconds,
        demo_filed_per_second: demo.filed_per_second,
        where_dossier_ms,
        where_box_ms,
        where_location_ms,
        file_dossiers: new.len(),
        file_total_ms,
        file_each_ms: Percentiles::of(each),
        inventory,
    })
}
