//! `earshot report`: the HTML page, checked in a real browser (headless Chromium) from the
//! rendered DOM after real events, not from the file's text. CI installs Chromium; elsewhere the
//! browser checks are skipped with a note when it is missing.

mod common;
use common::earshot;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn report(scene: &str, dir: &Path) -> PathBuf {
    let out = dir.join("report.html");
    let (code, _, err) = earshot(&[
        "report",
        scene,
        "--samples",
        "100",
        "-o",
        &out.to_string_lossy(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    out
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .or_else(|| {
            assert!(
                std::env::var_os("CI").is_none(),
                "Chromium is missing: .ci/run installs it"
            );
            eprintln!("skipping the browser checks: Chromium is not installed");
            None
        })
}

/// Loads `page` with `steps` (a script run once the report says it is ready) appended, in
/// headless Chromium, and returns what the steps recorded in the rendered DOM.
fn in_browser(browser: &str, page: &Path, steps: &str) -> Value {
    let html = std::fs::read_to_string(page).unwrap_or_default();
    let harness = format!(
        "<script>\nwindow.earshotReady.then(function () {{\n  var out = {{}};\n  try {{\n{steps}\n  }} catch (e) {{ out.error = String(e && e.stack || e); }}\n  out.resources = performance.getEntriesByType('resource').map(function (e) {{ return e.name; }});\n  out.pwned = window.__pwned || null;\n  out.images = document.querySelectorAll('img, image, iframe, object, embed').length;\n  var pre = document.createElement('pre');\n  pre.id = 'earshot-test-result';\n  pre.textContent = JSON.stringify(out);\n  document.body.append(pre);\n}});\n</script>\n</body>"
    );
    let test_page = page.with_file_name("under-test.html");
    std::fs::write(&test_page, html.replacen("</body>", &harness, 1))
        .unwrap_or_else(|e| panic!("{e}"));
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=20000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", test_page.display()))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {browser}: {e}"));
    let dom = String::from_utf8_lossy(&o.stdout);
    let start = dom
        .find("<pre id=\"earshot-test-result\">")
        .unwrap_or_else(|| {
            panic!(
                "the page never became ready: {}",
                String::from_utf8_lossy(&o.stderr)
            )
        });
    let rest = &dom[start + "<pre id=\"earshot-test-result\">".len()..];
    let text = &rest[..rest.find("</pre>").unwrap_or(0)];
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert!(v["error"].is_null(), "the steps failed: {}", v["error"]);
    v
}

#[test]
fn the_mayflower_report_works_in_a_browser() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let page = report("scenes/mayflower-2016", dir.path());
    let html = std::fs::read_to_string(&page).unwrap_or_default();
    // one file, nothing to fetch: no external source, link or stylesheet, and a policy that
    // forbids any request the page might try
    assert!(html.contains("default-src 'none'"));
    for bad in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "href=\"//",
        "@import",
        "url(http",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
    let Some(browser) = chromium() else { return };
    let v = in_browser(
        browser,
        &page,
        r#"
    var DATA = JSON.parse(document.getElementById('earshot-data').textContent);
    function idx(p, name) { return DATA.phases[p].people.filter(function (x) { return x.name === name; })[0].i; }
    var sessions = idx(0, 'Jeff Sessions');
    // keyboard focus on a marker in the first phase
    document.querySelector('#phase-0 [data-person="' + sessions + '"]').focus();
    out.focused = document.getElementById('panel-name').textContent;
    out.partners = document.querySelectorAll('#panel .partner').length;
    out.quote = document.querySelector('#panel .partner .quote').textContent;
    out.live_lines = document.querySelectorAll('#p0-live line').length;
    out.contours = document.querySelectorAll('#p0-live path.contour').length;
    out.marker_label = document.querySelector('#phase-0 [data-person="' + sessions + '"]').getAttribute('aria-label');
    // switch phase with the tab
    document.getElementById('tab-1').click();
    out.phase1_shown = !document.getElementById('phase-1').hidden;
    out.phase0_hidden = document.getElementById('phase-0').hidden;
    out.tab1 = document.getElementById('tab-1').getAttribute('aria-selected');
    out.focused_after = document.getElementById('panel-name').textContent;
    out.panel_phase = document.getElementById('panel').getAttribute('data-phase');
    // a pair, by the form, with accents and case ignored
    document.getElementById('pick-a').value = 'jeff sessions';
    document.getElementById('pick-b').value = 'SERGEY KISLYAK';
    document.getElementById('pick-form').requestSubmit();
    out.pair = document.querySelector('#pair-verdict .verdict-line').textContent;
    out.factors = document.querySelector('#pair-verdict pre').textContent;
    out.asked_line = document.querySelectorAll('#p1-live line.asked').length;
    // the band filter hides a band's lines
    var box = document.querySelector('#band-filter input[data-band="raised"]');
    var line = document.querySelector('#phase-1 line.pair.band-raised');
    out.raised_before = getComputedStyle(line).display;
    box.click();
    out.raised_after = getComputedStyle(line).display;
    // the table follows the person, and sorts
    out.rows = document.querySelectorAll('#pairs-table tbody tr').length;
    document.querySelector('#pairs-table th button[data-sort="distance"]').click();
    var d = Array.prototype.map.call(document.querySelectorAll('#pairs-table tbody tr td:nth-child(5)'), function (td) { return Number(td.textContent); });
    out.sorted = d.every(function (x, k) { return k === 0 || d[k - 1] <= x; });
    out.hash = location.hash;
"#,
    );
    assert_eq!(v["focused"], "Jeff Sessions", "{v}");
    assert!(v["partners"].as_u64().unwrap_or(0) >= 3, "{v}");
    let quote = v["quote"].as_str().unwrap_or("");
    assert!(quote.contains("Jeff Sessions"), "{v}");
    assert!(v["live_lines"].as_u64().unwrap_or(0) >= 3, "{v}");
    assert_eq!(v["contours"], 2, "{v}");
    assert!(
        v["marker_label"]
            .as_str()
            .is_some_and(|s| s.starts_with("Jeff Sessions")),
        "{v}"
    );
    assert_eq!(v["phase1_shown"], true, "{v}");
    assert_eq!(v["phase0_hidden"], true, "{v}");
    assert_eq!(v["tab1"], "true", "{v}");
    assert_eq!(v["focused_after"], "Jeff Sessions", "{v}");
    assert_eq!(v["panel_phase"], "1", "{v}");
    let pair = v["pair"].as_str().unwrap_or("");
    assert!(
        pair.contains("speech") && pair.contains("Sergey Kislyak") && pair.contains("implausible"),
        "{pair}"
    );
    let factors = v["factors"].as_str().unwrap_or("");
    for word in ["distance", "bodies between", "sti", "required level"] {
        assert!(factors.contains(word), "{word} in {factors}");
    }
    assert_eq!(v["asked_line"], 1, "{v}");
    assert_eq!(v["raised_before"], "inline", "{v}");
    assert_eq!(v["raised_after"], "none", "{v}");
    assert!(v["rows"].as_u64().unwrap_or(0) >= 1, "{v}");
    assert_eq!(v["sorted"], true, "{v}");
    assert!(
        v["hash"]
            .as_str()
            .is_some_and(|h| h.contains("phase=speech") && h.contains("Kislyak")),
        "{v}"
    );
    assert_eq!(v["resources"], serde_json::json!([]), "{v}");
}

#[test]
fn hostile_names_stay_text_in_the_browser() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let csv = dir.path().join("people.csv");
    let names = [
        "</script><script>window.__pwned=1</script>",
        "<img src=x onerror=\"window.__pwned=2\">",
        "\"><svg onload=window.__pwned=3>",
        "Zoë ' & \u{2028} <!--",
    ];
    let mut text = String::from("name,x,y\n");
    for (k, n) in names.iter().enumerate() {
        text.push_str(&format!("\"{}\",{},0\n", n.replace('"', "\"\""), k));
    }
    std::fs::write(&csv, text).unwrap_or_else(|e| panic!("{e}"));
    let page = report(&csv.to_string_lossy(), dir.path());
    let Some(browser) = chromium() else { return };
    let v = in_browser(
        browser,
        &page,
        r#"
    out.names = [];
    out.tables = [];
    document.querySelectorAll('#phase-0 [data-person]').forEach(function (g) {
      g.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      out.names.push(document.getElementById('panel-name').textContent);
    });
    var first = document.querySelector('#phase-0 [data-person]');
    var last = document.querySelectorAll('#phase-0 [data-person]')[3];
    first.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    last.dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }));
    out.pair = document.querySelector('#pair-verdict .verdict-line').textContent;
    out.cells = Array.prototype.map.call(document.querySelectorAll('#pairs-table tbody td:first-child'), function (td) { return td.textContent; });
    out.scripts = document.querySelectorAll('script').length;
"#,
    );
    let got: Vec<&str> = v["names"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(got.len(), 4, "{v}");
    for n in names {
        assert!(got.contains(&n), "{n:?} not shown as text: {v}");
    }
    assert!(
        v["pair"]
            .as_str()
            .unwrap_or("")
            .contains("window.__pwned=1"),
        "{v}"
    );
    assert!(v["pwned"].is_null(), "a name ran as script: {v}");
    assert_eq!(v["images"], 0, "a name became an element: {v}");
    // the report's three scripts and the test's own: no name added one
    assert_eq!(v["scripts"], 4, "{v}");
    assert_eq!(v["resources"], serde_json::json!([]), "{v}");
}
