// Descriptors and FileHandles opened before a crash are used after the
// resume: the file is opened again where the run left it (a descriptor's
// number means nothing in the new process), so every write lands once, in
// order, and every read reads what the run would have read.
const _currant = require("currant").module("app/files.js"); const fs = require("fs");
const fsp = require("fs/promises");

async function main(base) {
  const fd = _currant.call(0, _currant.ref(fs, "openSync"), base + ".w", "w");
  _currant.call(1, _currant.ref(fs, "writeSync"), fd, "one\n");
  _currant.call(2, _currant.ref(fs, "writeSync"), fd, "two\n");
  _currant.call(3, _currant.ref(fs, "closeSync"), fd);
  const r = _currant.call(4, _currant.ref(fs, "openSync"), base + ".w", "r");
  const b = Buffer.alloc(4);
  _currant.call(5, _currant.ref(fs, "readSync"), r, b, 0, 4, null);
  console.log("sync", b.toString().trim());
  _currant.call(6, _currant.ref(fs, "readSync"), r, b, 0, 4, null);
  console.log("sync", b.toString().trim());
  _currant.call(7, _currant.ref(fs, "closeSync"), r);
  const fh = await _currant.call(8, _currant.ref(fsp, "open"), base + ".h", "w+");
  await _currant.call(9, _currant.ref(fh, "write"), "alpha\n");
  await _currant.call(10, _currant.ref(fh, "write"), "beta\n");
  const buf = Buffer.alloc(5);
  const { bytesRead } = await _currant.call(11, _currant.ref(fh, "read"), buf, 0, 5, 0);
  console.log("handle", bytesRead, buf.toString());
  await fh.close();
  const w = _currant.call(12, _currant.ref(fs, "readFileSync"), base + ".w", "utf8");
  const h = _currant.call(13, _currant.ref(fs, "readFileSync"), base + ".h", "utf8");
  console.log("files", w.split("\n").join("|"), h.split("\n").join("|"));
}

main(_currant.read(14, process.env, "DATA"));
