"use strict";
// The channel: replies on a pipe, polled before a blocking read
// (lib/channel.js).  A FIFO stands in for the coordinator's reply pipe:
// Node cannot make an anonymous one.

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { Worker } = require("node:worker_threads");
const { Channel } = require("../lib/channel");

/** A framed message, as the coordinator writes it. */
function frame(msg) {
  const body = Buffer.from(JSON.stringify(msg));
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

/** A FIFO opened to read (blocking) and to write; requests go to /dev/null. */
function pipe(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "currant-channel-"));
  const fifo = path.join(dir, "replies");
  execFileSync("mkfifo", [fifo]);
  const read = fs.openSync(fifo, fs.constants.O_RDWR); // never blocks to open
  const write = fs.openSync(fifo, fs.constants.O_WRONLY);
  const requests = fs.openSync("/dev/null", "w");
  t.after(() => {
    for (const fd of [read, write, requests]) fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true });
  });
  return { read, write, requests };
}

/** Writes data to fd from another thread after ms. */
function writeLater(fd, ms, data) {
  const code = `const fs = require("fs"); const { workerData: w } = require("worker_threads");
    setTimeout(() => fs.writeSync(w.fd, Buffer.from(w.data)), w.ms);`;
  return new Worker(code, { eval: true, workerData: { fd, ms, data: [...data] } });
}

/** Records what each poll of ch returned (-1: nothing came in time). */
function spy(ch) {
  const polls = [];
  const spin = ch.spin.bind(ch);
  ch.spin = (buf, off) => {
    polls.push(spin(buf, off));
    return polls[polls.length - 1];
  };
  return polls;
}

test("a reply already there is read by polling, through a descriptor of its own", (t) => {
  const p = pipe(t);
  const ch = new Channel(p.requests, p.read, 200);
  assert.ok(ch.poll >= 0 && ch.poll !== p.read);
  const polls = spy(ch);
  fs.writeSync(p.write, frame({ ok: true }));
  assert.deepEqual(ch.request({ op: "commit" }, true), { ok: true });
  assert.equal(polls.length, 1);
  assert.ok(polls[0] > 0);
});

test("a reply within the poll is read by polling", async (t) => {
  const p = pipe(t);
  const ch = new Channel(p.requests, p.read, 5000000);
  const polls = spy(ch);
  const w = writeLater(p.write, 30, frame({ value: 7 }));
  await new Promise((resolve) => w.once("online", resolve));
  assert.deepEqual(ch.request({ op: "commit" }, true), { value: 7 });
  assert.equal(polls.length, 1);
  assert.ok(polls[0] > 0);
  await w.terminate();
});

test("a reply that is not prompt is not polled for", async (t) => {
  const p = pipe(t);
  const ch = new Channel(p.requests, p.read, 5000000);
  const polls = spy(ch);
  const w = writeLater(p.write, 30, frame({ value: "bridged" }));
  await new Promise((resolve) => w.once("online", resolve));
  assert.deepEqual(ch.request({ op: "bridge" }), { value: "bridged" });
  assert.deepEqual(polls, []);
  await w.terminate();
});

test("a reply after the poll is read by blocking", async (t) => {
  const p = pipe(t);
  const ch = new Channel(p.requests, p.read, 1000); // 1 ms of polling, the reply after 100
  const polls = spy(ch);
  const w = writeLater(p.write, 100, frame({ value: "late" }));
  await new Promise((resolve) => w.once("online", resolve));
  assert.deepEqual(ch.request({ op: "commit" }, true), { value: "late" });
  assert.deepEqual(polls, [-1]);
  await w.terminate();
});

test("after polls in vain the next prompt replies are blocked for", async (t) => {
  // polling while the coordinator waits for a CPU (ours) only makes it
  // wait longer: after n polls in vain in a row, the next
  // min(2 ** (n - 1), 16) prompt replies are not polled for
  const p = pipe(t);
  const ch = new Channel(p.requests, p.read, 1000);
  const polls = spy(ch);
  const commit = async (seq, late) => {
    let w;
    if (late) {
      w = writeLater(p.write, 50, frame({ seq }));
      await new Promise((resolve) => w.once("online", resolve));
    } else {
      fs.writeSync(p.write, frame({ seq }));
    }
    assert.deepEqual(ch.request({ op: "commit" }, true), { seq });
    if (w) await w.terminate();
  };
  await commit(0, true); // polled in vain: 1 reply blocked for
  await commit(1, false); // blocked for
  await commit(2, true); // polled in vain again: 2 blocked for
  await commit(3, false);
  await commit(4, false);
  await commit(5, false); // polled
  assert.equal(polls.length, 3);
  assert.deepEqual(polls.slice(0, 2), [-1, -1]);
  assert.ok(polls[2] > 0);
});

test("no poll without a reply pipe or without a spin", (t) => {
  const p = pipe(t);
  assert.equal(new Channel(p.read, p.read, 200).poll, -1);
  assert.equal(new Channel(p.requests, p.read, 0).poll, -1);
});
