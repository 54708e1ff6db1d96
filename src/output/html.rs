//! The interactive HTML report: one self-contained file (inline SVG, CSS, script and data) that
//! requests nothing from a network and embeds in a web page.
//!
//! The charts are the same SVG as `earshot chart`, so the page shows them without a script.
//! The script adds the phase switcher, the person panel, the pair verdicts, the band filter and
//! the table. Its data is JSON in a `<script type="application/json">` element, with `<`, `>`,
//! `&` and the line separators written as `\u` escapes so that no name can close the element;
//! the verdict texts and contours, which would make the file large, are deflated and base64
//! encoded, and the browser inflates them with its own `DecompressionStream`. The script only
//! ever puts data into the page as text (`textContent`, attribute values), never as markup.

use crate::analysis::plausibility::{AssessOptions, Band, assess};
use crate::analysis::search::phase_pairs;
use crate::analysis::uncertainty::{self, Uncertainty};
use crate::output::render::chart::{ChartOptions, ChartProjection, band_style, seating_chart};
use crate::output::render::xml_escape;
use crate::output::report::{
    phase_window, summary, uncertain_summary, uncertain_text, verdict_text,
};
use crate::scene::{Mobility, Presence, Scene, Spread};
use rayon::prelude::*;
use serde_json::{Value, json};

const CSS: &str = include_str!("html/report.css");
const JS: &str = include_str!("html/report.js");

/// Above this many pairs in a phase the page keeps the numbers of every pair but the verdict
/// texts only of pairs that could have talked (the file would otherwise run to many megabytes).
pub const FULL_TEXT_PAIRS: usize = 30_000;
/// Above this many people in a phase the page leaves out the earshot contours.
pub const CONTOUR_PEOPLE: usize = 400;
/// Grid cells along the plan's longer side for the page's contours (the chart uses 160).
const CONTOUR_CELLS: f64 = 120.0;

/// What the report computes with.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportOptions {
    /// Draws and seed for pairs with uncertain inputs.
    pub uncertainty: uncertainty::Options,
}

/// The whole page.
pub fn html_report(scene: &Scene, opts: &ReportOptions) -> String {
    let proj = ChartProjection::new(scene);
    let phases: Vec<(Value, Value)> = (0..scene.phases.len())
        .map(|p| phase_data(scene, p, &proj, opts))
        .collect();
    let bands: Vec<Value> = [Band::Easy, Band::Raised, Band::Shouting, Band::Implausible]
        .iter()
        .map(|&b| {
            let (colour, dash) = band_style(b);
            json!({"key": b.key(), "label": b.label(), "colour": colour, "dash": dash})
        })
        .collect();
    let numbers: Vec<&Value> = phases.iter().map(|p| &p.0).collect();
    let data = json!({
        "title": scene.title,
        "version": env!("CARGO_PKG_VERSION"),
        "bands": bands,
        "phases": numbers,
    });
    let detail = json!({"phases": phases.iter().map(|p| &p.1).collect::<Vec<_>>()});
    let packed = base64(&miniz_oxide::deflate::compress_to_vec_zlib(
        detail.to_string().as_bytes(),
        8,
    ));
    let title = xml_escape(&scene.title);
    let mut html = String::with_capacity(packed.len() + 512 * 1024);
    html.push_str(&format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="earshot {version}">
<title>{title} — who could have talked with whom</title>
<style>
{CSS}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p class="sub">Who could have talked with whom, phase by phase: seat geometry plus room acoustics, explained. Made with earshot {version}; every verdict below is a model's answer to the positions and room given, not a record of what was said.</p>
<noscript><p class="note">Scripts are off: the charts below are complete, but choosing a person, the pair verdicts and the table need scripts.</p></noscript>
</header>
<nav class="controls" aria-label="Report controls">
<div role="tablist" aria-label="Phase" id="phase-tabs">
"#,
        version = env!("CARGO_PKG_VERSION"),
    ));
    for (k, ph) in scene.phases.iter().enumerate() {
        html.push_str(&format!(
            r#"<button type="button" role="tab" id="tab-{k}" aria-controls="phase-{k}" aria-selected="{}" tabindex="{}">{}</button>
"#,
            k == 0,
            if k == 0 { 0 } else { -1 },
            xml_escape(&ph.name)
        ));
    }
    html.push_str(
        r#"</div>
<label class="search">Find a person <input id="search" type="search" list="names" autocomplete="off" placeholder="name (accents optional)"></label>
<datalist id="names"></datalist>
<fieldset class="bands" id="band-filter"><legend>Show lines</legend></fieldset>
</nav>
<main>
<div class="charts">
"#,
    );
    for k in 0..scene.phases.len() {
        let svg = seating_chart(scene, k, &ChartOptions::default());
        html.push_str(&format!(
            r#"<section class="phase" id="phase-{k}" role="tabpanel" aria-labelledby="tab-{k}"{}>
<div class="chart" role="group" aria-label="Seating chart: select a person to see who they could have talked with">
{}</div>
</section>
"#,
            if k == 0 { "" } else { " hidden" },
            scoped_ids(&svg, k)
        ));
    }
    html.push_str(
        r#"</div>
<aside id="panel" aria-live="polite" aria-label="Selected person">
<p class="hint">Select a person on the chart (click, tap, or Tab then Enter), or find them by name: their partners by band, how far their voice carried, and the verdicts. Shift-click a second person, or use a partner's button, for the pair's verdict.</p>
</aside>
</main>
<section id="pair-picker" aria-labelledby="pair-h">
<h2 id="pair-h">Could these two have talked?</h2>
<form id="pick-form"><label>First person <input id="pick-a" list="names" autocomplete="off"></label> <label>Second person <input id="pick-b" list="names" autocomplete="off"></label> <button type="submit">Show the verdict</button></form>
<p id="pick-note" class="note" aria-live="polite"></p>
</section>
<section id="table-section" aria-labelledby="table-h">
<h2 id="table-h">Pairs</h2>
<p id="table-note"></p>
<p><button type="button" id="dl-csv">Download these rows as CSV</button> <button type="button" id="dl-json">Download as JSON</button></p>
<div class="table-wrap"><table id="pairs-table"><caption class="visually-hidden">Pairs in this phase, as shown by the band filter</caption>
<thead><tr><th scope="col" aria-sort="none"><button type="button" data-sort="a">First</button></th><th scope="col" aria-sort="none"><button type="button" data-sort="b">Second</button></th><th scope="col" aria-sort="none"><button type="button" data-sort="band">Band</button></th><th scope="col" aria-sort="descending"><button type="button" data-sort="score">Score</button></th><th scope="col" aria-sort="none"><button type="button" data-sort="distance">Distance (m)</button></th><th scope="col">Uncertain inputs</th></tr></thead>
<tbody></tbody></table></div>
</section>
<footer><p>Bands: <em>easy conversation</em> (fair intelligibility at a natural voice), <em>raised voices</em>, <em>only by shouting</em> (overheard by those around), <em>implausible</em>. The score is the speech transmission index (IEC 60268-16) at a natural voice. Lines are coloured for colour-blind readers and dashed differently, so that they read in greyscale and in print.</p></footer>
<script type="application/json" id="earshot-data">"#,
    );
    html.push_str(&script_safe_json(&data.to_string()));
    html.push_str("</script>\n<script type=\"text/plain\" id=\"earshot-detail\" data-encoding=\"zlib+base64\">");
    html.push_str(&packed);
    html.push_str("</script>\n<script>\n");
    html.push_str(JS);
    html.push_str("</script>\n</body>\n</html>\n");
    html
}

/// A phase's numbers (inline JSON) and its texts and contours (packed).
fn phase_data(
    scene: &Scene,
    p: usize,
    proj: &ChartProjection,
    opts: &ReportOptions,
) -> (Value, Value) {
    let ph = &scene.phases[p];
    let present = scene.present_in(p);
    let people: Vec<Value> = present
        .iter()
        .map(|&(i, pl)| {
            let a = &scene.attendees[i];
            let (x, y) = proj.xy(pl.pos);
            let mut uncertain = vec![];
            match pl.spread.as_deref() {
                Some(Spread::Seats(s)) => uncertain.push(format!("one of {} seats", s.len())),
                Some(Spread::Normal { sd_m }) => uncertain.push(format!("position ± {sd_m:.1} m")),
                None => {}
            }
            if a.presence == Presence::Uncertain {
                uncertain.push(match a.presence_probability() {
                    Some(q) => format!("there with probability {:.0} %", 100.0 * q),
                    None => "attendance unconfirmed".into(),
                });
            }
            json!({
                "i": i, "name": a.display_name(), "role": a.role(), "group": a.group(),
                "seat": pl.seat_index().map(|s| scene.seats[s].label.clone()),
                "x": x, "y": y, "uncertain": uncertain.join("; "),
            })
        })
        .collect();
    let pairs = phase_pairs(scene, p, Band::Implausible);
    let full = pairs.len() <= FULL_TEXT_PAIRS;
    let texted: Vec<_> = pairs
        .iter()
        .filter(|q| full || q.band <= Band::Shouting)
        .collect();
    let texts: Vec<(String, Value, Option<String>)> = texted
        .par_iter()
        .map(|q| {
            let v = assess(scene, p, q.a, q.b, AssessOptions::default());
            let u = uncertainty::analyse(scene, p, q.a, q.b, opts.uncertainty);
            let (line, odds) = if u.is_uncertain() {
                // odds only where the band is in doubt: "easy 100 %" says nothing
                let doubt = u.band_probabilities.values().all(|&q| q < 0.9995);
                (uncertain_summary(&v, &u), doubt.then(|| odds_text(&u)))
            } else {
                (summary(&v), None)
            };
            let mut detail = String::new();
            if u.is_uncertain() {
                detail.push_str(&uncertain_text(&u));
            }
            detail.push_str(&verdict_text(scene, &v));
            (format!("{}-{}", q.a, q.b), json!([line, detail]), odds)
        })
        .collect();
    let odds: std::collections::HashMap<&str, &str> = texts
        .iter()
        .filter_map(|(k, _, o)| o.as_deref().map(|o| (k.as_str(), o)))
        .collect();
    let rows: Vec<Value> = pairs
        .iter()
        .map(|q| {
            let key = format!("{}-{}", q.a, q.b);
            json!([
                q.a,
                q.b,
                q.band.key(),
                round(q.score, 3),
                round(q.distance_m, 2),
                odds.get(key.as_str()).copied().unwrap_or("")
            ])
        })
        .collect();
    let who: Vec<usize> = present.iter().map(|&(i, _)| i).collect();
    let contours: serde_json::Map<String, Value> = if who.len() <= CONTOUR_PEOPLE {
        who.iter()
            .zip(proj.contours(scene, p, &who, CONTOUR_CELLS))
            .map(|(i, cs)| {
                (
                    i.to_string(),
                    Value::Array(
                        cs.into_iter()
                            .map(|c| json!([c.name, c.dash, c.d]))
                            .collect(),
                    ),
                )
            })
            .collect()
    } else {
        serde_json::Map::new()
    };
    let numbers = json!({
        "name": ph.name,
        "window": phase_window(ph).trim(),
        "mobility": match ph.mobility { Mobility::Seated => "seated", Mobility::Mingling => "mingling" },
        "noise_dba": round(ph.acoustics.noise_dba.value, 1),
        "people": people,
        "pairs": rows,
        "all_texts": full,
        "contours": who.len() <= CONTOUR_PEOPLE,
    });
    let packed = json!({
        "texts": texts.into_iter().map(|(k, v, _)| (k, v)).collect::<serde_json::Map<_, _>>(),
        "contours": contours,
    });
    (numbers, packed)
}

/// `easy 10 %, shouting 5 %, implausible 84 %`.
fn odds_text(u: &Uncertainty) -> String {
    let mut odds: Vec<(&str, f64)> = u.band_probabilities.iter().map(|(k, q)| (*k, *q)).collect();
    let rank = |k: &str| {
        ["easy", "raised", "shouting", "implausible"]
            .iter()
            .position(|b| *b == k)
    };
    odds.sort_by_key(|(k, _)| rank(k));
    odds.iter()
        .map(|(k, q)| format!("{k} {:.0} %", 100.0 * q))
        .collect::<Vec<_>>()
        .join(", ")
}

fn round(v: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (v * k).round() / k
}

/// Gives every `id` in one phase's chart a prefix (`p1-attendee-3`), and every reference to
/// one, so that several charts can share a page. The chart writes names only escaped, so the
/// patterns below occur only where the chart itself wrote them.
pub fn scoped_ids(svg: &str, phase: usize) -> String {
    svg.replace(" id=\"", &format!(" id=\"p{phase}-"))
        .replace("url(#", &format!("url(#p{phase}-"))
        .replace("href=\"#", &format!("href=\"#p{phase}-"))
}

/// JSON that is safe inside a `<script>` element: no `<`, `>` or `&` (so no `</script>` and no
/// `<!--`), and no U+2028/U+2029, each written as the `\u` escape JSON allows in strings (the
/// only place they can occur in serde_json's output).
pub fn script_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Standard base64 with padding (RFC 4648), for the packed data.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(A[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let name = "</script><script>alert(1)</script><!--\u{2028}&";
        let text = script_safe_json(&json!({ "name": name }).to_string());
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        assert!(!text.contains('\u{2028}'));
        let back: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back["name"], name);
    }

    #[test]
    fn ids_are_scoped_per_phase() {
        let svg =
            r##"<g id="plan" clip-path="url(#frame)"><use href="#x"/><title>id="no"</title></g>"##;
        assert_eq!(
            scoped_ids(svg, 2),
            r##"<g id="p2-plan" clip-path="url(#p2-frame)"><use href="#p2-x"/><title>id="no"</title></g>"##
        );
    }
}
