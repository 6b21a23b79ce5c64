"use strict";
// Files a run opened: reopening flags, positions, and a replayed
// descriptor made real again where the replayed calls left it.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { Files, ReplayedFileHandle, reopenFlags, positionOf } = require("../lib/files");
const { JournaledHandle } = require("../lib/codec");

const { O_APPEND, O_TRUNC, O_EXCL, O_CREAT, O_RDONLY, O_RDWR } = fs.constants;

function tmpFile(text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "currant-files-"));
  const p = path.join(dir, "f.txt");
  fs.writeFileSync(p, text);
  return p;
}

test("a file is opened again without truncating it, readable", () => {
  assert.equal(reopenFlags("w"), O_CREAT | O_RDWR);
  assert.equal(reopenFlags("wx+"), O_CREAT | O_RDWR);
  assert.equal(reopenFlags("xw"), O_CREAT | O_RDWR);
  assert.equal(reopenFlags("a") & (O_APPEND | O_EXCL), O_APPEND);
  assert.equal(reopenFlags("ax+") & (O_APPEND | O_EXCL | O_RDWR), O_APPEND | O_RDWR);
  assert.equal(reopenFlags(undefined), O_RDONLY);
  assert.equal(reopenFlags("r+"), O_RDWR);
  assert.equal(reopenFlags(O_TRUNC | O_CREAT | O_RDWR), O_CREAT | O_RDWR);
});

test("positions: null and -1 are the file's own, numbers are not", () => {
  assert.equal(positionOf("read", [Buffer.alloc(4), 0, 4, null]), null);
  assert.equal(positionOf("read", [Buffer.alloc(4), 0, 4, -1]), null);
  assert.equal(positionOf("read", [Buffer.alloc(4), 0, 4, 7]), 7);
  assert.equal(positionOf("read", [Buffer.alloc(4), { position: 3 }]), 3);
  assert.equal(positionOf("read", [{ buffer: Buffer.alloc(4), position: 2 }]), 2);
  assert.equal(positionOf("read", []), null);
  assert.equal(positionOf("write", ["text", 5]), 5);
  assert.equal(positionOf("write", ["text"]), null);
  assert.equal(positionOf("writev", [[Buffer.alloc(1)], 9]), 9);
});

test("a replayed descriptor goes live at the position its replayed reads reached", () => {
  const p = tmpFile("0123456789");
  const files = new Files();
  const stale = 1 << 19; // a number no descriptor of this process has
  assert.equal(files.replayed(fs.openSync, [p, "r"], stale, undefined), stale);
  files.replayed(fs.readSync, [stale, Buffer.alloc(3), 0, 3, null], 3, undefined);
  files.replayed(fs.readSync, [stale, Buffer.alloc(3), 0, 3, 0], 3, undefined); // at a position: no move
  const args = files.liveArgs(fs.readSync, [stale, Buffer.alloc(4), 0, 4, null]);
  assert.notEqual(args[0], stale);
  assert.equal(fs.readSync(...args), 4);
  assert.equal(args[1].toString(), "3456");
  const close = files.liveArgs(fs.closeSync, [stale]);
  fs.closeSync(...close);
  assert.equal(files.entries.has(stale), false);
});

test("a replayed write-mode descriptor is not truncated when it goes live", () => {
  const p = tmpFile("one\n");
  const files = new Files();
  const stale = (1 << 19) + 1;
  files.replayed(fs.openSync, [p, "w"], stale, undefined);
  files.replayed(fs.writeSync, [stale, "one\n"], 4, undefined);
  fs.writeSync(...files.liveArgs(fs.writeSync, [stale, "two\n"]));
  fs.closeSync(...files.liveArgs(fs.closeSync, [stale]));
  assert.equal(fs.readFileSync(p, "utf8"), "one\ntwo\n");
});

test("a live open that takes a recorded number is renumbered", () => {
  const files = new Files();
  const p = tmpFile("x");
  const real = fs.openSync(p, "r");
  files.replayed(fs.openSync, [p, "r"], real, undefined); // a recorded descriptor of that number
  const v = files.liveOpened(real);
  assert.notEqual(v, real);
  assert.equal(files.liveArgs(fs.fstatSync, [v])[0], real);
  fs.closeSync(real);
});

test("a replayed FileHandle reads into the caller's buffer and goes live where it was", async () => {
  const p = tmpFile("alpha beta");
  const files = new Files();
  const fh = files.replayed(require("node:fs/promises").open, [p, "r"], new JournaledHandle(1 << 19), undefined);
  assert.ok(fh instanceof ReplayedFileHandle);
  const mine = Buffer.alloc(6);
  const got = files.replayed(fh.read, [mine], { bytesRead: 6, buffer: Buffer.from("alpha ") }, fh);
  assert.equal(got.buffer, mine);
  assert.equal(mine.toString(), "alpha ");
  const { bytesRead, buffer } = await fh.read(Buffer.alloc(4), 0, 4, null);
  assert.equal(bytesRead, 4);
  assert.equal(buffer.toString(), "beta");
  await fh.close();
  await assert.rejects(fh.stat(), { code: "EBADF" });
});
