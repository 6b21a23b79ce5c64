import { createRequire as _currantRequire } from "node:module"; const _currant = _currantRequire(import.meta.url)("currant").module("use_renamed.mjs"); import { clock, stamp, pick } from "./renamed.mjs";
import { tick } from "./tick.cjs";

console.log(_currant.call(0, clock) > 0, _currant.call(1, stamp) > 0, _currant.call(2, pick) < 1, _currant.call(3, tick) > 0);
//# sourceMappingURL=use_renamed.mjs.map
