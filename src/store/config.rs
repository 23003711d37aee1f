//! The library's configuration: category tree, document types, checklists, custom fields,
//! dossier numbering.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::error::{Error, Result};
use crate::model::{Category, CustomField, DocType, FieldKind, NumberingRule};

pub const NUMBERING_KEY: &str = "numbering_rule";
pub const DEFAULT_CATEGORY_KEY: &str = "default_category";

/// All categories, parents before children, each with its full path of names.
pub fn categories(conn: &Connection) -> Result<Vec<Category>> {
    let mut stmt =
        conn.prepare("SELECT id, code, name, parent_id FROM categories ORDER BY sort_order, id")?;
    let raw: Vec<(i64, String, String, Option<i64>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let by_id: HashMap<i64, &(i64, String, String, Option<i64>)> = raw.iter().map(|c| (c.0, c)).collect();
    let mut out = Vec::with_capacity(raw.len());
    // Depth-first from the roots so a tree prints in order.
    fn visit(
        raw: &[(i64, String, String, Option<i64>)],
        by_id: &HashMap<i64, &(i64, String, String, Option<i64>)>,
        parent: Option<i64>,
        path: &str,
        depth: usize,
        out: &mut Vec<Category>,
    ) {
        for c in raw.iter().filter(|c| c.3 == parent) {
            let full = if path.is_empty() { c.2.clone() } else { format!("{path} › {}", c.2) };
            out.push(Category {
                id: c.0,
                code: c.1.clone(),
                name: c.2.clone(),
                parent: c.3.and_then(|p| by_id.get(&p)).map(|p| p.1.clone()),
                path: full.clone(),
                depth,
            });
            if depth < 16 {
                visit(raw, by_id, Some(c.0), &full, depth + 1, out);
            }
        }
    }
    visit(&raw, &by_id, None, "", 0, &mut out);
    Ok(out)
}

/// The category with this code (exact) or name (when unique).
/// The ids of a category (by code or name) and of every category below it.
pub fn subtree_ids(conn: &Connection, code_or_name: &str) -> Result<Vec<i64>> {
    let root = category(conn, code_or_name)?;
    let prefix = format!("{} › ", root.path);
    Ok(categories(conn)?
        .iter()
        .filter(|x| x.id == root.id || x.path.starts_with(&prefix))
        .map(|x| x.id)
        .collect())
}

pub fn category(conn: &Connection, code_or_name: &str) -> Result<Category> {
    let all = categories(conn)?;
    if let Some(c) = all.iter().find(|c| c.code == code_or_name) {
        return Ok(c.clone());
    }
    let by_name: Vec<&Category> = all.iter().filter(|c| c.name == code_or_name).collect();
    match by_name.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::missing("category-not-found").arg("code", code_or_name).arg(
            "known",
            all.iter().map(|c| format!("{} ({})", c.code, c.name)).collect::<Vec<_>>().join(", "),
        )),
        many => Err(Error::usage("category-ambiguous")
            .arg("name", code_or_name)
            .arg("codes", many.iter().map(|c| c.code.as_str()).collect::<Vec<_>>().join(", "))),
    }
}

/// The ids of a category and its ancestors, the category first.
pub fn lineage(conn: &Connection, category_id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE up(id, parent_id, depth) AS (
             SELECT id, parent_id, 0 FROM categories WHERE id = ?1
             UNION ALL
             SELECT c.id, c.parent_id, up.depth + 1 FROM categories c JOIN up ON c.id = up.parent_id
             WHERE up.depth < 16)
         SELECT id FROM up ORDER BY depth",
    )?;
    let ids = stmt.query_map([category_id], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_category(
    tx: &Connection,
    code: &str,
    name: &str,
    parent_id: Option<i64>,
    sort_order: i64,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO categories (code, name, parent_id, sort_order) VALUES (?1, ?2, ?3, ?4)",
        params![code, name, parent_id, sort_order],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Tables whose rows carry a `sort_order`.
#[derive(Debug, Clone, Copy)]
pub enum Ordered {
    Categories,
    DocTypes,
    Fields,
}

/// The sort order for a row appended at the end.
pub fn next_sort_order(conn: &Connection, t: Ordered) -> Result<i64> {
    let sql = match t {
        Ordered::Categories => "SELECT coalesce(max(sort_order) + 1, 0) FROM categories",
        Ordered::DocTypes => "SELECT coalesce(max(sort_order) + 1, 0) FROM doc_types",
        Ordered::Fields => "SELECT coalesce(max(sort_order) + 1, 0) FROM custom_fields",
    };
    Ok(conn.query_row(sql, [], |r| r.get(0))?)
}

pub fn doc_types(conn: &Connection) -> Result<Vec<DocType>> {
    let mut stmt = conn.prepare("SELECT id, code, name FROM doc_types ORDER BY sort_order, id")?;
    let rows = stmt.query_map([], |r| Ok(DocType { id: r.get(0)?, code: r.get(1)?, name: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The document type with this code or name.
pub fn doc_type(conn: &Connection, code_or_name: &str) -> Result<DocType> {
    let all = doc_types(conn)?;
    all.iter()
        .find(|d| d.code == code_or_name)
        .or_else(|| all.iter().find(|d| d.name == code_or_name))
        .cloned()
        .ok_or_else(|| {
            Error::missing("doc-type-not-found").arg("code", code_or_name).arg(
                "known",
                all.iter().map(|d| format!("{} ({})", d.code, d.name)).collect::<Vec<_>>().join(", "),
            )
        })
}

pub fn insert_doc_type(tx: &Connection, code: &str, name: &str, sort_order: i64) -> Result<i64> {
    tx.execute(
        "INSERT INTO doc_types (code, name, sort_order) VALUES (?1, ?2, ?3)",
        params![code, name, sort_order],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn set_required(tx: &Connection, category_id: i64, doc_type_id: i64, required: bool) -> Result<()> {
    if required {
        tx.execute(
            "INSERT OR IGNORE INTO category_required_docs (category_id, doc_type_id) VALUES (?1, ?2)",
            [category_id, doc_type_id],
        )?;
    } else {
        tx.execute(
            "DELETE FROM category_required_docs WHERE category_id = ?1 AND doc_type_id = ?2",
            [category_id, doc_type_id],
        )?;
    }
    Ok(())
}

/// The checklist of a category: its own required types and those of its ancestors.
pub fn required_doc_types(conn: &Connection, category_id: i64) -> Result<Vec<DocType>> {
    let ids = lineage(conn, category_id)?;
    let mut out: Vec<DocType> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.code, d.name FROM category_required_docs r
         JOIN doc_types d ON d.id = r.doc_type_id
         WHERE r.category_id = ?1 ORDER BY d.sort_order, d.id",
    )?;
    // Ancestors first, so general requirements come before specific ones.
    for id in ids.iter().rev() {
        for d in stmt.query_map([id], |r| Ok(DocType { id: r.get(0)?, code: r.get(1)?, name: r.get(2)? }))? {
            let d = d?;
            if !out.iter().any(|o| o.id == d.id) {
                out.push(d);
            }
        }
    }
    Ok(out)
}

fn field_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CustomField> {
    let kind: String = r.get(4)?;
    let options: String = r.get(6)?;
    Ok(CustomField {
        id: r.get(0)?,
        category: r.get(1)?,
        group: r.get(2)?,
        key: r.get(3)?,
        kind: kind.parse().unwrap_or(FieldKind::Text),
        required: r.get(5)?,
        options: serde_json::from_str(&options).unwrap_or_default(),
        unit: r.get(7)?,
    })
}

const FIELD_SELECT: &str = "SELECT f.id, c.code, f.group_name, f.key, f.kind, f.required, f.options, f.unit
     FROM custom_fields f JOIN categories c ON c.id = f.category_id";

/// The custom fields that apply to a category (its own and its ancestors'), general first.
pub fn fields_for(conn: &Connection, category_id: i64) -> Result<Vec<CustomField>> {
    let ids = lineage(conn, category_id)?;
    let mut stmt =
        conn.prepare_cached(&format!("{FIELD_SELECT} WHERE f.category_id = ?1 ORDER BY f.sort_order, f.id"))?;
    let mut out = Vec::new();
    for id in ids.iter().rev() {
        for f in stmt.query_map([id], field_from_row)? {
            out.push(f?);
        }
    }
    Ok(out)
}

pub fn all_fields(conn: &Connection) -> Result<Vec<CustomField>> {
    let mut stmt =
        conn.prepare(&format!("{FIELD_SELECT} ORDER BY c.sort_order, c.id, f.sort_order, f.id"))?;
    let rows = stmt.query_map([], field_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_field(tx: &Connection, category_id: i64, f: &CustomField, sort_order: i64) -> Result<i64> {
    tx.execute(
        "INSERT INTO custom_fields (category_id, group_name, key, kind, required, options, unit, sort_order)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            category_id,
            f.group,
            f.key,
            f.kind.as_str(),
            f.required,
            serde_json::to_string(&f.options).unwrap_or_else(|_| "[]".into()),
            f.unit,
            sort_order
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn numbering(conn: &Connection) -> Result<NumberingRule> {
    Ok(super::get_meta(conn, NUMBERING_KEY)?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
}

pub fn set_numbering(tx: &Connection, rule: &NumberingRule) -> Result<()> {
    let json = serde_json::to_string(rule).map_err(|e| Error::Db(e.to_string()))?;
    super::set_meta(tx, NUMBERING_KEY, &json)
}

/// Hands out the next number in a scope (inside the caller's write transaction).
pub fn next_in_sequence(tx: &Connection, scope: &str) -> Result<i64> {
    Ok(tx
        .prepare_cached(
            "INSERT INTO number_sequences (scope, last) VALUES (?1, 1)
             ON CONFLICT (scope) DO UPDATE SET last = last + 1
             RETURNING last",
        )?
        .query_row([scope], |r| r.get(0))?)
}

/// Sets a scope's last number (bulk loaders hand numbers out themselves).
pub fn set_sequence(tx: &Connection, scope: &str, last: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO number_sequences (scope, last) VALUES (?1, ?2)
         ON CONFLICT (scope) DO UPDATE SET last = max(last, excluded.last)",
    )?
    .execute(params![scope, last])?;
    Ok(())
}

pub fn sequence(conn: &Connection, scope: &str) -> Result<i64> {
    Ok(conn
        .query_row("SELECT last FROM number_sequences WHERE scope = ?1", [scope], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}
