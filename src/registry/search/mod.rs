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

use frostem::{Algorithm, Stemmer};

mod tables;
mod words;
use tables::*;
use words::{Letters, Words, is_cyrillic};

use super::{Category, Level, UnitCode, first_level_title_en, sort_key};

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
}

mod query;

#[cfg(test)]
mod tests;
