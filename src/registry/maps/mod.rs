//! Inline SVG maps of oblasts, raions and hromadas, drawn from outlines shipped in the binary.
//!
//! `data/boundaries/outlines.tsv.gz` (built by `data/boundaries/prepare_outlines.py` from the
//! OCHA COD-AB boundaries of 2024; licence in `NOTICE`) holds one simplified outline per unit,
//! already projected to one integer plane for all of Ukraine (1 unit ≈ 111 m, north up) and
//! written as SVG path data with its bounding box. Drawing a map is therefore string assembly:
//! the stored paths go out as they are and the `viewBox` comes from the stored boxes.
//!
//! The markup obeys the site's Content-Security-Policy (`style-src 'self'`): no `style`
//! attributes and no `<style>` element; shapes carry the classes `map-context`, `map-unit` and
//! `map-focus`, which `static/style.css` paints.

use std::fmt::Write as _;
use std::io::Read as _;
use std::sync::LazyLock;

static OUTLINES_GZ: &[u8] = include_bytes!("../../../data/boundaries/outlines.tsv.gz");

/// The level of the administrative division an outline belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    /// Oblasts, the Autonomous Republic of Crimea, Kyiv and Sevastopol (P-code `UA05`).
    Oblast,
    /// Raions, plus Kyiv, Sevastopol and the Chornobyl exclusion zone (P-code `UA0502`).
    Raion,
    /// Hromadas, plus Kyiv, Sevastopol and the Chornobyl exclusion zone (P-code `UA0502003`).
    Hromada,
}

impl Layer {
    /// Every layer, from the largest units to the smallest.
    pub const ALL: [Layer; 3] = [Layer::Oblast, Layer::Raion, Layer::Hromada];

    /// How many leading characters of a codifier code form this layer's P-code.
    pub const fn pcode_len(self) -> usize {
        match self {
            Layer::Oblast => 4,
            Layer::Raion => 6,
            Layer::Hromada => 9,
        }
    }

    const fn index(self) -> usize {
        match self {
            Layer::Oblast => 0,
            Layer::Raion => 1,
            Layer::Hromada => 2,
        }
    }

    fn from_tag(tag: &str) -> Option<Layer> {
        match tag {
            "o" => Some(Layer::Oblast),
            "r" => Some(Layer::Raion),
            "h" => Some(Layer::Hromada),
            _ => None,
        }
    }
}

/// An axis-aligned box in the map plane: x grows eastwards and y southwards, in units of
/// 0.001° of latitude (≈ 111 m), the same plane for the whole country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BBox {
    pub min_x: i32,
    pub min_y: i32,
    pub max_x: i32,
    pub max_y: i32,
}

impl BBox {
    /// The smallest box holding both.
    pub fn union(self, other: BBox) -> BBox {
        BBox {
            min_x: self.min_x.min(other.min_x),
            min_y: self.min_y.min(other.min_y),
            max_x: self.max_x.max(other.max_x),
            max_y: self.max_y.max(other.max_y),
        }
    }

    /// Whether `other` lies wholly inside this box (edges included).
    pub fn contains(&self, other: &BBox) -> bool {
        self.min_x <= other.min_x
            && self.min_y <= other.min_y
            && other.max_x <= self.max_x
            && other.max_y <= self.max_y
    }

    /// East-west extent, in map units.
    pub fn width(&self) -> i32 {
        self.max_x - self.min_x
    }

    /// North-south extent, in map units.
    pub fn height(&self) -> i32 {
        self.max_y - self.min_y
    }
}

/// The outline of one unit: its P-code, bounding box and SVG path data.
#[derive(Debug)]
pub struct Outline {
    layer: Layer,
    pcode: Box<str>,
    bbox: BBox,
    path: Box<str>,
}

impl Outline {
    /// The layer the outline is on.
    pub fn layer(&self) -> Layer {
        self.layer
    }

    /// The COD-AB P-code: the first 4, 6 or 9 characters of the unit's codifier code.
    pub fn pcode(&self) -> &str {
        &self.pcode
    }

    /// The bounding box of [`Outline::path`], in map units.
    pub fn bbox(&self) -> BBox {
        self.bbox
    }

    /// SVG path data in map units: `M` and relative `l` moves with integers, `z` per ring.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// Every outline, one vector per layer sorted by P-code, so that lookups are binary searches
/// and "all units under a prefix" is one contiguous slice.
struct Outlines {
    by_layer: [Vec<Outline>; 3],
}

static OUTLINES: LazyLock<Outlines> = LazyLock::new(|| load(OUTLINES_GZ));

/// Parses the shipped file. The file is fixed at build time and the tests read it whole, so
/// a damaged file is a build defect; even then maps disappear rather than pages failing.
fn load(gz: &[u8]) -> Outlines {
    let mut text = String::new();
    if flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut text)
        .is_err()
    {
        text.clear();
    }
    let mut by_layer: [Vec<Outline>; 3] = Default::default();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        if let Some(outline) = parse_line(line) {
            by_layer[outline.layer.index()].push(outline);
        }
    }
    for outlines in &mut by_layer {
        outlines.sort_by(|a, b| a.pcode.cmp(&b.pcode));
        outlines.dedup_by(|a, b| a.pcode == b.pcode);
    }
    Outlines { by_layer }
}

/// `level  pcode  minx  miny  maxx  maxy  path`, tab-separated.
fn parse_line(line: &str) -> Option<Outline> {
    let mut fields = line.split('\t');
    let layer = Layer::from_tag(fields.next()?)?;
    let pcode = fields.next()?;
    let mut number = || fields.next()?.parse::<i32>().ok();
    let bbox = BBox {
        min_x: number()?,
        min_y: number()?,
        max_x: number()?,
        max_y: number()?,
    };
    let path = fields.next()?;
    if pcode.len() != layer.pcode_len() || path.is_empty() || fields.next().is_some() {
        return None;
    }
    Some(Outline {
        layer,
        pcode: pcode.into(),
        bbox,
        path: path.into(),
    })
}

/// The P-code a code names on a layer: its first 4, 6 or 9 characters.
fn pcode_of(layer: Layer, code: &str) -> Option<&str> {
    // `get` rather than slicing: a stray multi-byte character must not panic.
    code.get(..layer.pcode_len())
}

/// The outline of the unit on `layer` that `code` lies in: `code` is a full 19-character
/// codifier code (`UA05020030000031457`) or any code at least as long as the layer's P-code
/// (`UA0502003` for a hromada; `UA05` or a hromada's code for an oblast). `None` when the
/// boundary files lack the unit (six Crimean hromadas, two without geometry, and units created
/// after April 2024) or the code is malformed.
pub fn outline(layer: Layer, code: &str) -> Option<&'static Outline> {
    let pcode = pcode_of(layer, code)?;
    let outlines = &OUTLINES.by_layer[layer.index()];
    let i = outlines.binary_search_by(|o| (*o.pcode).cmp(pcode)).ok()?;
    outlines.get(i)
}

/// The outlines on `layer` whose P-code starts with `prefix`, in P-code order: the hromadas
/// (or raions) of an oblast from `UA05`, the hromadas of a raion from `UA0502`. A full
/// 19-character codifier code counts as the P-code of the unit it names, so an oblast's or a
/// raion's own code works as well (`UA05000000000010236` → `UA05`). An empty prefix gives
/// every outline on the layer.
pub fn codes_in(layer: Layer, prefix: &str) -> std::slice::Iter<'static, Outline> {
    let prefix = unit_prefix(prefix);
    let outlines = &OUTLINES.by_layer[layer.index()];
    // Sorted by P-code, the matches are one run: from the first P-code not below the prefix
    // to the first one past it that no longer starts with it.
    let start = outlines.partition_point(|o| *o.pcode < *prefix);
    let len = outlines[start..].partition_point(|o| o.pcode.starts_with(prefix));
    outlines[start..start + len].iter()
}

/// The P-code part of a full codifier code: an oblast's, raion's or hromada's code is its
/// level's P-code followed by zeros and a serial number (a settlement's code gives its
/// hromada's). Anything else comes back unchanged.
fn unit_prefix(code: &str) -> &str {
    const FULL_LEN: usize = 19;
    if code.len() != FULL_LEN || !code.is_ascii() {
        return code;
    }
    if &code[4..6] == "00" {
        &code[..4]
    } else if &code[6..9] == "000" {
        &code[..6]
    } else {
        &code[..9]
    }
}

/// How a shape takes part in a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShapeRole {
    /// Background for orientation, such as the oblast around a hromada. Painted first.
    Context,
    /// An ordinary shape, usually a link to the unit's page.
    Unit,
    /// The highlighted unit. Painted last, on top of everything else.
    Focus,
}

/// One unit to draw. `label` names it to people: a tooltip, and the accessible name of its
/// link. A shape whose `href` is set but whose label is blank, or whose `href` has a scheme
/// other than http or https, is drawn without a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape<'a> {
    pub layer: Layer,
    /// A full codifier code or a P-code; see [`outline`].
    pub code: &'a str,
    /// The unit's name, plain text (it is escaped here). May be empty for context shapes.
    pub label: &'a str,
    /// Where the shape links to, plain text (escaped here): a path, a query or an http(s) URL.
    pub href: Option<&'a str>,
    pub role: ShapeRole,
    /// An extra class for the shape's fill, such as `map-occupied`; ignored unless it is made
    /// of lower-case letters and hyphens.
    pub tone: Option<&'a str>,
}

impl<'a> Shape<'a> {
    /// A background shape without a link.
    pub fn context(layer: Layer, code: &'a str, label: &'a str) -> Self {
        Shape {
            layer,
            code,
            label,
            href: None,
            role: ShapeRole::Context,
            tone: None,
        }
    }

    /// An ordinary shape without a link; add one with [`Shape::linked`].
    pub fn unit(layer: Layer, code: &'a str, label: &'a str) -> Self {
        Shape {
            role: ShapeRole::Unit,
            ..Shape::context(layer, code, label)
        }
    }

    /// The highlighted shape.
    pub fn focus(layer: Layer, code: &'a str, label: &'a str) -> Self {
        Shape {
            role: ShapeRole::Focus,
            ..Shape::context(layer, code, label)
        }
    }

    /// The same shape, linked to `href`.
    pub fn linked(self, href: &'a str) -> Self {
        Shape {
            href: Some(href),
            ..self
        }
    }

    /// The same shape with an extra class for its fill (`map-occupied`).
    pub fn toned(self, tone: Option<&'a str>) -> Self {
        Shape { tone, ..self }
    }
}

/// Margin around the drawn shapes, as a fraction of the larger side of their box (1/40), plus
/// a few units so that even a tiny unit's stroke is not cut off.
const MARGIN_DIVISOR: i32 = 40;
const MARGIN_MIN: i32 = 3;
/// The viewBox keeps its height between half and 1.25 times its width, padding the short side:
/// with `width: 100%; height: auto` a tall, narrow unit would otherwise fill a phone's screen
/// several times over, and a long, flat one would shrink to a line.
const MAX_TALL: (i32, i32) = (5, 4);
const MAX_WIDE: (i32, i32) = (1, 2);

/// Renders an inline `<svg>` of the given shapes, or `None` when none of them has an outline
/// (unknown codes are skipped). The `viewBox` fits the shapes' common bounding box with a small
/// margin; size it with CSS (`.map svg { width: 100%; height: auto }`).
///
/// `title` is the map's accessible name (`<title>`, referenced by `aria-labelledby`) and should
/// not be blank. The id is derived from the title and the shapes, so two different maps on one
/// page get different ids and a map renders to the same bytes every time; two maps with the
/// same title and shapes on one page would share an id, so give them different titles.
///
/// Shapes are painted context first, then units, then the focus, each group in the given
/// order, which is also the keyboard order of the links. A unit or context shape with the same
/// outline as a focus shape is drawn once, as the focus (lending it its label and its link when
/// the focus has none), so that no link hides under the highlight. A map with links is a `group`
/// of links; one without is a single image (`role="img"`): an image's content is hidden from
/// assistive technology and would hide the links.
pub fn render(title: &str, shapes: &[Shape]) -> Option<String> {
    let mut drawn: Vec<Drawn> = shapes
        .iter()
        .filter_map(|s| {
            Some(Drawn {
                role: s.role,
                tone: s.tone.filter(|t| {
                    !t.is_empty() && t.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                }),
                label: s.label.trim(),
                href: s.href,
                outline: outline(s.layer, s.code)?,
            })
        })
        .collect();
    let bbox = drawn.iter().map(|d| d.outline.bbox).reduce(BBox::union)?;
    merge_into_focus(&mut drawn);
    // A stable sort keeps the caller's order within each group.
    drawn.sort_by_key(|d| match d.role {
        ShapeRole::Context => 0,
        ShapeRole::Unit => 1,
        ShapeRole::Focus => 2,
    });
    let links = drawn.iter().any(|d| d.link().is_some());

    let id = map_id(title, &drawn);
    let (x, y, w, h) = view_box(bbox);
    let size = drawn
        .iter()
        .map(|d| d.outline.path.len() + d.label.len() + d.href.map_or(0, str::len) + 60)
        .sum::<usize>()
        + title.len()
        + 200;
    let mut svg = String::with_capacity(size);
    // Writing to a String cannot fail, so the fmt::Results below are safely ignored.
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x} {y} {w} {h}" role="{role}" aria-labelledby="{id}"><title id="{id}">"#,
        role = if links { "group" } else { "img" },
    );
    escape_into(&mut svg, title);
    svg.push_str("</title>");
    for d in &drawn {
        let role = match d.role {
            ShapeRole::Context => "map-context",
            ShapeRole::Unit => "map-unit",
            ShapeRole::Focus => "map-focus",
        };
        let toned;
        let class = match d.tone {
            Some(tone) => {
                toned = format!("{role} {tone}");
                toned.as_str()
            }
            None => role,
        };
        if let Some(href) = d.link() {
            // The link's <title> child is both its accessible name (SVG-AAM; axe-core and the
            // browsers agree) and the tooltip mouse users see, so no aria-label repeats it.
            svg.push_str("<a href=\"");
            escape_into(&mut svg, href);
            svg.push_str("\"><title>");
            escape_into(&mut svg, d.label);
            svg.push_str("</title>");
            push_path(&mut svg, class, d.outline);
            svg.push_str("/></a>");
        } else {
            push_path(&mut svg, class, d.outline);
            if d.label.is_empty() {
                svg.push_str("/>");
            } else {
                svg.push_str("><title>");
                escape_into(&mut svg, d.label);
                svg.push_str("</title></path>");
            }
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// A shape resolved to its outline.
struct Drawn<'a> {
    role: ShapeRole,
    tone: Option<&'a str>,
    label: &'a str,
    href: Option<&'a str>,
    outline: &'static Outline,
}

impl<'a> Drawn<'a> {
    /// The link target, when the shape gets a link at all: it needs a name for assistive
    /// technology, and only web links are let through, so that no `javascript:` URL can reach
    /// the page through data.
    fn link(&self) -> Option<&'a str> {
        let href = self.href?.trim();
        if self.label.is_empty() || href.is_empty() {
            return None;
        }
        // A scheme is whatever precedes the first ':' if no '/', '?' or '#' comes before it.
        match href.find([':', '/', '?', '#']) {
            Some(i) if href[i..].starts_with(':') => {
                let scheme = &href[..i];
                (scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http"))
                    .then_some(href)
            }
            _ => Some(href),
        }
    }
}

/// Folds every other shape with a focus shape's outline into that focus shape.
fn merge_into_focus(drawn: &mut Vec<Drawn>) {
    let mut keep = vec![true; drawn.len()];
    for f in 0..drawn.len() {
        if drawn[f].role != ShapeRole::Focus || !keep[f] {
            continue;
        }
        for other in 0..drawn.len() {
            if other == f || !keep[other] || !std::ptr::eq(drawn[other].outline, drawn[f].outline) {
                continue;
            }
            if drawn[other].role != ShapeRole::Focus {
                if drawn[f].label.is_empty() {
                    drawn[f].label = drawn[other].label;
                }
                if drawn[f].link().is_none() && drawn[other].link().is_some() {
                    drawn[f].href = drawn[other].href;
                }
            }
            keep[other] = false;
        }
    }
    let mut flags = keep.into_iter();
    drawn.retain(|_| flags.next().unwrap_or(true));
}

/// Opens a `<path>` element, leaving it for the caller to close.
fn push_path(svg: &mut String, class: &str, outline: &Outline) {
    // No vector-effect attribute: the stylesheet sets it once for all paths, where a copy on
    // each of a hundred paths would add 3 KB to a page.
    let _ = write!(svg, r#"<path class="{class}" d="{}""#, outline.path);
}

/// The viewBox `(x, y, width, height)` for a bounding box: a margin all round, and the short
/// side padded (centred) to keep the aspect ratio within `MAX_TALL` and `MAX_WIDE`.
fn view_box(bbox: BBox) -> (i64, i64, i64, i64) {
    // In i64: no overflow whatever the boxes hold.
    let w = i64::from(bbox.max_x) - i64::from(bbox.min_x);
    let h = i64::from(bbox.max_y) - i64::from(bbox.min_y);
    let margin = (w.max(h) / i64::from(MARGIN_DIVISOR)).max(i64::from(MARGIN_MIN));
    let (mut x, mut y) = (
        i64::from(bbox.min_x) - margin,
        i64::from(bbox.min_y) - margin,
    );
    let (mut w, mut h) = (w + 2 * margin, h + 2 * margin);
    let (tall_h, tall_w) = (i64::from(MAX_TALL.0), i64::from(MAX_TALL.1));
    let (wide_h, wide_w) = (i64::from(MAX_WIDE.0), i64::from(MAX_WIDE.1));
    if h * tall_w > w * tall_h {
        // Taller than 5:4: widen.
        let wider = (h * tall_w + tall_h - 1) / tall_h;
        x -= (wider - w) / 2;
        w = wider;
    } else if h * wide_w < w * wide_h {
        // Flatter than 1:2: heighten.
        let higher = (w * wide_h + wide_w - 1) / wide_w;
        y -= (higher - h) / 2;
        h = higher;
    }
    (x, y, w, h)
}

/// A short id for the map's `<title>`: FNV-1a over the title and what is drawn. Not a random
/// or counter-based id, so that a page renders to the same bytes every time.
fn map_id(title: &str, drawn: &[Drawn]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash = OFFSET;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes.iter().chain([0xff].iter()) {
            hash = (hash ^ u64::from(b)).wrapping_mul(PRIME);
        }
    };
    feed(title.as_bytes());
    for d in drawn {
        feed(d.outline.pcode.as_bytes());
        feed(&[d.role as u8]);
        feed(d.label.as_bytes());
        feed(d.href.unwrap_or_default().as_bytes());
    }
    format!("map-{hash:016x}")
}

/// Appends `text` escaped for XML text and attribute values alike. Characters XML forbids
/// (most C0 controls) are dropped, so the markup stays well-formed whatever the data holds.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if u32::from(c) < 0x20 => {}
            '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests;
