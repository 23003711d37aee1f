//! `user …`, `audit`, and the configuration verbs `category`, `doctype`, `field`, `numbering`.

use clap::{Args, Subcommand};

use super::Ctx;
use super::output::table;
use crate::core::config::NewField;
use crate::core::session::AuditQuery;
use crate::core::{Access, Error};
use crate::model::permission::Permission;
use crate::model::{FieldKind, Role};

use super::customer::parse;

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Add a user (password from DANGAN_NEW_PASSWORD or a prompt).
    Add {
        name: String,
        /// admin, archivist, clerk or viewer.
        #[arg(long, value_parser = parse::<Role>)]
        role: Role,
        /// The name shown in the app, e.g. 王芳.
        #[arg(long, default_value = "")]
        display_name: String,
    },
    /// Stop a user from logging in (their history stays).
    Disable { name: String },
    /// Let a disabled user log in again.
    Enable { name: String },
    /// Change a user's role.
    Role {
        name: String,
        #[arg(value_parser = parse::<Role>)]
        role: Role,
    },
    /// Set a password (yours, or anyone's as admin) from DANGAN_NEW_PASSWORD or a prompt.
    Passwd { name: String },
    /// List users (admins).
    List,
    /// Lift the lock that repeated failed logins put on a user (admins; audited).
    Unlock { name: String },
    /// Show or change how many failed logins in a row lock an account, and for how long.
    Lockout {
        /// Failed logins in a row that lock the account (3–20; default 5).
        #[arg(long)]
        failures: Option<u32>,
        /// Minutes the lock lasts (1–1440; default 15).
        #[arg(long)]
        minutes: Option<u32>,
    },
}

pub fn user(ctx: &Ctx, cmd: UserCmd) -> anyhow::Result<()> {
    let read_only = matches!(cmd, UserCmd::List | UserCmd::Lockout { failures: None, minutes: None });
    let mut s = ctx.session(if read_only { Access::Read } else { Access::Write })?;
    let u = match cmd {
        UserCmd::Add { name, role, display_name } => {
            crate::core::users::check_user_name(&name)?;
            s.require(Permission::ManageUsers)?;
            let pw = super::read_new_password(&ctx.tr, &name, "DANGAN_NEW_PASSWORD")?;
            let u = s.add_user(&name, &display_name, role, &pw)?;
            ctx.out.note(
                ctx.tr.ta("cli-user-added", &[("name", &u.name), ("role", &ctx.tr.t(u.role.label_key()))]),
            );
            u
        }
        UserCmd::Disable { name } => {
            let u = s.set_user_disabled(&name, true)?;
            ctx.out.note(ctx.tr.ta("cli-user-disabled", &[("name", &u.name)]));
            u
        }
        UserCmd::Enable { name } => {
            let u = s.set_user_disabled(&name, false)?;
            ctx.out.note(ctx.tr.ta("cli-user-enabled", &[("name", &u.name)]));
            u
        }
        UserCmd::Role { name, role } => {
            let u = s.set_user_role(&name, role)?;
            ctx.out.note(
                ctx.tr.ta("cli-user-role", &[("name", &u.name), ("role", &ctx.tr.t(u.role.label_key()))]),
            );
            u
        }
        UserCmd::Passwd { name } => {
            if !name.trim().eq_ignore_ascii_case(&s.user().name) {
                s.require(Permission::ManageUsers)?;
            }
            let pw = super::read_new_password(&ctx.tr, &name, "DANGAN_NEW_PASSWORD")?;
            s.set_password(&name, &pw)?;
            ctx.out.note(ctx.tr.ta("cli-user-password", &[("name", &name)]));
            return ctx.out.emit(&serde_json::json!({ "user": name, "password_changed": true }), String::new);
        }
        UserCmd::Unlock { name } => {
            let u = s.unlock_user(&name)?;
            ctx.out.note(format!("Unlocked {}: they may log in again.", u.name));
            u
        }
        UserCmd::Lockout { failures, minutes } => {
            let mut policy = s.login_policy()?;
            if failures.is_some() || minutes.is_some() {
                policy.max_failures = failures.unwrap_or(policy.max_failures);
                policy.lock_minutes = minutes.unwrap_or(policy.lock_minutes);
                policy = s.set_login_policy(policy)?;
            }
            return ctx.out.emit(&policy, || {
                format!(
                    "{} 次连续登录失败后锁定 {} 分钟 ({} failed logins in a row lock an account for {} minutes)",
                    policy.max_failures, policy.lock_minutes, policy.max_failures, policy.lock_minutes
                )
            });
        }
        UserCmd::List => {
            let users = s.users()?;
            let locked = s.locked_users()?;
            // JSON: each user, plus `locked_until` while a lock lasts.
            let json: Vec<serde_json::Value> = users
                .iter()
                .map(|u| {
                    let mut v = serde_json::to_value(u).unwrap_or_default();
                    if let (Some(obj), Some((_, until))) =
                        (v.as_object_mut(), locked.iter().find(|(n, _)| n == &u.name))
                    {
                        obj.insert("locked_until".into(), until.clone().into());
                    }
                    v
                })
                .collect();
            return ctx.out.emit(&json, || {
                let mut rows = vec![vec!["用户".into(), "姓名".into(), "角色".into(), "状态".into()]];
                rows.extend(users.iter().map(|u| {
                    vec![
                        u.name.clone(),
                        u.display_name.clone(),
                        ctx.tr.t(u.role.label_key()),
                        match locked.iter().find(|(n, _)| n == &u.name) {
                            _ if u.disabled => ctx.tr.t("user-state-disabled"),
                            Some((_, until)) => ctx.tr.ta(
                                "user-state-locked",
                                &[("until", &crate::core::lockout::local_time(until))],
                            ),
                            None => ctx.tr.t("user-state-ok"),
                        },
                    ]
                }));
                table(&rows)
            });
        }
    };
    ctx.out.emit(&u, || u.name.clone())
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub cmd: Option<AuditCmd>,
    /// Only entries at or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Only this dossier's history.
    #[arg(long)]
    pub dossier: Option<String>,
    /// Only what this user did.
    #[arg(long = "by", value_name = "USER")]
    pub by: Option<String>,
    /// Only logins and failed logins (登录日志).
    #[arg(long)]
    pub logins: bool,
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
}

/// The audit chain's head, for a paper log, and its re-anchoring.
#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Print the chain's head: its row number, hash and a short digest to write in a paper
    /// log; `--check SEQ DIGEST` compares a digest written down earlier.
    Head {
        /// A row number and the digest written down for it.
        #[arg(long, num_args = 2, value_names = ["SEQ", "DIGEST"])]
        check: Option<Vec<String>>,
    },
    /// Re-anchor the audit.head file to the chain's current head after a problem `verify`
    /// reported about it was looked into (admin; audited, with what the file said before).
    Anchor,
}

pub fn audit(ctx: &Ctx, a: AuditArgs) -> anyhow::Result<()> {
    match a.cmd {
        Some(AuditCmd::Head { check: Some(check) }) => return audit_head_check(ctx, &check),
        Some(AuditCmd::Head { check: None }) => return audit_head(ctx),
        Some(AuditCmd::Anchor) => return audit_anchor(ctx),
        None => {}
    }
    let mut s = ctx.session(Access::Read)?;
    let rows = s.audit_log(&AuditQuery {
        since: a.since,
        dossier: a.dossier,
        user: a.by,
        logins: a.logins,
        limit: a.limit,
    })?;
    ctx.out.emit(&rows, || {
        // One sentence per entry, in local time: "2026-11-23 14:05 王芳 修改了客户资料：电话、地址".
        rows.iter().map(|r| format!("{:>6}  {}\n", r.seq, ctx.tr.history(r))).collect::<String>()
    })
}

fn audit_head(ctx: &Ctx) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Read)?;
    let h = s.audit_head()?;
    ctx.out.emit(&h, || {
        ctx.tr.ta(
            "cli-audit-head",
            &[
                ("seq", &h.seq.to_string()),
                ("hash", &h.hash),
                ("digest", &h.digest),
                ("library", &h.library_id),
            ],
        )
    })
}

fn audit_head_check(ctx: &Ctx, check: &[String]) -> anyhow::Result<()> {
    let [seq, digest] = check else {
        return Err(Error::usage("audit-digest-invalid").arg("digest", check.join(" ")).into());
    };
    let seq: i64 = seq.trim().parse().map_err(|_| Error::usage("audit-digest-seq").arg("seq", seq))?;
    let mut s = ctx.session(Access::Read)?;
    let same = s.check_head_digest(seq, digest)?;
    ctx.out.emit(&serde_json::json!({ "seq": seq, "digest": digest, "matches": same }), || {
        ctx.tr.ta(
            if same { "cli-audit-digest-matches" } else { "cli-audit-digest-differs" },
            &[("seq", &seq.to_string()), ("digest", digest)],
        )
    })?;
    if same {
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            ctx.tr.ta("cli-audit-digest-differs", &[("seq", &seq.to_string()), ("digest", digest)])
        ))
    }
}

fn audit_anchor(ctx: &Ctx) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Write)?;
    let r = s.anchor_audit_head()?;
    ctx.out.emit(&r, || {
        ctx.tr.ta(
            "cli-audit-anchored",
            &[("seq", &r.head.seq.to_string()), ("previous", r.previous.as_deref().map_or("-", str::trim))],
        )
    })
}

#[derive(Debug, Subcommand)]
pub enum CategoryCmd {
    /// The category tree with each category's checklist and fields.
    List,
    /// Add a category (admin).
    Add {
        code: String,
        name: String,
        /// The parent category's code.
        #[arg(long)]
        parent: Option<String>,
    },
    /// Add document types to a category's required checklist (or --remove them).
    Require {
        category: String,
        #[arg(required = true)]
        doc_types: Vec<String>,
        #[arg(long)]
        remove: bool,
    },
}

pub fn category(ctx: &Ctx, cmd: CategoryCmd) -> anyhow::Result<()> {
    match cmd {
        CategoryCmd::List => {
            let mut s = ctx.session(Access::Read)?;
            let config = s.configuration()?;
            ctx.out.emit(&config.categories, || {
                let mut rows = vec![vec!["代码".into(), "名称".into(), "必备资料".into()]];
                rows.extend(config.categories.iter().map(|c| {
                    vec![
                        c.category.code.clone(),
                        format!("{}{}", "  ".repeat(c.category.depth), c.category.name),
                        c.required.join(" "),
                    ]
                }));
                table(&rows)
            })
        }
        CategoryCmd::Add { code, name, parent } => {
            let mut s = ctx.session(Access::Write)?;
            let c = s.add_category(&code, &name, parent.as_deref())?;
            ctx.out.note(ctx.tr.ta("cli-category-added", &[("code", &c.code), ("path", &c.path)]));
            ctx.out.emit(&c, || c.code.clone())
        }
        CategoryCmd::Require { category, doc_types, remove } => {
            let mut s = ctx.session(Access::Write)?;
            let list = s.set_required_docs(&category, &doc_types, !remove)?;
            ctx.out.emit(&list, || list.join(" "))
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum DoctypeCmd {
    /// The document types.
    List,
    /// Add a document type (admin).
    Add { code: String, name: String },
}

pub fn doctype(ctx: &Ctx, cmd: DoctypeCmd) -> anyhow::Result<()> {
    match cmd {
        DoctypeCmd::List => {
            let mut s = ctx.session(Access::Read)?;
            let types = s.configuration()?.doc_types;
            ctx.out.emit(&types, || {
                table(&types.iter().map(|d| vec![d.code.clone(), d.name.clone()]).collect::<Vec<_>>())
            })
        }
        DoctypeCmd::Add { code, name } => {
            let mut s = ctx.session(Access::Write)?;
            let d = s.add_doc_type(&code, &name)?;
            ctx.out.emit(&d, || d.code.clone())
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum FieldCmd {
    /// Custom fields, all or of one category (with inherited ones).
    List {
        #[arg(long)]
        category: Option<String>,
    },
    /// Define a custom field for a category and its sub-categories (admin).
    Add {
        category: String,
        key: String,
        /// text, integer, decimal, date, choice or bool.
        #[arg(long, value_parser = parse::<FieldKind>)]
        kind: FieldKind,
        /// Heading the field is shown under.
        #[arg(long, default_value = "")]
        group: String,
        #[arg(long)]
        required: bool,
        /// Choices for a choice field, comma-separated.
        #[arg(long, value_delimiter = ',')]
        options: Vec<String>,
        #[arg(long, default_value = "")]
        unit: String,
    },
}

pub fn field(ctx: &Ctx, cmd: FieldCmd) -> anyhow::Result<()> {
    match cmd {
        FieldCmd::List { category } => {
            let mut s = ctx.session(Access::Read)?;
            let config = s.configuration()?;
            let fields: Vec<_> = match &category {
                Some(c) => config
                    .categories
                    .iter()
                    .find(|x| &x.category.code == c || &x.category.name == c)
                    .map(|x| x.fields.clone())
                    .ok_or_else(|| {
                        Error::missing("category-not-found").arg("code", c).arg(
                            "known",
                            config
                                .categories
                                .iter()
                                .map(|x| format!("{} ({})", x.category.code, x.category.name))
                                .collect::<Vec<_>>()
                                .join(", "),
                        )
                    })?,
                None => {
                    let mut all = Vec::new();
                    for c in &config.categories {
                        for f in &c.fields {
                            if !all.iter().any(|x: &crate::model::CustomField| x.id == f.id) {
                                all.push(f.clone());
                            }
                        }
                    }
                    all
                }
            };
            ctx.out.emit(&fields, || {
                let mut rows =
                    vec![vec!["分类".into(), "分组".into(), "字段".into(), "类型".into(), "必填".into()]];
                rows.extend(fields.iter().map(|f| {
                    vec![
                        f.category.clone(),
                        f.group.clone(),
                        f.key.clone(),
                        ctx.tr.t(f.kind.label_key()),
                        if f.required { "是" } else { "" }.into(),
                    ]
                }));
                table(&rows)
            })
        }
        FieldCmd::Add { category, key, kind, group, required, options, unit } => {
            let mut s = ctx.session(Access::Write)?;
            let f = s.add_field(NewField { category, group, key, kind, required, options, unit })?;
            ctx.out.emit(&f, || format!("{}/{}", f.category, f.key))
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum NumberingCmd {
    /// The current rule and an example number.
    Show,
    /// Change the rule (admin); numbers already given keep their form.
    Set {
        #[arg(long)]
        prefix: Option<String>,
        #[arg(long)]
        separator: Option<String>,
        /// Put the year in the number (numbers restart each year).
        #[arg(long, conflicts_with = "no_year")]
        year: bool,
        #[arg(long)]
        no_year: bool,
        /// Digits of the sequence number.
        #[arg(long)]
        width: Option<usize>,
    },
}

pub fn numbering(ctx: &Ctx, cmd: NumberingCmd) -> anyhow::Result<()> {
    use chrono::Datelike;
    let year = crate::core::today().year();
    let rule = match cmd {
        NumberingCmd::Show => ctx.session(Access::Read)?.configuration()?.numbering,
        NumberingCmd::Set { prefix, separator, year: y, no_year, width } => {
            let mut s = ctx.session(Access::Write)?;
            let mut rule = s.configuration()?.numbering;
            if let Some(p) = prefix {
                rule.prefix = p;
            }
            if let Some(sep) = separator {
                rule.separator = sep;
            }
            if y {
                rule.with_year = true;
            }
            if no_year {
                rule.with_year = false;
            }
            if let Some(w) = width {
                rule.width = w;
            }
            s.set_numbering(rule)?
        }
    };
    let example = rule.format(year, 123);
    ctx.out.emit(&serde_json::json!({ "rule": rule, "example": example }), || {
        format!(
            "{example}  (prefix {}, width {}, year {})",
            rule.prefix,
            rule.width,
            if rule.with_year { "yes" } else { "no" }
        )
    })
}
