// semantics_js_driver.js PKG FIXTURE_DIR: exercises one npm package (found
// through the node_modules beside this file) and prints what it returns.
// tests/suites/70-semantics.sh runs it against the plain and the
// instrumented copy of the packages and compares the output.
"use strict";
const path = require("path");
const [pkg, fixtures] = process.argv.slice(2);
const show = (label, v) => console.log(label + " = " + (typeof v === "string" ? v : JSON.stringify(v)));
const cases = {
  which: () => {
    const which = require("which");
    show("sh", which.sync("sh"));
    show("missing", which.sync("no-such-program-currant", { nothrow: true }));
    show("all", which.sync("sh", { all: true }));
  },
  semver: () => {
    const semver = require("semver");
    show("valid", semver.valid("1.2.3"));
    show("satisfies", semver.satisfies("1.2.3", "^1.0.0"));
    show("inc", semver.inc("1.2.3", "minor"));
    show("sort", semver.sort(["2.0.0", "1.0.0-beta", "1.0.0"]));
    show("range", new semver.Range(">=1.2.7 <1.3.0").format());
  },
  "ci-info": () => {
    const ci = require("ci-info");
    show("isCI", ci.isCI);
    show("isPR", ci.isPR);
    show("name", ci.name);
  },
  "env-paths": () => {
    const envPaths = require("env-paths");
    show("paths", envPaths("currant-test", { suffix: "" }));
  },
  debug: () => {
    const debug = require("debug");
    const d = debug("currant:test");
    show("enabled", d.enabled);
    show("namespaces", debug.enabled("other"));
  },
  isexe: () => {
    const { sync } = require("isexe");
    show("node", sync(process.execPath));
    show("fixture", sync(path.join(fixtures, "a.txt"), { ignoreErrors: true }));
  },
  "graceful-fs": () => {
    const fs = require("graceful-fs");
    show("read", fs.readFileSync(path.join(fixtures, "a.txt"), "utf8"));
    show("dir", fs.readdirSync(fixtures).sort());
    show("exists", fs.existsSync(path.join(fixtures, "nope")));
  },
  glob: () => {
    const { globSync } = require("glob");
    show("txt", globSync("**/*.txt", { cwd: fixtures }).sort());
  },
  "npm-package-arg": () => {
    const npa = require("npm-package-arg");
    const r = npa("foo@^1.2.3");
    show("spec", [r.type, r.name, r.fetchSpec, r.raw]);
    show("git", npa("github:npm/cli#v1").type);
  },
  "hosted-git-info": () => {
    const hgi = require("hosted-git-info");
    const h = hgi.fromUrl("https://github.com/npm/cli.git");
    show("hosted", [h.type, h.user, h.project, h.https()]);
  },
  diff: () => {
    const Diff = require("diff");
    show("patch", Diff.createTwoFilesPatch("a", "b", "one\ntwo\nthree\n", "one\n2\nthree\nfour\n", "", ""));
    show("words", Diff.diffWords("the quick fox", "the slow fox").map((p) => [p.added, p.removed, p.value]));
  },
  "lru-cache": () => {
    const { LRUCache } = require("lru-cache");
    const c = new LRUCache({ max: 2, ttl: 3600000 });
    c.set("a", 1); c.set("b", 2); c.get("a"); c.set("c", 3);
    show("keys", [...c.keys()]);
    show("has", [c.has("a"), c.has("b"), c.has("c")]);
    show("ttl", c.getRemainingTTL("a") > 0);
  },
  tar: () => {
    const tar = require("tar");
    const fs = require("fs");
    const os = require("os");
    const file = path.join(fixtures, "made.tar");
    tar.c({ sync: true, file, cwd: fixtures, portable: true, mtime: new Date(1700000000000) }, ["a.txt", "d1"]);
    const seen = [];
    tar.t({ sync: true, file, onReadEntry: (e) => seen.push([e.path, e.size]) });
    show("entries", seen.sort());
    show("size", fs.statSync(file).size);
    void os;
  },
  "brace-expansion": () => {
    const m = require("brace-expansion");
    const expand = m.expand || m;
    show("expand", expand("a{b,c{d,e}}f{1..3}"));
  },
  minimatch: () => {
    const { minimatch } = require("minimatch");
    show("match", ["a.js", "b.ts", "c/d.js"].map((f) => minimatch(f, "**/*.js")));
  },
  ini: () => {
    const ini = require("ini");
    show("roundtrip", ini.stringify(ini.parse("a=1\n[s]\nb = two\n")));
  },
};
if (!cases[pkg]) {
  console.error("semantics_js_driver: unknown package " + pkg);
  process.exit(2);
}
cases[pkg]();
