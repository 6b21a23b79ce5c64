const _currant = require("currant").module("packages/utils/lib/internal/stamp.js"); const { task } = require("currant");

module.exports = { stamp: task(async function stamp() { return _currant.call(0, _currant.ref(Date, "now")); }) };
//# sourceMappingURL=stamp.js.map
