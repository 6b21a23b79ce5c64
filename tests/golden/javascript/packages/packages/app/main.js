// Workspace packages by name: "exports" (conditions, subpaths, patterns), "main", a path below.
const { charge } = require("@acme/utils");
const clock = require("@acme/utils/clock");
const { ship } = require("@acme/utils/features/ship");
const { audit } = require("legacy");
const { archive } = require("legacy/src/other");
const lodash = require("lodash"); // not in the codebase: external
const { peek } = require("@acme/utils/private/secret"); // exported as null: not resolved
const fs = require("fs"); // Node's own, whatever package is named fs

async function main() {
  await charge(1);
  clock.now();
  ship(7);
  audit("x");
  archive("y");
  lodash.noop();
  peek();
  fs.readFileSync("x");
}

main();
