//! GeoJSON export (RFC 7946): the venue, its seats, who was where in each phase, and the pairs
//! that could have talked, for QGIS, pandas or a web map.
//!
//! With a geographic anchor (`[venue] origin_lonlat`, oriented by `north` or `rotation_deg`)
//! coordinates are WGS84 longitude and latitude, as the RFC asks. Without one they are the
//! plan's own metres, and the collection says so in its `earshot` member: a GIS reads them as
//! an unreferenced plane.
//!
//! Names and other free text go into properties as JSON strings, which serde_json escapes.

use crate::analysis::plausibility::Band;
use crate::analysis::search::phase_pairs;
use crate::physics::geometry::Point;
use crate::scene::{Presence, Scene, Spread};
use geo_types::{Coord, LineString, Polygon};
use geojson::{Feature, FeatureCollection, Geometry, JsonObject, JsonValue};
use serde_json::json;

/// The frame the coordinates are written in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Frame {
    /// The plan's metres, unreferenced.
    Local,
    /// WGS84 degrees around an anchor: the plan's origin at `origin_lonlat`, north at
    /// `north_deg` counter-clockwise from the plan's +x axis.
    Wgs84 {
        /// `[longitude, latitude]` of the plan's origin.
        origin_lonlat: [f64; 2],
        /// Direction of north in the plan, degrees counter-clockwise from +x.
        north_deg: f64,
    },
}

/// WGS84 semi-major axis, metres, and first eccentricity squared.
const WGS84_A: f64 = 6_378_137.0;
const WGS84_E2: f64 = 6.694_379_990_14e-3;

impl Frame {
    /// The frame a scene implies: WGS84 when it gives an anchor, unless `local` is asked.
    pub fn for_scene(scene: &Scene, local: bool) -> Frame {
        match scene.venue.origin_lonlat {
            Some(origin_lonlat) if !local => Frame::Wgs84 {
                origin_lonlat,
                north_deg: scene.venue.north_deg,
            },
            _ => Frame::Local,
        }
    }

    /// A plan point in this frame: metres rounded to the millimetre, or degrees rounded to
    /// 1e-8 (about a millimetre). Over a venue (well under a kilometre) the local tangent plane
    /// with the ellipsoid's radii of curvature at the anchor is exact to far below that.
    pub fn coord(&self, p: Point) -> Coord<f64> {
        match *self {
            Frame::Local => Coord {
                x: round(p.x, 1e3),
                y: round(p.y, 1e3),
            },
            Frame::Wgs84 {
                origin_lonlat: [lon0, lat0],
                north_deg,
            } => {
                let n = Point::from_angle_deg(north_deg);
                let e = Point { x: n.y, y: -n.x };
                let (east, north) = (p.dot(e), p.dot(n));
                let phi = lat0.to_radians();
                let w = 1.0 - WGS84_E2 * phi.sin().powi(2);
                let meridian = WGS84_A * (1.0 - WGS84_E2) / w.powf(1.5);
                let normal = WGS84_A / w.sqrt();
                Coord {
                    x: round(lon0 + (east / (normal * phi.cos())).to_degrees(), 1e8),
                    y: round(lat0 + (north / meridian).to_degrees(), 1e8),
                }
            }
        }
    }

    fn line(&self, pts: &[Point]) -> LineString<f64> {
        LineString(pts.iter().map(|&p| self.coord(p)).collect())
    }

    /// A polygon whose exterior ring runs counter-clockwise, as RFC 7946 asks (the frames
    /// keep orientation, so the plan's orientation decides).
    fn polygon(&self, pts: &[Point]) -> Polygon<f64> {
        use geo::{Orient, orient::Direction};
        let mut ring = self.line(pts);
        ring.close();
        Polygon::new(ring, vec![]).orient(Direction::Default)
    }
}

fn round(v: f64, k: f64) -> f64 {
    (v * k).round() / k
}

/// What the export holds.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Phases whose attendees and pairs are written.
    pub phases: Vec<usize>,
    /// Pairs at this band or better are written as lines.
    pub worst: Band,
    /// Coordinate frame.
    pub frame: Frame,
}

fn feature(geometry: Geometry, properties: JsonValue) -> Feature {
    Feature {
        bbox: None,
        geometry: Some(geometry),
        id: None,
        properties: match properties {
            JsonValue::Object(o) => Some(o),
            _ => None,
        },
        foreign_members: None,
    }
}

/// The scene as a GeoJSON feature collection.
pub fn scene_features(scene: &Scene, opts: &ExportOptions) -> FeatureCollection {
    let f = &opts.frame;
    let v = &scene.venue;
    let mut features = vec![];
    if v.outline.len() >= 3 {
        features.push(feature(
            Geometry::from(&f.polygon(&v.outline)),
            json!({"kind": "venue", "name": scene.title, "height_m": v.height_m,
                   "area_m2": round(v.area_m2(), 100.0)}),
        ));
    }
    for w in &v.walls {
        features.push(feature(
            Geometry::from(&f.line(&w.points)),
            json!({"kind": "wall", "name": w.name, "attenuation_db": w.attenuation_db}),
        ));
    }
    for o in &v.obstacles {
        features.push(feature(
            Geometry::from(&f.polygon(&o.polygon)),
            json!({"kind": "obstacle", "name": o.name, "obstacle_kind": o.kind,
                   "blocks_sight": o.blocks_sight, "attenuation_db": o.attenuation_db,
                   "standable": o.standable}),
        ));
    }
    for t in &v.tables {
        let circle = crate::scene::layout::circle_polygon(t.center, t.radius_m, 32);
        features.push(feature(
            Geometry::from(&f.polygon(&circle)),
            json!({"kind": "table", "label": t.label, "radius_m": t.radius_m}),
        ));
    }
    for s in &scene.seats {
        features.push(feature(
            Geometry::from(&geo_types::Point(f.coord(s.pos))),
            json!({"kind": "seat", "label": s.label, "section": s.section,
                   "facing_deg": round(s.facing_deg, 100.0)}),
        ));
    }
    for &p in &opts.phases {
        attendee_features(scene, p, f, &mut features);
        pair_features(scene, p, opts.worst, f, &mut features);
    }
    let mut members = JsonObject::new();
    members.insert("earshot".into(), frame_member(scene, f));
    FeatureCollection {
        bbox: None,
        features,
        foreign_members: Some(members),
    }
}

/// The `earshot` foreign member: what the coordinates mean.
fn frame_member(scene: &Scene, f: &Frame) -> JsonValue {
    match *f {
        Frame::Local => json!({
            "scene": scene.title,
            "coordinates": "local plan metres (x, y); no geographic anchor: add [venue] origin_lonlat to the scene for WGS84",
        }),
        Frame::Wgs84 {
            origin_lonlat,
            north_deg,
        } => json!({
            "scene": scene.title,
            "coordinates": "WGS84 longitude, latitude (RFC 7946)",
            "origin_lonlat": origin_lonlat,
            "north_deg": north_deg,
        }),
    }
}

fn attendee_features(scene: &Scene, phase: usize, f: &Frame, out: &mut Vec<Feature>) {
    let name = &scene.phases[phase].name;
    for (i, pl) in scene.present_in(phase) {
        let a = &scene.attendees[i];
        let mut props = json!({
            "kind": "attendee", "phase": name, "index": i, "name": a.name,
            "display_name": a.display_name(),
            "presence": match a.presence { Presence::Confirmed => "confirmed", Presence::Uncertain => "uncertain" },
            "x_m": round(pl.pos.x, 1e3), "y_m": round(pl.pos.y, 1e3),
        });
        let mut more = JsonObject::new();
        let mut put = |k: &str, v: JsonValue| {
            more.insert(k.into(), v);
        };
        for (k, v) in [
            ("id", a.id()),
            ("role", Some(a.role())),
            ("group", Some(a.group())),
            ("note", Some(a.note())),
        ] {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                put(k, json!(v));
            }
        }
        if let Some(pp) = a.presence_probability() {
            put("presence_probability", json!(pp));
        }
        if let Some(s) = pl.seat_index() {
            put("seat", json!(scene.seats[s].label));
        }
        if let Some(fd) = pl.facing_deg {
            put("facing_deg", json!(round(fd, 100.0)));
        }
        match pl.spread.as_deref() {
            Some(Spread::Seats(seats)) => put(
                "candidate_seats",
                json!(
                    seats
                        .iter()
                        .map(|&s| scene.seats[s].label.as_str())
                        .collect::<Vec<_>>()
                ),
            ),
            Some(Spread::Normal { sd_m }) => put("pos_sd_m", json!(sd_m)),
            None => {}
        }
        for (k, m) in [("arrived", pl.arrived_min()), ("left", pl.left_min())] {
            if let Some(m) = m {
                put(k, json!(crate::scene::format_clock(m)));
            }
        }
        if let JsonValue::Object(o) = &mut props {
            o.append(&mut more);
        }
        out.push(feature(
            Geometry::from(&geo_types::Point(f.coord(pl.pos))),
            props,
        ));
    }
}

fn pair_features(scene: &Scene, phase: usize, worst: Band, f: &Frame, out: &mut Vec<Feature>) {
    let name = &scene.phases[phase].name;
    for p in phase_pairs(scene, phase, worst) {
        let (Some(pa), Some(pb)) = (
            scene.attendees[p.a].placement_in(phase),
            scene.attendees[p.b].placement_in(phase),
        ) else {
            continue;
        };
        out.push(feature(
            Geometry::from(&f.line(&[pa.pos, pb.pos])),
            json!({"kind": "pair", "phase": name, "a": scene.attendees[p.a].display_name(),
                   "b": scene.attendees[p.b].display_name(), "a_index": p.a, "b_index": p.b,
                   "band": p.band.key(), "band_label": p.band.label(),
                   "score": round(p.score, 1e4), "distance_m": round(p.distance_m, 1e3)}),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::physics::geometry::signed_area;

    #[test]
    fn local_frame_keeps_metres() {
        let c = Frame::Local.coord(Point {
            x: 1.23456,
            y: -2.0,
        });
        assert_eq!((c.x, c.y), (1.235, -2.0));
    }

    #[test]
    fn wgs84_frame_moves_north_and_east_by_the_right_degrees() {
        // at the equator one degree of latitude is 110,574 m and of longitude 111,320 m
        let f = Frame::Wgs84 {
            origin_lonlat: [10.0, 0.0],
            north_deg: 90.0,
        };
        let up = f.coord(Point { x: 0.0, y: 1105.74 });
        assert!(
            (up.y - 0.01).abs() < 1e-6 && (up.x - 10.0).abs() < 1e-9,
            "{up:?}"
        );
        let right = f.coord(Point { x: 1113.2, y: 0.0 });
        assert!(
            (right.x - 10.01).abs() < 1e-6 && right.y.abs() < 1e-9,
            "{right:?}"
        );
    }

    #[test]
    fn rotation_turns_the_plan() {
        // north along the plan's +x axis: +x goes north, +y goes west
        let f = Frame::Wgs84 {
            origin_lonlat: [0.0, 45.0],
            north_deg: 0.0,
        };
        let x = f.coord(Point { x: 100.0, y: 0.0 });
        assert!(x.y > 45.0 && x.x.abs() < 1e-9, "{x:?}");
        let y = f.coord(Point { x: 0.0, y: 100.0 });
        assert!(y.x < 0.0 && (y.y - 45.0).abs() < 1e-9, "{y:?}");
    }

    #[test]
    fn polygons_run_counter_clockwise() {
        let cw = [
            Point { x: 0.0, y: 0.0 },
            Point { x: 0.0, y: 1.0 },
            Point { x: 1.0, y: 1.0 },
            Point { x: 1.0, y: 0.0 },
        ];
        let p = Frame::Local.polygon(&cw);
        let ring: Vec<Point> = p
            .exterior()
            .0
            .iter()
            .map(|c| Point { x: c.x, y: c.y })
            .collect();
        assert!(signed_area(&ring) > 0.0);
        assert_eq!(p.exterior().0.first(), p.exterior().0.last(), "closed ring");
    }
}
