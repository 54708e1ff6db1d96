//! Clock times: `HH:MM`, `HH:MM:SS` or ISO 8601 date-times, as minutes after midnight.
//! Dates are not compared: an event is assumed to lie within one day.

/// Parses a clock time to minutes after midnight.
pub fn parse_clock(raw: &str) -> Result<f64, String> {
    let s = raw.trim();
    let time = match s.find(['T', 't', ' ']) {
        Some(i) if s[..i].contains('-') => &s[i + 1..],
        _ => s,
    };
    // drop a zone suffix: Z, +hh:mm, -hh:mm
    let time = time.trim_end_matches(['Z', 'z']);
    let time = match time.rfind(['+', '-']) {
        Some(i) if i > 0 => &time[..i],
        _ => time,
    };
    let parts: Vec<&str> = time.split(':').collect();
    let bad = || {
        format!(
            "expected a clock time like 13:45 or 2016-04-27T13:45, found {}",
            super::text::quote(raw)
        )
    };
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let h: u32 = parts[0].trim().parse().map_err(|_| bad())?;
    let m: u32 = parts[1].trim().parse().map_err(|_| bad())?;
    let sec: f64 = match parts.get(2) {
        Some(p) => p.trim().parse().map_err(|_| bad())?,
        None => 0.0,
    };
    if h > 24 || m > 59 || !(0.0..60.0).contains(&sec) {
        return Err(bad());
    }
    Ok(f64::from(h * 60 + m) + sec / 60.0)
}

/// Formats minutes after midnight as `HH:MM`.
pub fn format_clock(min: f64) -> String {
    let m = min.round() as i64;
    format!("{:02}:{:02}", m.div_euclid(60), m.rem_euclid(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_formats() {
        assert_eq!(parse_clock("13:45"), Ok(825.0));
        assert_eq!(parse_clock("2016-04-27T13:45:30Z"), Ok(825.5));
        assert_eq!(parse_clock("2016-04-27T13:45-04:00"), Ok(825.0));
        assert!(parse_clock("1:2:3:4").is_err());
        assert!(parse_clock("25:00").is_err());
        assert!(parse_clock("noon").is_err());
        assert_eq!(format_clock(825.0), "13:45");
    }
}
