//! Realistic, deterministic scenes for benchmarks and demos: a stadium, a banquet hall, a
//! standing reception. The same kind, size and seed always give the same files.

use crate::physics::geometry::Point;
use std::fmt::Write as _;
use std::ops::{Add, Sub};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Four stands of theatre rows around a pitch.
    Stadium,
    /// Round tables of ten in a hall.
    Banquet,
    /// People standing in conversational groups, with a few on their own.
    Reception,
    /// Many snapshots of standing groups with their true groups, for measuring the detector.
    Groups,
    /// The same as real recordings make it hard: groups standing close, two facing rows,
    /// noisy positions and facings, facings quantised to four directions in half the
    /// snapshots, and people the tracker missed.
    GroupsHard,
}

/// How hard a reception is to read.
#[derive(Debug, Clone, Copy)]
struct Difficulty {
    /// Floor per person, square metres.
    area_m2: f64,
    /// Least distance between members of different groups, metres.
    gap_m: f64,
    /// Position noise, ± metres per axis.
    pos_noise_m: f64,
    /// Facing noise, ± degrees.
    facing_noise_deg: f64,
    /// Whether groups of four to six may stand in two facing rows.
    rows: bool,
    /// Least distance between members of one group after the noise, metres.
    member_gap_m: f64,
}

const EASY: Difficulty = Difficulty {
    area_m2: 2.5,
    gap_m: 1.3,
    pos_noise_m: 0.15,
    facing_noise_deg: 20.0,
    rows: false,
    member_gap_m: 0.0,
};

const HARD: Difficulty = Difficulty {
    area_m2: 1.8,
    gap_m: 0.8,
    pos_noise_m: 0.25,
    facing_noise_deg: 35.0,
    rows: true,
    member_gap_m: 0.45,
};

/// In the hard snapshots: the share of people the tracker misses, and of snapshots whose
/// facings come in quarter turns.
const MISSED: f64 = 0.1;
const QUANTISED_FRAMES: f64 = 0.5;

/// A generated scene: the text of `scene.toml` and `people.csv`.
#[derive(Debug, Clone)]
pub struct Generated {
    /// `scene.toml`
    pub scene_toml: String,
    /// `people.csv`
    pub people_csv: String,
    /// Number of people written.
    pub people: usize,
    /// `truth.csv` (`phase,group,name`) for kinds that know their groups.
    pub truth_csv: Option<String>,
}

/// SplitMix64: a small, fast, well-distributed generator; enough for layouts.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [a, b).
    pub fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.unit()
    }
    /// Uniform integer in [0, n).
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }
}

fn num(v: f64) -> String {
    let s = format!("{:.3}", v + 0.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Generates a scene of about `seats` places.
pub fn generate(kind: Kind, seats: usize, seed: u64) -> Generated {
    match kind {
        Kind::Stadium => stadium(seats.max(8), seed),
        Kind::Banquet => banquet(seats.max(10), seed),
        Kind::Reception => reception(seats.max(2), seed),
        Kind::Groups => group_snapshots(seats.max(2), 20, seed, false),
        Kind::GroupsHard => group_snapshots(seats.max(2), 20, seed, true),
    }
}

/// Four stands facing a 105 m × 68 m pitch, seats 0.5 m wide, rows 0.8 m apart, blocks of 28
/// seats between 1.2 m aisles; rows are added until the seats are reached. Everyone is seated.
fn stadium(seats: usize, seed: u64) -> Generated {
    let mut rng = Rng::new(seed);
    let rows = stadium_rows(seats);
    let depth = rows as f64 * STAND.row_pitch;
    let mut toml = stadium_toml(seats, seed, depth);
    let (people_csv, written) = stadium_seats(seats, rows);
    let _ = rng.next_u64();
    let _ = writeln!(
        toml,
        "[[phase]]\nname = \"match\"\nfrom = \"15:00\"\nto = \"16:45\"\nnoise_dba = 85\nmobility = \"seated\""
    );
    Generated {
        scene_toml: toml,
        people_csv,
        people: written,
        truth_csv: None,
    }
}

/// The stadium's dimensions: pitch, seat and row pitch, seats per block, aisle, and the gap
/// between pitch and front row, metres.
struct Stand {
    pitch_w: f64,
    pitch_h: f64,
    seat_pitch: f64,
    row_pitch: f64,
    block: u32,
    aisle: f64,
    margin: f64,
}

const STAND: Stand = Stand {
    pitch_w: 105.0,
    pitch_h: 68.0,
    seat_pitch: 0.5,
    row_pitch: 0.8,
    block: 28,
    aisle: 1.2,
    margin: 6.0,
};

impl Stand {
    /// Seats in a row `len` metres long: whole blocks between aisles, at least one block.
    fn per_row(&self, len: f64) -> u32 {
        let raw = ((len + self.aisle) / (self.seat_pitch * self.block as f64 + self.aisle)).floor()
            as u32
            * self.block;
        raw.max(self.block)
    }
}

/// Rows needed on every side for `seats` (seats per row grow with depth).
fn stadium_rows(seats: usize) -> usize {
    let s = &STAND;
    let mut rows = 1usize;
    loop {
        let total: usize = (0..rows)
            .map(|r| {
                let grow = 2.0 * r as f64 * s.row_pitch;
                2 * s.per_row(s.pitch_w + grow) as usize + 2 * s.per_row(s.pitch_h + grow) as usize
            })
            .sum();
        if total >= seats {
            return rows;
        }
        rows += 1;
    }
}

/// The stadium's scene.toml up to its phases: outline around stands `depth` deep, the pitch.
fn stadium_toml(seats: usize, seed: u64, depth: f64) -> String {
    let (pw, ph, margin) = (STAND.pitch_w, STAND.pitch_h, STAND.margin);
    let (hx, hy) = (
        pw / 2.0 + margin + depth + 3.0,
        ph / 2.0 + margin + depth + 3.0,
    );
    let mut toml = String::new();
    let _ = writeln!(
        toml,
        "# generated by `earshot generate stadium --seats {seats} --seed {seed}`"
    );
    let _ = writeln!(
        toml,
        "title = \"Stadium ({seats} seats, generated)\"\npeople = \"people.csv\"\n"
    );
    let _ = writeln!(
        toml,
        "[venue]\noutline = [[{}, {}], [{}, {}], [{}, {}], [{}, {}]]",
        num(-hx),
        num(-hy),
        num(hx),
        num(-hy),
        num(hx),
        num(hy),
        num(-hx),
        num(hy)
    );
    let _ = writeln!(toml, "height_m = 30\nvolume_m3 = 2000000\nrt60_s = 1.5\n");
    let _ = writeln!(
        toml,
        "[[venue.obstacle]]\nname = \"pitch\"\nkind = \"pitch\"\npolygon = [[{}, {}], [{}, {}], [{}, {}], [{}, {}]]\nblocks_sight = false\nattenuation_db = 0\nstandable = true\n",
        num(-pw / 2.0),
        num(-ph / 2.0),
        num(pw / 2.0),
        num(-ph / 2.0),
        num(pw / 2.0),
        num(ph / 2.0),
        num(-pw / 2.0),
        num(ph / 2.0)
    );
    toml
}

/// The seats, row by row from the front of each stand, every fan facing the pitch; the CSV
/// and how many were written.
fn stadium_seats(seats: usize, rows: usize) -> (String, usize) {
    let s = &STAND;
    let (pw, ph, margin) = (s.pitch_w, s.pitch_h, s.margin);
    let (pitch, row_pitch, block, aisle) = (s.seat_pitch, s.row_pitch, s.block, s.aisle);
    let mut csv = String::with_capacity(seats * 40);
    csv.push_str("name,x,y,facing,group\n");
    let mut written = 0usize;
    // each stand: facing towards the pitch; rows numbered from the front
    let stands = [
        ("N", 270.0, Point::new(0.0, 1.0), pw),
        ("S", 90.0, Point::new(0.0, -1.0), pw),
        ("E", 180.0, Point::new(1.0, 0.0), ph),
        ("W", 0.0, Point::new(-1.0, 0.0), ph),
    ];
    for (name, facing, out, len) in stands {
        let forward = Point::from_angle_deg(facing);
        let right = forward.rotate_deg(-90.0);
        let front = if out.x == 0.0 { ph / 2.0 } else { pw / 2.0 } + margin;
        for r in 0..rows {
            let n = s.per_row(len + 2.0 * r as f64 * row_pitch);
            let width = n as f64 * pitch + (n / block - 1) as f64 * aisle - pitch;
            let centre = out.scale(front + r as f64 * row_pitch);
            let start = centre.sub(right.scale(width / 2.0));
            let mut offset = 0.0;
            for k in 0..n {
                if k > 0 {
                    offset += pitch;
                    if k % block == 0 {
                        offset += aisle;
                    }
                }
                if written >= seats {
                    break;
                }
                let p = start.add(right.scale(offset));
                let _ = writeln!(
                    csv,
                    "Fan {:07},{},{},{},{name} stand",
                    written + 1,
                    num(p.x),
                    num(p.y),
                    num(facing)
                );
                written += 1;
            }
        }
    }
    (csv, written)
}

/// Tables of ten (72-inch rounds) on a 4 m grid, about 8 % of chairs empty.
fn banquet(seats: usize, seed: u64) -> Generated {
    let mut rng = Rng::new(seed);
    let tables = seats.div_ceil(10);
    let cols = ((tables as f64).sqrt() * 1.3).ceil() as usize;
    let rows = tables.div_ceil(cols);
    let (w, h) = (cols as f64 * 4.0 + 4.0, rows as f64 * 4.0 + 4.0);
    let mut toml = String::new();
    let _ = writeln!(
        toml,
        "# generated by `earshot generate banquet --seats {seats} --seed {seed}`"
    );
    let _ = writeln!(
        toml,
        "title = \"Banquet ({seats} places, generated)\"\npeople = \"people.csv\"\n"
    );
    let _ = writeln!(
        toml,
        "[venue]\noutline = [[0, 0], [{}, 0], [{}, {}], [0, {}]]\nheight_m = 5\nrt60_s = 1.2\n",
        num(w),
        num(w),
        num(h),
        num(h)
    );
    let mut csv = String::from("name,seat,group\n");
    let mut written = 0;
    for t in 0..tables {
        let (c, r) = (t % cols, t / cols);
        let _ = writeln!(
            toml,
            "[[seating.table]]\nlabel = \"T{}\"\ncenter = [{}, {}]\nradius_m = 0.915\nchairs = 10\n",
            t + 1,
            num(4.0 + c as f64 * 4.0),
            num(4.0 + r as f64 * 4.0)
        );
        for chair in 1..=10 {
            if written >= seats {
                break;
            }
            if rng.unit() < 0.08 {
                continue;
            }
            let _ = writeln!(
                csv,
                "Guest {:06},T{}-{chair},table {}",
                written + 1,
                t + 1,
                t + 1
            );
            written += 1;
        }
    }
    let _ = writeln!(
        toml,
        "[[phase]]\nname = \"dinner\"\nfrom = \"19:00\"\nto = \"21:00\"\nnoise_dba = 68\nmobility = \"seated\"\n"
    );
    let _ = writeln!(
        toml,
        "[[phase]]\nname = \"dancing\"\nfrom = \"21:00\"\nto = \"23:00\"\nnoise_dba = 85\nmobility = \"mingling\""
    );
    Generated {
        scene_toml: toml,
        people_csv: csv,
        people: written,
        truth_csv: None,
    }
}

/// A standing reception: conversational groups of 2 to 6 (circles facing their centre,
/// vis-à-vis pairs, L-shapes and side-by-side pairs) and about 10 % of people on their own,
/// at about 2.5 m² per person, 1.3 m or more from anyone outside their group. The `group` column holds the true group (empty when alone).
fn reception(people: usize, seed: u64) -> Generated {
    reception_with(people, seed, &EASY)
}

fn reception_with(people: usize, seed: u64, how: &Difficulty) -> Generated {
    let mut rng = Rng::new(seed);
    // 2.5 m² per person leaves room between groups, so that each stays recognisable
    let side = (people as f64 * how.area_m2).sqrt().max(6.0);
    let toml = reception_toml(people, seed, side);
    let mut csv = String::from("name,x,y,facing,group\n");
    let mut placed: Vec<Point> = Vec::new();
    let mut written = 0;
    let mut group = 0;
    let free = |placed: &[Point], p: Point| placed.iter().all(|q| q.distance(p) > 0.55);
    let mut attempts = 0;
    while written < people && attempts < people * 50 {
        attempts += 1;
        let centre = Point::new(rng.range(1.2, side - 1.2), rng.range(1.2, side - 1.2));
        let alone = rng.unit() < 0.1 || people - written == 1;
        let (members, shape): (Vec<(Point, f64)>, &str) = if alone {
            (vec![(centre, rng.range(0.0, 360.0))], "")
        } else {
            let k = (2 + rng.below(5)).min(people - written);
            if how.rows && k >= 4 && rng.unit() < 0.4 {
                two_rows(&mut rng, centre, k)
            } else {
                group_shape(&mut rng, centre, k)
            }
        };
        // position noise (±15 cm), facing noise (±20°)
        let members: Vec<(Point, f64)> = members
            .into_iter()
            .map(|(p, f)| {
                let (e, t) = (how.pos_noise_m, how.facing_noise_deg);
                (
                    Point::new(p.x + rng.range(-e, e), p.y + rng.range(-e, e)),
                    (f + rng.range(-t, t)).rem_euclid(360.0),
                )
            })
            .collect();
        let inside = members
            .iter()
            .all(|(p, _)| p.x > 0.3 && p.y > 0.3 && p.x < side - 0.3 && p.y < side - 0.3);
        // keep groups apart so that they stay separable
        let clear = members
            .iter()
            .all(|(p, _)| placed.iter().all(|q| q.distance(*p) > how.gap_m));
        // noise never puts two members of a group closer than people stand
        let apart = members.iter().enumerate().all(|(i, (p, _))| {
            members[i + 1..]
                .iter()
                .all(|(q, _)| p.distance(*q) > how.member_gap_m)
        });
        if !inside || !clear || !apart || !members.iter().all(|(p, _)| free(&placed, *p)) {
            continue;
        }
        let label = if alone {
            String::new()
        } else {
            group += 1;
            format!("g{group:04} {shape}")
        };
        for (p, f) in members {
            placed.push(p);
            let _ = writeln!(
                csv,
                "Guest {:06},{},{},{},{}",
                written + 1,
                num(p.x),
                num(p.y),
                num(f),
                label
            );
            written += 1;
        }
    }
    Generated {
        scene_toml: toml,
        people_csv: csv,
        people: written,
        truth_csv: None,
    }
}

/// The reception's scene.toml: a square room of `side` metres, one mingling phase.
fn reception_toml(people: usize, seed: u64, side: f64) -> String {
    let mut toml = String::new();
    let _ = writeln!(
        toml,
        "# generated by `earshot generate reception --seats {people} --seed {seed}`"
    );
    let _ = writeln!(
        toml,
        "title = \"Reception ({people} people, generated)\"\npeople = \"people.csv\"\n"
    );
    let _ = writeln!(
        toml,
        "[venue]\noutline = [[0, 0], [{}, 0], [{}, {}], [0, {}]]\nheight_m = 4\nrt60_s = 1.0\n",
        num(side),
        num(side),
        num(side),
        num(side)
    );
    let _ = writeln!(
        toml,
        "[[phase]]\nname = \"reception\"\nfrom = \"18:00\"\nto = \"20:00\"\nnoise_dba = 70\nmobility = \"mingling\""
    );
    toml
}

/// A group of `k` in two rows facing each other across `centre` (people along a bar, or two
/// sofas): the rows 1.4 to 2.2 m apart, 0.6 m between neighbours.
fn two_rows(rng: &mut Rng, centre: Point, k: usize) -> (Vec<(Point, f64)>, &'static str) {
    let a = rng.range(0.0, 360.0);
    let across = Point::from_angle_deg(a).scale(rng.range(0.7, 1.1));
    let along = Point::from_angle_deg(a + 90.0).scale(0.6);
    let front = k / 2;
    let members = (0..k)
        .map(|j| {
            let (row, n, i) = if j < front {
                (-1.0, front, j)
            } else {
                (1.0, k - front, j - front)
            };
            let offset = i as f64 - (n as f64 - 1.0) / 2.0;
            let p = centre.add(across.scale(row)).add(along.scale(offset));
            (p, if row < 0.0 { a } else { a + 180.0 })
        })
        .collect();
    (members, "two-rows")
}

/// A group of `k` around `centre`: for two, vis-à-vis, an L, or side by side, else a circle
/// facing its centre; each member's position and facing, and the shape's name.
fn group_shape(rng: &mut Rng, centre: Point, k: usize) -> (Vec<(Point, f64)>, &'static str) {
    let r = 0.45 + 0.12 * k as f64;
    let pick = rng.below(4);
    match (k, pick) {
        (2, 0) => {
            // vis-à-vis
            let a = rng.range(0.0, 360.0);
            let d = Point::from_angle_deg(a).scale(0.55);
            (
                vec![(centre.sub(d), a), (centre.add(d), a + 180.0)],
                "vis-a-vis",
            )
        }
        (2, 1) => {
            // L-shape: at right angles, both facing a shared point
            let a = rng.range(0.0, 360.0);
            let p1 = centre.add(Point::from_angle_deg(a).scale(0.7));
            let p2 = centre.add(Point::from_angle_deg(a + 90.0).scale(0.7));
            (vec![(p1, a + 180.0), (p2, a + 270.0)], "L")
        }
        (2, 2) => {
            // side by side, turned slightly towards each other
            let a = rng.range(0.0, 360.0);
            let right = Point::from_angle_deg(a - 90.0).scale(0.35);
            (
                vec![(centre.sub(right), a - 20.0), (centre.add(right), a + 20.0)],
                "side-by-side",
            )
        }
        _ => {
            let off = rng.range(0.0, 360.0);
            (
                (0..k)
                    .map(|j| {
                        let a = off + 360.0 * j as f64 / k as f64;
                        (centre.add(Point::from_angle_deg(a).scale(r)), a + 180.0)
                    })
                    .collect(),
                "circle",
            )
        }
    }
}

/// `frames` snapshots of a reception of `people`, with the true groups in `truth.csv`. The
/// people CSV is a bare CSV with a `phase` column (the frame), so no scene file is needed.
fn group_snapshots(people: usize, frames: usize, seed: u64, hard: bool) -> Generated {
    let mut csv = String::from("phase,name,x,y,facing\n");
    let mut truth = String::from("phase,group,name\n");
    let mut total = 0;
    let mut rng = Rng::new(seed ^ 0x5eed_0ff4_a3e5);
    for f in 1..=frames {
        let frame_seed = seed.wrapping_mul(1000).wrapping_add(f as u64);
        let r = reception_with(people, frame_seed, if hard { &HARD } else { &EASY });
        let quantised = hard && rng.unit() < QUANTISED_FRAMES;
        for line in r.people_csv.lines().skip(1) {
            let cols: Vec<&str> = line.split(',').collect();
            if cols.len() < 5 {
                continue;
            }
            if hard && rng.unit() < MISSED {
                continue; // the tracker missed them: in neither the frame nor the truth
            }
            let facing = if quantised {
                let f: f64 = cols[3].parse().unwrap_or(0.0);
                num(((f / 90.0).round() * 90.0).rem_euclid(360.0))
            } else {
                cols[3].to_string()
            };
            let _ = writeln!(
                csv,
                "frame {f:03},{},{},{},{facing}",
                cols[0], cols[1], cols[2]
            );
            if !cols[4].is_empty() {
                let _ = writeln!(
                    truth,
                    "frame {f:03},{},{}",
                    cols[4].split(' ').next().unwrap_or(""),
                    cols[0]
                );
            }
            total += 1;
        }
    }
    Generated {
        scene_toml: String::new(),
        people_csv: csv,
        people: total,
        truth_csv: Some(truth),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic() {
        let a = generate(Kind::Reception, 50, 7);
        let b = generate(Kind::Reception, 50, 7);
        assert_eq!(a.people_csv, b.people_csv);
        assert_ne!(a.people_csv, generate(Kind::Reception, 50, 8).people_csv);
    }

    #[test]
    fn hard_snapshots_miss_people_quantise_facings_and_stay_physical() {
        let g = generate(Kind::GroupsHard, 30, 4);
        let rows: Vec<Vec<&str>> = g
            .people_csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect())
            .collect();
        assert!(
            rows.len() < 20 * 30 * 95 / 100,
            "someone is missed: {} rows",
            rows.len()
        );
        let frames: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[0]).collect();
        let quantised = frames
            .iter()
            .filter(|f| {
                rows.iter()
                    .filter(|r| r[0] == **f)
                    .all(|r| r[4].parse::<f64>().is_ok_and(|v| v % 90.0 == 0.0))
            })
            .count();
        assert!(
            (3..=17).contains(&quantised),
            "{quantised} of 20 frames quantised"
        );
        // everyone in the truth is in the frame
        let truth = g.truth_csv.unwrap_or_default();
        for t in truth.lines().skip(1) {
            let c: Vec<&str> = t.split(',').collect();
            assert!(rows.iter().any(|r| r[0] == c[0] && r[1] == c[2]), "{t}");
        }
        // and nobody stands closer than 0.3 m to anyone in the same frame
        for f in &frames {
            let pts: Vec<Point> = rows
                .iter()
                .filter(|r| r[0] == *f)
                .map(|r| Point::new(r[2].parse().unwrap_or(0.0), r[3].parse().unwrap_or(0.0)))
                .collect();
            for (i, p) in pts.iter().enumerate() {
                assert!(pts[i + 1..].iter().all(|q| q.distance(*p) > 0.3), "{f}");
            }
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(generate(Kind::Stadium, 5000, 1).people, 5000);
        let b = generate(Kind::Banquet, 200, 1);
        assert!((170..=200).contains(&b.people), "{}", b.people);
    }
}
