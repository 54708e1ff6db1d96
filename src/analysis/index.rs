//! A uniform grid for finding every pair of points within a fixed distance.
//!
//! For one fixed radius a grid with cells as wide as the radius is the fastest pair search we
//! measured (faster than an R-tree or a k-d tree, see `benches/`): each point is compared only
//! with the points of its own cell and of four neighbouring cells, so each pair is seen once.

use crate::physics::geometry::{Bounds, Point};

/// `f64::floor` without a call into the maths library (which this target needs for it): the
/// same value for every finite coordinate a grid sees.
trait FastFloor {
    fn fast_floor(self) -> f64;
}

impl FastFloor for f64 {
    #[inline]
    fn fast_floor(self) -> f64 {
        if self.is_nan() || self.abs() >= 4.5e15 {
            return self.floor();
        }
        let t = self as i64 as f64;
        if t > self {
            t - 1.0
        } else if t == self {
            self // keeps -0.0
        } else {
            t
        }
    }
}

/// Points bucketed into square cells, stored compactly (cell offsets, then point indices).
#[derive(Debug, Clone)]
pub struct Grid {
    cell_m: f64,
    x0: f64,
    y0: f64,
    cols: usize,
    rows: usize,
    /// `start[c]..start[c + 1]` indexes `items` for cell `c`.
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Grid {
    /// Buckets `points` into cells of `cell_m` metres (made larger if the area would need more
    /// cells than four per point, which keeps memory linear in the number of points).
    pub fn new(points: &[Point], cell_m: f64) -> Grid {
        Self::of(points, None, cell_m)
    }

    /// [`Grid::new`] over some of the points only (indices into `points`, ascending): the
    /// grid's items are those indices, so searches take and give them.
    pub fn of_subset(points: &[Point], subset: &[u32], cell_m: f64) -> Grid {
        Self::of(points, Some(subset), cell_m)
    }

    fn of(points: &[Point], subset: Option<&[u32]>, cell_m: f64) -> Grid {
        use rayon::prelude::*;
        let len = subset.map_or(points.len(), <[u32]>::len);
        // the items' points, in parallel for many (in blocks, so that few cost nothing)
        let point = |k: usize| match subset {
            Some(sub) => (sub[k], &points[sub[k] as usize]),
            None => (k as u32, &points[k]),
        };
        const BLOCK: usize = 1 << 15;
        let blocks = len.div_ceil(BLOCK);
        let bounds = (0..blocks)
            .into_par_iter()
            .map(|b| {
                let mut bounds = Bounds::default();
                for k in b * BLOCK..((b + 1) * BLOCK).min(len) {
                    bounds.add(*point(k).1);
                }
                bounds
            })
            .reduce(Bounds::default, Bounds::join);
        let (mut x0, mut y0, mut x1, mut y1) =
            (bounds.min.x, bounds.min.y, bounds.max.x, bounds.max.y);
        if len == 0 {
            (x0, y0, x1, y1) = (0.0, 0.0, 0.0, 0.0);
        }
        let mut cell = if cell_m.is_finite() && cell_m > 0.0 {
            cell_m
        } else {
            (x1 - x0).max(y1 - y0).max(1.0)
        };
        let max_cells = (len * 4).max(16) as f64;
        while ((x1 - x0) / cell + 1.0) * ((y1 - y0) / cell + 1.0) > max_cells {
            cell *= 1.5;
        }
        let cols = ((x1 - x0) / cell) as usize + 1;
        let rows = ((y1 - y0) / cell) as usize + 1;
        let cell_of = |p: &Point| {
            let c = (((p.x - x0) / cell) as usize).min(cols - 1);
            let r = (((p.y - y0) / cell) as usize).min(rows - 1);
            r * cols + c
        };
        // each item's cell (found once, in parallel), then the items in order of cell
        let mut cells = vec![0u32; len];
        cells
            .par_chunks_mut(BLOCK)
            .enumerate()
            .for_each(|(b, part)| {
                for (j, c) in part.iter_mut().enumerate() {
                    *c = cell_of(point(b * BLOCK + j).1) as u32;
                }
            });
        // the cells in as many runs as there are threads (one for few items): each thread
        // counts and fills the cells of its run, reading every item's cell
        let n_cells = cols * rows;
        let parts = if len < 1 << 16 {
            1
        } else {
            rayon::current_num_threads().clamp(1, 16)
        };
        let bounds: Vec<usize> = (0..=parts).map(|p| p * n_cells / parts).collect();
        let mut count = vec![0u32; n_cells + 1];
        let mut runs: Vec<(usize, &mut [u32])> = Vec::with_capacity(parts);
        let mut rest = &mut count[1..];
        for p in 0..parts {
            let (run, more) = rest.split_at_mut(bounds[p + 1] - bounds[p]);
            runs.push((bounds[p], run));
            rest = more;
        }
        runs.into_par_iter().for_each(|(lo, run)| {
            for &c in &cells {
                if let Some(n) = (c as usize).checked_sub(lo).and_then(|i| run.get_mut(i)) {
                    *n += 1;
                }
            }
        });
        for i in 1..count.len() {
            count[i] += count[i - 1];
        }
        // filled from each cell's start, which moves on to the next cell's start; then put back
        let mut items = vec![0u32; len];
        let mut runs: Vec<(usize, &mut [u32], usize, &mut [u32])> = Vec::with_capacity(parts);
        let (mut starts, mut rest) = (&mut count[..n_cells], items.as_mut_slice());
        let mut base = 0;
        for p in 0..parts {
            let (run, more) = starts.split_at_mut(bounds[p + 1] - bounds[p]);
            // the run's items: up to the next run's first
            let end = more.first().map_or(len, |&s| s as usize);
            let (held, others) = rest.split_at_mut(end - base);
            runs.push((bounds[p], run, base, held));
            (starts, rest, base) = (more, others, end);
        }
        runs.into_par_iter().for_each(|(lo, run, base, held)| {
            for (k, &c) in cells.iter().enumerate() {
                if let Some(at) = (c as usize).checked_sub(lo).and_then(|i| run.get_mut(i)) {
                    held[*at as usize - base] = point(k).0;
                    *at += 1;
                }
            }
        });
        let cells_end = count.len() - 1;
        count.copy_within(..cells_end, 1);
        count[0] = 0;
        Grid {
            cell_m: cell,
            x0,
            y0,
            cols,
            rows,
            start: count,
            items,
        }
    }

    fn cell(&self, c: usize, r: usize) -> &[u32] {
        let k = r * self.cols + c;
        &self.items[self.start[k] as usize..self.start[k + 1] as usize]
    }

    /// Calls `f(i, j)` (with `i < j`) for every pair of points at most `radius_m` apart.
    /// `radius_m` must not exceed the cell size.
    pub fn for_each_pair_within(
        &self,
        points: &[Point],
        radius_m: f64,
        mut f: impl FnMut(u32, u32),
    ) {
        let r2 = radius_m * radius_m;
        for row in 0..self.rows {
            self.row_pairs(points, r2, row, &mut f);
        }
    }

    /// The pairs found in one row of cells (with their neighbours above and to the right), so
    /// that rows can be searched in parallel.
    pub fn row_pairs(&self, points: &[Point], r2: f64, row: usize, f: &mut impl FnMut(u32, u32)) {
        for col in 0..self.cols {
            let here = self.cell(col, row);
            if here.is_empty() {
                continue;
            }
            for (k, &i) in here.iter().enumerate() {
                let p = points[i as usize];
                for &j in &here[k + 1..] {
                    let q = points[j as usize];
                    let (dx, dy) = (p.x - q.x, p.y - q.y);
                    if dx * dx + dy * dy <= r2 {
                        f(i.min(j), i.max(j));
                    }
                }
            }
            // half of the neighbourhood, so each pair of cells is visited once
            let mut others = |c: usize, r: usize| {
                let there = self.cell(c, r);
                for &i in here {
                    let p = points[i as usize];
                    for &j in there {
                        let q = points[j as usize];
                        let (dx, dy) = (p.x - q.x, p.y - q.y);
                        if dx * dx + dy * dy <= r2 {
                            f(i.min(j), i.max(j));
                        }
                    }
                }
            };
            if col + 1 < self.cols {
                others(col + 1, row);
            }
            if row + 1 < self.rows {
                if col > 0 {
                    others(col - 1, row + 1);
                }
                others(col, row + 1);
                if col + 1 < self.cols {
                    others(col + 1, row + 1);
                }
            }
        }
    }

    /// Calls `f(j)` for every point `j > i` at most `sqrt(r2)` from point `i` (the same test
    /// as [`Grid::row_pairs`]), in no particular order. `r2` must not exceed the cell size
    /// squared.
    pub fn neighbours_after(&self, points: &[Point], i: u32, r2: f64, mut f: impl FnMut(u32)) {
        let p = points[i as usize];
        let col = ((((p.x - self.x0) / self.cell_m) as usize).min(self.cols - 1)) as isize;
        let row = ((((p.y - self.y0) / self.cell_m) as usize).min(self.rows - 1)) as isize;
        for r in (row - 1).max(0)..=(row + 1).min(self.rows as isize - 1) {
            for c in (col - 1).max(0)..=(col + 1).min(self.cols as isize - 1) {
                for &j in self.cell(c as usize, r as usize) {
                    if j > i {
                        let q = points[j as usize];
                        let (dx, dy) = (p.x - q.x, p.y - q.y);
                        if dx * dx + dy * dy <= r2 {
                            f(j);
                        }
                    }
                }
            }
        }
    }

    /// Number of rows of cells.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Indices of the points in the cells that the disc of `radius_m` around `p` touches.
    pub fn near(&self, p: Point, radius_m: f64, mut f: impl FnMut(u32)) {
        let c0 = (((p.x - radius_m - self.x0) / self.cell_m)
            .fast_floor()
            .max(0.0)) as usize;
        let r0 = (((p.y - radius_m - self.y0) / self.cell_m)
            .fast_floor()
            .max(0.0)) as usize;
        let c1 = ((((p.x + radius_m - self.x0) / self.cell_m).fast_floor()).max(-1.0) as isize)
            .min(self.cols as isize - 1);
        let r1 = ((((p.y + radius_m - self.y0) / self.cell_m).fast_floor()).max(-1.0) as isize)
            .min(self.rows as isize - 1);
        if c1 < 0 || r1 < 0 {
            return;
        }
        for r in r0..=r1 as usize {
            for c in c0..=c1 as usize {
                for &i in self.cell(c, r) {
                    f(i);
                }
            }
        }
    }
}

impl Grid {
    /// Indices of the points in the cells that the band of half-width `width_m` around the
    /// segment from `p` to `q` touches (a superset of the points that close to it): the cost
    /// grows with the segment's length, not with the square of it as a disc around it would.
    pub fn along(&self, p: Point, q: Point, width_m: f64, mut f: impl FnMut(u32)) {
        self.along_until(p, q, width_m, |i| {
            f(i);
            false
        });
    }

    /// Calls `f(i)` for every point in the cells that the convex polygon `poly` touches (a
    /// superset of the points inside it), a row of cells at a time.
    pub fn in_convex(&self, poly: &[Point], mut f: impl FnMut(u32)) {
        if poly.is_empty() || poly.iter().any(|v| !(v.x.is_finite() && v.y.is_finite())) {
            return;
        }
        let (cell, per_m) = (self.cell_m, 1.0 / self.cell_m);
        // a nanometre more all round: products by reciprocals round
        let pad = 1e-9;
        let (ymin, ymax) = poly
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v.y), b.max(v.y)));
        let r0 = ((ymin - pad - self.y0) * per_m).fast_floor().max(0.0) as usize;
        let r1 = ((ymax + pad - self.y0) * per_m).fast_floor();
        if r1 < 0.0 {
            return;
        }
        for r in r0..=(r1 as usize).min(self.rows.saturating_sub(1)) {
            let (lo, hi) = (
                self.y0 + r as f64 * cell - pad,
                self.y0 + (r + 1) as f64 * cell + pad,
            );
            // the polygon's extent across the row: its corners in the row, and where its
            // edges cross the row's two sides
            let (mut x0, mut x1) = (f64::MAX, f64::MIN);
            let mut take = |x: f64| {
                x0 = x0.min(x);
                x1 = x1.max(x);
            };
            for (k, v) in poly.iter().enumerate() {
                if (lo..=hi).contains(&v.y) {
                    take(v.x);
                }
                let w = poly[(k + 1) % poly.len()];
                if v.y != w.y {
                    for y in [lo, hi] {
                        if (v.y.min(w.y)..=v.y.max(w.y)).contains(&y) {
                            take(v.x + (y - v.y) * (w.x - v.x) / (w.y - v.y));
                        }
                    }
                }
            }
            if x0 > x1 {
                continue;
            }
            let c0 = ((x0 - pad - self.x0) * per_m).fast_floor().max(0.0) as usize;
            let c1 = ((x1 + pad - self.x0) * per_m).fast_floor();
            if c1 < 0.0 || c0 >= self.cols {
                continue;
            }
            let (first, last) = (
                r * self.cols + c0,
                r * self.cols + (c1 as usize).min(self.cols - 1),
            );
            for &i in &self.items[self.start[first] as usize..self.start[last + 1] as usize] {
                f(i);
            }
        }
    }

    /// [`Grid::along`], stopping as soon as `f` returns true; returns whether it stopped.
    pub fn along_until(
        &self,
        p: Point,
        q: Point,
        width_m: f64,
        mut f: impl FnMut(u32) -> bool,
    ) -> bool {
        let (cell, per_m) = (self.cell_m, 1.0 / self.cell_m);
        // products by reciprocals rather than quotients, with a nanometre more either side:
        // still every cell the band touches
        let width = width_m + 1e-9;
        let row_of = |y: f64| ((y - self.y0) * per_m).fast_floor();
        let (ylo, yhi) = (p.y.min(q.y) - width, p.y.max(q.y) + width);
        let r0 = row_of(ylo).max(0.0) as usize;
        let r1 = row_of(yhi).min(self.rows as f64 - 1.0);
        if r1 < 0.0 {
            return false;
        }
        let (dx, dy) = (q.x - p.x, q.y - p.y);
        let per_dy = if dy.abs() < 1e-12 {
            None
        } else {
            Some(1.0 / dy)
        };
        for r in r0..=r1 as usize {
            // the part of the segment within reach of this row of cells
            let (band0, band1) = (
                self.y0 + r as f64 * cell - width,
                self.y0 + (r + 1) as f64 * cell + width,
            );
            let (t0, t1) = match per_dy {
                None => {
                    if p.y < band0 || p.y > band1 {
                        continue;
                    }
                    (0.0, 1.0)
                }
                Some(k) => {
                    let (a, b) = ((band0 - p.y) * k, (band1 - p.y) * k);
                    (a.min(b).max(0.0), a.max(b).min(1.0))
                }
            };
            if t0 > t1 {
                continue;
            }
            let (xa, xb) = (p.x + dx * t0, p.x + dx * t1);
            let c0 = ((xa.min(xb) - width - self.x0) * per_m)
                .fast_floor()
                .max(0.0) as usize;
            let c1 = ((xa.max(xb) + width - self.x0) * per_m).fast_floor();
            if c1 < 0.0 {
                continue;
            }
            // the cells of a row are one run of items
            let (first, last) = (
                r * self.cols + c0,
                r * self.cols + (c1 as usize).min(self.cols - 1),
            );
            if first > last {
                continue;
            }
            for &i in &self.items[self.start[first] as usize..self.start[last + 1] as usize] {
                if f(i) {
                    return true;
                }
            }
        }
        false
    }
}

/// Every pair of points at most `radius_m` apart, as `(i, j)` with `i < j`, sorted.
pub fn pairs_within(points: &[Point], radius_m: f64) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    if radius_m.is_finite() {
        Grid::new(points, radius_m).for_each_pair_within(points, radius_m, |i, j| out.push((i, j)));
    } else {
        let n = points.len() as u32;
        for i in 0..n {
            for j in i + 1..n {
                out.push((i, j));
            }
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each point (or each of a subset) is in the grid once, in the cell its position falls
    /// in, and each cell lists its points in order: for grids large enough to be built on
    /// several threads (a run of cells each), with empty stretches, and small ones.
    #[test]
    fn grids_hold_each_point_once_in_its_cell() {
        for (n, cell_m) in [
            (70_000, 0.6),
            (90_001, 2.0),
            (5, 0.6),
            (1, 1.0),
            (100_000, 1e-9),
        ] {
            // clusters and gaps: a quarter of the plane left empty
            let pts: Vec<Point> = (0..n)
                .map(|i| {
                    let t = i as f64;
                    let (x, y) = ((t * 7.31).sin() * 60.0, (t * 3.17).cos() * 40.0);
                    Point::new(if x > 0.0 && y > 0.0 { -x } else { x }, y)
                })
                .collect();
            let evens: Vec<u32> = (0..n as u32).step_by(2).collect();
            for (grid, items) in [
                (Grid::new(&pts, cell_m), (0..n as u32).collect::<Vec<_>>()),
                (Grid::of_subset(&pts, &evens, cell_m), evens.clone()),
            ] {
                let mut seen = vec![0u32; n];
                assert_eq!(grid.start.len(), grid.cols * grid.rows + 1);
                assert_eq!(grid.start[0], 0);
                assert_eq!(*grid.start.last().unwrap_or(&0) as usize, items.len());
                for r in 0..grid.rows {
                    for c in 0..grid.cols {
                        let here = grid.cell(c, r);
                        assert!(here.windows(2).all(|w| w[0] < w[1]), "cell {c},{r}");
                        for &i in here {
                            let p = pts[i as usize];
                            let col = (((p.x - grid.x0) / grid.cell_m) as usize).min(grid.cols - 1);
                            let row = (((p.y - grid.y0) / grid.cell_m) as usize).min(grid.rows - 1);
                            assert_eq!((col, row), (c, r), "point {i}");
                            seen[i as usize] += 1;
                        }
                    }
                }
                for &i in &items {
                    assert_eq!(seen[i as usize], 1, "point {i} of {n}");
                }
                assert_eq!(seen.iter().sum::<u32>() as usize, items.len());
            }
        }
    }

    #[test]
    fn along_finds_every_point_near_a_segment() {
        let pts: Vec<Point> = (0..2000)
            .map(|i| {
                let t = i as f64;
                Point::new((t * 7.31).sin() * 30.0, (t * 3.17).cos() * 20.0)
            })
            .collect();
        let grid = Grid::new(&pts, 2.0);
        for (p, q) in [
            (Point::new(-25.0, -15.0), Point::new(28.0, 17.0)),
            (Point::new(0.0, 5.0), Point::new(20.0, 5.0)),
            (Point::new(3.0, -19.0), Point::new(3.0, 19.0)),
            (Point::new(10.0, 10.0), Point::new(10.2, 10.1)),
        ] {
            let mut seen = vec![false; pts.len()];
            grid.along(p, q, 0.4, |i| seen[i as usize] = true);
            for (i, o) in pts.iter().enumerate() {
                if crate::physics::geometry::point_segment_distance(*o, p, q) < 0.4 {
                    assert!(seen[i], "missed point {i} near {p:?}–{q:?}");
                }
            }
        }
    }

    /// 300 points anywhere in 20 m by 14 m around the origin, drawn from `seed`.
    fn scattered_points(seed: u64) -> Vec<Point> {
        let mut s = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..300)
            .map(|_| Point::new(next() * 20.0 - 10.0, next() * 14.0 - 7.0))
            .collect()
    }

    proptest::proptest! {
        /// Along any segment (inside the grid, across its edge or outside it, short, level or
        /// upright) every point nearer than the width is visited, once.
        #[test]
        fn along_finds_every_point_near_any_segment(
            seed in 0u64..1000,
            cell in 0.3..3.0f64,
            width in 0.0..1.0f64,
            ends in proptest::array::uniform4(-12.0..12.0f64),
            level in 0u8..3,
        ) {
            let pts = scattered_points(seed);
            let grid = Grid::new(&pts, cell);
            let (p, mut q) = (Point::new(ends[0], ends[1]), Point::new(ends[2], ends[3]));
            match level {
                1 => q.y = p.y,
                2 => q.x = p.x,
                _ => {}
            }
            let mut seen = vec![0u32; pts.len()];
            grid.along(p, q, width, |i| seen[i as usize] += 1);
            for (i, o) in pts.iter().enumerate() {
                proptest::prop_assert!(seen[i] <= 1, "point {} visited {} times", i, seen[i]);
                if crate::physics::geometry::point_segment_distance(*o, p, q) < width {
                    proptest::prop_assert!(
                        seen[i] == 1, "missed point {} near {:?}–{:?}", i, p, q
                    );
                }
            }
        }
    }

    proptest::proptest! {
        /// Any triangle (inside the grid, across its edge or outside it, thin or flat) finds
        /// every point inside it, once.
        #[test]
        fn in_convex_finds_every_point_inside_any_triangle(
            seed in 0u64..1000,
            cell in 0.3..5.0f64,
            corners in proptest::array::uniform6(-14.0..14.0f64),
        ) {
            let pts = scattered_points(seed);
            let grid = Grid::new(&pts, cell);
            let c = corners;
            let tri = [Point::new(c[0], c[1]), Point::new(c[2], c[3]), Point::new(c[4], c[5])];
            let mut seen = vec![0u32; pts.len()];
            grid.in_convex(&tri, |i| seen[i as usize] += 1);
            // inside: on the same side of every edge (or on one)
            let side = |a: Point, b: Point, o: Point| {
                (b.x - a.x) * (o.y - a.y) - (b.y - a.y) * (o.x - a.x)
            };
            for (i, o) in pts.iter().enumerate() {
                proptest::prop_assert!(seen[i] <= 1);
                let s = [
                    side(tri[0], tri[1], *o),
                    side(tri[1], tri[2], *o),
                    side(tri[2], tri[0], *o),
                ];
                let inside = s.iter().all(|&v| v >= 0.0) || s.iter().all(|&v| v <= 0.0);
                if inside {
                    proptest::prop_assert!(seen[i] == 1, "missed point {} in {:?}", i, tri);
                }
            }
        }
    }

    fn brute(points: &[Point], r: f64) -> Vec<(u32, u32)> {
        let mut v = Vec::new();
        for i in 0..points.len() {
            for j in i + 1..points.len() {
                if points[i].distance(points[j]) <= r {
                    v.push((i as u32, j as u32));
                }
            }
        }
        v
    }

    #[test]
    fn grid_matches_brute_force() {
        // a deterministic scatter, with exact-distance pairs on a lattice
        let mut pts: Vec<Point> = (0..400)
            .map(|i| {
                let t = i as f64;
                Point::new((t * 7.31).sin() * 20.0, (t * 3.17).cos() * 15.0)
            })
            .collect();
        pts.extend((0..30).map(|i| Point::new(i as f64 * 2.0, 50.0)));
        for r in [0.5, 2.0, 3.7, 10.0] {
            assert_eq!(pairs_within(&pts, r), brute(&pts, r), "r = {r}");
        }
        assert_eq!(
            pairs_within(&pts, f64::INFINITY).len(),
            pts.len() * (pts.len() - 1) / 2
        );
    }

    #[test]
    fn empty_and_single() {
        assert!(pairs_within(&[], 1.0).is_empty());
        assert!(pairs_within(&[Point::new(1.0, 1.0)], 1.0).is_empty());
    }
}

#[cfg(test)]
mod floor_tests {
    use super::FastFloor;

    #[test]
    fn fast_floor_is_floor() {
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            2.999_999,
            -2.000_001,
            4.5e15,
            -4.5e15,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
        ];
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(f64::from_bits(x));
            values.push((x >> 11) as f64 / (1u64 << 40) as f64 - 4096.0);
        }
        for v in values {
            let (a, b) = (v.fast_floor(), v.floor());
            assert!(a == b || (a.is_nan() && b.is_nan()), "{v}: {a} vs {b}");
            assert_eq!(a.is_sign_negative(), b.is_sign_negative(), "{v}");
        }
    }
}
