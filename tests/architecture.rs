//! The house, drawn from the code: which layer may use which, checked by module path. Each file
//! under `src/` belongs to the layer of its first path component; every `crate::<module>` it
//! names and every external crate it reaches must be allowed for that layer (ARCHITECTURE.md).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// (layer, modules of this crate it may use, external crates it must not use)
const RULES: &[(&str, &[&str], &[&str])] = &[
    ("model", &[], &["iced", "tantivy", "rusqlite", "fluent_bundle"]),
    ("i18n", &["model"], &["iced", "tantivy", "rusqlite"]),
    ("store", &["model"], &["iced", "tantivy", "fluent_bundle"]),
    ("search", &["model"], &["iced", "rusqlite", "fluent_bundle"]),
    ("labels", &["model"], &["iced", "rusqlite", "tantivy"]),
    ("scan", &["model", "labels"], &["iced", "rusqlite", "tantivy"]),
    ("core", &["model", "store", "search", "labels", "scan", "tabular"], &["iced", "fluent_bundle"]),
    ("demo", &["model", "core", "store", "search", "labels", "scan"], &["iced", "fluent_bundle"]),
    ("cli", &["model", "core", "demo", "bench", "i18n", "search"], &["iced", "rusqlite", "tantivy"]),
    ("gui", &["model", "core", "demo", "i18n", "search", "gui"], &["rusqlite", "tantivy"]),
    ("bench", &["model", "core", "demo", "store", "search", "gui", "i18n", "labels", "scan", "tabular"], &[]),
    ("logfile", &[], &["iced", "rusqlite", "tantivy"]),
    ("tabular", &["model"], &["iced", "rusqlite", "tantivy", "fluent_bundle"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without its comments and its `#[cfg(test)]` module (tests may reach
/// anywhere).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The identifiers that follow `prefix` (e.g. `crate::` → `core`, `store`).
fn after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

/// External crates a file uses: `use name::` / `name::` at a path start, and `{`-grouped uses.
fn uses_crate(code: &str, name: &str) -> bool {
    let needle = format!("{name}::");
    code.match_indices(&needle).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
    })
}

#[test]
fn no_layer_reaches_a_layer_it_may_not_use() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    let mut seen_layers = BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_str().unwrap();
        let layer = first.trim_end_matches(".rs");
        if matches!(layer, "lib" | "main") {
            continue;
        }
        let Some((_, allowed, forbidden)) = RULES.iter().find(|(l, _, _)| *l == layer) else {
            problems.push(format!("{}: layer `{layer}` has no rule in tests/architecture.rs", rel.display()));
            continue;
        };
        seen_layers.insert(layer.to_string());
        let code = code(&std::fs::read_to_string(file).unwrap());
        for used in after(&code, "crate::") {
            if used != layer && !allowed.contains(&used.as_str()) {
                problems.push(format!("{}: `{layer}` uses crate::{used}", rel.display()));
            }
        }
        for name in *forbidden {
            if uses_crate(&code, name) {
                problems.push(format!("{}: `{layer}` uses the `{name}` crate", rel.display()));
            }
        }
    }
    assert!(seen_layers.contains("model") && seen_layers.contains("core"), "the scan found no layers");
    assert!(problems.is_empty(), "imports against ARCHITECTURE.md:\n{}", problems.join("\n"));
}

#[test]
fn the_checker_sees_an_upward_import() {
    let code = code("use crate::core::Session;\n// crate::gui in a comment\nfn f() { tantivy::doc!(); }");
    assert_eq!(after(&code, "crate::"), BTreeSet::from(["core".to_string()]));
    assert!(uses_crate(&code, "tantivy"));
    assert!(!uses_crate("use my_tantivy::x;", "tantivy"));
}

#[test]
fn views_use_named_theme_styles_not_colour_literals() {
    let gui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join("gui");
    let mut files = Vec::new();
    rust_files(&gui, &mut files);
    let mut problems = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("theme.rs")) {
        let code = code(&std::fs::read_to_string(file).unwrap());
        for needle in ["color!(", ".color(", "Color::from_rgb"] {
            if code.contains(needle) {
                problems
                    .push(format!("{}: `{needle}` (use a style function from gui::theme)", file.display()));
            }
        }
    }
    assert!(problems.is_empty(), "colour literals in views:\n{}", problems.join("\n"));
}

/// The 16 MB font is in the binary once: a `const` holding it was copied into every crate
/// that used it (the app's theme and the labels), which made the binary 16 MB bigger.
#[test]
fn the_bundled_font_is_in_the_binary_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let font = std::fs::read(root.join("assets/fonts/NotoSansCJKsc-Regular.otf")).unwrap();
    let binary = std::fs::read(env!("CARGO_BIN_EXE_dangan")).unwrap();
    let needle = &font[4096..4096 + 64];
    let copies = binary.windows(needle.len()).filter(|w| *w == needle).count();
    assert_eq!(copies, 1, "the font's bytes appear {copies} times in the binary");
}
