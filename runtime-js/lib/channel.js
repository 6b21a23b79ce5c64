"use strict";
// The private channel to the coordinator: one inherited socket fd, framed
// as a 4-byte big-endian length and that much UTF-8 JSON.  Synchronous on
// purpose: a checkpoint of a synchronous call (Date.now()) must be
// committed before that call returns.  Bounded on both sides; if the
// coordinator goes away the process stops (status 70) rather than run side
// effects nobody records.

const fs = require("node:fs");

const MAX_MESSAGE = 16 * 1024 * 1024;

class Channel {
  /** @param {number} fd */
  constructor(fd) {
    this.fd = fd;
    /** @type {Buffer} bytes read past the last message */
    this.pending = Buffer.alloc(0);
  }

  /** @param {object} msg */
  send(msg) {
    const body = Buffer.from(JSON.stringify(msg), "utf8");
    if (body.length > MAX_MESSAGE) {
      const err = new RangeError(`message of ${body.length} bytes exceeds the ${MAX_MESSAGE}-byte channel limit`);
      err.channelLimit = true;
      throw err;
    }
    const frame = Buffer.allocUnsafe(4 + body.length);
    frame.writeUInt32BE(body.length, 0);
    body.copy(frame, 4);
    this.writeAll(frame); // one write: one wake-up of the coordinator
  }

  /** @returns {any} */
  recv() {
    const size = this.readExact(4).readUInt32BE(0);
    if (size > MAX_MESSAGE) throw new Error(`oversized message (${size} bytes)`);
    const msg = JSON.parse(this.readExact(size).toString("utf8"));
    if (msg === null || typeof msg !== "object" || Array.isArray(msg)) throw new Error("message is not a JSON object");
    return msg;
  }

  /** Sends msg and returns the reply; exits if the coordinator died. */
  request(msg) {
    try {
      this.send(msg);
      return this.recv();
    } catch (err) {
      if (err && err.channelLimit) throw err;
      lost(err);
    }
    return undefined;
  }

  writeAll(buf) {
    let off = 0;
    let idle = 0;
    while (off < buf.length) {
      try {
        off += fs.writeSync(this.fd, buf, off, buf.length - off);
      } catch (err) {
        if (err.code !== "EAGAIN") throw err;
        idle = nap(idle);
      }
    }
  }

  /**
   * The next n bytes.  Reads ahead (up to 64 KiB at a time) and keeps what
   * is past them: a reply's header and body usually come in one read, so a
   * checkpoint costs one read call.
   * @param {number} n
   */
  readExact(n) {
    let idle = 0;
    const parts = [this.pending];
    let have = this.pending.length;
    while (have < n) {
      const chunk = Buffer.allocUnsafe(Math.max(n - have, 1 << 16));
      let got;
      try {
        got = fs.readSync(this.fd, chunk, 0, chunk.length, null);
      } catch (err) {
        if (err.code !== "EAGAIN") throw err;
        idle = nap(idle);
        continue;
      }
      if (got === 0) throw new Error("coordinator closed the channel");
      parts.push(chunk.subarray(0, got));
      have += got;
    }
    const all = parts.length === 1 ? parts[0] : Buffer.concat(parts, have); // one copy, however many reads
    this.pending = all.subarray(n);
    return all.subarray(0, n);
  }
}

const napCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Waits a little before retrying a non-blocking fd (the pipe libuv gives a
 * pass-through bridge worker; Node cannot poll an fd synchronously): from
 * 20 µs, doubling up to 1 ms.  Returns the next wait.
 * @param {number} ms
 */
function nap(ms) {
  if (ms > 0) Atomics.wait(napCell, 0, 0, ms);
  return Math.min(1, ms > 0 ? ms * 2 : 0.02);
}

function lost(err) {
  try {
    fs.writeSync(2, `currant: lost the coordinator (${err && err.message}); stopping\n`);
  } finally {
    process.reallyExit(70);
  }
}

module.exports = { Channel, MAX_MESSAGE };
