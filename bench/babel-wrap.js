#!/usr/bin/env node
// Babel baseline of `make bench`: a Babel plugin doing the call wrapping
// currantc does, and a driver running it over a tree of .js files.
//
//   NODE_PATH=build/bench/node_modules node bench/babel-wrap.js [--maps] SRC_DIR OUT_DIR
//
// The plugin resolves names as it meets them (ESM imports, `require` with
// destructuring and aliases) and rewrites, in source order, each catalogued
// call (the JavaScript table of issue 2: Date.now, Math.random, crypto.*,
// performance.now, process.hrtime, fetch, fs sync/callback/promise I/O,
// child_process.*, readline.*, the currant std API):
//   f(a, ...b)      -> _currant.call(i, f, a, ...b)
//   obj.m(x)        -> _currant.call(i, _currant.ref(obj, "m"), x)
//   new Date()      -> _currant.construct(i, Date)
//   process.env.K   -> _currant.read(i, process.env, "K")      (reads only)
// and puts the module binding first (CommonJS or ESM form).  Each file goes
// through babel.transformSync (parse, traverse, generate); with --maps a v3
// source map is written beside the output, as currantc does.  Prints one
// line: files, bytes, failed (rejected by the parser), sites.
"use strict";
const fs = require("fs");
const path = require("path");
const babel = require("@babel/core");

const MODULES = new Set(["fs", "fs/promises", "child_process", "crypto", "readline", "readline/promises",
                         "perf_hooks", "currant"]);
const GLOBALS = new Set(["Date", "Math", "crypto", "performance", "process", "fetch"]);
const EXACT = new Set(["Date.now", "Math.random", "crypto.randomUUID", "crypto.getRandomValues",
                       "crypto.randomBytes", "performance.now", "perf_hooks.performance.now",
                       "process.hrtime", "process.hrtime.bigint", "fetch",
                       "currant.sleep", "currant.now", "currant.random", "currant.uuid",
                       "currant.wait_event", "currant.prompt"]);
const WHOLE = ["fs.", "fs/promises.", "child_process.", "readline.", "readline/promises."];

let totalSites = 0;

function modName(s) { return s.startsWith("node:") ? s.slice(5) : s; }

function wrapPlugin({ types: t }) {
  function dotted(node, names) {
    const attrs = [];
    while (t.isMemberExpression(node) || t.isOptionalMemberExpression(node)) {
      if (node.computed) {
        if (!t.isStringLiteral(node.property)) return null;
        attrs.push(node.property.value);
      } else attrs.push(node.property.name);
      node = node.object;
    }
    if (!t.isIdentifier(node)) return null;
    let base = names.get(node.name);
    if (base === undefined) {
      if (!GLOBALS.has(node.name)) return null;
      base = node.name;
    }
    return attrs.length ? base + "." + attrs.reverse().join(".") : base;
  }
  function catalogued(q) {
    if (q === null) return false;
    if (EXACT.has(q)) return true;
    for (const w of WHOLE) if (q.startsWith(w) && q.length > w.length) return true;
    return false;
  }
  const rt = (m) => t.memberExpression(t.identifier("_currant"), t.identifier(m));
  function wrapCall(path, state) {
    const node = path.node;
    const q = dotted(node.callee, state.names);
    if (!catalogued(q)) return;
    const i = t.numericLiteral(state.sites++);
    let fn = node.callee;
    if (t.isMemberExpression(fn) || t.isOptionalMemberExpression(fn)) {
      const key = fn.computed ? fn.property : t.stringLiteral(fn.property.name);
      fn = t.callExpression(rt("ref"), [fn.object, key]);
    }
    path.replaceWith(t.callExpression(rt("call"), [i, fn, ...node.arguments]));
  }
  return {
    name: "currant-wrap",
    visitor: {
      Program: {
        enter(path, state) { state.names = new Map(); state.sites = 0; },
        exit(path, state) {
          totalSites += state.sites;
          if (!state.sites) return;
          const rel = JSON.stringify(state.file.opts.sourceFileName || "?");
          const src = path.node.sourceType === "module"
            ? `import { createRequire as _currantRequire } from "node:module"; const _currant = _currantRequire(import.meta.url)("currant").module(${rel});`
            : `const _currant = require("currant").module(${rel});`;
          path.unshiftContainer("body", babel.template.statements.ast(src));
        },
      },
      ImportDeclaration(path, state) {
        const m = modName(path.node.source.value);
        if (!MODULES.has(m)) return;
        for (const s of path.node.specifiers) {
          if (t.isImportSpecifier(s)) {
            const imported = t.isIdentifier(s.imported) ? s.imported.name : s.imported.value;
            state.names.set(s.local.name, m + "." + imported);
          } else state.names.set(s.local.name, m);
        }
      },
      VariableDeclarator(path, state) {
        const init = path.node.init;
        if (!t.isCallExpression(init) || !t.isIdentifier(init.callee, { name: "require" }) ||
            init.arguments.length !== 1 || !t.isStringLiteral(init.arguments[0])) return;
        const m = modName(init.arguments[0].value);
        if (!MODULES.has(m)) return;
        const id = path.node.id;
        if (t.isIdentifier(id)) state.names.set(id.name, m);
        else if (t.isObjectPattern(id)) {
          for (const p of id.properties) {
            if (t.isObjectProperty(p) && !p.computed && t.isIdentifier(p.value)) {
              const key = t.isIdentifier(p.key) ? p.key.name : p.key.value;
              state.names.set(p.value.name, m + "." + key);
            }
          }
        }
      },
      CallExpression(path, state) { wrapCall(path, state); },
      OptionalCallExpression(path, state) { wrapCall(path, state); },
      NewExpression(path, state) {
        const n = path.node;
        if (n.arguments.length === 0 && t.isIdentifier(n.callee, { name: "Date" }) && !state.names.has("Date")) {
          path.replaceWith(t.callExpression(rt("construct"), [t.numericLiteral(state.sites++), n.callee]));
        }
      },
      MemberExpression(path, state) {
        const n = path.node;
        if (dotted(n.object, state.names) !== "process.env") return;
        const parent = path.parent;
        if ((t.isAssignmentExpression(parent) && parent.left === n) ||
            (t.isUpdateExpression(parent)) || (t.isUnaryExpression(parent, { operator: "delete" }))) return;
        const key = n.computed ? n.property : t.stringLiteral(n.property.name);
        path.replaceWith(t.callExpression(rt("read"), [t.numericLiteral(state.sites++), n.object, key]));
      },
    },
  };
}

function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== ".git" && e.name !== "node_modules") yield* walk(p);
    } else if (e.isFile() && /\.(js|mjs|cjs)$/.test(e.name)) yield p;
  }
}

function main() {
  const argv = process.argv.slice(2);
  const maps = argv[0] === "--maps";
  if (maps) argv.shift();
  if (argv.length !== 2) {
    console.error("usage: babel-wrap.js [--maps] SRC_DIR OUT_DIR");
    process.exit(2);
  }
  const [src, out] = argv;
  let files = 0, bytes = 0, failed = 0;
  const made = new Set();
  for (const file of walk(src)) {
    const code = fs.readFileSync(file, "utf8");
    files++;
    bytes += fs.statSync(file).size;
    const rel = path.relative(src, file);
    let res;
    try {
      res = babel.transformSync(code, {
        filename: file,
        sourceFileName: rel,
        babelrc: false,
        configFile: false,
        sourceType: "unambiguous",
        compact: false,
        sourceMaps: maps,
        parserOpts: { allowReturnOutsideFunction: true },
        plugins: [wrapPlugin],
      });
    } catch (e) {
      failed++;
      continue;
    }
    const dest = path.join(out, rel);
    const d = path.dirname(dest);
    if (!made.has(d)) { fs.mkdirSync(d, { recursive: true }); made.add(d); }
    let text = res.code;
    if (maps && res.map) {
      fs.writeFileSync(dest + ".map", JSON.stringify(res.map));
      text += `\n//# sourceMappingURL=${path.basename(dest)}.map\n`;
    }
    fs.writeFileSync(dest, text);
  }
  console.log(`files ${files} bytes ${bytes} failed ${failed} sites ${totalSites}`);
}

if (require.main === module) main();
module.exports = wrapPlugin;
