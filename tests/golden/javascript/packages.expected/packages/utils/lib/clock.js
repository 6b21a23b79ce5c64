const _currant = require("currant").module("packages/utils/lib/clock.js"); const { task } = require("currant");

exports.now = task(function now() { return _currant.call(0, _currant.ref(Date, "now")); });
//# sourceMappingURL=clock.js.map
