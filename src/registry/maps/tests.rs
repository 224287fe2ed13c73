//! Tests of the outlines and the SVG they make.

use std::collections::BTreeSet;

use super::*;

/// The codes of every unit of one category in the shipped codifier.
fn codes(category: &str) -> Vec<String> {
    let bytes = super::super::data::codifier().expect("codifier gunzips");
    super::super::codifier::parse(&bytes)
        .expect("codifier parses")
        .into_iter()
        .filter(|u| u.category.letter() == category)
        .map(|u| u.code)
        .collect()
}

fn pcodes(layer: Layer) -> BTreeSet<&'static str> {
    codes_in(layer, "").map(Outline::pcode).collect()
}

#[test]
fn the_shipped_file_has_every_unit_once() {
    assert_eq!(codes_in(Layer::Oblast, "").len(), 27);
    assert_eq!(codes_in(Layer::Raion, "").len(), 139);
    // 1,769 in the source less two Crimean hromadas without geometry.
    assert_eq!(codes_in(Layer::Hromada, "").len(), 1767);
    for layer in Layer::ALL {
        let all: Vec<&str> = codes_in(layer, "").map(Outline::pcode).collect();
        assert!(
            all.windows(2).all(|w| w[0] < w[1]),
            "{layer:?} sorted, unique"
        );
        assert!(all.iter().all(|p| p.len() == layer.pcode_len()));
    }
}

#[test]
fn every_codifier_unit_outside_crimea_has_an_outline() {
    let outside = |code: &String| !code.starts_with("UA01") && !code.starts_with("UA85");
    let hromadas: Vec<String> = codes("H").into_iter().filter(outside).collect();
    assert_eq!(hromadas.len(), 1469);
    for code in &hromadas {
        assert!(outline(Layer::Hromada, code).is_some(), "hromada {code}");
    }
    // Raions and oblasts are complete, Crimea included.
    let raions = codes("P");
    assert_eq!(raions.len(), 136);
    for code in &raions {
        assert!(outline(Layer::Raion, code).is_some(), "raion {code}");
    }
    let oblasts: Vec<String> = codes("O").into_iter().chain(codes("K")).collect();
    assert_eq!(oblasts.len(), 27);
    for code in &oblasts {
        assert_eq!(
            outline(Layer::Oblast, code).map(Outline::pcode),
            Some(&code[..4]),
            "{code}"
        );
    }
    let hromada_pcodes = pcodes(Layer::Hromada);
    // Kyiv and the Chornobyl zone are hromada-level units of their own in the source.
    assert!(hromada_pcodes.contains("UA8000000"));
    assert!(hromada_pcodes.contains("UA3200000"));
}

#[test]
fn lookup_takes_full_codes_pcodes_and_junk() {
    let vinnytsia = outline(Layer::Hromada, "UA05020030000031457").expect("Вінницька");
    assert_eq!(vinnytsia.pcode(), "UA0502003");
    assert_eq!(vinnytsia.layer(), Layer::Hromada);
    assert!(std::ptr::eq(
        vinnytsia,
        outline(Layer::Hromada, "UA0502003").expect("by P-code")
    ));
    assert_eq!(
        outline(Layer::Oblast, "UA05020030000031457").map(Outline::pcode),
        Some("UA05")
    );
    assert_eq!(
        outline(Layer::Raion, "UA05020030000031457").map(Outline::pcode),
        Some("UA0502")
    );
    let kyiv = "UA80000000000093317";
    assert_eq!(
        outline(Layer::Hromada, kyiv).map(Outline::pcode),
        Some("UA8000000")
    );
    assert_eq!(
        outline(Layer::Oblast, kyiv).map(Outline::pcode),
        Some("UA80")
    );
    for junk in [
        "",
        "UA",
        "UA05",
        "UA05020",
        "ua0502003",
        "UA0ї02003",
        "UA99999990000000000",
    ] {
        assert!(outline(Layer::Hromada, junk).is_none(), "{junk}");
    }
    assert!(outline(Layer::Oblast, "ЇЇ").is_none());
}

#[test]
fn units_within_a_prefix() {
    let vinnytsia_oblast = "UA05000000000010236";
    assert_eq!(codes_in(Layer::Raion, "UA05").len(), 6);
    assert_eq!(codes_in(Layer::Raion, vinnytsia_oblast).len(), 6);
    let hromadas = codes_in(Layer::Hromada, "UA05").len();
    assert_eq!(hromadas, 63);
    assert_eq!(codes_in(Layer::Hromada, vinnytsia_oblast).len(), hromadas);
    assert!(codes_in(Layer::Hromada, "UA05").all(|o| o.pcode().starts_with("UA05")));
    let raion = codes_in(Layer::Hromada, "UA05020000000000000").len();
    assert_eq!(codes_in(Layer::Hromada, "UA0502").len(), raion);
    assert!(raion > 0 && raion < hromadas);
    assert_eq!(codes_in(Layer::Hromada, "UA0502003").len(), 1);
    assert_eq!(codes_in(Layer::Hromada, "XX").len(), 0);
    assert_eq!(codes_in(Layer::Hromada, "ї").len(), 0);
    assert_eq!(codes_in(Layer::Oblast, "UA05020030000031457").len(), 0);
}

/// Each stored box is the box of its path, and every path is the compact form promised.
#[test]
fn paths_are_compact_and_match_their_boxes() {
    for layer in Layer::ALL {
        for o in codes_in(layer, "") {
            let path = o.path();
            assert!(
                path.starts_with('M') && path.ends_with('z'),
                "{}",
                o.pcode()
            );
            assert!(
                path.chars()
                    .all(|c| c.is_ascii_digit() || " -Mlz".contains(c)),
                "{}",
                o.pcode()
            );
            let mut bbox: Option<BBox> = None;
            for ring in path.split_terminator('z') {
                let (start, moves) = ring
                    .trim_start_matches('M')
                    .split_once('l')
                    .expect("M x y l …");
                let numbers = |s: &str| -> Vec<i32> {
                    s.replace('-', " -")
                        .split_whitespace()
                        .map(|n| n.parse().expect("integer"))
                        .collect()
                };
                let (mut x, mut y) = match numbers(start)[..] {
                    [x, y] => (x, y),
                    _ => panic!("{}: start {start}", o.pcode()),
                };
                let moves = numbers(moves);
                assert!(moves.len() >= 4 && moves.len() % 2 == 0, "{}", o.pcode());
                let mut grow = |x: i32, y: i32| {
                    let point = BBox {
                        min_x: x,
                        min_y: y,
                        max_x: x,
                        max_y: y,
                    };
                    bbox = Some(bbox.map_or(point, |b| b.union(point)));
                };
                grow(x, y);
                for d in moves.chunks(2) {
                    (x, y) = (x + d[0], y + d[1]);
                    grow(x, y);
                }
            }
            assert_eq!(bbox, Some(o.bbox()), "{}", o.pcode());
        }
    }
}

/// Checks that every tag is closed in order, and returns the tag names as they open.
fn balanced(svg: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut opened = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        assert!(!rest[..start].contains('>'), "stray > in {svg}");
        let end = rest[start..].find('>').expect("tag closes") + start;
        let tag = &rest[start + 1..end];
        assert!(!tag.contains('<'), "stray < in {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "{svg}");
        } else {
            let name = tag.split([' ', '/']).next().expect("name").to_string();
            opened.push(name.clone());
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &rest[end + 1..];
    }
    assert!(rest.is_empty(), "text after </svg>");
    assert!(stack.is_empty(), "unclosed {stack:?}");
    opened
}

fn view_box_of(svg: &str) -> BBox {
    let start = svg.find("viewBox=\"").expect("viewBox") + 9;
    let end = svg[start..].find('"').expect("closing quote") + start;
    let n: Vec<i32> = svg[start..end]
        .split(' ')
        .map(|n| n.parse().expect("integer"))
        .collect();
    BBox {
        min_x: n[0],
        min_y: n[1],
        max_x: n[0] + n[2],
        max_y: n[1] + n[3],
    }
}

fn oblast_map(prefix: &str) -> String {
    let hrefs: Vec<(String, String)> = codes_in(Layer::Hromada, prefix)
        .map(|o| {
            (
                o.pcode().to_string(),
                format!("/registry/{}0000012345", o.pcode()),
            )
        })
        .collect();
    let label = "Новоград-Волинська міська територіальна громада";
    let mut shapes = vec![Shape::context(Layer::Oblast, prefix, "")];
    shapes.extend(
        hrefs
            .iter()
            .map(|(code, href)| Shape::unit(Layer::Hromada, code, label).linked(href)),
    );
    render("Громади області", &shapes).expect("an oblast has outlines")
}

#[test]
fn a_hromada_in_its_oblast() {
    let svg = render(
        "Вінницька громада на карті області",
        &[
            Shape::focus(Layer::Hromada, "UA05020030000031457", "Вінницька"),
            Shape::context(Layer::Oblast, "UA05020030000031457", "Вінницька область"),
        ],
    )
    .expect("known units");
    assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox=""#));
    assert!(svg.contains(r#"role="img""#));
    let id = svg
        .split("aria-labelledby=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("aria-labelledby");
    assert!(svg.contains(&format!(
        r#"<title id="{id}">Вінницька громада на карті області</title>"#
    )));
    // Context first, the focus on top.
    let context = svg.find("map-context").expect("context drawn");
    let focus = svg.find("map-focus").expect("focus drawn");
    assert!(context < focus);
    assert!(svg.contains("<title>Вінницька</title>"));
    assert!(!svg.contains("style"));
    assert_eq!(
        balanced(&svg),
        ["svg", "title", "path", "title", "path", "title"]
    );
    let oblast = outline(Layer::Oblast, "UA05").expect("oblast").bbox();
    assert!(view_box_of(&svg).contains(&oblast));
}

#[test]
fn a_single_hromada_fits_inside_its_oblast() {
    let svg = render(
        "Вінницька",
        &[Shape::focus(Layer::Hromada, "UA0502003", "Вінницька")],
    )
    .expect("known");
    let hromada = outline(Layer::Hromada, "UA0502003")
        .expect("hromada")
        .bbox();
    let oblast = outline(Layer::Oblast, "UA05").expect("oblast").bbox();
    let view = view_box_of(&svg);
    assert!(view.contains(&hromada));
    assert!(oblast.contains(&hromada));
    assert!(oblast.contains(&view), "{view:?} in {oblast:?}");
    // The margin is small: the view is not much bigger than the hromada.
    assert!(view.width() < hromada.width().max(hromada.height()) * 3 / 2);
}

#[test]
fn labels_titles_and_hrefs_are_escaped() {
    let svg = render(
        "Map of A & <B>",
        &[Shape::unit(Layer::Hromada, "UA0502003", "A & <B> \"'\u{1}").linked("/x?a=1&b=\"2\"")],
    )
    .expect("known");
    assert!(svg.contains(">Map of A &amp; &lt;B&gt;</title>"));
    assert!(svg.contains(r#"<title>A &amp; &lt;B&gt; &quot;&#39;</title>"#));
    assert!(svg.contains(r#"<a href="/x?a=1&amp;b=&quot;2&quot;""#));
    assert!(!svg.contains('\u{1}'));
    balanced(&svg);
}

#[test]
fn links_make_a_group_with_named_links() {
    let svg = oblast_map("UA05");
    assert!(svg.contains(r#"role="group""#));
    assert!(!svg.contains(r#"role="img""#));
    let links = svg.matches("<a href=").count();
    assert_eq!(links, 63);
    // Every link is named by a non-empty <title>, its first child.
    for link in svg.split("<a href=\"").skip(1) {
        let (_, content) = link.split_once("\">").expect("tag ends");
        assert!(content.starts_with("<title>") && !content.starts_with("<title></title>"));
    }
    assert_eq!(svg.matches("class=\"map-unit\"").count(), 63);
    assert_eq!(svg.matches("class=\"map-context\"").count(), 1);
    assert!(svg.find("map-context") < svg.find("map-unit"));
    balanced(&svg);
}

#[test]
fn a_unit_that_is_also_the_focus_is_drawn_once_as_the_focus() {
    let codes: Vec<&str> = codes_in(Layer::Hromada, "UA0502")
        .map(Outline::pcode)
        .collect();
    let mut shapes: Vec<Shape> = codes
        .iter()
        .map(|c| Shape::unit(Layer::Hromada, c, c).linked("/h"))
        .collect();
    shapes.insert(0, Shape::focus(Layer::Hromada, "UA05020030000031457", ""));
    let svg = render("Вінницький район", &shapes).expect("known");
    assert_eq!(svg.matches("<path").count(), codes.len());
    assert_eq!(svg.matches("<a href=").count(), codes.len());
    assert_eq!(svg.matches("map-focus").count(), 1);
    // The focus comes last, with the unit's link and label.
    assert!(svg.contains(r#"<a href="/h"><title>UA0502003</title><path class="map-focus""#));
    assert!(svg.rfind("map-unit") < svg.find("map-focus"));
    balanced(&svg);
}

#[test]
fn unsafe_or_nameless_links_are_dropped() {
    for (label, href) in [
        ("A", "javascript:alert(1)"),
        ("A", " JavaScript:alert(1)"),
        ("A", "data:text/html,x"),
        ("", "/registry/UA05"),
        ("  ", "/registry/UA05"),
        ("A", "  "),
    ] {
        let svg = render(
            "t",
            &[Shape::unit(Layer::Oblast, "UA05", label).linked(href)],
        )
        .expect("known");
        assert!(!svg.contains("<a "), "{label:?} {href:?}");
        assert!(svg.contains(r#"role="img""#));
    }
    for href in [
        "/registry/UA05",
        "https://example.org/a:b",
        "HTTP://x",
        "page?x=a:b",
        "#UA05",
    ] {
        let svg =
            render("t", &[Shape::unit(Layer::Oblast, "UA05", "A").linked(href)]).expect("known");
        assert!(svg.contains("<a href="), "{href}");
    }
}

#[test]
fn nothing_known_renders_nothing() {
    assert_eq!(render("t", &[]), None);
    assert_eq!(
        render(
            "t",
            &[
                Shape::focus(Layer::Hromada, "UA0108039", "no geometry"),
                Shape::unit(Layer::Hromada, "", ""),
                Shape::context(Layer::Raion, "ї", "x"),
            ]
        ),
        None
    );
    // Unknown shapes are skipped, known ones drawn.
    let svg = render(
        "t",
        &[
            Shape::unit(Layer::Hromada, "UA9999999", "x"),
            Shape::unit(Layer::Oblast, "UA05", "y"),
        ],
    )
    .expect("one known");
    assert_eq!(svg.matches("<path").count(), 1);
}

#[test]
fn ids_differ_between_maps_and_rendering_is_deterministic() {
    let shapes = [Shape::focus(Layer::Oblast, "UA05", "Вінницька")];
    let a = render("A", &shapes).expect("known");
    assert_eq!(render("A", &shapes), Some(a.clone()));
    let b = render("B", &shapes).expect("known");
    let c = render("A", &[Shape::focus(Layer::Oblast, "UA07", "Волинська")]).expect("known");
    let id = |svg: &str| svg.split('"').nth(7).map(str::to_string);
    assert!(id(&a).is_some_and(|i| i.starts_with("map-")));
    assert_ne!(id(&a), id(&b));
    assert_ne!(id(&a), id(&c));
}

#[test]
fn the_view_box_keeps_a_sane_aspect_ratio() {
    for layer in Layer::ALL {
        for o in codes_in(layer, "") {
            let (x, y, w, h) = view_box(o.bbox());
            assert!(x <= i64::from(o.bbox().min_x) && y <= i64::from(o.bbox().min_y));
            assert!(x + w >= i64::from(o.bbox().max_x) && y + h >= i64::from(o.bbox().max_y));
            assert!(
                4 * h <= 5 * w + 4 && 2 * h + 2 >= w,
                "{} {w}x{h}",
                o.pcode()
            );
        }
    }
}

/// The largest oblasts by hromada count and outline length stay small enough to inline.
#[test]
fn oblast_maps_stay_small() {
    for (oblast, hromadas) in [("UA32", 70), ("UA12", 86), ("UA05", 63)] {
        let svg = oblast_map(oblast);
        assert_eq!(svg.matches("<a href=").count(), hromadas, "{oblast}");
        assert!(svg.len() < 40_000, "{oblast}: {} bytes", svg.len());
        balanced(&svg);
    }
    let country: Vec<Shape> = codes_in(Layer::Oblast, "")
        .map(|o| Shape::unit(Layer::Oblast, o.pcode(), o.pcode()))
        .collect();
    let svg = render("Україна", &country).expect("oblasts");
    assert!(svg.len() < 40_000, "country: {} bytes", svg.len());
}
