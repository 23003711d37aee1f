//! `location`, `box`, `file`, `unfile`, `where`, `inventory`: the physical archive.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Ctx;
use super::output::table;
use crate::core::Access;
use crate::core::storage::{BoxView, Found, InventoryItem, InventoryReport, NewBoxSpec, RuleChanges};
use crate::i18n::{Tr, local_time};
use crate::model::error::Error;
use crate::model::storage::{BoxInfo, BoxMode, BoxStatus, Movement, Placement};

#[derive(Debug, Subcommand)]
pub enum LocationCmd {
    /// Create a location, level by level, e.g. "档案室A/1排/3列/2层"; prints its barcode.
    Add {
        path: String,
        /// How many boxes it holds at most.
        #[arg(long)]
        capacity: Option<i64>,
    },
    /// The location tree (or the part under a location), with the boxes each holds.
    List { under: Option<String> },
    /// Delete an empty location (and the empty levels below it).
    Delete { location: String },
}

#[derive(Debug, Subcommand)]
pub enum BoxCmd {
    /// Open a new box (档案盒); prints its barcode.
    Add(BoxAddArgs),
    /// A box: its fields, fill, place, folders and movements.
    Show { code: String },
    /// The boxes that belong under a location (with --current: that stand there now).
    List {
        location: String,
        #[arg(long)]
        current: bool,
    },
    /// Boxes opened but not shelved yet (待上架).
    Unshelved {
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Shelve a box at a location (its home from now on); --temporary moves it without
    /// changing its home.
    Place {
        code: String,
        location: String,
        #[arg(long)]
        temporary: bool,
        /// Why it moved.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Bring a box that was moved away back to its home.
    Return { code: String },
    /// Seal a box: it takes no more folders.
    Seal { code: String },
    /// Open a sealed box again.
    Unseal { code: String },
    /// Show the box rules, or set one for a category (or the default without a category).
    Rule(RuleArgs),
    /// Show or set the fonds number (全宗号) and the box code prefix.
    Settings {
        #[arg(long)]
        fonds: Option<String>,
        #[arg(long)]
        prefix: Option<String>,
    },
    /// The retention periods (保管期限) boxes may have.
    Retention,
}

#[derive(Debug, Args)]
pub struct BoxAddArgs {
    /// Shelve it here at once (path or barcode).
    #[arg(long)]
    pub location: Option<String>,
    /// 年度 (default: this year).
    #[arg(long)]
    pub year: Option<i32>,
    /// 保管期限: permanent (永久), y30 (30年), y10 (10年)… (default: the box rule's).
    #[arg(long)]
    pub retention: Option<String>,
    /// Spine width in mm: 20, 30, 40 or 50.
    #[arg(long)]
    pub spine: Option<i64>,
    /// Capacity: a number of dossiers (20) or a thickness (35mm, 3.5cm).
    #[arg(long)]
    pub capacity: Option<String>,
    /// The category whose folders it takes (its box rule gives the defaults).
    #[arg(long)]
    pub category: Option<String>,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Category code or name; none: the library's default rule.
    pub category: Option<String>,
    /// own (一户一盒) or shared (多户合盒).
    #[arg(long, value_parser = parse_mode)]
    pub mode: Option<BoxMode>,
    #[arg(long)]
    pub capacity: Option<String>,
    #[arg(long)]
    pub spine: Option<i64>,
    #[arg(long)]
    pub retention: Option<String>,
}

fn parse_mode(s: &str) -> Result<BoxMode, String> {
    s.parse::<BoxMode>().map_err(|_| format!("{s:?}: use own (一户一盒) or shared (多户合盒)"))
}

#[derive(Debug, Args)]
pub struct FileArgs {
    /// The dossier number (or its scanned folder barcode).
    pub dossier: String,
    /// The box's barcode; without it the category's box rule picks or opens one.
    #[arg(name = "BOX")]
    pub box_code: Option<String>,
    /// Move a folder that is already in another box.
    #[arg(long = "move")]
    pub move_it: bool,
}

#[derive(Debug, Args)]
pub struct InventoryArgs {
    /// The location audited (path or barcode).
    pub location: Option<String>,
    /// The scanned codes, one per line ("-": standard input).
    #[arg(long, value_name = "FILE", required_unless_present = "history")]
    pub scanned: Option<PathBuf>,
    /// Correct the current place of every box seen to where it was seen.
    #[arg(long)]
    pub fix: bool,
    /// List past inventories (of the location, or all).
    #[arg(long, conflicts_with_all = ["scanned", "fix"])]
    pub history: bool,
}

pub fn location(ctx: &Ctx, cmd: LocationCmd) -> anyhow::Result<()> {
    match cmd {
        LocationCmd::Add { path, capacity } => {
            let mut s = ctx.session(Access::Write)?;
            let added = s.add_location(&path, capacity)?;
            let l = &added.location;
            let key = if added.created.is_empty() { "cli-location-exists" } else { "cli-location-created" };
            ctx.out.note(ctx.tr.ta(key, &[("path", &l.path), ("code", &l.code)]));
            ctx.out.emit(&added, || l.code.clone())
        }
        LocationCmd::List { under } => {
            let mut s = ctx.session(Access::Read)?;
            let nodes = s.locations(under.as_deref())?;
            ctx.out.emit(&nodes, || {
                let mut t = vec![header(&ctx.tr, &["col-location", "col-level", "col-code", "col-boxes"])];
                t.extend(nodes.iter().map(|n| {
                    vec![
                        format!("{}{}", "  ".repeat(n.depth), n.location.name),
                        ctx.tr.t(n.location.level.label_key()),
                        n.location.code.clone(),
                        match n.location.capacity {
                            Some(c) => format!("{}/{c}", n.boxes_here),
                            None => n.boxes_here.to_string(),
                        },
                    ]
                }));
                table(&t)
            })
        }
        LocationCmd::Delete { location } => {
            let mut s = ctx.session(Access::Write)?;
            let n = s.delete_location(&location)?;
            ctx.out
                .note(ctx.tr.ta("cli-location-deleted", &[("path", &location), ("count", &n.to_string())]));
            ctx.out.emit(&serde_json::json!({ "deleted": n }), String::new)
        }
    }
}

fn header(tr: &Tr, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| tr.t(k)).collect()
}

fn boxes_table(tr: &Tr, boxes: &[BoxInfo]) -> String {
    let mut t = vec![header(
        tr,
        &[
            "col-box",
            "col-year",
            "col-box-no",
            "col-retention",
            "col-items",
            "col-fill",
            "col-status",
            "col-current",
        ],
    )];
    t.extend(boxes.iter().map(|b| {
        vec![
            b.code.clone(),
            b.year.to_string(),
            b.box_no.to_string(),
            b.retention.clone(),
            b.item_range(),
            format!("{}/{} ({:.0}%)", b.count, b.capacity, b.fill() * 100.0),
            tr.t(b.status.label_key()),
            b.current.clone().unwrap_or_else(|| tr.t("where-not-shelved")),
        ]
    }));
    table(&t)
}

fn movements_text(tr: &Tr, ms: &[Movement]) -> String {
    let mut out = String::new();
    for m in ms {
        let from = m.from.clone().unwrap_or_else(|| "-".into());
        let to = m.to.clone().unwrap_or_else(|| "-".into());
        out.push_str(&format!(
            "  {}  {}  {} → {}  {}{}\n",
            local_time(&m.at),
            tr.t(m.reason.label_key()),
            from,
            to,
            m.user,
            if m.note.is_empty() { String::new() } else { format!("  ({})", m.note) }
        ));
    }
    out
}

fn box_text(tr: &Tr, v: &BoxView) -> String {
    let b = &v.info;
    let mut out = format!(
        "{}  {}\n",
        tr.ta(
            "where-box-title",
            &[("code", &b.code), ("year", &b.year.to_string()), ("no", &b.box_no.to_string())]
        ),
        tr.t(b.status.label_key()),
    );
    let fonds = if b.fonds.is_empty() { "-".to_string() } else { b.fonds.clone() };
    out.push_str(&format!(
        "{}: {}  {}: {}  {}: {}  {}: {}mm\n",
        tr.t("col-fonds"),
        fonds,
        tr.t("col-retention"),
        b.retention,
        tr.t("col-items"),
        if b.item_range().is_empty() { "-".into() } else { b.item_range() },
        tr.t("col-spine"),
        b.spine_mm
    ));
    out.push_str(&format!("{}: {}/{} ({:.0}%)\n", tr.t("col-fill"), b.count, b.capacity, b.fill() * 100.0));
    out.push_str(&place_lines(tr, b.home.as_deref(), b.current.as_deref()));
    out.push_str(&on_loan_text(tr, v.loan.as_ref()));
    if !v.folders.is_empty() {
        out.push_str(&format!("{}:\n", tr.t("where-contents")));
        for f in &v.folders {
            out.push_str(&format!(
                "  {:>4}  {}  {}{}\n",
                f.item_no,
                f.dossier,
                f.name,
                f.out
                    .as_ref()
                    .map(|o| format!("  ({} {o})", tr.t("where-folder-out")))
                    .or_else(|| f.on_loan.as_ref().map(|b| format!("  ({} {b})", tr.t("loan-state-out"))))
                    .unwrap_or_default()
            ));
        }
    }
    if !v.movements.is_empty() {
        out.push_str(&format!("{}:\n{}", tr.t("where-movements"), movements_text(tr, &v.movements)));
    }
    out
}

/// "On loan: 周瑜, due 2026-12-05" (or lost), and who waits.
fn on_loan_text(tr: &Tr, loan: Option<&crate::core::loans::OnLoan>) -> String {
    let Some(l) = loan else { return String::new() };
    let who = if l.loan.borrower_org.is_empty() {
        l.loan.borrower.clone()
    } else {
        format!("{}（{}）", l.loan.borrower, l.loan.borrower_org)
    };
    let mut out = match l.loan.state {
        crate::model::loans::LoanState::Lost => tr.ta(
            "where-lost",
            &[
                ("borrower", &who),
                ("date", &l.loan.lost_at.as_deref().map(crate::core::local_date).unwrap_or_default()),
            ],
        ),
        _ => {
            let mut s = tr.ta("where-on-loan", &[("borrower", &who), ("due", &l.loan.due)]);
            if l.loan.overdue_days > 0 {
                s.push_str(&format!(
                    " ({})",
                    tr.ta("loan-overdue-days", &[("days", &l.loan.overdue_days.to_string())])
                ));
            }
            s
        }
    };
    out.push('\n');
    if !l.waiting.is_empty() {
        out.push_str(&format!("{}\n", tr.ta("where-waiting", &[("names", &l.waiting.join("、"))])));
    }
    out
}

fn place_lines(tr: &Tr, home: Option<&str>, current: Option<&str>) -> String {
    let none = tr.t("where-not-shelved");
    let mut out = format!("{}: {}\n", tr.t("where-home"), home.unwrap_or(&none));
    if current != home {
        out.push_str(&format!("{}: {}\n", tr.t("where-current"), current.unwrap_or(&none)));
    }
    out
}

fn placement_text(tr: &Tr, p: &Placement) -> String {
    let mut out = format!(
        "{}\n",
        tr.ta(
            "where-in-box",
            &[("box", &p.box_code), ("no", &p.box_no.to_string()), ("item", &p.item_no.to_string())]
        )
    );
    out.push_str(&place_lines(tr, p.home.as_deref(), p.current.as_deref()));
    if let Some(o) = &p.folder_out {
        out.push_str(&format!("{}: {o}\n", tr.t("where-folder-out")));
    }
    out
}

fn found_text(tr: &Tr, f: &Found) -> String {
    match f {
        Found::Dossier { dossier, name, placement, movements, loan, .. } => {
            let mut out =
                format!("{}\n", tr.ta("where-dossier-title", &[("dossier", dossier), ("name", name)]));
            match placement {
                Some(p) => out.push_str(&placement_text(tr, p)),
                None => out.push_str(&format!("{}\n", tr.t("where-not-filed"))),
            }
            out.push_str(&on_loan_text(tr, loan.as_ref()));
            if !movements.is_empty() {
                out.push_str(&format!("{}:\n{}", tr.t("where-movements"), movements_text(tr, movements)));
            }
            out
        }
        Found::Box(v) => box_text(tr, v),
        Found::Borrower(v) => super::loans::borrower_text(tr, v),
        Found::Location { location, children, boxes, visiting } => {
            let mut out = format!(
                "{}\n",
                tr.ta(
                    "where-location-title",
                    &[
                        ("path", &location.path),
                        ("code", &location.code),
                        ("level", &tr.t(location.level.label_key()))
                    ]
                )
            );
            if !children.is_empty() {
                let names: Vec<&str> = children.iter().map(|c| c.name.as_str()).collect();
                out.push_str(&format!("{}: {}\n", tr.t("where-children"), names.join("、")));
            }
            if boxes.is_empty() {
                out.push_str(&format!("{}\n", tr.t("where-no-boxes")));
            } else {
                out.push_str(&boxes_table(tr, boxes));
            }
            if !visiting.is_empty() {
                out.push_str(&format!("{}:\n{}", tr.t("where-visiting"), boxes_table(tr, visiting)));
            }
            out
        }
    }
}

pub fn boxes(ctx: &Ctx, cmd: BoxCmd) -> anyhow::Result<()> {
    let tr = &ctx.tr;
    match cmd {
        BoxCmd::Add(a) => {
            let mut s = ctx.session(Access::Write)?;
            let b = s.add_box(NewBoxSpec {
                location: a.location,
                year: a.year,
                retention: a.retention,
                spine_mm: a.spine,
                capacity: a.capacity,
                category: a.category,
                notes: String::new(),
            })?;
            ctx.out.note(tr.ta(
                "cli-box-created",
                &[("code", &b.code), ("year", &b.year.to_string()), ("no", &b.box_no.to_string())],
            ));
            ctx.out.emit(&b, || b.code.clone())
        }
        BoxCmd::Show { code } => {
            let mut s = ctx.session(Access::Read)?;
            let v = s.box_view(&code)?;
            ctx.out.emit(&v, || box_text(tr, &v))
        }
        BoxCmd::List { location, current } => {
            let mut s = ctx.session(Access::Read)?;
            let list = s.boxes_at(&location, current)?;
            ctx.out.emit(&list, || boxes_table(tr, &list))
        }
        BoxCmd::Unshelved { limit } => {
            let mut s = ctx.session(Access::Read)?;
            let list = s.unshelved_boxes(limit)?;
            ctx.out.emit(&list, || boxes_table(tr, &list))
        }
        BoxCmd::Place { code, location, temporary, note } => {
            let mut s = ctx.session(Access::Write)?;
            let b = s.place_box(&code, &location, temporary, &note)?;
            let place = b.current.clone().unwrap_or_default();
            ctx.out.note(tr.ta("cli-box-placed", &[("code", &b.code), ("path", &place)]));
            ctx.out.emit(&b, || place.clone())
        }
        BoxCmd::Return { code } => {
            let mut s = ctx.session(Access::Write)?;
            let b = s.return_box(&code)?;
            let place = b.current.clone().unwrap_or_default();
            ctx.out.note(tr.ta("cli-box-placed", &[("code", &b.code), ("path", &place)]));
            ctx.out.emit(&b, || place.clone())
        }
        BoxCmd::Seal { code } => status(ctx, &code, BoxStatus::Sealed),
        BoxCmd::Unseal { code } => status(ctx, &code, BoxStatus::Open),
        BoxCmd::Rule(a) => {
            let changes =
                RuleChanges { mode: a.mode, capacity: a.capacity, spine_mm: a.spine, retention: a.retention };
            let setting = changes.mode.is_some()
                || changes.capacity.is_some()
                || changes.spine_mm.is_some()
                || changes.retention.is_some();
            let mut s = ctx.session(if setting { Access::Write } else { Access::Read })?;
            if setting {
                let r = s.set_box_rule(a.category.as_deref(), changes)?;
                ctx.out
                    .note(tr.ta("cli-box-rule-saved", &[("category", r.category.as_deref().unwrap_or("*"))]));
            }
            let rules = s.box_rules()?;
            let periods = s.retention_periods()?;
            ctx.out.emit(&rules, || {
                let mut t = vec![header(
                    tr,
                    &["col-category", "col-mode", "col-capacity", "col-spine", "col-retention"],
                )];
                t.extend(rules.iter().map(|r| {
                    vec![
                        r.category.clone().unwrap_or_else(|| tr.t("box-rule-default")),
                        tr.t(r.mode.label_key()),
                        r.capacity.to_string(),
                        format!("{}mm", r.spine_mm),
                        periods
                            .iter()
                            .find(|p| p.code == r.retention)
                            .map_or(r.retention.clone(), |p| p.name.clone()),
                    ]
                }));
                table(&t)
            })
        }
        BoxCmd::Settings { fonds, prefix } => {
            let setting = fonds.is_some() || prefix.is_some();
            let mut s = ctx.session(if setting { Access::Write } else { Access::Read })?;
            let st = if setting {
                s.set_storage_settings(fonds.as_deref(), prefix.as_deref())?
            } else {
                s.storage_settings()?
            };
            ctx.out.emit(&st, || {
                format!("{}: {}\n{}: {}", tr.t("col-fonds"), st.fonds, tr.t("col-box-prefix"), st.box_prefix)
            })
        }
        BoxCmd::Retention => {
            let mut s = ctx.session(Access::Read)?;
            let list = s.retention_periods()?;
            ctx.out.emit(&list, || {
                list.iter().map(|p| format!("{}  {}", p.code, p.name)).collect::<Vec<_>>().join("\n")
            })
        }
    }
}

fn status(ctx: &Ctx, code: &str, st: BoxStatus) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Write)?;
    let b = s.set_box_status(code, st)?;
    ctx.out
        .note(ctx.tr.ta("cli-box-status", &[("code", &b.code), ("status", &ctx.tr.t(b.status.label_key()))]));
    ctx.out.emit(&b, || b.status.to_string())
}

pub fn file(ctx: &Ctx, a: FileArgs) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Write)?;
    let f = s.file_dossier(&a.dossier, a.box_code.as_deref(), a.move_it)?;
    if f.opened {
        ctx.out.note(ctx.tr.ta("cli-box-opened-for", &[("code", &f.box_info.code)]));
    }
    let p = &f.placement;
    ctx.out.note(
        ctx.tr.ta(
            "cli-filed",
            &[("dossier", &p.dossier), ("box", &p.box_code), ("item", &p.item_no.to_string())],
        ),
    );
    ctx.out.emit(&f, || p.box_code.clone())
}

pub fn unfile(ctx: &Ctx, dossier: &str) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Write)?;
    s.unfile_dossier(dossier)?;
    ctx.out.note(ctx.tr.ta("cli-unfiled", &[("dossier", dossier)]));
    ctx.out.emit(&serde_json::json!({ "dossier": dossier, "filed": false }), String::new)
}

pub fn where_is(ctx: &Ctx, code: &str) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Read)?;
    let f = s.where_is(code)?;
    ctx.out.emit(&f, || found_text(&ctx.tr, &f))
}

fn read_scanned(path: &PathBuf) -> anyhow::Result<Vec<String>> {
    let mut text = String::new();
    if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text).map_err(|e| {
            Error::io(crate::model::Message::new("inventory-read-failed").arg("path", "-"), e)
        })?;
    } else {
        let bytes = std::fs::read(path).map_err(|e| {
            Error::io(crate::model::Message::new("inventory-read-failed").arg("path", path.display()), e)
        })?;
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    // One code per line; a scanner may also send tabs or commas between codes.
    Ok(text
        .split(['\n', '\r', '\t', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect())
}

fn items_text(tr: &Tr, key: &str, items: &[InventoryItem]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut out = format!("{} ({}):\n", tr.t(key), items.len());
    for i in items {
        let label = match (i.year, i.box_no) {
            (Some(y), Some(n)) => {
                tr.ta("inventory-box-label", &[("year", &y.to_string()), ("no", &n.to_string())])
            }
            _ => i.label.clone(),
        };
        let mut line = format!("  {}  {label}", i.code);
        if let Some(h) = &i.home {
            line.push_str(&format!("  {}: {h}", tr.t("where-home")));
        }
        if i.current.is_some() && i.current != i.home {
            line.push_str(&format!("  {}: {}", tr.t("where-current"), i.current.clone().unwrap_or_default()));
        }
        if let Some(r) = &i.reason {
            line.push_str(&format!("  {}", tr.t(r)));
        }
        if let Some(b) = &i.on_loan {
            line.push_str(&format!("  {}", tr.ta("inventory-on-loan", &[("borrower", b)])));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn inventory_text(tr: &Tr, r: &InventoryReport) -> String {
    let mut out = String::new();
    out.push_str(&items_text(tr, "inventory-missing", &r.missing));
    out.push_str(&items_text(tr, "inventory-misplaced", &r.misplaced));
    out.push_str(&items_text(tr, "inventory-unknown", &r.unknown));
    out.push_str(&items_text(tr, "inventory-found", &r.found));
    out
}

pub fn inventory(ctx: &Ctx, a: InventoryArgs) -> anyhow::Result<()> {
    if a.history {
        let mut s = ctx.session(Access::Read)?;
        let list = s.inventories(a.location.as_deref(), 100)?;
        return ctx.out.emit(&list, || {
            let mut t = vec![header(
                &ctx.tr,
                &[
                    "col-inventory",
                    "col-location",
                    "col-time",
                    "col-user",
                    "inventory-found",
                    "inventory-missing",
                    "inventory-misplaced",
                    "inventory-unknown",
                ],
            )];
            t.extend(list.iter().map(|i| {
                vec![
                    i.id.to_string(),
                    i.location.clone(),
                    local_time(&i.at),
                    i.user.clone(),
                    i.found.to_string(),
                    i.missing.to_string(),
                    i.misplaced.to_string(),
                    i.unknown.to_string(),
                ]
            }));
            table(&t)
        });
    }
    let location = a.location.ok_or_else(|| Error::usage("inventory-no-location"))?;
    let scanned = read_scanned(a.scanned.as_ref().ok_or_else(|| Error::usage("inventory-no-scanned"))?)?;
    let mut s = ctx.session(Access::Write)?;
    let r = s.inventory(&location, &scanned, a.fix)?;
    ctx.out.note(ctx.tr.ta(
        "cli-inventory-saved",
        &[
            ("id", &r.id.to_string()),
            ("path", &r.location),
            ("expected", &r.expected.to_string()),
            ("found", &r.found.len().to_string()),
            ("missing", &r.missing.len().to_string()),
            ("misplaced", &r.misplaced.len().to_string()),
            ("unknown", &r.unknown.len().to_string()),
            ("fixed", &r.fixed.to_string()),
        ],
    ));
    ctx.out.emit(&r, || inventory_text(&ctx.tr, &r))
}
