// earshot report: phase switcher, person panel, pair verdicts, band filter, table.
// Data reaches the page only as text (textContent, attribute values), never as markup.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var DATA = JSON.parse(document.getElementById('earshot-data').textContent);
  var BAND = {};
  DATA.bands.forEach(function (b, k) { b.rank = k; BAND[b.key] = b; });
  var detail = null; // {phases: [{texts: {"a-b": [line, detail]}, contours: {i: [[name, dash, d]]}}]}
  var state = { phase: 0, a: null, b: null, hidden: { implausible: true }, sort: { key: 'score', dir: -1 } };
  var root = document.documentElement;
  var ready;
  window.earshotReady = new Promise(function (r) { ready = r; });

  function fold(s) {
    return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
  }
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    for (var n = 2; n < arguments.length; n++) {
      var c = arguments[n];
      if (c !== null && c !== undefined) e.append(c);
    }
    return e;
  }
  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function swatch(band) {
    var b = BAND[band];
    var s = svgEl('svg', { width: 26, height: 10, class: 'swatch', 'aria-hidden': 'true' });
    var l = svgEl('line', { x1: 1, y1: 5, x2: 25, y2: 5, stroke: b.colour, 'stroke-width': 3 });
    if (b.dash) l.setAttribute('stroke-dasharray', b.dash);
    s.append(l);
    return s;
  }
  function ph() { return DATA.phases[state.phase]; }
  function person(p, i) {
    var people = DATA.phases[p].people;
    for (var k = 0; k < people.length; k++) if (people[k].i === i) return people[k];
    return null;
  }
  function pairKey(a, b) { return Math.min(a, b) + '-' + Math.max(a, b); }
  function pairRow(p, a, b) {
    var lo = Math.min(a, b), hi = Math.max(a, b), rows = DATA.phases[p].pairs;
    for (var k = 0; k < rows.length; k++) if (rows[k][0] === lo && rows[k][1] === hi) return rows[k];
    return null;
  }
  function texts(p, a, b) {
    return detail && detail.phases[p].texts[pairKey(a, b)] || null;
  }
  // every person of the scene by index, with their name, for the search box
  var everyone = {};
  DATA.phases.forEach(function (p) { p.people.forEach(function (x) { everyone[x.i] = x.name; }); });
  function find(query) {
    var q = fold(query);
    if (!q) return null;
    var ids = Object.keys(everyone).map(Number);
    var exact = ids.filter(function (i) { return fold(everyone[i]) === q; });
    if (exact.length === 1) return exact[0];
    var part = ids.filter(function (i) { return fold(everyone[i]).indexOf(q) >= 0; });
    return part.length === 1 ? part[0] : (exact.length ? exact[0] : null);
  }

  // ---- the charts: people become buttons, a layer for the live lines and contours
  function section(p) { return document.getElementById('phase-' + p); }
  function marker(p, i) { return document.getElementById('p' + p + '-attendee-' + i); }
  DATA.phases.forEach(function (p, k) {
    var sec = section(k);
    p.people.forEach(function (x) {
      var g = marker(k, x.i);
      if (!g) return;
      g.setAttribute('data-person', x.i);
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', x.name + (x.seat ? ', seat ' + x.seat : '') + ': show who they could have talked with');
    });
    var plan = document.getElementById('p' + k + '-plan');
    var people = document.getElementById('p' + k + '-attendees');
    if (plan) {
      var layer = svgEl('g', { class: 'live', id: 'p' + k + '-live' });
      plan.insertBefore(layer, people && people.parentNode === plan ? people : null);
    }
    // a mouse press focuses the marker before its click: let the click decide (shift-click)
    var pressed = false;
    sec.addEventListener('pointerdown', function () { pressed = true; });
    sec.addEventListener('click', function (ev) {
      pressed = false;
      var g = ev.target.closest && ev.target.closest('[data-person]');
      if (!g) return;
      var i = Number(g.getAttribute('data-person'));
      if (ev.shiftKey && state.a !== null && state.a !== i) pickPair(state.a, i);
      else selectPerson(i);
    });
    sec.addEventListener('focusin', function (ev) {
      if (pressed) return;
      var g = ev.target.closest && ev.target.closest('[data-person]');
      if (g) selectPerson(Number(g.getAttribute('data-person')));
    });
    sec.addEventListener('keydown', function (ev) {
      var g = ev.target.closest && ev.target.closest('[data-person]');
      if (!g) return;
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        var i = Number(g.getAttribute('data-person'));
        if (ev.shiftKey && state.a !== null && state.a !== i) pickPair(state.a, i);
        else selectPerson(i);
      } else if (ev.key === 'Escape') {
        clearPerson();
      }
    });
  });

  function drawLive() {
    DATA.phases.forEach(function (p, k) {
      var layer = document.getElementById('p' + k + '-live');
      var svg = section(k).querySelector('svg');
      if (!layer || !svg) return;
      while (layer.firstChild) layer.removeChild(layer.firstChild);
      svg.classList.remove('focused');
      section(k).querySelectorAll('.hl, .sel').forEach(function (e) { e.classList.remove('hl', 'sel'); });
      if (state.a === null || k !== state.phase) return;
      var me = person(k, state.a);
      if (!me) return;
      svg.classList.add('focused');
      var g = marker(k, state.a);
      if (g) g.classList.add('sel');
      var cs = detail && detail.phases[k].contours[state.a];
      (cs || []).forEach(function (c) {
        var path = svgEl('path', { class: 'contour live-contour contour-' + c[0], d: c[2], fill: 'none', stroke: '#CC79A7', 'stroke-width': 1.8 });
        if (c[1]) path.setAttribute('stroke-dasharray', c[1]);
        var t = svgEl('title', {});
        t.textContent = me.name + ': ' + c[0] + ' voice understood (fair) inside this line';
        path.append(t);
        layer.append(path);
      });
      partners(k, state.a).forEach(function (r) {
        if (r.band === 'implausible') return;
        var o = person(k, r.other);
        if (!o) return;
        var b = BAND[r.band];
        var line = svgEl('line', { class: 'pair hl live-line band-' + r.band, x1: me.x, y1: me.y, x2: o.x, y2: o.y, stroke: b.colour, 'stroke-width': r.band === 'shouting' ? 1.6 : 3, 'stroke-linecap': 'round' });
        if (b.dash) line.setAttribute('stroke-dasharray', b.dash);
        layer.append(line);
      });
      var other = state.b !== null ? person(k, state.b) : null;
      if (other) {
        var row = pairRow(k, state.a, state.b);
        var band = BAND[row ? row[2] : 'implausible'];
        layer.append(svgEl('line', { class: 'live-line halo', x1: me.x, y1: me.y, x2: other.x, y2: other.y, stroke: '#ffffff', 'stroke-width': 7, 'stroke-opacity': 0.85 }));
        var asked = svgEl('line', { class: 'pair hl live-line asked', x1: me.x, y1: me.y, x2: other.x, y2: other.y, stroke: band.key === 'implausible' ? '#555555' : band.colour, 'stroke-width': 3.5, 'stroke-linecap': 'round' });
        if (band.dash) asked.setAttribute('stroke-dasharray', band.dash === '1 5' ? '2 4' : band.dash);
        layer.append(asked);
        var og = marker(k, state.b);
        if (og) og.classList.add('sel');
      }
      section(k).querySelectorAll('line.pair').forEach(function (l) {
        if (l.getAttribute('data-a') === String(state.a) || l.getAttribute('data-b') === String(state.a)) l.classList.add('hl');
      });
    });
  }

  // a person's pairs in phase p, best first: {other, band, score, distance, odds}
  function partners(p, i) {
    return DATA.phases[p].pairs.filter(function (r) { return r[0] === i || r[1] === i; }).map(function (r) {
      return { other: r[0] === i ? r[1] : r[0], band: r[2], score: r[3], distance: r[4], odds: r[5] };
    }).sort(function (x, y) { return y.score - x.score || x.distance - y.distance; });
  }

  // ---- the panel
  var panel = document.getElementById('panel');
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function selectPerson(i) {
    if (state.a === i && panel.getAttribute('data-person') === String(i) && panel.getAttribute('data-phase') === String(state.phase)) return;
    state.a = i;
    state.b = null;
    renderPanel();
    drawLive();
    renderTable();
    saveHash();
  }
  function clearPerson() {
    state.a = null; state.b = null;
    renderPanel(); drawLive(); renderTable(); saveHash();
  }
  function renderPanel() {
    clear(panel);
    panel.removeAttribute('data-person');
    if (pickNote) pickNote.textContent = state.b !== null ? 'The verdict for ' + everyone[state.a] + ' and ' + everyone[state.b] + ' is shown beside the chart.' : '';
    if (state.a === null) {
      panel.append(el('p', { class: 'hint', text: 'Select a person on the chart (click, tap, or Tab then Enter), or find them by name: their partners by band, how far their voice carried, and the verdicts. Shift-click a second person, or use a partner\'s button, for the pair\'s verdict.' }));
      return;
    }
    panel.setAttribute('data-person', state.a);
    panel.setAttribute('data-phase', state.phase);
    renderPair();
    var me = person(state.phase, state.a);
    var name = everyone[state.a];
    panel.append(el('h2', { id: 'panel-name', text: name }));
    if (!me) {
      panel.append(el('p', { class: 'note', text: name + ' was not there during "' + ph().name + '".' }));
      return;
    }
    var facts = [me.role, me.seat ? 'seat ' + me.seat : '', me.group, me.uncertain ? 'uncertain: ' + me.uncertain : ''].filter(Boolean);
    if (facts.length) panel.append(el('p', { class: 'note', text: facts.join(' · ') }));
    if (ph().contours) panel.append(el('p', { class: 'note', text: 'On the chart: their voice understood (fair) inside the solid line at a natural voice, inside the dashed line raised.' }));
    var list = partners(state.phase, state.a);
    ['easy', 'raised', 'shouting'].forEach(function (band) {
      var rows = list.filter(function (r) { return r.band === band; });
      var h = el('h3', { class: 'band-head', 'data-band': band }, swatch(band), BAND[band].label + ' (' + rows.length + ')');
      panel.append(h);
      if (state.hidden[band]) {
        panel.append(el('p', { class: 'note', text: 'hidden by the filter' }));
        return;
      }
      var ul = el('ul', { class: 'partners', 'data-band': band });
      rows.forEach(function (r) {
        var t = texts(state.phase, state.a, r.other);
        var btn = el('button', { type: 'button', class: 'partner', 'data-other': r.other },
          el('span', { class: 'who', text: everyone[r.other] }), ' ' + r.distance.toFixed(1) + ' m' + (r.odds ? ' · ' + r.odds : ''),
          el('span', { class: 'quote', text: t ? t[0] : '' }));
        btn.addEventListener('click', function () { pickPair(state.a, r.other); });
        ul.append(el('li', null, btn));
      });
      if (!rows.length) ul.append(el('li', { class: 'note', text: 'no one' }));
      panel.append(ul);
    });
    var far = list.filter(function (r) { return r.band === 'implausible'; }).length;
    panel.append(el('p', { class: 'note', text: far + ' other' + (far === 1 ? '' : 's') + ' present: implausible (ask for any pair below).' }));
  }

  // ---- a pair's verdict
  var pickNote = document.getElementById('pick-note');
  function pickPair(a, b, quiet) {
    state.a = a; state.b = b;
    document.getElementById('pick-a').value = everyone[a] || '';
    document.getElementById('pick-b').value = everyone[b] || '';
    renderPanel(); drawLive(); renderTable(); saveHash();
    var box = document.getElementById('pair-verdict');
    if (!quiet && box) box.scrollIntoView({ block: 'nearest' });
  }
  // the pair's verdict, at the top of the panel
  function renderPair() {
    if (state.a === null || state.b === null) return;
    var a = state.a, b = state.b, p = state.phase;
    var pairBox = el('section', { id: 'pair-verdict', 'data-pair': pairKey(a, b), 'aria-label': 'Verdict for the pair' });
    panel.append(pairBox);
    pairBox.append(el('h3', { text: everyone[a] + ' and ' + everyone[b] + ', during "' + ph().name + '"' }));
    var row = pairRow(p, a, b);
    var t = texts(p, a, b);
    if (!row) {
      pairBox.append(el('p', { class: 'verdict-line', text: 'They were not both there during "' + ph().name + '": no conversation was possible.' }));
    } else {
      pairBox.append(el('p', { class: 'verdict-line' }, swatch(row[2]), t ? t[0] : BAND[row[2]].label + ' (score ' + row[3] + ', ' + row[4] + ' m)'));
      if (t) {
        var more = el('details', { class: 'factors' }, el('summary', { text: 'Factor by factor' }), el('pre', { class: 'detail', text: t[1] }));
        more.open = true;
        pairBox.append(more);
      } else {
        pairBox.append(el('p', { class: 'note', text: 'This page keeps the explanations of pairs that could have talked; run `earshot query` for this one.' }));
      }
    }
    var back = el('button', { type: 'button', class: 'back', text: 'Close the pair, back to ' + everyone[a] });
    back.addEventListener('click', function () { state.b = null; renderPanel(); renderTable(); saveHash(); });
    pairBox.append(back);
  }
  document.getElementById('pick-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var a = find(document.getElementById('pick-a').value), b = find(document.getElementById('pick-b').value);
    if (a === null || b === null || a === b) {
      pickNote.className = 'error';
      pickNote.textContent = ( a === null ? 'No one (or more than one) matches the first name.' : b === null ? 'No one (or more than one) matches the second name.' : 'Choose two different people.');
      return;
    }
    pickNote.className = 'note';
    pickPair(a, b);
  });

  // ---- search
  var names = document.getElementById('names');
  Object.keys(everyone).forEach(function (i) { names.append(el('option', { value: everyone[i] })); });
  var search = document.getElementById('search');
  function runSearch() {
    var i = find(search.value);
    if (i === null) { search.setAttribute('aria-invalid', search.value ? 'true' : 'false'); return; }
    search.setAttribute('aria-invalid', 'false');
    selectPerson(i);
  }
  search.addEventListener('change', runSearch);
  search.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { ev.preventDefault(); runSearch(); } });

  // ---- phases
  var tabs = Array.prototype.slice.call(document.querySelectorAll('[role=tab]'));
  function showPhase(k, focusTab) {
    state.phase = k;
    tabs.forEach(function (t, j) {
      t.setAttribute('aria-selected', j === k ? 'true' : 'false');
      t.setAttribute('tabindex', j === k ? '0' : '-1');
      section(j).hidden = j !== k;
    });
    if (focusTab) tabs[k].focus();
    renderPanel(); drawLive(); renderTable(); saveHash();
  }
  tabs.forEach(function (t, k) {
    t.addEventListener('click', function () { showPhase(k, false); });
    t.addEventListener('keydown', function (ev) {
      if (ev.key === 'ArrowRight') showPhase((k + 1) % tabs.length, true);
      else if (ev.key === 'ArrowLeft') showPhase((k + tabs.length - 1) % tabs.length, true);
    });
  });

  // ---- the band filter
  var filter = document.getElementById('band-filter');
  var mainEl = document.querySelector('main');
  DATA.bands.forEach(function (b) {
    var box = el('input', { type: 'checkbox', 'data-band': b.key });
    box.checked = !state.hidden[b.key];
    box.addEventListener('change', function () {
      state.hidden[b.key] = !box.checked;
      applyFilter(); renderPanel(); renderTable();
    });
    filter.append(el('label', null, box, swatch(b.key), b.label));
  });
  function applyFilter() {
    DATA.bands.forEach(function (b) { mainEl.classList.toggle('hide-' + b.key, !!state.hidden[b.key]); });
  }

  // ---- the table
  var tbody = document.querySelector('#pairs-table tbody');
  var SHOWN = 2000;
  function tableRows() {
    var rows = ph().pairs.filter(function (r) { return !state.hidden[r[2]]; });
    if (state.a !== null) rows = rows.filter(function (r) { return r[0] === state.a || r[1] === state.a; });
    var key = state.sort.key, dir = state.sort.dir;
    var col = { a: 0, b: 1, band: 2, score: 3, distance: 4 }[key];
    rows = rows.slice().sort(function (x, y) {
      var u = x[col], v = y[col];
      if (key === 'a' || key === 'b') { u = fold(everyone[u]); v = fold(everyone[v]); }
      if (key === 'band') { u = BAND[u].rank; v = BAND[v].rank; }
      return (u < v ? -1 : u > v ? 1 : 0) * dir || y[3] - x[3];
    });
    return rows;
  }
  function renderTable() {
    var rows = tableRows();
    clear(tbody);
    rows.slice(0, SHOWN).forEach(function (r) {
      var tr = el('tr', { class: 'pick', tabindex: '0', 'data-pair': r[0] + '-' + r[1] },
        el('td', { text: everyone[r[0]] }), el('td', { text: everyone[r[1]] }),
        el('td', null, swatch(r[2]), BAND[r[2]].label), el('td', { class: 'num', text: r[3].toFixed(2) }),
        el('td', { class: 'num', text: r[4].toFixed(2) }), el('td', { text: r[5] }));
      var go = function () { pickPair(r[0], r[1]); };
      tr.addEventListener('click', go);
      tr.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') go(); });
      tbody.append(tr);
    });
    var who = state.a !== null ? ' with ' + everyone[state.a] : '';
    var hidden = DATA.bands.filter(function (b) { return state.hidden[b.key]; }).map(function (b) { return b.label; });
    document.getElementById('table-note').textContent = rows.length + ' pair' + (rows.length === 1 ? '' : 's') + who + ' during "' + ph().name + '"' +
      (hidden.length ? ' (hidden: ' + hidden.join(', ') + ')' : '') + (rows.length > SHOWN ? '; the first ' + SHOWN + ' are listed, the downloads hold all' : '') + '. Select a row for its verdict.';
    document.querySelectorAll('#pairs-table th').forEach(function (th) {
      var b = th.querySelector('button');
      if (!b) return;
      th.setAttribute('aria-sort', b.getAttribute('data-sort') === state.sort.key ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none');
    });
  }
  document.querySelectorAll('#pairs-table th button').forEach(function (b) {
    b.addEventListener('click', function () {
      var k = b.getAttribute('data-sort');
      state.sort = { key: k, dir: state.sort.key === k ? -state.sort.dir : (k === 'score' ? -1 : 1) };
      renderTable();
    });
  });
  function csvField(s) {
    s = String(s);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function download(name, type, text) {
    var a = el('a', { download: name, href: URL.createObjectURL(new Blob([text], { type: type })) });
    document.body.append(a); a.click(); a.remove();
  }
  function fileStem() { return fold(DATA.title).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) + '-' + fold(ph().name).replace(/[^a-z0-9]+/g, '-'); }
  document.getElementById('dl-csv').addEventListener('click', function () {
    var lines = ['phase,a,b,band,score,distance_m,uncertain'];
    tableRows().forEach(function (r) {
      lines.push([ph().name, everyone[r[0]], everyone[r[1]], r[2], r[3], r[4], r[5]].map(csvField).join(','));
    });
    download(fileStem() + '-pairs.csv', 'text/csv', lines.join('\n') + '\n');
  });
  document.getElementById('dl-json').addEventListener('click', function () {
    var out = tableRows().map(function (r) {
      return { phase: ph().name, a: everyone[r[0]], b: everyone[r[1]], band: r[2], score: r[3], distance_m: r[4], uncertain: r[5] || null };
    });
    download(fileStem() + '-pairs.json', 'application/json', JSON.stringify(out, null, 1) + '\n');
  });

  // ---- the address remembers the view: #phase=speech&a=Jeff%20Sessions&b=...
  function saveHash() {
    if (!history.replaceState) return;
    var parts = ['phase=' + encodeURIComponent(ph().name)];
    if (state.a !== null) parts.push('a=' + encodeURIComponent(everyone[state.a]));
    if (state.b !== null) parts.push('b=' + encodeURIComponent(everyone[state.b]));
    try { history.replaceState(null, '', '#' + parts.join('&')); } catch (e) { /* file: pages in some browsers */ }
  }
  function loadHash() {
    var h = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i > 0) { try { h[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); } catch (e) { /* ignore a bad escape */ } }
    });
    if (h.phase) DATA.phases.forEach(function (p, k) { if (fold(p.name) === fold(h.phase)) showPhase(k, false); });
    var a = h.a ? find(h.a) : null, b = h.b ? find(h.b) : null;
    if (a !== null && b !== null && a !== b) pickPair(a, b, true);
    else if (a !== null) selectPerson(a);
  }

  // ---- unpack the verdict texts and contours, then start
  function unpack() {
    var node = document.getElementById('earshot-detail');
    if (!node || typeof DecompressionStream === 'undefined') return Promise.reject(new Error('this browser cannot unpack the verdict texts'));
    var bin = atob(node.textContent.trim());
    var bytes = new Uint8Array(bin.length);
    for (var k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Response(stream).text().then(JSON.parse);
  }
  applyFilter();
  renderTable();
  unpack().then(function (d) { detail = d; }, function (e) {
    panel.append(el('p', { class: 'error', text: 'The verdict texts could not be unpacked (' + e.message + '); bands and numbers still work.' }));
  }).then(function () {
    loadHash();
    if (state.a === null) { renderPanel(); renderTable(); }
    root.setAttribute('data-ready', 'true');
    ready();
  });
})();
