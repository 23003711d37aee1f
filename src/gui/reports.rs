//! 统计报表: pick a report and a period; a bar chart where people would rather look than read
//! (holdings, completeness, loans per month or department, overdue, workload), the table with
//! its totals under it, 导出 to CSV or XLSX. Counted by the core off the UI thread.

use std::path::PathBuf;

use iced::widget::canvas::{self, Canvas, Frame, Geometry};
use iced::widget::{button, column, container, row, scrollable, text, text_input};
use iced::{Element, Length, Point, Rectangle, Renderer, Size, Task, Theme, mouse};

use super::backend::{Backend, Failure};
use super::i18n::Tr;
use super::theme;
use crate::core::reports::{Cell, Period, Report, ReportKind};

pub const FROM_ID: &str = "reports-from";
pub const TO_ID: &str = "reports-to";

/// The most bars a chart draws (the first ones; the table has them all).
const MAX_BARS: usize = 36;

#[derive(Debug, Default)]
pub struct Reports {
    pub kind: Option<ReportKind>,
    pub from: String,
    pub to: String,
    pub report: Option<Report>,
    pub loading: bool,
    pub error: Option<String>,
    /// What the last export said.
    pub exported: Option<Result<String, String>>,
    cache: canvas::Cache,
}

#[derive(Debug, Clone)]
pub enum Message {
    Pick(ReportKind),
    From(String),
    To(String),
    Load,
    Loaded(Result<Report, Failure>),
    /// 导出: a save dialog first; a path skips it (tests).
    Export(Option<PathBuf>),
    ExportCancelled,
    Exported(Result<PathBuf, Failure>),
}

/// A cell in the user's words.
fn words(tr: &Tr, c: &Cell) -> String {
    match c {
        Cell::Text(t) => t.strip_prefix("key:").map(|k| tr.t(k)).unwrap_or_else(|| t.clone()),
        other => other.display(),
    }
}

fn value(c: &Cell) -> f64 {
    match c {
        Cell::Int(i) => *i as f64,
        Cell::Float(f) => *f,
        _ => 0.0,
    }
}

impl Reports {
    /// Opening the screen: the first report, all time.
    pub fn enter(&mut self, backend: &Backend, tr: &Tr) -> Task<Message> {
        if self.kind.is_none() {
            self.kind = Some(ReportKind::Holdings);
        }
        self.update(Message::Load, backend, tr)
    }

    fn period(&self, tr: &Tr) -> Result<Period, String> {
        let date = |s: &str, what: &str| -> Result<Option<chrono::NaiveDate>, String> {
            match s.trim() {
                "" => Ok(None),
                t => crate::model::parse_date(t, what).map(Some).map_err(|e| tr.error(&e)),
            }
        };
        Ok(Period { from: date(&self.from, "label-from")?, to: date(&self.to, "label-to")? })
    }

    pub fn update(&mut self, m: Message, backend: &Backend, tr: &Tr) -> Task<Message> {
        match m {
            Message::Pick(k) => {
                self.kind = Some(k);
                return self.update(Message::Load, backend, tr);
            }
            Message::From(v) => self.from = v,
            Message::To(v) => self.to = v,
            Message::Load => {
                let Some(kind) = self.kind else { return Task::none() };
                let period = match self.period(tr) {
                    Ok(p) => p,
                    Err(e) => {
                        self.error = Some(e);
                        return Task::none();
                    }
                };
                self.loading = true;
                self.error = None;
                self.exported = None;
                return backend.run(move |s| s.report(kind, &period), Message::Loaded);
            }
            Message::Loaded(r) => {
                self.loading = false;
                self.cache.clear();
                match r {
                    Ok(r) => self.report = Some(r),
                    Err(f) => {
                        self.report = None;
                        self.error = Some(f.message);
                    }
                }
            }
            Message::Export(None) => {
                let Some(r) = &self.report else { return Task::none() };
                let name =
                    format!("{}-{}.xlsx", tr.t(&r.kind.title_key()), crate::core::today().format("%Y%m%d"))
                        .replace(['（', '）', '(', ')', ' ', '/'], "");
                let dir = super::print::papers_dir();
                return Task::perform(
                    async move {
                        rfd::AsyncFileDialog::new()
                            .add_filter("Excel", &["xlsx"])
                            .add_filter("CSV", &["csv"])
                            .set_directory(dir)
                            .set_file_name(name)
                            .save_file()
                            .await
                            .map(|h| h.path().to_path_buf())
                    },
                    |p| match p {
                        Some(p) => Message::Export(Some(p)),
                        None => Message::ExportCancelled,
                    },
                );
            }
            Message::Export(Some(path)) => {
                let Some(r) = self.report.clone() else { return Task::none() };
                let language = tr.language;
                let language_for_errors = backend.language();
                return super::backend::blocking(
                    move || {
                        let tr = Tr::new(language);
                        r.write(&path, &|k: &str| tr.t(k))
                            .map(|()| path)
                            .map_err(|e| Failure::new(&e, language_for_errors))
                    },
                    move |r| {
                        Message::Exported(r.unwrap_or_else(|| {
                            Err(Failure::internal("app-work-stopped", language_for_errors))
                        }))
                    },
                );
            }
            Message::ExportCancelled => {}
            Message::Exported(r) => {
                self.exported = Some(match r {
                    Ok(p) => Ok(tr.ta("report-exported", &[("file", &p.display().to_string())])),
                    Err(f) => Err(f.message),
                });
            }
        }
        Task::none()
    }

    pub fn view<'a>(&'a self, tr: &'a Tr) -> Element<'a, Message> {
        let mut kinds = row![].spacing(6);
        for k in ReportKind::ALL {
            let selected = self.kind == Some(k);
            kinds = kinds.push(
                button(text(tr.t(&format!("report-short-{}", k.as_str()))).size(14))
                    .on_press(Message::Pick(k))
                    .style(if selected { button::primary } else { button::secondary }),
            );
        }
        let period = row![
            text(tr.t("report-from")).size(13),
            text_input("YYYY-MM-DD", &self.from)
                .on_input(Message::From)
                .on_submit(Message::Load)
                .width(130)
                .id(FROM_ID),
            text(tr.t("report-to")).size(13),
            text_input("YYYY-MM-DD", &self.to)
                .on_input(Message::To)
                .on_submit(Message::Load)
                .width(130)
                .id(TO_ID),
            button(text(tr.t("report-show"))).on_press_maybe((!self.loading).then_some(Message::Load)),
            iced::widget::space::horizontal(),
            button(text(tr.t("export-button")))
                .on_press_maybe(
                    self.report.as_ref().filter(|r| !r.rows.is_empty()).map(|_| Message::Export(None))
                )
                .style(button::secondary),
        ]
        .spacing(8)
        .align_y(iced::Alignment::Center);
        let mut page =
            column![text(tr.t("nav-reports")).size(26), kinds.wrap(), period].spacing(12).padding(24);
        if let Some(e) = &self.error {
            page = page.push(container(text(e.clone())).padding(10).style(theme::error_box));
        }
        if let Some(f) = &self.exported {
            page = page.push(match f {
                Ok(m) => text(m.clone()).size(13).style(theme::success),
                Err(e) => text(e.clone()).size(13).style(theme::error),
            });
        }
        if self.loading {
            page = page.push(text(tr.t("report-loading")).style(theme::muted));
        }
        if let Some(r) = &self.report {
            page = page.push(text(tr.t(&r.kind.title_key())).size(18));
            if r.rows.is_empty() {
                page = page.push(text(tr.t("report-empty")).style(theme::muted));
            } else {
                if let Some(col) = r.chart {
                    // One bar per value of the first column (holdings: a category's years summed).
                    let mut bars: Vec<(String, f64)> = Vec::new();
                    for row in &r.rows {
                        let label = row.first().map(|c| words(tr, c)).unwrap_or_default();
                        let v = row.get(col).map_or(0.0, value);
                        match bars.iter_mut().find(|b| b.0 == label) {
                            Some(b) if r.kind == ReportKind::Holdings => b.1 += v,
                            _ => bars.push((label, v)),
                        }
                    }
                    bars.truncate(MAX_BARS);
                    let height = (bars.len() as f32 * 24.0).clamp(60.0, 600.0);
                    page = page.push(
                        text(tr.t(r.columns.get(col).copied().unwrap_or_default()))
                            .size(13)
                            .style(theme::muted),
                    );
                    page = page.push(
                        Canvas::new(Bars { bars, cache: &self.cache })
                            .width(Length::Fill)
                            .height(Length::Fixed(height)),
                    );
                }
                page = page.push(table(r, tr));
            }
        }
        scrollable(page).into()
    }
}

/// The report's table with its totals.
fn table<'a>(r: &Report, tr: &Tr) -> Element<'a, Message> {
    let widths: Vec<f32> =
        r.columns.iter().enumerate().map(|(i, _)| if i == 0 { 240.0 } else { 110.0 }).collect();
    let line = |cells: Vec<String>, bold: bool| {
        let mut row_ = row![].spacing(8);
        for (i, c) in cells.into_iter().enumerate() {
            let t = text(c).size(13).width(widths.get(i).copied().unwrap_or(110.0));
            row_ = row_.push(if bold { t.style(theme::heading) } else { t });
        }
        row_
    };
    let mut col = column![line(r.columns.iter().map(|k| tr.t(k)).collect(), true)].spacing(4);
    for row_ in &r.rows {
        col = col.push(line(row_.iter().map(|c| words(tr, c)).collect(), false));
    }
    if let Some(t) = &r.totals {
        col = col.push(line(t.iter().map(|c| words(tr, c)).collect(), true));
    }
    container(col).padding(12).style(theme::card).into()
}

/// Horizontal bars: one per row, labelled, longest = the largest value.
struct Bars<'a> {
    bars: Vec<(String, f64)>,
    cache: &'a canvas::Cache,
}

impl<M> canvas::Program<M> for Bars<'_> {
    type State = ();

    fn draw(
        &self,
        _: &(),
        renderer: &Renderer,
        _: &Theme,
        bounds: Rectangle,
        _: mouse::Cursor,
    ) -> Vec<Geometry> {
        let geometry = self.cache.draw(renderer, bounds.size(), |frame: &mut Frame| {
            let n = self.bars.len().max(1);
            let max = self.bars.iter().map(|b| b.1).fold(0.0, f64::max).max(1e-9);
            let label_w = 200.0_f32.min(bounds.width * 0.4);
            let slot = bounds.height / n as f32;
            let bar_h = (slot * 0.7).clamp(2.0, 22.0);
            let size = (bar_h * 0.8).clamp(8.0, 13.0);
            for (i, (label, v)) in self.bars.iter().enumerate() {
                let y = i as f32 * slot + (slot - bar_h) / 2.0;
                let w = ((bounds.width - label_w - 70.0) * (*v / max) as f32).max(0.0);
                frame.fill_rectangle(
                    Point::new(label_w, y),
                    Size::new(w.max(1.0), bar_h),
                    theme::chart_bar_colour(),
                );
                if slot >= 9.0 {
                    let text = |content: String, x: f32| canvas::Text {
                        content,
                        position: Point::new(x, y + (bar_h - size) / 2.0),
                        color: theme::ink_colour(),
                        size: size.into(),
                        font: theme::FONT,
                        ..canvas::Text::default()
                    };
                    let shown: String = label.chars().take(18).collect();
                    frame.fill_text(text(shown, 0.0));
                    let figure = if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") };
                    frame.fill_text(text(figure, label_w + w + 6.0));
                }
            }
        });
        vec![geometry]
    }
}
