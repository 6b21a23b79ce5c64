// The CommonJS entry ("require" condition); "#internal/*" is this package's "imports".
const _currant = require("currant").module("packages/utils/lib/index.js"); const { task } = require("currant");
const { stamp } = require("#internal/stamp");

const charge = task(async function charge(n) {
  return { n, at: await _currant.call(0, stamp) };
});

module.exports = { charge };
//# sourceMappingURL=index.js.map
