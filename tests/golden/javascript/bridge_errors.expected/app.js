const _currant = require("currant").module("app.js"); const gone = require("./gone.py");
const { score, nope } = _currant.bridge("py", "model.py", []);
const model = _currant.bridge("py", "model.py", []);

_currant.call(0, score, 1, 2, 3);
_currant.call(1, score);
_currant.call(2, score, ...[1, 2, 3]);
model.nothere();
module.exports = { gone };
//# sourceMappingURL=app.js.map
