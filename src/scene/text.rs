//! Small text helpers: number parsing as spreadsheets write numbers, name suggestions, and
//! making untrusted text safe to print on a terminal.

/// Parses a number as a spreadsheet exports it; with `decimal_comma`, `12,5` means 12.5.
/// Rejects empty, non-numeric and non-finite values with a message saying what was expected.
pub fn parse_number(raw: &str, decimal_comma: bool) -> Result<f64, String> {
    if let Some(v) = plain_decimal(raw.as_bytes(), decimal_comma) {
        return Ok(v);
    }
    let s = raw.trim();
    if s.is_empty() {
        return Err("expected a number, found an empty field".into());
    }
    let owned;
    let s = if decimal_comma && s.contains(',') {
        owned = s.replace(',', ".");
        owned.as_str()
    } else {
        s
    };
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) if s.to_ascii_lowercase().contains("nan") => {
            Err(format!("expected a finite number, found {}", quote(raw)))
        }
        Ok(_) => Err(format!(
            "expected a finite number, found {} (too large or infinite)",
            quote(raw)
        )),
        Err(_) => Err(format!("expected a number, found {}", quote(raw))),
    }
}

/// A plain decimal number, `-?d+(.d+)?` with at most 15 digits in all (`,` as the point too
/// with `decimal_comma`), read exactly as `str::parse` reads it but faster: its digits make
/// an integer below 2⁵³ and its power of ten is exact, so one division rounds correctly.
/// `None` for anything else (`1e3`, `+1`, ` 1`, `.5`, more digits), left to `str::parse`.
pub(super) fn plain_decimal(s: &[u8], decimal_comma: bool) -> Option<f64> {
    const TENS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    let (mut mantissa, mut count, mut decimals, mut point) = (0u64, 0usize, 0usize, false);
    for (i, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                count += 1;
                decimals += usize::from(point);
            }
            // a point between digits
            b'.' | b',' if !point && i > 0 && (b == b'.' || decimal_comma) => point = true,
            _ => return None,
        }
    }
    if count == 0 || count > 15 || (point && decimals == 0) {
        return None;
    }
    let v = mantissa as f64 / TENS[decimals];
    Some(if negative { -v } else { v })
}

/// Quotes untrusted text for a message, shortened and with control characters escaped.
pub fn quote(raw: &str) -> String {
    let mut s: String = raw.chars().take(40).collect();
    if raw.chars().count() > 40 {
        s.push('…');
    }
    format!("\"{}\"", printable(&s))
}

/// Escapes control and bidirectional-override characters so that text cannot rewrite a terminal.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if (c.is_control() && c != '\n') || is_bidi_control(c) {
                format!("\\u{{{:04x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Bidirectional formatting characters that can reorder displayed text.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Levenshtein distance on characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A name as people type it: Unicode compatibility-decomposed (NFKD), accents and other
/// combining marks dropped, lower-case, single spaces. "José  ÁLVAREZ" and "jose alvarez"
/// fold to the same text.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let plain: String = s
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Up to `k` names close to `query` (folded, so accents and case do not count), closest
/// first; only those within a few typing mistakes of the whole name or of one of its words.
pub fn close_names(query: &str, names: impl Iterator<Item = String>, k: usize) -> Vec<String> {
    let q = fold(query);
    let allowed = (q.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, String)> = names
        .filter_map(|n| {
            let folded = fold(&n);
            let word = folded
                .split(' ')
                .map(|w| edit_distance(&q, w))
                .min()
                .unwrap_or(usize::MAX);
            let d = edit_distance(&q, &folded).min(word);
            (d <= allowed).then_some((d, n))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(k).map(|(_, n)| n).collect()
}

/// The `k` names closest to `query`, case-insensitively, closest first.
pub fn closest(query: &str, names: impl Iterator<Item = String>, k: usize) -> Vec<String> {
    let q = query.trim().to_lowercase();
    let mut scored: Vec<(usize, String)> = names
        .map(|n| {
            let lower = n.to_lowercase();
            // a match on any one word (a surname) counts as close
            let word = lower
                .split_whitespace()
                .map(|w| edit_distance(&q, w))
                .min()
                .unwrap_or(usize::MAX);
            (edit_distance(&q, &lower).min(word.saturating_add(1)), n)
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(k).map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// A plain decimal reads to the same bits as `str::parse` gives, and anything it does
        /// not read is left to `str::parse`: numbers of up to 17 digits with a point anywhere,
        /// and any text of digits, signs, points, commas, exponents and spaces.
        #[test]
        fn plain_decimals_read_as_str_parse_reads_them(
            digits in "[0-9]{1,17}",
            point in 0usize..18,
            negative in proptest::bool::ANY,
            text in "[-+0-9.,e ]{0,12}",
        ) {
            let mut number = digits.clone();
            if point < digits.len() {
                number.insert(point, '.');
            }
            if negative {
                number.insert(0, '-');
            }
            if digits.len() <= 15 && point > 0 {
                proptest::prop_assert!(plain_decimal(number.as_bytes(), false).is_some(), "{}", number);
            }
            for s in [number.as_str(), text.as_str()] {
                if let Some(v) = plain_decimal(s.as_bytes(), false) {
                    proptest::prop_assert_eq!(Some(v.to_bits()), s.parse::<f64>().ok().map(f64::to_bits), "{}", s);
                }
                // with a decimal comma, as `parse_number` reads it
                let comma = s.replace(',', ".");
                if let Some(v) = plain_decimal(s.as_bytes(), true) {
                    proptest::prop_assert_eq!(Some(v.to_bits()), comma.parse::<f64>().ok().map(f64::to_bits), "{}", s);
                }
            }
        }
    }

    #[test]
    fn names_fold_accents_case_and_spaces() {
        assert_eq!(fold("José  ÁLVAREZ"), "jose alvarez");
        assert_eq!(fold("Renée Dubois"), "renee dubois");
        assert_eq!(fold("ﬁona"), "fiona");
    }

    #[test]
    fn only_close_names_are_suggested() {
        let names = ["Renée Dubois", "Omar Haddad", "Kwame Mensah"].map(String::from);
        assert_eq!(
            close_names("Renne Dubois", names.clone().into_iter(), 3),
            vec!["Renée Dubois"]
        );
        assert_eq!(
            close_names("Haddat", names.clone().into_iter(), 3),
            vec!["Omar Haddad"]
        );
        assert!(close_names("Zebedee", names.into_iter(), 3).is_empty());
    }

    #[test]
    fn numbers_as_spreadsheets_write_them() {
        assert_eq!(parse_number(" 12.5 ", false), Ok(12.5));
        assert_eq!(parse_number("12,5", true), Ok(12.5));
        assert!(parse_number("12,5", false).is_err());
        assert!(parse_number("abc", false).unwrap_err().contains("abc"));
        assert!(parse_number("NaN", false).unwrap_err().contains("finite"));
        assert!(
            parse_number("1e400", false)
                .unwrap_err()
                .contains("too large")
        );
        assert!(parse_number("", false).is_err());
    }

    #[test]
    fn suggestions_prefer_close_names() {
        let names = ["Jeff Sessions", "Sergey Kislyak", "Dimitri Simes"].map(String::from);
        assert_eq!(
            closest("Jef Sesions", names.iter().cloned(), 1),
            vec!["Jeff Sessions"]
        );
        assert_eq!(
            closest("kislyak", names.iter().cloned(), 1),
            vec!["Sergey Kislyak"]
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            printable("a\u{1b}[31m\u{202e}b"),
            "a\\u{001b}[31m\\u{202e}b"
        );
    }
}
