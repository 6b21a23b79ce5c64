"use strict";
// CommonJS into Python: destructured and plain require.
const _currant = require("currant").module("web/tool.cjs"); const { score: sc } = _currant.bridge("py", "model.py", ["fetch"]);
const model = _currant.bridge("py", "model.py", ["fetch"]);

function go(n) {
  return _currant.call(0, sc, n) + _currant.call(1, _currant.ref(model, "score"), n, 1) + _currant.call(2, _currant.ref(_currant.bridge("py", "model.py", ["fetch"]), "score"), 2);
}

module.exports = { go };
//# sourceMappingURL=tool.cjs.map
