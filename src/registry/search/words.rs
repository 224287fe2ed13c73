//! How names and queries become words: lower-casing, folding look-alike letters, dropping
//! apostrophes and accents, and splitting at hyphens (see the parent module's documentation).

use std::ops::Range;

use super::MAX_WORD_CHARS;

pub(super) fn is_cyrillic(c: char) -> bool {
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
pub(super) struct Words {
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
    pub(super) fn read(&mut self, text: &str, max: usize) -> &mut Words {
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
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, bool)> {
        self.spans
            .iter()
            .map(|(span, joined)| (self.text.get(span.clone()).unwrap_or(""), *joined))
    }

    /// Calls `f` with the whole name as the index knows it: the words joined by spaces and, if a
    /// hyphen joined any, once more with those run together (`івано франківськ`,
    /// `іванофранківськ`).
    pub(super) fn whole(&self, buf: &mut String, mut f: impl FnMut(&str)) {
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

/// The letters seen in the terms, in a fixed order.
pub(super) struct Letters {
    cyrillic: [bool; 0x100],
    ascii: [bool; 0x80],
    other: Vec<char>,
}

impl Letters {
    pub(super) fn new() -> Letters {
        Letters {
            cyrillic: [false; 0x100],
            ascii: [false; 0x80],
            other: Vec::new(),
        }
    }

    pub(super) fn add(&mut self, word: &str) {
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
    pub(super) fn split(mut self) -> (Vec<char>, Vec<char>) {
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
