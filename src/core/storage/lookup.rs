//! `where CODE`: any scanned or typed code (a box, a location, a dossier number, a location's
//! path) resolved to what it is, where it is now, where it belongs and what it holds.

use super::boxes::BoxView;
use super::*;
use crate::model::Status;
use crate::model::storage::{BoxInfo, CodeShape, Location, Movement, Placement};

/// What a code named.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Found {
    Dossier {
        dossier: String,
        name: String,
        status: Status,
        /// None: the folder is not filed in a box yet.
        placement: Option<Placement>,
        movements: Vec<Movement>,
        /// Its loan while it is out (or lost).
        loan: Option<crate::core::loans::OnLoan>,
    },
    /// A borrower's card (or badge).
    Borrower(Box<crate::core::loans::BorrowerView>),
    Box(BoxView),
    Location {
        location: Location,
        /// The levels right below it.
        children: Vec<Location>,
        /// Boxes that belong here (or below).
        boxes: Vec<BoxInfo>,
        /// Boxes standing here now that belong elsewhere.
        visiting: Vec<BoxInfo>,
    },
}

impl Found {
    /// The code that names it (a box code, a location code, a dossier number).
    pub fn code(&self) -> &str {
        match self {
            Found::Dossier { dossier, .. } => dossier,
            Found::Box(b) => &b.info.code,
            Found::Location { location, .. } => &location.code,
            Found::Borrower(b) => &b.summary.borrower.code,
        }
    }
}

impl Session {
    /// Resolves any code. A code with a wrong check digit is refused as mistyped (never
    /// guessed); a product barcode or anything else unknown is "not a Dangan code".
    pub fn where_is(&mut self, code: &str) -> Result<Found> {
        self.require(Permission::ReadDossiers)?;
        let raw = code.trim();
        if raw.is_empty() {
            return Err(Error::usage("code-empty"));
        }
        let norm = st::normalize_code(raw);
        let conn = self.lib.db.conn();
        let t = Tx::new(conn);
        if db::box_by_code(t, &norm)?.is_some() {
            return Ok(Found::Box(self.box_view(&norm)?));
        }
        let location = match db::location_by_code(t, &norm)? {
            Some(l) => Some(l),
            None if raw.contains(['/', '／', '›', '>']) => match locations::split_path(raw) {
                Ok(segs) => db::location_by_path(t, &segs.join("/"))?,
                Err(_) => None,
            },
            None => None,
        };
        if let Some(location) = location {
            let children = db::children(t, Some(location.id))?;
            let boxes = db::boxes_under(t, &location.path, false)?;
            let visiting = db::boxes_under(t, &location.path, true)?
                .into_iter()
                .filter(|b| !boxes.iter().any(|x| x.id == b.id))
                .collect();
            return Ok(Found::Location { location, children, boxes, visiting });
        }
        for candidate in [raw, norm.as_str()] {
            if store::customers::get(conn, candidate)?.is_some() {
                let (customer, _) =
                    self.lib.db.read(|tx| crate::core::customers::load_customer(tx, candidate))?;
                self.guard_dossier(&customer)?;
                let t = self.lib.db.tx();
                let placement = filing::placement(t, &customer.dossier, customer.id)?;
                let movements = db::dossier_movements(t, customer.id, 50)?;
                let loan = self.on_loan(Some(customer.id), None)?;
                return Ok(Found::Dossier {
                    dossier: customer.dossier,
                    name: customer.name,
                    status: customer.status,
                    placement,
                    movements,
                    loan,
                });
            }
        }
        if crate::store::loans::borrower_by_code(self.lib.db.tx(), &norm)?.is_some() {
            return Ok(Found::Borrower(Box::new(self.borrower(&norm)?)));
        }
        Err(unknown_code(conn, raw)?)
    }
}

/// The error for a code that names nothing: mistyped (a wrong check digit, never guessed), a
/// box or location of ours that does not exist, a product barcode, or anything else.
pub(crate) fn unknown_code(conn: &rusqlite::Connection, raw: &str) -> Result<Error> {
    let norm = st::normalize_code(raw);
    let prefix = settings(conn)?.box_prefix;
    if let Some(Err(expected)) = crate::model::loans::borrower_code_shape(&norm) {
        return Ok(Error::usage("code-mistyped").arg("code", &norm).arg("expected", expected));
    }
    Ok(match st::code_shape(&norm, &prefix) {
        CodeShape::Mistyped { expected, .. } => {
            Error::usage("code-mistyped").arg("code", &norm).arg("expected", expected)
        }
        CodeShape::Box(_) => Error::missing("box-not-found").arg("code", &norm),
        CodeShape::Location(_) => Error::missing("location-not-found").arg("path", &norm),
        CodeShape::Other if st::looks_like_product_code(&norm) => {
            Error::missing("code-foreign").arg("code", &norm)
        }
        CodeShape::Other => Error::missing("code-unknown").arg("code", raw),
    })
}
