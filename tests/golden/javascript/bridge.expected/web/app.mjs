// ESM into Python: named (aliased), namespace and default imports.
import { createRequire as _currantRequire } from "node:module"; const _currant = _currantRequire(import.meta.url)("currant").module("web/app.mjs"); const { score, fetch: get } = _currant.bridge("py", "model.py", ["fetch"]);
const model = _currant.bridge("py", "model.py", ["fetch"]);
const m2 = _currant.bridge("py", "model.py", ["fetch"]);
import { prompt } from "currant";

export async function run(n) {
  const s = _currant.call(0, score, n, 2);
  const t = await _currant.call(1, get, "k");
  const answer = await _currant.call(2, prompt, "Explain {s}", { s, t });
  return _currant.call(3, _currant.ref(model, "score"), s) + _currant.call(4, _currant.ref(m2, "score"), 1) + answer.length;
}
//# sourceMappingURL=app.mjs.map
