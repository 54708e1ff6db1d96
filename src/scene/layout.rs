//! Seat layouts: theatre rows and round tables expanded into labelled seats.
//!
//! Convention (also in the README): a row block's first row sits at `origin`, facing `facing`;
//! each next row lies one row pitch behind it (opposite the facing). Seats are numbered from
//! the origin towards the seated audience's right-hand side, with an aisle gap after the seat
//! numbers listed in `aisle_after`. Table chairs are numbered counter-clockwise from
//! `first_chair_deg` and face the table's centre.

use super::{Seat, SeatPlace};
use crate::physics::geometry::Point;
use std::ops::{Add, Sub};

/// Expands a row-label range like `A-M` or `1-12`. Single letters or numbers only.
pub fn expand_row_labels(spec: &str) -> Result<Vec<String>, String> {
    let s = spec.trim();
    let bad =
        || format!("expected row labels like \"A-M\" or \"1-20\" or a list of labels, found {s:?}");
    let Some((a, b)) = s.split_once('-') else {
        return if s.is_empty() {
            Err(bad())
        } else {
            Ok(vec![s.to_string()])
        };
    };
    let (a, b) = (a.trim(), b.trim());
    if let (Ok(x), Ok(y)) = (a.parse::<u32>(), b.parse::<u32>()) {
        if x > y || y - x > 500 {
            return Err(bad());
        }
        return Ok((x..=y).map(|n| n.to_string()).collect());
    }
    let mut ca = a.chars();
    let mut cb = b.chars();
    match (ca.next(), ca.next(), cb.next(), cb.next()) {
        (Some(x), None, Some(y), None)
            if x.is_ascii_alphabetic() && y.is_ascii_alphabetic() && x <= y =>
        {
            Ok((x..=y).map(|c| c.to_string()).collect())
        }
        _ => Err(bad()),
    }
}

/// A block of theatre rows, in metres.
pub struct RowBlock<'a> {
    pub block: usize,
    pub section: &'a str,
    pub origin: Point,
    pub rows: &'a [String],
    pub seats: u32,
    pub first_seat: u32,
    pub seat_pitch_m: f64,
    pub row_pitch_m: f64,
    pub facing_deg: f64,
    pub aisle_after: &'a [u32],
    pub aisle_m: f64,
}

/// The seats of a row block.
pub fn row_seats(b: &RowBlock) -> Vec<Seat> {
    let forward = Point::from_angle_deg(b.facing_deg);
    let right = forward.rotate_deg(-90.0);
    let mut out = Vec::with_capacity(b.rows.len() * b.seats as usize);
    for (r, row) in b.rows.iter().enumerate() {
        let row_origin = b.origin.sub(forward.scale(r as f64 * b.row_pitch_m));
        let mut offset = 0.0;
        for k in 0..b.seats {
            let number = b.first_seat + k;
            if k > 0 {
                offset += b.seat_pitch_m;
                if b.aisle_after.contains(&(number - 1)) {
                    offset += b.aisle_m;
                }
            }
            out.push(Seat {
                label: format!("{row}{number}"),
                section: b.section.to_string(),
                pos: row_origin.add(right.scale(offset)),
                facing_deg: b.facing_deg,
                place: SeatPlace::Row {
                    block: b.block,
                    row: r,
                    row_pitch_m: b.row_pitch_m,
                },
            });
        }
    }
    out
}

/// The chairs of a round table.
pub fn table_seats(
    table: usize,
    label: &str,
    center: Point,
    chair_radius_m: f64,
    chairs: u32,
    first_chair_deg: f64,
) -> Vec<Seat> {
    (0..chairs)
        .map(|k| {
            let angle = first_chair_deg + 360.0 * f64::from(k) / f64::from(chairs);
            let pos = center.add(Point::from_angle_deg(angle).scale(chair_radius_m));
            Seat {
                label: format!("{label}-{}", k + 1),
                section: label.to_string(),
                pos,
                facing_deg: (angle + 180.0).rem_euclid(360.0),
                place: SeatPlace::Table {
                    table,
                    chair: k as usize + 1,
                },
            }
        })
        .collect()
}

/// A regular polygon approximating a circle, counter-clockwise.
pub fn circle_polygon(center: Point, radius_m: f64, sides: usize) -> Vec<Point> {
    (0..sides)
        .map(|k| center.add(Point::from_angle_deg(360.0 * k as f64 / sides as f64).scale(radius_m)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_labels() {
        assert_eq!(
            expand_row_labels("A-C"),
            Ok(vec!["A".into(), "B".into(), "C".into()])
        );
        assert_eq!(expand_row_labels("1-3").map(|v| v.len()), Ok(3));
        assert!(expand_row_labels("C-A").is_err());
        assert!(expand_row_labels("").is_err());
    }

    #[test]
    fn rows_follow_the_convention() {
        let rows = vec!["A".to_string(), "B".to_string()];
        let seats = row_seats(&RowBlock {
            block: 0,
            section: "floor",
            origin: Point::new(0.0, 10.0),
            rows: &rows,
            seats: 4,
            first_seat: 1,
            seat_pitch_m: 0.5,
            row_pitch_m: 1.0,
            facing_deg: 90.0,
            aisle_after: &[2],
            aisle_m: 1.0,
        });
        let find = |l: &str| seats.iter().find(|s| s.label == l).map(|s| s.pos);
        // facing +y, the right-hand side is +x; row B lies behind (lower y)
        assert_eq!(find("A1"), Some(Point::new(0.0, 10.0)));
        assert_eq!(find("A2"), Some(Point::new(0.5, 10.0)));
        assert_eq!(find("A3"), Some(Point::new(2.0, 10.0)));
        let b1 = find("B1").unwrap_or(Point::new(f64::NAN, f64::NAN));
        assert!((b1.y - 9.0).abs() < 1e-9 && b1.x.abs() < 1e-9);
    }

    #[test]
    fn chairs_face_the_centre() {
        let s = table_seats(0, "T1", Point::new(0.0, 0.0), 1.0, 4, 0.0);
        assert_eq!(s[0].label, "T1-1");
        assert!((s[0].pos.x - 1.0).abs() < 1e-9);
        assert!((s[0].facing_deg - 180.0).abs() < 1e-9);
    }
}
