//! Label placement without overlaps: each label tries positions around its marker and takes
//! the first that collides with no marker and no label already placed.

/// An axis-aligned box in chart pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// left
    pub x0: f64,
    /// top
    pub y0: f64,
    /// right
    pub x1: f64,
    /// bottom
    pub y1: f64,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// Where a label goes: its text anchor position and alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// Index of the label in the request.
    pub index: usize,
    /// Anchor x, pixels.
    pub x: f64,
    /// Baseline y, pixels.
    pub y: f64,
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
    /// The box the text occupies.
    pub rect: Rect,
}

/// Estimated width of a text in pixels, with a 4 px gap.
pub fn text_width(text: &str, font_px: f64) -> f64 {
    // DejaVu Sans advance widths in em, by kind of character; a little generous, plus a gap,
    // so that neighbouring labels never touch
    let em: f64 = text
        .chars()
        .map(|c| match c {
            ' ' => 0.32,
            'i' | 'j' | 'l' | '.' | ',' | '\'' | '|' | ':' | ';' => 0.30,
            'm' | 'w' => 0.92,
            'M' | 'W' => 0.95,
            c if c.is_uppercase() => 0.74,
            c if c.is_ascii_digit() => 0.64,
            _ => 0.62,
        })
        .sum();
    em * font_px + 4.0
}

/// Places labels `(marker x, marker y, marker radius, text)` in the order given (most
/// important first), avoiding `obstacles` (marker boxes) and each other, and staying inside
/// `bounds`. Labels that fit nowhere are left out (their tooltip remains).
pub fn place(
    labels: &[(f64, f64, f64, String)],
    obstacles: &[Rect],
    bounds: Rect,
    font_px: f64,
) -> Vec<Placed> {
    let mut taken: Vec<Rect> = Vec::new();
    let mut out = Vec::new();
    for (index, (mx, my, r, text)) in labels.iter().enumerate() {
        let w = text_width(text, font_px);
        let h = font_px;
        let gap = r + 2.0;
        let far = gap + h;
        let candidates: [(f64, f64, &'static str); 12] = [
            (mx + gap, my + h * 0.35, "start"),
            (mx - gap, my + h * 0.35, "end"),
            (*mx, my - gap - 1.0, "middle"),
            (*mx, my + gap + h * 0.85, "middle"),
            (mx + gap * 0.8, my - gap * 0.8, "start"),
            (mx + gap * 0.8, my + gap * 0.8 + h * 0.7, "start"),
            (mx - gap * 0.8, my - gap * 0.8, "end"),
            (mx - gap * 0.8, my + gap * 0.8 + h * 0.7, "end"),
            // a second ring, further out, for crowded rows
            (*mx, my - far, "middle"),
            (*mx, my + far + h * 0.6, "middle"),
            (mx + far, my + h * 0.35, "start"),
            (mx - far, my + h * 0.35, "end"),
        ];
        for (x, y, anchor) in candidates {
            let x0 = match anchor {
                "start" => x,
                "end" => x - w,
                _ => x - w / 2.0,
            };
            let rect = Rect {
                x0,
                y0: y - h * 0.8,
                x1: x0 + w,
                y1: y + h * 0.2,
            };
            let inside = rect.x0 >= bounds.x0
                && rect.x1 <= bounds.x1
                && rect.y0 >= bounds.y0
                && rect.y1 <= bounds.y1;
            if inside && !taken.iter().chain(obstacles).any(|t| t.overlaps(&rect)) {
                taken.push(rect);
                out.push(Placed {
                    index,
                    x,
                    y,
                    anchor,
                    rect,
                });
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placed_labels_never_overlap() {
        let labels: Vec<(f64, f64, f64, String)> = (0..60)
            .map(|i| {
                (
                    100.0 + (i % 10) as f64 * 30.0,
                    100.0 + (i / 10) as f64 * 14.0,
                    4.0,
                    format!("Person {i}"),
                )
            })
            .collect();
        let bounds = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 600.0,
            y1: 400.0,
        };
        let placed = place(&labels, &[], bounds, 11.0);
        assert!(!placed.is_empty());
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{a:?} {b:?}");
            }
        }
    }
}
