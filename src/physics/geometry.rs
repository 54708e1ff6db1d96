//! Plane geometry in metres: distances, what a straight line crosses, and walking distance.
//!
//! The crossing tests distinguish *crossing* from *grazing*: a line that only touches a wall's
//! end or an obstacle's corner does not cross it, while a line that passes through an obstacle's
//! interior does, even when it enters and leaves exactly through two corners.
//!
//! Where the `geo` crate has a robust algorithm, it does the work: which side of a ring a point
//! lies on (winding number with exact orientation), polygon validity, area. What `geo` has no
//! notion of stays here, kept honest against `geo` by property tests: crossing versus grazing
//! (with a tolerance, so that a sight line along a wall computed in floating point does not
//! flicker), the reflections off the side walls, and the walking visibility graph.

use serde::Serialize;
use std::collections::BinaryHeap;
use std::ops::{Add, Sub};

/// A point (or vector) in the venue plane, in metres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    /// metres along the venue's x axis
    pub x: f64,
    /// metres along the venue's y axis
    pub y: f64,
}

const EPS: f64 = 1e-9;

impl Add for Point {
    type Output = Point;
    /// Vector sum.
    fn add(self, o: Point) -> Point {
        Point::new(self.x + o.x, self.y + o.y)
    }
}

impl Sub for Point {
    type Output = Point;
    /// Vector difference.
    fn sub(self, o: Point) -> Point {
        Point::new(self.x - o.x, self.y - o.y)
    }
}

impl Point {
    /// A point at `(x, y)` metres.
    pub const fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }
    /// Scale by `k`.
    pub fn scale(self, k: f64) -> Point {
        Point::new(self.x * k, self.y * k)
    }
    /// Dot product.
    pub fn dot(self, o: Point) -> f64 {
        self.x * o.x + self.y * o.y
    }
    /// z-component of the cross product.
    pub fn cross(self, o: Point) -> f64 {
        self.x * o.y - self.y * o.x
    }
    /// Length of the vector, metres.
    pub fn norm(self) -> f64 {
        self.x.hypot(self.y)
    }
    /// Euclidean distance to `o`, metres.
    pub fn distance(self, o: Point) -> f64 {
        self.sub(o).norm()
    }
    /// Unit vector (or zero for a zero vector).
    pub fn unit(self) -> Point {
        let n = self.norm();
        if n > 0.0 { self.scale(1.0 / n) } else { self }
    }
    /// Unit vector pointing `deg` degrees counter-clockwise from +x.
    pub fn from_angle_deg(deg: f64) -> Point {
        let r = deg.to_radians();
        Point::new(r.cos(), r.sin())
    }
    /// Rotate by `deg` degrees counter-clockwise about the origin.
    pub fn rotate_deg(self, deg: f64) -> Point {
        let (s, c) = deg.to_radians().sin_cos();
        Point::new(self.x * c - self.y * s, self.x * s + self.y * c)
    }
}

/// Sign of the turn a→b→c: +1 left, -1 right, 0 collinear (within a small tolerance).
fn orient(a: Point, b: Point, c: Point) -> i8 {
    let v = b.sub(a).cross(c.sub(a));
    let scale = (b.sub(a).norm() * c.sub(a).norm()).max(1.0);
    if v > EPS * scale {
        1
    } else if v < -EPS * scale {
        -1
    } else {
        0
    }
}

/// True when segments `ab` and `cd` cross at a single point interior to both (no touching).
pub fn segments_cross_properly(a: Point, b: Point, c: Point, d: Point) -> bool {
    let o1 = orient(a, b, c);
    let o2 = orient(a, b, d);
    let o3 = orient(c, d, a);
    let o4 = orient(c, d, b);
    o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 && o1 != o2 && o3 != o4
}

/// True when segments `ab` and `cd` share at least one point (touching counts).
pub fn segments_touch(a: Point, b: Point, c: Point, d: Point) -> bool {
    let o1 = orient(a, b, c);
    let o2 = orient(a, b, d);
    let o3 = orient(c, d, a);
    let o4 = orient(c, d, b);
    if o1 != o2 && o3 != o4 && o1 * o2 <= 0 && o3 * o4 <= 0 {
        return true;
    }
    let on = |p: Point, q: Point, r: Point| {
        orient(p, q, r) == 0
            && r.x >= p.x.min(q.x) - EPS
            && r.x <= p.x.max(q.x) + EPS
            && r.y >= p.y.min(q.y) - EPS
            && r.y <= p.y.max(q.y) + EPS
    };
    on(a, b, c) || on(a, b, d) || on(c, d, a) || on(c, d, b)
}

/// First-order specular reflections off the edges of `outline` (the room's side walls) from a
/// talker at `p` to a listener at `q`: the sum of `1/r²` over the image sources whose
/// reflection point lies on an edge, with `r` the length of the reflected path (metres, at
/// least 0.1), in m⁻². Both must be on the inner side of an edge for it to reflect between
/// them. Obstacles on the reflected path are not checked.
pub fn side_reflections_m2(p: Point, q: Point, outline: &[Point]) -> f64 {
    let n = outline.len();
    if n < 3 {
        return 0.0;
    }
    let mut sum = 0.0;
    for i in 0..n {
        let (a, b) = (outline[i], outline[(i + 1) % n]);
        let edge = b.sub(a);
        let len2 = edge.dot(edge);
        if len2 < 1e-12 {
            continue;
        }
        // signed distances of p and q from the edge's line; same side, off the line
        let (sp, sq) = (edge.cross(p.sub(a)), edge.cross(q.sub(a)));
        if sp * sq <= 0.0 {
            continue;
        }
        let (dp, dq) = (sp.abs(), sq.abs());
        // the reflection point divides the projections of p and q in the ratio dp : dq
        let (tp, tq) = (p.sub(a).dot(edge) / len2, q.sub(a).dot(edge) / len2);
        let t = tp + (tq - tp) * dp / (dp + dq);
        if !(0.0..=1.0).contains(&t) {
            continue;
        }
        let along = (tq - tp) * len2.sqrt();
        let across = (dp + dq) / len2.sqrt();
        let r2 = (along * along + across * across).max(0.01);
        sum += 1.0 / r2;
    }
    sum
}

/// The most [`side_reflections_m2`] a pair `d` metres apart can get in a venue: a bound that
/// the search's reaches assume, so that they hold for every pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SideReflectionBound {
    /// Any outline of `n` edges: each image is at least as far as the other person, so at
    /// most `n / d²`.
    Images(usize),
    /// An outline of two pairs of parallel edges, `w` and `h` metres apart (a rectangle, as a
    /// bare CSV's room is). A pair's image in an edge is `√(d² + 4·a·b)` away, for `a` and `b`
    /// their distances from the edge, and of two parallel edges `w` apart the pair is nearer
    /// one: the image in the other is at least `max(d, w)` away (`a + b ≥ w` there, and
    /// `|a − b| ≤ d`, so `4ab ≥ w² − d²`). So at most `2/d² + 1/max(d, w)² + 1/max(d, h)²`:
    /// about half of `4/d²` in a room much larger than the pair.
    Parallelogram { w: f64, h: f64 },
}

impl SideReflectionBound {
    /// The bound for a venue's outline.
    pub fn of(outline: &[Point]) -> Self {
        let images = Self::Images(outline.len());
        let [a, b, c, d] = match outline {
            [a, b, c, d] => [*a, *b, *c, *d],
            _ => return images,
        };
        let (e0, e1, e2, e3) = (b.sub(a), c.sub(b), d.sub(c), a.sub(d));
        let size = e0.norm().max(e1.norm());
        let tol = 1e-9 * size;
        let opposite = |x: Point, y: Point| x.add(y).norm() <= tol;
        let area = e0.cross(e1).abs();
        // (a NaN corner fails the comparisons, and the outline counts its edges)
        let flat = area.partial_cmp(&(tol * size)) != Some(std::cmp::Ordering::Greater);
        if flat || !(opposite(e0, e2) && opposite(e1, e3)) {
            return images;
        }
        // the distance between each pair of parallel edges, a little less (rounding)
        let shrink = 1.0 - 1e-6;
        Self::Parallelogram {
            w: area / e0.norm() * shrink,
            h: area / e1.norm() * shrink,
        }
    }

    /// The most side reflection (m⁻²) a pair `d_m` metres apart can get.
    pub fn at(&self, d_m: f64) -> f64 {
        let d2 = (d_m * d_m).max(1e-6);
        match *self {
            Self::Images(n) => n as f64 / d2,
            Self::Parallelogram { w, h } => {
                let far = |x: f64| 1.0 / d2.max(x * x);
                2.0 / d2 + far(w) + far(h)
            }
        }
    }
}

/// The smallest axis-aligned rectangle around some points (empty, `min` above `max`, around
/// none).
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub min: Point,
    pub max: Point,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            min: Point::new(f64::MAX, f64::MAX),
            max: Point::new(f64::MIN, f64::MIN),
        }
    }
}

impl Bounds {
    /// Grows the rectangle to hold `p`.
    pub fn add(&mut self, p: Point) {
        self.min = Point::new(self.min.x.min(p.x), self.min.y.min(p.y));
        self.max = Point::new(self.max.x.max(p.x), self.max.y.max(p.y));
    }

    /// The rectangle around both (either may be empty).
    pub fn join(self, o: Bounds) -> Bounds {
        Bounds {
            min: Point::new(self.min.x.min(o.min.x), self.min.y.min(o.min.y)),
            max: Point::new(self.max.x.max(o.max.x), self.max.y.max(o.max.y)),
        }
    }
}

/// Distance from `p` to the segment `ab`, metres.
pub fn point_segment_distance(p: Point, a: Point, b: Point) -> f64 {
    let ab = b.sub(a);
    let len2 = ab.dot(ab);
    if len2 == 0.0 {
        return p.distance(a);
    }
    let t = (p.sub(a).dot(ab) / len2).clamp(0.0, 1.0);
    p.distance(a.add(ab.scale(t)))
}

/// The smallest circle holding every one of `points`: its centre and radius, metres (the
/// incremental construction of Welzl's algorithm: a point outside the circle so far lies on
/// the boundary of the next). `None` without points.
pub fn smallest_circle(points: &[Point]) -> Option<(Point, f64)> {
    let first = *points.first()?;
    // a point counts as inside within a nanometre: rounding must not restart the search
    let outside = |c: Point, r: f64, p: Point| p.distance(c) > r + 1e-9;
    let mut circle = (first, 0.0);
    for (i, &a) in points.iter().enumerate() {
        if !outside(circle.0, circle.1, a) {
            continue;
        }
        circle = (a, 0.0);
        for (j, &b) in points[..i].iter().enumerate() {
            if !outside(circle.0, circle.1, b) {
                continue;
            }
            circle = diameter_circle(a, b);
            for &c in &points[..j] {
                if outside(circle.0, circle.1, c) {
                    circle = circle_through(a, b, c);
                }
            }
        }
    }
    Some(circle)
}

/// The circle with `a` and `b` at the ends of a diameter.
fn diameter_circle(a: Point, b: Point) -> (Point, f64) {
    (a.add(b).scale(0.5), a.distance(b) / 2.0)
}

/// The circle through `a`, `b` and `c`; for three points on a line, the one on the farthest
/// two of them as a diameter (which holds the third).
fn circle_through(a: Point, b: Point, c: Point) -> (Point, f64) {
    let (ab, ac) = (b.sub(a), c.sub(a));
    let d = 2.0 * ab.cross(ac);
    let scale = ab.dot(ab).max(ac.dot(ac));
    if d.abs() <= 1e-12 * scale {
        return [
            diameter_circle(a, b),
            diameter_circle(a, c),
            diameter_circle(b, c),
        ]
        .into_iter()
        .fold((a, -1.0), |best, x| if x.1 > best.1 { x } else { best });
    }
    let (b2, c2) = (ab.dot(ab), ac.dot(ac));
    let centre = Point::new((ac.y * b2 - ab.y * c2) / d, (ab.x * c2 - ac.x * b2) / d);
    (a.add(centre), centre.norm())
}

/// The square of [`point_segment_distance`], without a square root: for tests against a
/// radius on hot paths.
pub fn point_segment_distance_squared(p: Point, a: Point, b: Point) -> f64 {
    let ab = b.sub(a);
    let len2 = ab.dot(ab);
    let t = if len2 == 0.0 {
        0.0
    } else {
        (p.sub(a).dot(ab) / len2).clamp(0.0, 1.0)
    };
    let d = p.sub(a.add(ab.scale(t)));
    d.dot(d)
}

/// True when `p` lies on the boundary of `poly` (within a micrometre; compared squared, without
/// the square root of a distance, as every person placed in a venue is checked).
pub fn on_polygon_boundary(p: Point, poly: &[Point]) -> bool {
    edges(poly).any(|(a, b)| point_segment_distance_squared(p, a, b) < 1e-12)
}

/// The point as `geo` sees it.
pub fn coord(p: Point) -> geo::Coord<f64> {
    geo::Coord { x: p.x, y: p.y }
}

/// The polygon's boundary as a closed `geo` ring.
pub fn geo_ring(poly: &[Point]) -> geo::LineString<f64> {
    let mut ring: Vec<geo::Coord<f64>> = poly.iter().map(|&p| coord(p)).collect();
    if let Some(&first) = ring.first() {
        ring.push(first);
    }
    geo::LineString(ring)
}

/// The polygon as `geo` sees it, without holes.
pub fn geo_polygon(poly: &[Point]) -> geo::Polygon<f64> {
    geo::Polygon::new(geo_ring(poly), vec![])
}

thread_local! {
    /// A ring reused by [`point_in_polygon`]: it runs in the hot paths of the crossing tests
    /// and contours, where a fresh allocation per call would show.
    static RING: std::cell::RefCell<geo::LineString<f64>> =
        const { std::cell::RefCell::new(geo::LineString(Vec::new())) };
}

/// True when `p` lies strictly inside the polygon: `geo`'s winding number with exact
/// orientation, and points within a micrometre of the boundary are not inside.
pub fn point_in_polygon(p: Point, poly: &[Point]) -> bool {
    if poly.len() < 3 || on_polygon_boundary(p, poly) {
        return false;
    }
    RING.with(|ring| {
        let Ok(mut ring) = ring.try_borrow_mut() else {
            return geo::coordinate_position::coord_pos_relative_to_ring(coord(p), &geo_ring(poly))
                == geo::coordinate_position::CoordPos::Inside;
        };
        ring.0.clear();
        ring.0.extend(poly.iter().map(|&q| coord(q)));
        ring.0.push(coord(poly[0]));
        geo::coordinate_position::coord_pos_relative_to_ring(coord(p), &ring)
            == geo::coordinate_position::CoordPos::Inside
    })
}

/// The closed polygon's edges, last vertex joined to the first.
pub fn edges(poly: &[Point]) -> impl Iterator<Item = (Point, Point)> + '_ {
    let n = poly.len();
    (0..n).map(move |i| (poly[i], poly[(i + 1) % n]))
}

/// Signed area (positive when counter-clockwise), square metres (`geo`).
pub fn signed_area(poly: &[Point]) -> f64 {
    use geo::Area;
    if poly.len() < 3 {
        return 0.0;
    }
    geo_polygon(poly).signed_area()
}

/// Why `poly` is not a simple polygon, by `geo`'s validity rules (OGC): `None` when it is one.
/// [`self_intersection`] then says where.
pub fn polygon_invalidity(poly: &[Point]) -> Option<String> {
    use geo::Validation;
    geo_polygon(poly)
        .validation_errors()
        .first()
        .map(|e| e.to_string())
}

/// The first pair of edges (by index) that intersect although they are not neighbours, if any
/// (to say where a polygon that [`polygon_invalidity`] refuses crosses itself).
pub fn self_intersection(poly: &[Point]) -> Option<(usize, usize)> {
    let n = poly.len();
    for i in 0..n {
        for j in i + 1..n {
            let adjacent = j == i + 1 || (i == 0 && j == n - 1);
            if adjacent {
                continue;
            }
            let (a, b) = (poly[i], poly[(i + 1) % n]);
            let (c, d) = (poly[j], poly[(j + 1) % n]);
            if segments_touch(a, b, c, d) {
                return Some((i, j));
            }
        }
    }
    None
}

/// Parameters `t` in 0..1 along `ab` where it meets the segment `cd` (touching included).
fn meeting_params(a: Point, b: Point, c: Point, d: Point, out: &mut Vec<f64>) {
    if !segments_touch(a, b, c, d) {
        return;
    }
    let r = b.sub(a);
    let s = d.sub(c);
    let denom = r.cross(s);
    let len2 = r.dot(r);
    if denom.abs() > EPS * (r.norm() * s.norm()).max(EPS) {
        out.push((c.sub(a).cross(s) / denom).clamp(0.0, 1.0));
    } else if len2 > 0.0 {
        // collinear overlap: both ends of the overlap
        for p in [c, d] {
            out.push((p.sub(a).dot(r) / len2).clamp(0.0, 1.0));
        }
    }
}

/// True when the bounding boxes of the segment `ab` and of `pts` are more than a micrometre
/// apart: then nothing of the one can touch the other, whatever the tolerances (the cheap
/// test that most pairs and most obstacles in a large venue stop at).
fn apart(a: Point, b: Point, pts: &[Point]) -> bool {
    const GAP: f64 = 1e-6;
    let (x0, x1) = (a.x.min(b.x) - GAP, a.x.max(b.x) + GAP);
    let (y0, y1) = (a.y.min(b.y) - GAP, a.y.max(b.y) + GAP);
    pts.iter().all(|p| p.x < x0)
        || pts.iter().all(|p| p.x > x1)
        || pts.iter().all(|p| p.y < y0)
        || pts.iter().all(|p| p.y > y1)
}

/// True when the segment `ab` passes through the interior of `poly` (grazing corners or running
/// along an edge does not count).
pub fn segment_enters_polygon(a: Point, b: Point, poly: &[Point]) -> bool {
    if apart(a, b, poly) {
        return false;
    }
    segment_pieces(a, b, poly).any(|m| point_in_polygon(m, poly))
}

/// True when some part of the segment `ab` lies strictly outside `poly`.
pub fn segment_leaves_polygon(a: Point, b: Point, poly: &[Point]) -> bool {
    segment_pieces(a, b, poly).any(|m| !point_in_polygon(m, poly) && !on_polygon_boundary(m, poly))
}

/// Midpoints of the pieces into which the polygon's boundary cuts the segment `ab`.
fn segment_pieces(a: Point, b: Point, poly: &[Point]) -> impl Iterator<Item = Point> {
    let mut ts = vec![0.0, 1.0];
    for (c, d) in edges(poly) {
        meeting_params(a, b, c, d, &mut ts);
    }
    ts.sort_by(f64::total_cmp);
    ts.dedup_by(|x, y| (*x - *y).abs() < 1e-12);
    let r = b.sub(a);
    let mids: Vec<Point> = ts
        .windows(2)
        .map(|w| a.add(r.scale((w[0] + w[1]) / 2.0)))
        .collect();
    mids.into_iter()
}

/// True when the segment `ab` crosses the polyline: it passes from one side to the other through
/// an edge or through an interior vertex. Touching an end of the polyline is grazing, not crossing.
pub fn segment_crosses_polyline(a: Point, b: Point, line: &[Point]) -> bool {
    if apart(a, b, line) {
        return false;
    }
    if line
        .windows(2)
        .any(|w| segments_cross_properly(a, b, w[0], w[1]))
    {
        return true;
    }
    // passing exactly through an interior vertex: the neighbours lie on opposite sides
    let through = |prev: Point, v: Point, next: Point| {
        point_segment_distance(v, a, b) < 1e-9
            && v.distance(a) > 1e-9
            && v.distance(b) > 1e-9
            && orient(a, b, prev) * orient(a, b, next) < 0
    };
    let n = line.len();
    let closed = n >= 4 && line[0].distance(line[n - 1]) < 1e-9;
    line.windows(3).any(|w| through(w[0], w[1], w[2]))
        || (closed && through(line[n - 2], line[0], line[1]))
}

/// Angle in degrees (0..=180) between a facing direction and the direction from `from` to `to`.
pub fn facing_offset_deg(facing_deg: f64, from: Point, to: Point) -> f64 {
    let dir = to.sub(from);
    let len = dir.norm();
    if len == 0.0 {
        return 0.0;
    }
    let f = Point::from_angle_deg(facing_deg);
    let cos = (f.dot(dir) / len).clamp(-1.0, 1.0);
    cos.acos().to_degrees()
}

/// Something that stops a person walking.
#[derive(Debug, Clone)]
pub enum Barrier {
    /// A wall: a polyline that cannot be crossed.
    Line(Vec<Point>),
    /// A solid area: a polygon that cannot be entered.
    Area(Vec<Point>),
}

/// How far from a corner a walker keeps, metres. Small: it only has to move the route's turning
/// points off the corners so that the crossing tests see a clear line.
const CORNER_CLEARANCE_M: f64 = 0.05;

/// A visibility graph for walking distances around walls and obstacles, inside the venue outline.
#[derive(Debug, Clone)]
pub struct WalkGraph {
    outline: Vec<Point>,
    barriers: Vec<Barrier>,
    nodes: Vec<Point>,
    /// `adj[i]` lists `(j, metres)` for nodes visible from node `i`.
    adj: Vec<Vec<(usize, f64)>>,
    /// The nodes each point asked about sees: the costly part of a walking distance, the same
    /// for every pair a person is in.
    seen: SightCache,
}

/// Per point, `(node, metres)` for the nodes it sees: one map for walks that start there, one
/// for walks that end there (the crossing tests are not assumed symmetric).
type Sight = std::sync::Arc<Vec<(usize, f64)>>;
type SightMap = std::collections::HashMap<(u64, u64, bool), Sight>;

/// A bounded, thread-safe memo of [`WalkGraph`] sight lines; a clone starts empty.
#[derive(Debug, Default)]
struct SightCache(std::sync::Mutex<SightMap>);

impl Clone for SightCache {
    fn clone(&self) -> Self {
        SightCache::default()
    }
}

/// Points remembered before the memo starts afresh (a few hundred bytes to a few kilobytes
/// each).
const SIGHT_CACHE_POINTS: usize = 8192;

impl WalkGraph {
    /// Builds the graph. `outline` may be empty for an unbounded floor.
    pub fn new(outline: Vec<Point>, barriers: Vec<Barrier>) -> Self {
        let mut g = WalkGraph {
            outline,
            barriers,
            nodes: Vec::new(),
            adj: Vec::new(),
            seen: SightCache::default(),
        };
        let mut candidates = Vec::new();
        let around = |poly: &[Point], out: &mut Vec<Point>| {
            let n = poly.len();
            for i in 0..n {
                let v = poly[i];
                let a = poly[(i + n - 1) % n].sub(v).unit();
                let b = poly[(i + 1) % n].sub(v).unit();
                let mut bis = a.add(b).unit();
                if bis.norm() == 0.0 {
                    bis = Point::new(-a.y, a.x);
                }
                out.push(v.add(bis.scale(CORNER_CLEARANCE_M * 1.5)));
                out.push(v.sub(bis.scale(CORNER_CLEARANCE_M * 1.5)));
            }
        };
        around(&g.outline, &mut candidates);
        for bar in &g.barriers {
            match bar {
                Barrier::Area(p) => around(p, &mut candidates),
                Barrier::Line(l) if l.len() >= 2 => {
                    for (end, next) in [(l[0], l[1]), (l[l.len() - 1], l[l.len() - 2])] {
                        let dir = end.sub(next).unit();
                        let perp = Point::new(-dir.y, dir.x);
                        let tip = end.add(dir.scale(CORNER_CLEARANCE_M));
                        candidates.push(tip.add(perp.scale(CORNER_CLEARANCE_M)));
                        candidates.push(tip.sub(perp.scale(CORNER_CLEARANCE_M)));
                    }
                    for w in l.windows(3) {
                        let a = w[0].sub(w[1]).unit();
                        let b = w[2].sub(w[1]).unit();
                        let bis = a.add(b).unit();
                        candidates.push(w[1].add(bis.scale(CORNER_CLEARANCE_M)));
                        candidates.push(w[1].sub(bis.scale(CORNER_CLEARANCE_M)));
                    }
                }
                Barrier::Line(_) => {}
            }
        }
        g.nodes = candidates.into_iter().filter(|p| g.standable(*p)).collect();
        let n = g.nodes.len();
        g.adj = vec![Vec::new(); n];
        for i in 0..n {
            for j in i + 1..n {
                if g.clear(g.nodes[i], g.nodes[j]) {
                    let d = g.nodes[i].distance(g.nodes[j]);
                    g.adj[i].push((j, d));
                    g.adj[j].push((i, d));
                }
            }
        }
        g
    }

    /// True when a person can stand at `p`: inside the outline and outside every solid area.
    pub fn standable(&self, p: Point) -> bool {
        (self.outline.len() < 3 || point_in_polygon(p, &self.outline))
            && self.barriers.iter().all(|b| match b {
                Barrier::Area(poly) => !point_in_polygon(p, poly),
                Barrier::Line(_) => true,
            })
    }

    /// True when one can walk straight from `a` to `b`.
    pub fn clear(&self, a: Point, b: Point) -> bool {
        if self.outline.len() >= 3 && segment_leaves_polygon(a, b, &self.outline) {
            return false;
        }
        self.barriers.iter().all(|bar| match bar {
            Barrier::Line(l) => !segment_crosses_polyline(a, b, l),
            Barrier::Area(p) => !segment_enters_polygon(a, b, p),
        })
    }

    /// The nodes `p` sees, with their distances: from `p` to the node when `outward`, else from
    /// the node to `p`. Remembered, since every pair a person is in asks again.
    fn sight(&self, p: Point, outward: bool) -> Sight {
        let key = (p.x.to_bits(), p.y.to_bits(), outward);
        if let Some(v) = self.seen.0.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return v;
        }
        let v: Sight = std::sync::Arc::new(
            self.nodes
                .iter()
                .enumerate()
                .filter(|&(_, &node)| {
                    if outward {
                        self.clear(p, node)
                    } else {
                        self.clear(node, p)
                    }
                })
                .map(|(i, &node)| {
                    (
                        i,
                        if outward {
                            p.distance(node)
                        } else {
                            node.distance(p)
                        },
                    )
                })
                .collect(),
        );
        if let Ok(mut m) = self.seen.0.lock() {
            if m.len() >= SIGHT_CACHE_POINTS {
                m.clear();
            }
            m.insert(key, v.clone());
        }
        v
    }

    /// Shortest walking distances from `from` to each of `targets`, metres; `None` where no path.
    pub fn distances(&self, from: Point, targets: &[Point]) -> Vec<Option<f64>> {
        let n = self.nodes.len();
        let mut dist = vec![f64::INFINITY; n];
        let mut heap = BinaryHeap::new();
        for &(i, d) in self.sight(from, true).iter() {
            dist[i] = d;
            heap.push(State(d, i));
        }
        while let Some(State(d, i)) = heap.pop() {
            if d > dist[i] {
                continue;
            }
            for &(j, w) in &self.adj[i] {
                if d + w < dist[j] {
                    dist[j] = d + w;
                    heap.push(State(dist[j], j));
                }
            }
        }
        targets
            .iter()
            .map(|&t| {
                if self.clear(from, t) {
                    return Some(from.distance(t));
                }
                let best = self
                    .sight(t, false)
                    .iter()
                    .filter(|&&(i, _)| dist[i].is_finite())
                    .map(|&(i, d)| dist[i] + d)
                    .fold(f64::INFINITY, f64::min);
                best.is_finite().then_some(best)
            })
            .collect()
    }
}

#[derive(PartialEq)]
struct State(f64, usize);
impl Eq for State {}
impl PartialOrd for State {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for State {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        o.0.total_cmp(&self.0).then(o.1.cmp(&self.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smallest_circle_of_hand_worked_points() {
        assert_eq!(smallest_circle(&[]), None);
        let one = Point::new(2.0, 3.0);
        assert_eq!(smallest_circle(&[one]), Some((one, 0.0)));
        // a row: the two ends are a diameter, whatever the order
        let row = [
            Point::new(1.0, 0.0),
            Point::new(0.0, 0.0),
            Point::new(3.0, 0.0),
            Point::new(2.0, 0.0),
        ];
        let (c, r) = smallest_circle(&row).unwrap_or_else(|| panic!("a circle"));
        assert!(c.distance(Point::new(1.5, 0.0)) < 1e-12 && (r - 1.5).abs() < 1e-12);
        // a right triangle: the hypotenuse is a diameter
        let (c, r) = smallest_circle(&[
            Point::new(0.0, 0.0),
            Point::new(4.0, 0.0),
            Point::new(0.0, 3.0),
        ])
        .unwrap_or_else(|| panic!("a circle"));
        assert!(c.distance(Point::new(2.0, 1.5)) < 1e-12 && (r - 2.5).abs() < 1e-12);
        // an equilateral triangle: the circumcircle
        let h = 3f64.sqrt() / 2.0;
        let (c, r) = smallest_circle(&[
            Point::new(0.0, 0.0),
            Point::new(1.0, 0.0),
            Point::new(0.5, h),
        ])
        .unwrap_or_else(|| panic!("a circle"));
        assert!(c.distance(Point::new(0.5, h / 3.0)) < 1e-12);
        assert!((r - 1.0 / 3f64.sqrt()).abs() < 1e-12);
    }

    mod smallest_circle_props {
        use super::*;
        use proptest::prelude::*;

        /// Every circle on two or three of the points as its boundary that holds them all: the
        /// smallest such is the smallest circle.
        fn brute(points: &[Point]) -> f64 {
            let n = points.len();
            let holds = |(c, r): (Point, f64)| points.iter().all(|p| p.distance(c) <= r + 1e-9);
            let mut best = f64::INFINITY;
            for i in 0..n {
                for j in i + 1..n {
                    let d = diameter_circle(points[i], points[j]);
                    if holds(d) {
                        best = best.min(d.1);
                    }
                    for k in j + 1..n {
                        let t = circle_through(points[i], points[j], points[k]);
                        if holds(t) {
                            best = best.min(t.1);
                        }
                    }
                }
            }
            if n == 1 { 0.0 } else { best }
        }

        proptest! {
            #[test]
            fn smallest_circle_holds_everyone_and_none_is_smaller(
                pts in proptest::collection::vec((-5.0f64..5.0, -5.0f64..5.0), 1..10)
            ) {
                let points: Vec<Point> = pts.iter().map(|&(x, y)| Point::new(x, y)).collect();
                let (c, r) = smallest_circle(&points).unwrap_or_else(|| panic!("a circle"));
                for p in &points {
                    prop_assert!(p.distance(c) <= r + 1e-9, "{p:?} outside ({c:?}, {r})");
                }
                prop_assert!((r - brute(&points)).abs() < 1e-9, "{r} against {}", brute(&points));
            }
        }
    }

    #[test]
    fn side_reflections_of_a_rectangle_are_its_four_images() {
        let room = [
            Point::new(0.0, 0.0),
            Point::new(10.0, 0.0),
            Point::new(10.0, 6.0),
            Point::new(0.0, 6.0),
        ];
        let (p, q) = (Point::new(2.0, 2.0), Point::new(6.0, 3.0));
        // images of p: (−2, 2), (18, 2), (2, −2), (2, 10)
        let expected: f64 = [(-2.0, 2.0), (18.0, 2.0), (2.0, -2.0), (2.0, 10.0)]
            .iter()
            .map(|&(x, y)| 1.0 / Point::new(x, y).sub(q).dot(Point::new(x, y).sub(q)))
            .sum();
        let got = side_reflections_m2(p, q, &room);
        assert!((got - expected).abs() < 1e-12, "{got} vs {expected}");
        // the same both ways, and none without an outline
        assert!((side_reflections_m2(q, p, &room) - got).abs() < 1e-12);
        assert_eq!(side_reflections_m2(p, q, &[]), 0.0);
    }
    fn p(x: f64, y: f64) -> Point {
        Point::new(x, y)
    }
    fn square(x0: f64, y0: f64, s: f64) -> Vec<Point> {
        vec![p(x0, y0), p(x0 + s, y0), p(x0 + s, y0 + s), p(x0, y0 + s)]
    }

    #[test]
    fn grazing_a_corner_is_not_crossing() {
        let sq = square(1.0, 1.0, 1.0);
        assert!(!segment_enters_polygon(p(0.0, 0.0), p(2.0, 0.0), &sq));
        assert!(!segment_enters_polygon(p(0.0, 2.0), p(2.0, 0.0), &sq)); // touches (1,1)
        assert!(segment_enters_polygon(p(0.0, 1.5), p(3.0, 1.5), &sq));
        // diagonal through two corners passes through the interior
        assert!(segment_enters_polygon(p(0.0, 0.0), p(3.0, 3.0), &sq));
        // running along an edge is not entering
        assert!(!segment_enters_polygon(p(0.0, 1.0), p(3.0, 1.0), &sq));
    }

    #[test]
    fn wall_end_grazed_and_wall_vertex_crossed() {
        let wall = vec![p(0.0, 0.0), p(0.0, 1.0), p(0.0, 2.0)];
        assert!(segment_crosses_polyline(p(-1.0, 0.5), p(1.0, 0.5), &wall));
        assert!(!segment_crosses_polyline(p(-1.0, 2.0), p(1.0, 2.0), &wall));
        assert!(segment_crosses_polyline(p(-1.0, 1.0), p(1.0, 1.0), &wall));
        assert!(!segment_crosses_polyline(p(-1.0, 3.0), p(1.0, 3.0), &wall));
    }

    #[test]
    fn point_in_polygon_excludes_boundary() {
        let sq = square(0.0, 0.0, 2.0);
        assert!(point_in_polygon(p(1.0, 1.0), &sq));
        assert!(!point_in_polygon(p(0.0, 1.0), &sq));
        assert!(!point_in_polygon(p(3.0, 1.0), &sq));
    }

    #[test]
    fn bow_tie_is_self_intersecting() {
        let bow = vec![p(0.0, 0.0), p(2.0, 2.0), p(2.0, 0.0), p(0.0, 2.0)];
        assert!(self_intersection(&bow).is_some());
        assert!(self_intersection(&square(0.0, 0.0, 1.0)).is_none());
    }

    #[test]
    fn walking_around_a_wall() {
        let outline = square(-10.0, -10.0, 20.0);
        let wall = vec![p(0.0, -2.0), p(0.0, 2.0)];
        let g = WalkGraph::new(outline, vec![Barrier::Line(wall)]);
        let d = g.distances(p(-1.0, 0.0), &[p(1.0, 0.0)])[0].unwrap_or(f64::NAN);
        let expect = 2.0 * (1.0f64 + 4.0).sqrt();
        assert!((d - expect).abs() < 0.2, "{d} vs {expect}");
    }

    #[test]
    fn no_path_through_a_closed_room() {
        let outline = square(-10.0, -10.0, 20.0);
        let room = vec![
            p(-1.0, -1.0),
            p(1.0, -1.0),
            p(1.0, 1.0),
            p(-1.0, 1.0),
            p(-1.0, -1.0),
        ];
        let g = WalkGraph::new(outline, vec![Barrier::Line(room)]);
        assert_eq!(g.distances(p(0.0, 0.0), &[p(5.0, 5.0)])[0], None);
    }

    #[test]
    fn l_shaped_room_walks_round_the_corner() {
        let outline = vec![
            p(0.0, 0.0),
            p(10.0, 0.0),
            p(10.0, 2.0),
            p(2.0, 2.0),
            p(2.0, 10.0),
            p(0.0, 10.0),
        ];
        let g = WalkGraph::new(outline, vec![]);
        let d = g.distances(p(9.0, 1.0), &[p(1.0, 9.0)])[0].unwrap_or(f64::NAN);
        let expect = p(9.0, 1.0).distance(p(2.0, 2.0)) + p(2.0, 2.0).distance(p(1.0, 9.0));
        assert!((d - expect).abs() < 0.1, "{d} vs {expect}");
    }

    #[test]
    fn facing_offsets() {
        assert!((facing_offset_deg(0.0, p(0.0, 0.0), p(1.0, 0.0))).abs() < 1e-9);
        assert!((facing_offset_deg(90.0, p(0.0, 0.0), p(1.0, 0.0)) - 90.0).abs() < 1e-9);
        assert!((facing_offset_deg(180.0, p(0.0, 0.0), p(1.0, 0.0)) - 180.0).abs() < 1e-9);
    }

    mod side_reflection_bound {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// In any parallelogram (a rectangle turned any way, or sheared), any two people,
            /// inside it or not, get no more side reflection than the bound for their distance.
            #[test]
            fn no_pair_gets_more_than_the_bound(
                w in 1.0..80.0f64, h in 1.0..80.0f64,
                turn in 0.0..360.0f64, shear in -0.5..0.5f64,
                a in (-0.2..1.2f64, -0.2..1.2f64), b in (-0.2..1.2f64, -0.2..1.2f64),
            ) {
                let (u, v) = (Point::from_angle_deg(turn), Point::from_angle_deg(turn + 90.0));
                let at = |s: f64, t: f64| u.scale(s * w + shear * t * h).add(v.scale(t * h));
                let outline = vec![at(0.0, 0.0), at(1.0, 0.0), at(1.0, 1.0), at(0.0, 1.0)];
                let bound = SideReflectionBound::of(&outline);
                let parallelogram = matches!(bound, SideReflectionBound::Parallelogram { .. });
                prop_assert!(parallelogram, "{:?}", bound);
                let (p, q) = (at(a.0, a.1), at(b.0, b.1));
                let d = p.distance(q);
                prop_assume!(d > 1e-3);
                let got = side_reflections_m2(p, q, &outline);
                let most = bound.at(d);
                prop_assert!(got <= most * (1.0 + 1e-9), "{} > {} at {} m", got, most, d);
                // and never more than the bound for any four edges
                prop_assert!(bound.at(d) <= SideReflectionBound::Images(4).at(d) * (1.0 + 1e-12));
            }
        }

        #[test]
        fn only_parallelograms_have_the_tighter_bound() {
            let p = Point::new;
            let kite = [p(0.0, 0.0), p(4.0, 0.0), p(5.0, 3.0), p(0.0, 2.0)];
            assert_eq!(
                SideReflectionBound::of(&kite),
                SideReflectionBound::Images(4)
            );
            let flat = [p(0.0, 0.0), p(4.0, 0.0), p(8.0, 0.0), p(4.0, 0.0)];
            assert_eq!(
                SideReflectionBound::of(&flat),
                SideReflectionBound::Images(4)
            );
            let nan = [p(0.0, 0.0), p(f64::NAN, 0.0), p(4.0, 3.0), p(0.0, 3.0)];
            assert_eq!(
                SideReflectionBound::of(&nan),
                SideReflectionBound::Images(4)
            );
            assert_eq!(SideReflectionBound::of(&[]), SideReflectionBound::Images(0));
            let room = [p(0.0, 0.0), p(40.0, 0.0), p(40.0, 30.0), p(0.0, 30.0)];
            let SideReflectionBound::Parallelogram { w, h } = SideReflectionBound::of(&room) else {
                panic!("a rectangle");
            };
            assert!(
                (w - 30.0).abs() < 1e-4 && (h - 40.0).abs() < 1e-4,
                "{w} {h}"
            );
            // two walls near, two far: about half of four images at 5 m
            let b = SideReflectionBound::of(&room).at(5.0);
            assert!(
                (b - (2.0 / 25.0 + 1.0 / 900.0 + 1.0 / 1600.0)).abs() < 1e-6,
                "{b}"
            );
        }
    }

    /// Where this module keeps its own code beside `geo`, the two must agree wherever the
    /// answer does not hang on a tolerance.
    mod against_geo {
        use super::*;
        use geo::line_intersection::{LineIntersection, line_intersection};
        use proptest::prelude::*;

        fn grid_polygon() -> impl Strategy<Value = Vec<Point>> {
            prop::collection::vec((0..7i32, 0..7i32), 3..8).prop_map(|v| {
                v.into_iter()
                    .map(|(x, y)| Point::new(f64::from(x), f64::from(y)))
                    .collect()
            })
        }

        /// Star-shaped, so simple: vertices by increasing angle around (3, 3).
        fn star_polygon() -> impl Strategy<Value = Vec<Point>> {
            prop::collection::vec((0.0..1.0f64, 0.3..4.0f64), 3..9).prop_map(|mut v| {
                v.sort_by(|a, b| a.0.total_cmp(&b.0));
                v.dedup_by(|a, b| (a.0 - b.0).abs() < 1e-3);
                v.into_iter()
                    .map(|(t, r)| {
                        Point::new(3.0, 3.0).add(Point::from_angle_deg(360.0 * t).scale(r))
                    })
                    .collect()
            })
        }

        fn line(a: Point, b: Point) -> geo::Line<f64> {
            geo::Line::new(coord(a), coord(b))
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]

            // On a grid every orientation is exact, so the tolerance never decides: a polygon
            // is simple by geo's rules exactly when no two edges that are not neighbours meet.
            #[test]
            fn simple_polygons_agree(poly in grid_polygon()) {
                let n = poly.len();
                let repeated = (0..n).any(|i| poly[i] == poly[(i + 1) % n]);
                let flat = signed_area(&poly).abs() < 1e-9;
                prop_assume!(!repeated && !flat);
                prop_assert_eq!(
                    polygon_invalidity(&poly).is_none(),
                    self_intersection(&poly).is_none(),
                    "{:?}: geo {:?}", poly, polygon_invalidity(&poly)
                );
            }

            #[test]
            fn touching_segments_agree_on_a_grid(
                a in (0..9i32, 0..9i32), b in (0..9i32, 0..9i32),
                c in (0..9i32, 0..9i32), d in (0..9i32, 0..9i32),
            ) {
                let p = |(x, y): (i32, i32)| Point::new(f64::from(x), f64::from(y));
                let (a, b, c, d) = (p(a), p(b), p(c), p(d));
                prop_assume!(a != b && c != d);
                let geo = line_intersection(line(a, b), line(c, d));
                prop_assert_eq!(segments_touch(a, b, c, d), geo.is_some());
                let proper = matches!(geo, Some(LineIntersection::SinglePoint { is_proper: true, .. }));
                prop_assert_eq!(segments_cross_properly(a, b, c, d), proper);
            }

            // Off the grid the tolerance decides only within a nanometre of touching.
            #[test]
            fn crossing_segments_agree_in_general_position(
                a in (-10.0..10.0f64, -10.0..10.0f64), b in (-10.0..10.0f64, -10.0..10.0f64),
                c in (-10.0..10.0f64, -10.0..10.0f64), d in (-10.0..10.0f64, -10.0..10.0f64),
            ) {
                let (a, b, c, d) = (Point::new(a.0, a.1), Point::new(b.0, b.1), Point::new(c.0, c.1), Point::new(d.0, d.1));
                let clear = [(a, b, c), (a, b, d), (c, d, a), (c, d, b)]
                    .iter()
                    .all(|&(p, q, r)| point_segment_distance(r, p, q) > 1e-6);
                prop_assume!(clear);
                let geo = line_intersection(line(a, b), line(c, d));
                prop_assert_eq!(segments_cross_properly(a, b, c, d), geo.is_some());
                prop_assert_eq!(segments_touch(a, b, c, d), geo.is_some());
            }

            // geo's winding number against the even-odd ray cast this module used before, away
            // from the boundary; and the answer moves with the scene
            #[test]
            fn inside_agrees_with_ray_casting(
                poly in star_polygon(), x in -1.0..8.0f64, y in -1.0..8.0f64,
                dx in -50i32..50, dy in -50i32..50,
            ) {
                prop_assume!(poly.len() >= 3);
                let q = Point::new(x, y);
                prop_assume!(edges(&poly).all(|(a, b)| point_segment_distance(q, a, b) > 1e-6));
                let mut ray = false;
                for (a, b) in edges(&poly) {
                    if (a.y > q.y) != (b.y > q.y) && q.x < a.x + (q.y - a.y) * (b.x - a.x) / (b.y - a.y) {
                        ray = !ray;
                    }
                }
                prop_assert_eq!(point_in_polygon(q, &poly), ray);
                let shift = Point::new(f64::from(dx), f64::from(dy));
                let moved: Vec<Point> = poly.iter().map(|&p| p.add(shift)).collect();
                prop_assert_eq!(point_in_polygon(q.add(shift), &moved), ray);
            }

            #[test]
            fn area_is_the_shoelace(poly in grid_polygon()) {
                let shoelace = edges(&poly).map(|(a, b)| a.cross(b)).sum::<f64>() / 2.0;
                prop_assert!((signed_area(&poly) - shoelace).abs() < 1e-9);
            }
        }
    }
}
