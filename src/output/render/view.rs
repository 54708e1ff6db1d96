//! What a camera would see: the scene in perspective beside the floor plan with the camera's
//! field of view, to show how a long lens squeezes rows together.

use super::{bbox, palette, xml_escape};
use crate::physics::geometry::Point;
use crate::scene::Scene;
use std::fmt::Write as _;

/// A camera on the floor plan.
#[derive(Debug, Clone, Copy)]
pub struct Camera {
    /// Where it stands, metres.
    pub pos: Point,
    /// Lens height above the floor, metres.
    pub height_m: f64,
    /// Where it points, degrees counter-clockwise from +x.
    pub heading_deg: f64,
    /// How far it tilts down, degrees.
    pub pitch_deg: f64,
    /// Focal length, millimetres.
    pub focal_mm: f64,
    /// Sensor width, millimetres (36: full frame).
    pub sensor_mm: f64,
}

/// Picture size, pixels (16:9).
const W: f64 = 960.0;
const H: f64 = 540.0;

impl Camera {
    fn focal_px(&self) -> f64 {
        self.focal_mm / self.sensor_mm * W
    }

    /// Half the horizontal field of view, degrees.
    pub fn half_fov_deg(&self) -> f64 {
        (self.sensor_mm / 2.0 / self.focal_mm).atan().to_degrees()
    }

    /// The camera's axes: forward, right, down.
    fn axes(&self) -> ([f64; 3], [f64; 3], [f64; 3]) {
        let (h, p) = (self.heading_deg.to_radians(), self.pitch_deg.to_radians());
        let fwd = [h.cos() * p.cos(), h.sin() * p.cos(), -p.sin()];
        let right = [h.sin(), -h.cos(), 0.0];
        let down = [
            fwd[1] * right[2] - fwd[2] * right[1],
            fwd[2] * right[0] - fwd[0] * right[2],
            fwd[0] * right[1] - fwd[1] * right[0],
        ];
        (fwd, right, down)
    }

    /// Depth along the view axis and picture position of a point `z` metres above the floor;
    /// `None` behind the camera.
    pub fn project(&self, p: Point, z: f64) -> Option<(f64, f64, f64)> {
        let d = [p.x - self.pos.x, p.y - self.pos.y, z - self.height_m];
        let (fwd, right, down) = self.axes();
        let dot = |a: [f64; 3]| a[0] * d[0] + a[1] * d[1] + a[2] * d[2];
        let depth = dot(fwd);
        (depth > 0.05).then(|| {
            let f = self.focal_px();
            (
                depth,
                W / 2.0 + f * dot(right) / depth,
                H / 2.0 + f * dot(down) / depth,
            )
        })
    }
}

/// What `view` writes about a pair: their distance on the floor and how far apart they look.
#[derive(Debug, Clone, PartialEq)]
pub struct PairLook {
    /// Distance on the floor, metres.
    pub floor_m: f64,
    /// Their separation in the picture, as metres in the picture plane at the nearer one's
    /// depth.
    pub picture_m: f64,
}

/// The pair's floor distance and apparent separation (at standing-chest height, 1.2 m).
pub fn pair_look(camera: &Camera, a: Point, b: Point) -> Option<PairLook> {
    let (da, ua, va) = camera.project(a, 1.2)?;
    let (db, ub, vb) = camera.project(b, 1.2)?;
    let near = da.min(db);
    Some(PairLook {
        floor_m: a.distance(b),
        picture_m: (ua - ub).hypot(va - vb) * near / camera.focal_px(),
    })
}

/// The side-by-side SVG: the picture, and the plan with the field of view.
pub fn view_svg(scene: &Scene, phase: usize, camera: &Camera, focus: &[usize]) -> String {
    let mut svg = String::with_capacity(64 * 1024);
    let plan_w = 420.0;
    let total_w = W + plan_w + 60.0;
    let total_h = H + 120.0;
    let _ = writeln!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{total_w}" height="{total_h}" viewBox="0 0 {total_w} {total_h}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif">
<rect width="{total_w}" height="{total_h}" fill="#ffffff"/>
<text x="20" y="26" font-size="18" font-weight="bold" fill="{ink}">{}</text>
<text x="20" y="46" font-size="12" fill="#555555">Phase “{}” as a camera at ({:.1}, {:.1}) m, {:.1} m high, {:.0} mm lens on a {:.0} mm sensor, would see it (an assumed camera)</text>"##,
        xml_escape(&scene.title),
        xml_escape(&scene.phases[phase].name),
        camera.pos.x,
        camera.pos.y,
        camera.height_m,
        camera.focal_mm,
        camera.sensor_mm,
        ink = palette::INK
    );
    let _ = writeln!(
        svg,
        r##"<g id="picture" transform="translate(20,60)"><rect width="{W}" height="{H}" fill="#f4f1ea" stroke="#999999"/><clipPath id="frame"><rect width="{W}" height="{H}"/></clipPath><g clip-path="url(#frame)">"##
    );
    draw_floor_grid(&mut svg, scene, camera);
    draw_figures(&mut svg, scene, phase, camera, focus);
    let _ = writeln!(svg, "</g></g>");
    draw_plan(
        &mut svg,
        scene,
        phase,
        camera,
        focus,
        W + 40.0,
        60.0,
        plan_w,
        H,
    );
    if let [a, b] = focus {
        let (pa, pb) = (
            scene.attendees[*a].placement_in(phase),
            scene.attendees[*b].placement_in(phase),
        );
        if let (Some(pa), Some(pb)) = (pa, pb) {
            if let Some(look) = pair_look(camera, pa.pos, pb.pos) {
                let _ = writeln!(
                    svg,
                    r##"<text id="pair-look" x="20" y="{}" font-size="13" fill="{}">{} and {}: {:.1} m apart in the picture plane at the nearer one's depth; {:.1} m apart on the floor.</text>"##,
                    H + 90.0,
                    palette::INK,
                    xml_escape(&scene.attendees[*a].display_name()),
                    xml_escape(&scene.attendees[*b].display_name()),
                    look.picture_m,
                    look.floor_m
                );
            }
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// Floor lines every metre across the venue, in perspective (each line cut where it passes
/// behind the camera).
fn draw_floor_grid(svg: &mut String, scene: &Scene, camera: &Camera) {
    let outline = &scene.venue.outline;
    let Some((x0, y0, x1, y1)) = bbox(outline.iter().copied()) else {
        return;
    };
    let mut line = |a: Point, b: Point, stroke: &str| {
        // sampled, so that the part in front of the camera is drawn
        let pts: Vec<String> = (0..=40)
            .filter_map(|k| {
                let t = k as f64 / 40.0;
                let p = Point::new(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
                camera
                    .project(p, 0.0)
                    .map(|(_, u, v)| format!("{u:.1},{v:.1}"))
            })
            .collect();
        if pts.len() > 1 {
            let _ = writeln!(
                svg,
                r##"<polyline points="{}" fill="none" stroke="{stroke}" stroke-width="0.8"/>"##,
                pts.join(" ")
            );
        }
    };
    let mut x = x0.floor();
    while x <= x1 {
        line(Point::new(x, y0), Point::new(x, y1), "#d8d2c4");
        x += 1.0;
    }
    let mut y = y0.floor();
    while y <= y1 {
        line(Point::new(x0, y), Point::new(x1, y), "#d8d2c4");
        y += 1.0;
    }
    for k in 0..outline.len() {
        line(outline[k], outline[(k + 1) % outline.len()], "#555555");
    }
}

/// Everyone present as an upright figure (1.7 m standing, 1.3 m seated), farthest first.
fn draw_figures(svg: &mut String, scene: &Scene, phase: usize, camera: &Camera, focus: &[usize]) {
    let mut figures: Vec<(f64, usize, f64, f64, f64, f64)> = scene
        .present_in(phase)
        .into_iter()
        .filter_map(|(i, p)| {
            let tall = if p.seat.is_some() { 1.3 } else { 1.7 };
            let (depth, u, foot) = camera.project(p.pos, 0.0)?;
            let (_, _, head) = camera.project(p.pos, tall)?;
            let half = 0.22 * camera.focal_px() / depth;
            Some((depth, i, u, foot, head, half))
        })
        .collect();
    figures.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let outlines: Vec<(usize, f64, f64, f64, f64)> = figures
        .iter()
        .filter(|f| focus.contains(&f.1))
        .map(|f| (f.1, f.2, f.3, f.4, f.5))
        .collect();
    for (depth, i, u, foot, head, half) in figures {
        let is_focus = focus.contains(&i);
        let colour = if is_focus {
            palette::FOCUS
        } else {
            palette::PERSON
        };
        let r = half * 0.8;
        let _ = writeln!(
            svg,
            r##"<g class="figure{}"><title>{} ({:.1} m from the camera)</title><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="{:.1}" fill="{colour}" stroke="#ffffff" stroke-width="0.6"/><circle cx="{u:.1}" cy="{:.1}" r="{:.1}" fill="{colour}" stroke="#ffffff" stroke-width="0.6"/></g>"##,
            if is_focus { " focus" } else { "" },
            xml_escape(&scene.attendees[i].display_name()),
            depth,
            u - half,
            head + r,
            2.0 * half,
            (foot - head - r).max(0.0),
            half * 0.5,
            head + r * 0.2,
            r
        );
    }
    // the focus people's outlines on top, dashed: seen through whoever stands in front
    for (i, u, foot, head, half) in outlines {
        let r = half * 0.8;
        let _ = writeln!(
            svg,
            r##"<g class="focus-outline"><title>{}</title><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="{:.1}" fill="none" stroke="{}" stroke-width="2.5" stroke-dasharray="6 3"/><circle cx="{u:.1}" cy="{:.1}" r="{:.1}" fill="none" stroke="{}" stroke-width="2.5" stroke-dasharray="6 3"/><text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="13" font-weight="bold" fill="{}" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text></g>"##,
            xml_escape(&scene.attendees[i].display_name()),
            u - half,
            head + r,
            2.0 * half,
            (foot - head - r).max(0.0),
            half * 0.5,
            palette::FOCUS,
            head + r * 0.2,
            r,
            palette::FOCUS,
            u.clamp(70.0, W - 70.0),
            (head - r - 6.0).clamp(14.0, H - 6.0),
            palette::INK,
            xml_escape(&scene.attendees[i].display_name())
        );
    }
}

/// The floor plan with the camera and its field of view as a wedge.
#[allow(clippy::too_many_arguments)]
fn draw_plan(
    svg: &mut String,
    scene: &Scene,
    phase: usize,
    camera: &Camera,
    focus: &[usize],
    ox: f64,
    oy: f64,
    w: f64,
    h: f64,
) {
    let corners = scene.venue.outline.iter().copied().chain([camera.pos]);
    let (x0, y0, x1, y1) = bbox(corners).unwrap_or((0.0, 0.0, 1.0, 1.0));
    let s = ((w - 20.0) / (x1 - x0).max(1.0)).min((h - 20.0) / (y1 - y0).max(1.0));
    let fx = |p: Point| ox + 10.0 + (p.x - x0) * s;
    let fy = |p: Point| oy + h - 10.0 - (p.y - y0) * s;
    let _ = writeln!(
        svg,
        r##"<g id="plan"><rect x="{ox}" y="{oy}" width="{w}" height="{h}" fill="#fafaf7" stroke="#999999"/>"##
    );
    let outline: Vec<String> = scene
        .venue
        .outline
        .iter()
        .map(|p| format!("{:.1},{:.1}", fx(*p), fy(*p)))
        .collect();
    let _ = writeln!(
        svg,
        r##"<polygon points="{}" fill="none" stroke="#555555" stroke-width="1.2"/>"##,
        outline.join(" ")
    );
    // the field of view, out to the far side of the plan
    let reach = (x1 - x0).hypot(y1 - y0);
    let half = camera.half_fov_deg();
    let edge = |deg: f64| {
        let a = (camera.heading_deg + deg).to_radians();
        Point::new(
            camera.pos.x + reach * a.cos(),
            camera.pos.y + reach * a.sin(),
        )
    };
    let (l, r) = (edge(half), edge(-half));
    let _ = writeln!(
        svg,
        r##"<clipPath id="plan-clip"><rect x="{ox}" y="{oy}" width="{w}" height="{h}"/></clipPath><polygon id="field-of-view" clip-path="url(#plan-clip)" points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{}" fill-opacity="0.12" stroke="{}" stroke-dasharray="4 3"><title>field of view: {:.1}° across</title></polygon>"##,
        fx(camera.pos),
        fy(camera.pos),
        fx(l),
        fy(l),
        fx(r),
        fy(r),
        palette::FOCUS,
        palette::FOCUS,
        2.0 * half
    );
    for (i, p) in scene.present_in(phase) {
        let is_focus = focus.contains(&i);
        let _ = writeln!(
            svg,
            r##"<circle cx="{:.1}" cy="{:.1}" r="{}" fill="{}"><title>{}</title></circle>"##,
            fx(p.pos),
            fy(p.pos),
            if is_focus { 4.0 } else { 2.2 },
            if is_focus {
                palette::FOCUS
            } else {
                palette::PERSON
            },
            xml_escape(&scene.attendees[i].display_name())
        );
    }
    let _ = writeln!(
        svg,
        r##"<g id="camera"><circle cx="{:.1}" cy="{:.1}" r="5" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="11" fill="{}">camera</text></g></g>"##,
        fx(camera.pos),
        fy(camera.pos),
        palette::INK,
        fx(camera.pos) + 8.0,
        fy(camera.pos) + 4.0,
        palette::INK
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_lens_squeezes_depth_but_not_width() {
        let cam = Camera {
            pos: Point::new(0.0, -20.0),
            height_m: 1.6,
            heading_deg: 90.0,
            pitch_deg: 0.0,
            focal_mm: 200.0,
            sensor_mm: 36.0,
        };
        // two people four rows (3.6 m) apart along the line of sight, 0.5 m to the side
        let look = pair_look(&cam, Point::new(0.0, 0.0), Point::new(0.5, 3.6))
            .unwrap_or_else(|| panic!("in front"));
        assert!((look.floor_m - 3.63).abs() < 0.01, "{look:?}");
        // in the picture they are about as far apart as the sideways step, not the rows
        assert!(look.picture_m < 0.6, "{look:?}");
        // side by side, across the line of sight, the picture keeps the distance
        let side = pair_look(&cam, Point::new(0.0, 0.0), Point::new(1.0, 0.0))
            .unwrap_or_else(|| panic!("in front"));
        assert!((side.picture_m - 1.0).abs() < 0.01, "{side:?}");
        assert!(
            cam.project(Point::new(0.0, -25.0), 1.0).is_none(),
            "behind the camera"
        );
    }
}
