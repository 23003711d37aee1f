//! Translations for the app and the CLI: Fluent files under `assets/i18n/<lang>/`, compiled
//! into the binary, one file per area (`main`, `form`, `search`, `errors`, `settings`, `labels`). zh-CN
//! is the default; English is switchable. A missing key shows the key itself (never a panic),
//! and a test checks that both languages have the same keys.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::model::{AuditEntry, Error, Message};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Language {
    #[default]
    #[serde(rename = "zh-CN")]
    Chinese,
    #[serde(rename = "en")]
    English,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Chinese, Language::English];

    /// The language's Fluent files, one per area of the program.
    fn sources(self) -> &'static [&'static str] {
        macro_rules! files {
            ($lang:literal) => {
                &[
                    include_str!(concat!("../assets/i18n/", $lang, "/main.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/form.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/search.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/errors.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/settings.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/storage.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/labels.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/print.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/storage-gui.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/demo.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/loans.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/lending-gui.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/loan-papers.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/scans.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/scans-gui.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/scans-watch.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/ocr.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/verify-files.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/tables.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/tasks.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/backup.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/transfer.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/retention.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/reports.ftl")),
                ]
            };
        }
        match self {
            Language::Chinese => files!("zh-CN"),
            Language::English => files!("en"),
        }
    }

    /// The language a tag names: `zh`, `zh-CN`, `zh_CN.UTF-8`… → Chinese; `en`, `en-US`,
    /// `en_GB.UTF-8`… → English; anything else → `None`.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let t = tag.trim().to_ascii_lowercase();
        let base = t.split(['-', '_', '.', '@']).next().unwrap_or("");
        match base {
            "zh" => Some(Language::Chinese),
            "en" => Some(Language::English),
            _ => None,
        }
    }

    /// The language of the locale (`LC_ALL`, else `LC_MESSAGES`, else `LANG`, the first one
    /// set), if it is one we have.
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Option<Language> {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| var(v).filter(|s| !s.trim().is_empty()))
            .map(|s| Language::from_tag(&s))
            .next()
            .flatten()
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Language::Chinese => unic_langid::langid!("zh-CN"),
            Language::English => unic_langid::langid!("en"),
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Language::Chinese => "简体中文",
            Language::English => "English",
        })
    }
}

/// Why a scanned file was not imported, in the user's language (the CLI, the app and the hot
/// folder's reason files say the same sentence). `name`: the file as the reader knows it.
pub fn scan_refusal(tr: &Tr, r: &crate::model::scans::FileReport, name: &str) -> String {
    let key = match r.reason.as_deref().unwrap_or("damaged") {
        "empty" => "scan-refused-empty",
        "not_a_scan" => "scan-refused-not-a-scan",
        "too_big" => "scan-refused-too-big",
        "too_many_pixels" => "scan-refused-too-many-pixels",
        "too_many_pages" => "scan-refused-too-many-pages",
        "encrypted" => "scan-refused-encrypted",
        "no_pages" => "scan-refused-no-pages",
        "duplicate" => "scan-refused-duplicate",
        "unreadable" => "scan-refused-unreadable",
        _ => "scan-refused-damaged",
    };
    // The report's detail names, as the sentences know them (`name` is the file's original
    // name for a duplicate: `name_before`).
    const ARGS: [&str; 12] = [
        "detail",
        "looks_like",
        "size_mb",
        "limit_mb",
        "page",
        "width",
        "height",
        "limit_mp",
        "pages",
        "limit",
        "imported_at",
        "dossiers",
    ];
    let mut m = Message::new(key).arg("name", name);
    for (k, v) in &r.details {
        let arg =
            if k == "name" { "name_before" } else { ARGS.into_iter().find(|x| x == k).unwrap_or("detail") };
        // A duplicate whose pages all wait in the inbox is in no dossier yet.
        let v = if k == "dossiers" && v.is_empty() { tr.t("scan-inbox") } else { v.clone() };
        m = m.arg(arg, v);
    }
    tr.message(&m, false)
}

/// A dossier out on loan as search shows it: 借出：周瑜，应还 12-05 (or lost).
pub fn loan_note(tr: &Tr, note: &crate::model::record::LoanNote) -> String {
    if note.lost {
        tr.ta("search-loan-lost", &[("borrower", &note.borrower)])
    } else {
        tr.ta("search-on-loan", &[("borrower", &note.borrower), ("due", &short_due(&note.due))])
    }
}

/// `12-05` for a date of this year, the whole date otherwise.
pub fn short_due(due: &str) -> String {
    let this_year = chrono::Local::now().date_naive().format("%Y-").to_string();
    due.strip_prefix(&this_year).unwrap_or(due).to_string()
}

/// An RFC 3339 time (as the audit log stores it, in UTC) as local time, to the minute.
pub fn local_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.get(..16).unwrap_or(at).replace('T', " "))
}

/// The strings of one language.
pub struct Tr {
    pub language: Language,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tr").field("language", &self.language).finish()
    }
}

impl Tr {
    pub fn new(language: Language) -> Tr {
        let mut bundle = FluentBundle::new(vec![language.id()]);
        // No Unicode isolation marks around arguments: they show as boxes in some fonts.
        bundle.set_use_isolating(false);
        for source in language.sources() {
            let res = FluentResource::try_new(source.to_string()).unwrap_or_else(|(res, errors)| {
                tracing::warn!(?errors, "errors in the translations");
                res
            });
            if let Err(errors) = bundle.add_resource(res) {
                tracing::warn!(?errors, "duplicate messages in the translations");
            }
        }
        Tr { language, bundle }
    }

    /// The message `key`, or the key itself if it is missing.
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with named arguments.
    pub fn ta(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, FluentValue::from(*v));
        }
        self.format(key, Some(&fa))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut errors = Vec::new();
        self.bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// An error in this language, as the GUI shows it (never naming command-line flags).
    pub fn error(&self, e: &Error) -> String {
        self.render_error(e, false)
    }

    /// An error in this language, as the command line prints it: a key's `-cli` variant, where
    /// there is one, may name the flags to use.
    pub fn error_cli(&self, e: &Error) -> String {
        self.render_error(e, true)
    }

    fn render_error(&self, e: &Error, cli: bool) -> String {
        match e {
            // The context is itself a message; the I/O error's own text is the system's.
            Error::Io { context, source } => {
                let what = self.message(context, cli);
                self.ta("io-failed", &[("context", &what), ("detail", &source.to_string())])
            }
            _ => self.message(&e.message(), cli),
        }
    }

    /// A message (key and arguments) in this language. Arguments that name other messages
    /// (`what`, `action`, `expect`, `kind`: keys) are translated too; a value that is no key
    /// is shown as it is. (Codes such as a role's are chosen among in the translation itself.)
    pub fn message(&self, m: &Message, cli: bool) -> String {
        let mut fa = FluentArgs::new();
        for (name, value) in &m.args {
            let shown = match *name {
                "what" | "action" | "expect" | "kind" if cli && self.has(&format!("{value}-cli")) => {
                    self.t(&format!("{value}-cli"))
                }
                "what" | "action" | "expect" | "kind" if self.has(value) => self.t(value),
                _ => value.clone(),
            };
            fa.set(*name, FluentValue::from(shown));
        }
        let cli_key = format!("{}-cli", m.key);
        let key = if cli && self.has(&cli_key) { cli_key.as_str() } else { m.key };
        if !self.has(key) {
            // A key no translation has: say so in the log, show what we know.
            tracing::warn!(key, "message without a translation");
            return m.to_string();
        }
        self.format(key, Some(&fa))
    }

    /// Renders `key` with each of `args` set to a sample value: the text, or what is wrong
    /// (the key is missing, an argument it uses is not given, the pattern is broken).
    pub fn check(&self, key: &str, args: &[&str]) -> Result<String, String> {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            return Err(format!("no message {key}"));
        };
        let mut fa = FluentArgs::new();
        for a in args {
            fa.set(*a, FluentValue::from("X"));
        }
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, Some(&fa), &mut errors).into_owned();
        if errors.is_empty() { Ok(text) } else { Err(format!("{errors:?}")) }
    }

    /// Whether this language defines `key`.
    pub fn has(&self, key: &str) -> bool {
        self.bundle.has_message(key)
    }

    /// One history entry as a sentence with its local time, e.g.
    /// "2026-11-23 14:05 王芳 修改了客户资料：电话、地址".
    pub fn history(&self, e: &AuditEntry) -> String {
        format!("{} {}", local_time(&e.at), self.history_sentence(e))
    }

    /// What one audit row says, as a sentence in this language (without the time): a sentence
    /// per kind of action, naming the changed fields by their translated names.
    pub fn history_sentence(&self, e: &AuditEntry) -> String {
        let key = format!("history-{}-{}", e.entity, e.action).replace('_', "-");
        let after = e.after.as_ref();
        let title = after.and_then(|a| a.get("title")).and_then(|t| t.as_str()).unwrap_or_default();
        let fields = self.changed_fields(e.before.as_ref(), after);
        let field = |k: &str| after.and_then(|a| a.get(k)).and_then(|t| t.as_str()).unwrap_or_default();
        let args = [
            ("borrower", field("borrower")),
            ("due", field("due")),
            ("user", e.user.as_str()),
            ("id", e.entity_id.as_str()),
            ("title", title),
            ("fields", fields.as_str()),
            ("action", e.action.as_str()),
            ("entity", e.entity.as_str()),
        ];
        if self.has(&key) {
            self.ta(&key, &args)
        } else {
            self.ta(
                "history-other",
                &[("user", &e.user), ("action", &e.action), ("entity", &e.entity), ("id", &e.entity_id)],
            )
        }
    }

    /// The names of the fields that differ between two JSON records, translated
    /// (`changed-…`); custom fields by their own names. Bookkeeping fields are left out.
    fn changed_fields(
        &self,
        before: Option<&serde_json::Value>,
        after: Option<&serde_json::Value>,
    ) -> String {
        const SKIP: [&str; 6] = ["id", "dossier", "created_at", "updated_at", "closed_at", "category_path"];
        // The order the forms show them in; others after, custom fields last.
        const ORDER: [&str; 12] = [
            "name",
            "former_names",
            "id_kind",
            "id_number",
            "phones",
            "address",
            "category",
            "grade",
            "status",
            "confidential",
            "clerk",
            "notes",
        ];
        let (Some(b), Some(a)) = (before.and_then(|b| b.as_object()), after.and_then(|a| a.as_object()))
        else {
            return String::new();
        };
        let empty = serde_json::Map::new();
        let mut names = Vec::new();
        let mut keys: Vec<&String> = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))).collect();
        keys.sort_by_key(|k| {
            (ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()), k.as_str() == "custom")
        });
        for k in keys {
            if SKIP.contains(&k.as_str()) || a.get(k) == b.get(k) {
                continue;
            }
            if k == "custom" {
                let (ca, cb) = (
                    a.get(k).and_then(|v| v.as_object()).unwrap_or(&empty),
                    b.get(k).and_then(|v| v.as_object()).unwrap_or(&empty),
                );
                let custom = ca.keys().chain(cb.keys().filter(|x| !ca.contains_key(*x)));
                names.extend(custom.filter(|x| ca.get(*x) != cb.get(*x)).cloned());
                continue;
            }
            let field_key = format!("changed-{}", k.replace('_', "-"));
            names.push(if self.has(&field_key) { self.t(&field_key) } else { k.clone() });
        }
        names.join(&self.t("list-separator"))
    }

    /// The keys this language defines (for the completeness test).
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .language
            .sources()
            .iter()
            .flat_map(|s| s.lines())
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
            .filter(|k| !k.is_empty() && !k.starts_with('#') && !k.starts_with(' '))
            .collect();
        keys.sort();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys_and_arguments_work() {
        let zh = Tr::new(Language::Chinese);
        let en = Tr::new(Language::English);
        assert_eq!(zh.keys(), en.keys());
        assert!(zh.keys().len() > 50);
        assert_eq!(zh.t("nav-dossiers"), "客户档案");
        assert_eq!(en.t("nav-dossiers"), "Dossiers");
        assert_eq!(zh.ta("completeness", &[("present", "5"), ("required", "7")]), "资料完整度 5/7");
        assert_eq!(zh.t("no-such-key"), "no-such-key");
    }

    #[test]
    fn no_key_is_defined_twice() {
        for lang in Language::ALL {
            let mut seen = std::collections::BTreeSet::new();
            for k in Tr::new(lang).keys() {
                assert!(seen.insert(k.clone()), "{lang:?} defines {k} twice (a later file overrides it)");
            }
        }
    }

    use crate::model::error::DuplicateReason;
    use crate::model::ids::{IdError, normalize_phone, normalize_resident_id};
    use crate::model::{Grade, Role, User};
    use std::path::PathBuf;

    /// Renders `e` in both languages for the app and the CLI; each must be a sentence, not a
    /// key, with every argument filled in.
    fn both(e: &Error) -> (String, String) {
        let (zh, en) = (Tr::new(Language::Chinese), Tr::new(Language::English));
        for (tr, text) in
            [(&zh, zh.error(e)), (&en, en.error(e)), (&zh, zh.error_cli(e)), (&en, en.error_cli(e))]
        {
            assert!(!text.contains('{') && text != e.message().key, "{:?}: {text}", tr.language);
        }
        (zh.error(e), en.error(e))
    }

    #[test]
    fn id_errors_render_in_both_languages() {
        let wrong = normalize_resident_id("110105194912310023").unwrap_err();
        assert!(matches!(wrong, IdError::ResidentCheck { .. }));
        let (zh, en) = both(&Error::Id(wrong));
        assert_eq!(
            zh,
            "身份证号 110105194912310023 校验位错误：最后一位应为 X，而不是 3。请核对证件上的号码。"
        );
        assert!(en.contains("wrong check digit") && en.contains("should be X, not 3"), "{en}");
        let (zh, en) = both(&Error::Id(normalize_phone("87654321").unwrap_err()));
        assert!(zh.contains("缺少区号") && en.contains("no area code"), "{zh} / {en}");
    }

    #[test]
    fn duplicate_and_permission_errors_render_in_both_languages() {
        let dup = Error::Duplicate {
            reason: DuplicateReason::SameIdNumber,
            existing: "KH-2026-000001".into(),
            existing_name: "张三".into(),
        };
        let (zh, en) = both(&dup);
        assert!(zh.starts_with("重复录入") && zh.contains("KH-2026-000001（张三）"), "{zh}");
        assert!(en.starts_with("Duplicate") && en.contains("KH-2026-000001 (张三)"), "{en}");
        let viewer = User {
            id: 2,
            name: "wang".into(),
            display_name: "王芳".into(),
            role: Role::Viewer,
            disabled: false,
            created_at: String::new(),
        };
        let denied =
            crate::model::permission::check(&viewer, crate::model::permission::Permission::WriteDossiers)
                .unwrap_err();
        let (zh, en) = both(&denied);
        assert_eq!(zh, "无权限：wang 的角色是查阅员，不能修改档案。请让管理员代为操作或调整您的角色。");
        assert!(en.contains("wang is a viewer and may not change dossiers"), "{en}");
    }

    #[test]
    fn login_and_library_errors_render_in_both_languages() {
        let (zh, en) = both(&Error::Login(Message::new("login-wrong")));
        assert_eq!(zh, "登录失败：用户名或密码错误，请检查后重试。");
        assert_eq!(en, "Wrong user name or password: check both and try again.");
        let path = PathBuf::from("/srv/档案");
        let locked = Error::Locked { path: path.clone(), holder: "pid 42 on pc-1".into() };
        let (zh, en) = both(&locked);
        assert!(
            zh.contains("/srv/档案") && zh.contains("pid 42 on pc-1") && zh.contains("正被另一个"),
            "{zh}"
        );
        assert!(en.contains("in use by another Dangan process"), "{en}");
        let newer = Error::NewerLibrary { path: path.clone(), found: 9, supported: 2 };
        assert!(both(&newer).0.contains("结构版本 9，本程序最高支持 2"));
        let damaged = Error::Corrupt { path: path.clone(), detail: "file is not a database".into() };
        let (zh, _) = both(&damaged);
        assert!(zh.contains("已损坏") && !zh.contains("dangan restore"), "the app names no command: {zh}");
        assert!(Tr::new(Language::Chinese).error_cli(&damaged).contains("dangan restore"));
        let missing = Error::NoLibrary(path);
        assert!(!both(&missing).0.contains("--library"));
        assert!(Tr::new(Language::English).error_cli(&missing).contains("dangan init --library"));
    }

    #[test]
    fn input_errors_translate_the_names_inside_them() {
        // A bad choice names the kind of value in the user's language.
        let e = "very".parse::<Grade>().unwrap_err();
        let (zh, en) = both(&e);
        assert!(zh.contains("“very”不是有效的档案等级"), "{zh}");
        assert!(en.contains("is not a known grade"), "{en}");
        // A date's field is named for the app, by its flag for the CLI.
        let e = crate::model::parse_date("2024-02-30", "label-doc-date").unwrap_err();
        let (zh, en) = both(&e);
        assert!(zh.starts_with("文件日期：“2024-02-30”不是日期"), "{zh}");
        assert!(en.starts_with("The document's date"), "{en}");
        assert!(Tr::new(Language::English).error_cli(&e).starts_with("--date"));
        // A custom field's bad value says what it should be.
        let e = Error::usage("field-bad-value")
            .arg("field", "变压器容量")
            .arg("value", "abc")
            .arg("expect", "expect-decimal");
        assert_eq!(both(&e).0, "字段 变压器容量：“abc”不是数字。");
    }

    #[test]
    fn untranslated_and_io_errors_still_render() {
        let (zh, en) = both(&Error::refused("something new from today's code"));
        assert_eq!(
            (zh.as_str(), en.as_str()),
            ("something new from today's code", "something new from today's code")
        );
        let io = Error::io("io-index-create", std::io::Error::other("disk full"));
        let (zh, en) = both(&io);
        assert!(zh.starts_with("无法创建搜索索引文件夹：disk full"), "{zh}");
        assert!(en.starts_with("Cannot create the search index folder: disk full"), "{en}");
        let io = Error::io(String::from("copying scan.pdf"), std::io::Error::other("gone"));
        assert!(both(&io).1.starts_with("copying scan.pdf: gone"));
    }

    #[test]
    fn password_prompts_keep_their_trailing_space() {
        let en = Tr::new(Language::English);
        assert_eq!(en.ta("cli-password-prompt", &[("name", "admin")]), "Password for admin: ");
        assert_eq!(en.t("cli-repeat-password-prompt"), "Repeat it: ");
        assert_eq!(
            Tr::new(Language::Chinese).ta("cli-password-prompt", &[("name", "admin")]),
            "admin 的密码："
        );
    }

    #[test]
    fn languages_from_tags_and_the_locale() {
        assert_eq!(Language::from_tag("zh_CN.UTF-8"), Some(Language::Chinese));
        assert_eq!(Language::from_tag("zh-TW"), Some(Language::Chinese));
        assert_eq!(Language::from_tag("en_GB.UTF-8"), Some(Language::English));
        assert_eq!(Language::from_tag("C.UTF-8"), None);
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |v: &str| pairs.iter().find(|(k, _)| *k == v).map(|(_, x)| x.to_string())
        };
        assert_eq!(Language::from_locale(env(&[("LANG", "en_US.UTF-8")])), Some(Language::English));
        assert_eq!(
            Language::from_locale(env(&[("LANG", "en_US.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")])),
            Some(Language::Chinese)
        );
        assert_eq!(Language::from_locale(env(&[("LC_ALL", ""), ("LANG", "en")])), Some(Language::English));
        assert_eq!(Language::from_locale(env(&[])), None);
    }

    #[test]
    fn history_entries_are_sentences_naming_the_changed_fields() {
        let entry =
            |action: &str, before: Option<serde_json::Value>, after: Option<serde_json::Value>| AuditEntry {
                seq: 7,
                at: "2026-11-23T06:05:00Z".into(),
                user: "王芳".into(),
                action: action.into(),
                entity: "customer".into(),
                entity_id: "KH-2026-000001".into(),
                dossier: Some("KH-2026-000001".into()),
                before,
                after,
                hash: String::new(),
            };
        let before = serde_json::json!({"name": "张三", "phones": ["1"], "address": "a", "updated_at": "x",
                                        "custom": {"户号": "1"}});
        let after = serde_json::json!({"name": "张三", "phones": ["2"], "address": "b", "updated_at": "y",
                                       "custom": {"户号": "2"}});
        let e = entry("update", Some(before), Some(after));
        let (zh, en) = (Tr::new(Language::Chinese), Tr::new(Language::English));
        assert_eq!(zh.history_sentence(&e), "王芳 修改了客户资料：电话、地址、户号");
        assert_eq!(en.history_sentence(&e), "王芳 changed the customer's details: phone, address, 户号");
        assert!(zh.history(&e).ends_with(" 王芳 修改了客户资料：电话、地址、户号"));
        assert!(zh.history(&e).starts_with("2026-11-23 "));
        let unknown = AuditEntry { entity: "scanner".into(), ..entry("calibrate", None, None) };
        assert_eq!(en.history_sentence(&unknown), "王芳: calibrate scanner KH-2026-000001");
    }
}
