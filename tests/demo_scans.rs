//! The demo's scanned pages: older dossiers have their papers scanned (checklists complete),
//! the newest are registered but not scanned, the inbox holds a batch without a cover sheet
//! and one behind an unknown dossier's cover sheet, the pages open, export and are found by
//! their text, and the library verifies — also after a demo killed while scanning is finished.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use util::{ADMIN_PW, Lib};

fn demo(args: &[&str], envs: &[(&str, &str)]) -> (Lib, util::Run) {
    let lib = Lib::empty();
    let mut all = vec![("DANGAN_PASSWORD", ADMIN_PW)];
    all.extend_from_slice(envs);
    let r = lib.run_env(args, &all);
    (lib, r)
}

fn strings(lib: &Lib, sql: &str) -> Vec<String> {
    let c = lib.sql();
    let mut st = c.prepare(sql).unwrap();
    st.query_map([], |r| r.get::<_, String>(0)).unwrap().map(|r| r.unwrap()).collect()
}

/// Dossiers with papers, and those of them with at least one page scanned, among the dossiers
/// registered before the newest `newest`.
fn scanned_share(lib: &Lib, newest: i64) -> (i64, i64) {
    let older = format!(
        "c.id <= (SELECT max(id) FROM customers) - {newest}
         AND EXISTS (SELECT 1 FROM documents d WHERE d.customer_id = c.id)"
    );
    let with_papers = lib.count(&format!("SELECT count(*) FROM customers c WHERE {older}"));
    let scanned = lib.count(&format!(
        "SELECT count(*) FROM customers c WHERE {older} AND EXISTS
         (SELECT 1 FROM documents d JOIN pages p ON p.document_id = d.id WHERE d.customer_id = c.id)"
    ));
    (with_papers, scanned)
}

#[test]
fn a_demo_has_scanned_pages_an_inbox_and_unscanned_recent_dossiers() {
    let (lib, r) = demo(&["--json", "demo", "--customers", "240", "--seed", "3"], &[]);
    let report = r.json();
    let filed = report["scanned_pages"].as_i64().unwrap();
    assert_eq!(filed, lib.count("SELECT count(*) FROM pages WHERE document_id IS NOT NULL"), "{report}");
    assert!(report["scan_files"].as_i64().unwrap() >= 2, "{report}");

    // Older dossiers: nearly all scanned, most of their papers with every page.
    let (with_papers, scanned) = scanned_share(&lib, 10);
    assert!(scanned * 100 >= with_papers * 95, "{scanned} of {with_papers} older dossiers scanned");
    let papers = lib.count(
        "SELECT count(*) FROM documents d JOIN customers c ON c.id = d.customer_id
                            WHERE c.id <= (SELECT max(id) FROM customers) - 10",
    );
    let papers_scanned = lib.count(
        "SELECT count(*) FROM documents d JOIN customers c ON c.id = d.customer_id
         WHERE c.id <= (SELECT max(id) FROM customers) - 10
           AND (SELECT count(*) FROM pages p WHERE p.document_id = d.id) = max(d.pages, 1)",
    );
    assert!(
        papers_scanned * 100 >= papers * 85 && papers_scanned * 100 <= papers * 97,
        "{papers_scanned} of {papers} papers scanned"
    );

    // Their checklists count the scanned papers: a dossier with every required paper
    // registered and scanned is complete.
    let complete = strings(
        &lib,
        "SELECT c.dossier_no FROM customers c
         WHERE c.id <= (SELECT max(id) FROM customers) - 10 AND c.category_id IN
               (SELECT id FROM categories WHERE code = 'RES-LV')
           AND (SELECT count(DISTINCT t.code) FROM documents d JOIN doc_types t ON t.id = d.doc_type_id
                WHERE d.customer_id = c.id AND t.code IN ('ID', 'APP', 'CONTRACT', 'PROPERTY')
                  AND EXISTS (SELECT 1 FROM pages p WHERE p.document_id = d.id)) = 4
         ORDER BY c.id LIMIT 3",
    );
    assert_eq!(complete.len(), 3, "residential dossiers with their four papers scanned");
    for d in &complete {
        let shown = lib.json(&["customer", "show", d]);
        let c = &shown["completeness"];
        assert_eq!(c["present"], c["required"], "{d}: {c}");
        for item in c["items"].as_array().unwrap() {
            assert!(item["scanned"].as_i64().unwrap() >= 1, "{d}: {item}");
        }
    }

    // The newest dossiers are registered but not scanned yet: the 工作台's list.
    let unscanned = report["unscanned_dossiers"].as_i64().unwrap();
    assert!(unscanned >= 3, "{report}");
    let newest = strings(&lib, "SELECT dossier_no FROM customers ORDER BY id DESC LIMIT 1").remove(0);
    assert_eq!(
        lib.count(&format!(
            "SELECT count(*) FROM pages p JOIN documents d ON d.id = p.document_id
             JOIN customers c ON c.id = d.customer_id WHERE c.dossier_no = '{newest}'"
        )),
        0,
        "the newest dossier is not scanned yet"
    );

    // The inbox: a batch without a cover sheet, and pages behind an unknown dossier's cover.
    let inbox = lib.json(&["scan", "inbox"]);
    assert_eq!(inbox["total"].as_i64().unwrap(), report["inbox_pages"].as_i64().unwrap(), "{inbox}");
    let reasons: Vec<String> = inbox["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["inbox_reason"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(reasons.iter().any(|r| r == "no_cover"), "{inbox}");
    assert!(reasons.iter().any(|r| r == "unknown_dossier"), "{inbox}");
    let text = lib.admin(&["scan", "inbox"]).ok().to_string();
    assert!(text.contains("|CONTRACT"), "the unknown cover sheet's code is shown: {text}");

    // Most pages have text (as if OCR had run).
    let pages = lib.count("SELECT count(*) FROM pages");
    let with_text = lib.count("SELECT count(*) FROM page_text");
    assert!(with_text * 100 >= pages * 90, "{with_text} of {pages} pages with text");

    // The files are stored once each, content-addressed, and the library verifies.
    assert_eq!(
        lib.count("SELECT count(DISTINCT sha256) FROM files"),
        lib.count("SELECT count(*) FROM files")
    );
    for (sha, size) in strings(&lib, "SELECT sha256 || ' ' || size FROM files")
        .iter()
        .map(|s| s.split_once(' ').map(|(a, b)| (a.to_string(), b.parse::<u64>().unwrap())).unwrap())
    {
        let path = std::path::Path::new(lib.p()).join("files").join(&sha[0..2]).join(&sha[2..4]).join(&sha);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), size, "{}", path.display());
    }
    lib.admin(&["verify"]).ok();
}

#[test]
fn a_demo_page_shows_exports_and_its_text_finds_the_dossier() {
    let (lib, r) = demo(&["--json", "demo", "--customers", "120", "--seed", "4"], &[]);
    r.ok();
    // A dossier's own page: its name, a receipt number and its dossier number.
    let row = strings(
        &lib,
        "SELECT c.dossier_no || ' ' || p.id || ' ' || t.text FROM page_text t JOIN pages p ON p.id = t.page_id
         JOIN documents d ON d.id = p.document_id JOIN customers c ON c.id = d.customer_id
         WHERE t.text LIKE '%业务受理号：%' ORDER BY p.id LIMIT 1",
    )
    .remove(0);
    let mut parts = row.splitn(3, ' ');
    let (dossier, page, text) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    assert!(text.contains(dossier), "{text}");
    let receipt = text.lines().find_map(|l| l.strip_prefix("业务受理号：")).unwrap();

    let shown = lib.admin(&["scan", "pages", dossier]).ok().to_string();
    assert!(shown.contains(".tif"), "{shown}");
    let pages = lib.json(&["scan", "pages", dossier]);
    assert!(
        pages["pages"].as_array().unwrap().iter().any(|p| p["id"].as_i64() == page.parse().ok()),
        "{pages}"
    );

    let out = std::env::temp_dir().join(format!("dangan-demo-scans-{}.png", std::process::id()));
    lib.admin(&["scan", "export", page, "--out", out.to_str().unwrap()]).ok();
    let img = image::open(&out).unwrap();
    std::fs::remove_file(&out).ok();
    assert_eq!((img.width(), img.height()), (827, 1169), "an A4 page at 100 dpi");
    // The page has ink: its text and barcode.
    let dark = img.to_luma8().pixels().filter(|p| p.0[0] < 128).count();
    assert!(dark > 2000, "{dark} dark pixels");

    // A phrase of the page's text finds its dossier.
    let hits = lib.json(&["search", receipt]);
    assert_eq!(hits[0]["dossier"].as_str(), Some(dossier), "{receipt}: {hits}");
}

#[test]
fn a_demo_killed_while_scanning_finishes_into_the_same_scans() {
    let args = ["--json", "demo", "--customers", "200", "--seed", "7", "--batch", "50"];
    let (killed, r) = demo(&args, &[("DANGAN_FAULT", "demo-after-scan-batch")]);
    assert_ne!(r.code, 0, "the fault point kills the demo");
    let files = killed.count("SELECT count(*) FROM files");
    assert!(files > 0, "the inbox's batch was written before the kill");
    killed.admin(&["verify"]).fails(4, "stopped before it was finished");
    let report = killed.run_env(&["--json", "demo", "--finish"], &[]).json();
    assert!(report["scan_files"].as_i64().unwrap() > files, "{report}");
    killed.admin(&["verify"]).ok();

    let (whole, r) = demo(&args, &[]);
    r.ok();
    let scans =
        "SELECT f.sha256 || ' ' || f.original_name || ' ' || p.page_no || ' ' || coalesce(p.document_id, '-')
                 || ' ' || p.created_at FROM pages p JOIN files f ON f.id = p.file_id ORDER BY p.id";
    assert_eq!(strings(&killed, scans), strings(&whole, scans), "finishing gives the same scans");
    let blobs = |lib: &Lib| {
        let mut n = 0;
        for a in std::fs::read_dir(std::path::Path::new(lib.p()).join("files")).unwrap() {
            let a = a.unwrap().path();
            if a.file_name().unwrap() == ".incoming" {
                assert_eq!(std::fs::read_dir(&a).unwrap().count(), 0, "nothing left staged");
                continue;
            }
            for b in std::fs::read_dir(a).unwrap() {
                n += std::fs::read_dir(b.unwrap().path()).unwrap().count();
            }
        }
        n
    };
    assert_eq!(blobs(&killed), blobs(&whole), "no blob left over from the killed run");
}
