"use strict";
// Pass-through mode: with no coordinator every operation simply happens.
const test = require("node:test");
const assert = require("node:assert/strict");
const currant = require("..");

const m = currant.module("app/test.js");

test("module bindings are cached per file", () => {
  assert.equal(currant.module("app/test.js"), m);
  assert.equal(m.rel, "app/test.js");
});

test("call with spread arguments", () => {
  const f = (...a) => a;
  assert.deepEqual(m.call(0, f, 1, ...[2, 3]), [1, 2, 3]);
});

test("ref keeps this and reads the property once", () => {
  let reads = 0;
  const o = { v: 5, get m() { reads += 1; return function (x) { return this.v + x; }; } };
  const r = m.ref(o, "m");
  assert.equal(reads, 1);
  assert.equal(m.call(1, r, 2), 7);
  assert.equal(reads, 1);
  assert.throws(() => m.call(1, m.ref({}, "nope")), /nope is not a function/);
  assert.throws(() => m.call(1, 42), TypeError);
});

test("errors propagate unchanged", () => {
  class MyErr extends Error {}
  assert.throws(() => m.call(2, () => { throw new MyErr("x"); }), MyErr);
});

test("promises pass through", async () => {
  assert.equal(await m.call(3, async (x) => x * 2, 21), 42);
});

test("construct", () => {
  const d = m.construct(4, Date);
  assert.ok(d instanceof Date);
  assert.deepEqual(m.construct(4, Array, 3).length, 3);
});

test("tag returns a template tag", () => {
  assert.equal(m.tag(5, String.raw)`a${1}\n`, "a1\\n");
  const o = { p: "<", t(strings, ...subs) { return this.p + strings.raw.join("|") + subs.join(","); } };
  assert.equal(m.tag(5, m.ref(o, "t"))`x${1}y${2}z`, "<x|y|z1,2");
});

test("read", () => {
  process.env.CURRANT_TEST_READ = "v";
  assert.equal(m.read(6, process.env, "CURRANT_TEST_READ"), "v");
  assert.equal(m.read(6, {}, "missing"), undefined);
});

test("hold and held", () => {
  const o = { b: 1 };
  assert.equal(m.hold(o), o);
  assert.equal(m.held(), o);
  assert.equal(m.hold(null) == null ? void 0 : 1, undefined);
});

test("now, random, uuid", () => {
  assert.ok(currant.now() instanceof Date);
  const r = currant.random();
  assert.ok(r >= 0 && r < 1);
  assert.match(currant.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("parseDuration", () => {
  assert.equal(currant.parseDuration(5), 5);
  assert.equal(currant.parseDuration("1.5s"), 1500);
  assert.equal(currant.parseDuration("2m"), 120000);
  assert.throws(() => currant.parseDuration(-1), RangeError);
  assert.throws(() => currant.parseDuration("soon"), RangeError);
});

test("sleep", async () => {
  const t0 = Date.now();
  await currant.sleep(20);
  assert.ok(Date.now() - t0 >= 15);
  await currant.sleep("1ms");
});

test("waitEvent", async () => {
  process.env.CURRANT_EVENT_APPROVED = '{"ok":true}';
  assert.deepEqual(await currant.waitEvent("approved"), { ok: true });
  delete process.env.CURRANT_EVENT_APPROVED;
  assert.equal(await currant.waitEvent("nothing", { timeout: 1 }), null);
  assert.equal(await currant.waitEvent("nothing", 1), null);
  await assert.rejects(currant.waitEvent("nothing"), currant.CurrantError);
});

test("prompt", async () => {
  const names = ["CURRANT_PROMPT_CMD", "CURRANT_LLM_BASE_URL", "OPENAI_BASE_URL", "CURRANT_LLM_API_KEY", "OPENAI_API_KEY"];
  const old = {};
  for (const k of names) { old[k] = process.env[k]; delete process.env[k]; }
  try {
    await assert.rejects(currant.prompt("hi"), currant.PromptConfigError);
    process.env.CURRANT_PROMPT_CMD = "tr a-z A-Z";
    assert.equal(await currant.prompt("hello"), "HELLO");
    process.env.CURRANT_PROMPT_CMD = "exit 3";
    await assert.rejects(currant.prompt("x"), currant.CurrantError);
  } finally {
    for (const k of names) { if (old[k] === undefined) delete process.env[k]; else process.env[k] = old[k]; }
  }
});

test("poll", async () => {
  let n = 0;
  assert.equal(await currant.poll(() => (++n === 3 ? "done" : null), { every: 1 }), "done");
  assert.equal(n, 3);
  assert.equal(await currant.poll(async () => 0, { every: 0, until: (v) => v === 0 }), 0);
  await assert.rejects(currant.poll(() => null, { every: 10, timeout: 30 }), currant.TimeoutError);
});

test("task: bare, name and arity kept", () => {
  const add = currant.task(function add(a, b) { return a + b; });
  assert.equal(add(1, 2), 3);
  assert.equal(add.name, "add");
  assert.equal(add.length, 2);
  assert.equal(add.currantTask.maxAttempts, 1);
});

test("task: sync retries then success, this kept", () => {
  let n = 0;
  const o = {
    k: 10,
    t: currant.task({ retries: 3, initialInterval: 1 }, function () {
      n += 1;
      if (n < 3) throw new Error("down");
      return this.k + n;
    }),
  };
  assert.equal(o.t(), 13);
});

test("task: async retries and giving up", async () => {
  let n = 0;
  const t = currant.task({ maxAttempts: 3, initialInterval: 1, backoff: "fixed" }, async () => {
    n += 1;
    throw new RangeError("no " + n);
  });
  await assert.rejects(t(), /no 3/);
  assert.equal(n, 3);
});

test("task: nonRetryable", () => {
  let n = 0;
  class Fatal extends Error {}
  const t = currant.task({ retries: 5, initialInterval: 1, nonRetryable: [Fatal, "TypeError"] }, (e) => {
    n += 1;
    throw e;
  });
  assert.throws(() => t(new Fatal("f")), Fatal);
  assert.throws(() => t(new TypeError("t")), TypeError);
  assert.equal(n, 2);
});

test("task: per-attempt timeout (async)", async () => {
  const t = currant.task({ timeout: 10 }, () => new Promise((r) => setTimeout(r, 500).unref()));
  await assert.rejects(t(), currant.TimeoutError);
});

test("task: options validated, delays computed", () => {
  assert.throws(() => currant.task({ retries: 1, maxAttempts: 2 }, () => 1), TypeError);
  assert.throws(() => currant.task({ backoff: "linear" }, () => 1), RangeError);
  assert.throws(() => currant.task({}), TypeError);
  const p = new currant.RetryPolicy({ initialInterval: 1000, maxInterval: 5000, jitter: 0 });
  assert.deepEqual([1, 2, 3, 4].map((i) => p.delay(i)), [1000, 2000, 4000, 5000]);
});

test("ESM entry exports the same objects", async () => {
  const esm = await import("../index.mjs");
  assert.equal(esm.module, currant.module);
  assert.equal(esm.default, currant);
  assert.equal(typeof esm.task, "function");
});
