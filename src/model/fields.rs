//! Custom fields (per category, defined by an admin): values are validated by type and stored
//! as a JSON object on the customer.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::error::{Error, Result};
use crate::model::ids::to_halfwidth;
use crate::model::{CustomField, FieldKind};

const MAX_TEXT: usize = 500;

/// Parses one value for a field. An empty input means "unset".
pub fn parse_value(field: &CustomField, input: &str) -> Result<Option<Value>> {
    let raw = input.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let half = to_halfwidth(raw);
    let bad = |expect: &'static str| {
        Error::usage("field-bad-value").arg("field", &field.key).arg("value", raw).arg("expect", expect)
    };
    let v = match field.kind {
        FieldKind::Text => {
            if raw.chars().count() > MAX_TEXT {
                return Err(Error::usage("field-too-long").arg("field", &field.key).arg("max", MAX_TEXT));
            }
            Value::String(raw.to_string())
        }
        FieldKind::Integer => {
            let s = half.trim_end_matches(field.unit.as_str()).trim().replace(',', "");
            Value::from(s.parse::<i64>().map_err(|_| bad("expect-integer"))?)
        }
        FieldKind::Decimal => {
            let s = half.trim_end_matches(field.unit.as_str()).trim().replace(',', "");
            let x: f64 = s.parse().map_err(|_| bad("expect-decimal"))?;
            if !x.is_finite() {
                return Err(bad("expect-decimal"));
            }
            serde_json::Number::from_f64(x).map(Value::Number).ok_or_else(|| bad("expect-decimal"))?
        }
        FieldKind::Date => Value::String(crate::model::parse_date(raw, &field.key)?.to_string()),
        FieldKind::Choice => match field.options.iter().find(|o| o.as_str() == raw) {
            Some(o) => Value::String(o.clone()),
            None => {
                return Err(Error::usage("field-not-a-choice")
                    .arg("field", &field.key)
                    .arg("value", raw)
                    .arg("choices", field.options.join(", ")));
            }
        },
        FieldKind::Bool => match half.to_lowercase().as_str() {
            "是" | "有" | "yes" | "y" | "true" | "1" => Value::Bool(true),
            "否" | "无" | "no" | "n" | "false" | "0" => Value::Bool(false),
            _ => return Err(bad("expect-bool")),
        },
    };
    Ok(Some(v))
}

/// Applies `changes` (key, raw value; empty value unsets) to `current` for a category whose
/// fields are `fields`. Values of fields that do not apply to the category are dropped (the
/// audit log keeps them). Fails on an unknown key, a bad value, or a required field left empty.
pub fn apply(
    fields: &[CustomField],
    current: &BTreeMap<String, Value>,
    changes: &[(String, String)],
) -> Result<BTreeMap<String, Value>> {
    let mut out: BTreeMap<String, Value> = current
        .iter()
        .filter(|(k, _)| fields.iter().any(|f| &f.key == *k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, raw) in changes {
        let key = key.trim();
        let Some(field) = fields.iter().find(|f| f.key == key) else {
            let known: Vec<&str> = fields.iter().map(|f| f.key.as_str()).collect();
            return Err(if known.is_empty() {
                Error::usage("field-none-here").arg("field", key)
            } else {
                Error::usage("field-unknown").arg("field", key).arg("fields", known.join(", "))
            });
        };
        match parse_value(field, raw)? {
            Some(v) => {
                out.insert(field.key.clone(), v);
            }
            None => {
                out.remove(&field.key);
            }
        }
    }
    let missing: Vec<&str> =
        fields.iter().filter(|f| f.required && !out.contains_key(&f.key)).map(|f| f.key.as_str()).collect();
    if !missing.is_empty() {
        return Err(Error::usage("field-required").arg("fields", missing.join(", ")));
    }
    Ok(out)
}

/// Splits `KEY=VALUE` as given on the command line (also accepts a full-width ＝).
pub fn split_assignment(s: &str) -> Result<(String, String)> {
    let s = s.replacen('＝', "=", 1);
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(Error::usage("field-assignment").arg("value", s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, kind: FieldKind, required: bool, options: &[&str]) -> CustomField {
        CustomField {
            id: 0,
            category: "HV".into(),
            group: "用电信息".into(),
            key: key.into(),
            kind,
            required,
            options: options.iter().map(|s| s.to_string()).collect(),
            unit: if kind == FieldKind::Integer { "kVA".into() } else { String::new() },
        }
    }

    fn fields() -> Vec<CustomField> {
        vec![
            field("户号", FieldKind::Text, true, &[]),
            field("变压器容量", FieldKind::Integer, false, &[]),
            field("电价类别", FieldKind::Choice, false, &["一般工商业", "大工业"]),
            field("投运日期", FieldKind::Date, false, &[]),
            field("双电源", FieldKind::Bool, false, &[]),
        ]
    }

    fn set(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn typed_values_are_parsed() {
        let out = apply(
            &fields(),
            &BTreeMap::new(),
            &set(&[
                ("户号", "0101234567"),
                ("变压器容量", "６３０ kVA"),
                ("电价类别", "大工业"),
                ("投运日期", "2020/5/1"),
                ("双电源", "是"),
            ]),
        )
        .unwrap();
        assert_eq!(out["变压器容量"], Value::from(630));
        assert_eq!(out["投运日期"], Value::from("2020-05-01"));
        assert_eq!(out["双电源"], Value::Bool(true));
    }

    #[test]
    fn bad_values_are_refused_with_the_field_named() {
        for (k, v) in
            [("变压器容量", "很大"), ("电价类别", "居民"), ("投运日期", "2020-13-01"), ("双电源", "也许")]
        {
            let err = apply(&fields(), &BTreeMap::new(), &set(&[("户号", "1"), (k, v)])).unwrap_err();
            assert!(err.to_string().contains(k), "{err}");
        }
        let err = apply(&fields(), &BTreeMap::new(), &set(&[("户号", "1"), ("容量", "1")])).unwrap_err();
        assert!(err.to_string().contains("户号, 变压器容量"), "{err}");
    }

    #[test]
    fn required_fields_must_be_present_and_empty_unsets() {
        let err = apply(&fields(), &BTreeMap::new(), &[]).unwrap_err();
        assert!(err.to_string().contains("户号"), "{err}");
        let cur = apply(&fields(), &BTreeMap::new(), &set(&[("户号", "1"), ("双电源", "否")])).unwrap();
        let out = apply(&fields(), &cur, &set(&[("双电源", "")])).unwrap();
        assert!(!out.contains_key("双电源"));
        assert!(apply(&fields(), &cur, &set(&[("户号", "")])).is_err());
    }

    #[test]
    fn assignments_split_on_the_first_equals() {
        assert_eq!(split_assignment("户号＝01=2").unwrap(), ("户号".into(), "01=2".into()));
        assert!(split_assignment("=1").is_err());
        assert!(split_assignment("户号").is_err());
    }
}
