"use strict";
// fs.createWriteStream and fs.createReadStream under a run.
//
// A stream is no value the journal can hold, so these two are handled as
// Python's open() is (runtime-py/currant/_session.py, "files"):
//
// - A write stream's row is a resource (no value).  Live, the program gets
//   a JournaledWriteStream that writes synchronously, so that every byte
//   written before a checkpoint is in the file when the checkpoint
//   commits.  Replayed, the stream holds back what the program writes while
//   the run replays (those bytes were written the first time); at its first
//   write once the run is live again it opens the file: in a truncating
//   mode anew, the held-back bytes first, so that the file ends as one
//   uninterrupted run leaves it; in append mode it appends what comes next
//   (bytes written after the last checkpoint before the crash are appended
//   again).  A stream the resumed run never writes to live leaves the file
//   as the first execution did.
// - A read stream of a regular file up to MAX_RECORDED bytes is journaled
//   as the bytes it gives (or the error it fails with), and live and
//   replayed alike the program gets a stream of those bytes.  Any other
//   (a larger file, a pipe, a device) is a resource read live again on
//   replay.
// - A readline Interface (readline's and readline/promises' createInterface)
//   is a resource made again on replay: what its question() answers is
//   journaled (the catalogue has it), the lines it reads otherwise are read
//   live by every execution.

const fs = require("node:fs");
const { Readable, Writable } = require("node:stream");

/** The largest file a read stream is journaled with (as runtime-py's). */
const MAX_RECORDED = 4 * 1024 * 1024;

/** createReadStream/createWriteStream's options: a string is the encoding. */
function optionsOf(options) {
  if (typeof options === "string") return { encoding: options };
  return options !== null && typeof options === "object" ? options : {};
}

/** Writes all of chunk at position (null: the file's own); the bytes written. */
function writeAll(fd, chunk, position) {
  let done = 0;
  while (done < chunk.length) {
    const at = position === null ? null : position + done;
    done += fs.writeSync(fd, chunk, done, chunk.length - done, at);
  }
  return done;
}

/**
 * fs.WriteStream's surface (path, bytesWritten, pending, fd, close(), the
 * open/ready/finish/close events) over synchronous writes; replaying, it
 * holds what it is given (see above).
 */
class JournaledWriteStream extends Writable {
  /**
   * @param {{unvisited: number}} session whose replay holds writes back
   * @param {any} path
   * @param {any} options createWriteStream's
   * @param {boolean} replaying made by a replayed row
   */
  constructor(session, path, options, replaying) {
    const opts = optionsOf(options);
    super({ defaultEncoding: opts.encoding || "utf8", emitClose: opts.emitClose !== false });
    Object.defineProperty(this, "session", { value: session });
    this.path = path;
    this.flags = opts.flags === undefined ? "w" : opts.flags;
    this.mode = opts.mode === undefined ? 0o666 : opts.mode;
    this.position = typeof opts.start === "number" ? opts.start : null;
    this.bytesWritten = 0;
    this.fd = null;
    this.pending = true;
    this.held = replaying ? [] : null;
    if (!replaying) this.open(false);
  }

  /** Opens the file (after a replay: as the comment at the top says). */
  open(afterReplay) {
    try {
      this.fd = fs.openSync(this.path, this.flags, this.mode);
    } catch (err) {
      process.nextTick(() => this.destroy(err)); // as fs.WriteStream: an error event
      return false;
    }
    const held = this.held || [];
    this.held = null;
    if (afterReplay && !isAppend(this.flags)) {
      for (const chunk of held) this.advance(writeAll(this.fd, chunk, this.position));
    }
    this.pending = false;
    process.nextTick(() => {
      this.emit("open", this.fd);
      this.emit("ready");
    });
    return true;
  }

  advance(n) {
    if (this.position !== null) this.position += n;
  }

  _write(chunk, encoding, callback) {
    if (this.held !== null && this.session.unvisited > 0) {
      this.held.push(chunk);
      this.bytesWritten += chunk.length;
      return callback();
    }
    if (this.fd === null && !this.open(true)) return callback();
    try {
      const n = writeAll(this.fd, chunk, this.position);
      this.advance(n);
      this.bytesWritten += n;
      callback();
    } catch (err) {
      callback(err);
    }
  }

  _destroy(err, callback) {
    const fd = this.fd;
    this.fd = null;
    if (fd === null) return callback(err);
    fs.close(fd, (closeErr) => callback(err || closeErr));
  }

  /** As fs.WriteStream's: ends the stream; cb once it is closed. */
  close(cb) {
    if (typeof cb === "function") this.once("close", () => cb(null));
    this.end();
  }
}

/** Whether open flags append (a, a+, as, ax, ... or O_APPEND). */
function isAppend(flags) {
  return typeof flags === "number" ? (flags & fs.constants.O_APPEND) !== 0 : String(flags).includes("a");
}

/** A read stream of journaled bytes (or of the error the file gave). */
function recordedReadStream(path, options, recorded) {
  const opts = optionsOf(options);
  const size = opts.highWaterMark || 64 * 1024;
  let at = 0;
  const stream = new Readable({
    highWaterMark: size,
    read() {
      const end = Math.min(at + size, recorded.data.length);
      if (at < end) {
        this.bytesRead += end - at;
        this.push(recorded.data.subarray(at, end));
      }
      at = end;
      if (at >= recorded.data.length) this.push(null);
    },
  });
  if (opts.encoding) stream.setEncoding(opts.encoding);
  // as fs.ReadStream, whose open fails before anything is read
  if (recorded.error) process.nextTick(() => stream.destroy(recorded.error));
  Object.assign(stream, { path, bytesRead: 0, pending: false, close: (cb) => stream.destroy(null, cb) });
  return stream;
}

/**
 * What a live createReadStream journals: the bytes it would give (within
 * start/end) or the error the file gave, or null for a resource (a large
 * file, not a regular file).
 */
function readForRecord(path, options) {
  const opts = optionsOf(options);
  if (opts.fd !== undefined && opts.fd !== null) return null;
  let st;
  try {
    st = fs.statSync(path);
  } catch (err) {
    return { data: Buffer.alloc(0), error: err };
  }
  if (!st.isFile() || st.size > MAX_RECORDED) return null;
  let data;
  try {
    data = fs.readFileSync(path);
  } catch (err) {
    return { data: Buffer.alloc(0), error: err };
  }
  const start = typeof opts.start === "number" ? opts.start : 0;
  const end = typeof opts.end === "number" ? opts.end + 1 : data.length;
  return { data: data.subarray(start, Math.max(start, end)), error: null };
}

/** readline's createInterface functions (callback and promise APIs). */
let interfaceMakers = null;

/** Whether fn makes a readline Interface (a resource: see above). */
function makesInterface(fn) {
  if (typeof fn !== "function" || fn.name !== "createInterface") return false; // readline is not loaded for other calls
  if (interfaceMakers === null) {
    interfaceMakers = new Set([require("node:readline").createInterface, require("node:readline/promises").createInterface]);
  }
  return interfaceMakers.has(fn);
}

module.exports = { makesInterface, JournaledWriteStream, recordedReadStream, readForRecord };
