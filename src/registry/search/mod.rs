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
use std::ops::Range;

use frostem::{Algorithm, Stemmer};

mod tables;
mod words;
use tables::*;
use words::{Letters, Words, is_cyrillic};

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
mod tests;
