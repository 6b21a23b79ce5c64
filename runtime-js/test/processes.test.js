"use strict";
// Child processes under a run: what a live one did is observed without
// changing what the program sees, and a replayed one gives it back.
const test = require("node:test");
const assert = require("node:assert/strict");
const { once } = require("node:events");
const cp = require("node:child_process");
const { startsProcess, observe, ReplayedProcess } = require("../lib/processes");

test("spawn, and exec/execFile without a callback, start recorded processes", () => {
  assert.equal(startsProcess(cp.spawn, ["ls"]), true);
  assert.equal(startsProcess(cp.exec, ["ls"]), true);
  assert.equal(startsProcess(cp.exec, ["ls", () => {}]), false);
  assert.equal(startsProcess(cp.execFile, ["ls", ["-l"], () => {}]), false);
  assert.equal(startsProcess(cp.fork, ["x.js"]), false);
});

test("a live process is recorded at close, its output read by the program as usual", async () => {
  const child = cp.spawn("sh", ["-c", "echo out; echo err >&2; exit 4"]);
  let record = null;
  observe(child, (r) => (record = r));
  await once(child, "spawn");
  let out = "";
  for await (const chunk of child.stdout) out += chunk; // attached late: nothing was lost
  const [code] = await once(child, "close");
  assert.equal(out, "out\n");
  assert.equal(code, 4);
  assert.deepEqual(record.close, [4, null]);
  assert.equal(Buffer.concat(record.stdout).toString(), "out\n");
  assert.equal(Buffer.concat(record.stderr).toString(), "err\n");
  assert.deepEqual(record.events.map((e) => e[0]), ["spawn", "exit"]);
});

test("a process that cannot start is recorded at its error", async () => {
  const child = cp.spawn("no-such-command-currant-test");
  let record = null;
  observe(child, (r) => (record = r));
  const [err] = await once(child, "error");
  assert.equal(err.code, "ENOENT");
  assert.ok(record !== null, "committed before the program saw the error");
  assert.deepEqual(record.close, [err.errno, null]);
});

test("a replayed process gives the recorded bytes, events and close", async () => {
  const record = { pid: 42, stdout: [Buffer.from("a"), Buffer.from("b\n")], stderr: null, close: [3, null],
    events: [["spawn"], ["exit", 3, null]] };
  const proc = new ReplayedProcess(record);
  await once(proc, "spawn");
  let out = "";
  proc.stdout.setEncoding("utf8");
  proc.stdout.on("data", (c) => (out += c));
  const events = [];
  proc.on("exit", (...a) => events.push(["exit", ...a]));
  proc.finish(record);
  const closed = await once(proc, "close");
  assert.equal(out, "ab\n");
  assert.deepEqual(closed, [3, null]);
  assert.deepEqual(events, [["exit", 3, null]]);
  assert.equal(proc.exitCode, 3);
  assert.equal(proc.stderr, null);
  assert.equal(proc.kill(), false);
});
