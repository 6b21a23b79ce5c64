import * as clock from "./clock.mjs";
import { counter, now } from "./all.mjs";

console.log(now() > 0, clock.uid().length, counter());
