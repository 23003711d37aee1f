//! Customers and dossiers through the real binary: register, show, list, edit, close, documents,
//! the duplicate guard, validation, custom fields and checklists.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use util::{Lib, resident_id};

#[test]
fn register_show_and_list_a_customer() {
    let lib = Lib::new();
    let id = resident_id("11010519900307123");
    let no = lib.add_customer(&[
        "--name",
        "欧阳 娜娜",
        "--id-number",
        &id,
        "--phone",
        "+86 138 0013 8000",
        "--address",
        "北京市朝阳区建国路1号",
        "--grade",
        "重要",
    ]);
    assert!(no.starts_with("KH-") && no.ends_with("-000001"), "{no}");

    let d = lib.json(&["customer", "show", &no]);
    assert_eq!(d["dossier"], no.as_str());
    assert_eq!(d["name"], "欧阳娜娜");
    assert_eq!(d["id_kind"], "resident");
    assert_eq!(d["id_number"], id.as_str());
    assert_eq!(d["phones"][0], "13800138000");
    assert_eq!(d["grade"], "important");
    assert_eq!(d["status"], "active");
    assert_eq!(d["clerk"], "admin");
    assert_eq!(d["completeness"]["present"], 0);
    assert_eq!(d["completeness"]["required"], 3);

    let text = lib.admin(&["customer", "show", &no]);
    assert!(text.ok().contains("欧阳娜娜") && text.stdout.contains("资料完整度 0/3"), "{}", text.stdout);

    let second = lib.add_customer(&["--name", "张伟", "--category", "ORG-ENT"]);
    assert!(second.ends_with("-000002"));
    let list = lib.json(&["customer", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let orgs = lib.json(&["customer", "list", "--category", "ORG"]);
    assert_eq!(orgs.as_array().unwrap().len(), 1, "a category includes its sub-categories");
    assert_eq!(orgs[0]["name"], "张伟");
    let text = lib.admin(&["customer", "list"]);
    assert!(text.ok().contains("欧阳娜娜"));
}

#[test]
fn old_15_digit_ids_are_upgraded_and_bad_ids_refused() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "李老", "--id-number", "110105491231002"]);
    let d = lib.json(&["customer", "show", &no]);
    assert_eq!(d["id_number"], "11010519491231002X");

    let good = resident_id("11010519900307123");
    let last = good.chars().last().unwrap();
    let wrong = format!("{}{}", &good[..17], if last == '0' { '1' } else { '0' });
    lib.admin(&["customer", "add", "--name", "王五", "--id-number", &wrong]).fails(2, "check digit");
    lib.admin(&["customer", "add", "--name", "王五", "--id-number", "12345"]).fails(2, "12345");
    lib.admin(&["customer", "add", "--name", "   ", "--phone", "13800138000"]).fails(2, "name");
    lib.admin(&["customer", "add", "--name", "王五", "--phone", "12345"]).fails(2, "12345");
    lib.admin(&["customer", "add", "--name", "王五", "--category", "NOPE"]).fails(3, "category");
    lib.admin(&["customer", "add", "--name", "王五", "--grade", "very"]).fails(2, "grade");
    // Nothing half-written by the refusals.
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 1);
}

#[test]
fn a_social_credit_code_is_recognised() {
    let lib = Lib::new();
    let no = lib.add_customer(&[
        "--name",
        "杭州恒达机械有限公司",
        "--id-number",
        "91350100M000100Y43",
        "--category",
        "企业",
    ]);
    let d = lib.json(&["customer", "show", &no]);
    assert_eq!(d["id_kind"], "uscc");
    assert_eq!(d["category_path"], "单位客户 › 企业");
    lib.admin(&["customer", "add", "--name", "X公司", "--id-number", "91350100M000100Y44"])
        .fails(2, "91350100M000100Y44");
}

#[test]
fn the_duplicate_guard_names_the_existing_dossier() {
    let lib = Lib::new();
    let id = resident_id("33010619850512345");
    let first = lib.add_customer(&["--name", "张三", "--id-number", &id, "--phone", "13912345678"]);

    // The same ID number: refused, even with --force.
    for force in [false, true] {
        let mut args = vec!["customer", "add", "--name", "张叁", "--id-number", &id];
        if force {
            args.push("--force");
        }
        lib.admin(&args).fails(4, &first);
    }
    // The same name (normalised) and phone: refused unless forced.
    lib.admin(&["customer", "add", "--name", " 张 三 ", "--phone", "139-1234-5678"]).fails(4, &first);
    let forced = lib.admin(&["customer", "add", "--name", "张三", "--phone", "13912345678", "--force"]);
    assert_ne!(forced.ok().trim(), first);
    // Same name, other phone: fine.
    lib.add_customer(&["--name", "张三", "--phone", "13700000000"]);
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 3);

    // Editing into a duplicate is refused too.
    let other = lib.add_customer(&["--name", "李四"]);
    lib.admin(&["customer", "edit", &other, "--id-number", &id]).fails(4, &first);
}

#[test]
fn edit_keeps_former_names_and_close_reopen_work() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "王芳", "--phone", "13800000001"]);
    let c = lib.json(&[
        "customer",
        "edit",
        &no,
        "--name",
        "王芳芳",
        "--add-phone",
        "0571-87654321",
        "--address",
        "浙江省杭州市西湖区文三路1号",
        "--notes",
        "过户",
    ]);
    assert_eq!(c["name"], "王芳芳");
    assert_eq!(c["former_names"][0], "王芳");
    assert_eq!(c["phones"][1], "0571-87654321");
    lib.admin(&["customer", "edit", &no, "--remove-phone", "13900000000"]).fails(2, "13900000000");
    lib.admin(&["customer", "edit", &no]).fails(2, "Nothing to change");
    lib.admin(&["customer", "edit", &no, "--phone", "bad"]).fails(2, "bad");

    let closed = lib.json(&["customer", "close", &no, "--reason", "用户销户"]);
    assert_eq!(closed["status"], "closed");
    assert!(closed["closed_at"].is_string());
    lib.admin(&["customer", "close", &no]).fails(4, "already closed");
    lib.admin(&["customer", "edit", &no, "--notes", "x"]).fails(4, "reopen");
    // Closing produces papers: a document can still be added to a closed dossier.
    lib.admin(&["doc", "add", &no, "--type", "OTHER", "--title", "销户申请"]).ok();
    let open = lib.json(&["customer", "reopen", &no]);
    assert_eq!(open["status"], "active");
    lib.admin(&["customer", "reopen", &no]).fails(4, "not closed");
    lib.admin(&["customer", "show", "KH-1999-999999"]).fails(3, "KH-1999-999999");
    lib.admin(&["customer", "close", "KH-1999-999999"]).fails(3, "not found");
}

#[test]
fn documents_fill_the_checklist_and_never_replace_each_other() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "赵六"]);
    lib.admin(&["doc", "add", &no, "--type", "ID"]).ok();
    lib.admin(&[
        "doc",
        "add",
        &no,
        "--type",
        "合同",
        "--title",
        "服务合同",
        "--date",
        "2024-01-15",
        "--expires",
        "2027-01-14",
        "--pages",
        "6",
    ])
    .ok();
    lib.admin(&["doc", "add", &no, "--type", "CONTRACT", "--title", "补充协议", "--date", "2025/3/1"]).ok();
    let d = lib.json(&["customer", "show", &no]);
    let docs = d["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 3, "later papers sit beside earlier ones");
    let contract = docs.iter().find(|x| x["title"] == "服务合同").unwrap();
    assert_eq!(contract["expires_on"], "2027-01-14");
    assert_eq!(contract["pages"], 6);
    // A paper counts as present once it is scanned: registered only, it is "not scanned".
    assert_eq!(d["completeness"]["present"], 0);
    assert_eq!(d["completeness"]["required"], 3);
    let missing: Vec<_> = d["completeness"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["count"] == 0)
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(missing, ["申请表"]);
    let text = lib.admin(&["customer", "show", &no]);
    assert!(text.ok().contains("资料完整度 0/3，缺：申请表；未扫描："), "{}", text.stdout);

    lib.admin(&["doc", "add", &no, "--type", "NOPE"]).fails(3, "Document type");
    lib.admin(&["doc", "add", &no, "--type", "ID", "--date", "2024-02-30"]).fails(2, "2024-02-30");
    lib.admin(&["doc", "add", &no, "--type", "CONTRACT", "--date", "2024-01-01", "--expires", "2023-01-01"])
        .fails(2, "before");
    lib.admin(&["doc", "add", "KH-2000-000009", "--type", "ID"]).fails(3, "KH-2000-000009");
    // A scan that is not there: nothing is added.
    lib.admin(&["doc", "add", &no, "--type", "ID", "scan.pdf"]).fails(3, "scan.pdf");
    assert_eq!(lib.count("SELECT count(*) FROM documents"), 3);
}

#[test]
fn custom_fields_are_validated_by_type_and_inherited() {
    let lib = Lib::utility();
    // 高压 10kV inherits 户号/电价类别 from 非居民 and has 变压器容量 of its own.
    lib.admin(&[
        "customer",
        "add",
        "--name",
        "宁波华信电子科技有限公司",
        "--category",
        "HV-10",
        "--field",
        "户号=3300000001",
    ])
    .fails(2, "电价类别");
    lib.admin(&[
        "customer",
        "add",
        "--name",
        "宁波华信电子科技有限公司",
        "--category",
        "HV-10",
        "--field",
        "户号=3300000001",
        "--field",
        "电价类别=大工业",
        "--field",
        "变压器容量=很大",
    ])
    .fails(2, "变压器容量");
    lib.admin(&[
        "customer",
        "add",
        "--name",
        "宁波华信电子科技有限公司",
        "--category",
        "HV-10",
        "--field",
        "户号=3300000001",
        "--field",
        "电价类别=居民",
    ])
    .fails(2, "一般工商业");
    let no = lib.add_customer(&[
        "--name",
        "宁波华信电子科技有限公司",
        "--category",
        "HV-10",
        "--field",
        "户号=3300000001",
        "--field",
        "电价类别=大工业",
        "--field",
        "变压器容量=630kVA",
        "--field",
        "双电源=是",
    ]);
    let d = lib.json(&["customer", "show", &no]);
    assert_eq!(d["custom"]["变压器容量"], 630);
    assert_eq!(d["custom"]["双电源"], true);
    assert_eq!(d["completeness"]["required"], 7, "4 from 非居民 + 3 from 高压");
    assert_eq!(d["category_path"], "非居民 › 高压 › 10千伏");
    let text = lib.admin(&["customer", "show", &no]);
    assert!(text.ok().contains("变压器容量") && text.stdout.contains("0/7"), "{}", text.stdout);

    // An admin defines a new field; a clerk cannot.
    lib.admin(&["field", "add", "LV", "经营面积", "--kind", "decimal", "--unit", "m2"]).ok();
    lib.add_user("clerk1", "clerk");
    lib.run_as("clerk1", &["field", "add", "LV", "x", "--kind", "text"]).fails(5, "may not");
    let lv = lib.add_customer(&[
        "--name",
        "小卖部",
        "--category",
        "LV",
        "--field",
        "户号=3300000002",
        "--field",
        "电价类别=一般工商业",
        "--field",
        "经营面积=35.5",
    ]);
    assert_eq!(lib.json(&["customer", "show", &lv])["custom"]["经营面积"], 35.5);
    lib.admin(&["customer", "edit", &lv, "--field", "经营面积=abc"]).fails(2, "经营面积");
}

#[test]
fn configuration_verbs_change_categories_types_checklists_and_numbering() {
    let lib = Lib::new();
    lib.admin(&["category", "add", "VIP", "贵宾客户", "--parent", "PERSON"]).ok();
    lib.admin(&["category", "add", "VIP", "重复"]).fails(4, "already exists");
    lib.admin(&["category", "add", "X", "孤儿", "--parent", "NOPE"]).fails(3, "NOPE");
    lib.admin(&["doctype", "add", "PHOTO", "照片"]).ok();
    let req = lib.json(&["category", "require", "VIP", "PHOTO"]);
    assert_eq!(req, serde_json::json!(["ID", "APP", "CONTRACT", "PHOTO"]));
    let cats = lib.json(&["category", "list"]);
    let vip = cats.as_array().unwrap().iter().find(|c| c["code"] == "VIP").unwrap();
    assert_eq!(vip["path"], "个人客户 › 贵宾客户");

    lib.admin(&["numbering", "set", "--prefix", "DA", "--no-year", "--width", "5"]).ok();
    let no = lib.add_customer(&["--name", "钱七", "--category", "VIP"]);
    assert_eq!(no, "DA-00001");
    lib.admin(&["numbering", "set", "--width", "99"]).fails(2, "width");
    let shown = lib.json(&["numbering", "show"]);
    assert_eq!(shown["example"], "DA-00123");
}
