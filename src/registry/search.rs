//! The search box: finds units by their Ukrainian or English name, by prefix, by inflected form
//! and with one typo, and ranks them by how well they match, then by level and population.
//!
//! [`SearchIndex`] is an in-memory cache built from the registry's rows. It is a pure function of
//! the entries it is given (no SQL, no clock, no randomness, no dependence on their order), so
//! SQLite and PostgreSQL, which hold the same rows, give the same results, and rebuilding it
//! after an import is just building a new one.
//!
//! # Matching
//!
//! Names and queries are cut into words: runs of letters and digits. Everything is lower-cased;
//! an apostrophe inside a word (’ ʼ ' ‘ or a backtick) belongs to the word but is dropped, so
//! `Знам’янка`, `Знам'янка` and `знамянка` are one word; `ґ` is read as `г`; the Russian letters
//! `ё ы э ъ` as `е и е` and nothing; Latin look-alikes (`i`, `a`, `o`, …) inside a Cyrillic word as
//! their Cyrillic twins (a common slip of keyboard layouts); combining accents (stress marks)
//! are ignored, and a decomposed `й` or `ї` is composed. A hyphen splits words
//! (`Івано-Франківськ` is `івано` and `франківськ`), and the hyphenated parts are also indexed
//! run together (`іванофранківськ`).
//!
//! Every word of the query must match some word of the unit's Ukrainian or English name (AND).
//! A query word `q` matches a name word `n` when
//! * `q == n` ([`MatchQuality::Word`]);
//! * their Snowball Ukrainian stems are equal, as for `вінницькій`/`Вінницька`, `києві`/`Київ`,
//!   `львова`/`Львів` ([`MatchQuality::Word`]; but [`MatchQuality::Prefix`] when `q` is also a
//!   prefix of `n`, so that a half-typed `вінниц`, whose stem is the city's, does not put the
//!   city above the oblast);
//! * `q` is a prefix of `n`, or `q` lost an ending to the stemmer and its stem (four letters or
//!   more) is a prefix of `n`, as for `харкові` → `харк…` ([`MatchQuality::Prefix`]);
//! * `q` has five letters or more and is one edit (a letter inserted, deleted or replaced, or two
//!   neighbours swapped) from `n` ([`MatchQuality::Typo`]), or from a prefix of `n`, or its stem
//!   is one edit from the stem of `n` ([`MatchQuality::TypoPrefix`]), as for `винниц` or
//!   `винницькій` → Вінниця, Вінницька. Shorter words get no typo tolerance: one edit of a
//!   four-letter word reaches too many names (`кива` is not `Київ`).
//!
//! Latin words are matched against the English names the same way, without stemming; an oblast
//! is also found by its customary English title (`Vinnytsia oblast`).
//!
//! Not found: spellings two edits away from every form, and consonant changes the stemmer does
//! not undo (`кам’янці`, the locative of `Кам’янка`). The Russian `винница` is found only
//! because its stem `винниц` is one edit from `вінниц`.
//!
//! # Type words
//!
//! Words that name a kind of unit need not match the name: `область обл oblast region`; `район
//! р-н raion rayon district`; `громада отг тг hromada community municipality`, with `міська
//! сільська селищна територіальна об’єднана urban rural`; `місто м city town`; `селище смт сщ
//! с-ще settlement`; `село с village`; and the Ukrainian ones' inflected forms (`області`,
//! `районі`, `громади`, …). They put the units of their kind first instead: `вінницька область`
//! lists the oblast first, `Vinnytska urban hromada` the hromada, `м. Київ` the city; the other
//! matches follow. A unit whose whole name includes the type word (`Нове Село`) still counts as
//! a whole-name match. A query made only of type words (`Селище`, which is also a village's
//! name) is searched as plain words.
//!
//! # Ranking
//!
//! Best first: (1) units of the kind a type word asked for; (2) the match quality, the worst over
//! the query's words, or [`MatchQuality::Name`] when the query's words are exactly the name's;
//! (3) the level: oblasts (and the two cities with special status), raions, hromadas,
//! settlements (cities, then selyshches, then villages), city districts; (4) population, largest
//! first, unknown last; (5) Ukrainian alphabetical order of the name ([`sort_key`]); (6) the code.
//!
//! # Limits
//!
//! The query is read up to its 32nd word, and only the first [`MAX_QUERY_WORDS`] words that are
//! not type words are matched; a word longer than [`MAX_WORD_CHARS`] letters matches nothing. A
//! whole query that is a codifier code (`UA` and 17 digits) finds that unit.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault};
use std::ops::Range;

use frostem::{Algorithm, Stemmer};

use super::{Category, Level, first_level_title_en, is_valid_code, sort_key};

/// How many words of a query are matched; the rest are ignored, which keeps a pasted paragraph
/// as fast as a name.
pub const MAX_QUERY_WORDS: usize = 8;

/// A query word longer than this matches nothing (no unit's name has a word this long).
pub const MAX_WORD_CHARS: usize = 64;

/// How many words of the query are read at all (type words included).
const MAX_QUERY_TOKENS: usize = 32;

/// Query words this long or longer may have one typo.
const MIN_TYPO_CHARS: usize = 5;

/// Stems shorter than this are too ambiguous to match on.
const MIN_STEM_CHARS: usize = 3;

/// A stem shorter than this is not used as a prefix.
const MIN_STEM_PREFIX_CHARS: usize = 4;

// Match qualities as kept per entry while searching; 0 is "no match".
const Q_TYPO_PREFIX: u8 = 1;
const Q_TYPO: u8 = 2;
const Q_PREFIX: u8 = 3;
const Q_WORD: u8 = 4;
const Q_NAME: u8 = 5;

/// One unit as the index sees it: a row of the registry plus its population, if known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub code: String,
    pub level: Level,
    pub category: Category,
    pub name_uk: String,
    pub name_en: String,
    pub population: Option<i64>,
}

impl Entry {
    /// An entry whose level follows from its category.
    pub fn new(
        code: impl Into<String>,
        category: Category,
        name_uk: impl Into<String>,
        name_en: impl Into<String>,
        population: Option<i64>,
    ) -> Entry {
        Entry {
            code: code.into(),
            level: category.level(),
            category,
            name_uk: name_uk.into(),
            name_en: name_en.into(),
            population,
        }
    }
}

/// How well a unit matched the query, best last (so `Ord` ranks them). For a query of several
/// words, the worst of its words' matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchQuality {
    /// A word is one edit from a prefix of a name word, or its stem one edit from a name word's.
    TypoPrefix,
    /// A word is one edit from a whole name word.
    Typo,
    /// A word begins a name word.
    Prefix,
    /// Every word is a name word, or an inflected form of one.
    Word,
    /// The query's words are the name's words (`Біла Церква`, `kyiv`, `Нове Село`).
    Name,
}

impl MatchQuality {
    fn from_score(score: u8) -> MatchQuality {
        match score {
            Q_NAME => MatchQuality::Name,
            Q_WORD => MatchQuality::Word,
            Q_PREFIX => MatchQuality::Prefix,
            Q_TYPO => MatchQuality::Typo,
            _ => MatchQuality::TypoPrefix,
        }
    }
}

/// One unit found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'a> {
    pub entry: &'a Entry,
    pub quality: MatchQuality,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Results<'a> {
    /// How many units match in all (after the level filter).
    pub total: usize,
    /// The requested page of them, best first.
    pub hits: Vec<Hit<'a>>,
}

/// The search index over all units. Build it once per registry edition and share it: it is
/// `Send + Sync` and searching takes `&self`.
pub struct SearchIndex {
    /// In rank order (level, category, population, name, code), so an entry's index is its
    /// rank, and ties in match quality need no further comparison.
    entries: Vec<Entry>,
    /// Every distinct word of every name, sorted by bytes, so a prefix is a contiguous range.
    terms: Vec<Box<str>>,
    /// The entries having term `t` are `postings[starts[t]..starts[t + 1]]`, ascending.
    postings: Vec<u32>,
    starts: Vec<u32>,
    /// Stem → the terms with that stem.
    stems: FastMap<Box<str>, Vec<u32>>,
    /// (hash of a whole name's words joined by spaces, entry), sorted: which entries a query
    /// names exactly, without keeping every name twice. Candidates are checked against the name.
    names: Vec<(u64, u32)>,
    /// Entry indices by code.
    by_code: Vec<u32>,
    /// The letters of the terms, Cyrillic and the rest: what a typo may have replaced.
    cyrillic: Vec<char>,
    other: Vec<char>,
    /// Stems of the Ukrainian type words → the categories they ask for.
    type_stems: FastMap<String, u8>,
    /// Letters in the longest term: a longer word is more than one edit from every term.
    longest: usize,
    stemmer: Stemmer,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("entries", &self.entries.len())
            .field("terms", &self.terms.len())
            .finish_non_exhaustive()
    }
}

impl Default for SearchIndex {
    fn default() -> SearchIndex {
        SearchIndex::build(Vec::new())
    }
}

/// A fast hasher with a fixed seed (FxHash's mixing step) for the index's maps; SipHash took a
/// tenth of the build. Flooding is no concern: the keys come from the registry, and a query
/// only looks keys up.
#[derive(Debug, Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

fn name_hash(name: &str) -> u64 {
    BuildHasherDefault::<FxHasher>::default().hash_one(name)
}

const fn bits(categories: &[Category]) -> u8 {
    let mut mask = 0;
    let mut i = 0;
    while i < categories.len() {
        mask |= 1 << categories[i] as u8;
        i += 1;
    }
    mask
}

fn category_bit(category: Category) -> u8 {
    bits(&[category])
}

const OBLAST: u8 = bits(&[Category::Oblast]);
const RAION: u8 = bits(&[Category::Raion, Category::CityDistrict]);
const HROMADA: u8 = bits(&[Category::Hromada]);
const CITY: u8 = bits(&[Category::City, Category::SpecialCity]);
const SELYSHCHE: u8 = bits(&[Category::Selyshche]);
const VILLAGE: u8 = bits(&[Category::Village]);

/// Type words as normalised (apostrophes dropped, `ґ` read as `г`). Ukrainian ones of three
/// letters or more also match by stem, so `області` and `громади` count.
const TYPE_WORDS: [(&str, u8); 37] = [
    ("область", OBLAST),
    ("обл", OBLAST),
    ("oblast", OBLAST),
    ("oblasts", OBLAST),
    ("region", OBLAST),
    ("район", RAION),
    ("raion", RAION),
    ("rayon", RAION),
    ("district", RAION),
    ("громада", HROMADA),
    ("отг", HROMADA),
    ("тг", HROMADA),
    ("hromada", HROMADA),
    ("community", HROMADA),
    ("municipality", HROMADA),
    ("територіальна", HROMADA),
    ("обєднана", HROMADA),
    ("міська", HROMADA),
    ("сільська", HROMADA),
    ("селищна", HROMADA),
    ("місто", CITY),
    ("м", CITY),
    ("city", CITY),
    ("cities", CITY),
    ("town", CITY),
    ("селище", SELYSHCHE),
    ("смт", SELYSHCHE),
    ("сщ", SELYSHCHE),
    ("settlement", SELYSHCHE),
    // As in "urban hromada" (міська громада), how the site titles hromadas in English.
    ("urban", HROMADA),
    ("rural", HROMADA),
    ("smt", SELYSHCHE),
    ("село", VILLAGE),
    ("с", VILLAGE),
    ("village", VILLAGE),
    ("villages", VILLAGE),
    ("сел", VILLAGE),
];

/// Abbreviations written with a hyphen, which splits them into two words: `р-н`, `с-ще`.
const TYPE_PAIRS: [(&str, &str, u8); 2] = [("р", "н", RAION), ("с", "ще", SELYSHCHE)];

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// Characters that belong to a word but are dropped: apostrophes, the hard sign, soft hyphens,
/// zero-width joiners, variation selectors and combining marks (but for the two composed).
fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{02BB}' | '`' | '\u{00B4}' | 'ъ'
            | '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}'
    )
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Folds a lower-case letter to the one it is matched as.
fn fold(c: char) -> char {
    match c {
        'ґ' => 'г',
        'ё' | 'э' => 'е',
        'ы' => 'и',
        _ => c,
    }
}

/// The Cyrillic twin of a Latin letter, for Latin letters typed inside a Cyrillic word.
fn cyrillic_twin(c: char) -> char {
    match c {
        'a' => 'а',
        'c' => 'с',
        'e' => 'е',
        'i' => 'і',
        'ï' => 'ї',
        'o' => 'о',
        'p' => 'р',
        'x' => 'х',
        'y' => 'у',
        _ => c,
    }
}

/// Lower-cases the letters names and queries are mostly made of without the general Unicode
/// tables, which otherwise dominate building the index; `None` for the rest.
fn lower_fast(c: char) -> Option<char> {
    match c {
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        '\0'..='\u{7F}' | 'а'..='я' | 'ѐ'..='џ' | 'ґ' => Some(c),
        'А'..='Я' => char::from_u32(c as u32 + 0x20),
        'Ѐ'..='Џ' => char::from_u32(c as u32 + 0x50),
        'Ґ' => Some('ґ'),
        _ => None,
    }
}

/// The normalised words of a name or query, in one buffer that is reused from name to name.
#[derive(Debug, Default)]
struct Words {
    text: String,
    /// Each word's bytes in `text`, and whether a hyphen joins it to the word before.
    spans: Vec<(Range<usize>, bool)>,
    // While reading: where the current word starts, its letters, its scripts, and whether a
    // hyphen right after a word came before it.
    start: usize,
    chars: usize,
    cyrillic: bool,
    latin: bool,
    joined: bool,
}

impl Words {
    /// Reads `text` into words, at most `max` of them, replacing what was read before. A word
    /// is cut off after `MAX_WORD_CHARS + 1` letters, which is enough to know it matches nothing.
    fn read(&mut self, text: &str, max: usize) -> &mut Words {
        self.text.clear();
        self.spans.clear();
        self.start = 0;
        self.chars = 0;
        self.cyrillic = false;
        self.latin = false;
        self.joined = false;
        for c in text.chars() {
            if self.spans.len() >= max {
                break;
            }
            match lower_fast(c) {
                Some(c) => self.push(c),
                None => c.to_lowercase().for_each(|c| self.push(c)),
            }
        }
        if self.spans.len() < max {
            self.finish();
        }
        self
    }

    /// Takes one lower-case character.
    fn push(&mut self, c: char) {
        let letter = c.is_ascii_alphanumeric()
            || (('а'..='џ').contains(&c) && c != 'ъ')
            || (!c.is_ascii() && !is_ignorable(c) && c.is_alphanumeric());
        let word = self.text.get(self.start..).unwrap_or("");
        if letter {
            if self.chars > MAX_WORD_CHARS {
                return;
            }
            let c = fold(c);
            self.cyrillic |= is_cyrillic(c);
            self.latin |= c.is_ascii_alphabetic() || c == 'ï';
            self.text.push(c);
            self.chars += 1;
        } else if c == '\u{0306}' && word.ends_with('и') {
            // A decomposed й.
            self.text.pop();
            self.text.push('й');
        } else if c == '\u{0308}' && (word.ends_with('і') || word.ends_with('i')) {
            // A decomposed ї.
            self.text.pop();
            self.text.push('ї');
            self.cyrillic = true;
        } else if is_ignorable(c) {
            // Inside a word it only separates sounds or marks stress; the word goes on.
        } else {
            let after_word = !word.is_empty();
            self.finish();
            // A hyphen right after a word joins it to the next one; anything else does not.
            self.joined = after_word && is_hyphen(c);
        }
    }

    fn finish(&mut self) {
        if self.text.len() <= self.start {
            return;
        }
        if self.cyrillic && self.latin {
            let word: String = self
                .text
                .get(self.start..)
                .unwrap_or("")
                .chars()
                .map(cyrillic_twin)
                .collect();
            self.text.truncate(self.start);
            self.text.push_str(&word);
        }
        self.spans.push((self.start..self.text.len(), self.joined));
        self.start = self.text.len();
        self.chars = 0;
        self.cyrillic = false;
        self.latin = false;
    }

    /// The words, each with whether a hyphen joins it to the word before.
    fn iter(&self) -> impl Iterator<Item = (&str, bool)> {
        self.spans
            .iter()
            .map(|(span, joined)| (self.text.get(span.clone()).unwrap_or(""), *joined))
    }

    /// Calls `f` with the whole name as the index knows it: the words joined by spaces and, if a
    /// hyphen joined any, once more with those run together (`івано франківськ`,
    /// `іванофранківськ`).
    fn whole(&self, buf: &mut String, mut f: impl FnMut(&str)) {
        buf.clear();
        for (k, (word, _)) in self.iter().enumerate() {
            if k > 0 {
                buf.push(' ');
            }
            buf.push_str(word);
        }
        if buf.is_empty() {
            return;
        }
        f(buf);
        if self.iter().any(|(_, joined)| joined) {
            buf.clear();
            for (k, (word, joined)) in self.iter().enumerate() {
                if k > 0 && !joined {
                    buf.push(' ');
                }
                buf.push_str(word);
            }
            f(buf);
        }
    }
}

/// Sorts entries into the order they rank in among matches of equal quality: level, category,
/// population (largest first, unknown last), Ukrainian alphabetical order, code, and, for
/// duplicate codes only, input order.
fn in_rank_order(entries: Vec<Entry>) -> Vec<Entry> {
    // Many villages share a name: each distinct name gets its alphabetical rank once.
    let mut ids: FastMap<&str, usize> = FastMap::default();
    let name_ids: Vec<usize> = entries
        .iter()
        .map(|e| {
            let next = ids.len();
            *ids.entry(e.name_uk.as_str()).or_insert(next)
        })
        .collect();
    let mut by_key: Vec<(String, &str, usize)> = ids
        .into_iter()
        .map(|(name, id)| (sort_key(name), name, id))
        .collect();
    by_key.sort_unstable();
    let mut name_rank = vec![0; by_key.len()];
    for (rank, (_, _, id)) in by_key.iter().enumerate() {
        if let Some(r) = name_rank.get_mut(*id) {
            *r = rank;
        }
    }
    let keys: Vec<(Level, Category, bool, std::cmp::Reverse<i64>, usize)> = entries
        .iter()
        .zip(name_ids)
        .map(|(e, id)| {
            (
                e.level,
                e.category,
                e.population.is_none(),
                std::cmp::Reverse(e.population.unwrap_or(0)),
                name_rank.get(id).copied().unwrap_or(0),
            )
        })
        .collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        keys[a]
            .cmp(&keys[b])
            .then_with(|| entries[a].code.cmp(&entries[b].code))
            .then(a.cmp(&b))
    });
    let mut slots: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// The letters seen in the terms, in a fixed order.
struct Letters {
    cyrillic: [bool; 0x100],
    ascii: [bool; 0x80],
    other: Vec<char>,
}

impl Letters {
    fn new() -> Letters {
        Letters {
            cyrillic: [false; 0x100],
            ascii: [false; 0x80],
            other: Vec::new(),
        }
    }

    fn add(&mut self, word: &str) {
        for c in word.chars() {
            let i = c as usize;
            if let Some(seen) = i
                .checked_sub(0x400)
                .and_then(|i| self.cyrillic.get_mut(i))
                .or_else(|| self.ascii.get_mut(i))
            {
                *seen = true;
            } else if !self.other.contains(&c) {
                self.other.push(c);
            }
        }
    }

    /// The Cyrillic letters, and all the others.
    fn split(mut self) -> (Vec<char>, Vec<char>) {
        let pick = |seen: &[bool], base: u32| -> Vec<char> {
            (0u32..)
                .zip(seen)
                .filter(|(_, seen)| **seen)
                .filter_map(|(i, _)| char::from_u32(base + i))
                .collect()
        };
        let mut other = pick(&self.ascii, 0);
        self.other.sort_unstable();
        other.append(&mut self.other);
        (pick(&self.cyrillic, 0x400), other)
    }
}

/// A query cut into words, with type words set aside.
struct Query {
    /// The words that must match, at most `MAX_QUERY_WORDS`.
    words: Vec<String>,
    /// The categories the type words ask for.
    hint: u8,
}

#[cfg(test)]
impl Query {
    /// The categories the type words of `query` ask for.
    fn hint_of(index: &SearchIndex, query: &str) -> u8 {
        index.parse(query).hint
    }
}

impl SearchIndex {
    /// Builds the index. Deterministic: the same entries in any order give the same index.
    pub fn build(entries: Vec<Entry>) -> SearchIndex {
        let stemmer = Stemmer::new(Algorithm::Ukrainian);
        let entries = in_rank_order(entries);

        fn push(list: &mut Vec<u32>, i: u32) {
            // Entries are indexed in order, so a repeat can only be the last one.
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
        let mut by_term: FastMap<String, Vec<u32>> = FastMap::default();
        let mut add = |term: &str, i: u32| match by_term.get_mut(term) {
            Some(list) => push(list, i),
            None => {
                by_term.insert(term.to_string(), vec![i]);
            }
        };
        let mut names = Vec::with_capacity(entries.len() * 2);
        let (mut words, mut buf) = (Words::default(), String::new());
        for (i, e) in entries.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            for name in [&e.name_uk, &e.name_en] {
                words.read(name, usize::MAX);
                for (word, _) in words.iter() {
                    add(word, i);
                }
                let hyphenated = words.iter().any(|(_, joined)| joined);
                words.whole(&mut buf, |whole| {
                    names.push((name_hash(whole), i));
                    // The run-together hyphenated words (`іванофранківськ`) are terms too.
                    if hyphenated {
                        whole.split(' ').for_each(|part| add(part, i));
                    }
                });
            }
            // "Vinnytsia oblast": English speakers name an oblast after its centre.
            if e.level == Level::Oblast
                && let Some(title) = first_level_title_en(&e.name_uk)
            {
                for (word, _) in words.read(title, usize::MAX).iter() {
                    if !TYPE_WORDS.iter().any(|(w, _)| *w == word) {
                        add(word, i);
                    }
                }
            }
        }
        names.sort_unstable();
        names.dedup();

        let mut sorted: Vec<(String, Vec<u32>)> = by_term.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut terms = Vec::with_capacity(sorted.len());
        let mut postings = Vec::new();
        let mut starts = Vec::with_capacity(sorted.len() + 1);
        let mut stems: FastMap<Box<str>, Vec<u32>> = FastMap::default();
        let mut letters = Letters::new();
        let mut longest = 0;
        for (t, (term, list)) in sorted.into_iter().enumerate() {
            let t = u32::try_from(t).unwrap_or(u32::MAX);
            starts.push(u32::try_from(postings.len()).unwrap_or(u32::MAX));
            postings.extend_from_slice(&list);
            letters.add(&term);
            longest = longest.max(term.chars().count());
            if term.chars().any(is_cyrillic) {
                let stem = stemmer.stem(&term);
                if stem.chars().count() >= MIN_STEM_CHARS {
                    stems.entry(stem.into()).or_default().push(t);
                }
            }
            terms.push(term.into_boxed_str());
        }
        starts.push(u32::try_from(postings.len()).unwrap_or(u32::MAX));
        let (cyrillic, other) = letters.split();

        let mut by_code: Vec<u32> = (0..entries.len())
            .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
            .collect();
        by_code.sort_unstable_by(|&a, &b| {
            let code = |i: u32| entries.get(i as usize).map_or("", |e| e.code.as_str());
            code(a).cmp(code(b)).then(a.cmp(&b))
        });

        let mut type_stems = FastMap::default();
        for (word, mask) in TYPE_WORDS {
            if word.chars().count() > 2 && word.chars().any(is_cyrillic) {
                *type_stems
                    .entry(stemmer.stem(word).into_owned())
                    .or_insert(0) |= mask;
            }
        }

        SearchIndex {
            entries,
            terms,
            postings,
            starts,
            stems,
            names,
            by_code,
            cyrillic,
            other,
            type_stems,
            longest,
            stemmer,
        }
    }

    /// How many units the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index holds no unit.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All entries, in rank order (level, category, population, name, code).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with this code.
    pub fn get(&self, code: &str) -> Option<&Entry> {
        self.entries.get(self.code_index(code)?)
    }

    fn code_index(&self, code: &str) -> Option<usize> {
        let found = self
            .by_code
            .binary_search_by(|&i| {
                self.entries
                    .get(i as usize)
                    .map_or("", |e| e.code.as_str())
                    .cmp(code)
            })
            .ok()?;
        self.by_code.get(found).map(|&i| i as usize)
    }

    /// The units matching `query`, best first: `offset` skips that many, `limit` caps the page;
    /// `level` keeps only units of that level. A query without a letter or digit finds nothing.
    /// See the module documentation for the rules.
    pub fn search(
        &self,
        query: &str,
        level: Option<Level>,
        limit: usize,
        offset: usize,
    ) -> Results<'_> {
        let Some((scores, hint)) = self.score(query) else {
            return Results::default();
        };
        let mut keys: Vec<u64> = Vec::new();
        for (i, (&score, e)) in scores.iter().zip(&self.entries).enumerate() {
            if score == 0 || level.is_some_and(|l| e.level != l) {
                continue;
            }
            let hinted = hint & category_bit(e.category) != 0;
            // Sorting these keys ranks hits: hinted first, then quality, then the entry's rank.
            keys.push((u64::from(!hinted) << 40) | (u64::from(Q_NAME - score) << 32) | i as u64);
        }
        let total = keys.len();
        let end = offset.saturating_add(limit).min(total);
        if offset >= end {
            return Results {
                total,
                hits: Vec::new(),
            };
        }
        if end < total {
            // Only the first `end` need sorting.
            keys.select_nth_unstable(end);
            keys.truncate(end);
        }
        keys.sort_unstable();
        let hits = keys
            .get(offset..end)
            .unwrap_or(&[])
            .iter()
            .filter_map(|key| {
                let i = (key & 0xFFFF_FFFF) as usize;
                Some(Hit {
                    entry: self.entries.get(i)?,
                    quality: MatchQuality::from_score(*scores.get(i)?),
                })
            })
            .collect();
        Results { total, hits }
    }

    /// Scores every entry for `query` (0: no match) and returns the categories its type words
    /// ask for; `None` when the query has no word.
    fn score(&self, query: &str) -> Option<(Vec<u8>, u8)> {
        let mut scores = vec![0; self.entries.len()];
        let code = query.trim().to_ascii_uppercase();
        if is_valid_code(&code) {
            if let Some(s) = self.code_index(&code).and_then(|i| scores.get_mut(i)) {
                *s = Q_NAME;
            }
            return Some((scores, 0));
        }
        let query = self.parse(query);
        let (first, rest) = query.words.split_first()?;
        self.match_word(first, &mut scores);
        let mut word_scores = vec![0; self.entries.len()];
        for (k, word) in rest.iter().enumerate() {
            if query
                .words
                .get(..=k)
                .is_some_and(|seen| seen.contains(word))
            {
                // A repeated word changes nothing.
                continue;
            }
            if scores.iter().all(|s| *s == 0) {
                break;
            }
            word_scores.fill(0);
            self.match_word(word, &mut word_scores);
            for (s, w) in scores.iter_mut().zip(&word_scores) {
                *s = (*s).min(*w);
            }
        }
        for i in self.named(&query.words.join(" ")) {
            if let Some(s) = scores.get_mut(i)
                && *s > 0
            {
                *s = Q_NAME;
            }
        }
        Some((scores, query.hint))
    }

    /// The entries whose whole name is `key` (words joined by spaces).
    fn named(&self, key: &str) -> Vec<usize> {
        let hash = name_hash(key);
        let from = self.names.partition_point(|(h, _)| *h < hash);
        let (mut words, mut buf) = (Words::default(), String::new());
        let mut found = Vec::new();
        for &(h, i) in self.names.get(from..).unwrap_or(&[]) {
            if h != hash {
                break;
            }
            let Some(e) = self.entries.get(i as usize) else {
                continue;
            };
            // The hash only points at candidates; the name decides.
            let mut same = false;
            for name in [&e.name_uk, &e.name_en] {
                words
                    .read(name, usize::MAX)
                    .whole(&mut buf, |whole| same |= whole == key);
            }
            if same {
                found.push(i as usize);
            }
        }
        found
    }

    fn stem<'w>(&self, word: &'w str) -> Cow<'w, str> {
        if word.chars().any(is_cyrillic) {
            self.stemmer.stem(word)
        } else {
            Cow::Borrowed(word)
        }
    }

    /// The categories a type word asks for, if `word` is one.
    fn type_word(&self, word: &str) -> Option<u8> {
        if let Some((_, mask)) = TYPE_WORDS.iter().find(|(w, _)| *w == word) {
            return Some(*mask);
        }
        if word.chars().count() > 2 && word.chars().any(is_cyrillic) {
            return self.type_stems.get(self.stem(word).as_ref()).copied();
        }
        None
    }

    fn parse(&self, query: &str) -> Query {
        let mut tokens = Words::default();
        tokens.read(query, MAX_QUERY_TOKENS);
        let tokens: Vec<(&str, bool)> = tokens.iter().collect();
        let mut words = Vec::new();
        let mut hint = 0;
        let mut i = 0;
        while let Some(&(word, _)) = tokens.get(i) {
            if let Some(&(next, true)) = tokens.get(i + 1)
                && let Some((_, _, mask)) =
                    TYPE_PAIRS.iter().find(|(a, b, _)| *a == word && *b == next)
            {
                hint |= mask;
                i += 2;
                continue;
            }
            match self.type_word(word) {
                Some(mask) => hint |= mask,
                None => words.push(word.to_string()),
            }
            i += 1;
        }
        if words.is_empty() {
            // Only type words: they are the name sought (`Селище` is a village too).
            words = tokens.iter().map(|(word, _)| word.to_string()).collect();
            hint = 0;
        }
        if words.len() < tokens.len() && tokens.len() <= MAX_QUERY_WORDS {
            // A name that includes a type word (`Нове Село`) is matched whole: `нове село`
            // should not find every `Нове` first.
            let all: Vec<&str> = tokens.iter().map(|(word, _)| *word).collect();
            if !self.named(&all.join(" ")).is_empty() {
                words = all.into_iter().map(str::to_string).collect();
            }
        }
        words.truncate(MAX_QUERY_WORDS);
        Query { words, hint }
    }

    /// The terms that start with `prefix`: a contiguous range, since terms are sorted.
    fn prefix_range(&self, prefix: &str) -> Range<usize> {
        self.range_within(0..self.terms.len(), prefix)
    }

    /// The terms in `within` that start with `prefix`.
    fn range_within(&self, within: Range<usize>, prefix: &str) -> Range<usize> {
        let start = within.start;
        let terms = self.terms.get(within).unwrap_or(&[]);
        let from = terms.partition_point(|t| t.as_ref() < prefix);
        let len = terms
            .get(from..)
            .map_or(0, |rest| rest.partition_point(|t| t.starts_with(prefix)));
        start + from..start + from + len
    }

    fn term(&self, t: usize) -> &str {
        self.terms.get(t).map_or("", |t| t.as_ref())
    }

    /// Raises the scores of the entries having term `t` to `score`.
    fn mark(&self, t: usize, score: u8, scores: &mut [u8]) {
        let (Some(&from), Some(&to)) = (self.starts.get(t), self.starts.get(t + 1)) else {
            return;
        };
        for &e in self.postings.get(from as usize..to as usize).unwrap_or(&[]) {
            if let Some(s) = scores.get_mut(e as usize)
                && *s < score
            {
                *s = score;
            }
        }
    }

    /// Scores every entry against one query word, keeping each entry's best.
    fn match_word(&self, word: &str, scores: &mut [u8]) {
        let chars = word.chars().count();
        if chars == 0 || chars > MAX_WORD_CHARS {
            return;
        }
        for t in self.prefix_range(word) {
            let score = if self.term(t) == word {
                Q_WORD
            } else {
                Q_PREFIX
            };
            self.mark(t, score, scores);
        }
        let stem = self.stem(word);
        let stem_chars = stem.chars().count();
        if stem_chars >= MIN_STEM_CHARS {
            for &t in self.stems.get(stem.as_ref()).map_or(&[][..], Vec::as_slice) {
                let t = t as usize;
                // A half-typed word that happens to be a stem (`вінниц`) is still a prefix.
                let score = if self.term(t).starts_with(word) {
                    Q_PREFIX
                } else {
                    Q_WORD
                };
                self.mark(t, score, scores);
            }
        }
        if stem != word && stem_chars >= MIN_STEM_PREFIX_CHARS {
            for t in self.prefix_range(&stem) {
                self.mark(t, Q_PREFIX, scores);
            }
        }
        if chars < MIN_TYPO_CHARS || chars > self.longest + 1 {
            return;
        }
        let letters: Vec<char> = word.chars().collect();
        let alphabet = if letters.iter().any(|c| is_cyrillic(*c)) {
            &self.cyrillic
        } else {
            &self.other
        };
        // `heads[i]`: the terms that begin with the word's first `i` letters. Every variant from
        // an edit at `i` begins with them too, so it is looked for among those only, and once
        // no term begins so, no edit further on can match either.
        let mut heads = Vec::with_capacity(letters.len() + 1);
        let mut head = String::with_capacity(word.len());
        heads.push(0..self.terms.len());
        for &c in &letters {
            head.push(c);
            let within = heads.last().cloned().unwrap_or_default();
            heads.push(self.range_within(within, &head));
        }
        one_edit(&letters, alphabet, |i, variant| {
            let within = heads.get(i).cloned().unwrap_or_default();
            if within.is_empty() {
                return false;
            }
            for t in self.range_within(within, variant) {
                let score = if self.term(t) == variant {
                    Q_TYPO
                } else {
                    Q_TYPO_PREFIX
                };
                self.mark(t, score, scores);
            }
            true
        });
        if stem != word && stem_chars >= MIN_TYPO_CHARS {
            let letters: Vec<char> = stem.chars().collect();
            one_edit(&letters, alphabet, |_, variant| {
                for &t in self.stems.get(variant).map_or(&[][..], Vec::as_slice) {
                    self.mark(t as usize, Q_TYPO_PREFIX, scores);
                }
                true
            });
        }
    }
}

/// Calls `f(i, variant)` with every string one edit from `word` at its `i`-th letter: that
/// letter deleted, replaced (from `alphabet`) or swapped with the next, or a letter inserted
/// before it (or at the end, for `i == word.len()`). Some variants come more than once. Stops
/// when `f` returns false: a sign that nothing can match from `i` on.
fn one_edit(word: &[char], alphabet: &[char], mut f: impl FnMut(usize, &str) -> bool) {
    let mut buf = String::with_capacity(word.len() * 4 + 4);
    let mut emit = |i: usize, middle: &[char], skip: usize| -> bool {
        buf.clear();
        let head = word.get(..i).unwrap_or(&[]);
        let tail = word.get(i + skip..).unwrap_or(&[]);
        buf.extend(head.iter().chain(middle).chain(tail));
        f(i, &buf)
    };
    for i in 0..=word.len() {
        let here = word.get(i).copied();
        if here.is_some() {
            if !emit(i, &[], 1) {
                return;
            }
            for &c in alphabet {
                if Some(c) != here {
                    emit(i, &[c], 1);
                }
            }
        }
        if let (Some(here), Some(&next)) = (here, word.get(i + 1))
            && next != here
        {
            emit(i, &[next, here], 2);
        }
        for &c in alphabet {
            if !emit(i, &[c], 0) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::super::{codifier, data, english_name};
    use super::*;

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

    fn real() -> &'static SearchIndex {
        static INDEX: OnceLock<SearchIndex> = OnceLock::new();
        INDEX.get_or_init(|| {
            let units = codifier::parse(&data::codifier().expect("gzip")).expect("parses");
            let population = |code: &str| match code {
                "UA80000000000093317" => Some(2_952_301), // Київ
                "UA63120270010096107" => Some(1_421_125), // Харків
                "UA51100270010076757" => Some(1_010_537), // Одеса
                "UA46060250010015970" => Some(717_273),   // Львів
                "UA05020030010063857" => Some(369_739),   // Вінниця
                "UA73020090010033414" => Some(4_321),     // Вижниця
                _ => None,
            };
            SearchIndex::build(
                units
                    .iter()
                    .map(|u| entry(&u.code, u.category, &u.name_uk, population(&u.code)))
                    .collect(),
            )
        })
    }

    fn top(query: &str, n: usize) -> Vec<String> {
        real()
            .search(query, None, n, 0)
            .hits
            .iter()
            .map(|h| h.entry.code.clone())
            .collect()
    }

    const VINNYTSKA_OBLAST: &str = "UA05000000000010236";
    const VINNYTSKYI_RAION: &str = "UA05020000000026686";
    const VINNYTSKA_HROMADA: &str = "UA05020030000031457";
    const VINNYTSIA: &str = "UA05020030010063857";
    const KYIV: &str = "UA80000000000093317";

    #[test]
    fn real_registry_prefixes_and_forms() {
        assert_eq!(real().len(), 31_748);
        let vinnytsia = [
            VINNYTSKA_OBLAST,
            VINNYTSKYI_RAION,
            VINNYTSKA_HROMADA,
            VINNYTSIA,
        ];
        assert_eq!(top("Вінниц", 4), vinnytsia);
        assert_eq!(top("vinnyts", 4), vinnytsia);
        assert_eq!(top("вінницькій", 3), vinnytsia[..3]);
        assert_eq!(top("Вінниця", 1), [VINNYTSIA]);
        assert_eq!(top("Vinnytsia", 1), [VINNYTSIA]);
        assert_eq!(top("вінниці", 1), [VINNYTSIA]);
        assert_eq!(top("вінницька область", 1), [VINNYTSKA_OBLAST]);
        assert_eq!(top("Vinnytsia oblast", 1), [VINNYTSKA_OBLAST]);
        assert_eq!(top("вінницька громада", 1), [VINNYTSKA_HROMADA]);
        assert_eq!(top("Вінницький р-н", 1), [VINNYTSKYI_RAION]);
    }

    #[test]
    fn real_registry_typos() {
        let index = real();
        // One substitution: found through the stem `вінниц`, which is the city's.
        let found = index.search("Вінница", None, 1, 0);
        assert_eq!(found.hits[0].entry.code, VINNYTSIA);
        // One deletion in six letters.
        let found = index.search("Житомр", None, 5, 0);
        assert_eq!(found.hits[0].entry.code, "UA18040190010057814");
        assert_eq!(found.hits[0].quality, MatchQuality::Typo);
        assert_eq!(
            found.hits[1].entry.code, "UA18000000000041385",
            "the oblast"
        );
        assert_eq!(top("Zhytomyr", 1), ["UA18040190010057814"]);
        // One typo from the city and from the oblast's English title, `Zhytomyr oblast`.
        assert_eq!(
            top("Zhytomir", 2),
            ["UA18000000000041385", "UA18040190010057814"]
        );
        // A typo in a prefix.
        assert_eq!(
            top("винниц", 5).first().map(String::as_str),
            Some(VINNYTSKA_OBLAST)
        );
        assert!(top("винниц", 10).contains(&VINNYTSIA.to_string()));
        // The Russian spelling is two edits from `вінниця`, but its stem `винниц` is one from
        // the city's stem: found, after the bigger Вижниця would be were populations equal.
        assert_eq!(top("винница", 1), [VINNYTSIA]);
        // Four letters get no typo: `Кива` finds only what begins with `кива`.
        let kyva = index.search("Кива", None, 100, 0);
        assert!(kyva.hits.iter().all(|h| h.quality == MatchQuality::Prefix));
        assert!(!kyva.hits.iter().any(|h| h.entry.code == KYIV));
    }

    #[test]
    fn real_registry_names() {
        assert_eq!(
            top("Знамянка", 2),
            ["UA35040130010097956", "UA48060370160038469"]
        );
        assert_eq!(
            top("Знам’янка", 2),
            ["UA35040130010097956", "UA48060370160038469"]
        );
        assert_eq!(
            top("Івано-Франківськ", 2),
            ["UA26040190010045761", "UA26000000000069363"]
        );
        assert_eq!(
            top("ivano-frankivsk", 2),
            ["UA26040190010045761", "UA26000000000069363"]
        );
        // The raion and the city share the name; the raion ranks by level.
        assert_eq!(
            top("Кам’янець-Подільський", 3),
            [
                "UA68020000000016021",
                "UA68020110010097898",
                "UA68020110000071202"
            ]
        );
        assert_eq!(
            top("кам'янець подільський", 2),
            top("Кам’янець-Подільський", 2)
        );
        assert_eq!(
            top("біла церква", 2),
            ["UA32020010010081183", "UA21080110020020640"]
        );
        assert_eq!(top("Bila Tserkva", 1), ["UA32020010010081183"]);
        assert_eq!(top("білій церкві", 1), ["UA32020010010081183"]);
    }

    #[test]
    fn real_registry_big_cities() {
        // Kyiv first (a whole-name match, at oblast level), then the village of the same name in
        // Mykolaiv oblast, then Kyiv oblast.
        assert_eq!(top("київ", 2), [KYIV, "UA48040230080020671"]);
        assert_eq!(top("Kyiv", 1), [KYIV]);
        assert_eq!(top("м. Київ", 1), [KYIV]);
        assert_eq!(top("києві", 1), [KYIV]);
        assert!(top("київ", 5).contains(&"UA32000000000030281".to_string()));
        assert_eq!(top("kyiv oblast", 1), ["UA32000000000030281"]);
        assert_eq!(top("Київська область", 1), ["UA32000000000030281"]);
        assert_eq!(top("Львів", 1), ["UA46060250010015970"]);
        assert_eq!(top("львова", 1), ["UA46060250010015970"]);
        assert_eq!(top("Lviv", 1), ["UA46060250010015970"]);
        assert!(top("Львів", 8).contains(&"UA46000000000026241".to_string()));
        assert_eq!(top("Одеса", 1), ["UA51100270010076757"]);
        assert_eq!(top("Одесі", 1), ["UA51100270010076757"]);
        assert_eq!(top("odesa", 1), ["UA51100270010076757"]);
        // One typo from `odesa`, and from `odeska` too: the oblast and the hromada rank first
        // by level.
        assert_eq!(
            top("odessa", 3),
            [
                "UA51000000000030770",
                "UA51100270000073549",
                "UA51100270010076757"
            ]
        );
        assert_eq!(top("Харків", 1), ["UA63120270010096107"]);
        // Villages named Харкове begin with `kharkov`: a prefix beats a typo.
        assert_eq!(top("kharkov", 4)[3], "UA63120270010096107");
        assert!(top("харкові", 5).contains(&"UA63120270010096107".to_string()));
        assert_eq!(top("Харківська обл", 1), ["UA63000000000041885"]);
    }

    #[test]
    fn real_registry_is_deterministic() {
        let units = codifier::parse(&data::codifier().expect("gzip")).expect("parses");
        let mut entries: Vec<Entry> = units
            .iter()
            .rev()
            .map(|u| entry(&u.code, u.category, &u.name_uk, None))
            .collect();
        entries.rotate_left(12_345);
        let reversed = SearchIndex::build(entries);
        let forward = SearchIndex::build(
            units
                .iter()
                .map(|u| entry(&u.code, u.category, &u.name_uk, None))
                .collect(),
        );
        for query in [
            "с",
            "нов",
            "мирне",
            "вінниця",
            "житамир",
            "kam",
            "зелений гай",
        ] {
            assert_eq!(
                forward.search(query, None, 50, 0),
                reversed.search(query, None, 50, 0),
                "{query}"
            );
        }
    }
}
