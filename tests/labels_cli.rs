//! Labels printed from a library through the command line, read back as a clerk's scanner
//! would: `pdftoppm` renders each PDF at 200 and 300 dpi, `zbarimg` decodes every barcode on
//! it, and `where` resolves every code decoded.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use util::*;

/// Every barcode on every page of a PDF, rendered at `dpi`.
fn decode(pdf: &Path, dpi: u32) -> BTreeSet<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let prefix = dir.path().join("page");
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-png"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(out.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&out.stderr));
    let mut pages: Vec<PathBuf> =
        std::fs::read_dir(dir.path()).expect("read").filter_map(|e| e.ok().map(|e| e.path())).collect();
    pages.sort();
    let mut codes = BTreeSet::new();
    for p in pages {
        let out = Command::new("zbarimg")
            .args(["-q", "--raw"])
            .arg(&p)
            .output()
            .expect("zbarimg (zbar-tools) is installed");
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if !line.trim().is_empty() {
                codes.insert(line.trim().to_string());
            }
        }
    }
    codes
}

struct Room {
    lib: Lib,
    shelf: String,
    boxes: Vec<String>,
    dossiers: Vec<String>,
}

fn room() -> Room {
    let lib = Lib::new();
    let shelf = lib.json(&["location", "add", "档案室A/1排/3列/2层"])["location"]["code"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let boxes: Vec<String> = (0..2)
        .map(|_| {
            lib.json(&["box", "add", "--location", "档案室A/1排/3列/2层"])["code"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let dossiers: Vec<String> = ["欧阳娜娜", "司马相如", "张伟"]
        .iter()
        .map(|n| lib.add_customer(&["--name", n, "--phone", "13912345678", "--force"]))
        .collect();
    for (i, d) in dossiers.iter().enumerate() {
        lib.admin(&["file", d, &boxes[i % 2]]).ok();
    }
    Room { lib, shelf, boxes, dossiers }
}

fn print(r: &Room, args: &[&str]) -> (PathBuf, serde_json::Value) {
    let out = r.lib.dir.path().join(format!("labels-{}.pdf", args.join("_").replace(['/', ' '], "-")));
    let mut a = vec!["labels"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--out", out.to_str().unwrap_or("")]);
    let v = r.lib.json(&a);
    (out, v)
}

#[test]
fn every_printed_barcode_reads_back_with_a_real_scanner_to_a_code_where_resolves() {
    let r = room();
    let jobs: Vec<(Vec<&str>, Vec<String>)> = vec![
        (vec!["box", &r.boxes[0], &r.boxes[1]], r.boxes.clone()),
        (vec!["box", "--face", "front", &r.boxes[0]], vec![r.boxes[0].clone()]),
        (vec!["folder", &r.dossiers[0], &r.dossiers[1], &r.dossiers[2]], r.dossiers.clone()),
        (vec!["cover", &r.dossiers[0]], vec![r.dossiers[0].clone()]),
        (vec!["location", &r.shelf], vec![r.shelf.clone()]),
    ];
    for (args, expected) in jobs {
        let (pdf, v) = print(&r, &args);
        assert_eq!(v["labels"].as_u64(), Some(expected.len() as u64), "{args:?}: {v}");
        for dpi in [200, 300] {
            let codes = decode(&pdf, dpi);
            for code in &expected {
                assert!(codes.contains(code), "{args:?} at {dpi} dpi: {code} not read back, got {codes:?}");
            }
            for code in codes.iter().filter(|c| !c.contains('|')) {
                let w = r.lib.json(&["where", code]);
                assert!(w["kind"].is_string(), "{code} read from {args:?} does not resolve: {w}");
            }
        }
    }
}

#[test]
fn borrower_cards_read_back_with_a_real_scanner_and_lend_in_two_scans() {
    let r = room();
    let zhou =
        r.lib.json(&["borrower", "add", "周瑜", "--dept", "营销部"])["code"].as_str().unwrap().to_string();
    let li =
        r.lib.json(&["borrower", "add", "李四", "--unit", "市公安局"])["code"].as_str().unwrap().to_string();
    let (pdf, v) = print(&r, &["borrower", &zhou, "李四"]);
    assert_eq!(v["labels"], 2);
    let read = decode(&pdf, 200);
    assert_eq!(read, [zhou.clone(), li.clone()].into_iter().collect());
    assert_eq!(decode(&pdf, 300), read);
    // The card read back is what the desk scans: card, then dossier.
    let code = read.iter().next().unwrap();
    assert_eq!(r.lib.json(&["where", code])["kind"], "borrower");
    r.lib.json(&["loan", "out", &r.dossiers[0], "--to", code]);
    // Without names: every borrower's card.
    let (_, v) = print(&r, &["borrower"]);
    assert_eq!(v["labels"], 2);
    // A card on a spine strip is refused: the stock is not for it.
    let out = r.lib.dir.path().join("x.pdf");
    r.lib
        .admin(&["labels", "borrower", &zhou, "--stock", "spine-40", "--out", out.to_str().unwrap()])
        .fails(2, "");
}

#[test]
fn batches_print_every_box_on_a_shelf_and_every_dossier_filed_today_in_one_pdf() {
    let r = room();
    let (pdf, v) = print(&r, &["box", "--under", "档案室A/1排"]);
    assert_eq!(v["labels"], 2);
    assert_eq!(decode(&pdf, 200), r.boxes.iter().cloned().collect());
    let (pdf, v) = print(&r, &["folder", "--today"]);
    assert_eq!(v["labels"], 3);
    assert_eq!(decode(&pdf, 200), r.dossiers.iter().cloned().collect());
    let (_, v) = print(&r, &["folder", "--in-box", &r.boxes[0]]);
    assert_eq!(v["labels"], 2);
    let (_, v) = print(&r, &["location", "--under", "档案室A"]);
    assert_eq!(v["labels"], 4, "room, rack, column, shelf");
}

#[test]
fn a_partly_used_sheet_and_a_calibrated_printer_are_taken_into_account() {
    let r = room();
    r.lib.admin(&["labels", "calibrate", "仓库打印机", "--x", "1.5", "--y", "-0.5"]).ok();
    let p = r.lib.json(&["labels", "printers"]);
    assert_eq!(p["仓库打印机"]["x_mm"], 1.5);
    let (pdf, v) = print(&r, &["folder", &r.dossiers[0], "--start", "20", "--printer", "仓库打印机"]);
    assert_eq!(v["labels"], 1);
    assert!(decode(&pdf, 200).contains(&r.dossiers[0]));
    // 21 labels a sheet: position 22 does not exist.
    let out = r.lib.dir.path().join("bad.pdf");
    r.lib
        .admin(&["labels", "folder", &r.dossiers[0], "--start", "22", "--out", out.to_str().unwrap_or("")])
        .fails(2, "22");
    r.lib
        .admin(&[
            "labels",
            "folder",
            &r.dossiers[0],
            "--printer",
            "nobody",
            "--out",
            out.to_str().unwrap_or(""),
        ])
        .fails(3, "nobody");
    assert!(!out.exists(), "nothing is written when the job is refused");
}

#[test]
fn bad_label_jobs_are_refused_clearly_and_leave_no_file() {
    let r = room();
    let dir = r.lib.dir.path();
    let out = dir.join("x.pdf");
    let o = out.to_str().unwrap_or("");
    r.lib
        .admin(&["labels", "folder", &r.dossiers[0], "--stock", "no-such-stock", "--out", o])
        .fails(3, "no-such-stock");
    // A cover sheet is A4: a folder sheet is not meant for it.
    r.lib.admin(&["labels", "cover", &r.dossiers[0], "--stock", "a4-3x7", "--out", o]).fails(2, "a4-3x7");
    r.lib.admin(&["labels", "box", "BX00000019", "--out", o]).fails(2, "check digit");
    r.lib.admin(&["labels", "folder", "KH-2099-999999", "--out", o]).fails(3, "KH-2099-999999");
    assert!(!out.exists());
    // A folder that does not exist: the PDF cannot be written, and no temporary file is left.
    let missing = dir.join("no-such-folder").join("x.pdf");
    r.lib
        .admin(&["labels", "folder", &r.dossiers[0], "--out", missing.to_str().unwrap_or("")])
        .fails(1, "Could not write");
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .expect("read")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_confidential_dossier_s_labels_need_the_right_to_see_it() {
    let r = room();
    r.lib.add_user("clerk1", "clerk");
    let secret = r.lib.add_customer(&["--name", "机密客户", "--confidential"]);
    let out = r.lib.dir.path().join("c.pdf");
    r.lib.run_as("clerk1", &["labels", "cover", &secret, "--out", out.to_str().unwrap_or("")]).fails(5, "");
    assert!(!out.exists());
    r.lib.admin(&["labels", "cover", &secret, "--out", out.to_str().unwrap_or("")]).ok();
    assert!(decode(&out, 200).contains(&secret));
}

#[test]
fn labels_stocks_lists_the_built_in_stocks_and_the_library_s_own() {
    let r = room();
    let v = r.lib.json(&["labels", "stocks"]);
    let ids: Vec<&str> =
        v.as_array().expect("array").iter().map(|s| s["id"].as_str().unwrap_or("")).collect();
    for id in ["a4-3x7", "a4-2x7", "a4-2x4", "roll-100x50", "roll-60x40", "spine-20", "spine-50", "a4-full"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let own = r.lib.path.join("labels");
    std::fs::create_dir_all(&own).expect("mkdir");
    std::fs::write(
        own.join("my-roll.toml"),
        "id = \"my-roll\"\nname_zh = \"我的卷标\"\nname_en = \"My roll\"\nkind = \"roll\"\nsuits = [\"folder\"]\n\
         page_width_mm = 70.0\npage_height_mm = 30.0\nlabel_width_mm = 70.0\nlabel_height_mm = 30.0\ncolumns = 1\nrows = 1\n",
    )
    .expect("write stock");
    let v = r.lib.json(&["labels", "stocks"]);
    assert!(v.as_array().expect("array").iter().any(|s| s["id"] == "my-roll"), "{v}");
    let (pdf, _) = print(&r, &["folder", &r.dossiers[1], "--stock", "my-roll"]);
    assert!(decode(&pdf, 300).contains(&r.dossiers[1]));
}
