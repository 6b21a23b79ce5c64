// Tasks called through every import form: each call is a site.
import { createRequire as _currantRequire } from "node:module"; const _currant = _currantRequire(import.meta.url)("currant").module("main.mjs"); import tasks from "./lib/tasks.js";
import * as lib from "./lib/index.mjs";
import { charge as pay, refund } from "./lib/index.mjs";

async function run() {
  const a = await _currant.call(0, _currant.ref(tasks, "charge"), 1);
  const b = await _currant.call(1, pay, 2);
  const c = await _currant.call(2, _currant.ref(lib, "ship"), "o-1");
  const d = await _currant.call(3, refund, 3);
  const e = tasks.helper(4); // not a task: a call edge, not a site
  return [a, b, c, d, e];
}

console.log(JSON.stringify(await run()));
//# sourceMappingURL=main.mjs.map
