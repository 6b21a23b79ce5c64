import { clock, stamp, pick } from "./renamed.mjs";
import { tick } from "./tick.cjs";

console.log(clock() > 0, stamp() > 0, pick() < 1, tick() > 0);
