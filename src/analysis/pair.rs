//! The geometric facts about two people in one phase: how far apart, what lies between them,
//! which way each faces, and how long both were there.

use crate::physics::geometry::{
    Point, facing_offset_deg, point_segment_distance_squared, segment_crosses_polyline,
    segment_enters_polygon, side_reflections_m2,
};
use crate::scene::{Phase, Placement, Scene, SeatPlace};
use serde::Serialize;
use std::ops::Sub;

/// What kind of thing a straight line crosses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CrossingKind {
    /// a wall
    Wall,
    /// an obstacle such as a stage or pillar
    Obstacle,
}

/// A wall or obstacle on the straight line between two people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crossing {
    /// Its name in the scene.
    pub name: String,
    /// Wall or obstacle.
    pub kind: CrossingKind,
    /// Sound attenuation across it, dB.
    pub attenuation_db: f64,
    /// Whether it blocks the line of sight.
    pub blocks_sight: bool,
}

/// Geometry of a pair in one phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairGeometry {
    /// Straight-line distance, metres.
    pub distance_m: f64,
    /// Walking distance around walls and obstacles, metres; `None` when no path exists or it
    /// was not asked for.
    pub walking_m: Option<f64>,
    /// Whether the walking distance was computed.
    pub walking_computed: bool,
    /// Walls and obstacles the straight line crosses (grazing a corner does not count).
    pub crossings: Vec<Crossing>,
    /// Attendees whose bodies the straight line passes through (indices into the scene).
    pub bodies_between: Vec<usize>,
    /// Seat rows between them, when both sit in theatre rows facing the same way.
    pub rows_between: Option<u32>,
    /// Angle between A's facing and the direction to B, degrees (0 = facing B); `None` if unknown.
    pub facing_a_deg: Option<f64>,
    /// Angle between B's facing and the direction to A, degrees.
    pub facing_b_deg: Option<f64>,
    /// First-order reflections off the venue's outline between them: Σ 1/r² over the image
    /// sources, m⁻² (see [`crate::physics::geometry::side_reflections_m2`]).
    pub side_reflections_m2: f64,
}

impl PairGeometry {
    /// True when a wall or an opaque obstacle blocks the line of sight.
    pub fn sight_blocked(&self) -> bool {
        self.crossings.iter().any(|c| c.blocks_sight)
    }
    /// Total attenuation of walls crossed, dB.
    pub fn walls_db(&self) -> f64 {
        self.crossings
            .iter()
            .filter(|c| c.kind == CrossingKind::Wall)
            .map(|c| c.attenuation_db)
            .sum()
    }
    /// Total attenuation of obstacles crossed, dB.
    pub fn obstacles_db(&self) -> f64 {
        self.crossings
            .iter()
            .filter(|c| c.kind == CrossingKind::Obstacle)
            .map(|c| c.attenuation_db)
            .sum()
    }
}

/// Computes the geometry of attendees `a` and `b` in `phase`; `None` when either has no
/// placement in the phase. Walking distance is computed only when `walking` is true (it is the
/// expensive part).
pub fn pair_geometry(
    scene: &Scene,
    phase: usize,
    a: usize,
    b: usize,
    walking: bool,
) -> Option<PairGeometry> {
    let pa = scene.attendees[a].placement_in(phase)?;
    let pb = scene.attendees[b].placement_in(phase)?;
    let others: Vec<(usize, Point)> = scene
        .present_in(phase)
        .into_iter()
        .filter(|(i, _)| *i != a && *i != b)
        .map(|(i, p)| (i, p.pos))
        .collect();
    let radius = scene.phases[phase].acoustics.body_radius_m.value;
    let mut g = geometry_between(scene, pa, pb, &others, radius);
    if walking {
        g.walking_computed = true;
        g.walking_m = scene.walk_graph().distances(pa.pos, &[pb.pos])[0];
    }
    Some(g)
}

/// Geometry between two placements, with `others` the positions of everyone else present.
pub fn geometry_between(
    scene: &Scene,
    pa: &Placement,
    pb: &Placement,
    others: &[(usize, Point)],
    body_radius_m: f64,
) -> PairGeometry {
    let (p, q) = (pa.pos, pb.pos);
    let mut crossings = Vec::new();
    for w in &scene.venue.walls {
        if segment_crosses_polyline(p, q, &w.points) {
            crossings.push(Crossing {
                name: w.name.clone(),
                kind: CrossingKind::Wall,
                attenuation_db: w.attenuation_db,
                blocks_sight: true,
            });
        }
    }
    for o in &scene.venue.obstacles {
        if segment_enters_polygon(p, q, &o.polygon) {
            crossings.push(Crossing {
                name: o.name.clone(),
                kind: CrossingKind::Obstacle,
                attenuation_db: o.attenuation_db,
                blocks_sight: o.blocks_sight,
            });
        }
    }
    let bodies_between = bodies_on(p, q, others, body_radius_m);
    PairGeometry {
        distance_m: p.distance(q),
        walking_m: None,
        walking_computed: false,
        crossings,
        bodies_between,
        rows_between: rows_between(scene, pa, pb),
        facing_a_deg: pa.facing_deg.map(|f| facing_offset_deg(f, p, q)),
        facing_b_deg: pb.facing_deg.map(|f| facing_offset_deg(f, q, p)),
        side_reflections_m2: side_reflections_m2(p, q, &scene.venue.outline),
    }
}

/// Which of `others` stand on the line from `p` to `q`: within `body_radius_m` of it, and not
/// on either end.
pub fn bodies_on(p: Point, q: Point, others: &[(usize, Point)], body_radius_m: f64) -> Vec<usize> {
    let probe = LineProbe::new(p, q, body_radius_m);
    others
        .iter()
        .filter(|(_, o)| probe.hits(*o))
        .map(|(i, _)| *i)
        .collect()
}

/// [`on_line`] for one line and many bodies: most bodies near a line are well off it, and the
/// distance to the whole line (no division) rules them out before the exact test.
#[derive(Debug, Clone, Copy)]
pub struct LineProbe {
    p: Point,
    q: Point,
    radius_m: f64,
    /// `radius² · |q − p|²` with a margin far above rounding: a body whose cross product with
    /// the line reaches it is off the line by the exact test too.
    limit: f64,
}

impl LineProbe {
    /// The line from `p` to `q` with bodies of `body_radius_m`.
    pub fn new(p: Point, q: Point, body_radius_m: f64) -> Self {
        let d = q.sub(p);
        let len2 = d.dot(d);
        let limit = if len2 > 0.0 {
            body_radius_m * body_radius_m * len2 * (1.0 + 1e-9)
        } else {
            f64::INFINITY
        };
        LineProbe {
            p,
            q,
            radius_m: body_radius_m,
            limit,
        }
    }

    /// [`on_line`] for a body at `o`.
    pub fn hits(&self, o: Point) -> bool {
        let (d, e) = (self.q.sub(self.p), o.sub(self.p));
        let cross = e.x * d.y - e.y * d.x;
        cross * cross < self.limit && on_line(o, self.p, self.q, self.radius_m)
    }
}

/// Whether a body at `o` stands on the line from `p` to `q`: within `body_radius_m` of it,
/// and not on either end.
pub fn on_line(o: Point, p: Point, q: Point, body_radius_m: f64) -> bool {
    let end = |e: Point| {
        let d = o.sub(e);
        d.dot(d) > 1e-18
    };
    point_segment_distance_squared(o, p, q) < body_radius_m * body_radius_m && end(p) && end(q)
}

/// Rows of seats between two people seated in theatre rows that face the same way.
fn rows_between(scene: &Scene, pa: &Placement, pb: &Placement) -> Option<u32> {
    let (sa, sb) = (
        &scene.seats[pa.seat_index()?],
        &scene.seats[pb.seat_index()?],
    );
    let (SeatPlace::Row { row_pitch_m, .. }, SeatPlace::Row { .. }) = (sa.place, sb.place) else {
        return None;
    };
    if (sa.facing_deg - sb.facing_deg)
        .rem_euclid(360.0)
        .min((sb.facing_deg - sa.facing_deg).rem_euclid(360.0))
        > 1.0
    {
        return None;
    }
    let forward = Point::from_angle_deg(sa.facing_deg);
    let depth = sa.pos.sub(sb.pos).dot(forward).abs();
    let rows_apart = (depth / row_pitch_m).round() as u32;
    Some(rows_apart.saturating_sub(1))
}

/// When both of a pair were present in a phase.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CoPresence {
    /// Whether their presence overlapped at all.
    pub co_present: bool,
    /// Start of the overlap, minutes after midnight, if known.
    pub from_min: Option<f64>,
    /// End of the overlap, minutes after midnight, if known.
    pub to_min: Option<f64>,
    /// Length of the overlap, minutes, when both ends are known.
    pub minutes: Option<f64>,
}

/// The overlap of the phase's window and both presence windows.
pub fn co_presence(phase: &Phase, pa: &Placement, pb: &Placement) -> CoPresence {
    if pa.whole_phase() && pb.whole_phase() {
        // both there all the phase (nearly every pair of a large scene)
        let minutes = match (phase.from_min, phase.to_min) {
            (Some(s), Some(e)) => Some((e - s).max(0.0)),
            _ => None,
        };
        return CoPresence {
            co_present: minutes.is_none_or(|m| m > 0.0),
            from_min: phase.from_min,
            to_min: phase.to_min,
            minutes,
        };
    }
    let start = [phase.from_min, pa.arrived_min(), pb.arrived_min()]
        .into_iter()
        .flatten()
        .reduce(f64::max);
    let end = [phase.to_min, pa.left_min(), pb.left_min()]
        .into_iter()
        .flatten()
        .reduce(f64::min);
    let minutes = match (start, end) {
        (Some(s), Some(e)) => Some((e - s).max(0.0)),
        _ => None,
    };
    CoPresence {
        co_present: minutes.is_none_or(|m| m > 0.0),
        from_min: start,
        to_min: end,
        minutes,
    }
}

/// A stretch of the time two people were both present during which the same people stood on
/// the line between them.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeSlice {
    /// Start, minutes after midnight (`None`: the phase's start, not given).
    pub from_min: Option<f64>,
    /// End, minutes after midnight.
    pub to_min: Option<f64>,
    /// Attendees on the line between them then (indices into the scene).
    pub bodies_between: Vec<usize>,
}

/// Splits the time two people were both present wherever someone on the line between them
/// arrives or leaves. One slice when nothing changes or when times are not known.
pub fn time_slices(
    scene: &Scene,
    phase: usize,
    geo: &PairGeometry,
    cp: &CoPresence,
) -> Vec<TimeSlice> {
    let whole = || {
        vec![TimeSlice {
            from_min: cp.from_min,
            to_min: cp.to_min,
            bodies_between: geo.bodies_between.clone(),
        }]
    };
    let (Some(from), Some(to)) = (cp.from_min, cp.to_min) else {
        return whole();
    };
    let window = |i: usize| {
        scene.attendees[i]
            .placement_in(phase)
            .map_or((None, None), |p| (p.arrived_min(), p.left_min()))
    };
    let mut cuts = vec![from, to];
    for &i in &geo.bodies_between {
        let (a, l) = window(i);
        cuts.extend(
            [a, l]
                .into_iter()
                .flatten()
                .filter(|t| *t > from && *t < to),
        );
    }
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let mut out: Vec<TimeSlice> = Vec::new();
    for w in cuts.windows(2) {
        let mid = 0.5 * (w[0] + w[1]);
        let bodies: Vec<usize> = geo
            .bodies_between
            .iter()
            .copied()
            .filter(|&i| {
                let (a, l) = window(i);
                a.is_none_or(|a| a <= mid) && l.is_none_or(|l| l >= mid)
            })
            .collect();
        match out.last_mut() {
            Some(last) if last.bodies_between == bodies => last.to_min = Some(w[1]),
            _ => out.push(TimeSlice {
                from_min: Some(w[0]),
                to_min: Some(w[1]),
                bodies_between: bodies,
            }),
        }
    }
    if out.is_empty() { whole() } else { out }
}
