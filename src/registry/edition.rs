//! What a new codifier edition changes against the registry: units added, renamed, moved to
//! another parent, removed, and removed units that live on under a new code.

use std::collections::{BTreeMap, HashMap};

use super::Category;
use super::codifier::CodifierUnit;

/// A unit as the registry holds it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    pub code: String,
    pub category: Category,
    pub parent: Option<String>,
    pub name_uk: String,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Diff {
    pub added: Vec<CodifierUnit>,
    /// (code, old name, new name)
    pub renamed: Vec<(String, String, String)>,
    /// (code, old parent, new parent)
    pub moved: Vec<(String, Option<String>, Option<String>)>,
    pub removed: Vec<String>,
    /// (old code, new code): a removed unit matched to an added one, so the old code still
    /// finds its unit.
    pub recoded: Vec<(String, String)>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.renamed.is_empty()
            && self.moved.is_empty()
            && self.removed.is_empty()
    }
}

/// The oblast part of a code (`UA05…` → `UA05`): a unit recoded within its oblast keeps it.
fn oblast_of(code: &str) -> &str {
    code.get(..4).unwrap_or(code)
}

/// Compares the registry with an edition. A removed and an added unit count as one recoded
/// unit when they are the only pair with the same category, name and oblast.
pub fn diff(current: &[Current], next: &[CodifierUnit]) -> Diff {
    let now: HashMap<&str, &Current> = current.iter().map(|u| (u.code.as_str(), u)).collect();
    let incoming: HashMap<&str, &CodifierUnit> =
        next.iter().map(|u| (u.code.as_str(), u)).collect();
    let mut d = Diff::default();
    for u in next {
        match now.get(u.code.as_str()) {
            None => d.added.push(u.clone()),
            Some(c) => {
                if c.name_uk != u.name_uk {
                    d.renamed
                        .push((u.code.clone(), c.name_uk.clone(), u.name_uk.clone()));
                }
                if c.parent != u.parent {
                    d.moved
                        .push((u.code.clone(), c.parent.clone(), u.parent.clone()));
                }
            }
        }
    }
    for c in current {
        if !incoming.contains_key(c.code.as_str()) {
            d.removed.push(c.code.clone());
        }
    }
    type Key<'a> = (Category, &'a str, &'a str);
    let mut gone: BTreeMap<Key, Vec<&str>> = BTreeMap::new();
    for code in &d.removed {
        let c = now[code.as_str()];
        gone.entry((c.category, c.name_uk.as_str(), oblast_of(&c.code)))
            .or_default()
            .push(&c.code);
    }
    let mut new: BTreeMap<Key, Vec<&str>> = BTreeMap::new();
    for u in &d.added {
        new.entry((u.category, u.name_uk.as_str(), oblast_of(&u.code)))
            .or_default()
            .push(&u.code);
    }
    for (key, old) in &gone {
        if let Some(added) = new.get(key)
            && old.len() == 1
            && added.len() == 1
        {
            d.recoded.push((old[0].to_string(), added[0].to_string()));
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(code: &str, cat: Category, parent: Option<&str>, name: &str) -> Current {
        Current {
            code: code.into(),
            category: cat,
            parent: parent.map(Into::into),
            name_uk: name.into(),
        }
    }

    fn next(code: &str, cat: Category, parent: Option<&str>, name: &str) -> CodifierUnit {
        CodifierUnit {
            code: code.into(),
            category: cat,
            parent: parent.map(Into::into),
            name_uk: name.into(),
        }
    }

    #[test]
    fn renames_moves_removals_and_new_codes() {
        use Category::*;
        let o = "UA05000000000010236";
        let h1 = "UA05020010000053508";
        let h2 = "UA05020030000031457";
        let current = [
            cur(o, Oblast, None, "Вінницька"),
            cur(h1, Hromada, Some(o), "Агрономічна"),
            cur(h2, Hromada, Some(o), "Вінницька"),
            cur("UA05020010010000001", Village, Some(h1), "Стара"),
            cur("UA05020010020000002", Village, Some(h1), "Зникла"),
        ];
        let incoming = [
            next(o, Oblast, None, "Вінницька"),
            next(h1, Hromada, Some(o), "Агрономічна"),
            next(h2, Hromada, Some(o), "Вінницька міська"),
            // The village moves to another hromada and gets a new code there.
            next("UA05020030010000003", Village, Some(h2), "Стара"),
            next("UA05020030020000004", Village, Some(h2), "Нова"),
        ];
        let d = diff(&current, &incoming);
        assert_eq!(
            d.renamed,
            [(h2.into(), "Вінницька".into(), "Вінницька міська".into())]
        );
        assert!(d.moved.is_empty());
        assert_eq!(d.added.len(), 2);
        assert_eq!(d.removed, ["UA05020010010000001", "UA05020010020000002"]);
        assert_eq!(
            d.recoded,
            [("UA05020010010000001".into(), "UA05020030010000003".into())]
        );
        assert!(diff(&current, &incoming[..0]).removed.len() == 5);
    }
}
