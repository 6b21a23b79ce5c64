"use strict";
// The private channel to the coordinator: an inherited socket fd the
// runtime writes to and, under the coordinator, a pipe its replies come
// back on (on the socket itself without one), each message framed as a
// 4-byte big-endian length and that much UTF-8 JSON.  Synchronous on
// purpose: a checkpoint of a synchronous call (Date.now()) must be
// committed before that call returns.  Bounded on both sides; if the
// coordinator goes away the process stops (status 70) rather than run side
// effects nobody records.

const fs = require("node:fs");

const MAX_MESSAGE = 16 * 1024 * 1024;

/** Bytes read ahead at a time, and the size of the reused buffers. */
const CHUNK = 1 << 16;

/**
 * At most this many prompt replies are blocked for after polls in vain.
 * A poll in vain usually means the coordinator waits for the CPU the poll
 * holds (two CPUs, one of them compiling for V8 while Node warms up):
 * after n in a row, the next min(2 ** (n - 1), MAX_REST) replies are
 * blocked for.  A slow disk costs one such reply at a time.
 */
const MAX_REST = 16;

class Channel {
  /**
   * @param {number} fd where requests go (and replies come from without replyFd)
   * @param {number} [replyFd] where replies come from
   * @param {number} [spinUs] how long to poll for a reply before blocking
   */
  constructor(fd, replyFd = fd, spinUs = 0) {
    this.fd = fd;
    this.rfd = replyFd;
    // A reply usually comes within the coordinator's commit (tens to a few
    // hundred µs); a process asleep in read needs a wake-up, 15-20 µs of
    // each checkpoint on a VM.  So replies are polled for spinUs first,
    // through a non-blocking description of the reply pipe (Node cannot
    // poll a blocking one); -1 when there is none to open (a socket).
    this.poll = spinUs > 0 && replyFd !== fd ? openNonBlocking(replyFd) : -1;
    this.spinNs = BigInt(Math.round(spinUs * 1000));
    this.polling = false; // the reply awaited is a prompt one
    this.rest = 0; // prompt replies still to block for, after a poll in vain
    this.vain = 0; // polls in vain in a row
    // one buffer each way, reused by every message that fits: a checkpoint
    // allocates no Buffer.  in[start, end) holds the bytes read past the
    // last message.
    this.out = Buffer.allocUnsafe(CHUNK);
    this.in = Buffer.allocUnsafe(CHUNK);
    this.start = 0;
    this.end = 0;
  }

  /** @param {object} msg */
  send(msg) {
    const text = JSON.stringify(msg);
    // at most 3 bytes of UTF-8 per UTF-16 unit: a text that surely fits is
    // encoded straight into the reused buffer
    let frame = this.out;
    if (4 + text.length * 3 > frame.length) frame = Buffer.allocUnsafe(4 + checkSize(Buffer.byteLength(text)));
    const size = frame.write(text, 4);
    frame.writeUInt32BE(size, 0);
    this.writeAll(frame, 4 + size); // one write: one wake-up of the coordinator
  }

  /** @returns {any} */
  recv() {
    this.fill(4);
    const size = this.in.readUInt32BE(this.start);
    this.start += 4;
    if (size > MAX_MESSAGE) throw new Error(`oversized message (${size} bytes)`);
    let text;
    if (size <= this.in.length) {
      this.fill(size);
      text = this.in.toString("utf8", this.start, this.start + size);
      this.start += size;
    } else {
      text = this.readLarge(size).toString("utf8");
    }
    const msg = JSON.parse(text);
    if (msg === null || typeof msg !== "object" || Array.isArray(msg)) throw new Error("message is not a JSON object");
    return msg;
  }

  /**
   * Sends msg and returns the reply; exits if the coordinator died.
   * @param {object} msg
   * @param {boolean} [prompt] the reply comes as soon as the coordinator has
   *   done its own work (a commit): polled for before blocking.  Not for a
   *   reply that waits on another process or an event: three processes
   *   polling at once (caller, bridge worker, coordinator) starve one
   *   another on two CPUs.
   */
  request(msg, prompt = false) {
    try {
      this.send(msg);
      this.polling = prompt && this.poll >= 0;
      return this.recv();
    } catch (err) {
      if (err && err.channelLimit) throw err;
      lost(err);
    } finally {
      this.polling = false;
    }
    return undefined;
  }

  /**
   * Writes buf[0, len).
   * @param {Buffer} buf
   * @param {number} len
   */
  writeAll(buf, len) {
    let off = 0;
    let idle = 0;
    while (off < len) {
      try {
        off += fs.writeSync(this.fd, buf, off, len - off);
      } catch (err) {
        if (err.code !== "EAGAIN") throw err;
        idle = nap(idle);
      }
    }
  }

  /**
   * Makes in[start, start + n) hold the next n bytes (n <= in.length).
   * Reads ahead as far as the buffer goes: a reply's header and body
   * usually come in one read, so a checkpoint costs one read call.
   * @param {number} n
   */
  fill(n) {
    if (this.end - this.start >= n) return;
    if (this.start + n > this.in.length) {
      // too close to the end: move what is left to the front
      this.in.copy(this.in, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    while (this.end - this.start < n) this.end += this.readInto(this.in, this.end);
  }

  /**
   * A message larger than the read-ahead buffer, in a buffer of its own.
   * @param {number} size
   */
  readLarge(size) {
    const body = Buffer.allocUnsafe(size);
    let have = this.in.copy(body, 0, this.start, this.end);
    this.start = 0;
    this.end = 0;
    while (have < size) have += this.readInto(body, have);
    return body;
  }

  /**
   * Polls the reply pipe for up to spinNs: what one read into buf at off
   * returned (0: end of file), or -1 when nothing came in time.
   * @param {Buffer} buf
   * @param {number} off
   */
  spin(buf, off) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0; // an EAGAIN a turn: no stack to capture
    try {
      const until = process.hrtime.bigint() + this.spinNs;
      do {
        try {
          const got = fs.readSync(this.poll, buf, off, buf.length - off, null);
          this.vain = 0;
          return got;
        } catch (err) {
          if (err.code !== "EAGAIN") throw err;
        }
      } while (process.hrtime.bigint() < until);
      this.rest = Math.min(1 << this.vain, MAX_REST);
      if (this.rest < MAX_REST) this.vain++;
      return -1;
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  /**
   * One read into buf from off to its end (polled for first after a prompt
   * request); the number of bytes read (> 0).
   * @param {Buffer} buf
   * @param {number} off
   */
  readInto(buf, off) {
    let got = -1;
    if (this.polling && this.rest > 0) this.rest--;
    else if (this.polling) got = this.spin(buf, off);
    for (let idle = 0; got < 0; ) {
      try {
        got = fs.readSync(this.rfd, buf, off, buf.length - off, null);
      } catch (err) {
        if (err.code !== "EAGAIN") throw err;
        idle = nap(idle);
      }
    }
    if (got === 0) throw new Error("coordinator closed the channel");
    return got;
  }
}

/**
 * fd's pipe opened again, non-blocking, or -1 (not a pipe, no /proc).
 * @param {number} fd
 */
function openNonBlocking(fd) {
  try {
    return fs.openSync(`/proc/self/fd/${fd}`, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return -1;
  }
}

/**
 * size, or a RangeError marked channelLimit past the channel's limit.
 * @param {number} size
 */
function checkSize(size) {
  if (size > MAX_MESSAGE) {
    const err = new RangeError(`message of ${size} bytes exceeds the ${MAX_MESSAGE}-byte channel limit`);
    err.channelLimit = true;
    throw err;
  }
  return size;
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
