"use strict";
// Files a run opened, across its executions.
//
// fs.openSync / fs.open give a file descriptor and fs.promises.open a
// FileHandle; the journal records the number (a FileHandle as its fd).  The
// file is open only in the process that opened it, though: a resumed run
// replays the open (the recorded number comes back, nothing is opened), and
// its first live call on that number used to reach whatever the new process
// had under it (EBADF, or another file: the coordinator's channel).
//
// So a replayed open registers its number here with the path, flags and
// mode it was called with, and replayed reads and writes at the current
// position advance a position kept for it.  The first live call on the
// number opens the file again (no truncation, no O_EXCL: it exists and
// holds what the run wrote), moves to that position, and every live call
// then gets the real descriptor in place of the recorded one.  A replayed
// FileHandle is a ReplayedFileHandle, whose methods do the same through fs's
// descriptor functions.  A live open whose number is one of those recorded
// ones gets another number (VIRTUAL_BASE up), so that the two never meet.
//
// Only calls that go through the runtime are mapped: a descriptor handed to
// code that was not compiled (a library outside the build) keeps its
// recorded number there.

const fs = require("node:fs");
const { promisify } = require("node:util");
const { JournaledHandle, copyInto } = require("./codec");

const { O_APPEND, O_TRUNC, O_EXCL, O_CREAT, O_RDONLY, O_WRONLY, O_RDWR, O_SYNC } = fs.constants;
const O_ACCMODE = O_RDONLY | O_WRONLY | O_RDWR;
/** Numbers given to live opens that collide with a recorded descriptor. */
const VIRTUAL_BASE = 1 << 20;

/** fs's string flags as open(2) flags (the ones Node documents). */
const FLAGS = {
  r: O_RDONLY, rs: O_RDONLY | O_SYNC, sr: O_RDONLY | O_SYNC, "r+": O_RDWR, "rs+": O_RDWR | O_SYNC,
  "sr+": O_RDWR | O_SYNC, w: O_TRUNC | O_CREAT | O_WRONLY, "w+": O_TRUNC | O_CREAT | O_RDWR,
  a: O_APPEND | O_CREAT | O_WRONLY, as: O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  "a+": O_APPEND | O_CREAT | O_RDWR, "as+": O_APPEND | O_CREAT | O_RDWR | O_SYNC,
};
for (const k of ["w", "w+", "a", "a+"]) FLAGS[k.replace(/^(.)/, "$1x")] = FLAGS[k] | O_EXCL;
for (const k of ["w", "w+", "a", "a+"]) FLAGS["x" + k] = FLAGS[k] | O_EXCL;

/**
 * The flags to open a recorded file again with: as the run opened it, but
 * never truncated or required to be new (it holds what the run wrote), and
 * readable, so that the position can be reached by reading.
 * @param {string|number|undefined|null} flags
 */
function reopenFlags(flags) {
  let f = typeof flags === "number" ? flags : FLAGS[flags === undefined || flags === null ? "r" : flags];
  if (f === undefined) f = O_RDONLY; // unknown to Node as well: its open failed then
  f &= ~(O_TRUNC | O_EXCL);
  if ((f & O_ACCMODE) === O_WRONLY && !(f & O_APPEND)) f = (f & ~O_ACCMODE) | O_RDWR;
  return f;
}

/** fs's functions whose first argument is a descriptor, by name. */
const FD_FUNCTIONS = ["close", "fchmod", "fchown", "fdatasync", "fstat", "fsync", "ftruncate", "futimes", "read",
  "readv", "write", "writev"];

/**
 * The position a read or write on a descriptor was made at: null when at
 * the file's own (which it then moves).  args without the descriptor and
 * any callback.
 * @param {string} name read, write, readv or writev
 * @param {any[]} args
 */
function positionOf(name, args) {
  let p;
  if (name === "readv" || name === "writev") p = args[1];
  else if (ArrayBuffer.isView(args[0])) p = args[1] !== null && typeof args[1] === "object" ? args[1].position : args[3];
  else if (name === "write") p = args[1]; // a string
  else p = args[0] !== null && typeof args[0] === "object" ? args[0].position : null;
  return (typeof p === "number" && p >= 0) || typeof p === "bigint" ? p : null;
}

/**
 * How far a read or write moved a file's position, given its outcome (a
 * count, or an object with bytesRead / bytesWritten), 0 when it did not.
 */
function moved(name, args, count) {
  if (name === "readFile") return byteLength(count, args[0]);
  if (name === "writeFile" || name === "appendFile") return byteLength(args[0], args[1]);
  if (!["read", "write", "readv", "writev"].includes(name) || positionOf(name, args) !== null) return 0;
  if (typeof count === "number") return count;
  if (count !== null && typeof count === "object") return count.bytesRead ?? count.bytesWritten ?? 0;
  return 0;
}

/** The bytes of data (a string in options' encoding, or bytes). */
function byteLength(data, options) {
  if (typeof data === "string") {
    const enc = typeof options === "string" ? options : options?.encoding;
    return Buffer.byteLength(data, Buffer.isEncoding(enc) ? enc : "utf8");
  }
  return ArrayBuffer.isView(data) ? data.byteLength : 0;
}

/** One descriptor the journal holds: where the run opened it, where it is. */
class Entry {
  constructor(path, flags, mode) {
    this.path = path;
    this.flags = flags;
    this.mode = mode;
    this.pos = 0; // its position, from the replayed reads and writes
    this.real = null; // the descriptor opened for it in this process
  }
}

class Files {
  constructor() {
    /** @type {Map<number, Entry>} recorded or renumbered descriptor -> entry */
    this.entries = new Map();
    this.nextVirtual = VIRTUAL_BASE;
    this.fdFunctions = new Map(); // fs function -> its name, for the descriptor ones
    for (const name of FD_FUNCTIONS) {
      this.fdFunctions.set(fs[name], name);
      this.fdFunctions.set(fs[name + "Sync"], name);
    }
    this.openFunctions = new Set([fs.openSync, fs.open, fs.promises.open]);
  }

  /**
   * A replayed outcome of fn(...args) (self: the receiver), as the program
   * gets it: an open registers the descriptor it gave; a read or write at
   * the current position moves it; a FileHandle comes back replayed.
   */
  replayed(fn, args, value, self) {
    if (this.openFunctions.has(fn)) return this.opened(args, value);
    if (self instanceof ReplayedFileHandle && typeof fn === "function") {
      const entry = this.entries.get(self.fd);
      if (entry) entry.pos += moved(HANDLE_FUNCTIONS[fn.name] || "", args, value);
      return fn.name === "read" ? refilledRead(args, value) : value;
    }
    const name = this.fdFunctions.get(fn);
    const entry = name && this.entries.get(args[0]);
    if (entry) entry.pos += moved(name, args.slice(1), value);
    return value;
  }

  /** A replayed callback's arguments (error first), as replayed() a value. */
  replayedCallback(fn, args, got) {
    if (got[0]) return got;
    const rest = args.slice(0, -1);
    if (fn === fs.open) got[1] = this.opened(rest, got[1]);
    else this.replayed(fn, rest, got[1], undefined);
    return got;
  }

  /** Registers what a replayed open gave. */
  opened(args, value) {
    const [path, flags, mode] = args;
    if (typeof value === "number") {
      this.entries.set(value, new Entry(path, flags, mode));
      return value;
    }
    if (value instanceof JournaledHandle) {
      this.entries.set(value.fd, new Entry(path, flags, mode));
      return new ReplayedFileHandle(this, value.fd);
    }
    return value;
  }

  /** args of a live call of fn, with a recorded descriptor made real. */
  liveArgs(fn, args) {
    if (!this.fdFunctions.has(fn) || !this.entries.has(args[0])) return args;
    const fd = args[0];
    const real = this.realFd(fd);
    if (fn === fs.closeSync || fn === fs.close) this.entries.delete(fd);
    return [real, ...args.slice(1)];
  }

  /** What a live open gave, as the program (and the journal) gets it. */
  liveOpened(fd) {
    if (typeof fd !== "number" || !this.entries.has(fd)) return fd;
    const v = this.nextVirtual++;
    const entry = new Entry(null, null, null);
    entry.real = fd;
    this.entries.set(v, entry);
    return v;
  }

  /** The real descriptor of a recorded one, the file opened again at its position. */
  realFd(fd) {
    const entry = this.entries.get(fd);
    if (!entry) throw Object.assign(new Error(`EBADF: file descriptor ${fd} was closed`), { code: "EBADF" });
    if (entry.real !== null) return entry.real;
    const flags = reopenFlags(entry.flags);
    entry.real = fs.openSync(entry.path, flags, entry.mode);
    if (entry.pos > 0 && !(flags & O_APPEND) && fs.fstatSync(entry.real).isFile()) skip(entry.real, entry.pos);
    return entry.real;
  }
}

/**
 * A replayed FileHandle read's outcome ({bytesRead, buffer}) with the
 * bytes in the caller's buffer (read(buffer, ...) or read({buffer})), as
 * the live read left them, and that buffer in it.
 */
function refilledRead(args, value) {
  const into = ArrayBuffer.isView(args[0]) ? args[0] : args[0]?.buffer;
  if (value !== null && typeof value === "object" && copyInto(into, value.buffer)) value.buffer = into;
  return value;
}

/** Moves fd's position forward by n bytes, reading them (Node has no lseek). */
function skip(fd, n) {
  const chunk = Buffer.alloc(Math.min(n, 1 << 16));
  for (let left = n; left > 0;) {
    const got = fs.readSync(fd, chunk, 0, Math.min(left, chunk.length), null);
    if (got === 0) break;
    left -= got;
  }
}

/** FileHandle's methods and the fs descriptor function each one is. */
const HANDLE_FUNCTIONS = {
  appendFile: "appendFile", chmod: "fchmod", chown: "fchown", close: "close", datasync: "fdatasync",
  read: "read", readFile: "readFile", readv: "readv", stat: "fstat", sync: "fsync", truncate: "ftruncate",
  utimes: "futimes", write: "write", writeFile: "writeFile", writev: "writev",
};

/**
 * A FileHandle a resumed run replayed the opening of.  Its catalogued
 * methods (read, write, readFile, writeFile) replay from the journal while
 * the run replays; a call that runs live, and any other method, opens the
 * file again (Files.realFd) and does what the FileHandle method does
 * through fs's descriptor function.
 */
class ReplayedFileHandle {
  constructor(files, fd) {
    Object.defineProperty(this, "files", { value: files });
    this.fd = fd;
  }

  [Symbol.asyncDispose]() {
    return this.close();
  }

  createReadStream(options) {
    return fs.createReadStream(null, { ...options, fd: this.files.realFd(this.fd) });
  }

  createWriteStream(options) {
    return fs.createWriteStream(null, { ...options, fd: this.files.realFd(this.fd) });
  }

  readLines(options) {
    const readline = require("node:readline");
    return readline.createInterface({ input: this.createReadStream(options), crlfDelay: Infinity });
  }
}

for (const [method, name] of Object.entries(HANDLE_FUNCTIONS)) {
  const call = promisify(fs[name]);
  // named as the FileHandle method, which is how replayed() knows it
  const body = {
    [method](...args) {
      if (method === "close" && this.files.entries.get(this.fd)?.real === null) {
        this.files.entries.delete(this.fd); // never opened in this process
        return Promise.resolve();
      }
      try {
        const fd = this.files.realFd(this.fd);
        if (method === "close") this.files.entries.delete(this.fd);
        return call(fd, ...args);
      } catch (err) {
        return Promise.reject(err);
      }
    },
  };
  ReplayedFileHandle.prototype[method] = body[method];
}

/** A live FileHandle (its class is not exported). */
function isFileHandle(v) {
  return v !== null && typeof v === "object" && v.constructor?.name === "FileHandle" && typeof v.fd === "number" &&
    typeof v.close === "function";
}

module.exports = { Files, ReplayedFileHandle, isFileHandle, reopenFlags, positionOf };
