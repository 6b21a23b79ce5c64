#!/usr/bin/env node
// istanbul-lib-instrument baseline of `make bench`: instruments every .js
// file of a tree for coverage, with the library's default options (ES
// modules allowed), writing the result at the same relative path.
//
//   NODE_PATH=build/bench/node_modules node bench/istanbul-run.js SRC_DIR OUT_DIR
//
// Prints one line: files, bytes, failed (rejected by the parser).
"use strict";
const fs = require("fs");
const path = require("path");
const { createInstrumenter } = require("istanbul-lib-instrument");

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
  if (argv.length !== 2) {
    console.error("usage: istanbul-run.js SRC_DIR OUT_DIR");
    process.exit(2);
  }
  const [src, out] = argv;
  const instrumenter = createInstrumenter({ esModules: true, compact: false });
  let files = 0, bytes = 0, failed = 0;
  const made = new Set();
  for (const file of walk(src)) {
    const code = fs.readFileSync(file, "utf8");
    files++;
    bytes += fs.statSync(file).size;
    let text;
    try {
      text = instrumenter.instrumentSync(code, file);
    } catch (e) {
      failed++;
      continue;
    }
    const dest = path.join(out, path.relative(src, file));
    const d = path.dirname(dest);
    if (!made.has(d)) { fs.mkdirSync(d, { recursive: true }); made.add(d); }
    fs.writeFileSync(dest, text);
  }
  console.log(`files ${files} bytes ${bytes} failed ${failed}`);
}

main();
