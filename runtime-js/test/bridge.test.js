"use strict";
// Calls into Python: the codecs agree, errors cross, pass-through spawns
// the Python worker, the module proxy destructures (needs python3).
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const codec = require("../lib/codec");
const { bridgeModule } = require("../lib/bridge");
const { BridgeError, module: bind } = require("..");

const RUNTIME_PY = path.resolve(__dirname, "..", "..", "runtime-py");
const hasPython = (() => {
  try {
    execFileSync("python3", ["-c", ""]);
    return true;
  } catch {
    return false;
  }
})();

/** Decodes and re-encodes values with the Python codec. */
function throughPython(encoded) {
  const script = "import json, sys; from currant import _codec; " +
    "print(json.dumps([_codec.encode(_codec.decode(v)) for v in json.load(sys.stdin)]))";
  const out = execFileSync("python3", ["-c", script], {
    input: JSON.stringify(encoded), env: { ...process.env, PYTHONPATH: RUNTIME_PY },
  });
  return JSON.parse(out.toString());
}

test("JS values survive the Python codec", { skip: !hasPython }, () => {
  const values = [[1, 2], Buffer.from("xy"), new Map([[1, "a"], ["k", [null]]]), new Set(["s"]), 10n ** 20n,
    new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), null, Infinity, { $t: "user" },
    { nested: [{ deep: new Map([[2, 3n ** 50n]]) }] }];
  const got = throughPython(values.map((v) => codec.encode(v))).map(codec.decode);
  assert.deepEqual(got, values);
});

test("Python values decode in JS", { skip: !hasPython }, () => {
  const script = "import json, datetime, decimal; from currant import _codec; " +
    "print(json.dumps([_codec.encode(v) for v in [(1, 2), b'xy', {1: 'a'}, {'s'}, 2 ** 70, " +
    "datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc), datetime.date(2024, 1, 2), " +
    "decimal.Decimal('1.10'), {'nested': [{'deep': {(1, 2): None}}]}]]))";
  const out = execFileSync("python3", ["-c", script], { env: { ...process.env, PYTHONPATH: RUNTIME_PY } });
  const got = JSON.parse(out.toString()).map(codec.decode);
  assert.deepEqual(got, [[1, 2], Buffer.from("xy"), new Map([[1, "a"]]), new Set(["s"]), 2n ** 70n,
    new Date(Date.UTC(2024, 0, 2)), "2024-01-02", "1.10", { nested: [{ deep: new Map([[[1, 2], null]]) }] }]);
});

test("Python errors are BridgeErrors named after their type, kept for the journal", () => {
  const record = { type: "KeyError", module: "builtins", message: "'k'", args: ["k"], lang: "py" };
  const err = codec.decodeError(record);
  assert.ok(err instanceof BridgeError);
  assert.equal(err.name, "KeyError");
  assert.equal(err.message, "'k'");
  assert.equal(err.constructor, codec.decodeError({ ...record }).constructor);
  assert.deepEqual(codec.encodeError(err), record);
  const died = codec.decodeError({ type: "BridgeError", module: "currant", message: "died", args: ["died"] });
  assert.equal(died.constructor, BridgeError);
});

const MODEL = `
import asyncio, os, signal
def score(n): return n * 2
def fail(m): raise ValueError("bad " + m)
async def slow(n):
    await asyncio.sleep(0)
    return n * 3
def values(*a): return a
def die(): os.kill(os.getpid(), signal.SIGKILL)
`;

test("pass-through: values, errors, async, worker death", { skip: !hasPython }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "currant-bridge-"));
  try {
    fs.mkdirSync(path.join(root, "lib"));
    fs.writeFileSync(path.join(root, "lib", "model.py"), MODEL);
    const { score, fail, slow, values, die } = bridgeModule("py", "lib/model.py", ["slow"], () => root);
    assert.equal(score(4), 8);
    assert.deepEqual(values([1], Buffer.from("a")), [[1], Buffer.from("a")]);
    assert.throws(() => fail("x"), (e) => e instanceof BridgeError && e.name === "ValueError" && e.message === "bad x");
    const pending = slow(2);
    assert.ok(pending instanceof Promise);
    assert.equal(await pending, 6);
    assert.throws(() => die(), /the py worker died running lib\/model\.py:die/);
    assert.equal(score(1), 2); // a new worker
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("the module proxy destructures, is not thenable, and finds the root", () => {
  const proxy = bind("app/main.js").bridge("py", "model.py", []);
  const { score } = proxy;
  assert.equal(typeof score, "function");
  assert.equal(score.name, "score");
  assert.equal(proxy.then, undefined);
  assert.equal(proxy[Symbol.iterator], undefined);
  assert.equal(proxy.score, score);
  assert.equal(score.currantBridge.root(), path.dirname(__filename));
});
