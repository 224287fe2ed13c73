//! Which map each registry page shows, drawn by `maps` from the shipped boundaries.

use super::snapshot::Snapshot;
use crate::i18n::Lang;

/// Ukraine's first-level units, each a link to its page.
pub fn country(_snap: &Snapshot, _lang: Lang) -> Option<String> {
    None
}

/// The map on a unit's page.
pub fn for_unit(_snap: &Snapshot, _i: usize, _lang: Lang) -> Option<String> {
    None
}
