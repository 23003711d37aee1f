//! The look, as code: one palette (calm blue on warm white, readable all day), and the few
//! container and text styles the screens share.

use iced::widget::{button, container, text};
use iced::{Background, Border, Color, Font, Theme, color};

/// The bundled CJK font (Noto Sans CJK SC, SIL OFL; see assets/fonts/OFL.txt): a machine with
/// no Chinese fonts still shows 欧阳娜娜, not boxes.
/// The bundled font (one copy in the binary, shared with the PDF labels).
pub static FONT_BYTES: &[u8] = &crate::model::font::CJK_FONT_DATA;
pub const FONT: Font = Font::with_name("Noto Sans CJK SC");

pub const SIDEBAR: Color = color!(0x1f3a5f);
pub const SIDEBAR_TEXT: Color = color!(0xe8eef6);
pub const MUTED: Color = color!(0x6b7280);
pub const HIGHLIGHT: Color = color!(0xfff1b8);
pub const SELECTED: Color = color!(0xdbe7f7);
pub const LINE: Color = color!(0xe3e6ea);
/// The bars of the reports' charts: the sidebar's blue, lighter.
pub const CHART_BAR: Color = color!(0x4a78b0);

pub fn theme() -> Theme {
    Theme::custom(
        "Dangan",
        iced::theme::Palette {
            background: color!(0xfbfaf7),
            text: color!(0x1f2328),
            primary: color!(0x2b5f9e),
            success: color!(0x2f7d4f),
            warning: color!(0xb7791f),
            danger: color!(0xb42318),
        },
    )
}

pub fn sidebar(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(SIDEBAR)),
        text_color: Some(SIDEBAR_TEXT),
        ..Default::default()
    }
}

pub fn status_bar(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(color!(0xeef1f5))),
        text_color: Some(MUTED),
        border: Border { color: LINE, width: 1.0, radius: 0.0.into() },
        ..Default::default()
    }
}

pub fn card(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(Color::WHITE)),
        border: Border { color: LINE, width: 1.0, radius: 6.0.into() },
        ..Default::default()
    }
}

/// A count beside a side-bar entry (pages waiting in the inbox).
pub fn badge(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.danger.base.color)),
        text_color: Some(p.danger.base.text),
        border: Border { radius: 9.0.into(), ..Default::default() },
        ..Default::default()
    }
}

pub fn selected_row(_: &Theme) -> container::Style {
    container::Style { background: Some(Background::Color(SELECTED)), ..Default::default() }
}

pub fn error_box(theme: &Theme) -> container::Style {
    let p = theme.palette();
    container::Style {
        background: Some(Background::Color(color!(0xfdecea))),
        text_color: Some(p.danger),
        border: Border { color: p.danger, width: 1.0, radius: 4.0.into() },
        ..Default::default()
    }
}

pub fn warning_box(theme: &Theme) -> container::Style {
    let p = theme.palette();
    container::Style {
        background: Some(Background::Color(color!(0xfff7e6))),
        text_color: Some(p.warning),
        border: Border { color: p.warning, width: 1.0, radius: 4.0.into() },
        ..Default::default()
    }
}

/// A side-bar entry: light text, a lighter band when chosen.
pub fn nav(active: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |_, status| {
        let bg = match (active, status) {
            (true, _) => Some(Background::Color(color!(0x2b5f9e))),
            (false, button::Status::Hovered) => Some(Background::Color(color!(0x2a4a73))),
            _ => None,
        };
        button::Style {
            background: bg,
            text_color: SIDEBAR_TEXT,
            border: Border::default(),
            ..Default::default()
        }
    }
}

/// A result row: a button that looks like a row.
pub fn row_button(selected: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |theme, status| {
        let bg = match (selected, status) {
            (true, _) => Some(Background::Color(SELECTED)),
            (false, button::Status::Hovered) => Some(Background::Color(color!(0xf0f4fa))),
            _ => None,
        };
        button::Style {
            background: bg,
            text_color: theme.palette().text,
            border: Border { color: LINE, width: 0.0, radius: 4.0.into() },
            ..Default::default()
        }
    }
}

/// Secondary text: hints, counts, labels beside values.
pub fn muted(_: &Theme) -> text::Style {
    text::Style { color: Some(MUTED) }
}

/// A confirmation beside the control that caused it ("已保存").
pub fn success(theme: &Theme) -> text::Style {
    text::Style { color: Some(theme.palette().success) }
}

/// An error beside the control that caused it.
pub fn error(theme: &Theme) -> text::Style {
    text::Style { color: Some(theme.palette().danger) }
}

/// A warning next to a control (e.g. values a change of category would drop).
pub fn warning(theme: &Theme) -> text::Style {
    text::Style { color: Some(theme.palette().warning) }
}

/// Text on the side bar.
pub fn sidebar_text(_: &Theme) -> text::Style {
    text::Style { color: Some(SIDEBAR_TEXT) }
}

/// The sheet of a label preview.
pub fn paper_colour() -> Color {
    Color::WHITE
}

/// What a label printer prints with.
/// A bar in a report's chart.
pub fn chart_bar_colour() -> Color {
    CHART_BAR
}

pub fn ink_colour() -> Color {
    Color::BLACK
}

/// A box's fill bar: green while there is room, the calm blue of a full box (the usual state
/// of a box on the shelf), red only when it holds more than its capacity.
pub fn fill_bar(fill: f64) -> impl Fn(&Theme) -> iced::widget::progress_bar::Style {
    move |theme| {
        let p = theme.palette();
        let bar = if fill > 1.0 {
            p.danger
        } else if fill >= 1.0 {
            p.primary
        } else {
            p.success
        };
        iced::widget::progress_bar::Style {
            background: Background::Color(LINE),
            bar: Background::Color(bar),
            border: Border { radius: 3.0.into(), ..Border::default() },
        }
    }
}

/// A heading inside a card ("盒内档案", "移动记录").
pub fn heading(theme: &Theme) -> text::Style {
    text::Style { color: Some(theme.palette().primary) }
}

/// The edge of the sheet in a label preview.
pub fn sheet_edge_colour() -> Color {
    LINE
}

/// A scanned page's thumbnail: white paper with a visible edge and a slight shadow, so a
/// white page stands out from the white card it lies on.
pub fn page_frame(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(Color::WHITE)),
        border: Border { color: Color::from_rgb(0.62, 0.64, 0.68), width: 1.0, radius: 0.0.into() },
        shadow: iced::Shadow {
            color: Color::from_rgba(0.0, 0.0, 0.0, 0.18),
            offset: iced::Vector::new(1.0, 2.0),
            blur_radius: 3.0,
        },
        ..Default::default()
    }
}

/// The page viewer's backdrop: grey, so the page is seen whole up to its edges.
pub fn viewer_backdrop(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(Color::from_rgb(0.42, 0.44, 0.48))),
        border: Border { color: LINE, width: 1.0, radius: 6.0.into() },
        ..Default::default()
    }
}
