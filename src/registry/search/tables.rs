//! The index's fixed tables: a fast hasher for its maps, the category bits, and the words that
//! name a kind of unit (see the parent module's documentation on type words).

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault};

use super::super::Category;

/// A fast hasher with a fixed seed (FxHash's mixing step) for the index's maps; SipHash took a
/// tenth of the build. Flooding is no concern: the keys come from the registry, and a query
/// only looks keys up.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct FxHasher(u64);

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

pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

pub(super) fn name_hash(name: &str) -> u64 {
    BuildHasherDefault::<FxHasher>::default().hash_one(name)
}

pub(super) const fn bits(categories: &[Category]) -> u8 {
    let mut mask = 0;
    let mut i = 0;
    while i < categories.len() {
        mask |= 1 << categories[i] as u8;
        i += 1;
    }
    mask
}

pub(super) fn category_bit(category: Category) -> u8 {
    bits(&[category])
}

pub(super) const OBLAST: u8 = bits(&[Category::Oblast]);
pub(super) const RAION: u8 = bits(&[Category::Raion, Category::CityDistrict]);
pub(super) const HROMADA: u8 = bits(&[Category::Hromada]);
pub(super) const CITY: u8 = bits(&[Category::City, Category::SpecialCity]);
pub(super) const SELYSHCHE: u8 = bits(&[Category::Selyshche]);
pub(super) const VILLAGE: u8 = bits(&[Category::Village]);

/// Type words as normalised (apostrophes dropped, `ґ` read as `г`). Ukrainian ones of three
/// letters or more also match by stem, so `області` and `громади` count.
pub(super) const TYPE_WORDS: [(&str, u8); 37] = [
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
pub(super) const TYPE_PAIRS: [(&str, &str, u8); 2] = [("р", "н", RAION), ("с", "ще", SELYSHCHE)];
