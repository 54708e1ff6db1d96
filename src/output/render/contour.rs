//! Contour lines of a sampled field (marching squares), for "how far does a voice carry".

use crate::physics::geometry::Point;

/// Values of a field sampled on a regular grid, row by row from `origin`.
pub struct Field {
    /// Lower-left sample, metres.
    pub origin: Point,
    /// Spacing between samples, metres.
    pub step_m: f64,
    /// Samples per row.
    pub cols: usize,
    /// Number of rows.
    pub rows: usize,
    /// `values[r * cols + c]`.
    pub values: Vec<f64>,
}

impl Field {
    /// Samples `f` on the grid.
    pub fn sample(
        origin: Point,
        step_m: f64,
        cols: usize,
        rows: usize,
        mut f: impl FnMut(Point) -> f64,
    ) -> Field {
        let mut values = Vec::with_capacity(cols * rows);
        for r in 0..rows {
            for c in 0..cols {
                values.push(f(Point::new(
                    origin.x + c as f64 * step_m,
                    origin.y + r as f64 * step_m,
                )));
            }
        }
        Field {
            origin,
            step_m,
            cols,
            rows,
            values,
        }
    }

    fn at(&self, c: usize, r: usize) -> f64 {
        self.values[r * self.cols + c]
    }

    /// Segments of the contour where the field equals `level`.
    pub fn contour(&self, level: f64) -> Vec<(Point, Point)> {
        let mut segs = Vec::new();
        if self.cols < 2 || self.rows < 2 {
            return segs;
        }
        for r in 0..self.rows - 1 {
            for c in 0..self.cols - 1 {
                // corners counter-clockwise from the lower left
                let v = [
                    self.at(c, r),
                    self.at(c + 1, r),
                    self.at(c + 1, r + 1),
                    self.at(c, r + 1),
                ];
                let p = [
                    self.point(c, r),
                    self.point(c + 1, r),
                    self.point(c + 1, r + 1),
                    self.point(c, r + 1),
                ];
                let inside: Vec<bool> = v.iter().map(|x| *x >= level).collect();
                let mut cuts = Vec::with_capacity(4);
                for e in 0..4 {
                    let (a, b) = (e, (e + 1) % 4);
                    if inside[a] != inside[b] {
                        let t = ((level - v[a]) / (v[b] - v[a])).clamp(0.0, 1.0);
                        cuts.push(Point::new(
                            p[a].x + t * (p[b].x - p[a].x),
                            p[a].y + t * (p[b].y - p[a].y),
                        ));
                    }
                }
                match cuts.len() {
                    2 => segs.push((cuts[0], cuts[1])),
                    4 => {
                        // saddle: decide by the centre value
                        let centre = v.iter().sum::<f64>() / 4.0 >= level;
                        if centre == inside[0] {
                            segs.push((cuts[0], cuts[1]));
                            segs.push((cuts[2], cuts[3]));
                        } else {
                            segs.push((cuts[0], cuts[3]));
                            segs.push((cuts[1], cuts[2]));
                        }
                    }
                    _ => {}
                }
            }
        }
        segs
    }

    fn point(&self, c: usize, r: usize) -> Point {
        Point::new(
            self.origin.x + c as f64 * self.step_m,
            self.origin.y + r as f64 * self.step_m,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_circle_contour_lies_on_the_circle() {
        let f = Field::sample(Point::new(-3.0, -3.0), 0.1, 61, 61, |p| 2.0 - p.norm());
        let segs = f.contour(0.0);
        assert!(segs.len() > 50);
        for (a, b) in segs {
            assert!((a.norm() - 2.0).abs() < 0.02 && (b.norm() - 2.0).abs() < 0.02);
        }
    }
}
