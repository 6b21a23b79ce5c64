/*
 * browser_test.cjs — drives Debian's chromium with playwright-core over the
 * pages `currantc graph --format html` writes, and renders the Mermaid
 * output with the mermaid package.  Run by tests/suites/85-views.sh:
 *
 *   node browser_test.cjs CONFIG.json
 *
 * CONFIG: {modules: dir of node_modules, samples: html, xss: html,
 *          large: html, mermaid: [mmd files], xss_mermaid: mmd,
 *          screenshot: png path, profile: fresh user-data dir,
 *          run: html of `currant view`, run_json: its `show --json`,
 *          run_xss: html of a run holding the payload, run_screenshot: png}
 * (every key optional: a suite passes only the pages it made)
 * Prints "ok NAME" / "FAIL NAME: why" per check and ends with the
 * "N passed, N failed" line.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const { chromium } = require(path.join(cfg.modules, 'playwright-core'));
const PAYLOAD = '<img src=x onerror=alert(1)>';
let passed = 0;
let failed = 0;

function ok(name) {
  passed++;
  console.log('ok   ' + name);
}
function bad(name, why) {
  failed++;
  console.log('FAIL ' + name + ': ' + why);
}
async function check(name, fn) {
  try {
    const r = await fn();
    if (r === true || r === undefined) ok(name);
    else bad(name, String(r));
  } catch (e) {
    bad(name, (e && e.message ? e.message : String(e)).split('\n')[0]);
  }
}
function url(file) {
  return 'file://' + path.resolve(file);
}

/* A page that records dialogs, page errors and console errors. */
async function open(context, file, timeout) {
  const page = await context.newPage();
  const log = { dialogs: [], errors: [] };
  page.on('dialog', (d) => {
    log.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  await page.goto(url(file));
  await page.waitForSelector('body[data-layout="done"]', { timeout: timeout || 30000 });
  return { page, log };
}

function layoutDone(page) {
  return page.waitForSelector('body[data-layout="done"]', { timeout: 30000 });
}

async function samplesTests(context) {
  const { page, log } = await open(context, cfg.samples);
  const data = await page.evaluate(() => JSON.parse(document.getElementById('currant-graph').textContent));
  await check('samples: page loads without errors', () => log.errors.length === 0 || log.errors.join(' | '));
  await check('samples: every node drawn', async () => {
    const n = await page.locator('#graph g.node[data-idx]').count();
    return n === data.nodes.length || `${n} drawn, ${data.nodes.length} in data`;
  });
  await check('samples: a cluster per file', async () => {
    const n = await page.locator('#graph g.cluster').count();
    return n === data.files.length || `${n} clusters, ${data.files.length} files`;
  });
  await check('samples: edges drawn', async () => {
    const n = await page.locator('#graph path.edge').count();
    return n > 0 || 'no edge drawn';
  });
  await check('samples: labels shown as text', async () => {
    const text = await page.locator('#graph').textContent();
    const missing = data.nodes.filter((n) => !text.includes(n.label)).map((n) => n.label);
    return missing.length === 0 || 'missing ' + missing.slice(0, 3).join(', ');
  });
  await clickTests(page, data);
  await searchTests(page, data);
  await filterTests(page);
  await collapseTests(page, data);
  if (cfg.screenshot) {
    await page.fill('#search', '');
    await page.click('#fit');
    const task = data.nodes.find((n) => n.kind === 'task');
    if (task) {
      await page.fill('#search', task.qualname);
      await page.press('#search', 'Enter');
      await page.fill('#search', '');
    }
    await page.screenshot({ path: cfg.screenshot });
    await check('samples: screenshot written', () => fs.statSync(cfg.screenshot).size > 10000 || 'too small');
  }
  await check('samples: no errors after interaction', () => log.errors.length === 0 || log.errors.join(' | '));
  await page.close();
}

/* The function with the most callers: its panel must list them. */
async function clickTests(page, data) {
  const callers = new Map();
  data.edges.forEach((e) => {
    if (e.kind === 'call') callers.set(e.target, (callers.get(e.target) || new Set()).add(e.source));
  });
  let best = -1;
  callers.forEach((s, t) => { if (best < 0 || s.size > callers.get(best).size) best = t; });
  if (best < 0) return bad('samples: click', 'no call edge in the samples');
  const n = data.nodes[best];
  await page.click(`#graph g.node[data-idx="${best}"]`);
  await check('samples: click shows the panel with file:line', async () => {
    await page.waitForSelector('#panel:not([hidden])', { timeout: 5000 });
    const loc = await page.locator('#panel .loc').textContent();
    return loc === `${n.file}:${n.line}` || `panel says ${loc}, want ${n.file}:${n.line}`;
  });
  await check('samples: panel lists the callers', async () => {
    const items = await page.locator('#panel section[data-section="callers"] li').count();
    return items === callers.get(best).size || `${items} callers listed, ${callers.get(best).size} expected`;
  });
  const owner = data.edges.find((e) => e.kind === 'contains' && ['site', 'prompt'].includes(data.nodes[e.target].kind) &&
    data.nodes[e.source].kind !== 'module');
  await check('samples: panel lists boundary sites with callee text', async () => {
    await page.click(`#graph g.node[data-idx="${owner.source}"]`);
    const text = await page.locator('#panel section[data-section="sites"]').textContent();
    const callee = data.nodes[owner.target].callee;
    return text.includes(callee) || `sites section lacks ${callee}: ${text}`;
  });
  await check('samples: panel link jumps to the callee', async () => {
    await page.locator('#panel section[data-section="sites"] button.jump').first().click();
    const h = await page.locator('#panel h2').textContent();
    return h === data.nodes[owner.target].label || `panel shows ${h}`;
  });
  await page.keyboard.press('Escape');
  await check('samples: Escape closes the panel', async () => (await page.locator('#panel').isHidden()) || 'still shown');
}

async function searchTests(page, data) {
  const fn = data.nodes.find((n) => n.kind === 'task') || data.nodes.find((n) => n.kind === 'function');
  const q = fn.qualname;
  const want = data.nodes.filter((n) => [n.label, n.id, n.file, n.qualname, n.callee, n.canonical, n.category]
    .filter(Boolean).join('\n').toLowerCase().includes(q.toLowerCase())).length;
  await page.fill('#search', q);
  await check('search: matches highlighted, others faded', async () => {
    const match = await page.locator(`#graph g.node.match[data-idx="${fn.idx === undefined ? data.nodes.indexOf(fn) : fn.idx}"]`).count();
    const matched = await page.locator('#graph g.node.match').count();
    const faded = await page.locator('#graph g.node.faded').count();
    if (match !== 1) return `${q} not marked as a match`;
    if (matched !== want) return `${matched} matches drawn, ${want} expected`;
    return faded === data.nodes.length - want || `${faded} faded of ${data.nodes.length}`;
  });
  await check('search: count shown', async () => {
    const t = await page.locator('#search-count').textContent();
    return t.startsWith(String(want)) || `count says ${t}`;
  });
  await page.fill('#search', 'no-such-name-anywhere');
  await check('search: no match fades everything', async () => {
    const faded = await page.locator('#graph g.node.faded').count();
    return faded === data.nodes.length || `${faded} faded`;
  });
  await page.fill('#search', '');
  await check('search: clearing restores', async () => (await page.locator('#graph g.node.faded').count()) === 0 || 'still faded');
}

async function visibleEdges(page, cls) {
  return page.evaluate((c) => Array.from(document.querySelectorAll('#graph path.edge' + c))
    .filter((p) => getComputedStyle(p).display !== 'none').length, cls);
}

async function filterTests(page) {
  for (const kind of ['call', 'import', 'data', 'contains']) {
    const before = await visibleEdges(page, '');
    const only = await page.evaluate((k) => Array.from(document.querySelectorAll('#graph path.edge'))
      .filter((p) => p.getAttribute('data-kinds') === k).length, kind);
    await page.uncheck(`#kinds input[data-kind="${kind}"]`);
    await check(`filter: unchecking ${kind} hides its edges`, async () => {
      const after = await visibleEdges(page, '');
      const left = await page.evaluate((k) => Array.from(document.querySelectorAll('#graph path.edge'))
        .filter((p) => p.getAttribute('data-kinds') === k && getComputedStyle(p).display !== 'none').length, kind);
      if (only === 0) return `no ${kind}-only edge in the samples`;
      if (left !== 0) return `${left} ${kind} edges still shown`;
      return after === before - only || `${before} -> ${after}, ${only} expected hidden`;
    });
    await page.check(`#kinds input[data-kind="${kind}"]`);
    await check(`filter: rechecking ${kind} shows them again`, async () =>
      (await visibleEdges(page, '')) === before || 'not restored');
  }
}

async function collapseTests(page, data) {
  const files = data.files.length;
  const first = data.files[0].path;
  const inFirst = data.nodes.filter((n) => n.file === first).length;
  await page.locator('#graph g.cluster[data-file="0"] .cluster-title').click();
  await layoutDone(page);
  await check('collapse: a file title collapses its cluster', async () => {
    const c = await page.locator('#graph g.node.collapsed').count();
    const drawn = await page.locator('#graph g.node[data-idx]').count();
    if (c !== 1) return `${c} collapsed boxes`;
    return drawn === data.nodes.length - inFirst || `${drawn} nodes drawn`;
  });
  await page.locator('#graph g.node.collapsed').click();
  await layoutDone(page);
  await check('collapse: clicking the box expands it', async () =>
    (await page.locator('#graph g.node[data-idx]').count()) === data.nodes.length || 'not expanded');
  await page.click('#collapse-all');
  await layoutDone(page);
  await check('collapse: collapse all', async () => {
    const c = await page.locator('#graph g.node.collapsed').count();
    return c === files || `${c} of ${files}`;
  });
  await page.click('#expand-all');
  await layoutDone(page);
  await check('collapse: expand all', async () =>
    (await page.locator('#graph g.node[data-idx]').count()) === data.nodes.length || 'not all expanded');
}

/* Nothing from the payloads may become markup or run. */
async function inert(page, log) {
  const r = await page.evaluate(() => ({
    imgs: document.querySelectorAll('img, iframe, object, embed').length,
    handlers: Array.from(document.querySelectorAll('*')).filter((e) =>
      Array.from(e.attributes).some((a) => /^on/i.test(a.name))).length,
    scripts: document.querySelectorAll('script').length,
    svgs: document.querySelectorAll('svg svg').length,
  }));
  if (log.dialogs.length) return 'dialog opened: ' + log.dialogs.join(', ');
  if (r.imgs) return `${r.imgs} injected img/iframe elements`;
  if (r.handlers) return `${r.handlers} elements with on* attributes`;
  if (r.svgs) return `${r.svgs} injected svg elements`;
  return r.scripts === 3 || `${r.scripts} script elements`;
}

async function xssTests(context, file, label) {
  const { page, log } = await open(context, file);
  const data = await page.evaluate(() => JSON.parse(document.getElementById('currant-graph').textContent));
  await check(`${label}: payload nodes present`, () => data.nodes.some((n) => (n.label + n.file).includes('<')) ||
    'no payload in the data');
  await check(`${label}: inert after load`, () => inert(page, log));
  await check(`${label}: payload shown as text`, async () => {
    const text = await page.locator('#graph').textContent();
    return text.includes('<') || 'no "<" in the drawn text';
  });
  const targets = data.nodes.map((n, i) => i).filter((i) => /[<>"']/.test(data.nodes[i].label)).slice(0, 8);
  for (const i of targets) await page.click(`#graph g.node[data-idx="${i}"]`);
  await page.fill('#search', 'onerror');
  await page.press('#search', 'Enter');
  await layoutDone(page);
  await check(`${label}: inert after clicks and search`, () => inert(page, log));
  await check(`${label}: panel shows the payload as text`, async () => {
    const t = await page.locator('#panel').textContent();
    return /[<>]/.test(t) || `panel text: ${t.slice(0, 80)}`;
  });
  await check(`${label}: no page errors`, () => log.errors.length === 0 || log.errors.join(' | '));
  await page.close();
}

async function largeTests(context) {
  const t0 = Date.now();
  const { page, log } = await open(context, cfg.large, 60000);
  const ms = Date.now() - t0;
  const data = await page.evaluate(() => JSON.parse(document.getElementById('currant-graph').textContent));
  await check(`large (${data.nodes.length} nodes): collapsed by default`, async () => {
    const c = await page.locator('#graph g.node.collapsed').count();
    return c === data.files.length || `${c} collapsed of ${data.files.length}`;
  });
  await check(`large: first layout within 20 s (${ms} ms)`, () => ms < 20000 || `${ms} ms`);
  const q = data.nodes.find((n) => n.kind === 'task').qualname;
  await page.fill('#search', q);
  await page.press('#search', 'Enter');
  await layoutDone(page);
  await check('large: Enter in search expands the files holding matches', async () => {
    const n = await page.locator('#graph g.node[data-idx].match').count();
    return n > 0 || 'no match drawn';
  });
  await check('large: panel opens on the first match', async () => (await page.locator('#panel').isVisible()) || 'hidden');
  await check('large: no page errors', () => log.errors.length === 0 || log.errors.join(' | '));
  await page.close();
}

/* Renders each Mermaid file with mermaid's strict security level. */
async function mermaidTests(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => { errors.push('dialog ' + d.message()); d.dismiss().catch(() => {}); });
  await page.setContent('<!DOCTYPE html><html><body><div id="out"></div></body></html>');
  await page.addScriptTag({ path: path.join(cfg.modules, 'mermaid/dist/mermaid.min.js') });
  await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxEdges: 5000 }));
  for (const f of cfg.mermaid) {
    const text = fs.readFileSync(f, 'utf8');
    await check(`mermaid: ${path.basename(f)} renders`, async () => {
      const r = await page.evaluate(async (src) => {
        try {
          const { svg } = await window.mermaid.render('m' + Math.floor(Math.random() * 1e9), src);
          document.getElementById('out').innerHTML = svg;
          return { ok: true, nodes: document.querySelectorAll('#out .node').length,
            clusters: document.querySelectorAll('#out .cluster').length,
            imgs: document.querySelectorAll('#out img').length, text: document.getElementById('out').textContent };
        } catch (e) {
          return { ok: false, error: String(e && e.message ? e.message : e) };
        }
      }, text);
      if (!r.ok) return r.error;
      const want = (text.match(/^ {4}n\d+/gm) || []).length;
      if (r.nodes !== want) return `${r.nodes} nodes rendered, ${want} declared`;
      if (r.imgs) return `${r.imgs} img elements injected`;
      if (f === cfg.xss_mermaid && !r.text.includes(PAYLOAD)) return 'payload not shown as text';
      return errors.length === 0 || errors.join(' | ');
    });
  }
  await page.close();
}

/* `currant view RUN`: the run overlaid (cfg.run: html, cfg.run_json: what
 * `currant show RUN --json` printed for it, cfg.run_xss: html of a run
 * whose values hold the payload). */
async function runTests(context) {
  const { page, log } = await open(context, cfg.run);
  const want = JSON.parse(fs.readFileSync(cfg.run_json, 'utf8'));
  const cks = want.checkpoints.slice().sort((a, b) => a.seq - b.seq);
  await check('run: page loads without errors', () => log.errors.length === 0 || log.errors.join(' | '));
  await check('run: every node carries a run state', async () => {
    const r = await page.evaluate(() => ({
      all: document.querySelectorAll('#graph g.node[data-idx]').length,
      marked: document.querySelectorAll('#graph g.node[data-idx][data-run]').length }));
    return (r.all > 0 && r.all === r.marked) || `${r.marked} of ${r.all} marked`;
  });
  await check('run: site states match the journal', async () => {
    const got = await page.evaluate(() => {
      const d = JSON.parse(document.getElementById('currant-graph').textContent);
      const o = {};
      document.querySelectorAll('#graph g.node[data-idx]').forEach((g) => {
        const n = d.nodes[Number(g.getAttribute('data-idx'))];
        if (n.kind === 'site') o[n.id] = { run: g.getAttribute('data-run'), cls: g.getAttribute('class'),
          ck: Number(g.getAttribute('data-checkpoints') || 0) };
      });
      return o;
    });
    const exp = {};
    for (const c of cks) {
      const id = c.site_node && c.site_node.id;
      if (!id) continue;
      const e = exp[id] || (exp[id] = { failed: false, n: 0 });
      e.n++;
      if (c.status === 'error') e.failed = true;
    }
    const ids = Object.keys(exp);
    if (!ids.length) return 'no checkpoint names a site node';
    for (const id of ids) {
      const g = got[id];
      if (!g) return `site ${id} not drawn`;
      const st = exp[id].failed ? 'failed' : 'done';
      if (g.run !== st || !g.cls.split(' ').includes('run-' + st)) return `${id}: ${g.run} / ${g.cls}, want ${st}`;
      if (g.ck !== exp[id].n) return `${id}: ${g.ck} checkpoints, want ${exp[id].n}`;
    }
    const unreached = Object.keys(got).filter((id) => !exp[id]);
    if (unreached.some((id) => got[id].run !== 'none')) return 'an unreached site is not "none"';
    if (!Object.values(got).some((g) => g.run === 'failed')) return 'no failed site (the sample records errors)';
    return true;
  });
  await check('run: enclosing functions roll their sites up', async () => {
    return page.evaluate(() => {
      const d = JSON.parse(document.getElementById('currant-graph').textContent);
      const owners = [...document.querySelectorAll('#graph g.node[data-idx]')].filter((g) => {
        const n = d.nodes[Number(g.getAttribute('data-idx'))];
        return (n.kind === 'function' || n.kind === 'task') && g.getAttribute('data-run') !== 'none';
      });
      return owners.length > 0 || 'no function carries a state';
    });
  });
  await check('run: timeline lists the checkpoints in order', async () => {
    const seqs = await page.$$eval('#timeline li.tl', (l) => l.map((x) => Number(x.getAttribute('data-seq'))));
    const exp = cks.map((c) => c.seq);
    return JSON.stringify(seqs) === JSON.stringify(exp) || `timeline ${seqs.slice(0, 8)}..., want ${exp.slice(0, 8)}...`;
  });
  await check('run: the timeline header shows the run', async () => {
    const t = await page.textContent('#timeline header');
    return (t.includes(want.id) && t.includes(want.status) && t.includes(cks.length + ' checkpoints')) || t;
  });
  /* a failed checkpoint: click it in the timeline */
  const failed = cks.find((c) => c.status === 'error' && c.site_node);
  await check('run: clicking a timeline entry selects its node', async () => {
    if (!failed) return 'no failed checkpoint to click';
    await page.click(`#timeline li.tl[data-seq="${failed.seq}"] button`);
    await layoutDone(page);
    const r = await page.evaluate(() => {
      const g = document.querySelector('#graph g.node.selected');
      const d = JSON.parse(document.getElementById('currant-graph').textContent);
      return { id: g ? d.nodes[Number(g.getAttribute('data-idx'))].id : null,
        panel: !document.getElementById('panel').hidden,
        current: document.querySelectorAll('#timeline li.tl.current').length };
    });
    if (r.id !== failed.site_node.id) return `selected ${r.id}, want ${failed.site_node.id}`;
    return (r.panel && r.current === 1) || JSON.stringify(r);
  });
  await check('run: the panel shows state, attempts and durations', async () => {
    const f = await page.evaluate(() => {
      const o = {};
      document.querySelectorAll('#panel section.run dd[data-field]').forEach((d) => { o[d.getAttribute('data-field')] = d.textContent; });
      o.items = document.querySelectorAll('#panel section.run ul.cks li').length;
      o.text = document.querySelector('#panel section.run') ? document.querySelector('#panel section.run').textContent : '';
      return o;
    });
    if (f.state !== 'failed') return `state ${f.state}`;
    if (!/^\d+$/.test(f.attempts || '') || !/^\d/.test(f.time || '') || !/(us|ms|s)$/.test(f.time)) return JSON.stringify(f);
    return (f.items >= 1 && f.text.includes('#' + failed.seq)) || JSON.stringify(f);
  });
  await check('run: screenshot', async () => {
    await page.screenshot({ path: cfg.run_screenshot });
    return fs.statSync(cfg.run_screenshot).size > 10000 || 'screenshot too small';
  });
  await check('run: no dialog', () => log.dialogs.length === 0 || log.dialogs.join(' | '));
  await page.close();
  if (!cfg.run_xss) return;
  const x = await open(context, cfg.run_xss);
  await check('run xss: payload in the overlay data', async () => {
    const t = await x.page.evaluate(() => document.getElementById('currant-run').textContent);
    if (t.includes('<')) return 'a raw "<" in the embedded run (want \\u003c)';
    return JSON.stringify(JSON.parse(t)).includes(PAYLOAD) || 'payload not in the embedded run';
  });
  await check('run xss: value shown as text, nothing injected', async () => {
    const seq = await x.page.evaluate((p) => {
      const r = JSON.parse(document.getElementById('currant-run').textContent);
      const c = r.checkpoints.find((k) => JSON.stringify(k.value || '').includes(p) && k.site_node);
      return c ? c.seq : -1;
    }, PAYLOAD);
    if (seq < 0) return 'no checkpoint value holds the payload';
    await x.page.click(`#timeline li.tl[data-seq="${seq}"] button`);
    await layoutDone(x.page);
    await x.page.waitForTimeout(300);
    const r = await x.page.evaluate(() => ({ imgs: document.querySelectorAll('img').length,
      text: document.getElementById('panel').textContent + document.getElementById('timeline').textContent }));
    if (r.imgs) return `${r.imgs} img elements`;
    return r.text.includes(PAYLOAD) || 'payload not shown as text';
  });
  await check('run xss: no dialog, no error', () =>
    (x.log.dialogs.length === 0 && x.log.errors.length === 0) || x.log.dialogs.concat(x.log.errors).join(' | '));
  await x.page.close();
}

/* cfg.run_states: [{html, want: {site node id: state}, timeline: {state: count}}] */
async function runStateTests(context) {
  for (const t of cfg.run_states) {
    const { page, log } = await open(context, t.html);
    await check(`run states (${t.name}): nodes`, async () => {
      const got = await page.evaluate(() => {
        const d = JSON.parse(document.getElementById('currant-graph').textContent), o = {};
        document.querySelectorAll('#graph g.node[data-idx]').forEach((g) => {
          o[d.nodes[Number(g.getAttribute('data-idx'))].id] = g.getAttribute('data-run');
        });
        return o;
      });
      for (const [id, st] of Object.entries(t.want || {})) if (got[id] !== st) return `${id}: ${got[id]}, want ${st}`;
      return true;
    });
    await check(`run states (${t.name}): timeline`, async () => {
      for (const [st, n] of Object.entries(t.timeline || {})) {
        const c = await page.locator(`#timeline li.tl[data-run="${st}"]`).count();
        if (c !== n) return `${c} ${st} entries, want ${n}`;
      }
      return log.errors.length === 0 || log.errors.join(' | ');
    });
    await page.close();
  }
}

async function main() {
  /* A persistent context is how playwright takes a fresh --user-data-dir. */
  const context = await chromium.launchPersistentContext(cfg.profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await context.route(/^(?!file:|data:|about:)/, (r) => r.abort()); /* offline: nothing but file:// */
    if (cfg.samples) await samplesTests(context);
    if (cfg.xss) await xssTests(context, cfg.xss, 'xss');
    if (cfg.xss_real) await xssTests(context, cfg.xss_real, 'xss (built codebase)');
    if (cfg.large) await largeTests(context);
    if (cfg.mermaid && cfg.mermaid.length) await mermaidTests(context);
    if (cfg.run) await runTests(context);
    if (cfg.run_states) await runStateTests(context);
  } finally {
    await context.close();
  }
}

main().catch((e) => bad('browser', e && e.stack ? e.stack.split('\n').slice(0, 3).join(' ') : String(e)))
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
