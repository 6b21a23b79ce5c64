// An ES module that already binds the name the runtime's import would use
// (`_currantRequire`): the output takes the next free name, with "Require".
import { readFileSync } from "node:fs";

const _currantRequire = (p) => p.length;

export function size(path) {
  return _currantRequire(readFileSync(path, "utf8"));
}
