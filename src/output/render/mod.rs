//! Pictures: the SVG seating chart, and plots.
//!
//! Everything from the input that reaches an SVG (names, roles, seat labels, titles) passes
//! through [`xml_escape`].

pub mod chart;
pub mod contour;
pub mod labels;
pub mod plot;
#[cfg(feature = "png")]
pub mod png;
pub mod view;

/// Escapes text for XML content and attribute values, and drops characters XML 1.0 forbids
/// (control characters other than tab, newline and carriage return).
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control()
                || crate::scene::printable_text(&c.to_string()) != c.to_string() =>
            {
                // control and bidirectional-override characters become visible escapes
                out.push_str(&crate::scene::printable_text(&c.to_string()));
            }
            c => out.push(c),
        }
    }
    out
}

/// Okabe–Ito colours, safe for colour-blind readers.
/// The bounding box `(x0, y0, x1, y1)` of some points, `None` for none.
pub(crate) fn bbox(
    points: impl Iterator<Item = crate::physics::geometry::Point>,
) -> Option<(f64, f64, f64, f64)> {
    use geo::BoundingRect;
    let cloud: geo::MultiPoint<f64> = points
        .map(|p| geo::Point(crate::physics::geometry::coord(p)))
        .collect();
    cloud
        .bounding_rect()
        .map(|r| (r.min().x, r.min().y, r.max().x, r.max().y))
}

pub mod palette {
    /// bluish green
    pub const EASY: &str = "#009E73";
    /// orange
    pub const RAISED: &str = "#E69F00";
    /// vermillion
    pub const SHOUTING: &str = "#D55E00";
    /// grey
    pub const IMPLAUSIBLE: &str = "#999999";
    /// blue
    pub const PERSON: &str = "#0072B2";
    /// reddish purple
    pub const FOCUS: &str = "#CC79A7";
    /// black
    pub const INK: &str = "#222222";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_escaped() {
        assert_eq!(
            xml_escape("<script>alert(1)</script>&\"'"),
            "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&apos;"
        );
        assert_eq!(xml_escape("a\u{0}b\u{202e}"), "a\\u{0000}b\\u{202e}");
    }
}
