//! OCR in the app's background: the worker takes queued pages one at a time, runs the engine
//! without holding the session and stores the text, which the search then finds; without an
//! engine the inbox says OCR is off and why. A stand-in engine makes this test independent of
//! Tesseract (the real engine is tested in tests/scans.rs).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use dangan::gui::inbox::{self, ocr};
use dangan::gui::prefs::Prefs;
use dangan::gui::shell::{self, Nav};
use dangan::gui::{App, Message, Screen};
use dangan::i18n::Language;
use guikit::{drain, log_in, shows};
use util::{ADMIN_PW, Lib};

/// Reads every page as the same contract text, numbered.
struct StandIn(AtomicUsize);

impl dangan::scan::ocr::OcrEngine for StandIn {
    fn name(&self) -> String {
        "stand-in 1.0".into()
    }
    fn recognise(&self, page: &image::GrayImage) -> Result<String, String> {
        assert!(page.width() > 100, "the engine gets the page itself");
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(format!("供用电合同 第{n}页\n甲方：青山供电公司"))
    }
}

fn page_png(path: &std::path::Path) {
    let mut img = image::GrayImage::from_pixel(420, 594, image::Luma([255u8]));
    for line in 0..12u32 {
        for x in 40..300 {
            for dy in 0..6 {
                img.put_pixel(x, 60 + line * 40 + dy, image::Luma([0u8]));
            }
        }
    }
    img.save_with_format(path, image::ImageFormat::Png).unwrap();
}

fn send(app: &mut App, m: inbox::Message) {
    let t = app.update(Message::Main(shell::Message::Inbox(m)));
    drain(app, t);
}

fn logged_in(lib: &Lib, language: Language) -> App {
    let mut app = App::new(lib.path.clone(), Prefs { language, ..Prefs::default() });
    log_in(&mut app, "admin", ADMIN_PW);
    assert!(matches!(app.screen, Screen::Main(_)), "logged in");
    app
}

fn worker(app: &App) -> &ocr::OcrWorker {
    let Screen::Main(s) = &app.screen else { panic!("not logged in") };
    &s.inbox.ocr
}

#[test]
fn queued_pages_are_recognised_in_the_background_and_found_by_search() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "钱八"]);
    let (a, b) = (lib.dir.path().join("p1.png"), lib.dir.path().join("p2.png"));
    page_png(&a);
    page_png(&b);
    // Two files of different bytes: the second with one pixel changed.
    let mut img = image::open(&b).unwrap().to_luma8();
    img.put_pixel(1, 1, image::Luma([0]));
    img.save(&b).unwrap();
    // Logged in first (the app looks for the machine's engine then), the pages imported after.
    let mut app = logged_in(&lib, Language::Chinese);
    lib.admin(&["doc", "add", &no, "--type", "CONTRACT", a.to_str().unwrap(), b.to_str().unwrap()]).ok();
    assert_eq!(lib.json(&["scan", "ocr", "--status"])["pending"], 2);
    let engine = Arc::new(StandIn(AtomicUsize::new(0)));
    send(&mut app, inbox::Message::Ocr(ocr::Message::Found(Ok(ocr::Engine(engine.clone())))));
    // The worker went straight through the queue, one page after another.
    assert_eq!(engine.0.load(Ordering::SeqCst), 2);
    let st = lib.json(&["scan", "ocr", "--status"]);
    assert_eq!((st["pending"].as_i64(), st["done"].as_i64()), (Some(0), Some(2)), "{st}");
    let t = app.update(Message::Main(shell::Message::Nav(Nav::Inbox)));
    drain(&mut app, t);
    assert!(shows(&app, "文字识别：等待 0 页，已识别 2 页"), "{:?}", worker(&app).status);
    // The recognised text is searched with the dossier.
    let hits = lib.json(&["search", "青山供电公司"]);
    assert!(hits.as_array().unwrap().iter().any(|h| h["dossier"] == no.as_str()), "{hits}");
    let pages = lib.json(&["scan", "pages", &no]);
    assert!(pages["pages"][1]["text"].as_str().unwrap().contains("第2页"), "{pages}");
    // A tick with nothing queued does nothing.
    send(&mut app, inbox::Message::Ocr(ocr::Message::Tick));
    assert_eq!(engine.0.load(Ordering::SeqCst), 2);
}

#[test]
fn without_an_engine_the_inbox_says_ocr_is_off_and_why() {
    let lib = Lib::new();
    for (language, off, chinese) in [
        (
            Language::Chinese,
            "文字识别已关闭：本机没有安装 Tesseract",
            "文字识别已关闭：Tesseract 缺少简体中文语言包",
        ),
        (
            Language::English,
            "OCR is off: Tesseract is not installed",
            "OCR is off: Tesseract has no simplified Chinese",
        ),
    ] {
        let mut app = logged_in(&lib, language);
        send(&mut app, inbox::Message::Ocr(ocr::Message::Found(Err("no_engine".into()))));
        let t = app.update(Message::Main(shell::Message::Nav(Nav::Inbox)));
        drain(&mut app, t);
        assert!(shows(&app, off), "{language:?}");
        send(&mut app, inbox::Message::Ocr(ocr::Message::Found(Err("no_chinese".into()))));
        assert!(shows(&app, chinese), "{language:?}");
        assert!(worker(&app).engine.is_none());
    }
}
