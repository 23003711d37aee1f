//! The location tree: rooms › racks › columns › sections › shelves › positions, created level by
//! level from a path like `档案室A/1排/3列/2层`.

use super::*;
use crate::model::storage::{Level, Location};

/// At most this many levels, and this many characters per level's name.
const MAX_DEPTH: usize = 8;
const MAX_SEGMENT: usize = 40;

/// What `add_location` did: the location named, and the levels it had to create (none when the
/// whole path already existed).
#[derive(Debug, Clone, Serialize)]
pub struct LocationAdded {
    pub location: Location,
    pub created: Vec<Location>,
}

/// A location with what it holds now.
#[derive(Debug, Clone, Serialize)]
pub struct LocationNode {
    #[serde(flatten)]
    pub location: Location,
    pub depth: usize,
    /// Boxes whose current place is exactly here.
    pub boxes_here: i64,
}

/// Splits a typed path into clean segments: `/`, `／`, `›`, `>` and `\` all separate levels.
pub(crate) fn split_path(path: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for seg in path.split(['/', '／', '›', '>', '\\']) {
        let seg = crate::model::text::clean_line("label-location", seg)?;
        let seg = seg.trim();
        if seg.is_empty() {
            continue;
        }
        if seg.chars().count() > MAX_SEGMENT {
            return Err(Error::usage("location-segment-long").arg("segment", seg).arg("max", MAX_SEGMENT));
        }
        out.push(seg.to_string());
    }
    if out.is_empty() {
        return Err(Error::usage("location-path-empty"));
    }
    if out.len() > MAX_DEPTH {
        return Err(Error::usage("location-path-deep").arg("max", MAX_DEPTH));
    }
    Ok(out)
}

/// A location by its path (as typed) or its barcode.
pub(crate) fn find(tx: Tx<'_>, path_or_code: &str) -> Result<Location> {
    let code = st::normalize_code(path_or_code);
    if let Some(l) = db::location_by_code(tx, &code)? {
        return Ok(l);
    }
    if let st::CodeShape::Mistyped { kind: "location", expected } = st::code_shape(&code, "") {
        return Err(Error::usage("code-mistyped").arg("code", &code).arg("expected", expected));
    }
    let path = split_path(path_or_code)?.join("/");
    db::location_by_path(tx, &path)?.ok_or_else(|| Error::missing("location-not-found").arg("path", path))
}

impl Session {
    /// Creates the location a path names, level by level (the levels that exist are kept).
    /// Each new level gets its barcode and an audit row.
    pub fn add_location(&mut self, path: &str, capacity: Option<i64>) -> Result<LocationAdded> {
        let segments = split_path(path)?;
        if capacity.is_some_and(|c| !(1..=100_000).contains(&c)) {
            return Err(Error::usage("location-capacity-invalid").arg("value", capacity.unwrap_or_default()));
        }
        self.change(Permission::ManageStorage, |tx, audit| {
            let t = Tx::new(tx);
            let mut parent: Option<Location> = None;
            let mut created = Vec::new();
            for (depth, seg) in segments.iter().enumerate() {
                let path = match &parent {
                    Some(p) => format!("{}/{seg}", p.path),
                    None => seg.clone(),
                };
                let last = depth + 1 == segments.len();
                if let Some(existing) = db::location_by_path(t, &path)? {
                    parent = Some(existing);
                    continue;
                }
                let seq = store::config::next_in_sequence(tx, db::LOCATION_CODE_SCOPE)?;
                let code = st::make_code(st::LOCATION_PREFIX, st::LOCATION_DIGITS, seq);
                let level = Level::guess(seg, depth);
                let id = db::insert_location(
                    t,
                    &db::NewLocation {
                        parent_id: parent.as_ref().map(|p| p.id),
                        name: seg,
                        level,
                        code: &code,
                        path: &path,
                        capacity: if last { capacity } else { None },
                        at: audit.at,
                    },
                )?;
                let loc = db::location_by_id(t, id)?
                    .ok_or_else(|| Error::Db("the new location vanished".into()))?;
                audit.log(
                    tx,
                    Change {
                        action: "create",
                        entity: "location",
                        entity_id: &loc.code,
                        dossier: None,
                        before: None,
                        after: to_json(&loc),
                    },
                )?;
                created.push(loc.clone());
                parent = Some(loc);
            }
            let mut location = parent.ok_or_else(|| Error::usage("location-path-empty"))?;
            if created.is_empty() && capacity.is_some() && capacity != location.capacity {
                let before = location.clone();
                db::set_location_capacity(t, location.id, capacity)?;
                location.capacity = capacity;
                audit.log(
                    tx,
                    Change {
                        action: "update",
                        entity: "location",
                        entity_id: &location.code,
                        dossier: None,
                        before: to_json(&before),
                        after: to_json(&location),
                    },
                )?;
            }
            Ok(LocationAdded { location, created })
        })
    }

    /// A location by path or barcode.
    pub fn location(&mut self, path_or_code: &str) -> Result<Location> {
        self.require(Permission::ReadDossiers)?;
        find(self.lib.db.tx(), path_or_code)
    }

    /// The tree (or the subtree under a location), in path order, with the boxes each holds.
    pub fn locations(&mut self, under: Option<&str>) -> Result<Vec<LocationNode>> {
        self.require(Permission::ReadDossiers)?;
        self.lib.db.read(|tx| {
            let t = Tx::new(tx);
            let root = under.map(|u| find(t, u)).transpose()?;
            let list = db::locations_under(t, root.as_ref().map(|r| r.path.as_str()))?;
            let mut out = Vec::with_capacity(list.len());
            for l in list {
                let boxes_here = db::boxes_at(t, l.id)?;
                let depth = l.path.matches('/').count();
                out.push(LocationNode { location: l, depth, boxes_here });
            }
            Ok(out)
        })
    }

    /// Deletes a location and the empty levels below it. Refused while any box belongs or
    /// stands there, or its history (movements, inventories) names it.
    pub fn delete_location(&mut self, path_or_code: &str) -> Result<usize> {
        self.change(Permission::ManageStorage, |tx, audit| {
            let t = Tx::new(tx);
            let loc = find(t, path_or_code)?;
            let boxes = db::boxes_in_subtree(t, &loc.path)?;
            if boxes > 0 {
                return Err(Error::conflict("location-not-empty").arg("path", &loc.path).arg("boxes", boxes));
            }
            if db::subtree_referenced(t, &loc.path)? {
                return Err(Error::conflict("location-has-history").arg("path", &loc.path));
            }
            let all = db::locations_under(t, Some(&loc.path))?;
            let n = db::delete_subtree(t, &loc.path)?;
            for l in all.iter().rev() {
                audit.log(
                    tx,
                    Change {
                        action: "delete",
                        entity: "location",
                        entity_id: &l.code,
                        dossier: None,
                        before: to_json(l),
                        after: None,
                    },
                )?;
            }
            Ok(n)
        })
    }
}
