"use strict";
// The journal value encoding: round trips, tags, errors, unrecordables.
const test = require("node:test");
const assert = require("node:assert/strict");
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

test("values from Python decode to their JS kin", () => {
  assert.deepEqual(codec.decode({ $t: "tuple", v: [1, 2] }), [1, 2]);
  assert.equal(codec.decode({ $t: "decimal", v: "1.10" }), "1.10");
  assert.deepEqual(codec.decode({ $t: "set", v: [1], py: "frozenset" }), new Set([1]));
  assert.deepEqual(codec.decode({ $t: "completed", v: { args: ["x"], returncode: 0, stdout: "o", stderr: null } }),
    { args: ["x"], returncode: 0, stdout: "o", stderr: null });
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

test("parentKey", () => {
  assert.equal(parentKey("3"), null);
  assert.equal(parentKey("3.1"), "3");
  assert.equal(parentKey("3~2.0"), "3");
  assert.equal(parentKey("1.2~3.0"), "1.2");
  assert.equal(parentKey("1~2.0.5"), "1~2.0");
});
