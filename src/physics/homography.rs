//! From a photograph to the floor: the plane-to-image homography fitted to reference points
//! (normalised direct linear transform, then Gauss–Newton on the reprojection error), and
//! floor positions with their uncertainty for pixels in the picture.
//!
//! Pixels: `u` to the right, `v` down. Floor: metres in the scene's frame.

use thiserror::Error;

/// Why a fit or a mapping was refused.
#[derive(Debug, Error, PartialEq)]
pub enum LocateError {
    /// Fewer than four reference points.
    #[error(
        "{0} reference points: expected at least four points known both in the picture and on the floor"
    )]
    TooFew(usize),
    /// No four reference points with no three of them on one line.
    #[error(
        "the reference points lie on one line (or no four of them are free of three on a line): expected points spread over the floor, such as the corners of a block of seats"
    )]
    Collinear,
    /// The fit does not explain the references.
    #[error(
        "the references do not fit one floor plane: reprojection error up to {max_px:.1} px (point {worst}), expected under {limit_px:.0} px; is a reference point's pixel or floor position mistyped?"
    )]
    PoorFit {
        /// Largest reprojection error, pixels.
        max_px: f64,
        /// 1-based index of the worst reference.
        worst: usize,
        /// The largest error accepted, pixels.
        limit_px: f64,
    },
    /// The pixel lies above the horizon of the floor plane.
    #[error(
        "the pixel ({u:.0}, {v:.0}) is above the floor's horizon in this picture: expected where the person meets the floor (feet, or a chair's foot)"
    )]
    AboveHorizon {
        /// Pixel column.
        u: f64,
        /// Pixel row.
        v: f64,
    },
}

/// Largest reprojection error a fit may leave, pixels.
pub const MAX_REPROJECTION_PX: f64 = 25.0;

/// A fitted floor-to-image homography with the covariance of its parameters.
#[derive(Debug, Clone)]
pub struct Homography {
    /// Row-major 3 × 3, `h[8] = 1`: `(u, v, 1) ∝ H · (x, y, 1)`.
    pub h: [f64; 9],
    /// Covariance of `h[0..8]`, from the refinement's residuals.
    cov: [[f64; 8]; 8],
    /// Each reference's reprojection error, pixels.
    pub residuals_px: Vec<f64>,
    /// The sign of the projective scale in front of the camera (where the references are).
    front: f64,
}

/// One reference: pixel `(u, v)` and floor `(x, y)`.
pub type Reference = (f64, f64, f64, f64);

impl Homography {
    /// Fits the homography to the references (at least four, spread over the floor).
    pub fn fit(refs: &[Reference]) -> Result<Homography, LocateError> {
        if refs.len() < 4 {
            return Err(LocateError::TooFew(refs.len()));
        }
        if !general_position(refs) {
            return Err(LocateError::Collinear);
        }
        let h = dlt(refs).ok_or(LocateError::Collinear)?;
        let (h, cov) = refine(refs, h);
        let residuals_px: Vec<f64> = refs
            .iter()
            .map(|&(u, v, x, y)| {
                let (pu, pv) = project(&h, x, y);
                (pu - u).hypot(pv - v)
            })
            .collect();
        if let Some((worst, &max_px)) = residuals_px
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .filter(|(_, e)| e.is_nan() || **e > MAX_REPROJECTION_PX)
        {
            return Err(LocateError::PoorFit {
                max_px,
                worst: worst + 1,
                limit_px: MAX_REPROJECTION_PX,
            });
        }
        let (x0, y0) = (refs[0].2, refs[0].3);
        let front = (h[6] * x0 + h[7] * y0 + h[8]).signum();
        Ok(Homography {
            h,
            cov,
            residuals_px,
            front,
        })
    }

    /// The floor point under pixel `(u, v)`, and its standard deviation per axis, metres:
    /// from the pixel's own uncertainty (`pixel_sd`) and the fit's.
    pub fn locate(&self, u: f64, v: f64, pixel_sd: f64) -> Result<(f64, f64, f64), LocateError> {
        let (x, y) =
            floor_of(&self.h, u, v, self.front).ok_or(LocateError::AboveHorizon { u, v })?;
        // the floor point as a function of the pixel and of h: its Jacobians by central
        // differences, then the covariance propagated from both
        let f = |h: &[f64; 9], u: f64, v: f64| floor_of(h, u, v, self.front).unwrap_or((x, y));
        let mut cov = [[0.0; 2]; 2];
        let d = 0.5;
        let (a, b) = (f(&self.h, u + d, v), f(&self.h, u - d, v));
        let (c, e) = (f(&self.h, u, v + d), f(&self.h, u, v - d));
        let jp = [
            [(a.0 - b.0) / (2.0 * d), (c.0 - e.0) / (2.0 * d)],
            [(a.1 - b.1) / (2.0 * d), (c.1 - e.1) / (2.0 * d)],
        ];
        let s2 = pixel_sd * pixel_sd;
        for r in 0..2 {
            for s in 0..2 {
                cov[r][s] += s2 * (jp[r][0] * jp[s][0] + jp[r][1] * jp[s][1]);
            }
        }
        let mut jh = [[0.0; 8]; 2];
        for k in 0..8 {
            let step = 1e-6 * self.h[k].abs().max(1e-6);
            let (mut hp, mut hm) = (self.h, self.h);
            hp[k] += step;
            hm[k] -= step;
            let (p, m) = (f(&hp, u, v), f(&hm, u, v));
            jh[0][k] = (p.0 - m.0) / (2.0 * step);
            jh[1][k] = (p.1 - m.1) / (2.0 * step);
        }
        for r in 0..2 {
            for s in 0..2 {
                for i in 0..8 {
                    for j in 0..8 {
                        cov[r][s] += jh[r][i] * self.cov[i][j] * jh[s][j];
                    }
                }
            }
        }
        // one spread for both axes: the root mean of the two variances
        let sd = ((cov[0][0] + cov[1][1]) / 2.0).max(0.0).sqrt();
        Ok((x, y, sd))
    }
}

/// The pixel of floor point `(x, y)`.
pub fn project(h: &[f64; 9], x: f64, y: f64) -> (f64, f64) {
    let w = h[6] * x + h[7] * y + h[8];
    (
        (h[0] * x + h[1] * y + h[2]) / w,
        (h[3] * x + h[4] * y + h[5]) / w,
    )
}

/// The floor point under pixel `(u, v)`; `None` above the horizon (the point maps back to
/// the floor behind the camera: its projective scale has not the sign `front` of points in
/// front of it), or at infinity.
pub fn floor_of(h: &[f64; 9], u: f64, v: f64, front: f64) -> Option<(f64, f64)> {
    let inv = invert3(h)?;
    let w = inv[6] * u + inv[7] * v + inv[8];
    let x = (inv[0] * u + inv[1] * v + inv[2]) / w;
    let y = (inv[3] * u + inv[4] * v + inv[5]) / w;
    // a point on the floor in front of the camera maps back with the same sign of scale as
    // the references: check by projecting forward
    let wf = h[6] * x + h[7] * y + h[8];
    (w.abs() > 1e-12 && wf * front > 0.0 && x.is_finite() && y.is_finite()).then_some((x, y))
}

fn invert3(m: &[f64; 9]) -> Option<[f64; 9]> {
    let det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6])
        + m[2] * (m[3] * m[7] - m[4] * m[6]);
    if det.abs() < 1e-15 || !det.is_finite() {
        return None;
    }
    let c = [
        m[4] * m[8] - m[5] * m[7],
        m[2] * m[7] - m[1] * m[8],
        m[1] * m[5] - m[2] * m[4],
        m[5] * m[6] - m[3] * m[8],
        m[0] * m[8] - m[2] * m[6],
        m[2] * m[3] - m[0] * m[5],
        m[3] * m[7] - m[4] * m[6],
        m[1] * m[6] - m[0] * m[7],
        m[0] * m[4] - m[1] * m[3],
    ];
    Some(c.map(|v| v / det))
}

/// Whether some four references have no three on one line (relative to their spread).
fn general_position(refs: &[Reference]) -> bool {
    let pts: Vec<(f64, f64)> = refs.iter().map(|r| (r.2, r.3)).collect();
    let span = pts
        .iter()
        .flat_map(|a| pts.iter().map(move |b| (a.0 - b.0).hypot(a.1 - b.1)))
        .fold(0.0, f64::max);
    let eps = 1e-3 * span * span;
    let area = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
        ((b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)).abs()
    };
    let n = pts.len().min(40);
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                if area(pts[i], pts[j], pts[k]) <= eps {
                    continue;
                }
                for l in k + 1..n {
                    let quad = [pts[i], pts[j], pts[k], pts[l]];
                    let free = (0..4).all(|skip| {
                        let t: Vec<(f64, f64)> =
                            (0..4).filter(|&q| q != skip).map(|q| quad[q]).collect();
                        area(t[0], t[1], t[2]) > eps
                    });
                    if free {
                        return true;
                    }
                }
            }
        }
    }
    false
}

/// Hartley's normalisation: centroid to the origin, mean distance √2.
fn normaliser(pts: &[(f64, f64)]) -> [f64; 9] {
    let n = pts.len() as f64;
    let (cx, cy) = pts
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.0 / n, b + p.1 / n));
    let mean = pts.iter().map(|p| (p.0 - cx).hypot(p.1 - cy)).sum::<f64>() / n;
    let s = if mean > 0.0 {
        std::f64::consts::SQRT_2 / mean
    } else {
        1.0
    };
    [s, 0.0, -s * cx, 0.0, s, -s * cy, 0.0, 0.0, 1.0]
}

fn mul3(a: &[f64; 9], b: &[f64; 9]) -> [f64; 9] {
    std::array::from_fn(|k| {
        let (r, c) = (k / 3, k % 3);
        (0..3).map(|i| a[r * 3 + i] * b[i * 3 + c]).sum()
    })
}

/// The direct linear transform on normalised points, with `h33 = 1`: least squares on the
/// 2n equations, by the normal equations.
fn dlt(refs: &[Reference]) -> Option<[f64; 9]> {
    let floor: Vec<(f64, f64)> = refs.iter().map(|r| (r.2, r.3)).collect();
    let image: Vec<(f64, f64)> = refs.iter().map(|r| (r.0, r.1)).collect();
    let (tf, ti) = (normaliser(&floor), normaliser(&image));
    let apply = |t: &[f64; 9], p: (f64, f64)| (t[0] * p.0 + t[2], t[4] * p.1 + t[5]);
    let mut ata = [[0.0; 8]; 8];
    let mut atb = [0.0; 8];
    for (f, i) in floor.iter().zip(&image) {
        let (x, y) = apply(&tf, *f);
        let (u, v) = apply(&ti, *i);
        for (row, rhs) in [
            ([x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y], u),
            ([0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y], v),
        ] {
            for a in 0..8 {
                atb[a] += row[a] * rhs;
                for b in 0..8 {
                    ata[a][b] += row[a] * row[b];
                }
            }
        }
    }
    let p = solve8(ata, atb)?;
    let hn = [p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], 1.0];
    // undo the normalisation: H = Ti⁻¹ · Hn · Tf
    let ti_inv = invert3(&ti)?;
    let h = mul3(&mul3(&ti_inv, &hn), &tf);
    (h[8].abs() > 1e-15).then(|| h.map(|v| v / h[8]))
}

/// Gauss–Newton on the reprojection error over `h[0..8]`; the covariance of the parameters
/// from the residuals (at least one pixel of noise is assumed).
fn refine(refs: &[Reference], mut h: [f64; 9]) -> ([f64; 9], [[f64; 8]; 8]) {
    let jacobian = |h: &[f64; 9]| {
        let mut rows = Vec::with_capacity(refs.len() * 2);
        for &(u, v, x, y) in refs {
            let w = h[6] * x + h[7] * y + h[8];
            let (pu, pv) = project(h, x, y);
            rows.push((
                [
                    x / w,
                    y / w,
                    1.0 / w,
                    0.0,
                    0.0,
                    0.0,
                    -pu * x / w,
                    -pu * y / w,
                ],
                u - pu,
            ));
            rows.push((
                [
                    0.0,
                    0.0,
                    0.0,
                    x / w,
                    y / w,
                    1.0 / w,
                    -pv * x / w,
                    -pv * y / w,
                ],
                v - pv,
            ));
        }
        rows
    };
    for _ in 0..20 {
        let rows = jacobian(&h);
        let (mut jtj, mut jtr) = ([[0.0; 8]; 8], [0.0; 8]);
        for (j, r) in &rows {
            for a in 0..8 {
                jtr[a] += j[a] * r;
                for b in 0..8 {
                    jtj[a][b] += j[a] * j[b];
                }
            }
        }
        let Some(step) = solve8(jtj, jtr) else { break };
        for k in 0..8 {
            h[k] += step[k];
        }
        if step
            .iter()
            .zip(&h)
            .all(|(s, v)| s.abs() <= 1e-12 * v.abs().max(1e-9))
        {
            break;
        }
    }
    let rows = jacobian(&h);
    let mut jtj = [[0.0; 8]; 8];
    let mut ss = 0.0;
    for (j, r) in &rows {
        ss += r * r;
        for a in 0..8 {
            for b in 0..8 {
                jtj[a][b] += j[a] * j[b];
            }
        }
    }
    let dof = rows.len().saturating_sub(8);
    let sigma2 = if dof > 0 {
        (ss / dof as f64).max(1.0)
    } else {
        1.0
    };
    let mut cov = [[0.0; 8]; 8];
    for k in 0..8 {
        let mut e = [0.0; 8];
        e[k] = 1.0;
        if let Some(col) = solve8(jtj, e) {
            for r in 0..8 {
                cov[r][k] = col[r] * sigma2;
            }
        }
    }
    (h, cov)
}

/// Solves an 8 × 8 linear system by Gaussian elimination with partial pivoting.
fn solve8(mut a: [[f64; 8]; 8], mut b: [f64; 8]) -> Option<[f64; 8]> {
    for c in 0..8 {
        let p = (c..8).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[p][c].abs() < 1e-300 {
            return None;
        }
        a.swap(c, p);
        b.swap(c, p);
        let pivot = a[c];
        for r in c + 1..8 {
            let f = a[r][c] / pivot[c];
            for (x, p) in a[r][c..].iter_mut().zip(&pivot[c..]) {
                *x -= f * p;
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = [0.0; 8];
    for c in (0..8).rev() {
        let s: f64 = (c + 1..8).map(|k| a[c][k] * x[k]).sum();
        x[c] = (b[c] - s) / a[c][c];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pinhole camera: position, height, heading (degrees from +x), pitch down (degrees),
    /// focal length in pixels, image 1920 × 1080.
    struct Camera {
        pos: (f64, f64),
        height: f64,
        heading: f64,
        pitch: f64,
        focal_px: f64,
    }

    impl Camera {
        fn pixel(&self, x: f64, y: f64) -> Option<(f64, f64)> {
            let (h, p) = (self.heading.to_radians(), self.pitch.to_radians());
            let (dx, dy, dz) = (x - self.pos.0, y - self.pos.1, -self.height);
            // camera axes: forward (heading, pitched down), right, and down = forward × right
            let fwd = (h.cos() * p.cos(), h.sin() * p.cos(), -p.sin());
            let right = (h.sin(), -h.cos(), 0.0);
            let down = (
                fwd.1 * right.2 - fwd.2 * right.1,
                fwd.2 * right.0 - fwd.0 * right.2,
                fwd.0 * right.1 - fwd.1 * right.0,
            );
            let dot = |a: (f64, f64, f64)| a.0 * dx + a.1 * dy + a.2 * dz;
            let z = dot(fwd);
            (z > 0.1).then(|| {
                (
                    960.0 + self.focal_px * dot(right) / z,
                    540.0 + self.focal_px * dot(down) / z,
                )
            })
        }
    }

    /// Deterministic normal noise (Box–Muller on a small generator).
    fn noise(seed: &mut u64) -> f64 {
        let mut next = || {
            *seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((*seed >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        let (a, b) = (next(), next());
        (-2.0 * a.ln()).sqrt() * (std::f64::consts::TAU * b).cos()
    }

    fn camera() -> Camera {
        Camera {
            pos: (0.0, -4.0),
            height: 1.6,
            heading: 90.0,
            pitch: 8.0,
            focal_px: 1500.0,
        }
    }

    #[test]
    fn recovers_people_within_ten_centimetres_and_says_how_sure() {
        let cam = camera();
        let mut seed = 3u64;
        let (mut sq, mut located, mut inside, mut axes) = (0.0, 0, 0, 0);
        // each trial: six references spread over the floor with one pixel of noise, a fit,
        // and twenty people out to 15 m from the camera, clicked with one pixel of noise
        for trial in 0..50 {
            let refs: Vec<Reference> = [
                (-3.0, 2.0),
                (3.0, 2.0),
                (-4.0, 8.0),
                (4.0, 8.0),
                (0.0, 5.0),
                (-2.0, 11.0),
            ]
            .iter()
            .map(|&(x, y)| {
                let (u, v) = cam.pixel(x, y).unwrap_or((0.0, 0.0));
                (u + noise(&mut seed), v + noise(&mut seed), x, y)
            })
            .collect();
            let h = Homography::fit(&refs).unwrap_or_else(|e| panic!("{e}"));
            for k in 0..20 {
                let x = -4.0 + 8.0 * ((k * 7 + trial) % 20) as f64 / 19.0;
                let y = 1.0 + 10.0 * ((k * 13 + trial * 3) % 20) as f64 / 19.0;
                let Some((u, v)) = cam.pixel(x, y) else {
                    continue;
                };
                let (u, v) = (u + noise(&mut seed), v + noise(&mut seed));
                let (ex, ey, sd) = h.locate(u, v, 1.0).unwrap_or_else(|e| panic!("{e}"));
                sq += (ex - x).powi(2) + (ey - y).powi(2);
                located += 1;
                inside += usize::from((ex - x).abs() <= sd) + usize::from((ey - y).abs() <= sd);
                axes += 2;
            }
        }
        let rms = (sq / located as f64).sqrt();
        let coverage = inside as f64 / axes as f64;
        eprintln!(
            "RMS {rms:.3} m over {located} people; one pos_sd_m covers {coverage:.2} per axis"
        );
        assert!(rms < 0.10, "RMS error {rms:.3} m");
        assert!(
            (0.6..=0.8).contains(&coverage),
            "one pos_sd_m covers {coverage:.2} of the errors"
        );
    }

    #[test]
    fn degenerate_references_are_refused() {
        let cam = camera();
        let on = |x: f64, y: f64| {
            let (u, v) = cam.pixel(x, y).unwrap_or((0.0, 0.0));
            (u, v, x, y)
        };
        assert_eq!(
            Homography::fit(&[on(0.0, 2.0), on(1.0, 3.0), on(2.0, 5.0)]).err(),
            Some(LocateError::TooFew(3))
        );
        let line: Vec<Reference> = (0..6).map(|k| on(k as f64, 2.0 + k as f64)).collect();
        assert_eq!(Homography::fit(&line).err(), Some(LocateError::Collinear));
        let mut bad: Vec<Reference> =
            [(-3.0, 2.0), (3.0, 2.0), (-4.0, 8.0), (4.0, 8.0), (0.0, 5.0)]
                .iter()
                .map(|&(x, y)| on(x, y))
                .collect();
        bad[4].0 += 300.0; // a mistyped pixel
        assert!(matches!(
            Homography::fit(&bad),
            Err(LocateError::PoorFit { .. })
        ));
        let good: Vec<Reference> = [(-3.0, 2.0), (3.0, 2.0), (-4.0, 8.0), (4.0, 8.0)]
            .iter()
            .map(|&(x, y)| on(x, y))
            .collect();
        let h = Homography::fit(&good).unwrap_or_else(|e| panic!("{e}"));
        // high in the picture, above the floor's horizon
        assert!(matches!(
            h.locate(960.0, 100.0, 1.0),
            Err(LocateError::AboveHorizon { .. })
        ));
    }
}
