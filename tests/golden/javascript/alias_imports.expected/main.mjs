import { createRequire as _currantRequire } from "node:module"; const _currant = _currantRequire(import.meta.url)("currant").module("main.mjs"); import * as clock from "./clock.mjs";
import { counter, now } from "./all.mjs";

console.log(_currant.call(0, now) > 0, _currant.call(1, _currant.ref(clock, "uid")).length, counter());
//# sourceMappingURL=main.mjs.map
