//! Search while typing: what a clerk types into the search box is often unfinished or spread
//! over several fields — pinyin cut mid-name, a name with a word from a paper or an address,
//! numbers typed in groups — and the list must say how many match in all, not only the first
//! page. Through the real binary and through the core's searcher.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use dangan::core::customers::NewCustomer;
use dangan::core::index::SearchQuery;
use dangan::core::{Access, Library};
use util::{ADMIN_PW, Lib};

/// The dossier numbers `dangan search` finds for `query`, best first.
fn found(lib: &Lib, query: &str) -> Vec<String> {
    lib.json(&["search", query, "--limit", "50"])
        .as_array()
        .expect("an array of hits")
        .iter()
        .map(|h| h["dossier"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn pinyin_cut_mid_name_finds_the_people_it_begins() {
    let lib = Lib::new();
    let zhang_wei = lib.add_customer(&["--name", "张伟", "--phone", "13800001111"]);
    let zhang_wei_ming = lib.add_customer(&["--name", "张伟明", "--phone", "13800002222"]);
    let ouyang = lib.add_customer(&["--name", "欧阳娜娜", "--phone", "13800003333"]);
    let li_na = lib.add_customer(&["--name", "李娜", "--phone", "13800004444"]);
    // Typing zhangwei one letter at a time: every step from zhang on finds 张伟.
    for typed in ["zhan", "zhang", "zhangw", "zhangwe", "zhangwei"] {
        let hits = found(&lib, typed);
        assert!(hits.contains(&zhang_wei), "{typed} must find 张伟: {hits:?}");
        assert!(!hits.contains(&li_na), "{typed} must not find 李娜: {hits:?}");
    }
    // A whole reading comes before a cut one.
    assert_eq!(found(&lib, "zhangwei").first(), Some(&zhang_wei));
    // Surname + first letters of a three-character name.
    assert!(found(&lib, "zhangw").contains(&zhang_wei_ming));
    assert!(found(&lib, "zhangweim").contains(&zhang_wei_ming));
    // A compound surname, cut after the first letter of the given name.
    for typed in ["ouyang", "ouyangn", "ouyangna"] {
        assert_eq!(found(&lib, typed), std::slice::from_ref(&ouyang), "{typed}");
    }
    // Initials still work, and the first two of three find the longer name too.
    assert!(found(&lib, "zw").contains(&zhang_wei));
    assert!(found(&lib, "zw").contains(&zhang_wei_ming));
}

#[test]
fn words_in_different_fields_find_the_dossier_with_both() {
    let lib = Lib::new();
    let zhang_paper = lib.add_customer(&["--name", "张建国", "--address", "杭州市西湖区文三路1号"]);
    lib.admin(&["doc", "add", &zhang_paper, "--type", "CONTRACT", "--title", "2019年低压供用电合同"]).ok();
    let zhang_bare = lib.add_customer(&["--name", "张建华", "--address", "杭州市西湖区文三路2号"]);
    let other_paper = lib.add_customer(&["--name", "刘芳", "--address", "杭州市上城区"]);
    lib.admin(&["doc", "add", &other_paper, "--type", "CONTRACT", "--title", "2019年低压供用电合同"]).ok();
    let wang_2019 = lib.add_customer(&["--name", "王强", "--address", "杭州市滨江区"]);
    lib.admin(&["doc", "add", &wang_2019, "--type", "OTHER", "--title", "2019年度用电检查记录"]).ok();
    let wang_2021 = lib.add_customer(&["--name", "王磊", "--address", "杭州市滨江区"]);
    lib.admin(&["doc", "add", &wang_2021, "--type", "OTHER", "--title", "2021年度用电检查记录"]).ok();
    let li_chaoyang = lib.add_customer(&["--name", "李明", "--address", "北京市朝阳区建国路88号"]);
    let li_elsewhere = lib.add_customer(&["--name", "李亮", "--address", "北京市海淀区中关村1号"]);

    // A surname and a word of a paper's title: only the dossier that has both.
    assert_eq!(found(&lib, "张 供用电"), std::slice::from_ref(&zhang_paper));
    assert!(!found(&lib, "张 供用电").contains(&zhang_bare));
    // A surname and a year from a title.
    assert_eq!(found(&lib, "王 2019"), std::slice::from_ref(&wang_2019));
    // A surname and a district of the address.
    assert_eq!(found(&lib, "李 朝阳"), std::slice::from_ref(&li_chaoyang));
    assert!(!found(&lib, "李 朝阳").contains(&li_elsewhere));
    // The second word still being typed: its beginning is enough.
    assert_eq!(found(&lib, "李 朝"), std::slice::from_ref(&li_chaoyang));
    assert_eq!(found(&lib, "王 201"), std::slice::from_ref(&wang_2019));
    assert_eq!(found(&lib, "王 202"), std::slice::from_ref(&wang_2021));
    // A character that begins many grams (市 of every address) finds the ones with both.
    let mut both = found(&lib, "张 市");
    both.sort();
    assert_eq!(both, [zhang_paper.clone(), zhang_bare.clone()]);
    // A name in pinyin and a word of a title.
    assert_eq!(found(&lib, "zhangjianguo 合同"), [zhang_paper]);
}

#[test]
fn numbers_typed_with_spaces_or_dashes_are_one_code() {
    let lib = Lib::new();
    let mobile = lib.add_customer(&["--name", "赵敏", "--phone", "13912345678"]);
    let landline = lib.add_customer(&["--name", "钱多多", "--phone", "0571-33012345"]);
    lib.add_customer(&["--name", "孙悟", "--phone", "13812345679"]);
    for typed in ["139-1234-5678", "139 1234 5678", "139 1234-5678", "13912345678"] {
        assert_eq!(found(&lib, typed), std::slice::from_ref(&mobile), "{typed}");
    }
    for typed in ["3301 2345", "3301-2345", "0571-3301-2345", "0571 33012345"] {
        assert_eq!(found(&lib, typed), std::slice::from_ref(&landline), "{typed}");
    }
    // A credit code (letters and digits) read out in groups.
    let company =
        lib.add_customer(&["--name", "宁波同创皮革股份有限公司", "--id-number", "91330109E01KTJGK97"]);
    for typed in ["913301 09E01KTJ GK97", "91330109 E01KTJGK97", "9133 0109 E01K TJGK 97"] {
        assert_eq!(found(&lib, typed), std::slice::from_ref(&company), "{typed}");
    }
}

#[test]
fn the_total_counts_every_match_not_only_the_first_page() {
    let lib = Lib::new();
    {
        let mut s =
            Library::open(&lib.path, Access::Write).unwrap().login("admin", ADMIN_PW, "test").unwrap();
        for i in 0..37 {
            s.add_customer(
                NewCustomer {
                    name: format!("张{}", ["伟", "芳", "敏", "静", "强", "磊"][i % 6]),
                    phones: vec![format!("139{:08}", 10_000 + i)],
                    ..Default::default()
                },
                true,
            )
            .unwrap();
        }
        s.add_customer(NewCustomer { name: "李四".into(), ..Default::default() }, false).unwrap();
    }
    let mut s = Library::open(&lib.path, Access::Read).unwrap().login("admin", ADMIN_PW, "test").unwrap();
    let searcher = s.searcher().unwrap().expect("the index is there");
    let first = searcher.search(&SearchQuery { text: "张".into(), limit: 10, ..Default::default() }).unwrap();
    assert_eq!(first.hits.len(), 10);
    assert_eq!(first.total, 37, "the true number of matches, not the page's");
    // Paging on: the next pages hold the others, none twice.
    let mut seen: Vec<String> = first.hits.iter().map(|h| h.dossier.clone()).collect();
    for offset in [10, 20, 30] {
        let page = searcher
            .search(&SearchQuery { text: "张".into(), limit: 10, offset, ..Default::default() })
            .unwrap();
        assert_eq!(page.total, 37);
        seen.extend(page.hits.iter().map(|h| h.dossier.clone()));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 37);
    // The session's own search agrees with its searcher.
    let page = s.search_page(&SearchQuery { text: "张".into(), limit: 5, ..Default::default() }).unwrap();
    assert_eq!((page.hits.len(), page.total), (5, 37));
    // Rows of people with the same name can be told apart: phone tails differ.
    let wei = searcher.search(&SearchQuery { text: "张伟".into(), limit: 50, ..Default::default() }).unwrap();
    let mut tails: Vec<_> =
        wei.hits.iter().filter(|h| h.name == "张伟").map(|h| h.phone_tail.clone()).collect();
    assert!(tails.len() > 1 && tails.iter().all(Option::is_some), "{tails:?}");
    let n = tails.len();
    tails.dedup();
    assert_eq!(tails.len(), n, "each 张伟 shows its own phone tail");
}
