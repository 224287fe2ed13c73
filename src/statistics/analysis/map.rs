//! The choropleth of an indicator: every hromada filled by the quantile class of its value,
//! oblast borders on top, and a legend, drawn from the shipped outlines (see
//! `registry::maps`). It is a standalone SVG document (the indicator page shows it as an
//! image and offers it for download), so colours are presentation attributes rather than
//! classes of the site's stylesheet, which an image cannot load.

use std::fmt::Write as _;

use crate::registry::maps::{self, BBox, Layer};

/// The fills of the classes, light to dark, and of "no value". Neighbouring classes differ
/// enough to be told apart; the darkest keeps white text readable.
pub const CLASS_FILLS: [&str; 5] = ["#deebf7", "#9ecae1", "#6baed6", "#2f7ebc", "#08306b"];
pub const NO_VALUE_FILL: &str = "#f0f0f0";

/// One hromada on the map.
pub struct Area<'a> {
    pub code: &'a str,
    /// Its name and value as the tooltip reads, plain text.
    pub label: String,
    /// Its class (an index into [`CLASS_FILLS`]), `None` without a value.
    pub class: Option<usize>,
}

use crate::web::page::escape as esc;

/// The map as an SVG document; `legend` holds one label per class, light to dark, and
/// `no_value` the label of hromadas without one. `None` when no area has an outline.
pub fn choropleth(
    title: &str,
    areas: &[Area],
    legend: &[String],
    no_value: &str,
) -> Option<String> {
    let shapes: Vec<(&Area, &maps::Outline)> = areas
        .iter()
        .filter_map(|a| Some((a, maps::outline(Layer::Hromada, a.code)?)))
        .collect();
    let bbox = shapes.iter().map(|(_, o)| o.bbox()).reduce(BBox::union)?;
    // Sizes in map units that make one pixel when the map is shown 640 pixels wide, so the
    // legend and borders read the same for the whole country and for one oblast.
    let px = (bbox.width() / 640).max(1);
    let margin = 10 * px;
    let legend_h = 24 * px * (legend.len() as i32 + 1) + 16 * px;
    let (x, y) = (bbox.min_x - margin, bbox.min_y - margin);
    let w = bbox.width() + 2 * margin;
    let h = bbox.height() + 2 * margin + legend_h;
    let mut svg = String::with_capacity(
        shapes
            .iter()
            .map(|(a, o)| o.path().len() + a.label.len() + 60)
            .sum::<usize>()
            + 4_000,
    );
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{x} {y} {w} {h}\" role=\"img\" \
         aria-labelledby=\"map-title\"><title id=\"map-title\">{}</title>\
         <rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\
         <g stroke=\"#ffffff\" stroke-width=\"{}\" stroke-linejoin=\"round\">",
        esc(title),
        (px / 2).max(1)
    );
    for (a, o) in &shapes {
        let fill = a.class.map_or(NO_VALUE_FILL, |c| CLASS_FILLS[c.min(4)]);
        let _ = write!(
            svg,
            "<path fill=\"{fill}\" d=\"{}\"><title>{}</title></path>",
            o.path(),
            esc(&a.label)
        );
    }
    svg.push_str(
        "</g><g fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"12\" stroke-linejoin=\"round\">",
    );
    // Oblast borders where the map reaches, for orientation.
    let mut oblasts: Vec<&str> = shapes.iter().filter_map(|(a, _)| a.code.get(..4)).collect();
    oblasts.dedup();
    oblasts.sort_unstable();
    oblasts.dedup();
    for code in oblasts {
        if let Some(o) = maps::outline(Layer::Oblast, code) {
            let _ = write!(svg, "<path d=\"{}\"/>", o.path());
        }
    }
    svg.push_str("</g>");
    // The legend, below the map.
    let lx = bbox.min_x;
    let mut ly = bbox.max_y + margin + 8 * px;
    let rows = legend
        .iter()
        .enumerate()
        .map(|(i, l)| (CLASS_FILLS[i.min(4)], l.as_str()))
        .chain(std::iter::once((NO_VALUE_FILL, no_value)));
    for (fill, label) in rows {
        let _ = write!(
            svg,
            "<rect x=\"{lx}\" y=\"{ly}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"#1a1a1a\" \
             stroke-width=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"{}\" font-family=\"sans-serif\" \
             fill=\"#1a1a1a\">{}</text>",
            28 * px,
            16 * px,
            (px / 2).max(1),
            lx + 36 * px,
            ly + 13 * px,
            14 * px,
            esc(label)
        );
        ly += 24 * px;
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hromada_is_filled_by_its_class_and_named() {
        let areas = [
            Area {
                code: "UA05020030000031457",
                label: "Вінницька: 5 <млрд>".into(),
                class: Some(4),
            },
            Area {
                code: "UA05020010000053508",
                label: "Агрономічна".into(),
                class: None,
            },
            Area {
                code: "UA99999999999999999",
                label: "nowhere".into(),
                class: Some(0),
            },
        ];
        let legend = vec!["1".to_string(), "2".to_string()];
        let svg = choropleth("t", &areas, &legend, "—").expect("svg");
        assert!(svg.contains(&format!("<path fill=\"{}\"", CLASS_FILLS[4])));
        assert!(svg.contains(&format!("<path fill=\"{NO_VALUE_FILL}\"")));
        assert!(svg.contains("5 &lt;млрд&gt;"));
        assert!(!svg.contains("nowhere"), "no outline, not drawn");
        assert_eq!(
            svg.matches("font-family=").count(),
            3,
            "two classes and no value"
        );
        assert!(choropleth("t", &areas[2..], &legend, "—").is_none());
    }
}
