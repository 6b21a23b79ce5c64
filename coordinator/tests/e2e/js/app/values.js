const _currant = require("currant").module("app/values.js");
// Every value kind the journal encodes, returned by a boundary and printed
// (see values.py).
const fs = require("fs");
const os = require("os");
const path = require("path");
const util = require("util");
const currant = require("currant");
const VALUES = [
  null, undefined, true, 3, -0.5, NaN, Infinity, -Infinity, "héllo", 2n ** 70n,
  new Uint8Array([0, 255]), Buffer.from("buf"), [1, [2, { k: [3] }]], { $t: "not a tag" },
  new Map([[1, "int key"], ["s", new Set([1, 2])]]), new Set(["a"]), new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 10)),
];
const give = (v) => v;
VALUES.forEach((v, i) => {
  const got = _currant.call(0, give, v);
  console.log(i, util.inspect(got));
});
try {
  _currant.call(1, give, new (class Widget {})());
} catch (e) {
  console.log("unrecordable:", e.name, e.message);
}
class Custom extends Error {}
for (const fn of [() => JSON.parse("{"), () => null.x, () => { throw new Custom("custom message"); }, () => { throw Object.assign(new Error("coded"), { code: "E_X" }); }]) {
  try {
    _currant.call(2, fn);
  } catch (e) {
    console.log("error", e.name, e.message, e.code || "", e instanceof Error);
  }
}
(async () => {
  try {
    await _currant.call(3, async () => { throw new RangeError("async bad"); });
  } catch (e) {
    console.log("async error", e.name, e.message, e instanceof RangeError);
  }
  console.log("awaited", await _currant.call(4, async () => 42));
  console.log("now", _currant.call(5, currant.now) instanceof Date, "uuid", _currant.call(6, currant.uuid).length);
  // fs.Stats and fs.Dirent come back as themselves, also once the directory
  // is gone; its path is the same at replay (arguments are matched).
  const st = _currant.call(7, fs.statSync, __filename);
  console.log("stat", st instanceof fs.Stats, st.isFile(), st.size > 0, st.mtime instanceof Date);
  const big = await _currant.call(8, fs.promises.stat, __filename, { bigint: true });
  console.log("bigstat", typeof big.size, big.isFile(), typeof big.mtimeNs);
  const top = (process.env.SIDE || path.join(os.tmpdir(), "values")) + ".dir";
  fs.rmSync(top, { recursive: true, force: true });
  fs.mkdirSync(path.join(top, "sub"), { recursive: true });
  fs.writeFileSync(path.join(top, "f"), "");
  fs.symlinkSync("f", path.join(top, "ln"));
  const ents = _currant.call(9, fs.readdirSync, top, { withFileTypes: true });
  for (const e of ents.sort((a, b) => a.name.localeCompare(b.name))) {
    console.log("entry", e.name, e instanceof fs.Dirent, e.isFile(), e.isDirectory(), e.isSymbolicLink(), e.parentPath === top);
  }
  // an fs.Dir is read whole when recorded, and read back from the record
  const dir = _currant.call(10, fs.opendirSync, top);
  const seen = [];
  for (let e = dir.readSync(); e !== null; e = dir.readSync()) seen.push(`${e.name}:${e.isDirectory()}`);
  dir.closeSync();
  const adir = await _currant.call(11, fs.promises.opendir, top);
  for await (const e of adir) seen.push(e.name);
  console.log("dir", seen.sort().join(" "));
  fs.rmSync(top, { recursive: true, force: true });
})();
