const _currant = require("currant").module("app/main.js");
const fs = require("fs");
const currant = require("currant");
const SIDE = process.env.SIDE; // side effects are counted here, outside the journal
function effect(name) { fs.appendFileSync(SIDE, name + "\n"); return name.toUpperCase(); }
async function effectAsync(name) { await new Promise((r) => setTimeout(r, 1)); return effect(name); }
const step = currant.task({ retries: 2, initialInterval: 1 }, async function step(i) {
  return _currant.call(3, effectAsync, `inner${i}`);
});
const obj = { k: "obj", m(x) { return effect(this.k + x); } };
async function main() {
  console.log("start");
  const a = _currant.call(0, effect, "a");
  console.log("a ->", a);
  const t = _currant.call(1, Date.now);
  const d = _currant.construct(2, Date);
  const rs = await Promise.all([0, 1, 2].map((i) => _currant.call(4, step, i)));
  console.log("steps", rs.join(","));
  console.log("m", _currant.call(5, _currant.ref(obj, "m"), 1));
  try { _currant.call(6, JSON.parse, "{bad"); } catch (e) { console.log("error:", e.name); }
  await _currant.call(7, currant.sleep, 5);
  console.log("end", a, typeof t, d instanceof Date);
}
main();
