//! Tests of the search index: the rules on small made-up entries here, real queries on the
//! shipped codifier in `tests/real.rs`.

use super::super::english_name;
use super::query::Query;
use super::*;

mod real;

fn entry(code: &str, category: Category, name_uk: &str, population: Option<i64>) -> Entry {
    Entry::new(
        code,
        category,
        name_uk,
        english_name(category, name_uk),
        population,
    )
}

/// A few units around Vinnytsia and others with names that test one rule each.
fn small() -> SearchIndex {
    SearchIndex::build(vec![
        entry("UA05000000000010236", Category::Oblast, "Вінницька", None),
        entry("UA05020000000026686", Category::Raion, "Вінницький", None),
        entry("UA05020030000031457", Category::Hromada, "Вінницька", None),
        entry(
            "UA05020030010063857",
            Category::City,
            "Вінниця",
            Some(370_000),
        ),
        entry(
            "UA05020030040041811",
            Category::Village,
            "Вінницькі Хутори",
            None,
        ),
        entry("UA35040130010097956", Category::City, "Знам’янка", None),
        entry(
            "UA26040190010045761",
            Category::City,
            "Івано-Франківськ",
            None,
        ),
        entry(
            "UA26000000000069363",
            Category::Oblast,
            "Івано-Франківська",
            None,
        ),
        entry("UA80000000000093317", Category::SpecialCity, "Київ", None),
        entry("UA32000000000030281", Category::Oblast, "Київська", None),
        entry("UA18040190010057814", Category::City, "Житомир", None),
        entry("UA46060010010000001", Category::Village, "Ґорґани", None),
        entry("UA46060010010000002", Category::Village, "Нове Село", None),
        entry("UA46060010010000003", Category::Village, "Нове", None),
        entry("UA46060010010000004", Category::Village, "Селище", None),
        entry("UA46060010010000005", Category::Village, "Гайсин", None),
    ])
}

fn codes(index: &SearchIndex, query: &str) -> Vec<String> {
    index
        .search(query, None, 100, 0)
        .hits
        .iter()
        .map(|h| h.entry.code.clone())
        .collect()
}

fn first(index: &SearchIndex, query: &str) -> Option<(String, MatchQuality)> {
    let results = index.search(query, None, 1, 0);
    results
        .hits
        .first()
        .map(|h| (h.entry.code.clone(), h.quality))
}

fn words(text: &str) -> Vec<(String, bool)> {
    let mut words = Words::default();
    words.read(text, usize::MAX);
    words.iter().map(|(w, j)| (w.to_string(), j)).collect()
}

#[test]
fn words_are_normalised() {
    let plain = |text: &str| -> Vec<String> { words(text).into_iter().map(|w| w.0).collect() };
    for apostrophe in ["’", "'", "ʼ", "`", "‘"] {
        assert_eq!(plain(&format!("Знам{apostrophe}янка")), ["знамянка"]);
    }
    assert_eq!(
        words("Івано-Франківськ"),
        [
            ("івано".to_string(), false),
            ("франківськ".to_string(), true)
        ]
    );
    assert_eq!(words("a - b")[1], ("b".to_string(), false));
    assert_eq!(plain("ҐОРҐАНИ"), ["горгани"]);
    assert_eq!(plain("Вiнниця"), ["вінниця"], "a Latin i");
    assert_eq!(
        plain("Vinnytsia"),
        ["vinnytsia"],
        "a Latin word stays Latin"
    );
    assert_eq!(plain("Киі\u{0308}в"), ["київ"], "a decomposed ї");
    assert_eq!(plain("Гаи\u{0306}син"), ["гайсин"], "a decomposed й");
    assert_eq!(plain("Вінни\u{0301}ця"), ["вінниця"], "a stress mark");
    assert_eq!(plain("Ёлки, подъезд"), ["елки", "подезд"]);
    assert_eq!(plain("м. Київ (столиця)"), ["м", "київ", "столиця"]);
    assert_eq!(plain("a\0b🙂c\u{202E}d"), ["a", "b", "c", "d"]);
    assert_eq!(plain("  ---  !!! "), Vec::<String>::new());
    let long = "я".repeat(1000);
    assert_eq!(plain(&long)[0].chars().count(), MAX_WORD_CHARS + 1);
}

#[test]
fn apostrophes_do_not_matter() {
    let index = small();
    for query in [
        "Знам’янка",
        "Знам'янка",
        "знамянка",
        "ЗНАМʼЯНКА",
        "знам`янка",
    ] {
        assert_eq!(
            first(&index, query),
            Some(("UA35040130010097956".into(), MatchQuality::Name)),
            "{query}"
        );
    }
    assert_eq!(
        first(&index, "знам'ян").map(|f| f.1),
        Some(MatchQuality::Prefix)
    );
    assert_eq!(
        first(&index, "Znamianka").map(|f| f.1),
        Some(MatchQuality::Name)
    );
}

#[test]
fn hyphenated_names() {
    let index = small();
    let city = Some(("UA26040190010045761".to_string(), MatchQuality::Name));
    for query in [
        "Івано-Франківськ",
        "івано франківськ",
        "іванофранківськ",
        "ivano-frankivsk",
        "Ivano Frankivsk",
        "м. Івано-Франківськ",
    ] {
        assert_eq!(first(&index, query), city, "{query}");
    }
    assert_eq!(
        codes(&index, "франківськ"),
        ["UA26040190010045761", "UA26000000000069363"],
        "the city's word, the oblast's prefix"
    );
    for query in ["франк", "івано-фр", "Ivano-Fr"] {
        assert_eq!(
            codes(&index, query),
            ["UA26000000000069363", "UA26040190010045761"],
            "{query}"
        );
    }
}

#[test]
fn every_word_must_match() {
    let index = small();
    assert_eq!(codes(&index, "вінницькі хутори"), ["UA05020030040041811"]);
    assert_eq!(codes(&index, "хутори вінницькі"), ["UA05020030040041811"]);
    assert_eq!(codes(&index, "вінницькі хутори київ"), Vec::<String>::new());
}

#[test]
fn prefixes_rank_by_level() {
    let index = small();
    for query in ["Вінниц", "вінн", "vinnyts", "ВІННИЦ"] {
        assert_eq!(
            codes(&index, query),
            [
                "UA05000000000010236",
                "UA05020000000026686",
                "UA05020030000031457",
                "UA05020030010063857",
                "UA05020030040041811",
            ],
            "{query}"
        );
    }
}

#[test]
fn inflected_forms() {
    let index = small();
    // "In Vinnytsia oblast": the oblast, raion and hromada by stem; not the city.
    let results = index.search("вінницькій", None, 10, 0);
    let found: Vec<(&str, MatchQuality)> = results
        .hits
        .iter()
        .map(|h| (h.entry.code.as_str(), h.quality))
        .collect();
    assert_eq!(
        found[..3],
        [
            ("UA05000000000010236", MatchQuality::Word),
            ("UA05020000000026686", MatchQuality::Word),
            ("UA05020030000031457", MatchQuality::Word),
        ]
    );
    assert!(!found.iter().any(|(c, _)| *c == "UA05020030010063857"));
    assert_eq!(
        first(&index, "у києві"),
        None,
        "`у` is a word to match, and no name has one"
    );
    assert_eq!(
        first(&index, "києві"),
        Some(("UA80000000000093317".into(), MatchQuality::Word))
    );
    assert_eq!(
        first(&index, "вінниці"),
        Some(("UA05020030010063857".into(), MatchQuality::Word))
    );
    assert_eq!(
        first(&index, "житомиром"),
        Some(("UA18040190010057814".into(), MatchQuality::Word))
    );
}

#[test]
fn one_typo_in_longer_words() {
    let index = small();
    let zhytomyr = "UA18040190010057814".to_string();
    for query in [
        "Житомр",
        "Житоммир",
        "Жиотмир",
        "Житамир",
        "Zhytomir",
        "zhytomy",
    ] {
        let found = first(&index, query);
        assert_eq!(found.as_ref().map(|f| &f.0), Some(&zhytomyr), "{query}");
        assert!(
            found.is_some_and(|f| f.1 <= MatchQuality::Prefix),
            "{query}"
        );
    }
    assert_eq!(
        first(&index, "Житомр").map(|f| f.1),
        Some(MatchQuality::Typo)
    );
    // A typo in a prefix still finds it, as one edit from a prefix.
    assert_eq!(
        first(&index, "Жтомир"),
        Some((zhytomyr.clone(), MatchQuality::Typo))
    );
    assert_eq!(
        first(&index, "Житами"),
        Some((zhytomyr, MatchQuality::TypoPrefix))
    );
    // Four letters are too few for a typo.
    assert_eq!(codes(&index, "Кива"), Vec::<String>::new());
    assert_eq!(codes(&index, "Киів"), Vec::<String>::new());
    assert_eq!(codes(&index, "Kyev"), Vec::<String>::new());
    // Two typos are too many.
    assert_eq!(codes(&index, "Жтамир"), Vec::<String>::new());
}

#[test]
fn ghe_with_upturn_is_ghe() {
    let index = small();
    assert_eq!(
        first(&index, "горгани").map(|f| f.1),
        Some(MatchQuality::Name)
    );
    assert_eq!(
        first(&index, "Ґайсин").map(|f| f.1),
        Some(MatchQuality::Name)
    );
}

#[test]
fn type_words_rank_their_kind_first() {
    let index = small();
    let oblast = "UA05000000000010236";
    let raion = "UA05020000000026686";
    let hromada = "UA05020030000031457";
    let city = "UA05020030010063857";
    for (query, expected) in [
        ("вінницька область", oblast),
        ("Вінницька обл.", oblast),
        ("вінницькій області", oblast),
        ("Vinnytsia oblast", oblast),
        ("vinnytska region", oblast),
        ("вінницький район", raion),
        ("Вінницький р-н", raion),
        ("вінницькому районі", raion),
        ("Vinnytskyi raion", raion),
        ("вінницька громада", hromada),
        ("вінницька міська громада", hromada),
        ("Вінницька ОТГ", hromada),
        ("вінницької громади", hromada),
        ("Vinnytska hromada", hromada),
        ("Vinnytska urban hromada", hromada),
        ("Вінницька міська територіальна громада", hromada),
        ("м. Вінниця", city),
        ("місто Вінниця", city),
        ("Vinnytsia city", city),
        ("вінниц місто", city),
    ] {
        assert_eq!(
            codes(&index, query).first().map(String::as_str),
            Some(expected),
            "{query}"
        );
    }
    // The type word is not required: the other units still match, after.
    assert_eq!(index.search("вінницька область", None, 10, 0).total, 4);
    // `с` asks for villages.
    assert_eq!(
        codes(&index, "с. Вінниц").first().map(String::as_str),
        Some("UA05020030040041811")
    );
}

#[test]
fn names_with_type_words() {
    let index = small();
    assert_eq!(
        first(&index, "Нове Село"),
        Some(("UA46060010010000002".into(), MatchQuality::Name))
    );
    assert_eq!(codes(&index, "нове село"), ["UA46060010010000002"]);
    // Only type words: searched as a name.
    assert_eq!(
        first(&index, "Селище"),
        Some(("UA46060010010000004".into(), MatchQuality::Name))
    );
    assert_eq!(codes(&index, "село"), ["UA46060010010000002"]);
    assert_eq!(
        codes(&index, "село нове"),
        ["UA46060010010000003", "UA46060010010000002"],
        "the village Нове first, as asked"
    );
}

#[test]
fn whole_name_first_then_level_population_name_code() {
    let index = SearchIndex::build(vec![
        entry("UA00000000000000005", Category::Village, "Мирне", None),
        entry("UA00000000000000004", Category::Village, "Мирне", None),
        entry("UA00000000000000003", Category::Village, "Мирне", Some(10)),
        entry("UA00000000000000002", Category::Village, "Мирне", Some(500)),
        entry("UA00000000000000006", Category::Selyshche, "Мирне", None),
        entry("UA00000000000000007", Category::City, "Мирноград", None),
        entry("UA00000000000000008", Category::Hromada, "Мирнівська", None),
        entry("UA00000000000000009", Category::Village, "Мирнe", None),
        entry("UA00000000000000010", Category::Village, "Мирна", None),
        entry("UA00000000000000011", Category::Village, "Мирна", Some(1)),
        entry(
            "UA00000000000000012",
            Category::CityDistrict,
            "Мирний",
            None,
        ),
    ]);
    let found = codes(&index, "мирне");
    assert_eq!(
        found,
        [
            // The whole name: selyshche before villages, then population, then code. The
            // Latin `e` of 009 is read as Cyrillic.
            "UA00000000000000006",
            "UA00000000000000002",
            "UA00000000000000003",
            "UA00000000000000004",
            "UA00000000000000005",
            "UA00000000000000009",
            // The same stem.
            "UA00000000000000011",
            "UA00000000000000010",
            "UA00000000000000012",
            // The stem `мирн` begins them.
            "UA00000000000000008",
            "UA00000000000000007",
        ]
    );
    let found = codes(&index, "мирн");
    assert_eq!(
        found[..3],
        [
            "UA00000000000000008",
            "UA00000000000000007",
            "UA00000000000000006"
        ]
    );
}

#[test]
fn the_order_does_not_depend_on_the_input_order() {
    let one = small();
    let mut entries = one.entries().to_vec();
    entries.reverse();
    entries.rotate_left(5);
    let other = SearchIndex::build(entries);
    for query in [
        "в",
        "вінниц",
        "київ",
        "житамир",
        "нове",
        "с",
        "franк",
        "ivano",
    ] {
        assert_eq!(
            one.search(query, None, 100, 0),
            other.search(query, None, 100, 0),
            "{query}"
        );
    }
}

#[test]
fn levels_pages_and_codes() {
    let index = small();
    let all = index.search("в", None, 100, 0);
    assert_eq!(all.total, 5);
    let cities = index.search("в", Some(Level::Settlement), 100, 0);
    assert_eq!(cities.total, 2);
    assert!(
        cities
            .hits
            .iter()
            .all(|h| h.entry.level == Level::Settlement)
    );
    let mut paged = Vec::new();
    for offset in (0..6).step_by(2) {
        let page = index.search("в", None, 2, offset);
        assert_eq!(page.total, 5);
        paged.extend(page.hits);
    }
    assert_eq!(paged, all.hits);
    assert_eq!(index.search("в", None, 0, 0).hits, []);
    assert_eq!(index.search("в", None, usize::MAX, usize::MAX).hits, []);
    assert_eq!(index.search("в", None, usize::MAX, 4).hits.len(), 1);
    assert_eq!(
        first(&index, " ua05020030010063857 "),
        Some(("UA05020030010063857".into(), MatchQuality::Name))
    );
    assert_eq!(index.search("UA05020030010063850", None, 10, 0).total, 0);
    assert_eq!(
        index.get("UA05020030010063857").map(|e| e.name_uk.as_str()),
        Some("Вінниця")
    );
    assert_eq!(index.get("UA0502"), None);
    assert_eq!(index.len(), 16);
    assert!(!index.is_empty());
    assert!(SearchIndex::default().is_empty());
    assert_eq!(SearchIndex::default().search("київ", None, 10, 0).total, 0);
}

#[test]
fn odd_queries_find_nothing_and_do_not_panic() {
    let index = small();
    for query in [
        "",
        " ",
        "\t\n",
        "!!!",
        "—",
        "-",
        "'",
        "’’’",
        "\0",
        "\0\0Київ\0",
        "🙂",
        "🇺🇦",
        "\u{202E}виїК",
        "كييف",
        "עברית",
        "\u{0301}\u{0308}\u{0306}",
        "\u{FEFF}",
        "\u{200D}\u{200D}",
        "ﬁ",
        "İ",
        "ß",
        "𝔎𝔶𝔦𝔳",
        "Ǆ",
        "\u{10FFFF}",
        "UA",
        "UA0000000000000000000000",
    ] {
        for level in [None, Some(Level::Oblast)] {
            let results = index.search(query, level, 10, 0);
            assert!(results.total <= index.len(), "{query:?}");
        }
    }
    for query in ["", " ", "!!!", "🙂", "\u{0301}"] {
        assert_eq!(index.search(query, None, 10, 0).total, 0, "{query:?}");
    }
    assert_eq!(
        first(&index, "\0\0Київ\0").map(|f| f.1),
        Some(MatchQuality::Name)
    );
}

#[test]
fn random_queries_do_not_panic_and_rank_in_order() {
    let index = small();
    let pool: Vec<char> =
        "вінцяжитомрґїєі’'`- .,ABCxyzʼ\0\u{0301}\u{0306}\u{0308}\u{200D}\u{202E}🙂ß١ﬁİ"
            .chars()
            .collect();
    // A fixed xorshift: the same queries on every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut found = 0;
    for _ in 0..3000 {
        let len = (next() % 24) as usize;
        let mut query: Vec<char> = (0..len)
            .map(|_| pool[(next() % pool.len() as u64) as usize])
            .collect();
        if next() % 2 == 0 {
            // A name with odd characters spliced in.
            let e = &index.entries()[(next() % index.len() as u64) as usize];
            let name = if next() % 2 == 0 {
                &e.name_uk
            } else {
                &e.name_en
            };
            let mut chars: Vec<char> = name.chars().collect();
            for c in query.drain(..).take(3) {
                chars.insert((next() % (chars.len() as u64 + 1)) as usize, c);
            }
            query = chars;
        }
        let query: String = query.into_iter().collect();
        let results = index.search(&query, None, 50, 0);
        found += usize::from(results.total > 0);
        assert!(results.total <= index.len(), "{query:?}");
        assert_eq!(results.hits.len(), results.total.min(50), "{query:?}");
        let typed = Query::hint_of(&index, &query);
        if typed == 0 {
            assert!(
                results
                    .hits
                    .windows(2)
                    .all(|w| w[0].quality >= w[1].quality),
                "{query:?}"
            );
        }
    }
    assert!(found > 200, "{found}");
}

#[test]
fn long_queries_are_cut() {
    let index = small();
    let words = ["Вінниця"; 100].join(" ");
    assert!(words.chars().count() >= 700);
    assert_eq!(
        first(&index, &words).map(|f| f.0),
        Some("UA05020030010063857".to_string())
    );
    // Only the first eight words count: the ninth cannot spoil the match.
    let nine = format!("{} ніщо", ["вінниця"; 8].join(" "));
    assert_eq!(codes(&index, &nine), codes(&index, "вінниця"));
    let garbage: String = (0..1000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    assert_eq!(index.search(&garbage, None, 10, 0).total, 0);
    let mixed: String = (0..1000)
        .map(|i| if i % 7 == 0 { ' ' } else { 'ж' })
        .collect();
    assert_eq!(index.search(&mixed, None, 10, 0).total, 0);
}
