/*
 * views_page.js — the script of the page `currantc graph --format html`
 * writes.  emit/build.mk embeds it (with views_page.css and elkjs) into
 * currantc; emit/views.c inlines it after the graph data: a JSON script
 * element with id currant-graph holding the normalized view ({files, nodes,
 * edges}, see docs/VIEWS.md).
 *
 * One cluster per file.  ELK (the layered algorithm, hierarchy included)
 * places the visible graph: expanded clusters with their nodes, collapsed
 * clusters as one box whose edges are the union of their members' edges.
 * Above data.collapse_threshold nodes every cluster starts collapsed.
 * Edge-kind filters and search only restyle what is drawn; collapsing or
 * expanding lays out again.
 *
 * Every string from the data reaches the document through textContent or
 * setAttribute on a data-/title attribute, never as markup.  The body's
 * data-layout attribute is "running" while ELK works and "done" after each
 * drawing (the browser tests wait for it).
 *
 * With a run (a second JSON element, id currant-run: what `currant show
 * RUN --json` prints, embedded by `currant view` / `currantc graph
 * --overlay`) every site node gets the state of its checkpoints (class
 * run-STATE, attribute data-run), its enclosing function or task the
 * roll-up of its sites, the panel the attempts and durations, and a
 * timeline lists the checkpoints in journal order.  States come from the
 * journal only: done (recorded ok), failed (recorded error; a failed
 * attempt that was retried counts as an attempt, not a failure), replayed
 * (a fork's rows before fork_at, reused from its parent), suspended / waiting
 * (a durable sleep or wait_event whose wake time or deadline is recorded but
 * whose own row is not, in a suspended / running run).
 */
(function () {
  'use strict';

  var SVGNS = 'http://www.w3.org/2000/svg';
  var KINDS = ['call', 'data', 'import', 'cross_lang', 'contains'];
  var KIND_LABEL = { call: 'call', data: 'data', import: 'import', cross_lang: 'cross-language', contains: 'contains' };
  var STYLE_ORDER = ['cross_lang', 'data', 'call', 'import', 'contains'];

  var data = JSON.parse(document.getElementById('currant-graph').textContent);
  var model = buildModel(data);
  var run = null; /* the overlaid run, set by start() */
  var state = {
    collapsed: new Set(),
    kinds: new Set(KINDS),
    query: '',
    matches: null,
    selected: -1,
    view: { x: 0, y: 0, k: 1 },
    size: { w: 0, h: 0 },
    pos: new Map(), /* element id -> {x, y, w, h} of the last layout */
  };
  var ui = {};
  var elk = new ELK();
  var measureCtx = document.createElement('canvas').getContext('2d');

  /* ------------------------------------------------------------ model */

  function buildModel(d) {
    var m = { files: [], nodes: d.nodes || [], edges: d.edges || [], lines: [], byId: new Map() };
    var fileIdx = new Map();
    (d.files || []).forEach(function (f) { addFile(m, fileIdx, f.path, f.language); });
    m.nodes.forEach(function (n, i) {
      n.idx = i;
      n.out = [];
      n.inc = [];
      n.fileIdx = addFile(m, fileIdx, n.file, n.language || '');
      m.files[n.fileIdx].nodes.push(i);
      m.byId.set(n.id, i);
    });
    m.edges.forEach(function (e) {
      var a = m.byId.get(e.from), b = m.byId.get(e.to);
      if (a === undefined || b === undefined) return;
      e.a = a;
      e.b = b;
      m.nodes[a].out.push(e);
      m.nodes[b].inc.push(e);
    });
    m.lines = mergeLines(m);
    return m;
  }

  function addFile(m, fileIdx, path, lang) {
    path = path || '(no file)';
    if (fileIdx.has(path)) return fileIdx.get(path);
    fileIdx.set(path, m.files.length);
    m.files.push({ path: path, language: lang || '', nodes: [] });
    return m.files.length - 1;
  }

  /* One line per ordered pair of nodes; module -> member containment is
   * left out (the cluster shows it). */
  function mergeLines(m) {
    var byPair = new Map(), lines = [];
    m.edges.forEach(function (e) {
      if (e.a === undefined) return;
      if (e.kind === 'contains' && m.nodes[e.a].kind === 'module') return;
      var key = e.a + '>' + e.b;
      var l = byPair.get(key);
      if (!l) {
        l = { a: e.a, b: e.b, kinds: new Set() };
        byPair.set(key, l);
        lines.push(l);
      }
      l.kinds.add(e.kind);
    });
    return lines;
  }

  function styleKind(kinds) {
    for (var i = 0; i < STYLE_ORDER.length; i++) if (kinds.has(STYLE_ORDER[i])) return STYLE_ORDER[i];
    return 'contains';
  }

  /* A prompt is a boundary site of its own kind (drawn apart). */
  function isSite(n) {
    return n.kind === 'site' || n.kind === 'prompt';
  }

  function nodeClass(n) {
    return n.kind === 'function' && n.def ? n.def : n.kind;
  }

  function location(n) {
    return n.line ? n.file + ':' + n.line : n.file;
  }


  /* --------------------------------------------------------- the run */

  var RUN_STATES = ['suspended', 'waiting', 'failed', 'done', 'replayed']; /* worst first */

  function worst(a, b) {
    if (!a) return b;
    if (!b) return a;
    return RUN_STATES.indexOf(a) <= RUN_STATES.indexOf(b) ? a : b;
  }

  function num(x) {
    var v = Number(x);
    return isFinite(v) ? v : 0;
  }

  function buildRun(r, m) {
    var cks = (Array.isArray(r.checkpoints) ? r.checkpoints : []).filter(function (c) {
      return c && typeof c === 'object';
    }).slice().sort(function (a, b) { return num(a.seq) - num(b.seq); });
    var keys = new Set(cks.map(function (c) { return String(c.key); }));
    var forkAt = r.parent ? num(r.fork_at) : 0;
    var pendingAs = r.status === 'suspended' ? 'suspended' : r.status === 'running' ? 'waiting' : null;
    var out = { info: r, cks: cks, nodes: new Map(), t0: Infinity, t1: -Infinity };
    cks.forEach(function (c) {
      var id = c.site_node && typeof c.site_node === 'object' ? c.site_node.id : undefined;
      c.idx = typeof id === 'string' && m.byId.has(id) ? m.byId.get(id) : -1;
      c.t0 = num(c.started);
      c.dur = Math.max(0, num(c.ended) - c.t0);
      var key = String(c.key), sub = /^(.*)\.0$/.exec(key);
      if (c.status === 'error') c.state = 'failed';
      else if (c.status === 'retry') c.state = 'retried';
      else if (num(c.seq) < forkAt) c.state = 'replayed';
      else c.state = 'done';
      /* a sleep's wake time / a wait's deadline without the sleep or wait row */
      if (pendingAs && c.kind === 'value' && sub && !keys.has(sub[1])) c.state = pendingAs;
      if (c.t0 > 0) {
        out.t0 = Math.min(out.t0, c.t0);
        out.t1 = Math.max(out.t1, c.t0 + c.dur);
      }
      if (c.idx >= 0) addRun(out, c.idx, c);
    });
    /* roll sites up into the function, task or module that contains them */
    Array.from(out.nodes.keys()).forEach(function (i) {
      m.nodes[i].inc.forEach(function (e) {
        if (e.kind !== 'contains') return;
        out.nodes.get(i).cks.forEach(function (c) { addRun(out, e.a, c, true); });
      });
    });
    out.nodes.forEach(function (s) {
      s.state = null;
      s.cks.forEach(function (c) { if (c.state !== 'retried') s.state = worst(s.state, c.state); });
      if (!s.state) s.state = 'failed'; /* only failed attempts so far */
    });
    if (!isFinite(out.t0)) out.t0 = out.t1 = 0;
    return out;
  }

  function addRun(out, i, c, rolled) {
    var s = out.nodes.get(i);
    if (!s) {
      s = { cks: [], rolled: !!rolled };
      out.nodes.set(i, s);
    }
    s.cks.push(c);
  }

  function fmtDur(d) {
    if (!(d > 0)) return '0us';
    if (d < 1e-3) return Math.round(d * 1e6) + 'us';
    if (d < 1) return (d * 1e3).toFixed(1) + 'ms';
    return d.toFixed(2) + 's';
  }

  function runSummary(s) {
    var att = 0, fails = 0, time = 0;
    s.cks.forEach(function (c) {
      att = Math.max(att, num(c.attempt) || 1);
      if (c.state === 'failed' || c.state === 'retried') fails++;
      time += c.dur;
    });
    return { count: s.cks.length, attempts: att, failures: fails, time: time };
  }

  function valueText(v) {
    var t = v === undefined ? '' : JSON.stringify(v);
    if (t === undefined) t = String(v);
    return t.length > 160 ? t.slice(0, 157) + '\u2026' : t;
  }

  /* The run section of the details panel. */
  function runSection(n, p) {
    var s = run.nodes.get(n.idx);
    var sec = el('section', { class: 'run', 'data-section': 'run' });
    sec.appendChild(el('h3', null, 'this run'));
    if (!s) {
      sec.appendChild(el('p', { class: 'none' }, 'not reached: no checkpoint in the journal'));
      p.insertBefore(sec, p.querySelector('section'));
      return;
    }
    var sum = runSummary(s), dl = el('dl');
    [['state', s.state], ['checkpoints', sum.count], ['attempts', sum.attempts], ['failed attempts', sum.failures],
      ['time', fmtDur(sum.time)]].forEach(function (r) {
      dl.appendChild(el('dt', null, r[0]));
      dl.appendChild(el('dd', { 'data-field': r[0] }, String(r[1])));
    });
    sec.appendChild(dl);
    var ul = el('ul', { class: 'cks' });
    s.cks.slice(0, 100).forEach(function (c) {
      var li = el('li', { 'data-run': c.state });
      var b = el('button', { type: 'button', class: 'jump' }, '#' + c.seq);
      b.addEventListener('click', function () { focusCheckpoint(c); });
      li.appendChild(b);
      var what = c.state + ' \u00b7 attempt ' + (num(c.attempt) || 1) + ' \u00b7 ' + fmtDur(c.dur);
      if (s.rolled && c.site_node) what = (c.site_node.callee || '') + ' \u00b7 ' + what;
      li.appendChild(el('span', { class: 'where' }, what));
      if (c.value !== null && c.value !== undefined) li.appendChild(el('code', { class: 'value' }, valueText(c.value)));
      ul.appendChild(li);
    });
    if (s.cks.length > 100) ul.appendChild(el('li', { class: 'none' }, (s.cks.length - 100) + ' more'));
    sec.appendChild(ul);
    p.insertBefore(sec, p.querySelector('section'));
  }

  function buildTimeline() {
    var box = el('section', { id: 'timeline' });
    var info = run.info, head = el('header');
    head.appendChild(el('strong', null, 'run ' + String(info.id || '?')));
    head.appendChild(el('span', { id: 'run-status', 'data-status': String(info.status || '') },
      String(info.status || '?')));
    var bits = [run.cks.length + ' checkpoints', fmtDur(run.t1 - run.t0)];
    if (info.entry) bits.push(String(info.entry));
    if (info.parent) bits.push('fork of ' + info.parent + ' at ' + info.fork_at);
    if (info.error) bits.push(String(info.error));
    head.appendChild(el('span', { class: 'sub' }, bits.join(' \u00b7 ')));
    box.appendChild(head);
    var ol = el('ol', { id: 'timeline-list' });
    var span = run.t1 - run.t0 || 1, LIMIT = 5000;
    run.cks.slice(0, LIMIT).forEach(function (c) {
      var n = c.idx >= 0 ? model.nodes[c.idx] : null;
      var li = el('li', { class: 'tl', 'data-seq': c.seq, 'data-run': c.state, 'data-idx': c.idx });
      var b = el('button', { type: 'button', class: 'tl-entry' });
      if (!n) b.disabled = true;
      b.appendChild(el('span', { class: 'seq' }, '#' + c.seq));
      b.appendChild(el('span', { class: 'dot' }));
      b.appendChild(el('span', { class: 'name' }, n ? n.callee || n.label : String(c.kind || '?')));
      b.appendChild(el('span', { class: 'where' }, String(c.where || c.file || '')));
      b.appendChild(el('span', { class: 'att' }, num(c.attempt) > 1 ? 'attempt ' + c.attempt : ''));
      b.appendChild(el('span', { class: 'dur' }, fmtDur(c.dur)));
      var track = el('span', { class: 'track' }), bar = el('span', { class: 'bar' });
      bar.style.left = (100 * Math.max(0, c.t0 - run.t0) / span).toFixed(2) + '%';
      bar.style.width = Math.max(0.4, 100 * c.dur / span).toFixed(2) + '%';
      track.appendChild(bar);
      b.appendChild(track);
      b.title = c.state + ' \u00b7 ' + String(c.status) + ' \u00b7 key ' + String(c.key);
      b.addEventListener('click', function () { focusCheckpoint(c); });
      li.appendChild(b);
      ol.appendChild(li);
      c.li = li;
    });
    if (run.cks.length > LIMIT) ol.appendChild(el('li', { class: 'none' }, (run.cks.length - LIMIT) + ' more'));
    box.appendChild(ol);
    return box;
  }

  function focusCheckpoint(c) {
    run.cks.forEach(function (x) { if (x.li) x.li.classList.toggle('current', x === c); });
    if (c.li && c.li.scrollIntoView) c.li.scrollIntoView({ block: 'nearest' });
    if (c.idx >= 0) select(c.idx, true);
  }

  function markTimeline() {
    if (!run) return;
    run.cks.forEach(function (c) { if (c.li) c.li.classList.toggle('hl', state.selected >= 0 && c.idx === state.selected); });
  }

  function runDecorate(g, i) {
    var s = run.nodes.get(i), n = model.nodes[i];
    var st = s ? s.state : 'none';
    g.classList.add('run-' + st);
    g.setAttribute('data-run', st);
    if (!s) return;
    var sum = runSummary(s);
    g.setAttribute('data-attempts', sum.attempts);
    g.setAttribute('data-checkpoints', sum.count);
    var t = g.querySelector('title');
    if (t) t.textContent = n.id + '\n' + st + ' \u00b7 ' + sum.count + ' checkpoints \u00b7 ' + fmtDur(sum.time);
  }

  /* ---------------------------------------------------------- helpers */

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    setAttrs(e, attrs);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    setAttrs(e, attrs);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function setAttrs(e, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
  }

  function textWidth(s, px) {
    measureCtx.font = px + 'px system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif';
    return measureCtx.measureText(s).width;
  }

  /* -------------------------------------------------------------- UI */

  function buildUi() {
    var app = el('div', { id: 'app' });
    app.appendChild(buildBar());
    var stage = el('main', { id: 'stage' });
    ui.svg = svg('svg', { id: 'graph', role: 'img', 'aria-label': 'dependency graph' });
    ui.svg.appendChild(buildMarkers());
    ui.viewport = svg('g', { id: 'viewport' });
    ui.svg.appendChild(ui.viewport);
    stage.appendChild(ui.svg);
    ui.status = el('div', { id: 'status' });
    stage.appendChild(ui.status);
    app.appendChild(stage);
    ui.panel = el('aside', { id: 'panel', hidden: '' });
    app.appendChild(ui.panel);
    if (run) {
      app.classList.add('has-run');
      app.appendChild(buildTimeline());
    }
    app.appendChild(buildLegend());
    document.body.appendChild(app);
    bindPanZoom();
  }

  function buildBar() {
    var bar = el('header', { id: 'bar' });
    bar.appendChild(el('strong', { class: 'brand' }, 'currant graph'));
    bar.appendChild(el('span', { id: 'stats' }, model.nodes.length + ' nodes \u00b7 ' + model.edges.length +
      ' edges \u00b7 ' + model.files.length + ' files'));
    ui.search = el('input', { id: 'search', type: 'search', placeholder: 'Search names, files, callees\u2026',
      autocomplete: 'off', spellcheck: 'false' });
    ui.search.addEventListener('input', function () { setQuery(ui.search.value); });
    ui.search.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') revealMatches(); });
    bar.appendChild(ui.search);
    ui.count = el('span', { id: 'search-count' });
    bar.appendChild(ui.count);
    bar.appendChild(buildKindFilter());
    bar.appendChild(button('expand-all', 'Expand all', function () { setCollapsed([]); }));
    bar.appendChild(button('collapse-all', 'Collapse all', function () {
      setCollapsed(model.files.map(function (f, i) { return i; }));
    }));
    bar.appendChild(button('fit', 'Fit', fitView));
    return bar;
  }

  function button(id, label, fn) {
    var b = el('button', { id: id, type: 'button' }, label);
    b.addEventListener('click', fn);
    return b;
  }

  function buildKindFilter() {
    var box = el('fieldset', { id: 'kinds' });
    box.appendChild(el('legend', null, 'edges'));
    KINDS.forEach(function (k) {
      var label = el('label', { class: 'kind k-' + k });
      var cb = el('input', { type: 'checkbox', 'data-kind': k });
      cb.checked = true;
      cb.addEventListener('change', function () {
        if (cb.checked) state.kinds.add(k);
        else state.kinds.delete(k);
        restyle();
      });
      label.appendChild(cb);
      label.appendChild(el('span', { class: 'swatch' }));
      label.appendChild(document.createTextNode(KIND_LABEL[k]));
      box.appendChild(label);
    });
    return box;
  }

  function buildLegend() {
    var f = el('footer', { id: 'legend' });
    [['module', 'module'], ['function', 'function'], ['method', 'method'], ['class', 'class'], ['task', 'task'],
      ['site', 'boundary site'], ['prompt', 'prompt']].forEach(function (p) {
      var s = el('span', { class: 'legend-item' });
      s.appendChild(el('span', { class: 'chip c-' + p[0] }));
      s.appendChild(document.createTextNode(p[1]));
      f.appendChild(s);
    });
    if (run) {
      RUN_STATES.concat(['none']).forEach(function (st) {
        var s = el('span', { class: 'legend-item run-legend' });
        s.appendChild(el('span', { class: 'chip run-chip', 'data-run': st }));
        s.appendChild(document.createTextNode(st === 'none' ? 'not reached' : st));
        f.appendChild(s);
      });
    }
    f.appendChild(el('span', { class: 'hint' }, 'click a node for details \u00b7 click a file title to collapse or ' +
      'expand it \u00b7 drag to pan \u00b7 wheel to zoom'));
    return f;
  }

  function buildMarkers() {
    var defs = svg('defs');
    KINDS.forEach(function (k) {
      var m = svg('marker', { id: 'arrow-' + k, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerUnits: 'userSpaceOnUse',
        markerHeight: 9, orient: 'auto-start-reverse', class: 'marker k-' + k });
      m.appendChild(svg('path', { d: 'M0,0 L10,5 L0,10 z' }));
      defs.appendChild(m);
    });
    return defs;
  }

  /* ---------------------------------------------------------- layout */

  function nodeSize(n) {
    var small = isSite(n);
    var px = small ? 11 : 12;
    return { w: Math.max(small ? 40 : 56, Math.ceil(textWidth(n.label, px)) + (small ? 22 : 24)), h: small ? 24 : 30 };
  }

  function clusterBoxSize(f) {
    return { w: Math.max(120, Math.ceil(textWidth(f.path, 12)) + 40), h: 46 };
  }

  /* The element a node is drawn in: itself, or its collapsed cluster. */
  function repOf(i) {
    var f = model.nodes[i].fileIdx;
    return state.collapsed.has(f) ? 'f' + f : 'n' + i;
  }

  function elkGraph() {
    var children = model.files.map(function (f, fi) {
      if (state.collapsed.has(fi)) {
        var s = clusterBoxSize(f);
        return { id: 'f' + fi, width: s.w, height: s.h };
      }
      return {
        id: 'f' + fi,
        layoutOptions: { 'elk.padding': '[top=30,left=12,bottom=12,right=12]' },
        children: f.nodes.map(function (i) {
          var s = nodeSize(model.nodes[i]);
          return { id: 'n' + i, width: s.w, height: s.h };
        }),
      };
    });
    return {
      id: 'root',
      layoutOptions: {
        'elk.algorithm': 'layered',
        'elk.direction': 'RIGHT',
        'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
        'elk.spacing.nodeNode': '14',
        'elk.layered.spacing.nodeNodeBetweenLayers': '36',
        'elk.spacing.edgeNode': '10',
        'elk.layered.thoroughness': model.nodes.length > 1500 ? '1' : '7',
        'elk.json.edgeCoords': 'ROOT',
        'elk.json.shapeCoords': 'ROOT',
      },
      children: children,
      edges: visibleEdges(),
    };
  }

  /* Lines between what is drawn, merged when collapsing makes them meet. */
  function visibleEdges() {
    var byPair = new Map();
    state.drawn = [];
    model.lines.forEach(function (l) {
      var a = repOf(l.a), b = repOf(l.b);
      if (a === b) return;
      var key = a + '>' + b, d = byPair.get(key);
      if (!d) {
        d = { id: 'e' + state.drawn.length, a: a, b: b, kinds: new Set(), lines: [] };
        byPair.set(key, d);
        state.drawn.push(d);
      }
      l.kinds.forEach(function (k) { d.kinds.add(k); });
      d.lines.push(l);
    });
    return state.drawn.map(function (d) { return { id: d.id, sources: [d.a], targets: [d.b] }; });
  }

  function relayout() {
    document.body.setAttribute('data-layout', 'running');
    var count = model.files.reduce(function (s, f, i) { return s + (state.collapsed.has(i) ? 1 : f.nodes.length); }, 0);
    ui.status.textContent = 'Laying out ' + count + ' boxes\u2026';
    ui.status.hidden = false;
    var started = performance.now();
    return elk.layout(elkGraph()).then(function (g) {
      draw(g);
      ui.status.hidden = true;
      document.body.setAttribute('data-layout-ms', String(Math.round(performance.now() - started)));
      document.body.setAttribute('data-layout', 'done');
    }).catch(function (err) {
      ui.status.textContent = 'Layout failed: ' + (err && err.message ? err.message : String(err));
      document.body.setAttribute('data-layout', 'failed');
    });
  }

  /* ------------------------------------------------------------ drawing */

  function draw(g) {
    while (ui.viewport.firstChild) ui.viewport.removeChild(ui.viewport.firstChild);
    state.pos = new Map();
    state.size = { w: g.width || 0, h: g.height || 0 };
    var layers = { clusters: svg('g', { class: 'clusters' }), edges: svg('g', { class: 'edges' }),
      nodes: svg('g', { class: 'nodes' }) };
    (g.children || []).forEach(function (c) { drawCluster(c, layers); });
    (g.edges || []).forEach(function (e, i) { drawEdge(e, state.drawn[i], layers.edges); });
    ui.viewport.appendChild(layers.clusters);
    ui.viewport.appendChild(layers.edges);
    ui.viewport.appendChild(layers.nodes);
    restyle();
    if (!state.fitted) {
      fitView();
      state.fitted = true;
    }
  }

  function drawCluster(c, layers) {
    var fi = Number(c.id.slice(1)), f = model.files[fi];
    state.pos.set(c.id, { x: c.x, y: c.y, w: c.width, h: c.height });
    if (state.collapsed.has(fi)) return drawCollapsed(c, fi, f, layers.nodes);
    var g = svg('g', { class: 'cluster lang-' + f.language, 'data-file': fi });
    g.appendChild(svg('rect', { x: c.x, y: c.y, width: c.width, height: c.height, rx: 8 }));
    var title = svg('text', { class: 'cluster-title', x: c.x + 10, y: c.y + 19 }, '\u25be ' + f.path);
    title.appendChild(svg('title', null, 'collapse ' + f.path));
    title.addEventListener('click', function (ev) { ev.stopPropagation(); toggleCluster(fi); });
    g.appendChild(title);
    layers.clusters.appendChild(g);
    (c.children || []).forEach(function (n) { drawNode(n, layers.nodes); });
  }

  function drawCollapsed(c, fi, f, layer) {
    var g = svg('g', { class: 'node collapsed lang-' + f.language, 'data-file': fi });
    g.appendChild(svg('rect', { x: c.x, y: c.y, width: c.width, height: c.height, rx: 8 }));
    g.appendChild(svg('text', { class: 'label', x: c.x + 10, y: c.y + 19 }, '\u25b8 ' + f.path));
    g.appendChild(svg('text', { class: 'sub', x: c.x + 10, y: c.y + 36 }, f.nodes.length + ' nodes'));
    g.appendChild(svg('title', null, 'expand ' + f.path));
    g.addEventListener('click', function (ev) { ev.stopPropagation(); toggleCluster(fi); });
    layer.appendChild(g);
  }

  function drawNode(c, layer) {
    var i = Number(c.id.slice(1)), n = model.nodes[i];
    state.pos.set(c.id, { x: c.x, y: c.y, w: c.width, h: c.height });
    var g = svg('g', { class: 'node c-' + nodeClass(n), 'data-idx': i });
    var r = isSite(n) ? c.height / 2 : n.kind === 'module' ? 2 : 6;
    g.appendChild(svg('rect', { x: c.x, y: c.y, width: c.width, height: c.height, rx: r }));
    g.appendChild(svg('text', { class: 'label', x: c.x + c.width / 2, y: c.y + c.height / 2 + 4 }, n.label));
    g.appendChild(svg('title', null, n.id));
    g.addEventListener('click', function (ev) { ev.stopPropagation(); select(i); });
    if (run) runDecorate(g, i);
    layer.appendChild(g);
    n.el = g;
  }

  function drawEdge(e, d, layer) {
    var pts = [];
    (e.sections || []).forEach(function (s) {
      pts.push(s.startPoint);
      (s.bendPoints || []).forEach(function (p) { pts.push(p); });
      pts.push(s.endPoint);
    });
    if (!pts.length) return;
    var path = 'M' + pts.map(function (p) { return p.x.toFixed(1) + ',' + p.y.toFixed(1); }).join(' L');
    var kind = styleKind(d.kinds), cls = ['edge', 'k-' + kind];
    d.kinds.forEach(function (k) { cls.push('has-' + k); });
    var attrs = { d: path, class: cls.join(' '), 'data-edge': d.id, 'data-kinds': Array.from(d.kinds).join(' ') };
    if (kind !== 'contains') attrs['marker-end'] = 'url(#arrow-' + kind + ')';
    var p = svg('path', attrs);
    p.appendChild(svg('title', null, Array.from(d.kinds).map(function (k) { return KIND_LABEL[k]; }).join(', ')));
    layer.appendChild(p);
    d.el = p;
  }

  /* ------------------------------------------------ filters and search */

  /* Applies edge-kind filters, search and selection to what is drawn. */
  function restyle() {
    var sel = state.selected, m = state.matches;
    (state.drawn || []).forEach(function (d) {
      if (!d.el) return;
      var on = Array.from(d.kinds).some(function (k) { return state.kinds.has(k); });
      var shown = Array.from(d.kinds).filter(function (k) { return state.kinds.has(k); });
      d.el.classList.toggle('off', !on);
      if (on) setEdgeStyle(d, styleKind(new Set(shown)));
      var faded = m && !(touchesMatch(d.a) && touchesMatch(d.b));
      d.el.classList.toggle('faded', !!faded);
      d.el.classList.toggle('hl', sel >= 0 && d.lines.some(function (l) { return l.a === sel || l.b === sel; }));
    });
    ui.viewport.querySelectorAll('g.node').forEach(function (g) {
      var faded = false, hit = false;
      if (g.hasAttribute('data-idx')) {
        var i = Number(g.getAttribute('data-idx'));
        hit = !!(m && m.has(i));
        faded = !!(m && !hit);
        g.classList.toggle('selected', i === sel);
      } else {
        hit = !!(m && clusterHits(Number(g.getAttribute('data-file'))) > 0);
        faded = !!(m && !hit);
      }
      g.classList.toggle('faded', faded);
      g.classList.toggle('match', hit);
    });
  }

  function setEdgeStyle(d, kind) {
    KINDS.forEach(function (k) { d.el.classList.toggle('k-' + k, k === kind); });
    if (kind === 'contains') d.el.removeAttribute('marker-end');
    else d.el.setAttribute('marker-end', 'url(#arrow-' + kind + ')');
  }

  function touchesMatch(rep) {
    if (rep.charAt(0) === 'f') return clusterHits(Number(rep.slice(1))) > 0;
    return state.matches.has(Number(rep.slice(1)));
  }

  function clusterHits(fi) {
    if (!state.matches) return 0;
    return model.files[fi].nodes.filter(function (i) { return state.matches.has(i); }).length;
  }

  function matchText(n) {
    return [n.label, n.id, n.file, n.qualname, n.callee, n.canonical, n.category].filter(Boolean).join('\n')
      .toLowerCase();
  }

  function setQuery(q) {
    state.query = q.trim().toLowerCase();
    if (!state.query) {
      state.matches = null;
      ui.count.textContent = '';
    } else {
      state.matches = new Set();
      model.nodes.forEach(function (n, i) { if (matchText(n).indexOf(state.query) >= 0) state.matches.add(i); });
      ui.count.textContent = state.matches.size + (state.matches.size === 1 ? ' match' : ' matches');
    }
    restyle();
  }

  /* Enter in the search box: expand the files holding matches, in order,
   * while the drawing stays under the collapse threshold (the first match's
   * file always), and show the first match. */
  function revealMatches() {
    if (!state.matches || !state.matches.size) return;
    var order = Array.from(state.matches).sort(function (a, b) { return a - b; });
    var first = order[0], open = new Set(), budget = Math.max(data.collapse_threshold || 0, 250);
    var drawn = model.files.reduce(function (s, f, i) { return s + (state.collapsed.has(i) ? 1 : f.nodes.length); }, 0);
    order.forEach(function (i) {
      var fi = model.nodes[i].fileIdx;
      if (!state.collapsed.has(fi) || open.has(fi)) return;
      if (open.size && drawn + model.files[fi].nodes.length > budget) return;
      open.add(fi);
      drawn += model.files[fi].nodes.length - 1;
    });
    if (!open.size) return select(first, true);
    var next = Array.from(state.collapsed).filter(function (f) { return !open.has(f); });
    setCollapsed(next, 'n' + first).then(function () { select(first, true); });
  }

  function toggleCluster(fi) {
    var next = new Set(state.collapsed);
    if (next.has(fi)) next.delete(fi);
    else next.add(fi);
    if (state.selected >= 0 && next.has(model.nodes[state.selected].fileIdx)) state.selected = -1;
    return setCollapsed(Array.from(next), 'f' + fi);
  }

  /* Lays out with list collapsed, then centres focus (an element id) or,
   * without one, fits the whole graph. */
  function setCollapsed(list, focus) {
    state.collapsed = new Set(list);
    if (state.selected >= 0 && state.collapsed.has(model.nodes[state.selected].fileIdx)) closePanel();
    return relayout().then(function () {
      if (focus) centerOn(focus, true);
      else fitView();
    });
  }

  /* ------------------------------------------------------------- panel */

  function select(i, center) {
    var n = model.nodes[i];
    if (state.collapsed.has(n.fileIdx)) {
      var next = Array.from(state.collapsed).filter(function (f) { return f !== n.fileIdx; });
      return setCollapsed(next, 'n' + i).then(function () { select(i, true); });
    }
    state.selected = i;
    restyle();
    showPanel(n);
    markTimeline();
    if (center) centerOn('n' + i);
    return Promise.resolve();
  }

  function closePanel() {
    state.selected = -1;
    ui.panel.hidden = true;
    restyle();
    markTimeline();
  }

  function showPanel(n) {
    var p = ui.panel;
    while (p.firstChild) p.removeChild(p.firstChild);
    p.hidden = false;
    var close = button('panel-close', '\u00d7', closePanel);
    close.setAttribute('aria-label', 'close');
    p.appendChild(close);
    p.appendChild(el('h2', { class: 'c-' + nodeClass(n) }, n.label));
    p.appendChild(el('div', { class: 'kind' }, describeKind(n)));
    p.appendChild(el('div', { class: 'loc' }, location(n)));
    p.appendChild(facts(n));
    if (isSite(n)) siteSections(n, p);
    else ownerSections(n, p);
    if (run) runSection(n, p);
  }

  function describeKind(n) {
    var parts = [nodeClass(n)];
    if (n.kind === 'task' && n.def && n.def !== 'function') parts.push(n.def);
    if (n.async) parts.push('async');
    if (n.language) parts.push(n.language);
    else if (model.files[n.fileIdx].language) parts.push(model.files[n.fileIdx].language);
    return parts.join(' \u00b7 ');
  }

  function facts(n) {
    var dl = el('dl');
    var rows = [['id', n.id], ['qualname', n.qualname], ['callee', n.callee], ['canonical', n.canonical],
      ['category', n.category], ['boundary', n.boundary], ['form', n.form], ['in function', isSite(n) ?
        (n['function'] || '(module level)') : null]];
    rows.forEach(function (r) {
      if (r[1] === undefined || r[1] === null || r[1] === '') return;
      dl.appendChild(el('dt', null, r[0]));
      dl.appendChild(el('dd', null, String(r[1])));
    });
    return dl;
  }

  function ends(list, pick, kinds) {
    var seen = new Set(), out = [];
    list.forEach(function (e) {
      if (kinds.indexOf(e.kind) < 0) return;
      var j = pick(e);
      if (!seen.has(j)) {
        seen.add(j);
        out.push(j);
      }
    });
    return out;
  }

  function ownerSections(n, p) {
    var sites = ends(n.out, function (e) { return e.b; }, ['contains']).filter(function (j) {
      return isSite(model.nodes[j]);
    });
    section(p, 'boundary sites', sites, 'sites');
    if (n.kind === 'module') {
      section(p, 'imports', ends(n.out, function (e) { return e.b; }, ['import']), 'imports');
      section(p, 'imported by', ends(n.inc, function (e) { return e.a; }, ['import']), 'importers');
    }
    section(p, 'callers', ends(n.inc, function (e) { return e.a; }, ['call', 'cross_lang']), 'callers');
    section(p, 'callees', ends(n.out, function (e) { return e.b; }, ['call', 'cross_lang']), 'callees');
    var members = ends(n.out, function (e) { return e.b; }, ['contains']).filter(function (j) {
      return !isSite(model.nodes[j]);
    });
    if (members.length) section(p, 'definitions', members, 'members');
  }

  function siteSections(n, p) {
    section(p, 'in', ends(n.inc, function (e) { return e.a; }, ['contains']), 'owner');
    section(p, 'feeds (data)', ends(n.out, function (e) { return e.b; }, ['data']), 'feeds');
    section(p, 'fed by (data)', ends(n.inc, function (e) { return e.a; }, ['data']), 'fed-by');
  }

  function section(p, title, idxs, key) {
    var s = el('section', { class: 'list', 'data-section': key });
    s.appendChild(el('h3', null, title + ' (' + idxs.length + ')'));
    if (!idxs.length) {
      s.appendChild(el('p', { class: 'none' }, 'none'));
      p.appendChild(s);
      return;
    }
    var ul = el('ul');
    idxs.forEach(function (j) { ul.appendChild(entry(model.nodes[j])); });
    s.appendChild(ul);
    p.appendChild(s);
  }

  function entry(m) {
    var li = el('li');
    var b = el('button', { type: 'button', class: 'jump c-' + nodeClass(m) }, isSite(m) ? m.callee || m.label : m.label);
    b.addEventListener('click', function () { select(m.idx, true); });
    li.appendChild(b);
    var extra = isSite(m) ? (m.category ? m.category + ' \u00b7 ' : '') + 'line ' + m.line : location(m);
    li.appendChild(el('span', { class: 'where' }, extra));
    return li;
  }

  /* --------------------------------------------------------- pan / zoom */

  function applyView() {
    var v = state.view;
    ui.viewport.setAttribute('transform', 'translate(' + v.x + ',' + v.y + ') scale(' + v.k + ')');
  }

  function fitView() {
    var r = ui.svg.getBoundingClientRect();
    var w = state.size.w || 1, h = state.size.h || 1;
    var k = Math.min(r.width / (w + 40), r.height / (h + 40), 1.5);
    state.view = { k: k, x: (r.width - w * k) / 2, y: Math.max(10, (r.height - h * k) / 2) };
    applyView();
  }

  /* Centres element id; fit: zoom out until it fits, when it is large. */
  function centerOn(id, fit) {
    var p = state.pos.get(id);
    if (!p) return;
    var r = ui.svg.getBoundingClientRect();
    var k = Math.max(state.view.k, 0.8);
    if (fit) k = Math.min(k, r.width / (p.w + 40), r.height / (p.h + 40));
    state.view = { k: k, x: r.width / 2 - (p.x + p.w / 2) * k, y: r.height / 2 - (p.y + p.h / 2) * k };
    applyView();
  }

  function bindPanZoom() {
    var drag = null;
    ui.svg.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      var r = ui.svg.getBoundingClientRect(), v = state.view;
      var k = Math.min(4, Math.max(0.02, v.k * Math.exp(-ev.deltaY * 0.0015)));
      var mx = ev.clientX - r.left, my = ev.clientY - r.top;
      state.view = { k: k, x: mx - (mx - v.x) * k / v.k, y: my - (my - v.y) * k / v.k };
      applyView();
    }, { passive: false });
    ui.svg.addEventListener('pointerdown', function (ev) {
      drag = { x: ev.clientX, y: ev.clientY, vx: state.view.x, vy: state.view.y };
    });
    window.addEventListener('pointermove', function (ev) {
      if (!drag) return;
      state.view.x = drag.vx + ev.clientX - drag.x;
      state.view.y = drag.vy + ev.clientY - drag.y;
      applyView();
    });
    window.addEventListener('pointerup', function () { drag = null; });
    window.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') closePanel(); });
  }

  /* -------------------------------------------------------------- start */

  function start() {
    var runEl = document.getElementById('currant-run');
    if (runEl) run = buildRun(JSON.parse(runEl.textContent), model);
    buildUi();
    var t = typeof data.collapse_threshold === 'number' ? data.collapse_threshold : 250;
    if (t === 0 || (t > 0 && model.nodes.length > t)) {
      model.files.forEach(function (f, i) { state.collapsed.add(i); });
    }
    relayout();
  }

  start();
})();
