// Tasks called through every import form: each call is a site.
import tasks from "./lib/tasks.js";
import * as lib from "./lib/index.mjs";
import { charge as pay, refund } from "./lib/index.mjs";

async function run() {
  const a = await tasks.charge(1);
  const b = await pay(2);
  const c = await lib.ship("o-1");
  const d = await refund(3);
  const e = tasks.helper(4); // not a task: a call edge, not a site
  return [a, b, c, d, e];
}

console.log(JSON.stringify(await run()));
