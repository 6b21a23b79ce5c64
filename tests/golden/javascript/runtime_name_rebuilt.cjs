// Output of an earlier build edited by hand, with one call left bare: built
// again, its own `_currant` stays and the runtime gets the next free name.
const _currant = require("currant").module("runtime_name_rebuilt.cjs");
const first = _currant.call(0, Date.now);
const second = Date.now();
module.exports = { first, second };
