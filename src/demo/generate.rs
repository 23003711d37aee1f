//! The synthetic data itself: deterministic for a seed, realistic in shape (surname
//! frequencies, valid ID numbers whose region matches a real district, real mobile prefixes,
//! addresses, businesses with valid social credit codes, papers with dates and contract
//! expiries).

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate};

use super::data::{self, PROVINCES};
use crate::model::ids::{name_key, resident_id_check_char, uscc_check_char};
use crate::model::{Grade, IdKind, NumberingRule, Status};

/// SplitMix64: small, fast, and the same sequence on every platform and version.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6a09_e667_f3bc_c908)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    pub fn range(&mut self, lo: i64, hi_inclusive: i64) -> i64 {
        lo + self.below((hi_inclusive - lo + 1) as u64) as i64
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Picks by weight with a binary search over cumulative weights.
pub(super) struct Weighted<T: Copy> {
    items: Vec<T>,
    cumulative: Vec<u64>,
}

impl<T: Copy> Weighted<T> {
    pub(super) fn new(pairs: impl IntoIterator<Item = (T, u32)>) -> Self {
        let mut items = Vec::new();
        let mut cumulative = Vec::new();
        let mut sum = 0u64;
        for (item, w) in pairs {
            sum += u64::from(w.max(1));
            items.push(item);
            cumulative.push(sum);
        }
        Weighted { items, cumulative }
    }

    pub(super) fn pick(&self, rng: &mut Rng) -> T {
        let total = self.cumulative.last().copied().unwrap_or(1);
        let x = rng.below(total);
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.items[i.min(self.items.len() - 1)]
    }
}

/// One generated paper.
#[derive(Debug, Clone)]
pub struct GenDocument {
    pub doc_type: &'static str,
    pub title: String,
    pub date: String,
    pub expires_on: Option<String>,
    pub pages: i64,
}

/// One generated customer and dossier.
#[derive(Debug, Clone)]
pub struct Generated {
    pub dossier: String,
    pub scope: String,
    pub seq: i64,
    pub name: String,
    pub name_key: String,
    pub former_names: String,
    pub id_kind: IdKind,
    pub id_number: String,
    pub phones: Vec<String>,
    pub address: String,
    pub category: &'static str,
    pub grade: Grade,
    pub status: Status,
    pub confidential: bool,
    pub clerk: usize,
    pub notes: String,
    pub custom: String,
    pub created_at: String,
    pub updated_at: String,
    pub closed_at: Option<String>,
    pub documents: Vec<GenDocument>,
}

pub struct Generator {
    rng: Rng,
    total: u64,
    made: u64,
    rule: NumberingRule,
    staff: usize,
    surnames: Weighted<&'static str>,
    mobiles: Weighted<&'static str>,
    company_suffixes: Weighted<&'static str>,
    /// `(province, city, district)` indexes of every district.
    districts: Vec<(usize, usize, usize)>,
    /// Districts of the utility's own province: every address is there; ID numbers come
    /// from anywhere.
    home_districts: Vec<(usize, usize, usize)>,
    ids_seen: HashSet<u64>,
    usccs_seen: HashSet<String>,
    first_day: NaiveDate,
    days: i64,
    year_seq: (i32, i64),
}

const RESIDENT_SHARE: u64 = 850; // per mille
const PRICE_CLASSES: &[&str] = &["一般工商业", "大工业", "农业生产"];
const TRANSFORMERS: &[i64] = &[200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150];

impl Generator {
    pub fn new(seed: u64, total: u64, rule: NumberingRule, staff: usize) -> Generator {
        let mut districts = Vec::new();
        for (p, prov) in PROVINCES.iter().enumerate() {
            for (c, city) in prov.cities.iter().enumerate() {
                for d in 0..city.districts.len() {
                    districts.push((p, c, d));
                }
            }
        }
        let home = PROVINCES.iter().position(|p| p.code == "33").unwrap_or(0);
        let home_districts = districts.iter().copied().filter(|d| d.0 == home).collect();
        let first_day = NaiveDate::from_ymd_opt(2008, 1, 2).unwrap_or_default();
        let last_day = crate::core::today().min(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default());
        Generator {
            rng: Rng::new(seed),
            total,
            made: 0,
            rule,
            staff: staff.max(1),
            surnames: Weighted::new(data::SURNAMES.iter().copied()),
            mobiles: Weighted::new(data::MOBILE_PREFIXES.iter().copied()),
            company_suffixes: Weighted::new(data::COMPANY_SUFFIXES.iter().copied()),
            districts,
            home_districts,
            ids_seen: HashSet::new(),
            usccs_seen: HashSet::new(),
            first_day,
            days: (last_day - first_day).num_days().max(1),
            year_seq: (0, 0),
        }
    }

    pub fn next_batch(&mut self, n: usize) -> Option<Vec<Generated>> {
        if self.made >= self.total {
            return None;
        }
        let n = (n as u64).min(self.total - self.made) as usize;
        Some((0..n).map(|_| self.next_customer()).collect())
    }

    fn next_customer(&mut self) -> Generated {
        let i = self.made;
        self.made += 1;
        // Registration dates rise with the index, so numbers rise within each year.
        let day = self.first_day
            + Duration::days((i as i128 * self.days as i128 / self.total.max(1) as i128) as i64);
        let year = day.year();
        if self.year_seq.0 != year {
            self.year_seq = (year, 0);
        }
        self.year_seq.1 += 1;
        let seq = self.year_seq.1;
        let created = format!(
            "{}T{:02}:{:02}:{:02}.000Z",
            day,
            self.rng.range(0, 9),
            self.rng.range(0, 59),
            self.rng.range(0, 59)
        );
        let mut c =
            if self.rng.chance(RESIDENT_SHARE) { self.resident(day, i) } else { self.business(day, i) };
        c.dossier = self.rule.format(year, seq);
        c.scope = self.rule.scope(year);
        c.seq = seq;
        c.created_at = created.clone();
        c.updated_at = created;
        let r = self.rng.below(1000);
        c.status = if r < 60 {
            Status::Closed
        } else if r < 80 {
            Status::Potential
        } else {
            Status::Active
        };
        if c.status == Status::Closed {
            let closed = day + Duration::days(self.rng.range(30, 3000));
            let closed = closed.min(crate::core::today());
            c.closed_at = Some(format!("{closed}T10:00:00.000Z"));
            c.updated_at = c.closed_at.clone().unwrap_or_default();
        }
        c.confidential = self.rng.chance(10);
        c.clerk = self.rng.below(self.staff as u64) as usize;
        c
    }

    fn blank(&self) -> Generated {
        Generated {
            dossier: String::new(),
            scope: String::new(),
            seq: 0,
            name: String::new(),
            name_key: String::new(),
            former_names: "[]".into(),
            id_kind: IdKind::Resident,
            id_number: String::new(),
            phones: Vec::new(),
            address: String::new(),
            category: "RES-LV",
            grade: Grade::General,
            status: Status::Active,
            confidential: false,
            clerk: 0,
            notes: String::new(),
            custom: "{}".into(),
            created_at: String::new(),
            updated_at: String::new(),
            closed_at: None,
            documents: Vec::new(),
        }
    }

    fn person_name(&mut self, male: bool) -> String {
        let mut name = self.surnames.pick(&mut self.rng).to_string();
        let given_len = if self.rng.chance(280) { 1 } else { 2 };
        for _ in 0..given_len {
            let pool = if self.rng.chance(250) {
                data::GIVEN_NEUTRAL
            } else if male {
                data::GIVEN_MALE
            } else {
                data::GIVEN_FEMALE
            };
            let ch: &&str = self.rng.pick(pool);
            name.push_str(ch);
        }
        name
    }

    fn mobile(&mut self) -> String {
        format!("{}{:08}", self.mobiles.pick(&mut self.rng), self.rng.below(100_000_000))
    }

    fn resident_id(&mut self, male: bool) -> String {
        loop {
            // Six in ten were born in the utility's province; the rest moved there.
            let (p, c, d) = if self.rng.chance(600) {
                *self.rng.pick(&self.home_districts)
            } else {
                *self.rng.pick(&self.districts)
            };
            let region = PROVINCES[p].cities[c].districts[d].code;
            let birth = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap_or_default()
                + Duration::days(self.rng.range(0, 64 * 365));
            let mut seq = self.rng.range(0, 999);
            if (seq % 2 == 1) != male {
                seq = (seq + 1) % 1000;
            }
            let first17 = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
            let Ok(bytes) = <[u8; 17]>::try_from(first17.as_bytes()) else { continue };
            let key: u64 = first17.parse().unwrap_or_default();
            if self.ids_seen.insert(key) {
                return format!("{first17}{}", resident_id_check_char(&bytes));
            }
        }
    }

    fn uscc(&mut self, region: &str) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        loop {
            let mut s = String::from("91");
            s.push_str(region);
            for _ in 0..9 {
                s.push(ALPHABET[self.rng.below(ALPHABET.len() as u64) as usize] as char);
            }
            let Ok(bytes) = <[u8; 17]>::try_from(s.as_bytes()) else { continue };
            if let Some(check) = uscc_check_char(&bytes) {
                s.push(check);
                if self.usccs_seen.insert(s.clone()) {
                    return s;
                }
            }
        }
    }

    fn street_address(&mut self) -> (String, String) {
        let (p, c, d) = *self.rng.pick(&self.home_districts);
        let prov = &PROVINCES[p];
        let city = &prov.cities[c];
        let dist = &city.districts[d];
        let prefix = if city.name == prov.name {
            format!("{}{}", prov.name, dist.name)
        } else {
            format!("{}{}{}", prov.name, city.name, dist.name)
        };
        let road = format!(
            "{}{}{}号",
            self.rng.pick(data::ROAD_STEMS),
            self.rng.pick(data::ROAD_SUFFIXES),
            self.rng.range(1, 999)
        );
        (format!("{prefix}{road}"), city.name.trim_end_matches('市').to_string())
    }

    fn doc(
        &mut self,
        doc_type: &'static str,
        title: &str,
        date: NaiveDate,
        pages: (i64, i64),
    ) -> GenDocument {
        GenDocument {
            doc_type,
            title: title.to_string(),
            date: date.to_string(),
            expires_on: None,
            pages: self.rng.range(pages.0, pages.1),
        }
    }

    /// Papers arrive around registration day, a few days apart.
    fn around(&mut self, day: NaiveDate) -> NaiveDate {
        (day + Duration::days(self.rng.range(-20, 5))).min(crate::core::today())
    }

    fn resident(&mut self, day: NaiveDate, i: u64) -> Generated {
        let male = self.rng.chance(500);
        let mut c = self.blank();
        c.name = self.person_name(male);
        c.name_key = name_key(&c.name);
        c.id_kind = IdKind::Resident;
        c.id_number = self.resident_id(male);
        c.phones.push(self.mobile());
        if self.rng.chance(180) {
            c.phones.push(self.mobile());
        }
        let (street, _) = self.street_address();
        c.address = format!(
            "{street}{}{}{}栋{}单元{}室",
            self.rng.pick(data::COMMUNITY_STEMS),
            self.rng.pick(data::COMMUNITY_SUFFIXES),
            self.rng.range(1, 40),
            self.rng.range(1, 6),
            self.rng.range(1, 33) * 100 + self.rng.range(1, 4)
        );
        c.category = "RES-LV";
        c.grade = if self.rng.chance(15) { Grade::Special } else { Grade::General };
        c.custom = serde_json::json!({ "户号": format!("33{:08}", i + 1) }).to_string();
        let mut docs = Vec::new();
        for (ty, title, p, pages) in [
            ("ID", "身份证复印件", 960, (1, 2)),
            ("APP", "低压居民用电申请书", 970, (1, 2)),
            ("PROPERTY", "房屋产权证明", 860, (1, 4)),
            ("CONTRACT", "低压居民供用电合同", 920, (3, 6)),
        ] {
            if self.rng.chance(p) {
                let d = self.around(day);
                docs.push(self.doc(ty, title, d, pages));
            }
        }
        if self.rng.chance(60) {
            let d = (day + Duration::days(self.rng.range(200, 4000))).min(crate::core::today());
            docs.push(self.doc("METER", "计量装置装拆单", d, (1, 1)));
        }
        if self.rng.chance(30) {
            // A name transfer (过户): the earlier owner becomes a former name.
            let former = self.person_name(!male);
            c.former_names = serde_json::json!([former]).to_string();
            let d = (day + Duration::days(self.rng.range(100, 3000))).min(crate::core::today());
            docs.push(self.doc("TRANSFER", &format!("过户申请书（原户名{former}）"), d, (2, 3)));
        }
        c.documents = docs;
        c
    }

    fn business(&mut self, day: NaiveDate, i: u64) -> Generated {
        let mut c = self.blank();
        let (street, city_short) = self.street_address();
        let (p, ci, d) = *self.rng.pick(&self.home_districts);
        let region = PROVINCES[p].cities[ci].districts[d].code;
        c.name = format!(
            "{city_short}{}{}{}",
            self.rng.pick(data::COMPANY_WORDS),
            self.rng.pick(data::INDUSTRIES),
            self.company_suffixes.pick(&mut self.rng)
        );
        c.name_key = name_key(&c.name);
        c.id_kind = IdKind::Uscc;
        c.id_number = self.uscc(region);
        c.address = street;
        c.phones.push(self.mobile());
        if self.rng.chance(400) {
            c.phones.push(self.mobile());
        }
        let r = self.rng.below(1000);
        let (category, hv) = if r < 50 {
            ("HV-35", true)
        } else if r < 420 {
            ("HV-10", true)
        } else {
            ("LV", false)
        };
        c.category = category;
        c.grade = match (category, self.rng.below(100)) {
            ("HV-35", _) => Grade::Important,
            ("HV-10", 0..=11) => Grade::Important,
            (_, 0..=2) => Grade::Special,
            _ => Grade::General,
        };
        let price = if hv && self.rng.chance(450) {
            PRICE_CLASSES[1]
        } else if self.rng.chance(60) {
            PRICE_CLASSES[2]
        } else {
            PRICE_CLASSES[0]
        };
        let mut custom = serde_json::json!({ "户号": format!("33{:08}", i + 1), "电价类别": price });
        if hv {
            custom["变压器容量"] = (*self.rng.pick(TRANSFORMERS)).into();
            custom["供电电压"] = if category == "HV-35" { "35kV" } else { "10kV" }.into();
            if self.rng.chance(150) {
                custom["双电源"] = true.into();
            }
        }
        c.custom = custom.to_string();
        let male = self.rng.chance(700);
        let legal = self.person_name(male);
        let mut docs = Vec::new();
        for (ty, title, p, pages) in [
            ("LICENSE", "营业执照副本复印件".to_string(), 950, (1, 1)),
            ("LEGAL-ID", format!("法人身份证复印件（{legal}）"), 900, (1, 1)),
            ("APP", "高低压用电申请书".to_string(), 970, (2, 4)),
            ("PROPERTY", "场地产权证明".to_string(), if hv { 500 } else { 850 }, (1, 5)),
        ] {
            if self.rng.chance(p) {
                let d = self.around(day);
                docs.push(self.doc(ty, &title, d, pages));
            }
        }
        if hv {
            for (ty, title, p, pages) in [
                ("DRAWING", "受电工程设计图纸", 850, (4, 30)),
                ("ACCEPT", "受电工程竣工检验报告", 880, (3, 12)),
            ] {
                if self.rng.chance(p) {
                    let d = (day + Duration::days(self.rng.range(10, 120))).min(crate::core::today());
                    docs.push(self.doc(ty, title, d, pages));
                }
            }
            let mut d = day;
            for _ in 0..self.rng.range(0, 4) {
                d += Duration::days(self.rng.range(300, 800));
                if d > crate::core::today() {
                    break;
                }
                docs.push(self.doc("INSPECT", &format!("{}年度用电检查单", d.year()), d, (1, 2)));
            }
        }
        if self.rng.chance(940) {
            // Contracts run five years (high voltage) or ten; some are expiring or expired.
            let d = self.around(day);
            let years = if hv { 5 } else { 10 };
            let mut doc =
                self.doc("CONTRACT", if hv { "高压供用电合同" } else { "低压供用电合同" }, d, (6, 20));
            doc.expires_on = d.with_year(d.year() + years).map(|e| e.to_string());
            docs.push(doc);
        }
        if self.rng.chance(100) {
            let d = (day + Duration::days(self.rng.range(365, 4000))).min(crate::core::today());
            docs.push(self.doc("CAPACITY", "增容申请书", d, (2, 6)));
        }
        c.documents = docs;
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ids;

    fn sample(seed: u64, n: u64) -> Vec<Generated> {
        let mut g = Generator::new(seed, n, NumberingRule::default(), 8);
        let mut out = Vec::new();
        while let Some(b) = g.next_batch(97) {
            out.extend(b);
        }
        out
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        let a = sample(7, 500);
        let b = sample(7, 500);
        let c = sample(8, 500);
        let key = |v: &[Generated]| {
            v.iter().map(|g| format!("{}{}{}", g.dossier, g.name, g.id_number)).collect::<Vec<_>>()
        };
        assert_eq!(key(&a), key(&b));
        assert_ne!(key(&a), key(&c));
        assert_eq!(a.len(), 500);
    }

    #[test]
    fn generated_identities_validate_and_are_unique() {
        let all = sample(1, 3000);
        let mut seen = HashSet::new();
        for g in &all {
            let canon = match g.id_kind {
                IdKind::Resident => ids::normalize_resident_id(&g.id_number),
                _ => ids::normalize_uscc(&g.id_number),
            };
            assert_eq!(canon.as_deref(), Ok(g.id_number.as_str()), "{} {}", g.name, g.id_number);
            assert!(seen.insert(g.id_number.clone()));
            for p in &g.phones {
                assert_eq!(ids::normalize_phone(p).as_deref(), Ok(p.as_str()));
            }
            assert!(!g.name.is_empty() && !g.address.is_empty());
        }
        let dossiers: HashSet<_> = all.iter().map(|g| &g.dossier).collect();
        assert_eq!(dossiers.len(), all.len());
    }

    #[test]
    fn the_mix_looks_like_a_utility() {
        let all = sample(3, 4000);
        let share =
            |f: &dyn Fn(&Generated) -> bool| all.iter().filter(|g| f(g)).count() as f64 / all.len() as f64;
        let residents = share(&|g| g.category == "RES-LV");
        assert!((0.80..0.90).contains(&residents), "{residents}");
        let compound = share(&|g| {
            g.id_kind == IdKind::Resident
                && ["欧阳", "司马", "上官", "诸葛"].iter().any(|s| g.name.starts_with(s))
        });
        assert!(compound > 0.0, "no compound surnames in 4000 people");
        let wang = share(&|g| g.name.starts_with('王'));
        assert!((0.03..0.12).contains(&wang), "王 share {wang}");
        let docs: usize = all.iter().map(|g| g.documents.len()).sum();
        assert!(docs as f64 / all.len() as f64 > 3.0);
        assert!(all.iter().any(|g| g.documents.iter().any(|d| d.expires_on.is_some())));
    }
}
