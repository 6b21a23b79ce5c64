"use strict";
// The replay fast path: argument fingerprints (the digest journals store)
// and the session's row lookup (journal order first, then by key), without
// a coordinator: rows are loaded by hand and every call here replays.
const test = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const codec = require("../lib/codec");
const { Session } = require("../lib/session");
const { invoke } = require("../lib/binding");

/** The digest as journals have always stored it. */
const reference = (text) => crypto.createHash("md5").update(text).digest("hex").slice(0, 8);

test("fingerprint digests the arguments' JSON text, as journals store it", () => {
  const plain = [[], [0], [-0], [1.5e300], [-7], ["a\"b\\\n\u2028é"], [true, null, "x", 3], [""]];
  for (const args of plain) assert.equal(codec.fingerprint(args), reference(JSON.stringify(args)), JSON.stringify(args));
  // not plain: their encoded forms, and the type name of what cannot be encoded
  assert.equal(codec.fingerprint([undefined, NaN]), reference(JSON.stringify([codec.encode(undefined), codec.encode(NaN)])));
  assert.equal(codec.fingerprint([{ a: [1] }, 2]), reference('[{"a":[1]},2]'));
  assert.equal(codec.fingerprint([() => 1]), reference('["<Function>"]'));
});

/** A session holding rows [key, file, site, kind, attempt, status, value, ended, arghash]. */
function session(rows) {
  const s = new Session(-1);
  for (const r of rows) s.load(r);
  s.loaded();
  return s;
}

const row = (key, site, value, args) => [key, "app.js", site, "call", 1, "ok", value, 0, codec.fingerprint(args)];
const never = () => assert.fail("a replayed call must not run");

test("rows replay in journal order, each once", () => {
  const s = session([row("0", 0, "a", [1]), row("1", 0, "b", [2]), row("2", 1, "c", [])]);
  assert.equal(s.call("app.js", 0, never, [1], invoke), "a");
  assert.equal(s.call("app.js", 0, never, [2], invoke), "b");
  assert.equal(s.call("app.js", 1, never, [], invoke), "c");
  assert.equal(s.unvisited, 0);
  assert.equal(s.nTaken, 3);
});

test("a call whose key holds the same site with other arguments takes its own row", () => {
  // keys 0 and 1 were taken in the other order on the recorded execution
  const s = session([row("0", 0, "second", [2]), row("1", 0, "first", [1])]);
  assert.equal(s.call("app.js", 0, never, [1], invoke), "first");
  assert.equal(s.call("app.js", 0, never, [2], invoke), "second");
  assert.equal(s.unvisited, 0);
});

test("a call whose key holds another site's row takes its own row when there is one", () => {
  // two concurrent functions reached sites 0 and 1 after their awaits in
  // the other order on the recorded execution
  const s = session([row("0", 1, "one", [1]), row("1", 0, "zero", [0])]);
  assert.equal(s.call("app.js", 0, never, [0], invoke), "zero");
  assert.equal(s.call("app.js", 1, never, [1], invoke), "one");
  assert.equal(s.unvisited, 0);
});

test("a key recorded twice replays its last row", () => {
  const s = session([row("0", 0, "old", [1]), row("0", 0, "new", [1])]);
  assert.equal(s.dup, true);
  assert.equal(s.call("app.js", 0, never, [1], invoke), "new");
});

test("rows out of journal order are found by key", () => {
  // a finished task: its steps' rows come before its own
  const s = session([row("0.0", 0, "step", []), row("0", 1, "task", []), row("1", 2, "after", [])]);
  assert.equal(s.call("app.js", 1, never, [], invoke), "task");
  assert.equal(s.call("app.js", 2, never, [], invoke), "after");
  assert.equal(s.unvisited, 0);
});

test("awaited replays settle in journal order, not in the order their calls started", async () => {
  // recorded: "fast" (key 1) finished its wait first and took keys 2 and
  // 3; "slow" (key 0) finished later and took 4 and 5.  The ticket call has
  // no arguments: only the order tells whose it is.
  const awaited = (key, site, value, args) => [key, "app.js", site, "call+await", 1, "ok", value, 0, codec.fingerprint(args)];
  const s = session([
    awaited("1", 0, "waited", ["fast"]),
    row("2", 1, 1, []),
    row("3", 2, null, ["fast", 1]),
    awaited("0", 0, "waited", ["slow"]),
    row("4", 1, 2, []),
    row("5", 2, null, ["slow", 2]),
  ]);
  const worker = async (name) => {
    await s.call("app.js", 0, never, [name], invoke);
    const ticket = s.call("app.js", 1, never, [], invoke);
    s.call("app.js", 2, never, [name, ticket], invoke);
    return ticket;
  };
  assert.deepEqual(await Promise.all([worker("slow"), worker("fast")]), [2, 1]);
  assert.equal(s.unvisited, 0);
});
