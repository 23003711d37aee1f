//! Scanned attachments through the real binary: cover sheets printed by our own labels code,
//! rendered by poppler (pdftoppm) and "scanned" by ImageMagick (noise, a slight turn, 200/300
//! dpi, Group 4 TIFF, PDF), routed into the right dossiers; the inbox filed by hand; pages
//! turned and taken out; the checklist counting scanned papers; OCR when Tesseract is there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

use util::*;

fn have(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().is_ok_and(|o| o.status.success())
}

fn sh(cmd: &mut Command) {
    let out = cmd.output().expect("run tool");
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A cover sheet for `dossier|ty`, printed by `dangan labels cover`, rendered at `dpi` and
/// scanned: turned by `turn` degrees, with noise, in grey.
fn cover_scan(lib: &Lib, dir: &Path, dossier: &str, ty: Option<&str>, dpi: u32, turn: f64) -> PathBuf {
    let pdf = dir.join(format!("cover-{dossier}-{}.pdf", ty.unwrap_or("none")));
    let mut args = vec!["labels", "cover", dossier, "--stock", "a4-full", "--out", pdf.to_str().unwrap()];
    if let Some(t) = ty {
        args.extend(["--type", t]);
    }
    lib.admin(&args).ok();
    let stem = dir.join(format!("cover-{dossier}-{}-{dpi}", ty.unwrap_or("none")));
    sh(Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-png", "-singlefile"])
        .arg(&pdf)
        .arg(&stem));
    let png = stem.with_extension("png");
    let out = dir.join(format!("scan-{dossier}-{}-{dpi}.png", ty.unwrap_or("none")));
    sh(Command::new("convert")
        .arg(&png)
        .args([
            "-background",
            "white",
            "-rotate",
            &turn.to_string(),
            "+repage",
            "-attenuate",
            "0.4",
            "+noise",
            "Gaussian",
        ])
        .args(["-colorspace", "Gray"])
        .arg(&out));
    out
}

/// A page of "text" at A4 `dpi`.
fn text_page(dir: &Path, name: &str, lines: &[&str], dpi: u32) -> PathBuf {
    let (w, h) = (dpi * 827 / 100, dpi * 1169 / 100);
    let out = dir.join(format!("{name}.png"));
    let font = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/NotoSansCJKsc-Regular.otf");
    let mut cmd = Command::new("convert");
    cmd.args(["-size", &format!("{w}x{h}"), "xc:white", "-font", font, "-pointsize", &(dpi / 5).to_string()]);
    for (i, l) in lines.iter().enumerate() {
        cmd.args(["-draw", &format!("text {},{} '{}'", dpi, dpi * 2 + i as u32 * dpi / 2, l)]);
    }
    cmd.args(["-attenuate", "0.2", "+noise", "Gaussian", "-colorspace", "Gray"]).arg(&out);
    sh(&mut cmd);
    out
}

/// A blank back side: paper tone and scanner noise only.
fn blank_page(dir: &Path, dpi: u32) -> PathBuf {
    let (w, h) = (dpi * 827 / 100, dpi * 1169 / 100);
    let out = dir.join(format!("blank-{dpi}.png"));
    sh(Command::new("convert")
        .args([
            "-size",
            &format!("{w}x{h}"),
            "xc:gray97",
            "-attenuate",
            "0.3",
            "+noise",
            "Gaussian",
            "-colorspace",
            "Gray",
        ])
        .arg(&out));
    out
}

fn tools() -> bool {
    let ok = have("convert") && have("pdftoppm");
    if !ok {
        eprintln!(
            "skipped: needs ImageMagick (convert) and poppler-utils (pdftoppm); scripts/setup-debian.sh installs them"
        );
    }
    ok
}

#[test]
fn a_batch_with_cover_sheets_files_each_dossiers_pages_and_the_rest_waits_in_the_inbox() {
    if !tools() {
        return;
    }
    let lib = Lib::new();
    let a = lib.add_customer(&["--name", "张三"]);
    let b = lib.add_customer(&["--name", "李四"]);
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // One Group 4 TIFF, 200 dpi, as an office scanner writes a batch: a stray page, a cover
    // for 张三's ID papers, two pages with a blank back side between, a cover for 李四's
    // contract (300 dpi, turned the other way), one page, a cover for a dossier that does not
    // exist, one page.
    let stray = text_page(d, "stray", &["无封面的一页"], 200);
    let cover_a = cover_scan(&lib, d, &a, Some("ID"), 200, 1.5);
    let p1 = text_page(d, "a1", &["身份证复印件 正面", "张三 110101199003071234"], 200);
    let blank = blank_page(d, 200);
    let p2 = text_page(d, "a2", &["身份证复印件 反面"], 200);
    let cover_b = cover_scan(&lib, d, &b, Some("CONTRACT"), 300, -1.0);
    let p3 = text_page(d, "b1", &["供用电合同 第一页"], 300);
    // A cover printed by another library, for a dossier this one does not have.
    let other = Lib::new();
    let foreign: Vec<String> =
        ["甲", "乙", "丙"].iter().map(|n| other.add_customer(&["--name", n])).collect();
    let cover_x = cover_scan(&other, d, &foreign[2], Some("ID"), 200, 0.5);
    let p4 = text_page(d, "x1", &["不存在的档案的一页"], 200);
    let batch = d.join("batch.tif");
    let mut cmd = Command::new("convert");
    for p in [&stray, &cover_a, &p1, &blank, &p2, &cover_b, &p3, &cover_x, &p4] {
        cmd.arg(p);
    }
    sh(cmd.args(["-threshold", "55%", "-compress", "Group4"]).arg(&batch));

    let out = lib.admin(&["--json", "scan", "import", batch.to_str().unwrap()]);
    let report = out.json();
    let file = &report[0];
    assert_eq!(file["outcome"], "imported", "{report}");
    let fates: Vec<String> =
        file["pages"].as_array().unwrap().iter().map(|p| p["fate"].as_str().unwrap().to_string()).collect();
    assert_eq!(
        fates,
        ["inbox", "cover", "filed", "blank", "filed", "cover", "filed", "inbox", "inbox"],
        "{report}"
    );
    assert_eq!(file["pages"][0]["reason"], "no_cover");
    assert_eq!(file["pages"][2]["dossier"], a.as_str());
    assert_eq!(file["pages"][2]["doc_type"], "ID");
    assert_eq!(file["pages"][6]["dossier"], b.as_str());
    assert_eq!(
        file["pages"][7]["reason"], "unknown_dossier",
        "the unknown dossier's cover is kept in the inbox"
    );
    assert_eq!(file["pages"][8]["code"], format!("{}|ID", foreign[2]));

    // 张三's dossier: one ID document with two pages, the checklist counts it scanned.
    let pages = lib.json(&["scan", "pages", &a]);
    assert_eq!(pages["pages"].as_array().unwrap().len(), 2);
    let show = lib.json(&["customer", "show", &a]);
    let id_doc =
        show["documents"].as_array().unwrap().iter().find(|x| x["doc_type"] == "ID").unwrap().clone();
    assert_eq!((id_doc["scanned_pages"].as_i64(), id_doc["pages"].as_i64()), (Some(2), Some(2)));
    let item =
        show["completeness"]["items"].as_array().unwrap().iter().find(|i| i["doc_type"] == "ID").cloned();
    if let Some(item) = item {
        assert_eq!(item["scanned"], 1, "{item}");
    }

    // The same file again is refused (exit 4), saying when it came, in Chinese and English.
    let again = lib.admin(&["--lang", "zh-CN", "scan", "import", batch.to_str().unwrap()]);
    assert_eq!(again.code, 4);
    assert!(again.stdout.contains("未重复导入"), "{}", again.stdout);
    let again = lib.admin(&["--lang", "en", "scan", "import", batch.to_str().unwrap()]);
    assert!(again.stdout.contains("not imported again"), "{}", again.stdout);
    assert_eq!(lib.count("SELECT count(*) FROM files"), 1);

    // The inbox: three pages; file the stray page into 李四's dossier as an ID paper.
    let inbox = lib.json(&["scan", "inbox"]);
    assert_eq!(inbox["total"], 3, "{inbox}");
    let stray_id = file["pages"][0]["page_id"].as_i64().unwrap().to_string();
    lib.admin(&["scan", "file", &stray_id, &b, "--type", "ID"]).ok();
    assert_eq!(lib.json(&["scan", "inbox"])["total"], 2);
    lib.admin(&["scan", "file", &stray_id, &a, "--type", "ID"]).fails(4, &b);
    // Turn it, take it out again: metadata only, the stored file is unchanged.
    let turned = lib.json(&["scan", "rotate", &stray_id, "-90"]);
    assert_eq!(turned["rotation"], 270);
    lib.admin(&["scan", "unfile", &stray_id]).ok();
    assert_eq!(lib.json(&["scan", "inbox"])["total"], 3);
    // A page exported as PNG is upright and the size asked for.
    let png = d.join("page.png");
    let filed_id = file["pages"][2]["page_id"].as_i64().unwrap().to_string();
    lib.admin(&["scan", "export", &filed_id, "--out", png.to_str().unwrap(), "--side", "400"]).ok();
    let (w, h) = image_size(&png);
    assert!(h == 400 && w < h, "{w}×{h}");

    // Every step is in the audit log, and the library verifies.
    let audit = lib.json(&["audit", "--dossier", &a]);
    assert!(audit.as_array().unwrap().iter().any(|r| r["entity"] == "document" && r["action"] == "create"));
    assert!(lib.count("SELECT count(*) FROM audit_log WHERE entity = 'page'") >= 3);
    let v = lib.json(&["verify"]);
    assert_eq!(v["ok"], true, "{v}");
}

/// A PDF as a scanner writes one: each page a JPEG (DCTDecode) filling an A4-sized page at
/// `dpi`. (ImageMagick's policy on Debian forbids writing PDFs, so the test writes it.)
fn scanner_pdf(jpegs: &[PathBuf], dpi: u32) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    let n = jpegs.len();
    // Objects: 1 catalog, 2 pages, then per page: page, image, contents.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + i * 3)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    for (i, j) in jpegs.iter().enumerate() {
        let bytes = std::fs::read(j).unwrap();
        let (w, h) = image_size(j);
        let (pw, ph) = (w as f64 * 72.0 / dpi as f64, h as f64 * 72.0 / dpi as f64);
        let (_page, img, content) = (3 + i * 3, 4 + i * 3, 5 + i * 3);
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2} {ph:.2}] /Resources << /XObject << /Im{i} {img} 0 R >> >> /Contents {content} 0 R >>"
            )
            .into_bytes(),
        );
        let mut o = format!(
            "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
            bytes.len()
        )
        .into_bytes();
        o.extend_from_slice(&bytes);
        o.extend_from_slice(b"\nendstream");
        objects.push(o);
        let c = format!("q {pw:.2} 0 0 {ph:.2} 0 0 cm /Im{i} Do Q");
        objects.push(format!("<< /Length {} >>\nstream\n{c}\nendstream", c.len()).into_bytes());
    }
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
            .as_bytes(),
    );
    out
}

fn image_size(p: &Path) -> (u32, u32) {
    let out = Command::new("identify").args(["-format", "%w %h"]).arg(p).output().unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    let mut it = s.split_whitespace().map(|x| x.parse().unwrap());
    (it.next().unwrap(), it.next().unwrap())
}

#[test]
fn a_pdf_of_several_covers_routes_like_a_tiff_and_doc_add_takes_files() {
    if !tools() {
        return;
    }
    let lib = Lib::new();
    let a = lib.add_customer(&["--name", "王芳"]);
    let closed = lib.add_customer(&["--name", "赵六"]);
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let cover = cover_scan(&lib, d, &a, Some("CONTRACT"), 200, 0.8);
    let no_type = cover_scan(&lib, d, &a, None, 200, 0.0);
    let cover_closed = cover_scan(&lib, d, &closed, Some("ID"), 200, 0.0);
    lib.admin(&["customer", "close", &closed, "--reason", "销户"]).ok();
    let p = text_page(d, "c1", &["合同正文"], 200);
    let pdf = d.join("batch.pdf");
    let jpegs: Vec<PathBuf> = [&cover, &p, &no_type, &p, &cover_closed, &p]
        .iter()
        .enumerate()
        .map(|(i, src)| {
            let j = d.join(format!("page{i}.jpg"));
            sh(Command::new("convert")
                .arg(src)
                .args(["-colorspace", "Gray", "-type", "Grayscale", "-quality", "70"])
                .arg(&j));
            j
        })
        .collect();
    std::fs::write(&pdf, scanner_pdf(&jpegs, 200)).unwrap();
    let r = lib.json(&["scan", "import", pdf.to_str().unwrap()]);
    let fates: Vec<(String, String)> = r[0]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["fate"].as_str().unwrap().to_string(), p["reason"].as_str().unwrap_or("").to_string()))
        .collect();
    assert_eq!(
        fates,
        [
            ("cover".into(), "".into()),
            ("filed".into(), "".into()),
            ("inbox".into(), "no_type".into()),
            ("inbox".into(), "no_type".into()),
            ("inbox".into(), "closed_dossier".into()),
            ("inbox".into(), "closed_dossier".into()),
        ],
        "{r}"
    );
    assert_eq!(r[0]["format"], "pdf");

    // doc add with files: every page into the new document, its page count from the scan.
    let jpg = d.join("id.jpg");
    sh(Command::new("convert").arg(text_page(d, "id", &["身份证"], 150)).args(["-quality", "80"]).arg(&jpg));
    let doc = lib.json(&["doc", "add", &a, "--type", "ID", jpg.to_str().unwrap()]);
    assert_eq!((doc["scanned_pages"].as_i64(), doc["pages"].as_i64()), (Some(1), Some(1)), "{doc}");
    // The same file again: refused, nothing added.
    let docs_before = lib.count("SELECT count(*) FROM documents");
    lib.admin(&["doc", "add", &a, "--type", "ID", jpg.to_str().unwrap()]).fails(4, "id.jpg");
    assert_eq!(lib.count("SELECT count(*) FROM documents"), docs_before);
    // English, too.
    lib.admin(&["--lang", "en", "doc", "add", &a, "--type", "ID", jpg.to_str().unwrap()])
        .fails(4, "already imported");
    let v = lib.json(&["verify"]);
    assert_eq!(v["ok"], true, "{v}");
}

#[test]
fn recognised_text_of_a_scanned_contract_finds_its_dossier() {
    if !tools() {
        return;
    }
    let status = Command::new("tesseract").arg("--list-langs").output();
    let has_chinese =
        status.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "chi_sim"));
    let lib = Lib::new();
    let a = lib.add_customer(&["--name", "孙七"]);
    let tmp = tempfile::tempdir().unwrap();
    let page = text_page(
        tmp.path(),
        "contract",
        &["供用电合同", "甲方：国网某市供电公司", "用电地址：光明路二十号"],
        300,
    );
    lib.admin(&["doc", "add", &a, "--type", "CONTRACT", page.to_str().unwrap()]).ok();
    let st = lib.json(&["scan", "ocr", "--status"]);
    assert_eq!(st["pending"], 1, "an imported page waits for OCR: {st}");
    if !has_chinese {
        // Without the engine the app says OCR is off, and everything else still works.
        assert!(st["engine"].is_null());
        lib.admin(&["scan", "ocr"]).fails(1, "Tesseract");
        eprintln!("skipped the recognition half: tesseract with chi_sim is not installed");
        return;
    }
    assert!(st["engine"].as_str().unwrap().contains("chi_sim"), "{st}");
    let done = lib.json(&["scan", "ocr"]);
    assert_eq!((done["pending"].as_i64(), done["done"].as_i64()), (Some(0), Some(1)), "{done}");
    // A phrase from the page finds the dossier (the page is not in its name or fields).
    let hits = lib.json(&["search", "供电公司"]);
    assert!(hits.as_array().unwrap().iter().any(|h| h["dossier"] == a.as_str()), "{hits}");
    let pages = lib.json(&["scan", "pages", &a]);
    assert!(pages["pages"][0]["text"].as_str().unwrap().contains("合同"), "{pages}");
    // OCR off by choice: the queue is left alone and the message says why.
    lib.run_env(&["--user", "admin", "scan", "ocr"], &[("DANGAN_OCR", "off"), ("DANGAN_PASSWORD", ADMIN_PW)])
        .fails(1, "Tesseract");
    let v = lib.json(&["verify"]);
    assert_eq!(v["ok"], true, "{v}");
}
