const _currant = require("currant").module("app/fillers.js");
// crypto's fillers write into the caller's array and return it: a replay
// must leave the same bytes there (they were zeros before), for every kind
// of typed array, and hand randomFill's callback the caller's buffer.
const crypto = require("crypto");
const a = new Uint8Array(8);
const same = _currant.call(0, _currant.ref(crypto, "getRandomValues"), a) === a;
const b = Buffer.alloc(8);
_currant.call(1, _currant.ref(crypto, "randomFillSync"), b);
const c = new Uint32Array(2);
_currant.call(2, _currant.ref(globalThis.crypto, "getRandomValues"), c);
const d = Buffer.alloc(4);
_currant.call(3, _currant.ref(crypto, "randomFill"), d, (err, buf) => console.log("filled", buf === d, d.toString("hex")));
console.log(Array.from(a).join(","), same, b.toString("hex"), Array.from(c).join(","));
// fs.readSync / fs.read write what they read into the caller's buffer and
// return (or call back with) a count: the replay fills the buffer again,
// from the journal, whatever the file holds by then.
const fs = require("fs");
const fd = _currant.call(4, _currant.ref(fs, "openSync"), process.env.FILLERS_DATA, "r");
const buf = Buffer.alloc(16);
const n = _currant.call(5, _currant.ref(fs, "readSync"), fd, buf, 0, 16, 0);
console.log("readSync", n, buf.toString("utf8", 0, n));
const buf2 = Buffer.alloc(4);
_currant.call(6, _currant.ref(fs, "read"), fd, buf2, 0, 4, 6, (err, m, b) => console.log("read", m, b === buf2, buf2.toString("utf8", 0, m)));
