// Workspace packages by name: "exports" (conditions, subpaths, patterns), "main", a path below.
const _currant = require("currant").module("packages/app/main.js"); const { charge } = require("@acme/utils");
const clock = require("@acme/utils/clock");
const { ship } = require("@acme/utils/features/ship");
const { audit } = require("legacy");
const { archive } = require("legacy/src/other");
const lodash = require("lodash"); // not in the codebase: external
const { peek } = require("@acme/utils/private/secret"); // exported as null: not resolved
const fs = require("fs"); // Node's own, whatever package is named fs

async function main() {
  await _currant.call(0, charge, 1);
  _currant.call(1, _currant.ref(clock, "now"));
  _currant.call(2, ship, 7);
  _currant.call(3, audit, "x");
  _currant.call(4, archive, "y");
  lodash.noop();
  peek();
  _currant.call(5, _currant.ref(fs, "readFileSync"), "x");
}

main();
//# sourceMappingURL=main.js.map
