"use strict";
// The journal value encoding: round trips, tags, errors, unrecordables.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const codec = require("../lib/codec");
const { parentKey } = require("../lib/session");

const rt = (v) => codec.decode(JSON.parse(JSON.stringify(codec.encode(v))));

test("JSON values stand for themselves", () => {
  for (const v of [null, true, 0, -5, 1.5, "x", [1, "a"], { a: [null] }]) {
    assert.deepEqual(codec.encode(v), v);
    assert.deepEqual(rt(v), v);
  }
});

test("tagged values round trip with their types", () => {
  const values = [undefined, 10n ** 30n, NaN, Infinity, -Infinity, new Uint8Array([1, 2]), Buffer.from("b"),
    new Map([[1, "a"], ["k", new Set([1])]]), new Set(["s"]), new Date(0), { $t: "user data" }];
  for (const v of values) {
    const got = rt(v);
    if (typeof v === "number" && Number.isNaN(v)) assert.ok(Number.isNaN(got));
    else assert.deepEqual(got, v);
    if (v !== null && typeof v === "object") assert.equal(Object.getPrototypeOf(got), Object.getPrototypeOf(v));
  }
});

test("every typed array round trips as its own kind, as bytes for Python", () => {
  const values = [new Int8Array([-1]), new Uint8ClampedArray([255]), new Int16Array([-2, 3]), new Uint16Array([4]),
    new Int32Array([-5]), new Uint32Array([4000000000, 1]), new Float32Array([0.5]), new Float64Array([Math.PI]),
    new BigInt64Array([-7n]), new BigUint64Array([2n ** 64n - 1n]), new Int16Array(new ArrayBuffer(8), 2, 2)];
  for (const v of values) {
    const enc = codec.encode(v);
    assert.equal(enc.$t, "bytes"); // what Python reads: bytes
    assert.equal(Buffer.from(enc.v, "base64").length, v.byteLength);
    const got = rt(v);
    assert.equal(Object.getPrototypeOf(got), Object.getPrototypeOf(v));
    assert.deepEqual(Array.from(got), Array.from(v));
  }
  // bytes that do not divide into the kind's elements stay bytes
  assert.deepEqual(codec.decode({ $t: "bytes", v: Buffer.from([1, 2, 3]).toString("base64"), js: "Uint32Array" }),
    new Uint8Array([1, 2, 3]));
});

test("values from Python decode to their JS kin", () => {
  assert.deepEqual(codec.decode({ $t: "tuple", v: [1, 2] }), [1, 2]);
  assert.equal(codec.decode({ $t: "decimal", v: "1.10" }), "1.10");
  assert.deepEqual(codec.decode({ $t: "set", v: [1], py: "frozenset" }), new Set([1]));
  assert.deepEqual(codec.decode({ $t: "completed", v: { args: ["x"], returncode: 0, stdout: "o", stderr: null } }),
    { args: ["x"], returncode: 0, stdout: "o", stderr: null });
});

test("an awaited async iterable (a streamed model answer) is drained and replayed as its items", async () => {
  class Stream {
    constructor() {
      this.controller = new AbortController(); // a class of its own, as the SDKs' Stream is
    }
    async *[Symbol.asyncIterator]() {
      yield { delta: "a" };
      yield { delta: "b" };
    }
  }
  assert.equal(codec.isDrainable(new Stream()), true);
  const file = fs.createReadStream(__filename); // Node's streams have recorders of their own
  for (const not of [{ [Symbol.asyncIterator]: () => null }, file, [1], null, "s"]) {
    assert.equal(codec.isDrainable(not), false);
  }
  file.destroy();
  const rec = await codec.RecordedChunks.from(new Stream());
  const enc = JSON.parse(JSON.stringify(codec.encode(rec)));
  assert.equal(enc.$t, "iter"); // what Python's drained iterators are too
  const back = codec.decode(enc);
  const got = [];
  for await (const x of back) got.push(x.delta);
  assert.deepEqual(got, ["a", "b"]);
  assert.deepEqual(codec.decode({ $t: "iter", v: [1, 2] }), [1, 2]); // Python's: a list
});

test("an axios response is journaled as what a program reads of it; its error keeps the response", () => {
  class AxiosHeaders {
    constructor(h) {
      Object.assign(this, h);
    }
    toJSON() {
      return { ...this };
    }
  }
  const live = {
    status: 404, statusText: "Not Found", headers: new AxiosHeaders({ "content-type": "application/json" }),
    data: { error: "gone" }, config: { transformRequest: [() => 1] }, request: new (class ClientRequest {})(),
  };
  assert.equal(codec.isAxiosResponse(live), true);
  assert.equal(codec.isAxiosResponse({ status: 200, data: 1 }), false);
  assert.deepEqual(rt(codec.axiosRecord(live)),
    { data: { error: "gone" }, status: 404, statusText: "Not Found", headers: { "content-type": "application/json" } });
  class AxiosError extends Error {}
  const err = Object.assign(new AxiosError("Request failed with status code 404"),
    { name: "AxiosError", code: "ERR_BAD_REQUEST", isAxiosError: true, response: live });
  const back = codec.decodeError(JSON.parse(JSON.stringify(codec.encodeError(err))));
  assert.equal(back.name, "AxiosError");
  assert.equal(back.code, "ERR_BAD_REQUEST");
  assert.equal(back.isAxiosError, true);
  assert.equal(back.status, 404);
  assert.deepEqual(back.response.data, { error: "gone" });
});

test("unrecordable values name their type", () => {
  assert.throws(() => codec.encode(new (class Widget {})()), /Widget/);
  assert.throws(() => codec.encode(() => 1), /function/);
  assert.throws(() => codec.encode(Symbol("s")), /symbol/);
});

test("errors keep class, name, message and code", () => {
  for (const e of [new TypeError("t"), new RangeError("r"), Object.assign(new Error("c"), { code: "E_X" })]) {
    const got = codec.decodeError(JSON.parse(JSON.stringify(codec.encodeError(e))));
    assert.equal(Object.getPrototypeOf(got), Object.getPrototypeOf(e));
    assert.equal(got.message, e.message);
    assert.equal(got.code, e.code);
  }
  const py = codec.decodeError({ type: "KeyError", module: "builtins", message: "'k'" });
  assert.equal(py.name, "KeyError");
  assert.ok(py instanceof Error);
  assert.equal(codec.decodeError(codec.encodeError("a string")), "a string");
});

test("recorded responses replay as fresh Responses", async () => {
  const live = new Response("hello", { status: 201, headers: { "x-a": "1" } });
  const rec = await codec.RecordedResponse.from(live);
  const got = rt(rec);
  assert.equal(got.status, 201);
  assert.equal(got.headers.get("x-a"), "1");
  assert.equal(await got.text(), "hello");
});

test("fs.Stats round trips with its prototype, fields, Dates and methods", () => {
  const live = fs.statSync(__filename);
  const enc = JSON.parse(JSON.stringify(codec.encode(live)));
  assert.equal(enc.$t, "stats");
  assert.equal(enc.big, undefined);
  assert.equal(enc.v.size, live.size);
  assert.equal(enc.v.atime, undefined); // Dates are rebuilt from the *Ms fields
  const got = codec.decode(enc);
  assert.ok(got instanceof fs.Stats);
  assert.equal(Object.getPrototypeOf(got), Object.getPrototypeOf(live));
  assert.deepEqual(Object.keys(got), Object.keys(live));
  assert.deepEqual(got, live);
  assert.equal(got.isFile(), true);
  assert.equal(got.isDirectory(), false);
  assert.equal(got.isSymbolicLink(), false);
  assert.ok(got.mtime instanceof Date);
  assert.equal(got.mtime.getTime(), live.mtime.getTime());
  assert.equal(got.size, live.size);
  assert.equal(rt(fs.statSync(__dirname)).isDirectory(), true);
});

test("Stats Dates round a fractional millisecond as Node does", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "currant-codec-"));
  try {
    const file = path.join(dir, "f");
    fs.writeFileSync(file, "x");
    fs.utimesSync(file, 1.0007, 1.0007); // 1000.7 ms: new Date(ms) would say 1000
    const live = fs.statSync(file);
    const got = rt(live);
    assert.equal(got.atime.getTime(), live.atime.getTime());
    assert.deepEqual(got, live);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("lstat of a symlink replays as a symlink", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "currant-codec-"));
  try {
    const link = path.join(dir, "link");
    fs.symlinkSync(__filename, link);
    const live = fs.lstatSync(link);
    const got = rt(live);
    assert.equal(got.isSymbolicLink(), true);
    assert.equal(got.isFile(), false);
    assert.deepEqual(got, live);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("BigIntStats round trips as BigIntStats", () => {
  const live = fs.statSync(__filename, { bigint: true });
  const enc = JSON.parse(JSON.stringify(codec.encode(live)));
  assert.equal(enc.$t, "stats");
  assert.equal(enc.big, true);
  assert.equal(enc.v.mtimeNs, String(live.mtimeNs));
  const got = codec.decode(enc);
  assert.equal(Object.getPrototypeOf(got), Object.getPrototypeOf(live));
  assert.equal(got.constructor.name, "BigIntStats");
  assert.deepEqual(Object.keys(got), Object.keys(live));
  assert.deepEqual(got, live);
  for (const k of ["size", "ino", "mode", "mtimeMs", "atimeNs", "mtimeNs", "ctimeNs", "birthtimeNs"]) {
    assert.equal(typeof got[k], "bigint", k);
    assert.equal(got[k], live[k], k);
  }
  assert.equal(got.isFile(), true);
  assert.equal(got.mtime.getTime(), live.mtime.getTime());
});

test("Dirents round trip with name, type and parent directory", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "currant-codec-"));
  try {
    fs.writeFileSync(path.join(dir, "file.txt"), "x");
    fs.mkdirSync(path.join(dir, "sub"));
    fs.symlinkSync("file.txt", path.join(dir, "link"));
    const live = fs.readdirSync(dir, { withFileTypes: true });
    const enc = JSON.parse(JSON.stringify(codec.encode(live)));
    const byName = (list) => Object.fromEntries(list.map((e) => [e.name, e]));
    assert.deepEqual(Object.fromEntries(enc.map((e) => [e.v.name, e])), {
      "file.txt": { $t: "dirent", v: { name: "file.txt", parent: dir, type: "file" } },
      sub: { $t: "dirent", v: { name: "sub", parent: dir, type: "dir" } },
      link: { $t: "dirent", v: { name: "link", parent: dir, type: "symlink" } },
    });
    const got = codec.decode(enc);
    assert.deepEqual(got, live);
    const g = byName(got);
    for (const e of got) {
      assert.ok(e instanceof fs.Dirent);
      assert.equal(e.parentPath, dir);
      assert.equal(e.path, dir);
    }
    assert.equal(g["file.txt"].isFile(), true);
    assert.equal(g["file.txt"].isDirectory(), false);
    assert.equal(g.sub.isDirectory(), true);
    assert.equal(g.sub.isFile(), false);
    assert.equal(g.link.isSymbolicLink(), true);
    assert.equal(g.link.isFile(), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a dirent from Python decodes; its extra keys are ignored", () => {
  const got = codec.decode({ $t: "dirent", v: { name: "d", parent: "/tmp", type: "dir", py: { inode: 5 } } });
  assert.ok(got instanceof fs.Dirent);
  assert.equal(got.name, "d");
  assert.equal(got.parentPath, "/tmp");
  assert.equal(got.isDirectory(), true);
  assert.equal(got.isFile(), false);
  const fifo = codec.decode({ $t: "dirent", v: { name: "p", parent: "/tmp", type: "fifo" } });
  assert.equal(fifo.isFIFO(), true);
  const unknown = codec.decode({ $t: "dirent", v: { name: "u", parent: null, type: "unknown" } });
  assert.equal(unknown.name, "u");
  for (const m of ["isFile", "isDirectory", "isSymbolicLink", "isBlockDevice", "isCharacterDevice", "isFIFO", "isSocket"]) {
    assert.equal(unknown[m](), false, m);
  }
});

test("a Python struct sequence decodes to an Array of its items", () => {
  const got = codec.decode({ $t: "pystruct", v: [33188, 12, { $t: "float", v: "NaN" }, [1, 2]], type: "os.stat_result", f: { st_atime: 1.5 } });
  assert.ok(Array.isArray(got));
  assert.equal(got.length, 4);
  assert.equal(got[0], 33188);
  assert.equal(got[1], 12);
  assert.ok(Number.isNaN(got[2]));
  assert.deepEqual(got[3], [1, 2]);
});

test("parentKey", () => {
  assert.equal(parentKey("3"), null);
  assert.equal(parentKey("3.1"), "3");
  assert.equal(parentKey("3~2.0"), "3");
  assert.equal(parentKey("1.2~3.0"), "1.2");
  assert.equal(parentKey("1~2.0.5"), "1~2.0");
});

test("Python class instances decode to their fields", () => {
  assert.equal(codec.decode({ $t: "pyobj", type: "shop:Status", kind: "enum", v: "PAID" }), "PAID");
  assert.deepEqual(codec.decode({ $t: "pyobj", type: "shop:Point", kind: "namedtuple", v: [1, { $t: "bigint", v: "9" }] }),
    [1, 9n]);
  assert.deepEqual(codec.decode({ $t: "pyobj", type: "shop:Receipt", kind: "dataclass", v: { order: 7, at: { $t: "datetime", v: "2024-01-02T03:04:05.000Z" } } }),
    { order: 7, at: new Date("2024-01-02T03:04:05.000Z") });
});

test("a response an http callback got decodes to a stream of the same response", async () => {
  const rec = new codec.RecordedResponse(201, "Created", [["Content-Type", "text/plain"], ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]],
    Buffer.from("héllo"), "http://h/x");
  rec.incoming = true;
  const enc = JSON.parse(JSON.stringify(codec.encode([rec])));
  assert.equal(enc[0].js, "incoming");
  const [res] = codec.decode(enc);
  assert.equal(res.statusCode, 201);
  assert.equal(res.statusMessage, "Created");
  assert.equal(res.headers["content-type"], "text/plain");
  assert.deepEqual(res.headers["set-cookie"], ["a=1", "b=2"]);
  assert.deepEqual(res.rawHeaders, ["Content-Type", "text/plain", "Set-Cookie", "a=1", "Set-Cookie", "b=2"]);
  res.setEncoding("utf8");
  let body = "";
  for await (const chunk of res) body += chunk;
  assert.equal(body, "héllo");
});

test("an fs.Dir is read whole and read back from the record", async () => {
  const fs = require("node:fs");
  const os = require("node:os");
  const path = require("node:path");
  const top = fs.mkdtempSync(path.join(os.tmpdir(), "currant-dir-"));
  fs.writeFileSync(path.join(top, "f"), "");
  fs.mkdirSync(path.join(top, "sub"));
  const live = codec.recordLive(fs.opendirSync(top));
  const got = codec.decode(JSON.parse(JSON.stringify(codec.encode(live))));
  fs.rmSync(top, { recursive: true });
  assert.equal(got.path, top);
  const names = [];
  for await (const e of got) names.push(`${e.name}:${e.isDirectory()}`);
  assert.deepEqual(names.sort(), ["f:false", "sub:true"]);
  assert.equal(got.readSync(), null);
  assert.equal(await got.read(), null);
  await got.close();
  assert.equal(codec.recordLive(5), 5);
});
