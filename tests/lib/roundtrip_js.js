#!/usr/bin/env node
// roundtrip_js.js IN OUT [LIST]: checks currantc's output tree OUT for the
// JavaScript files of IN (one test per file), in this one process (run it
// with --experimental-vm-modules --no-warnings):
//   - the file is listed in OUT/currant.graph.json ("files");
//   - how node reads it is decided as node does (.mjs / .cjs / nearest
//     package.json "type"; a .js that only parses as a module is one);
//     inputs node rejects are only held to the byte-level rules;
//   - "unchanged": byte-identical; "instrumented": the output parses in the
//     same mode (CommonJS through vm.compileFunction with the module
//     wrapper's parameters, as node's loader does; ESM through
//     vm.SourceTextModule), binds the runtime the way that mode allows, ends
//     with a sourceMappingURL comment naming a valid v3 map whose segments
//     all point inside the input;
//   - not analysed: output absent or identical.
// LIST (optional) gets "mode<TAB>path" of instrumented outputs, for the
// node --check cross-check of the suite.  Ends with "N passed, N failed".
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [src, out, listFile] = process.argv.slice(2);
const CJS_PARAMS = ["exports", "require", "module", "__filename", "__dirname"];
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function* walk(dir, rel = "") {
  const ents = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of ents) {
    const r = rel ? rel + "/" + e.name : e.name;
    if (e.isDirectory()) yield* walk(path.join(dir, e.name), r);
    else if (e.isFile() && /\.(js|mjs|cjs)$/.test(e.name)) yield r;
  }
}

const typeCache = new Map();
function packageType(dir) {
  // nearest package.json up to the corpus root
  const chain = [];
  let d = dir;
  let result = "commonjs";
  for (;;) {
    if (typeCache.has(d)) { result = typeCache.get(d); break; }
    chain.push(d);
    const pj = path.join(d, "package.json");
    if (fs.existsSync(pj)) {
      try { result = JSON.parse(fs.readFileSync(pj, "utf8")).type === "module" ? "module" : "commonjs"; } catch { result = "commonjs"; }
      break;
    }
    if (path.resolve(d) === path.resolve(src) || path.dirname(d) === d) break;
    d = path.dirname(d);
  }
  for (const c of chain) typeCache.set(c, result);
  return result;
}

function parseError(code, mode, filename) {
  try {
    if (mode === "module") new vm.SourceTextModule(code, { identifier: filename });
    else vm.compileFunction(code, CJS_PARAMS, { filename });
    return null;
  } catch (e) {
    return (e && e.name ? e.name + ": " : "") + (e && e.message ? e.message : String(e));
  }
}

function jsLines(s) { return s.split(/\r\n|[\n\r\u2028\u2029]/); }

function checkMap(outText, outRel, inText) {
  const base = path.basename(outRel);
  const lines = jsLines(outText.replace(/\n$/, ""));
  const last = lines[lines.length - 1];
  if (last !== `//# sourceMappingURL=${base}.map`) return `last line is not //# sourceMappingURL=${base}.map`;
  const mp = path.join(out, outRel + ".map");
  if (!fs.existsSync(mp)) return `no source map ${outRel}.map`;
  let map;
  try { map = JSON.parse(fs.readFileSync(mp, "utf8")); } catch (e) { return `source map is not JSON: ${e.message}`; }
  if (map.version !== 3) return "source map version is not 3";
  if (!Array.isArray(map.sources) || map.sources.length !== 1) return "source map sources is not one file";
  if (typeof map.mappings !== "string") return "source map has no mappings";
  const inLines = jsLines(inText);
  const outLines = jsLines(outText);
  const genLines = map.mappings.split(";");
  if (genLines.length > outLines.length) return `map has ${genLines.length} generated lines, output ${outLines.length}`;
  let sl = 0, sc = 0, si = 0, segs = 0;
  for (let g = 0; g < genLines.length; g++) {
    let gc = 0;
    if (!genLines[g]) continue;
    for (const seg of genLines[g].split(",")) {
      const f = [];
      let v = 0, shift = 0;
      for (const ch of seg) {
        const d = B64.indexOf(ch);
        if (d < 0) return `bad base64 in mappings at generated line ${g + 1}`;
        v += (d & 31) * 2 ** shift;
        shift += 5;
        if (!(d & 32)) { f.push(v % 2 ? -Math.floor(v / 2) : Math.floor(v / 2)); v = 0; shift = 0; }
      }
      if (shift !== 0) return `truncated VLQ at generated line ${g + 1}`;
      if (![1, 4, 5].includes(f.length)) return `segment with ${f.length} fields at generated line ${g + 1}`;
      gc += f[0];
      if (gc < 0) return `negative generated column at line ${g + 1}`;
      if (f.length >= 4) {
        si += f[1]; sl += f[2]; sc += f[3];
        if (si !== 0) return "segment names a second source";
        if (sl < 0 || sl >= inLines.length) return `segment at ${g + 1}:${gc} maps to source line ${sl + 1} of ${inLines.length}`;
        if (sc < 0 || sc > inLines[sl].length) return `segment at ${g + 1}:${gc} maps to column ${sc} past source line ${sl + 1}`;
        if (gc > outLines[g].length) return `segment column ${gc} past generated line ${g + 1}`;
        segs++;
      }
    }
  }
  if (segs === 0) return "source map has no segments";
  return null;
}

let manifest;
try {
  manifest = JSON.parse(fs.readFileSync(path.join(out, "currant.graph.json"), "utf8"));
} catch (e) {
  console.log(`FAIL manifest: cannot read currant.graph.json: ${e.message}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const files = new Map((manifest.files || []).map((f) => [f.path, f]));
let passed = 0, failed = 0, rejected = 0;
const failures = [], refused = [], stats = {}, list = [];
for (const rel of walk(src)) {
  const inBuf = fs.readFileSync(path.join(src, rel));
  const op = path.join(out, rel);
  const outBuf = fs.existsSync(op) ? fs.readFileSync(op) : null;
  const entry = files.get(rel);
  const status = entry ? entry.status : undefined;
  stats[status] = (stats[status] || 0) + 1;
  const problems = [];
  const inText = inBuf.toString("utf8");
  let mode = rel.endsWith(".mjs") ? "module" : rel.endsWith(".cjs") ? "commonjs" : packageType(path.dirname(path.join(src, rel)));
  let inErr = parseError(inText, mode, rel);
  if (inErr && rel.endsWith(".js") && mode === "commonjs" && !parseError(inText, "module", rel)) {
    mode = "module"; // node's module syntax detection
    inErr = null;
  }
  if (inErr) rejected++;
  if (!entry) {
    problems.push("not in the manifest's files");
  } else if (status === "unchanged") {
    if (!outBuf || !outBuf.equals(inBuf)) problems.push("no site, but the output is " + (outBuf ? "not byte-identical" : "missing"));
  } else if (status === "instrumented") {
    if (!outBuf) problems.push("instrumented, but no output file");
    else {
      const outText = outBuf.toString("utf8");
      if (outBuf.equals(inBuf)) problems.push("status instrumented but output identical");
      if (!(entry.sites > 0)) problems.push("status instrumented with 0 sites");
      if (!inErr) {
        const e = parseError(outText, mode, rel);
        if (e) problems.push(`node (${mode}) rejects the output: ${e}`);
        const cjsBinding = outText.includes('require("currant").module(');
        const esmBinding = outText.includes('_currantRequire(import.meta.url)("currant").module(');
        if (mode === "module" && !esmBinding) problems.push("node loads it as an ES module but the runtime binding is not the ESM one");
        if (mode === "commonjs" && !cjsBinding) problems.push("node loads it as CommonJS but the runtime binding is not require(\"currant\")");
        list.push(`${mode}\t${op}`);
      }
      const m = checkMap(outText, rel, inText);
      if (m) problems.push(m);
    }
  } else {
    if (outBuf && !outBuf.equals(inBuf)) problems.push(`status ${status}: output written and changed`);
    if (!inErr) refused.push(`${rel} (${status})`);
  }
  if (problems.length) { failed++; failures.push([rel, problems]); } else passed++;
}
for (const [rel, p] of failures.slice(0, 60)) {
  console.log(`FAIL roundtrip-js ${rel}: ${p[0]}`);
  for (const q of p.slice(1, 3)) console.log(`    also: ${q}`);
}
if (failures.length > 60) console.log(`... and ${failures.length - 60} more failing files`);
console.log(`note: files by status: ${JSON.stringify(stats)}; ${rejected} inputs node itself rejects`);
if (refused.length) {
  console.log(`note: ${refused.length} files node parses were not analysed by currantc (left unchanged):`);
  for (const r of refused.slice(0, 25)) console.log(`    ${r}`);
}
if (listFile) fs.writeFileSync(listFile, list.join("\n") + (list.length ? "\n" : ""));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
