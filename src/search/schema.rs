//! The index's schema: its fields, how they are indexed, and the constants of the format.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::model::error::Error;

/// Bumped whenever the schema or the analysis changes: an index of another version is rebuilt.
pub const INDEX_VERSION: u32 = 4;
pub(super) const VERSION_FILE: &str = "dangan-index.json";
pub(super) const TOKENIZER: &str = "dangan_ws";
/// Longest query looked at; the rest is ignored.
pub(super) const MAX_QUERY_CHARS: usize = 200;
pub(super) const MAX_QUERY_PARTS: usize = 8;
/// Index writer memory: small updates, and a full rebuild.
pub(super) const UPDATE_MEMORY: usize = 50_000_000;
pub(super) const REBUILD_MEMORY: usize = 200_000_000;
/// Segments bigger than this are not merged by updates (a rebuild writes them).
pub(super) const MERGE_MAX_DOCS: usize = 20_000;
/// Records handed to an indexing worker at a time.
pub(super) const REBUILD_BATCH: usize = 256;

pub(super) fn ix(e: tantivy::TantivyError) -> Error {
    // tantivy's text can nest its causes over several lines: the first says enough.
    let text = e.to_string();
    let first: String = text.lines().next().unwrap_or_default().chars().take(200).collect();
    Error::io("io-index", std::io::Error::other(first))
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    pub(super) id: Field,
    pub(super) dossier: Field,
    pub(super) exact: Field,
    pub(super) suffix: Field,
    pub(super) surname: Field,
    pub(super) name_x: Field,
    pub(super) pinyin: Field,
    pub(super) pinyin_p: Field,
    pub(super) name_w: Field,
    pub(super) name_g: Field,
    pub(super) text_w: Field,
    pub(super) text_g: Field,
    pub(super) page_w: Field,
    pub(super) page_g: Field,
    pub(super) name: Field,
    pub(super) category: Field,
    pub(super) category_id: Field,
    pub(super) grade: Field,
    pub(super) status: Field,
    pub(super) confidential: Field,
    pub(super) on_loan: Field,
    pub(super) location: Field,
    pub(super) loan: Field,
    pub(super) summary: Field,
    pub(super) codes: Field,
    pub(super) fp: Field,
}

pub(super) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(TOKENIZER).set_index_option(IndexRecordOption::Basic),
    );
    let f = Fields {
        id: b.add_u64_field("id", INDEXED | FAST | STORED),
        dossier: b.add_text_field("dossier", STRING | STORED),
        exact: b.add_text_field("exact", STRING),
        suffix: b.add_text_field("suffix", STRING),
        surname: b.add_text_field("surname", STRING),
        // Whole names (and former names), normalised: an exact name comes first.
        name_x: b.add_text_field("name_x", STRING),
        pinyin: b.add_text_field("pinyin", text.clone()),
        // Beginnings of the pinyin (zhangwe), for a name cut mid-way while typing.
        pinyin_p: b.add_text_field("pinyin_p", text.clone()),
        name_w: b.add_text_field("name_w", text.clone()),
        name_g: b.add_text_field("name_g", text.clone()),
        text_w: b.add_text_field("text_w", text.clone()),
        text_g: b.add_text_field("text_g", text.clone()),
        // Page text (OCR) arrives with scanning; the fields are ready.
        page_w: b.add_text_field("page_w", text.clone()),
        page_g: b.add_text_field("page_g", text),
        name: b.add_text_field("name", STORED),
        category: b.add_text_field("category", STORED),
        category_id: b.add_u64_field("category_id", INDEXED | FAST),
        grade: b.add_text_field("grade", STRING | STORED),
        status: b.add_text_field("status", STRING | STORED),
        confidential: b.add_u64_field("confidential", INDEXED | FAST | STORED),
        on_loan: b.add_u64_field("on_loan", INDEXED | FAST | STORED),
        location: b.add_text_field("location", STORED),
        loan: b.add_text_field("loan", STORED),
        summary: b.add_text_field("summary", STORED),
        codes: b.add_text_field("codes", STORED),
        fp: b.add_u64_field("fp", FAST | STORED),
    };
    (b.build(), f)
}
