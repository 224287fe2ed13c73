//! Answering a query with the index: cutting it into words, setting type words aside, marking
//! the terms each word matches (whole, stem, prefix, one typo) and ranking the units. The rules
//! are in the module documentation of [`super`].

use std::borrow::Cow;
use std::ops::Range;

use super::tables::*;
use super::words::{Words, is_cyrillic};
use super::*;

/// A query cut into words, with type words set aside.
pub(super) struct Query {
    /// The words that must match, at most `MAX_QUERY_WORDS`.
    words: Vec<String>,
    /// The categories the type words ask for.
    hint: u8,
}

#[cfg(test)]
impl Query {
    /// The categories the type words of `query` ask for.
    pub(super) fn hint_of(index: &SearchIndex, query: &str) -> u8 {
        index.parse(query).hint
    }
}

impl SearchIndex {
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
        // A query that is a code (in any case) finds that unit alone.
        if let Some(code) = UnitCode::parse(&query.trim().to_ascii_uppercase()) {
            if let Some(s) = self
                .code_index(code.as_str())
                .and_then(|i| scores.get_mut(i))
            {
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
