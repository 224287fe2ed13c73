//! Charts as SVG, inline in pages or as documents: a sparkline of one series, a line chart of
//! several, a histogram.
//! Each carries its text alternative (`role="img"` with a label; the pages print the numbers
//! beside it too). Shapes carry classes only, no `style` (the site's Content-Security-Policy),
//! and the series classes `s0`…`s9` that `static/style.css` colours.

use std::fmt::Write as _;

use crate::web::page::escape as esc;

/// A chart or map as an SVG document in a response, named `file` for saving.
pub fn response(svg: String, file: &str) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let mut response = svg.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{file}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// Maps `[lo, hi]` onto `[to_lo, to_hi]`; a flat range lands in the middle.
fn scale(v: f64, lo: f64, hi: f64, to_lo: f64, to_hi: f64) -> f64 {
    if hi > lo {
        to_lo + (v - lo) / (hi - lo) * (to_hi - to_lo)
    } else {
        (to_lo + to_hi) / 2.0
    }
}

/// A small line of `points` (`None` breaks the line), 100 × 24, labelled `label`.
pub fn sparkline(points: &[Option<f64>], label: &str) -> String {
    const W: f64 = 100.0;
    const H: f64 = 24.0;
    let known: Vec<f64> = points.iter().flatten().copied().collect();
    let lo = known.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut svg = format!(
        "<svg class=\"spark\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" \
         aria-label=\"{}\">",
        esc(label)
    );
    let step = if points.len() > 1 {
        (W - 4.0) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let mut runs: Vec<Vec<String>> = vec![Vec::new()];
    let mut last = None;
    for (i, p) in points.iter().enumerate() {
        let Some(v) = p else {
            runs.push(Vec::new());
            continue;
        };
        let x = 2.0 + step * i as f64;
        let y = scale(*v, lo, hi, H - 3.0, 3.0);
        if let Some(run) = runs.last_mut() {
            run.push(format!("{x:.1},{y:.1}"));
        }
        last = Some((x, y));
    }
    for run in runs.iter().filter(|r| r.len() > 1) {
        let _ = write!(svg, "<polyline points=\"{}\"/>", run.join(" "));
    }
    if let Some((x, y)) = last {
        let _ = write!(svg, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2\"/>");
    }
    svg.push_str("</svg>");
    svg
}

/// One line of a line chart.
pub struct Line<'a> {
    pub label: &'a str,
    /// One value per period, `None` where there is none.
    pub values: Vec<Option<f64>>,
}

/// A line chart of up to ten lines over `periods`, with the value axis from the data's range
/// (including zero when the values are all of one sign), a legend and its title.
pub fn line_chart(
    id: &str,
    title: &str,
    periods: &[String],
    lines: &[Line],
    format: &dyn Fn(f64) -> String,
) -> String {
    // The id comes from an indicator code; an id holds only these characters, whatever the
    // code held, so it can neither close the attribute nor clash with markup.
    let id: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    const W: f64 = 640.0;
    const H: f64 = 320.0;
    const LEFT: f64 = 110.0;
    const RIGHT: f64 = 20.0;
    const TOP: f64 = 20.0;
    const BOTTOM: f64 = 40.0;
    let known: Vec<f64> = lines
        .iter()
        .flat_map(|l| l.values.iter().flatten().copied())
        .collect();
    let mut lo = known.iter().copied().fold(f64::INFINITY, f64::min).min(0.0);
    let mut hi = known
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max)
        .max(0.0);
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let legend_h = 18.0 * lines.len() as f64;
    let total_h = H + legend_h;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {W} {total_h}\" role=\"img\" aria-labelledby=\"{id}\">\
         <title id=\"{id}\">{}</title>",
        esc(title)
    );
    let x_of = |i: usize| {
        if periods.len() > 1 {
            LEFT + (W - LEFT - RIGHT) * i as f64 / (periods.len() - 1) as f64
        } else {
            (LEFT + W - RIGHT) / 2.0
        }
    };
    let y_of = |v: f64| scale(v, lo, hi, H - BOTTOM, TOP);
    // Value axis: five ticks.
    for k in 0..=4 {
        let v = lo + (hi - lo) * f64::from(k) / 4.0;
        let y = y_of(v);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            esc(&format(v))
        );
    }
    for (i, p) in periods.iter().enumerate() {
        let _ = write!(
            svg,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x_of(i),
            H - BOTTOM + 18.0,
            esc(p)
        );
    }
    for (n, l) in lines.iter().enumerate() {
        let class = format!("s{}", n % 10);
        let mut run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, svg: &mut String| {
            if run.len() > 1 {
                let _ = write!(
                    svg,
                    "<polyline class=\"{class}\" points=\"{}\"/>",
                    run.join(" ")
                );
            }
            run.clear();
        };
        for (i, v) in l.values.iter().enumerate() {
            match v {
                Some(v) => {
                    let (x, y) = (x_of(i), y_of(*v));
                    run.push(format!("{x:.1},{y:.1}"));
                    let _ = write!(
                        svg,
                        "<circle class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\"/>"
                    );
                }
                None => flush(&mut run, &mut svg),
            }
        }
        flush(&mut run, &mut svg);
        let y = H + 18.0 * n as f64;
        let _ = write!(
            svg,
            "<rect class=\"{class}\" x=\"{LEFT}\" y=\"{}\" width=\"14\" height=\"4\"/>\
             <text class=\"legend\" x=\"{}\" y=\"{y:.1}\">{}</text>",
            y - 6.0,
            LEFT + 20.0,
            esc(l.label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A histogram of `counts` over bins with the labels given, titled.
pub fn histogram(title: &str, bins: &[(String, u32)]) -> String {
    const W: f64 = 640.0;
    const H: f64 = 220.0;
    const LEFT: f64 = 40.0;
    const BOTTOM: f64 = 50.0;
    let most = bins.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"histogram-title\">\
         <title id=\"histogram-title\">{}</title>",
        esc(title)
    );
    let width = (W - LEFT - 10.0) / bins.len().max(1) as f64;
    for (i, (label, count)) in bins.iter().enumerate() {
        let h = (H - BOTTOM - 10.0) * f64::from(*count) / f64::from(most);
        let x = LEFT + width * i as f64;
        let _ = write!(
            svg,
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"/>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{count}</text>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x + 1.0,
            H - BOTTOM - h,
            width - 2.0,
            x + width / 2.0,
            H - BOTTOM - h - 3.0,
            x + width / 2.0,
            H - BOTTOM + 16.0,
            esc(label)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sparkline_breaks_where_a_value_is_missing_and_marks_the_last() {
        let svg = sparkline(&[Some(1.0), Some(2.0), None, Some(3.0), Some(1.0)], "a & b");
        assert!(svg.contains("aria-label=\"a &amp; b\""));
        assert_eq!(svg.matches("<polyline").count(), 2, "{svg}");
        assert_eq!(svg.matches("<circle").count(), 1);
        // One point alone still draws its mark.
        let one = sparkline(&[Some(5.0)], "x");
        assert!(one.contains("<circle"));
    }

    #[test]
    fn a_line_chart_draws_each_line_and_its_legend() {
        let periods = vec!["2021".to_string(), "2022".to_string(), "2023".to_string()];
        let lines = [
            Line {
                label: "Вінницька",
                values: vec![Some(1.0), Some(2.0), Some(3.0)],
            },
            Line {
                label: "<Жмеринська>",
                values: vec![None, Some(2.0), Some(1.0)],
            },
        ];
        let svg = line_chart("c1", "t", &periods, &lines, &|v| format!("{v}"));
        let hostile = line_chart("c\"><script>x</script>", "t", &periods, &lines, &|v| {
            format!("{v}")
        });
        assert!(!hostile.contains("<script"), "{hostile}");
        assert!(
            hostile.contains("id=\"c---script-x--script-\""),
            "{hostile}"
        );
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("&lt;Жмеринська&gt;"));
        assert!(svg.contains(">2023</text>"));
    }
}
