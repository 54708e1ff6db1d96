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

    fn contains(&self, x: f64, y: f64) -> bool {
        (self.x0..=self.x1).contains(&x) && (self.y0..=self.y1).contains(&y)
    }

    /// The box scaled about its centre by `k`.
    fn shrunk(&self, k: f64) -> Rect {
        let (cx, cy) = ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0);
        let (hw, hh) = ((self.x1 - self.x0) * k / 2.0, (self.y1 - self.y0) * k / 2.0);
        Rect {
            x0: cx - hw,
            y0: cy - hh,
            x1: cx + hw,
            y1: cy + hh,
        }
    }

    /// The point of the box nearest to `(x, y)`: where a leader line from there ends.
    pub fn nearest(&self, x: f64, y: f64) -> (f64, f64) {
        (x.clamp(self.x0, self.x1), y.clamp(self.y0, self.y1))
    }
}

/// Whether the segment from `a` to `b` runs through any of `boxes` (checked every 2 px).
fn crosses(a: (f64, f64), b: (f64, f64), boxes: &[Rect]) -> bool {
    let steps = ((b.0 - a.0).hypot(b.1 - a.1) / 2.0).ceil().max(1.0) as usize;
    (1..steps).any(|k| {
        let t = k as f64 / steps as f64;
        let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        boxes.iter().any(|r| r.contains(x, y))
    })
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
    /// Placed away from its marker: draw a leader line from the marker to the text.
    pub leader: bool,
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

/// `text` broken at spaces into lines of at most `max_px` by [`text_width`] (a word longer than
/// that gets a line of its own).
pub fn wrap(text: &str, font_px: f64, max_px: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), font_px) <= max_px => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Places labels `(marker x, marker y, marker radius, text)` in the order given (most
/// important first), avoiding `obstacles` (marker boxes) and each other, and staying inside
/// `bounds`. The first `with_leaders` labels, when nothing near their marker is free, go
/// further out with a leader line; other labels that fit nowhere are left out (their tooltip
/// remains).
pub fn place(
    labels: &[(f64, f64, f64, String)],
    obstacles: &[Rect],
    bounds: Rect,
    font_px: f64,
    with_leaders: usize,
) -> Vec<Placed> {
    let mut board = Board {
        taken: Vec::new(),
        obstacles,
        bounds,
        font_px,
    };
    let mut out: Vec<Placed> = labels
        .iter()
        .enumerate()
        .filter_map(|(index, label)| board.place(index, label, false))
        .collect();
    // then, with leader lines, the important labels that found no room beside their marker
    for (index, label) in labels.iter().enumerate().take(with_leaders) {
        if out.iter().all(|p| p.index != index) {
            out.extend(board.place(index, label, true));
        }
    }
    out.sort_by_key(|p| p.index);
    out
}

/// The labels placed so far and what they keep off.
struct Board<'a> {
    taken: Vec<Rect>,
    obstacles: &'a [Rect],
    bounds: Rect,
    font_px: f64,
}

impl Board<'_> {
    /// Places one label beside its marker (two rings of spots), or with `leader`, further out
    /// (eight rings of sixteen directions) where a leader line to it crosses no other label or
    /// marker.
    fn place(
        &mut self,
        index: usize,
        (mx, my, r, text): &(f64, f64, f64, String),
        leader: bool,
    ) -> Option<Placed> {
        let (mx, my) = (*mx, *my);
        let w = text_width(text, self.font_px);
        let h = self.font_px;
        let gap = r + 2.0;
        let far = gap + h;
        let candidates: Vec<(f64, f64, &'static str)> = if leader {
            (1..=8)
                .flat_map(|ring| {
                    let d = far + 10.0 * ring as f64;
                    (0..16).map(move |k| {
                        let a =
                            std::f64::consts::FRAC_PI_8 * k as f64 - std::f64::consts::FRAC_PI_2;
                        let (dx, dy) = (d * a.cos(), d * a.sin());
                        let anchor = if dx > 1.0 {
                            "start"
                        } else if dx < -1.0 {
                            "end"
                        } else {
                            "middle"
                        };
                        (mx + dx, my + dy + h * 0.35, anchor)
                    })
                })
                .collect()
        } else {
            vec![
                (mx + gap, my + h * 0.35, "start"),
                (mx - gap, my + h * 0.35, "end"),
                (mx, my - gap - 1.0, "middle"),
                (mx, my + gap + h * 0.85, "middle"),
                (mx + gap * 0.8, my - gap * 0.8, "start"),
                (mx + gap * 0.8, my + gap * 0.8 + h * 0.7, "start"),
                (mx - gap * 0.8, my - gap * 0.8, "end"),
                (mx - gap * 0.8, my + gap * 0.8 + h * 0.7, "end"),
                // a second ring, further out, for crowded rows
                (mx, my - far, "middle"),
                (mx, my + far + h * 0.6, "middle"),
                (mx + far, my + h * 0.35, "start"),
                (mx - far, my + h * 0.35, "end"),
            ]
        };
        // the leader may leave its own marker, and graze others, but cross nothing
        let others: Vec<Rect> = self
            .taken
            .iter()
            .copied()
            .chain(
                self.obstacles
                    .iter()
                    .filter(|b| !b.contains(mx, my))
                    .map(|b| b.shrunk(0.6)),
            )
            .collect();
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
            let b = &self.bounds;
            let inside = rect.x0 >= b.x0 && rect.x1 <= b.x1 && rect.y0 >= b.y0 && rect.y1 <= b.y1;
            if !inside
                || self
                    .taken
                    .iter()
                    .chain(self.obstacles)
                    .any(|t| t.overlaps(&rect))
            {
                continue;
            }
            if leader && crosses((mx, my), rect.nearest(mx, my), &others) {
                continue;
            }
            self.taken.push(rect);
            return Some(Placed {
                index,
                x,
                y,
                anchor,
                rect,
                leader,
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let text = "In \"speech\", whether Jeff Sessions and Sergey Kislyak could have talked is uncertain.";
        for max in [60.0, 150.0, 300.0, 2000.0] {
            let lines = wrap(text, 12.0, max);
            // a word wider than the line stands alone; every other line fits
            for l in &lines {
                assert!(
                    text_width(l, 12.0) <= max || !l.contains(' '),
                    "{l:?} at {max}"
                );
            }
            assert_eq!(lines.join(" "), text, "at {max}");
        }
        assert_eq!(wrap(text, 12.0, 2000.0).len(), 1);
        assert!(wrap(text, 12.0, 300.0).len() >= 3);
        assert!(wrap("", 12.0, 100.0).is_empty());
        assert_eq!(wrap("a  b", 12.0, 1000.0), vec!["a b".to_string()]);
    }

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
        let placed = place(&labels, &[], bounds, 11.0, 0);
        assert!(!placed.is_empty());
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{a:?} {b:?}");
            }
        }
    }
}
