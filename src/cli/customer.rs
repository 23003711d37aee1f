//! `customer add|show|list|edit|close|reopen` and `doc add|list|edit`.

use clap::{Args, Subcommand};

use super::Ctx;
use super::output::table;
use crate::core::Access;
use crate::core::customers::{CustomerChanges, DocumentChanges, ListQuery, NewCustomer, NewDocument};
use crate::i18n::Tr;
use crate::model::fields::split_assignment;
use crate::model::{CustomField, Customer, Dossier, Grade, IdKind, Status};

#[derive(Debug, Subcommand)]
pub enum CustomerCmd {
    /// Register a customer and create their dossier; prints the dossier number.
    Add(AddArgs),
    /// Open a dossier: customer, documents, checklist completeness.
    Show { dossier: String },
    /// List dossiers, by number.
    List(ListArgs),
    /// Change a customer's details.
    Edit(EditArgs),
    /// Close the account (销户); the dossier and its history stay.
    Close {
        dossier: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Reopen a closed account.
    Reopen {
        dossier: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The name on the ID card or business licence (户名).
    #[arg(long)]
    pub name: String,
    /// Resident ID (18 or old 15 digits), social credit code, or another ID with --id-kind.
    #[arg(long)]
    pub id_number: Option<String>,
    #[arg(long, value_parser = parse::<IdKind>)]
    pub id_kind: Option<IdKind>,
    /// A phone number (repeat for several).
    #[arg(long = "phone")]
    pub phones: Vec<String>,
    #[arg(long, default_value = "")]
    pub address: String,
    /// Category code or name (default: the library's default category).
    #[arg(long)]
    pub category: Option<String>,
    /// important (重要), special (特殊) or general (一般).
    #[arg(long, value_parser = parse::<Grade>)]
    pub grade: Option<Grade>,
    /// potential (潜在) or active (在册, the default).
    #[arg(long, value_parser = parse::<Status>)]
    pub status: Option<Status>,
    /// Only users allowed to see confidential dossiers can open it.
    #[arg(long)]
    pub confidential: bool,
    /// Login name of the responsible clerk (default: you).
    #[arg(long)]
    pub clerk: Option<String>,
    #[arg(long, default_value = "")]
    pub notes: String,
    /// A custom field, KEY=VALUE (repeatable), e.g. --field 户号=3300000001.
    #[arg(long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
    /// Register even though a customer with the same name and phone exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Category code or name (includes its sub-categories).
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long, value_parser = parse::<Grade>)]
    pub grade: Option<Grade>,
    #[arg(long, value_parser = parse::<Status>)]
    pub status: Option<Status>,
    /// Login name of the responsible clerk.
    #[arg(long)]
    pub clerk: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub dossier: String,
    /// A new name; the old one is kept as a former name (曾用名).
    #[arg(long)]
    pub name: Option<String>,
    /// A new ID number ("" removes it).
    #[arg(long)]
    pub id_number: Option<String>,
    #[arg(long, value_parser = parse::<IdKind>)]
    pub id_kind: Option<IdKind>,
    /// Replace all phones with these (repeatable).
    #[arg(long = "phone", conflicts_with_all = ["add_phones", "remove_phones"])]
    pub phones: Vec<String>,
    #[arg(long = "add-phone")]
    pub add_phones: Vec<String>,
    #[arg(long = "remove-phone")]
    pub remove_phones: Vec<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long, value_parser = parse::<Grade>)]
    pub grade: Option<Grade>,
    #[arg(long, value_parser = parse::<Status>)]
    pub status: Option<Status>,
    #[arg(long, conflicts_with = "not_confidential")]
    pub confidential: bool,
    #[arg(long)]
    pub not_confidential: bool,
    /// Responsible clerk ("" removes).
    #[arg(long)]
    pub clerk: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// KEY=VALUE (repeatable); KEY= clears the field.
    #[arg(long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
    /// With --category: drop the values of custom fields the new category does not have
    /// (without it, such a change is refused and names them).
    #[arg(long, requires = "category")]
    pub drop_fields: bool,
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum DocCmd {
    /// Add a document to a dossier, beside the earlier ones.
    Add(DocAddArgs),
    /// List a dossier's documents (oldest paper first) with their numbers.
    List { dossier: String },
    /// Correct a document's metadata; only the options given change.
    Edit(DocEditArgs),
}

#[derive(Debug, Args)]
pub struct DocEditArgs {
    pub dossier: String,
    /// The document's number, as `doc list` shows it.
    pub doc_id: i64,
    /// New document type, code or name.
    #[arg(long = "type")]
    pub doc_type: Option<String>,
    /// New title; an empty one takes the type's name.
    #[arg(long)]
    pub title: Option<String>,
    /// The date on the paper (YYYY-MM-DD); empty removes it.
    #[arg(long)]
    pub date: Option<String>,
    /// Expiry date (YYYY-MM-DD); empty removes it.
    #[arg(long)]
    pub expires: Option<String>,
    #[arg(long)]
    pub pages: Option<i64>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct DocAddArgs {
    pub dossier: String,
    /// Document type code or name, e.g. CONTRACT or 供用电合同.
    #[arg(long = "type")]
    pub doc_type: String,
    #[arg(long, default_value = "")]
    pub title: String,
    /// The date on the paper (YYYY-MM-DD).
    #[arg(long)]
    pub date: Option<String>,
    /// Expiry date, for contracts (YYYY-MM-DD).
    #[arg(long)]
    pub expires: Option<String>,
    #[arg(long)]
    pub pages: Option<i64>,
    #[arg(long, default_value = "")]
    pub notes: String,
    /// Scanned files of the paper (JPEG, PNG, TIFF, PDF): their pages go into the new document.
    pub files: Vec<std::path::PathBuf>,
}

/// Parses a coded value (grade, status, ID kind…) for clap; the refusal in the user's language.
pub(super) fn parse<T: std::str::FromStr<Err = crate::core::Error>>(s: &str) -> Result<T, String> {
    s.parse().map_err(|e: crate::core::Error| Tr::new(super::early_language()).error_cli(&e))
}

fn fields(raw: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    Ok(raw.iter().map(|f| split_assignment(f)).collect::<Result<_, _>>()?)
}

pub fn run(ctx: &Ctx, cmd: CustomerCmd) -> anyhow::Result<()> {
    match cmd {
        CustomerCmd::Add(a) => {
            let mut s = ctx.session(Access::Write)?;
            let new = NewCustomer {
                name: a.name,
                id_number: a.id_number,
                id_kind: a.id_kind,
                phones: a.phones,
                address: a.address,
                category: a.category,
                grade: a.grade,
                status: a.status,
                confidential: a.confidential,
                clerk: a.clerk,
                notes: a.notes,
                fields: fields(&a.fields)?,
            };
            let c = s.add_customer(new, a.force)?;
            ctx.out.note(ctx.tr.ta("cli-customer-registered", &[("name", &c.name), ("dossier", &c.dossier)]));
            ctx.out.emit(&c, || c.dossier.clone())
        }
        CustomerCmd::Show { dossier } => {
            let mut s = ctx.session(Access::Read)?;
            let d = s.dossier(&dossier)?;
            ctx.out.emit(&d, || show_text(&ctx.tr, &d))
        }
        CustomerCmd::List(a) => {
            let mut s = ctx.session(Access::Read)?;
            let rows = s.list_customers(&ListQuery {
                category: a.category,
                grade: a.grade,
                status: a.status,
                clerk: a.clerk,
                limit: a.limit,
                offset: a.offset,
            })?;
            ctx.out.emit(&rows, || {
                let mut t: Vec<Vec<String>> = vec![
                    ["档案号", "户名", "分类", "等级", "状态", "电话"]
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                ];
                t.extend(rows.iter().map(|r| {
                    vec![
                        r.dossier.clone(),
                        r.name.clone(),
                        r.category.clone(),
                        ctx.tr.t(r.grade.label_key()),
                        ctx.tr.t(r.status.label_key()),
                        r.phone.clone().unwrap_or_default(),
                    ]
                }));
                table(&t)
            })
        }
        CustomerCmd::Edit(a) => {
            let mut s = ctx.session(Access::Write)?;
            let changes = CustomerChanges {
                name: a.name,
                id_number: a.id_number,
                id_kind: a.id_kind,
                phones: (!a.phones.is_empty()).then_some(a.phones),
                add_phones: a.add_phones,
                remove_phones: a.remove_phones,
                address: a.address,
                category: a.category,
                grade: a.grade,
                status: a.status,
                confidential: if a.confidential {
                    Some(true)
                } else if a.not_confidential {
                    Some(false)
                } else {
                    None
                },
                clerk: a.clerk,
                notes: a.notes,
                fields: fields(&a.fields)?,
                drop_fields: a.drop_fields,
            };
            let c = s.edit_customer(&a.dossier, changes, a.force)?;
            ctx.out.note(ctx.tr.ta("cli-customer-saved", &[("dossier", &c.dossier)]));
            let fields = s.dossier(&c.dossier)?.fields;
            ctx.out.emit(&c, || customer_text(&ctx.tr, &c, &fields))
        }
        CustomerCmd::Close { dossier, reason } => {
            let mut s = ctx.session(Access::Write)?;
            let c = s.close_customer(&dossier, &reason)?;
            ctx.out.note(ctx.tr.ta("cli-customer-closed", &[("dossier", &c.dossier)]));
            ctx.out.emit(&c, || c.dossier.clone())
        }
        CustomerCmd::Reopen { dossier, reason } => {
            let mut s = ctx.session(Access::Write)?;
            let c = s.reopen_customer(&dossier, &reason)?;
            ctx.out.note(ctx.tr.ta("cli-customer-reopened", &[("dossier", &c.dossier)]));
            ctx.out.emit(&c, || c.dossier.clone())
        }
    }
}

pub fn run_doc(ctx: &Ctx, cmd: DocCmd) -> anyhow::Result<()> {
    match cmd {
        DocCmd::Add(a) => {
            let mut s = ctx.session(Access::Write)?;
            let new = NewDocument {
                doc_type: a.doc_type,
                title: a.title,
                date: a.date,
                expires_on: a.expires,
                pages: a.pages,
                notes: a.notes,
            };
            let d = if a.files.is_empty() {
                s.add_document(&a.dossier, new)?
            } else {
                let (d, reports) = s.add_document_with_files(&a.dossier, new, &a.files)?;
                for r in &reports {
                    ctx.out.note(super::scans::report_text(&ctx.tr, r));
                }
                d
            };
            ctx.out.note(ctx.tr.ta("cli-doc-added", &[("title", &d.title), ("dossier", &a.dossier)]));
            ctx.out.emit(&d, || d.id.to_string())
        }
        DocCmd::List { dossier } => {
            let mut s = ctx.session(Access::Read)?;
            let docs = s.documents(&dossier)?;
            ctx.out.emit(&docs, || documents_text(&docs))
        }
        DocCmd::Edit(a) => {
            let mut s = ctx.session(Access::Write)?;
            let d = s.edit_document(
                &a.dossier,
                a.doc_id,
                DocumentChanges {
                    doc_type: a.doc_type,
                    title: a.title,
                    date: a.date,
                    expires_on: a.expires,
                    pages: a.pages,
                    notes: a.notes,
                },
            )?;
            ctx.out.note(format!("Document {} of dossier {} saved.", d.id, a.dossier));
            ctx.out.emit(&d, || documents_text(std::slice::from_ref(&d)))
        }
    }
}

/// Documents as a table: number, type, title, date, expiry, pages.
fn documents_text(docs: &[crate::model::Document]) -> String {
    let mut t: Vec<Vec<String>> =
        vec![["编号", "类型", "题名", "日期", "到期", "页数"].iter().map(|s| s.to_string()).collect()];
    for d in docs {
        let day = |x: Option<chrono::NaiveDate>| x.map(|x| x.to_string()).unwrap_or_default();
        t.push(vec![
            d.id.to_string(),
            d.doc_type_name.clone(),
            d.title.clone(),
            day(d.date),
            day(d.expires_on),
            d.pages.to_string(),
        ]);
    }
    table(&t)
}

/// A stored UTC timestamp in the clerk's local time, to the minute.
pub(super) fn local_time(at: &str) -> String {
    crate::i18n::local_time(at)
}

fn customer_text(tr: &Tr, c: &Customer, fields: &[CustomField]) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = |k: &str, v: String| {
        if !v.is_empty() {
            rows.push(vec![k.to_string(), v]);
        }
    };
    row("档案号", c.dossier.clone());
    row("户名", c.name.clone());
    row("曾用名", c.former_names.join("、"));
    if let (Some(k), Some(n)) = (c.id_kind, &c.id_number) {
        row(&tr.t(k.label_key()), n.clone());
    }
    row("电话", c.phones.join("、"));
    row("地址", c.address.clone());
    row("分类", c.category_path.clone());
    row("等级", tr.t(c.grade.label_key()));
    row(
        "状态",
        match &c.closed_at {
            Some(at) => format!("{}（{}）", tr.t(c.status.label_key()), local_time(at)),
            None => tr.t(c.status.label_key()),
        },
    );
    if c.confidential {
        row("密级", "保密".into());
    }
    row("责任人", c.clerk.clone().unwrap_or_default());
    // Custom fields in the order the admin defined them, then any left from a former category.
    let mut keys: Vec<&String> =
        fields.iter().map(|f| &f.key).filter(|k| c.custom.contains_key(*k)).collect();
    keys.extend(c.custom.keys().filter(|k| !fields.iter().any(|f| &f.key == *k)));
    for k in keys {
        let unit = fields.iter().find(|f| &f.key == k).map(|f| f.unit.as_str()).unwrap_or_default();
        let value = match &c.custom[k] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Bool(b) => if *b { "是" } else { "否" }.into(),
            other => format!("{other} {unit}").trim_end().to_string(),
        };
        row(k, value);
    }
    row("备注", c.notes.clone());
    row("建档", local_time(&c.created_at));
    row("更新", local_time(&c.updated_at));
    table(&rows)
}

fn show_text(tr: &Tr, d: &Dossier) -> String {
    let mut t = customer_text(tr, &d.customer, &d.fields);
    let c = &d.completeness;
    t.push_str(&format!("\n资料完整度 {}/{}", c.present, c.required));
    let missing: Vec<&str> = c.missing().map(|i| i.name.as_str()).collect();
    if !missing.is_empty() {
        t.push_str(&format!("，缺：{}", missing.join("、")));
    }
    let unscanned: Vec<&str> = c.unscanned().map(|i| i.name.as_str()).collect();
    if !unscanned.is_empty() {
        t.push_str(&format!("；未扫描：{}", unscanned.join("、")));
    }
    if !c.missing_fields.is_empty() {
        t.push_str(&format!("；必填项未填：{}", c.missing_fields.join("、")));
    }
    t.push('\n');
    if d.documents.is_empty() {
        t.push_str("（档案内暂无文件）\n");
    } else {
        let mut rows =
            vec![["类型", "标题", "日期", "到期", "页数"].iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        for doc in &d.documents {
            rows.push(vec![
                doc.doc_type_name.clone(),
                doc.title.clone(),
                doc.date.map(|x| x.to_string()).unwrap_or_default(),
                doc.expires_on.map(|x| x.to_string()).unwrap_or_default(),
                doc.pages.to_string(),
            ]);
        }
        t.push('\n');
        t.push_str(&table(&rows));
    }
    t
}
