//! The desk's papers from the 借阅 screen: loan slips (借阅单) of a loan just made, of the
//! borrower's whole turn or of a listed loan; the overdue reminders (催还通知单) of everyone or of
//! the borrower at the desk; and a period's loan register (借阅登记簿) as PDF or CSV.
//!
//! The paper is rendered by the core on a worker thread first, so "nothing to print" is said
//! without asking for a file; then the system's save dialog asks where (a path given in the
//! message skips the dialog: tests), and the file is written whole or not at all, off the UI
//! thread. What happened is said next to the control that asked.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use iced::Task;
use iced::widget::{button, container, row, text};
use iced::{Alignment, Element};

use super::super::backend::{Backend, Failure, blocking};
use super::super::i18n::Tr;
use super::super::theme;
use super::Message;
use crate::core::loans::{PaperCaptions, REMIND_WITHIN_DAYS, RegisterFormat, RemindSpec};

/// The id of the 借阅单 action on a session-log line (by loan number).
pub fn log_slip_id(loan: i64) -> String {
    format!("lending-log-slip-{loan}")
}
/// The id of the 借阅单 action on a list row (by item).
pub fn slip_id(item: &str) -> String {
    format!("lending-slip-{item}")
}
/// 打印本次借阅单: the slips of everything lent in the borrower's turn.
pub const TURN_SLIPS_ID: &str = "lending-turn-slips";
/// 打印催还通知单 above the overdue list.
pub const REMIND_ID: &str = "lending-remind";
/// 全部催还通知单, beside the reminder of the borrower at the desk.
pub const REMIND_ALL_ID: &str = "lending-remind-all";
pub const REGISTER_FROM_ID: &str = "lending-register-from";
pub const REGISTER_TO_ID: &str = "lending-register-to";
pub const REGISTER_PDF_ID: &str = "lending-register-pdf";
pub const REGISTER_CSV_ID: &str = "lending-register-csv";
/// 保存到文档文件夹: no file was chosen in the dialog.
pub const SAVE_OFFERED_ID: &str = "lending-save-offered";
/// 打开: the file just written, in the system's viewer.
pub const OPEN_PAPER_ID: &str = "lending-open-paper";

/// Which paper to print.
#[derive(Debug, Clone, PartialEq)]
pub enum Paper {
    /// The slips of these loans (by number) and of the loans these items are out on, in one PDF.
    Slips { loans: Vec<i64>, items: Vec<String> },
    /// The overdue reminders: of one borrower (card number), or of everyone with loans overdue.
    Reminders { borrower: Option<String> },
    /// The register of the loans made from `from` to `to` (both included).
    Register { from: String, to: String, format: RegisterFormat },
}

/// The control that asked, where the answer is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A line of the session log.
    Log,
    /// The borrower's card at the desk (打印本次借阅单).
    Turn,
    /// A row of the loan lists, or the overdue list's reminders.
    List,
    /// The register's export.
    Register,
}

/// A rendered paper waiting for its file (shown by its size only).
#[derive(Clone)]
pub struct Bytes(pub Arc<Vec<u8>>);

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} bytes", self.0.len())
    }
}

/// A paper as the core rendered it, and the file name offered for it.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub bytes: Bytes,
    pub name: String,
    /// Slips, reminders (borrowers) or register rows.
    pub count: usize,
    /// The sentence saying where it was written.
    pub saved_key: &'static str,
}

/// What the last paper did, shown next to its control.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub place: Place,
    pub ok: bool,
    pub text: String,
    /// The file written (offered to open).
    pub saved: Option<PathBuf>,
    /// No file was chosen (the dialog was cancelled, or the desktop has none to show): the
    /// paper can still be saved here, in the documents folder.
    pub offer: Option<PathBuf>,
}

/// The papers' state on the desk.
#[derive(Debug, Default)]
pub struct Papers {
    /// A paper is being rendered or written: the paper buttons wait.
    pub busy: bool,
    /// Rendered, waiting for the save dialog's answer.
    pending: Option<(Place, Rendered)>,
    /// Rendered, no file chosen: kept for the offer to save it in the documents folder.
    declined: Option<(Place, Rendered)>,
    pub note: Option<Note>,
    /// The register's period (local dates).
    pub from: String,
    pub to: String,
}

/// A register period one click away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    ThisMonth,
    LastMonth,
    ThisYear,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::ThisMonth, Period::LastMonth, Period::ThisYear];

    pub fn label_key(self) -> &'static str {
        match self {
            Period::ThisMonth => "desk-period-this-month",
            Period::LastMonth => "desk-period-last-month",
            Period::ThisYear => "desk-period-this-year",
        }
    }

    /// Its first and last day, as of `today`.
    pub fn dates(self, today: chrono::NaiveDate) -> (String, String) {
        use chrono::{Datelike, NaiveDate};
        let month_of = |d: NaiveDate| {
            let first = d.with_day(1).unwrap_or(d);
            let next = if first.month() == 12 {
                NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
            };
            (first, next.and_then(|n| n.pred_opt()).unwrap_or(d))
        };
        let (first, last) = match self {
            Period::ThisMonth => month_of(today),
            Period::LastMonth => month_of(today.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(today)),
            Period::ThisYear => (
                NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
                NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today),
            ),
        };
        (first.format("%Y-%m-%d").to_string(), last.format("%Y-%m-%d").to_string())
    }
}

/// A file name's characters: what a file system takes everywhere.
fn file_safe(s: &str) -> String {
    s.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' }).take(60).collect()
}

impl Papers {
    pub fn new() -> Papers {
        let (from, to) = Period::ThisMonth.dates(crate::core::today());
        Papers { from, to, ..Papers::default() }
    }

    /// The register's period set to `p`.
    pub fn period(&mut self, p: Period) {
        (self.from, self.to) = p.dates(crate::core::today());
    }

    /// Whether the period typed is `p`'s.
    pub fn is_period(&self, p: Period) -> bool {
        let (from, to) = p.dates(crate::core::today());
        self.from.trim() == from && self.to.trim() == to
    }

    /// The note shown at `place`, if the last paper was asked for there.
    pub fn note_at(&self, place: Place) -> Option<&Note> {
        self.note.as_ref().filter(|n| n.place == place)
    }

    fn say(&mut self, place: Place, ok: bool, text: String, saved: Option<PathBuf>) {
        self.busy = false;
        self.note = Some(Note { place, ok, text, saved, offer: None });
    }

    /// Renders `paper` on a worker thread; `path` skips the save dialog.
    pub fn print(
        &mut self,
        paper: Paper,
        place: Place,
        path: Option<PathBuf>,
        backend: &Backend,
        tr: &Tr,
    ) -> Task<Message> {
        if self.busy {
            return Task::none();
        }
        if let Paper::Register { from, to, .. } = &paper {
            self.from = from.trim().to_string();
            self.to = to.trim().to_string();
        }
        self.busy = true;
        self.note = None;
        self.declined = None;
        let cap = PaperCaptions::from_translations(|k| tr.t(k));
        let names = [
            tr.t("desk-paper-file-slips"),
            tr.t("desk-paper-file-reminders"),
            tr.t("desk-paper-file-register"),
        ];
        backend.run(
            move |s| {
                let today = crate::core::today().format("%Y-%m-%d").to_string();
                Ok(match paper {
                    Paper::Slips { loans, items } => {
                        let out = s.loan_slips_pdf(&items, &loans, &cap)?;
                        let what = match out.items.as_slice() {
                            [one] => one.clone(),
                            [first, ..] => format!("{first}-{}", out.items.len()),
                            [] => today,
                        };
                        Some(Rendered {
                            name: format!("{}-{}.pdf", names[0], file_safe(&what)),
                            saved_key: "desk-slips-saved",
                            count: out.count,
                            bytes: Bytes(Arc::new(out.bytes)),
                        })
                    }
                    Paper::Reminders { borrower } => {
                        let who = borrower.clone();
                        let spec =
                            RemindSpec { borrower, within_days: REMIND_WITHIN_DAYS, contact: String::new() };
                        s.overdue_reminders_pdf(&spec, &cap)?.map(|out| {
                            let what = who.map_or(today.clone(), |w| format!("{w}-{today}"));
                            Rendered {
                                name: format!("{}-{}.pdf", names[1], file_safe(&what)),
                                saved_key: "desk-reminders-saved",
                                count: out.count,
                                bytes: Bytes(Arc::new(out.bytes)),
                            }
                        })
                    }
                    Paper::Register { from, to, format } => {
                        let out = s.loan_register(from.trim(), to.trim(), format, &cap)?;
                        let ext = if format == RegisterFormat::Csv { "csv" } else { "pdf" };
                        Some(Rendered {
                            name: format!(
                                "{}-{}-{}.{ext}",
                                names[2],
                                file_safe(from.trim()),
                                file_safe(to.trim())
                            ),
                            saved_key: "desk-register-saved",
                            count: out.count,
                            bytes: Bytes(Arc::new(out.bytes)),
                        })
                    }
                })
            },
            move |r| Message::PaperRendered(place, path, r),
        )
    }

    /// The core's rendering: nothing to print is said; else the file is asked for (or given).
    pub fn rendered(
        &mut self,
        place: Place,
        path: Option<PathBuf>,
        r: Result<Option<Rendered>, Failure>,
        backend: &Backend,
        tr: &Tr,
    ) -> Task<Message> {
        let rendered = match r {
            Ok(Some(r)) => r,
            Ok(None) => {
                self.say(place, false, tr.t("desk-remind-none"), None);
                return Task::none();
            }
            Err(f) => {
                self.say(place, false, f.message, None);
                return Task::none();
            }
        };
        match path {
            Some(p) => self.save(place, rendered, p, backend),
            None => {
                let name = rendered.name.clone();
                let csv = name.ends_with(".csv");
                self.pending = Some((place, rendered));
                let dir = super::super::print::papers_dir();
                Task::perform(
                    async move {
                        let d = rfd::AsyncFileDialog::new()
                            .add_filter(if csv { "CSV" } else { "PDF" }, &[if csv { "csv" } else { "pdf" }])
                            .set_file_name(name)
                            .set_directory(dir);
                        d.save_file().await.map(|h| h.path().to_path_buf())
                    },
                    Message::PaperChosen,
                )
            }
        }
    }

    /// The save dialog's answer: the paper written there, or nothing (cancelled).
    pub fn chosen(&mut self, path: Option<PathBuf>, backend: &Backend, tr: &Tr) -> Task<Message> {
        let Some((place, rendered)) = self.pending.take() else { return Task::none() };
        match path {
            Some(p) => self.save(place, rendered, p, backend),
            None => {
                let offer = super::super::print::papers_dir().join(&rendered.name);
                self.say(place, false, tr.t("desk-paper-cancelled"), None);
                if let Some(n) = self.note.as_mut() {
                    n.offer = Some(offer);
                }
                self.declined = Some((place, rendered));
                Task::none()
            }
        }
    }

    /// No file chosen: the paper saved in the documents folder under the name offered.
    pub fn save_offered(&mut self, backend: &Backend) -> Task<Message> {
        let offer = self.note.as_ref().and_then(|n| n.offer.clone());
        match (self.declined.take(), offer) {
            (Some((place, rendered)), Some(path)) => {
                self.note = None;
                self.save(place, rendered, path, backend)
            }
            _ => Task::none(),
        }
    }

    /// Writes the file whole or not at all, off the UI thread.
    fn save(
        &mut self,
        place: Place,
        rendered: Rendered,
        mut path: PathBuf,
        backend: &Backend,
    ) -> Task<Message> {
        if path.extension().is_none() {
            path.set_extension(Path::new(&rendered.name).extension().unwrap_or_default());
        }
        self.busy = true;
        let language = backend.language();
        let count = rendered.count;
        let key = rendered.saved_key;
        let bytes = rendered.bytes;
        blocking(
            move || {
                crate::core::labels::save_pdf(&path, &bytes.0)
                    .map(|()| path)
                    .map_err(|e| Failure::new(&e, language))
            },
            move |r| {
                let r = r.unwrap_or_else(|| Err(Failure::internal("app-work-stopped", language)));
                Message::PaperSaved(place, key, count, r)
            },
        )
    }

    /// The file written, or why not.
    pub fn saved(
        &mut self,
        place: Place,
        key: &'static str,
        count: usize,
        r: Result<PathBuf, Failure>,
        tr: &Tr,
    ) {
        match r {
            Ok(p) => {
                let text = tr.ta(key, &[("path", &p.display().to_string()), ("count", &count.to_string())]);
                self.say(place, true, text, Some(p));
            }
            Err(f) => self.say(place, false, f.message, None),
        }
    }

    /// Opens the file just written in the system's viewer (to print it from there).
    pub fn open(&mut self, tr: &Tr) {
        let Some(note) = self.note.as_mut() else { return };
        let Some(p) = note.saved.clone() else { return };
        if let Err(e) = super::super::print::open_in_viewer(&p) {
            note.ok = false;
            note.text =
                tr.ta("print-open-failed", &[("path", &p.display().to_string()), ("error", &e.to_string())]);
            note.saved = None;
        }
    }

    /// What the last paper asked for at `place` did (with 打开 for a file written).
    pub fn note_view<'a>(&'a self, place: Place, tr: &Tr) -> Option<Element<'a, Message>> {
        let n = self.note_at(place)?;
        let mut line =
            row![text(n.text.clone()).size(13).style(if n.ok { theme::success } else { theme::error })]
                .spacing(8)
                .align_y(Alignment::Center);
        if let Some(p) = &n.offer {
            line = line.push(
                container(
                    button(
                        text(tr.ta("desk-paper-save-here", &[("path", &p.display().to_string())])).size(12),
                    )
                    .on_press(Message::PaperSaveOffered)
                    .padding([2, 8])
                    .style(button::secondary),
                )
                .id(SAVE_OFFERED_ID),
            );
        }
        if n.saved.is_some() {
            line = line.push(
                container(
                    button(text(tr.t("print-open")).size(12))
                        .on_press(Message::OpenPaper)
                        .padding([2, 8])
                        .style(button::secondary),
                )
                .id(OPEN_PAPER_ID),
            );
        }
        Some(line.into())
    }
}

#[cfg(test)]
mod tests {
    use super::Period;

    fn day(s: &str) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn periods_of_the_register_end_on_the_month_s_last_day_across_the_year_and_february() {
        let at = |p: Period, d: &str| p.dates(day(d));
        assert_eq!(at(Period::ThisMonth, "2026-12-15"), ("2026-12-01".into(), "2026-12-31".into()));
        assert_eq!(at(Period::LastMonth, "2026-01-10"), ("2025-12-01".into(), "2025-12-31".into()));
        assert_eq!(at(Period::LastMonth, "2028-03-31"), ("2028-02-01".into(), "2028-02-29".into()));
        assert_eq!(at(Period::ThisYear, "2026-11-23"), ("2026-01-01".into(), "2026-12-31".into()));
    }
}
