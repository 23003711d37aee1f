//! Starting configurations for a new library: category tree, document types, checklists and
//! custom fields. An admin changes all of it afterwards.

use crate::model::FieldKind;
use crate::model::storage::BoxMode;

pub struct Template {
    pub name: &'static str,
    /// `(code, name, parent code)`, parents first.
    pub categories: &'static [(&'static str, &'static str, Option<&'static str>)],
    /// `(code, name)`.
    pub doc_types: &'static [(&'static str, &'static str)],
    /// `(category code, required doc type codes)`; sub-categories inherit.
    pub required: &'static [(&'static str, &'static [&'static str])],
    /// `(category, group, key, kind, required, options, unit)`; sub-categories inherit.
    pub fields: &'static [FieldDef],
    pub default_category: &'static str,
    /// `(category code, boxing mode, capacity, spine mm)`: the box rules it starts with
    /// (the library's default rule covers the other categories).
    pub box_rules: &'static [(&'static str, BoxMode, &'static str, i64)],
}

pub type FieldDef =
    (&'static str, &'static str, &'static str, FieldKind, bool, &'static [&'static str], &'static str);

/// Any business that keeps one dossier per customer.
pub const GENERAL: Template = Template {
    name: "general",
    categories: &[
        ("PERSON", "个人客户", None),
        ("ORG", "单位客户", None),
        ("ORG-ENT", "企业", Some("ORG")),
        ("ORG-GOV", "机关事业单位", Some("ORG")),
    ],
    doc_types: &[
        ("ID", "身份证件复印件"),
        ("LICENSE", "营业执照"),
        ("APP", "申请表"),
        ("CONTRACT", "合同"),
        ("AUTH", "授权委托书"),
        ("OTHER", "其他"),
    ],
    required: &[("PERSON", &["ID", "APP", "CONTRACT"]), ("ORG", &["LICENSE", "APP", "CONTRACT", "AUTH"])],
    fields: &[],
    default_category: "PERSON",
    box_rules: &[],
};

/// A power utility's customer records (供电营业厅): households and businesses by voltage.
pub const UTILITY: Template = Template {
    name: "utility",
    categories: &[
        ("RES", "居民", None),
        ("RES-LV", "低压居民", Some("RES")),
        ("NONRES", "非居民", None),
        ("HV", "高压", Some("NONRES")),
        ("HV-10", "10千伏", Some("HV")),
        ("HV-35", "35千伏及以上", Some("HV")),
        ("LV", "低压非居民", Some("NONRES")),
    ],
    doc_types: &[
        ("ID", "身份证复印件"),
        ("APP", "用电申请书"),
        ("CONTRACT", "供用电合同"),
        ("PROPERTY", "产权证明"),
        ("LICENSE", "营业执照"),
        ("LEGAL-ID", "法人身份证复印件"),
        ("DRAWING", "受电工程设计图纸"),
        ("ACCEPT", "竣工检验报告"),
        ("INSPECT", "用电检查单"),
        ("CAPACITY", "增容申请书"),
        ("TRANSFER", "过户申请书"),
        ("METER", "计量装置装拆单"),
        ("OTHER", "其他"),
    ],
    required: &[
        ("RES", &["ID", "APP", "CONTRACT", "PROPERTY"]),
        ("NONRES", &["LICENSE", "LEGAL-ID", "APP", "CONTRACT"]),
        ("HV", &["DRAWING", "ACCEPT", "INSPECT"]),
        ("LV", &["PROPERTY"]),
    ],
    fields: &[
        ("RES", "用电信息", "户号", FieldKind::Text, true, &[], ""),
        ("NONRES", "用电信息", "户号", FieldKind::Text, true, &[], ""),
        (
            "NONRES",
            "用电信息",
            "电价类别",
            FieldKind::Choice,
            true,
            &["一般工商业", "大工业", "农业生产"],
            "",
        ),
        ("HV", "受电设备", "变压器容量", FieldKind::Integer, true, &[], "kVA"),
        ("HV", "受电设备", "供电电压", FieldKind::Choice, false, &["10kV", "35kV", "110kV"], ""),
        ("HV", "受电设备", "双电源", FieldKind::Bool, false, &[], ""),
    ],
    default_category: "RES-LV",
    // A high-voltage customer's dossier is thick and consulted often: a box of its own.
    // Residential and low-voltage customers share boxes, twenty folders to a box.
    box_rules: &[
        ("HV", BoxMode::Own, "1", 50),
        ("RES", BoxMode::Shared, "20", 40),
        ("LV", BoxMode::Shared, "20", 40),
    ],
};

pub const ALL: &[&Template] = &[&GENERAL, &UTILITY];

pub fn by_name(name: &str) -> Option<&'static Template> {
    ALL.iter().copied().find(|t| t.name == name)
}
