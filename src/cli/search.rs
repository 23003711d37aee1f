//! `search` and `reindex`.

use clap::Args;

use super::Ctx;
use super::customer::parse;
use super::output::{ProgressLine, table, width};
use crate::core::Access;
use crate::core::index::SearchQuery;
use crate::model::{Grade, Status};

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for: a name or part of one, pinyin or initials, an ID or phone number or
    /// their last digits, a dossier number, words of an address or a document title.
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Only this category (code or name) and those below it.
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long, value_parser = parse::<Grade>)]
    pub grade: Option<Grade>,
    #[arg(long, value_parser = parse::<Status>)]
    pub status: Option<Status>,
    /// Only dossiers out on loan (or, with --on-loan=false, only those in).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub on_loan: Option<bool>,
}

/// The translated label of a stored code, or the code itself if it is none we know.
fn label<T: std::str::FromStr>(tr: &crate::i18n::Tr, code: &str, key: impl Fn(T) -> &'static str) -> String {
    code.parse::<T>().map(|v| tr.t(key(v))).unwrap_or_else(|_| code.to_string())
}

pub fn search(ctx: &Ctx, a: SearchArgs) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Read)?;
    let q = SearchQuery {
        text: a.query.join(" "),
        category: a.category,
        grade: a.grade,
        status: a.status,
        on_loan: a.on_loan,
        limit: a.limit,
        ..Default::default()
    };
    let hits = s.search(&q)?;
    if hits.is_empty() {
        ctx.out.note(ctx.tr.ta("cli-nothing-found", &[("query", &q.text)]));
    }
    ctx.out.emit(&hits, || {
        let rows: Vec<Vec<String>> = hits
            .iter()
            .map(|h| {
                let mut flags = Vec::new();
                if let Some(note) = &h.loan {
                    flags.push(crate::i18n::loan_note(&ctx.tr, note));
                } else if h.on_loan {
                    flags.push(ctx.tr.t("loan-state-out"));
                }
                if h.confidential {
                    flags.push(ctx.tr.t("search-flag-confidential"));
                }
                vec![
                    h.dossier.clone(),
                    h.marked_name(),
                    h.category.clone(),
                    label::<Grade>(&ctx.tr, &h.grade, Grade::label_key),
                    label::<Status>(&ctx.tr, &h.status, Status::label_key),
                    if h.location.is_empty() { "-".into() } else { h.location.clone() },
                    flags.join(" "),
                ]
            })
            .collect();
        // Each row, then the matched text under it when the match was not in the name.
        let indent = " ".repeat(hits.iter().map(|h| width(&h.dossier)).max().unwrap_or(0) + 2);
        let mut out = String::new();
        for (line, h) in table(&rows).lines().zip(&hits) {
            out.push_str(line);
            out.push('\n');
            if !h.snippet_is_name() {
                out.push_str(&format!("{indent}{}\n", h.marked()));
            }
        }
        out
    })
}

pub fn reindex(ctx: &Ctx) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Write)?;
    let mut line = ProgressLine::new(ctx.tr.t("cli-progress-reindex"));
    let stats = s.reindex(&mut |done, total| line.update(done, total))?;
    line.finish();
    ctx.out.note(ctx.tr.ta(
        "cli-reindexed",
        &[
            ("count", &stats.documents.to_string()),
            ("seconds", &format!("{:.1}", stats.seconds)),
            ("mib", &format!("{:.1}", stats.bytes as f64 / 1048576.0)),
        ],
    ));
    ctx.out.emit(&stats, String::new)
}
