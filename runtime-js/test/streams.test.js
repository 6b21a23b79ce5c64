"use strict";
// File streams under a run: write streams held back while replaying, read
// streams journaled as their bytes.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { once } = require("node:events");
const { JournaledWriteStream, recordedReadStream, readForRecord } = require("../lib/streams");

const tmp = (name) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "currant-streams-")), name);

async function finish(stream) {
  stream.end();
  await once(stream, "close");
}

test("a live write stream has written each chunk when write() returns", async () => {
  const p = tmp("live.log");
  const ws = new JournaledWriteStream({ unvisited: 0 }, p, undefined, false);
  ws.write("one\n");
  assert.equal(fs.readFileSync(p, "utf8"), "one\n");
  ws.write(Buffer.from("two\n"));
  assert.equal(fs.readFileSync(p, "utf8"), "one\ntwo\n");
  await finish(ws);
  assert.equal(ws.bytesWritten, 8);
});

test("a replayed write stream rewrites what it held once the run is live (w)", async () => {
  const p = tmp("w.log");
  fs.writeFileSync(p, "held\npartial"); // what the first execution left
  const session = { unvisited: 1 };
  const ws = new JournaledWriteStream(session, p, { flags: "w" }, true);
  ws.write("held\n");
  assert.equal(fs.readFileSync(p, "utf8"), "held\npartial"); // not touched while replaying
  session.unvisited = 0;
  ws.write("live\n");
  await finish(ws);
  assert.equal(fs.readFileSync(p, "utf8"), "held\nlive\n");
});

test("a replayed append stream appends only what comes live", async () => {
  const p = tmp("a.log");
  fs.writeFileSync(p, "before\nheld\n");
  const session = { unvisited: 1 };
  const ws = new JournaledWriteStream(session, p, { flags: "a" }, true);
  ws.write("held\n");
  session.unvisited = 0;
  ws.write("live\n");
  await finish(ws);
  assert.equal(fs.readFileSync(p, "utf8"), "before\nheld\nlive\n");
});

test("a replayed stream never written live leaves the file as it was", async () => {
  const p = tmp("untouched.log");
  fs.writeFileSync(p, "first execution\n");
  const ws = new JournaledWriteStream({ unvisited: 1 }, p, undefined, true);
  ws.write("first execution\n");
  await finish(ws);
  assert.equal(fs.readFileSync(p, "utf8"), "first execution\n");
});

test("a write stream that cannot open fails with an error event", async () => {
  const ws = new JournaledWriteStream({ unvisited: 0 }, path.join(tmp("x"), "no", "such"), undefined, false);
  const [err] = await once(ws, "error");
  assert.equal(err.code, "ENOENT");
});

test("a read stream is journaled as its bytes, within start and end", async () => {
  const p = tmp("in.txt");
  fs.writeFileSync(p, "0123456789");
  assert.equal(readForRecord(p, { start: 2, end: 4 }).data.toString(), "234");
  const rec = readForRecord(p, "utf8");
  fs.writeFileSync(p, "changed");
  let text = "";
  for await (const chunk of recordedReadStream(p, "utf8", rec)) text += chunk;
  assert.equal(text, "0123456789");
  assert.equal(readForRecord(p, { fd: 3 }), null); // a descriptor: read live
});

test("a read stream of a missing file fails as the live one did", async () => {
  const rec = readForRecord(tmp("missing.txt"));
  assert.equal(rec.error.code, "ENOENT");
  const rs = recordedReadStream("missing.txt", undefined, rec);
  const [err] = await once(rs, "error");
  assert.equal(err.code, "ENOENT");
});
