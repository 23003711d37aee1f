//! Library configuration services: the first admin and template at `init`, then categories,
//! document types, checklists, custom fields and numbering, changed by admins.

use serde::Serialize;

use crate::core::library::Library;
use crate::core::session::{Change, Session, record, to_json};
use crate::core::templates::Template;
use crate::core::{password, users};
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::model::{Category, CustomField, DocType, FieldKind, NumberingRule, Role, User};
use crate::store::{self, config as cfg};

/// A new field's heading, unit and choices as plain text (`model::text`).
fn clean_field_text(f: NewField) -> Result<NewField> {
    use crate::model::text::clean_line;
    Ok(NewField {
        group: clean_line("label-field-group", &f.group)?,
        unit: clean_line("label-field-unit", &f.unit)?,
        options: f.options.iter().map(|o| clean_line("label-field-choice", o)).collect::<Result<_>>()?,
        ..f
    })
}

/// Checks a configuration code: letters, digits and `-`/`_`, 1–32 characters.
fn check_code(what: &str, code: &str) -> Result<()> {
    let ok = !code.is_empty()
        && code.len() <= 32
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok { Ok(()) } else { Err(Error::usage("config-code-bad").arg("what", what).arg("code", code)) }
}

fn check_label(what: &str, name: &str) -> Result<String> {
    let name = crate::model::ids::normalize_name(&crate::model::text::clean_line(what, name)?);
    if name.is_empty() || name.chars().count() > 64 {
        return Err(Error::usage("config-name-bad").arg("what", what));
    }
    Ok(name)
}

/// Writes a template's configuration (inside the caller's transaction).
pub(crate) fn apply_template(tx: &rusqlite::Connection, t: &Template) -> Result<()> {
    for (i, (code, name, parent)) in t.categories.iter().enumerate() {
        let parent_id = match parent {
            Some(p) => Some(cfg::category(tx, p)?.id),
            None => None,
        };
        cfg::insert_category(tx, code, name, parent_id, i as i64)?;
    }
    for (i, (code, name)) in t.doc_types.iter().enumerate() {
        cfg::insert_doc_type(tx, code, name, i as i64)?;
    }
    for (cat, types) in t.required {
        let cat = cfg::category(tx, cat)?;
        for ty in *types {
            cfg::set_required(tx, cat.id, cfg::doc_type(tx, ty)?.id, true)?;
        }
    }
    for (i, (cat, group, key, kind, required, options, unit)) in t.fields.iter().enumerate() {
        let cat = cfg::category(tx, cat)?;
        let f = CustomField {
            id: 0,
            category: cat.code.clone(),
            group: group.to_string(),
            key: key.to_string(),
            kind: *kind,
            required: *required,
            options: options.iter().map(|s| s.to_string()).collect(),
            unit: unit.to_string(),
        };
        cfg::insert_field(tx, cat.id, &f, i as i64)?;
    }
    for (cat, mode, capacity, spine) in t.box_rules {
        let cat = cfg::category(tx, cat)?;
        let rule = crate::model::storage::BoxRule {
            category: Some(cat.path.clone()),
            mode: *mode,
            capacity: crate::model::storage::Capacity::parse(capacity)?,
            spine_mm: *spine,
            retention: "permanent".into(),
        };
        store::storage::set_box_rule(store::Tx::new(tx), Some(cat.id), &rule)?;
    }
    store::set_meta(tx, cfg::DEFAULT_CATEGORY_KEY, t.default_category)?;
    store::set_meta(tx, "template", t.name)?;
    cfg::set_numbering(tx, &NumberingRule::default())?;
    Ok(())
}

impl Library {
    /// Creates a library at `root` with its first administrator and an (empty) search index:
    /// what `init` and the GUI's "create a library here" do.
    pub fn init(
        root: &std::path::Path,
        admin: &str,
        admin_password: &str,
        template: &Template,
    ) -> Result<(Library, User)> {
        users::check_user_name(admin)?;
        password::check_strength(admin_password, admin)?;
        let mut lib = Library::create(root)?;
        let user = lib.initialise(admin, admin_password, template)?;
        lib.rebuild_index(&mut |_, _| {})?;
        // Initialised: other programs may open it now (they need no lock for that anyway).
        lib.init_lock = None;
        Ok((lib, user))
    }

    /// Sets up a newly created library: the template's configuration and the first admin, in
    /// one transaction (a crash leaves either nothing or a usable library).
    pub fn initialise(&mut self, admin: &str, admin_password: &str, template: &Template) -> Result<User> {
        users::check_user_name(admin)?;
        password::check_strength(admin_password, admin)?;
        if self.is_initialised()? {
            return Err(Error::conflict("library-initialised").arg("path", self.root().display()));
        }
        let hash = password::hash(admin_password)?;
        let at = crate::core::now();
        self.write(|tx| {
            store::set_meta(tx, "library_id", &library_id())?;
            store::set_meta(tx, "created_at", &at)?;
            store::set_meta(tx, "created_by_version", env!("CARGO_PKG_VERSION"))?;
            apply_template(tx, template)?;
            let user = store::users::insert(tx, admin, admin, Role::Admin, &hash, &at)?;
            let after = serde_json::json!({ "template": template.name, "admin": admin }).to_string();
            record(
                tx,
                admin,
                &at,
                Change {
                    action: "init",
                    entity: "library",
                    entity_id: "library",
                    dossier: None,
                    before: None,
                    after: Some(after),
                },
            )?;
            record(
                tx,
                admin,
                &at,
                Change {
                    action: "create",
                    entity: "user",
                    entity_id: admin,
                    dossier: None,
                    before: None,
                    after: to_json(&user),
                },
            )?;
            Ok(user)
        })
    }
}

/// A random id for the library (falls back to the clock if the OS has no random source).
fn library_id() -> String {
    let mut b = [0u8; 16];
    match getrandom::fill(&mut b) {
        Ok(()) => hex::encode(b),
        Err(_) => format!("{:032x}", chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()),
    }
}

/// The whole configuration, for `dangan config` and the settings screen.
#[derive(Debug, Clone, Serialize)]
pub struct Configuration {
    pub categories: Vec<CategoryInfo>,
    pub doc_types: Vec<DocType>,
    pub numbering: NumberingRule,
    pub default_category: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryInfo {
    #[serde(flatten)]
    pub category: Category,
    /// The checklist, inherited items included.
    pub required: Vec<String>,
    /// The custom fields, inherited ones included.
    pub fields: Vec<CustomField>,
}

/// A new custom field, as an admin defines it.
#[derive(Debug, Clone)]
pub struct NewField {
    pub category: String,
    pub group: String,
    pub key: String,
    pub kind: FieldKind,
    pub required: bool,
    pub options: Vec<String>,
    pub unit: String,
}

impl Session {
    pub fn configuration(&mut self) -> Result<Configuration> {
        self.require(Permission::ReadDossiers)?;
        self.lib.db.read(|tx| {
            let mut categories = Vec::new();
            for c in cfg::categories(tx)? {
                let required = cfg::required_doc_types(tx, c.id)?.into_iter().map(|d| d.code).collect();
                let fields = cfg::fields_for(tx, c.id)?;
                categories.push(CategoryInfo { category: c, required, fields });
            }
            Ok(Configuration {
                categories,
                doc_types: cfg::doc_types(tx)?,
                numbering: cfg::numbering(tx)?,
                default_category: store::get_meta(tx, cfg::DEFAULT_CATEGORY_KEY)?,
            })
        })
    }

    pub fn add_category(&mut self, code: &str, name: &str, parent: Option<&str>) -> Result<Category> {
        check_code("label-category", code)?;
        let name = check_label("label-category", name)?;
        self.change(Permission::ManageConfig, |tx, audit| {
            if cfg::categories(tx)?.iter().any(|c| c.code == code) {
                return Err(Error::conflict("category-exists").arg("code", code));
            }
            let parent_id = parent.map(|p| cfg::category(tx, p)).transpose()?.map(|c| c.id);
            let order = cfg::next_sort_order(tx, cfg::Ordered::Categories)?;
            cfg::insert_category(tx, code, &name, parent_id, order)?;
            let cat = cfg::category(tx, code)?;
            audit.log(
                tx,
                Change {
                    action: "create",
                    entity: "category",
                    entity_id: code,
                    dossier: None,
                    before: None,
                    after: to_json(&cat),
                },
            )?;
            Ok(cat)
        })
    }

    pub fn add_doc_type(&mut self, code: &str, name: &str) -> Result<DocType> {
        check_code("label-doc-type", code)?;
        let name = check_label("label-doc-type", name)?;
        self.change(Permission::ManageConfig, |tx, audit| {
            if cfg::doc_types(tx)?.iter().any(|d| d.code == code || d.name == name) {
                return Err(Error::conflict("doc-type-exists").arg("code", code).arg("name", &name));
            }
            let order = cfg::next_sort_order(tx, cfg::Ordered::DocTypes)?;
            cfg::insert_doc_type(tx, code, &name, order)?;
            let d = cfg::doc_type(tx, code)?;
            audit.log(
                tx,
                Change {
                    action: "create",
                    entity: "doc_type",
                    entity_id: code,
                    dossier: None,
                    before: None,
                    after: to_json(&d),
                },
            )?;
            Ok(d)
        })
    }

    /// Adds document types to (or with `required = false` removes them from) a category's
    /// checklist.
    pub fn set_required_docs(
        &mut self,
        category: &str,
        doc_types: &[String],
        required: bool,
    ) -> Result<Vec<String>> {
        self.change(Permission::ManageConfig, |tx, audit| {
            let cat = cfg::category(tx, category)?;
            let before: Vec<String> =
                cfg::required_doc_types(tx, cat.id)?.into_iter().map(|d| d.code).collect();
            for t in doc_types {
                cfg::set_required(tx, cat.id, cfg::doc_type(tx, t)?.id, required)?;
            }
            let after: Vec<String> =
                cfg::required_doc_types(tx, cat.id)?.into_iter().map(|d| d.code).collect();
            audit.log(
                tx,
                Change {
                    action: "update",
                    entity: "checklist",
                    entity_id: &cat.code,
                    dossier: None,
                    before: to_json(&before),
                    after: to_json(&after),
                },
            )?;
            Ok(after)
        })
    }

    pub fn add_field(&mut self, f: NewField) -> Result<CustomField> {
        let f = clean_field_text(f)?;
        let key = check_label("label-field", &f.key)?;
        if key.contains('=') {
            return Err(Error::usage("field-name-equals"));
        }
        if f.kind == FieldKind::Choice && f.options.iter().filter(|o| !o.trim().is_empty()).count() < 2 {
            return Err(Error::usage("field-choice-options"));
        }
        if f.kind != FieldKind::Choice && !f.options.is_empty() {
            return Err(Error::usage("field-options-not-choice"));
        }
        self.change(Permission::ManageConfig, |tx, audit| {
            let cat = cfg::category(tx, &f.category)?;
            if cfg::fields_for(tx, cat.id)?.iter().any(|x| x.key == key) {
                return Err(Error::conflict("field-exists").arg("category", &cat.code).arg("field", &key));
            }
            let field = CustomField {
                id: 0,
                category: cat.code.clone(),
                group: if f.group.trim().is_empty() { "其他信息".into() } else { f.group.trim().into() },
                key: key.clone(),
                kind: f.kind,
                required: f.required,
                options: f.options.iter().map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect(),
                unit: f.unit.trim().to_string(),
            };
            let order = cfg::next_sort_order(tx, cfg::Ordered::Fields)?;
            let id = cfg::insert_field(tx, cat.id, &field, order)?;
            let field = CustomField { id, ..field };
            audit.log(
                tx,
                Change {
                    action: "create",
                    entity: "field",
                    entity_id: &format!("{}/{}", cat.code, key),
                    dossier: None,
                    before: None,
                    after: to_json(&field),
                },
            )?;
            Ok(field)
        })
    }

    pub fn set_numbering(&mut self, rule: NumberingRule) -> Result<NumberingRule> {
        rule.validate()?;
        self.change(Permission::ManageConfig, |tx, audit| {
            let before = cfg::numbering(tx)?;
            cfg::set_numbering(tx, &rule)?;
            audit.log(
                tx,
                Change {
                    action: "update",
                    entity: "numbering",
                    entity_id: "numbering",
                    dossier: None,
                    before: to_json(&before),
                    after: to_json(&rule),
                },
            )?;
            Ok(rule.clone())
        })
    }
}
