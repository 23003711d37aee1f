//! Bad scans and faults through the real binary: each bad file refused with its reason (zh-CN
//! and en), nothing of it recorded, the good files of the same batch imported; the same file
//! stored once; a crash at each step of storing a file, and a full disk, leave nothing
//! half-imported and a library that verifies; `verify` names a changed, missing or stray file.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use serde_json::Value;
use util::*;

// ----- fixtures ------------------------------------------------------------------------------

/// A small scanned-looking page: white paper with dark "lines of text", different per seed.
fn page(seed: u32) -> image::GrayImage {
    image::GrayImage::from_fn(320, 420, |x, y| {
        let line = (y / 14) % 3 != 2 && y > 30 && y < 390;
        let word = ((x / 9).wrapping_mul(seed.wrapping_mul(2654435761) | 1) >> 3) % 5 != 0;
        if line && word && x > 24 && x < 296 && (y % 14) < 8 { image::Luma([20]) } else { image::Luma([250]) }
    })
}

fn encode(img: &image::GrayImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn png(seed: u32) -> Vec<u8> {
    encode(&page(seed), image::ImageFormat::Png)
}

fn jpeg(seed: u32) -> Vec<u8> {
    encode(&page(seed), image::ImageFormat::Jpeg)
}

/// A PDF of numbered objects (the bodies given), with a correct cross-reference table; `extra`
/// goes into the trailer.
fn pdf(objects: &[&str], extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R {extra} >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
            .as_bytes(),
    );
    out
}

/// A one-page PDF with a black box on it.
fn good_pdf() -> Vec<u8> {
    let content = "0 0 0 rg 30 40 140 20 re f 30 80 120 20 re f";
    pdf(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
            &format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        ],
        "",
    )
}

/// The same PDF "protected" by the standard security handler (an /Encrypt dictionary).
fn encrypted_pdf() -> Vec<u8> {
    let content = "0 0 0 rg 30 40 140 20 re f";
    pdf(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
            &format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
            "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 \
             /O <28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A> \
             /U <28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A> >>",
        ],
        "/Encrypt 5 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]",
    )
}

/// A TIFF of a few hundred bytes declaring one 100000×100000 8-bit page: a decompression bomb.
fn tiff_bomb() -> Vec<u8> {
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    let entries: [(u16, u16, u32); 9] = [
        (256, LONG, 100_000), // ImageWidth
        (257, LONG, 100_000), // ImageLength
        (258, SHORT, 8),      // BitsPerSample
        (259, SHORT, 1),      // Compression: none
        (262, SHORT, 1),      // PhotometricInterpretation: black is zero
        (273, LONG, 0),       // StripOffsets (filled in below)
        (277, SHORT, 1),      // SamplesPerPixel
        (278, LONG, 100_000), // RowsPerStrip
        (279, LONG, 64),      // StripByteCounts
    ];
    let data_at = 8 + 2 + entries.len() as u32 * 12 + 4;
    let mut out = b"II*\0".to_vec();
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, ty, value) in entries {
        let value = if tag == 273 { data_at } else { value };
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&ty.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        if ty == SHORT {
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&[0x80; 64]);
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_str().unwrap().to_string()
}

/// Every file under the library's `files/` (the staging folder included), relative.
fn stored_blobs(lib: &Lib) -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, root, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let root = lib.path.join("files");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out.sort();
    out
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

fn blob_path(lib: &Lib, sha: &str) -> PathBuf {
    lib.path.join("files").join(&sha[..2]).join(&sha[2..4]).join(sha)
}

fn files_rows(lib: &Lib) -> i64 {
    lib.count("SELECT count(*) FROM files")
}

fn file_audit_rows(lib: &Lib) -> i64 {
    lib.count("SELECT count(*) FROM audit_log WHERE entity = 'file'")
}

fn all_output(r: &Run) -> String {
    format!("{}\n{}", r.stdout, r.stderr)
}

/// The output line that names `name`.
fn line_of<'a>(out: &'a str, name: &str) -> &'a str {
    out.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("no line names {name}:\n{out}"))
}

/// `verify --json`: (exit status, report).
fn verify(lib: &Lib, quick: bool) -> (i32, Value) {
    let mut args = vec!["--json", "verify"];
    if quick {
        args.push("--quick");
    }
    let r = lib.admin(&args);
    let v = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {r:?}"));
    (r.code, v)
}

#[track_caller]
fn verify_clean(lib: &Lib) -> Value {
    let (code, v) = verify(lib, false);
    assert_eq!(code, 0, "verify found problems: {v:#}");
    v
}

// ----- bad input -------------------------------------------------------------------------------

/// Each bad file with the words its refusal says in (zh-CN, en).
fn bad_files() -> Vec<(&'static str, Vec<u8>, &'static str, &'static str, &'static str)> {
    let j = jpeg(7);
    let p = png(8);
    let good = good_pdf();
    vec![
        ("empty.png", Vec::new(), "empty", "文件是空的", "the file is empty"),
        ("cut.jpg", j[..j.len() / 2].to_vec(), "damaged", "已损坏或不完整", "damaged or cut short"),
        ("cut.png", p[..p.len() / 2].to_vec(), "damaged", "已损坏或不完整", "damaged or cut short"),
        (
            "notes.jpg",
            "会议纪要：这不是扫描件。\nMinutes of the meeting, not a scan.\n".repeat(20).into_bytes(),
            "not_a_scan",
            "不是 JPEG、PNG、TIFF 或 PDF 文件",
            "not a JPEG, PNG, TIFF or PDF file",
        ),
        (
            "garbage.pdf",
            (0..4000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect(),
            "not_a_scan",
            "不是 JPEG、PNG、TIFF 或 PDF 文件",
            "not a JPEG, PNG, TIFF or PDF file",
        ),
        (
            "broken.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nthis is not a PDF body\n%%EOF\n".to_vec(),
            "damaged",
            "已损坏或不完整",
            "damaged or cut short",
        ),
        ("locked.pdf", encrypted_pdf(), "encrypted", "已加密或设有密码", "encrypted or password-protected"),
        ("bomb.tif", tiff_bomb(), "too_many_pixels", "百万像素", "megapixels"),
        ("half.pdf", good[..good.len() / 2].to_vec(), "damaged", "已损坏或不完整", "damaged or cut short"),
    ]
}

#[test]
fn bad_scans_are_refused_with_their_reason_and_the_good_files_of_the_batch_imported() {
    for (lang, zh) in [("zh-CN", true), ("en", false)] {
        let lib = Lib::utility();
        let dir = lib.dir.path().join("in");
        let good = [("good1.png", png(1)), ("good2.jpg", jpeg(2)), ("good3.pdf", good_pdf())];
        let mut paths = Vec::new();
        // The good files between the bad ones: a refusal does not stop the batch.
        for (i, (name, bytes, ..)) in bad_files().into_iter().enumerate() {
            paths.push(write(&dir, name, &bytes));
            if let Some((g, b)) = good.get(i) {
                paths.push(write(&dir, g, b));
            }
        }
        let mut args = vec!["--lang", lang, "scan", "import"];
        args.extend(paths.iter().map(String::as_str));
        let r = lib.admin(&args);
        assert_eq!(r.code, 4, "refused files exit 4: {r:?}");
        let out = all_output(&r);
        for (name, _, _, words_zh, words_en) in bad_files() {
            let line = line_of(&out, name);
            let words = if zh { words_zh } else { words_en };
            assert!(line.contains(words), "{lang}: {name} refused with {words:?}: {line}");
        }
        for (name, _) in &good {
            assert!(!line_of(&out, name).contains(if zh { "未" } else { "not" }), "{name} imported:\n{out}");
        }

        // Nothing of a refused file is recorded: only the good files, their blobs, their rows.
        assert_eq!(files_rows(&lib), 3, "{out}");
        assert_eq!(file_audit_rows(&lib), 3);
        let mut expected: Vec<String> = good
            .iter()
            .map(|(_, b)| {
                blob_path(&lib, &sha256(b))
                    .strip_prefix(lib.path.join("files"))
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        expected.sort();
        assert_eq!(stored_blobs(&lib), expected, "only the good files are in files/");
        for (name, bytes, ..) in bad_files() {
            let sha = sha256(&bytes);
            assert_eq!(lib.count(&format!("SELECT count(*) FROM files WHERE sha256 = '{sha}'")), 0, "{name}");
            assert_eq!(
                lib.count(&format!(
                    "SELECT count(*) FROM audit_log WHERE entity = 'file' AND after LIKE '%{name}%'"
                )),
                0,
                "{name}"
            );
        }
        verify_clean(&lib);
    }
}

#[test]
fn bad_scans_report_their_reason_codes_in_json() {
    let lib = Lib::utility();
    let dir = lib.dir.path().join("in");
    let mut args = vec!["--json".to_string(), "scan".into(), "import".into()];
    for (name, bytes, ..) in bad_files() {
        args.push(write(&dir, name, &bytes));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = lib.admin(&args);
    assert_eq!(r.code, 4, "{r:?}");
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("JSON ({e}): {r:?}"));
    let reports = v.as_array().or_else(|| v["files"].as_array()).unwrap_or_else(|| panic!("{v:#}"));
    for (name, _, code, ..) in bad_files() {
        let rep = reports.iter().find(|x| x["path"].as_str().is_some_and(|p| p.ends_with(name))).unwrap();
        assert_eq!(rep["outcome"], "refused", "{name}: {rep}");
        assert_eq!(rep["reason"], code, "{name}: {rep}");
    }
    assert_eq!(files_rows(&lib), 0);
    assert!(stored_blobs(&lib).is_empty(), "{:?}", stored_blobs(&lib));
}

#[test]
fn the_same_file_twice_in_one_import_and_across_two_runs_is_stored_once() {
    let lib = Lib::utility();
    let dir = lib.dir.path().join("in");
    let bytes = png(3);
    let a = write(&dir, "scan-a.png", &bytes);
    let b = write(&dir.join("copy"), "scan-b.png", &bytes);
    let r = lib.admin(&["scan", "import", &a, &b]);
    assert_eq!(r.code, 4, "the second copy is a duplicate: {r:?}");
    let out = all_output(&r);
    assert!(line_of(&out, "scan-b.png").contains("not imported again"), "{out}");
    assert_eq!(files_rows(&lib), 1);
    assert_eq!(lib.count("SELECT count(*) FROM pages"), 1);

    // A second run with the same file.
    let r = lib.admin(&["--lang", "zh-CN", "scan", "import", &a]);
    assert_eq!(r.code, 4, "{r:?}");
    assert!(all_output(&r).contains("未重复导入"), "{r:?}");
    assert_eq!(files_rows(&lib), 1);
    assert_eq!(file_audit_rows(&lib), 1);
    assert_eq!(lib.count("SELECT count(*) FROM pages"), 1);
    let blobs = stored_blobs(&lib);
    assert_eq!(blobs.len(), 1, "{blobs:?}");
    assert!(blob_path(&lib, &sha256(&bytes)).is_file());
    verify_clean(&lib);
}

#[test]
fn doc_add_with_one_bad_file_adds_nothing_at_all() {
    let lib = Lib::utility();
    let no = lib.add_customer(&["--name", "钱七", "--field", "户号=0101234567"]);
    let dir = lib.dir.path().join("in");
    let good = write(&dir, "good.png", &png(4));
    let j = jpeg(5);
    let bad = write(&dir, "bad.jpg", &j[..j.len() / 3]);
    let documents = lib.count("SELECT count(*) FROM documents");
    let audit = lib.count("SELECT count(*) FROM audit_log WHERE entity IN ('document', 'file', 'page')");
    for (lang, words) in [("en", "damaged or cut short"), ("zh-CN", "已损坏或不完整")] {
        let r = lib.admin(&["--lang", lang, "doc", "add", &no, "--type", "ID", &good, &bad]);
        r.fails(2, words);
        assert!(r.stderr.contains("bad.jpg"), "{r:?}");
    }
    assert_eq!(lib.count("SELECT count(*) FROM documents"), documents);
    assert_eq!(files_rows(&lib), 0);
    assert_eq!(lib.count("SELECT count(*) FROM pages"), 0);
    assert_eq!(
        lib.count("SELECT count(*) FROM audit_log WHERE entity IN ('document', 'file', 'page')"),
        audit
    );
    assert!(stored_blobs(&lib).is_empty(), "{:?}", stored_blobs(&lib));
    verify_clean(&lib);
    // The good file alone goes in.
    lib.admin(&["doc", "add", &no, "--type", "ID", &good]).ok();
    assert_eq!(files_rows(&lib), 1);
}

// ----- faults ------------------------------------------------------------------------------------

#[test]
fn a_crash_at_each_step_of_storing_a_scan_leaves_nothing_half_imported() {
    // (fault point, whether the file's transaction had committed when the process died)
    let points = [
        ("scan-blob-half-written", false),
        ("scan-blob-staged", false),
        ("scan-staged-before-commit", false),
        ("change-before-commit", false),
        ("scan-committed-before-publish", true),
    ];
    for (point, committed) in points {
        let lib = Lib::utility();
        let dir = lib.dir.path().join("in");
        let bytes = png(11);
        let sha = sha256(&bytes);
        let path = write(&dir, "crash.png", &bytes);
        let r = lib.run_env(
            &["scan", "import", &path],
            &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_FAULT", point)],
        );
        assert_ne!(r.code, 0, "{point}: the process aborts: {r:?}");
        assert!(r.stderr.contains(point), "{point}: {r:?}");
        assert_eq!(files_rows(&lib), i64::from(committed), "{point}");

        // verify finishes or removes what the crash left, and finds nothing wrong.
        let report = verify_clean(&lib);
        let files = &report["files"];
        if committed {
            assert_eq!(files["recovered"], 1, "{point}: {files}");
            assert!(blob_path(&lib, &sha).is_file(), "{point}: moved into place");
        } else {
            assert_eq!(files["recovered"], 0, "{point}: {files}");
            assert!(stored_blobs(&lib).is_empty(), "{point}: nothing left: {:?}", stored_blobs(&lib));
        }

        let r = lib.admin(&["--json", "scan", "import", &path]);
        let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{point} ({e}): {r:?}"));
        let v = v.as_array().map(|a| a[0].clone()).unwrap_or_else(|| v["files"][0].clone());
        if committed {
            assert_eq!(r.code, 4, "{point}: {r:?}");
            assert_eq!(v["outcome"], "duplicate", "{point}: {v}");
        } else {
            assert_eq!(r.code, 0, "{point}: {r:?}");
            assert_eq!(v["outcome"], "imported", "{point}: {v}");
        }
        assert_eq!(files_rows(&lib), 1, "{point}");
        assert_eq!(file_audit_rows(&lib), 1, "{point}");
        assert_eq!(lib.count("SELECT count(*) FROM pages"), 1, "{point}");
        assert_eq!(stored_blobs(&lib), vec![format!("{}/{}/{sha}", &sha[..2], &sha[2..4])], "{point}");
        verify_clean(&lib);
    }
}

#[test]
fn a_full_disk_refuses_the_import_and_leaves_nothing_half_stored() {
    let lib = Lib::utility();
    let dir = lib.dir.path().join("in");
    let path = write(&dir, "big.png", &png(12));
    for (lang, words) in [("zh-CN", "磁盘已满"), ("en", "The disk is full")] {
        let r = lib.run_env(
            &["--lang", lang, "scan", "import", &path],
            &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_FAULT", "scan-disk-full")],
        );
        assert_eq!(r.code, 1, "{r:?}");
        assert!(r.stderr.contains(words), "{lang}: {r:?}");
        assert_eq!(files_rows(&lib), 0);
        assert_eq!(file_audit_rows(&lib), 0);
        assert!(stored_blobs(&lib).is_empty(), "{:?}", stored_blobs(&lib));
    }
    verify_clean(&lib);
    // Space again: the same file goes in.
    lib.admin(&["scan", "import", &path]).ok();
    assert_eq!(files_rows(&lib), 1);
    verify_clean(&lib);
}

/// A tmpfs mounted for the test, unmounted when dropped.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_really_full_disk_refuses_the_import_and_leaves_nothing_half_stored() {
    let base = tempfile::tempdir().unwrap();
    let mnt = base.path().join("small");
    std::fs::create_dir_all(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&mnt)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("note: cannot mount a 2 MB tmpfs here (not root, or no mount in this container): skipped");
        return;
    }
    let _guard = Mount(mnt.clone());
    let lib = Lib { dir: tempfile::tempdir().unwrap(), path: mnt.join("lib") };
    run_raw(
        &["--library", lib.p(), "init", "--admin", "admin", "--template", "utility"],
        &[("DANGAN_PASSWORD", ADMIN_PW)],
    )
    .ok();
    // Noise does not compress: a PNG of about 3 MB, more than the disk has left.
    let mut seed = 1u32;
    let noise = image::GrayImage::from_fn(1800, 1700, |_, _| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        image::Luma([(seed >> 24) as u8])
    });
    let path = write(lib.dir.path(), "noise.png", &encode(&noise, image::ImageFormat::Png));
    let r = lib.admin(&["--lang", "zh-CN", "scan", "import", &path]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("磁盘已满"), "{r:?}");
    assert_eq!(files_rows(&lib), 0);
    assert!(stored_blobs(&lib).is_empty(), "{:?}", stored_blobs(&lib));
    verify_clean(&lib);
}

// ----- tampering -------------------------------------------------------------------------------

#[test]
fn verify_names_a_changed_a_missing_and_an_unreferenced_file() {
    let lib = Lib::utility();
    let dir = lib.dir.path().join("in");
    let files = [("changed.png", png(21)), ("missing.png", png(22)), ("fine.png", png(23))];
    let paths: Vec<String> = files.iter().map(|(n, b)| write(&dir, n, b)).collect();
    let mut args = vec!["scan", "import"];
    args.extend(paths.iter().map(String::as_str));
    lib.admin(&args).ok();
    let before = verify_clean(&lib);
    assert_eq!(before["files"]["checked"], 3, "{before:#}");
    assert_eq!(before["files"]["unreferenced"], 0, "{before:#}");

    // One byte changed, one file deleted, two strays: one looking like a stored file.
    let changed = blob_path(&lib, &sha256(&files[0].1));
    let mut bytes = std::fs::read(&changed).unwrap();
    let n = bytes.len() / 2;
    bytes[n] ^= 0x55;
    std::fs::write(&changed, bytes).unwrap();
    std::fs::remove_file(blob_path(&lib, &sha256(&files[1].1))).unwrap();
    let fake = sha256(b"not stored");
    let stray = blob_path(&lib, &fake);
    std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
    std::fs::write(&stray, b"not stored").unwrap();
    std::fs::write(lib.path.join("files").join("readme.txt"), b"left by hand").unwrap();

    let (code, v) = verify(&lib, false);
    assert_eq!(code, 1, "{v:#}");
    let problems: Vec<&str> = v["problems"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    let text = problems.join("\n");
    assert!(line_of(&text, "changed.png").contains("was changed after it was stored"), "{text}");
    assert!(line_of(&text, "changed.png").contains("Restore that file from a backup"), "{text}");
    assert!(line_of(&text, "missing.png").contains("is missing"), "{text}");
    assert!(line_of(&text, &fake).contains("no stored file names it"), "{text}");
    assert!(line_of(&text, "readme.txt").contains("no stored file names it"), "{text}");
    assert!(!text.contains("fine.png"), "{text}");
    assert_eq!(v["files"]["changed"], 1);
    assert_eq!(v["files"]["missing"], 1);
    assert_eq!(v["files"]["unreferenced"], 2);
    assert_eq!(v["files"]["checked"], 2, "the missing one cannot be read");

    // In Chinese, as text, with the exit status.
    let r = lib.admin(&["--lang", "zh-CN", "verify"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(line_of(&r.stdout, "changed.png").contains("入库后被改动"), "{r:?}");
    assert!(line_of(&r.stdout, "missing.png").contains("缺失"), "{r:?}");
    assert!(line_of(&r.stdout, "readme.txt").contains("没有任何已存文件记录指向它"), "{r:?}");
}

#[test]
fn verify_names_a_page_past_its_files_last_page() {
    let lib = Lib::utility();
    let path = write(&lib.dir.path().join("in"), "one.png", &png(31));
    lib.admin(&["scan", "import", &path]).ok();
    verify_clean(&lib);
    lib.sql().execute("UPDATE pages SET page_no = 7", []).unwrap();
    let (code, v) = verify(&lib, false);
    assert_eq!(code, 1, "{v:#}");
    let text = v["problems"].to_string();
    assert!(text.contains("is page 7 of stored file") && text.contains("only 1 pages"), "{text}");
}

#[test]
fn verify_quick_catches_a_change_in_a_file_added_since_the_last_full_check() {
    let lib = Lib::utility();
    let dir = lib.dir.path().join("in");
    let old = write(&dir, "old.png", &png(41));
    lib.admin(&["scan", "import", &old]).ok();
    verify_clean(&lib);
    let new_bytes = png(42);
    let new = write(&dir, "new.png", &new_bytes);
    lib.admin(&["scan", "import", &new]).ok();

    let (code, v) = verify(&lib, true);
    assert_eq!(code, 0, "{v:#}");
    assert!(v["files"]["quick_since"].is_string(), "{v:#}");
    assert!(v["files"]["unreferenced"].is_null(), "a quick check does not walk files/: {v:#}");
    let r = lib.admin(&["verify", "--quick"]);
    assert!(r.stdout.contains("looked for only by a full check"), "{r:?}");

    let blob = blob_path(&lib, &sha256(&new_bytes));
    let mut bytes = std::fs::read(&blob).unwrap();
    bytes.truncate(bytes.len() - 10);
    std::fs::write(&blob, bytes).unwrap();
    let (code, v) = verify(&lib, true);
    assert_eq!(code, 1, "{v:#}");
    let text = v["problems"].to_string();
    assert!(text.contains("new.png") && text.contains("was changed after it was stored"), "{text}");
}

#[test]
fn a_whole_jpeg_with_bytes_after_its_end_is_imported_and_one_cut_short_is_not() {
    let lib = Lib::utility();
    let dir = lib.dir.path().join("in");
    let j = jpeg(51);
    // Some cameras and phones append data after the end-of-image marker.
    let mut trailer = j.clone();
    trailer.extend(std::iter::repeat_n(0u8, 3000));
    trailer.extend_from_slice(&b"trailer".repeat(400));
    let whole = write(&dir, "trailer.jpg", &trailer);
    // Cut just before the end marker: the decoder alone would show it with a grey bottom.
    let cut = write(&dir, "almost.jpg", &j[..j.len() - 2]);
    let r = lib.admin(&["--json", "scan", "import", &whole, &cut]);
    assert_eq!(r.code, 4, "{r:?}");
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let v = v.as_array().unwrap();
    assert_eq!(v[0]["outcome"], "imported", "{v:?}");
    assert_eq!(v[1]["outcome"], "refused", "{v:?}");
    assert_eq!(v[1]["reason"], "damaged", "{v:?}");
    assert_eq!(files_rows(&lib), 1);
}
