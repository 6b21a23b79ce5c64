const _currant = require("currant").module("use_exp.cjs"); const exp = require("./exp.cjs");
const { now, write, pick } = require("./exp.cjs");

console.log(_currant.call(0, now) > 0, _currant.call(1, _currant.ref(exp, "now")) > 0, _currant.call(2, pick) < 1, _currant.call(3, write, "/dev/null", "x"), exp.again() > 0);
//# sourceMappingURL=use_exp.cjs.map
