//! Where every paper is: locations, boxes, filing folders into boxes, movements, `where`, and
//! shelf inventories. One write transaction and its audit rows per action, like every service.
//!
//! `locations` holds the tree, `boxes` boxes and their moves, `filing` folders into boxes (and
//! the box rule that picks one), `lookup` resolving any code (`where`), `inventory` 盘点.

mod boxes;
mod filing;
mod inventory;
mod locations;
mod lookup;

use serde::Serialize;

use crate::core::session::{Change, Session, to_json};
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::model::storage::{self as st, BoxMode, BoxRule, Capacity, RetentionPeriod};
use crate::store::{self, Tx, storage as db};

pub use boxes::{BoxView, NewBoxSpec};
pub use filing::Filed;
pub use inventory::{InventoryItem, InventoryReport, InventorySummary};
pub use locations::{LocationAdded, LocationNode};
pub use lookup::Found;
pub(crate) use lookup::unknown_code;

/// The library's storage settings: the fonds number (全宗号) printed on box labels and the
/// prefix of box codes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StorageSettings {
    pub fonds: String,
    pub box_prefix: String,
}

/// A box rule as given (by the CLI or the settings screen); `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct RuleChanges {
    pub mode: Option<BoxMode>,
    /// `20` dossiers, or `35mm` / `3.5cm` of paper.
    pub capacity: Option<String>,
    pub spine_mm: Option<i64>,
    /// Code or name of a retention period (`permanent`, `永久`, `30年`…).
    pub retention: Option<String>,
}

pub(crate) fn settings(tx: &rusqlite::Connection) -> Result<StorageSettings> {
    Ok(StorageSettings {
        fonds: store::get_meta(tx, db::FONDS_KEY)?.unwrap_or_default(),
        box_prefix: store::get_meta(tx, db::BOX_PREFIX_KEY)?
            .unwrap_or_else(|| st::DEFAULT_BOX_PREFIX.to_string()),
    })
}

pub(crate) fn retention(tx: Tx<'_>, given: &str) -> Result<RetentionPeriod> {
    let all = db::retention_periods(tx)?;
    let g = given.trim();
    all.iter().find(|r| r.code.eq_ignore_ascii_case(g) || r.name == g).cloned().ok_or_else(|| {
        Error::usage("retention-unknown").arg("value", given).arg(
            "known",
            all.iter().map(|r| format!("{} ({})", r.code, r.name)).collect::<Vec<_>>().join(", "),
        )
    })
}

pub(crate) fn check_spine(spine: i64) -> Result<i64> {
    if st::SPINE_WIDTHS.contains(&spine) {
        Ok(spine)
    } else {
        Err(Error::usage("box-spine-invalid").arg("value", spine))
    }
}

/// The placeholder shown instead of a confidential dossier's name to someone who may not see it.
pub(crate) const HIDDEN_NAME: &str = "***";

impl Session {
    pub fn storage_settings(&mut self) -> Result<StorageSettings> {
        self.require(Permission::ReadDossiers)?;
        settings(self.lib.db.conn())
    }

    /// Changes the fonds number and/or the box code prefix (boxes already made keep their codes).
    pub fn set_storage_settings(
        &mut self,
        fonds: Option<&str>,
        prefix: Option<&str>,
    ) -> Result<StorageSettings> {
        let fonds = fonds.map(|f| crate::model::text::clean_line("label-fonds", f)).transpose()?;
        if let Some(f) = &fonds
            && f.chars().count() > 20
        {
            return Err(Error::usage("text-too-long").arg("what", "label-fonds").arg("max", 20));
        }
        let prefix = prefix.map(st::normalize_code);
        if let Some(p) = &prefix {
            st::validate_box_prefix(p)?;
        }
        self.change(Permission::ManageConfig, |tx, audit| {
            let before = settings(tx)?;
            if let Some(f) = &fonds {
                store::set_meta(tx, db::FONDS_KEY, f)?;
            }
            if let Some(p) = &prefix {
                store::set_meta(tx, db::BOX_PREFIX_KEY, p)?;
            }
            let after = settings(tx)?;
            if after != before {
                audit.log(
                    tx,
                    Change {
                        action: "update",
                        entity: "storage_settings",
                        entity_id: "storage",
                        dossier: None,
                        before: to_json(&before),
                        after: to_json(&after),
                    },
                )?;
            }
            Ok(after)
        })
    }

    pub fn retention_periods(&mut self) -> Result<Vec<RetentionPeriod>> {
        self.require(Permission::ReadDossiers)?;
        db::retention_periods(self.lib.db.tx())
    }

    /// Every box rule: the library's default first, then each category's.
    pub fn box_rules(&mut self) -> Result<Vec<BoxRule>> {
        self.require(Permission::ReadDossiers)?;
        let conn = self.lib.db.conn();
        let cats = store::config::categories(conn)?;
        Ok(db::box_rules(Tx::new(conn))?
            .into_iter()
            .map(|(cat, mut r)| {
                r.category = cat.and_then(|id| cats.iter().find(|c| c.id == id)).map(|c| c.path.clone());
                r
            })
            .collect())
    }

    /// Sets the box rule of a category (or, with none, the library's default).
    pub fn set_box_rule(&mut self, category: Option<&str>, ch: RuleChanges) -> Result<BoxRule> {
        let capacity = ch.capacity.as_deref().map(Capacity::parse).transpose()?;
        let spine = ch.spine_mm.map(check_spine).transpose()?;
        self.change(Permission::ManageConfig, |tx, audit| {
            let t = Tx::new(tx);
            let cat = category.map(|c| store::config::category(tx, c.trim())).transpose()?;
            let (own_id, current) = match &cat {
                Some(c) => db::box_rule_for(t, c.id)?,
                None => db::box_rule_for(t, -1)?,
            };
            let retention = match &ch.retention {
                Some(r) => retention(t, r)?.code,
                None => current.retention.clone(),
            };
            let rule = BoxRule {
                category: cat.as_ref().map(|c| c.path.clone()),
                mode: ch.mode.unwrap_or(current.mode),
                capacity: capacity.unwrap_or(current.capacity),
                spine_mm: spine.unwrap_or(current.spine_mm),
                retention,
            };
            let cat_id = cat.as_ref().map(|c| c.id);
            db::set_box_rule(t, cat_id, &rule)?;
            let mut before = current;
            before.category = if own_id == cat_id { rule.category.clone() } else { None };
            audit.log(
                tx,
                Change {
                    action: "update",
                    entity: "box_rule",
                    entity_id: cat.as_ref().map_or("*", |c| c.code.as_str()),
                    dossier: None,
                    before: (own_id == cat_id).then(|| to_json(&before)).flatten(),
                    after: to_json(&rule),
                },
            )?;
            Ok(rule)
        })
    }
}
