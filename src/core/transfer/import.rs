//! `import customers FILE`: a register kept in Excel or a CSV (UTF-8 or GBK/GB18030) into the
//! library, each row through the same rules and duplicate guard as `customer add`.
//!
//! 1. The mapping: each column to a field, by its header (Chinese or English, common synonyms,
//!    the library's custom fields by name), `--map` overriding; unknown columns are ignored and
//!    said so.
//! 2. Every row checked (read only): a problem names its line, its column and what is wrong;
//!    a likely duplicate of a customer in the library or of an earlier row of the file is one.
//!    `--dry-run` stops here. A real run refuses the whole file while any row is wrong, unless
//!    told to skip those rows (then written to `FILE.rejected.csv` with the reason).
//! 3. Batches of rows, each one write transaction with every customer's audit row, the
//!    imports table's progress and one search-index update. Killed halfway, the same command
//!    continues after the last batch that committed.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::core::customers::NewCustomer;
use crate::core::customers::register::{
    Cleaned, category_of, clean_new, custom_of, duplicate_guard, insert_prepared,
};
use crate::core::session::{Change, Session};
use crate::model::error::{Error, Message, Result};
use crate::model::permission::Permission;
use crate::model::{Grade, IdKind, Status, ids};
use crate::store;
use crate::tabular::{self, Cell, Encoding, Format, TableWriter};

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "field", content = "key")]
pub enum Field {
    Name,
    IdKind,
    IdNumber,
    Phones,
    Address,
    Category,
    Grade,
    Status,
    Notes,
    Clerk,
    Confidential,
    /// A custom field, by its key.
    Custom(String),
}

/// Header words for each field (compared without spaces, `*`, `_`, case).
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "name",
        &[
            "户名",
            "姓名",
            "客户名称",
            "客户姓名",
            "名称",
            "客户",
            "单位名称",
            "name",
            "customer",
            "customername",
        ],
    ),
    ("id_kind", &["证件类型", "证件种类", "idkind", "idtype"]),
    (
        "id_number",
        &[
            "证件号码",
            "证件号",
            "身份证号",
            "身份证号码",
            "身份证",
            "统一社会信用代码",
            "信用代码",
            "idnumber",
            "id",
            "idno",
        ],
    ),
    (
        "phones",
        &[
            "电话",
            "手机",
            "手机号",
            "手机号码",
            "联系电话",
            "电话号码",
            "联系方式",
            "phone",
            "phones",
            "mobile",
            "tel",
        ],
    ),
    ("address", &["地址", "住址", "联系地址", "用电地址", "通讯地址", "address"]),
    ("category", &["分类代码", "分类", "类别", "客户类别", "客户分类", "category", "categorycode"]),
    ("grade", &["等级", "客户等级", "重要程度", "grade"]),
    ("status", &["状态", "客户状态", "status"]),
    ("notes", &["备注", "说明", "notes", "note", "remarks"]),
    ("clerk", &["经办人", "业务员", "clerk"]),
    ("confidential", &["机密", "保密", "confidential"]),
];

/// Columns an export writes that an import knows and leaves alone.
const KNOWN_IGNORED: &[&str] =
    &["档案号", "dossier", "登记时间", "registered", "销户时间", "closed", "分类路径"];

fn norm(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '_' | '-' | '：' | ':'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn field_named(word: &str, custom: &[String]) -> Option<Field> {
    let w = norm(word);
    if let Some(k) = custom.iter().find(|k| norm(k) == w) {
        return Some(Field::Custom(k.clone()));
    }
    let code = SYNONYMS.iter().find(|(code, words)| norm(code) == w || words.iter().any(|x| norm(x) == w))?.0;
    Some(match code {
        "name" => Field::Name,
        "id_kind" => Field::IdKind,
        "id_number" => Field::IdNumber,
        "phones" => Field::Phones,
        "address" => Field::Address,
        "category" => Field::Category,
        "grade" => Field::Grade,
        "status" => Field::Status,
        "notes" => Field::Notes,
        "clerk" => Field::Clerk,
        _ => Field::Confidential,
    })
}

/// One column and what it was taken as (`None`: ignored).
#[derive(Debug, Clone, Serialize)]
pub struct ColumnMap {
    pub column: String,
    pub field: Option<Field>,
}

/// A row's problem: its line in the file, the column, what is wrong.
#[derive(Debug, Clone)]
pub struct RowProblem {
    pub line: u64,
    pub column: String,
    pub message: Message,
    /// A likely duplicate (skipped with `--skip-duplicates`).
    pub duplicate: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub encoding: Encoding,
    pub sheet: Option<String>,
    /// `(column, field)` overrides; field `-` ignores the column.
    pub map: Vec<(String, String)>,
    pub dry_run: bool,
    /// Import the good rows, write the others to `FILE.rejected.csv`.
    pub skip_invalid: bool,
    /// Leave out rows that are likely duplicates.
    pub skip_duplicates: bool,
    /// As `customer add --force`: the same name and phone is not a duplicate.
    pub force: bool,
    /// Rows per transaction (default 1,000).
    pub batch: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: PathBuf,
    pub encoding: &'static str,
    pub mapping: Vec<ColumnMap>,
    pub rows: usize,
    pub valid: usize,
    pub invalid: usize,
    pub duplicates: usize,
    pub imported: usize,
    pub skipped: usize,
    pub dry_run: bool,
    /// Nothing was written because rows are wrong (see `problems`).
    pub refused: bool,
    /// Continued an import killed halfway: rows already done then.
    pub resumed_after: Option<usize>,
    pub rejected_file: Option<PathBuf>,
    pub seconds: f64,
    pub rows_per_s: f64,
    #[serde(skip)]
    pub problems: Vec<RowProblem>,
}

/// Renders a problem's message in the user's language (for the rejected rows' file).
pub type Render<'a> = &'a dyn Fn(&Message) -> String;

/// A row made into a new customer, or its first problem.
struct Parsed {
    line: u64,
    new: NewCustomer,
    cleaned: Cleaned,
    category_id: i64,
    custom: BTreeMap<String, serde_json::Value>,
}

fn cell(row: &[String], i: Option<usize>) -> &str {
    i.and_then(|i| row.get(i)).map_or("", |s| s.as_str())
}

fn yes(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" | "否" | "no" | "n" | "false" | "0" | "不" => Some(false),
        "是" | "yes" | "y" | "true" | "1" | "机密" => Some(true),
        _ => None,
    }
}

impl Session {
    /// Imports the customers of a CSV or XLSX file (see the module's notes). `progress(done,
    /// total)` counts the file's rows.
    pub fn import_customers(
        &mut self,
        path: &Path,
        o: &ImportOptions,
        render: Render<'_>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<ImportReport> {
        self.require(Permission::WriteDossiers)?;
        if !o.dry_run {
            self.require_write_access()?;
        }
        let started = Instant::now();
        let table = tabular::read(path, o.encoding, o.sheet.as_deref())?;
        let bytes = std::fs::read(path)
            .map_err(|e| Error::io(Message::new("table-read-failed").arg("path", path.display()), e))?;
        let sha = crate::core::scans::blobs::sha256(&bytes);
        drop(bytes);

        // 1. The mapping.
        let custom = store::export::custom_keys(self.lib.db.conn())?;
        let mut mapping: Vec<ColumnMap> = table
            .header
            .iter()
            .map(|h| ColumnMap {
                column: h.clone(),
                field: if KNOWN_IGNORED.iter().any(|k| norm(k) == norm(h)) {
                    None
                } else {
                    field_named(h, &custom)
                },
            })
            .collect();
        for (column, field) in &o.map {
            let Some(c) = mapping.iter_mut().find(|c| norm(&c.column) == norm(column)) else {
                return Err(Error::usage("import-map-no-column")
                    .arg("column", column)
                    .arg("columns", table.header.join(", ")));
            };
            c.field = if field.trim() == "-" {
                None
            } else {
                Some(
                    field_named(field, &custom)
                        .ok_or_else(|| Error::usage("import-map-no-field").arg("field", field))?,
                )
            };
        }
        // A field taken by two columns: the first keeps it.
        let mut seen: Vec<Field> = Vec::new();
        for c in &mut mapping {
            if let Some(f) = &c.field {
                if seen.contains(f) {
                    c.field = None;
                } else {
                    seen.push(f.clone());
                }
            }
        }
        let col = |f: &Field| mapping.iter().position(|c| c.field.as_ref() == Some(f));
        if col(&Field::Name).is_none() {
            return Err(Error::usage("import-no-name-column").arg("columns", table.header.join(", ")));
        }
        let mapping_key = serde_json::to_string(&mapping).unwrap_or_default();

        // Where an earlier run of the same file and mapping stopped.
        let previous = store::imports::find(self.lib.db.conn(), &sha, &mapping_key)?;
        if !o.dry_run
            && let Some(p) = previous.as_ref().filter(|p| p.state == "done")
        {
            return Err(Error::conflict("import-already-done")
                .arg("path", path.display())
                .arg("at", crate::core::local_date(p.finished_at.as_deref().unwrap_or(&p.started_at)))
                .arg("by", &p.started_by)
                .arg("imported", p.imported));
        }
        let resume = if o.dry_run { 0 } else { previous.as_ref().map_or(0, |p| p.rows_done.max(0) as usize) };
        let total = table.rows.len();

        // 2. Every row checked, read only.
        let may_confidential = self.may(Permission::CloseDossiers);
        let may_see = self.may(Permission::ViewConfidential);
        let default_clerk = self.user.name.clone();
        let cols = FieldCols {
            name: col(&Field::Name),
            id_kind: col(&Field::IdKind),
            id_number: col(&Field::IdNumber),
            phones: col(&Field::Phones),
            address: col(&Field::Address),
            category: col(&Field::Category),
            grade: col(&Field::Grade),
            status: col(&Field::Status),
            notes: col(&Field::Notes),
            clerk: col(&Field::Clerk),
            confidential: col(&Field::Confidential),
            custom: custom
                .iter()
                .filter_map(|k| col(&Field::Custom(k.clone())).map(|i| (k.clone(), i)))
                .collect(),
        };
        let header = table.header.clone();
        let column_of = |i: Option<usize>| i.and_then(|i| header.get(i)).cloned().unwrap_or_default();
        let mut problems: Vec<RowProblem> = Vec::new();
        let mut parsed: Vec<Option<Parsed>> = Vec::with_capacity(total);
        self.lib.db.read(|tx| {
            let mut ids_seen: HashSet<String> = HashSet::new();
            let mut name_phone_seen: HashSet<(String, String)> = HashSet::new();
            for (i, (line, row)) in table.rows.iter().enumerate() {
                if i < resume {
                    parsed.push(None);
                    continue;
                }
                let mut problem = |column: Option<usize>, message: Message, duplicate: bool| {
                    problems.push(RowProblem { line: *line, column: column_of(column), message, duplicate });
                };
                match check_row(tx, row, &cols, may_confidential, &default_clerk) {
                    Err((c, e)) => {
                        problem(c, e.message(), false);
                        parsed.push(None);
                        continue;
                    }
                    Ok(mut checked) => {
                        checked.line = *line;
                        let cleaned = &checked.cleaned;
                        // A duplicate of an earlier row of the file, or of the library.
                        let id = cleaned.identity.as_ref().map(|i| i.1.clone());
                        let within = id.as_ref().is_some_and(|n| ids_seen.contains(n))
                            || (!o.force
                                && cleaned.phones.iter().any(|p| {
                                    name_phone_seen.contains(&(cleaned.name_key.clone(), p.clone()))
                                }));
                        if within {
                            let c = if id.as_ref().is_some_and(|n| ids_seen.contains(n)) {
                                cols.id_number
                            } else {
                                cols.phones
                            };
                            problem(c, Message::new("import-duplicate-in-file"), true);
                            parsed.push(None);
                            continue;
                        }
                        let mut hidden = None;
                        if let Err(e) = duplicate_guard(
                            tx,
                            id.as_deref(),
                            &cleaned.name_key,
                            &cleaned.phones,
                            -1,
                            o.force,
                            (!may_see).then_some(&mut hidden),
                        ) {
                            let c = if matches!(
                                &e,
                                Error::Duplicate {
                                    reason: crate::model::error::DuplicateReason::SameIdNumber,
                                    ..
                                }
                            ) {
                                cols.id_number
                            } else {
                                cols.phones
                            };
                            problem(c, e.message(), true);
                            parsed.push(None);
                            continue;
                        }
                        if let Some(n) = id {
                            ids_seen.insert(n);
                        }
                        for p in &cleaned.phones {
                            name_phone_seen.insert((cleaned.name_key.clone(), p.clone()));
                        }
                        parsed.push(Some(checked));
                    }
                }
            }
            Ok(())
        })?;
        let duplicates = problems.iter().filter(|p| p.duplicate).count();
        let invalid = problems.len() - duplicates;
        let valid = parsed.iter().filter(|p| p.is_some()).count();
        let mut report = ImportReport {
            file: path.to_path_buf(),
            encoding: table.encoding,
            mapping: mapping.clone(),
            rows: total,
            valid,
            invalid,
            duplicates,
            imported: 0,
            skipped: 0,
            dry_run: o.dry_run,
            refused: false,
            resumed_after: (resume > 0).then_some(resume),
            rejected_file: None,
            seconds: 0.0,
            rows_per_s: 0.0,
            problems,
        };
        let blocking =
            invalid > 0 && !o.skip_invalid || duplicates > 0 && !o.skip_duplicates && !o.skip_invalid;
        if o.dry_run || blocking {
            report.refused = blocking && !o.dry_run;
            report.seconds = started.elapsed().as_secs_f64();
            return Ok(report);
        }

        // The rows left out, with why, for the clerk to fix and import again.
        if !report.problems.is_empty() {
            let out = rejected_path(path);
            write_rejected(&out, &table.header, &table.rows, &report.problems, render)?;
            report.rejected_file = Some(out);
        }

        // 3. Batches. The search index follows once at the end, not after every batch (a kill
        // meanwhile loses nothing: the change log keeps every change for the next process).
        let job = Batches {
            batch: if o.batch == 0 { 1000 } else { o.batch },
            total,
            sha: &sha,
            file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            mapping_key: &mapping_key,
            force: o.force,
        };
        let import_id = previous.as_ref().filter(|p| p.state == "running").map(|p| p.id);
        progress(resume as u64, total as u64);
        self.lib.defer_index = true;
        let written = self.write_batches(&job, &parsed, resume, import_id, &mut report, render, progress);
        self.lib.defer_index = false;
        self.lib.sync_index();
        written?;
        report.seconds = started.elapsed().as_secs_f64();
        if report.seconds > 0.0 {
            report.rows_per_s = (report.imported as f64 / report.seconds).round();
        }
        Ok(report)
    }

    /// Writes the checked rows from `done` on, a batch per transaction, the imports row moved
    /// on in each.
    #[allow(clippy::too_many_arguments)]
    fn write_batches(
        &mut self,
        job: &Batches<'_>,
        parsed: &[Option<Parsed>],
        mut done: usize,
        mut import_id: Option<i64>,
        report: &mut ImportReport,
        render: Render<'_>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<()> {
        let user = self.user.name.clone();
        loop {
            let end = (done + job.batch).min(job.total);
            let slice = &parsed[done..end];
            let last = end == job.total;
            let (so_far_imported, so_far_skipped, resumed) =
                (report.imported, report.skipped, report.resumed_after);
            let (imported, skipped) = self.change(Permission::WriteDossiers, |tx, audit| {
                let id = match import_id {
                    Some(id) => id,
                    None => store::imports::start(
                        tx,
                        job.sha,
                        &job.file_name,
                        job.mapping_key,
                        job.total as i64,
                        audit.at,
                        &user,
                    )?,
                };
                let (mut imported, mut skipped) = (0usize, 0usize);
                for p in slice {
                    match p {
                        Some(p) => {
                            insert_prepared(
                                tx,
                                audit,
                                &p.cleaned,
                                &p.new,
                                p.category_id,
                                &p.custom,
                                p.new.clerk.as_deref().unwrap_or(&user),
                                job.force,
                                None,
                            )
                            .map_err(|e| row_failed(p.line, e, render))?;
                            imported += 1;
                        }
                        None => skipped += 1,
                    }
                }
                let finished = last.then_some(audit.at);
                store::imports::advance(tx, id, end as i64, imported as i64, skipped as i64, finished)?;
                if last {
                    let after = serde_json::json!({
                        "file": job.file_name,
                        "sha256": job.sha,
                        "rows": job.total,
                        "imported": so_far_imported + imported,
                        "skipped": so_far_skipped + skipped,
                        "resumed_after": resumed,
                    })
                    .to_string();
                    audit.log(
                        tx,
                        Change {
                            action: "import",
                            entity: "library",
                            entity_id: "customers",
                            dossier: None,
                            before: None,
                            after: Some(after),
                        },
                    )?;
                }
                import_id = Some(id);
                Ok((imported, skipped))
            })?;
            report.imported += imported;
            report.skipped += skipped;
            done = end;
            progress(done as u64, job.total as u64);
            crate::core::index::fault("import-after-batch");
            if last {
                return Ok(());
            }
        }
    }
}

/// What every batch of one import shares.
struct Batches<'a> {
    batch: usize,
    total: usize,
    sha: &'a str,
    file_name: String,
    mapping_key: &'a str,
    force: bool,
}

/// A row that passed the checks but failed when written (another program registered the same
/// customer meanwhile): the batch is rolled back; the error names the line.
fn row_failed(line: u64, e: Error, render: Render<'_>) -> Error {
    match e {
        Error::Duplicate { .. } | Error::Invalid(_) | Error::NotFound(_) | Error::Refused(_) => {
            Error::conflict("import-row-failed").arg("line", line).arg("detail", render(&e.message()))
        }
        other => other,
    }
}

/// The columns of each field (`None`: the file has none).
struct FieldCols {
    name: Option<usize>,
    id_kind: Option<usize>,
    id_number: Option<usize>,
    phones: Option<usize>,
    address: Option<usize>,
    category: Option<usize>,
    grade: Option<usize>,
    status: Option<usize>,
    notes: Option<usize>,
    clerk: Option<usize>,
    confidential: Option<usize>,
    custom: Vec<(String, usize)>,
}

/// One row through the rules: the new customer and its cleaned input, or the first problem
/// and the column it is in.
fn check_row(
    tx: &rusqlite::Connection,
    row: &[String],
    c: &FieldCols,
    may_confidential: bool,
    default_clerk: &str,
) -> std::result::Result<Parsed, (Option<usize>, Error)> {
    let text = |i: Option<usize>| cell(row, i).trim().to_string();
    let id_kind = match text(c.id_kind) {
        s if s.is_empty() => None,
        s => Some(s.parse::<IdKind>().map_err(|e| (c.id_kind, e))?),
    };
    let grade = match text(c.grade) {
        s if s.is_empty() => None,
        s => Some(s.parse::<Grade>().map_err(|e| (c.grade, e))?),
    };
    let status = match text(c.status) {
        s if s.is_empty() => None,
        s => Some(s.parse::<Status>().map_err(|e| (c.status, e))?),
    };
    // An old register holds closed accounts too: they come in closed (who may close dossiers).
    let closed = status == Some(Status::Closed);
    if closed && !may_confidential {
        return Err((c.status, Error::usage("import-closed-denied")));
    }
    let status = if closed { Some(Status::Active) } else { status };
    let confidential = yes(&text(c.confidential))
        .ok_or_else(|| (c.confidential, Error::usage("import-yes-no").arg("value", text(c.confidential))))?;
    if confidential && !may_confidential {
        return Err((c.confidential, Error::usage("import-confidential-denied")));
    }
    // A category given as an export writes its path ("居民 › 低压居民"): the last part.
    let category = match text(c.category) {
        s if s.is_empty() => None,
        s => Some(s.rsplit('›').next().unwrap_or(&s).trim().to_string()),
    };
    // The responsible clerk, if they are a user here; else the one importing (an old
    // register's clerks are often not users of this library).
    let clerk = match text(c.clerk) {
        s if s.is_empty() => default_clerk.to_string(),
        s if store::users::by_name(tx, &s).map_err(|e| (c.clerk, e))?.is_some() => s,
        _ => default_clerk.to_string(),
    };
    let phones: Vec<String> = text(c.phones)
        .split([';', ',', '，', '；', '/', '、', ' '])
        .filter(|p| !p.trim().is_empty())
        .map(|p| ids::to_halfwidth(p.trim()))
        .collect();
    let new = NewCustomer {
        name: text(c.name),
        id_number: Some(text(c.id_number)).filter(|s| !s.is_empty()),
        id_kind,
        phones,
        address: text(c.address),
        category,
        grade,
        status,
        confidential,
        clerk: Some(clerk.clone()),
        notes: text(c.notes),
        fields: c
            .custom
            .iter()
            .map(|(k, i)| (k.clone(), cell(row, Some(*i)).trim().to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
    };
    let mut cleaned = clean_new(&new).map_err(|(field, e)| {
        let col = match field {
            "label-name" => c.name,
            "label-id-number" => c.id_number,
            "label-phone" => c.phones,
            "label-address" => c.address,
            "label-notes" => c.notes,
            _ => c.status,
        };
        (col, e)
    })?;
    let category = category_of(tx, &new).map_err(|e| (c.category, e))?;
    let custom = custom_of(tx, category.id, &new).map_err(|e| (c.custom.first().map(|x| x.1), e))?;
    if closed {
        cleaned.status = Status::Closed;
    }
    Ok(Parsed { line: 0, new, cleaned, category_id: category.id, custom })
}

/// `FILE.rejected.csv` beside the file.
fn rejected_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "import".into());
    path.with_file_name(format!("{stem}.rejected.csv"))
}

fn write_rejected(
    out: &Path,
    header: &[String],
    rows: &[(u64, Vec<String>)],
    problems: &[RowProblem],
    render: Render<'_>,
) -> Result<()> {
    let mut by_line: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for p in problems {
        let text = if p.column.is_empty() {
            render(&p.message)
        } else {
            format!("{}: {}", p.column, render(&p.message))
        };
        by_line.entry(p.line).or_default().push(text);
    }
    let mut columns =
        vec![render(&Message::new("import-rejected-line")), render(&Message::new("import-rejected-reason"))];
    columns.extend(header.iter().cloned());
    let file = std::fs::File::create(out)
        .map_err(|e| Error::io(Message::new("table-write-failed").arg("path", out.display()), e))?;
    let mut w = TableWriter::new(Format::Csv, file, "rejected", &columns)?;
    for (line, row) in rows {
        if let Some(reasons) = by_line.get(line) {
            let mut cells = vec![Cell::Int(*line as i64), Cell::text(reasons.join("; "))];
            cells.extend(row.iter().map(|c| Cell::text(c.clone())));
            w.row(&cells)?;
        }
    }
    w.finish()?;
    Ok(())
}
