import { readFileSync } from "node:fs";
import fs, { writeFileSync as wf } from "fs";
export { readFileSync as rfs } from "node:fs";
export * from "node:path";

export function read(p) {
  return readFileSync(p, "utf8") + fs.readFileSync(p, "utf8");
}
export const write = (p, s) => wf(p, s);
export default function () { return Date.now(); }
