//! What the search index is made from: one customer's searchable record, as the database has
//! it. `store` reads it, `search` analyses it; neither knows the other.

/// Everything the index holds about one customer, as the database has it now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub id: i64,
    pub dossier: String,
    pub name: String,
    pub former_names: Vec<String>,
    pub id_number: Option<String>,
    pub phones: Vec<String>,
    pub address: String,
    pub category_id: i64,
    pub category_path: String,
    pub grade: String,
    pub status: String,
    pub confidential: bool,
    pub notes: String,
    /// Custom field values as text (numbers and dates included: 户号 is searched).
    pub custom: Vec<String>,
    /// `(type name, title, notes)` of each document.
    pub documents: Vec<(String, String, String)>,
    /// Where the paper folder is: its location path and box code (`档案室A/1排/3列/2层 · BX00000017`),
    /// empty while it is not filed.
    pub place: String,
    /// Who has the folder on loan and until when (or lost it), while it is out.
    pub loan: Option<LoanNote>,
    /// The recognised text (OCR) of its scanned pages, page after page (capped: see
    /// `store::search::MAX_PAGE_TEXT`).
    pub page_text: String,
}

/// What search shows of a dossier out on loan: 借出：周瑜，应还 12-05 (or lost).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LoanNote {
    pub borrower: String,
    /// Due back (YYYY-MM-DD).
    pub due: String,
    /// Reported lost while on loan.
    pub lost: bool,
}

impl LoanNote {
    /// The stored form: fields joined by tabs (names and dates hold none).
    pub fn to_stored(&self) -> String {
        format!("{}\t{}\t{}", self.borrower, self.due, if self.lost { "lost" } else { "out" })
    }

    pub fn from_stored(s: &str) -> Option<LoanNote> {
        let mut it = s.split('\t');
        let (borrower, due, state) = (it.next()?, it.next()?, it.next()?);
        (!borrower.is_empty()).then(|| LoanNote {
            borrower: borrower.to_string(),
            due: due.to_string(),
            lost: state == "lost",
        })
    }
}
