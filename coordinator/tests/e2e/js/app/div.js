const _currant = require("currant").module("app/div.js");
// Takes another path when $FLAG exists (see div.py).
const fs = require("fs");
const f = (x) => x;
if (fs.existsSync(process.env.FLAG)) _currant.call(1, f, "b");
else _currant.call(0, f, "a");
_currant.call(2, f, "c");
