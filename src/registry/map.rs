//! Which map each registry page shows, drawn by [`maps`](super::maps) from the shipped
//! boundaries: the country's oblasts on the registry's front page; an oblast with all its
//! hromadas; a raion or hromada inside its oblast; a settlement's hromada inside its raion.

use super::attributes::Status;
use super::maps::{self, Layer, Shape};
use super::snapshot::Snapshot;
use super::{Category, Level};
use crate::i18n::Lang;

/// A shape's label and link, owned, so the borrowed [`Shape`]s can point at them.
struct Drawn {
    layer: Layer,
    /// `map-occupied`, `map-frontline`, … for a unit whose status colours it.
    tone: Option<&'static str>,
    code: String,
    label: String,
    href: String,
    role: Role,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Context,
    Unit,
    Focus,
}

fn drawn(snap: &Snapshot, i: usize, layer: Layer, role: Role, lang: Lang) -> Drawn {
    let n = snap.node(i);
    let tone = snap.status(i).and_then(|s| match s.status {
        Status::Occupied => Some("map-occupied"),
        Status::Frontline => Some("map-frontline"),
        Status::Rear | Status::Deoccupied => None,
    });
    Drawn {
        layer,
        tone,
        code: n.code.clone(),
        label: n.title(lang),
        href: format!("/{}/units/{}", lang.code(), n.code),
        role,
    }
}

fn draw(title: &str, list: &[Drawn]) -> Option<String> {
    let shapes: Vec<Shape> = list
        .iter()
        .map(|d| match d.role {
            Role::Context => Shape::context(d.layer, &d.code, &d.label),
            Role::Unit => Shape::unit(d.layer, &d.code, &d.label)
                .linked(&d.href)
                .toned(d.tone),
            Role::Focus => Shape::focus(d.layer, &d.code, &d.label),
        })
        .collect();
    maps::render(title, &shapes)
}

fn map_title(lang: Lang, what: &str) -> String {
    match lang {
        Lang::Uk => format!("Карта: {what}"),
        Lang::En => format!("Map: {what}"),
    }
}

/// Ukraine's first-level units, each a link to its page.
pub fn country(snap: &Snapshot, lang: Lang) -> Option<String> {
    let list: Vec<Drawn> = snap
        .roots()
        .iter()
        .map(|&i| drawn(snap, i, Layer::Oblast, Role::Unit, lang))
        .collect();
    let title = match lang {
        Lang::Uk => "Карта областей України",
        Lang::En => "Map of the oblasts of Ukraine",
    };
    draw(title, &list)
}

/// The hromadas beneath a unit, in the snapshot's order.
fn hromadas_under(snap: &Snapshot, i: usize, out: &mut Vec<usize>) {
    for &c in &snap.node(i).children {
        match snap.node(c).level() {
            Level::Hromada => out.push(c),
            Level::Raion => hromadas_under(snap, c, out),
            _ => {}
        }
    }
}

/// The first-level unit above (or at) `i`.
fn top(snap: &Snapshot, i: usize) -> usize {
    snap.ancestors(i).first().copied().unwrap_or(i)
}

/// The map on a unit's page, when the boundary files have its outline.
pub fn for_unit(snap: &Snapshot, i: usize, lang: Lang) -> Option<String> {
    let node = snap.node(i);
    let title = map_title(lang, &node.title(lang));
    let mut list = Vec::new();
    match node.category {
        Category::Oblast => {
            list.push(drawn(snap, i, Layer::Oblast, Role::Context, lang));
            let mut hromadas = Vec::new();
            hromadas_under(snap, i, &mut hromadas);
            list.extend(
                hromadas
                    .into_iter()
                    .map(|h| drawn(snap, h, Layer::Hromada, Role::Unit, lang)),
            );
        }
        Category::SpecialCity => list.push(drawn(snap, i, Layer::Oblast, Role::Focus, lang)),
        Category::Raion => {
            list.push(drawn(
                snap,
                top(snap, i),
                Layer::Oblast,
                Role::Context,
                lang,
            ));
            let siblings = node.parent.map(|p| snap.node(p).children.clone());
            for s in siblings.unwrap_or_default() {
                if s != i && snap.node(s).level() == Level::Raion {
                    list.push(drawn(snap, s, Layer::Raion, Role::Unit, lang));
                }
            }
            list.push(drawn(snap, i, Layer::Raion, Role::Focus, lang));
        }
        Category::Hromada => {
            list.push(drawn(
                snap,
                top(snap, i),
                Layer::Oblast,
                Role::Context,
                lang,
            ));
            list.push(drawn(snap, i, Layer::Hromada, Role::Focus, lang));
        }
        Category::City | Category::Selyshche | Category::Village | Category::CityDistrict => {
            // The settlement's hromada among the hromadas of its raion. Prypiat and Chornobyl
            // sit right under Kyiv oblast: the exclusion zone's outline carries their prefix.
            let hromada = snap
                .ancestors(i)
                .into_iter()
                .rev()
                .find(|&a| snap.node(a).level() == Level::Hromada);
            match hromada {
                Some(h) => {
                    if let Some(raion) = snap.node(h).parent {
                        list.push(drawn(snap, raion, Layer::Raion, Role::Context, lang));
                        for &s in &snap.node(raion).children {
                            if s != h {
                                list.push(drawn(snap, s, Layer::Hromada, Role::Unit, lang));
                            }
                        }
                    }
                    list.push(drawn(snap, h, Layer::Hromada, Role::Focus, lang));
                }
                None => {
                    let t = top(snap, i);
                    let layer = if snap.node(t).category == Category::SpecialCity {
                        Layer::Oblast
                    } else {
                        list.push(drawn(snap, t, Layer::Oblast, Role::Context, lang));
                        Layer::Hromada
                    };
                    list.push(drawn(snap, i, layer, Role::Focus, lang));
                }
            }
        }
    }
    draw(&title, &list)
}

/// The member directory's map: without an oblast, the country's oblasts, each a link to the
/// directory narrowed to it; with one, the oblast's hromadas, members marked
/// (`marked` holds the hromadas members stand for).
pub fn members(
    snap: &Snapshot,
    oblast: Option<usize>,
    marked: &std::collections::HashSet<usize>,
    lang: Lang,
) -> Option<String> {
    let mut list = Vec::new();
    match oblast {
        None => {
            for &i in snap.roots() {
                let mut d = drawn(snap, i, Layer::Oblast, Role::Unit, lang);
                d.href = format!("/{}/members?oblast={}", lang.code(), d.code);
                d.tone = None;
                list.push(d);
            }
        }
        Some(o) => {
            list.push(drawn(snap, o, Layer::Oblast, Role::Context, lang));
            let mut hromadas = Vec::new();
            hromadas_under(snap, o, &mut hromadas);
            if snap.node(o).category == Category::SpecialCity {
                hromadas.push(o);
            }
            for h in hromadas {
                let mut d = drawn(snap, h, Layer::Hromada, Role::Unit, lang);
                d.tone = marked.contains(&h).then_some("map-member");
                if marked.contains(&h) {
                    d.href = format!("/{}/members/{}", lang.code(), d.code);
                }
                list.push(d);
            }
        }
    }
    let title = match (lang, oblast) {
        (Lang::Uk, None) => "Карта членів асоціації за областями".to_string(),
        (Lang::En, None) => "Map of the association's members by oblast".to_string(),
        (_, Some(o)) => map_title(lang, &snap.node(o).title(lang)),
    };
    draw(&title, &list)
}
