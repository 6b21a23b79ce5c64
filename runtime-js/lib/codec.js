"use strict";
// Journal value encoding, shared with runtime-py: plain JSON stands for
// itself, anything else is a tagged object {"$t": TAG, "v": ...}; a plain
// object that has a "$t" key is escaped as {"$t": "obj", "v": {...}}.
// Tags: undef, float (NaN/Infinity), bigint, bytes (base64), tuple, set,
// map, datetime/date/time, decimal, uuid, path, completed, response, iter,
// error, dir (fs.Dir, read whole), stats (fs.Stats; BigIntStats with "big": true, fields as decimal
// strings), dirent (fs.Dirent: name, parent, type; shared with runtime-py),
// pystruct (a Python struct sequence such as os.stat_result), pyobj (a
// Python enum member, namedtuple, dataclass or pydantic model).  Values from
// Python decode to their nearest JavaScript kin (tuple/pystruct -> Array,
// decimal/uuid/path -> string, date -> "YYYY-MM-DD").
// Anything else throws a TypeError naming the type; the session turns it
// into UnrecordableValueError naming the site.

const crypto = require("node:crypto");
const fs = require("node:fs");

const MAX_DEPTH = 200;

function typeName(v) {
  if (v === null) return "null";
  if (typeof v !== "object" && typeof v !== "function") return typeof v;
  const proto = Object.getPrototypeOf(v);
  return (proto && proto.constructor && proto.constructor.name) || "Object";
}

function isPlain(v) {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Returns a JSON-able form of value or throws TypeError.
 * @param {any} value
 * @param {number} [depth]
 * @returns {any}
 */
function encode(value, depth = 0) {
  if (depth > MAX_DEPTH) throw new TypeError("value nested more than 200 levels deep");
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (Number.isFinite(value)) return value;
      return { $t: "float", v: Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity" };
    case "bigint":
      return { $t: "bigint", v: value.toString() };
    case "undefined":
      return { $t: "undef", v: null };
    case "object":
      if (value === null) return null;
      return encodeObject(value, depth);
    default:
      throw new TypeError(`cannot record a value of type ${typeof value}`);
  }
}

/** The typed arrays the codec rebuilds, by name. */
const TYPED = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
};

/**
 * The name of the built-in typed array a value is (a subclass's base).
 * @param {ArrayBufferView} value
 */
function typedName(value) {
  for (const [name, Typed] of Object.entries(TYPED)) if (value instanceof Typed) return name;
  return "Uint8Array";
}

/**
 * A Typed array of the bytes (copied: a Buffer's bytes may sit unaligned in
 * a shared pool); the Uint8Array of them when they do not divide evenly.
 * @param {Function} Typed
 * @param {Buffer} bytes
 */
function typedFrom(Typed, bytes) {
  const copy = new Uint8Array(bytes);
  return bytes.length % Typed.BYTES_PER_ELEMENT === 0 ? new Typed(copy.buffer) : copy;
}

function encodeObject(value, depth) {
  if (Array.isArray(value)) return value.map((x) => encode(x, depth + 1));
  if (value instanceof Date) return { $t: "datetime", v: value.toISOString() };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const v = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
    // Buffer is what Python bytes become; another typed array (what
    // crypto.getRandomValues fills, say) says which, for JS to rebuild it
    return Buffer.isBuffer(value) ? { $t: "bytes", v } : { $t: "bytes", v, js: typedName(value) };
  }
  if (value instanceof ArrayBuffer) return { $t: "bytes", v: Buffer.from(value).toString("base64") };
  if (value instanceof Map) return { $t: "map", v: [...value].map(([k, x]) => [encode(k, depth + 1), encode(x, depth + 1)]) };
  if (value instanceof Set) return { $t: "set", v: [...value].map((x) => encode(x, depth + 1)) };
  if (value instanceof RecordedResponse) {
    const out = { $t: "response", v: value.toRecord() };
    if (value.incoming) out.js = "incoming"; // handed to an http callback
    return out;
  }
  if (value instanceof Error) return { $t: "error", v: encodeError(value) };
  if (isPlain(value)) {
    const out = {};
    for (const k of Object.keys(value)) out[k] = encode(value[k], depth + 1);
    return Object.prototype.hasOwnProperty.call(value, "$t") ? { $t: "obj", v: out } : out;
  }
  // "iter" is what Python's drained iterators are: either side reads both
  if (value instanceof RecordedChunks) return { $t: "iter", v: value.items.map((x) => encode(x, depth + 1)), js: "async" };
  if (value instanceof RecordedDir) return { $t: "dir", v: { path: encode(value.path, depth + 1), entries: value.entries.map((d) => encodeDirent(d, depth + 1)) } };
  if (value instanceof fs.Stats) return { $t: "stats", v: statsFields(value, false) };
  if (value instanceof fs.Dirent) return { $t: "dirent", v: encodeDirent(value, depth) };
  if (isBigIntStats(value)) return { $t: "stats", v: statsFields(value, true), big: true };
  throw new TypeError(`cannot record a value of type ${typeName(value)}`);
}

/**
 * Inverse of encode.
 * @param {any} data
 * @returns {any}
 */
function decode(data) {
  if (data === null || typeof data !== "object") return data;
  if (Array.isArray(data)) return data.map(decode);
  const tag = data.$t;
  if (tag === "bytes" && Object.hasOwn(TYPED, data.js)) return typedFrom(TYPED[data.js], Buffer.from(data.v, "base64"));
  if (tag === "response" && data.js === "incoming") return RecordedResponse.fromRecord(data.v).toIncoming();
  if (tag === undefined) {
    const out = {};
    for (const k of Object.keys(data)) out[k] = decode(data[k]);
    return out;
  }
  const fn = DECODERS[tag];
  if (!fn) throw new TypeError(`unknown journal tag ${tag}`);
  return fn(data.v, data);
}

const DECODERS = {
  obj: (v) => { const o = {}; for (const k of Object.keys(v)) o[k] = decode(v[k]); return o; },
  undef: () => undefined,
  float: (v) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : -Infinity),
  bigint: (v) => BigInt(v),
  bytes: (v) => Buffer.from(v, "base64"),
  tuple: (v) => v.map(decode),
  set: (v) => new Set(v.map(decode)),
  map: (v) => new Map(v.map(([k, x]) => [decode(k), decode(x)])),
  datetime: (v) => new Date(v),
  date: (v) => v,
  time: (v) => v,
  timedelta: (v) => v,
  decimal: (v) => v,
  uuid: (v) => v,
  path: (v) => v,
  iter: (v, data) => (data.js === "async" ? new RecordedChunks(v.map(decode)) : v.map(decode)),
  pystruct: (v) => v.map(decode),
  // a Python enum member is its name; a namedtuple, dataclass or pydantic
  // model its fields (an Array for a namedtuple, else an object)
  pyobj: (v, data) => (data.kind === "enum" ? v : decode(v)),
  stats: (v, data) => decodeStats(v, data.big === true),
  dirent: (v) => decodeDirent(v),
  dir: (v) => new RecordedDir(decode(v.path), v.entries.map(decodeDirent)),
  completed: (v) => ({ args: decode(v.args), returncode: v.returncode, stdout: decode(v.stdout), stderr: decode(v.stderr) }),
  response: (v) => RecordedResponse.fromRecord(v).toResponse(),
  error: (v) => decodeError(v),
  filehandle: (v) => new JournaledHandle(v),
};

// ------------------------------------------------------------ fs values

/** The numeric own fields of an fs.Stats, in the order Node sets them. */
const STATS_FIELDS = ["dev", "mode", "nlink", "uid", "gid", "rdev", "blksize", "ino", "size", "blocks",
  "atimeMs", "mtimeMs", "ctimeMs", "birthtimeMs"];
/** What a BigIntStats has besides: the times in nanoseconds. */
const NS_FIELDS = ["atimeNs", "mtimeNs", "ctimeNs", "birthtimeNs"];
/** The Date fields and the millisecond field each is made from. */
const DATE_FIELDS = [["atime", "atimeMs"], ["mtime", "mtimeMs"], ["ctime", "ctimeMs"], ["birthtime", "birthtimeMs"]];

let bigIntStatsProto = null;

/**
 * BigIntStats.prototype.  fs does not export the class, so it is taken,
 * once, from a real bigint stat of a file that is sure to exist (the node
 * binary itself); only called for a value named BigIntStats or when a
 * bigint stats record is decoded.
 * @returns {object}
 */
function bigIntStatsPrototype() {
  if (bigIntStatsProto === null) bigIntStatsProto = Object.getPrototypeOf(fs.statSync(process.execPath, { bigint: true }));
  return bigIntStatsProto;
}

/** @param {object} value */
function isBigIntStats(value) {
  const proto = Object.getPrototypeOf(value);
  return proto !== null && typeof proto.constructor === "function" && proto.constructor.name === "BigIntStats" &&
    proto === bigIntStatsPrototype();
}

/**
 * The numeric fields of a Stats (numbers) or BigIntStats (decimal strings,
 * the *Ns fields too); the Dates are rebuilt from the *Ms fields.
 * @param {any} st
 * @param {boolean} big
 */
function statsFields(st, big) {
  const out = {};
  if (big) {
    for (const k of STATS_FIELDS) out[k] = String(st[k]);
    for (const k of NS_FIELDS) out[k] = String(st[k]);
  } else {
    for (const k of STATS_FIELDS) out[k] = st[k];
  }
  return out;
}

/**
 * An fs.Stats (or BigIntStats) with the recorded fields, made without
 * calling the constructor (calling fs.Stats is deprecated in newer Node).
 * @param {Record<string, any>} v
 * @param {boolean} big
 */
function decodeStats(v, big) {
  const st = Object.create(big ? bigIntStatsPrototype() : fs.Stats.prototype);
  for (const k of STATS_FIELDS) st[k] = big ? BigInt(v[k]) : v[k];
  if (big) for (const k of NS_FIELDS) st[k] = BigInt(v[k]);
  for (const [k, ms] of DATE_FIELDS) {
    // Node 20 sets the Dates as own properties; a Node that defines them as
    // lazy getters on the prototype makes them from the *Ms fields itself
    if (hasAccessor(st, k)) continue;
    // as Node's dateFromMs: rounded, where new Date(ms) would truncate
    st[k] = new Date(Math.round(Number(st[ms])));
  }
  return st;
}

/** Whether obj's prototype chain defines key as a getter. */
function hasAccessor(obj, key) {
  for (let p = Object.getPrototypeOf(obj); p !== null; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, key);
    if (d !== undefined) return d.get !== undefined;
  }
  return false;
}

/** What each Dirent type answers true to. */
const DIRENT_METHODS = {
  file: "isFile", dir: "isDirectory", symlink: "isSymbolicLink", block: "isBlockDevice",
  char: "isCharacterDevice", fifo: "isFIFO", socket: "isSocket",
};

/** The type name of a Dirent, from its is*() methods. */
function direntType(d) {
  for (const [type, method] of Object.entries(DIRENT_METHODS)) if (d[method]()) return type;
  return "unknown";
}

/** Dirent type names (shared with runtime-py) and their libuv constants. */
const DIRENT_TYPES = {
  file: "UV_DIRENT_FILE", dir: "UV_DIRENT_DIR", symlink: "UV_DIRENT_LINK", block: "UV_DIRENT_BLOCK",
  char: "UV_DIRENT_CHAR", fifo: "UV_DIRENT_FIFO", socket: "UV_DIRENT_SOCKET", unknown: "UV_DIRENT_UNKNOWN",
};


/**
 * {name, parent, type}; name and parent are encoded (a Buffer name, from
 * readdir's encoding: "buffer", stays bytes); parent is null when the
 * Dirent has no parentPath/path.
 * @param {any} d
 * @param {number} depth
 */
function encodeDirent(d, depth) {
  const parent = d.parentPath !== undefined ? d.parentPath : d.path;
  return { name: encode(d.name, depth + 1), parent: parent === undefined ? null : encode(parent, depth + 1), type: direntType(d) };
}


/**
 * A Dirent with the recorded name, type and parent directory (extra keys in
 * v, such as runtime-py's "py", are ignored).  new fs.Dirent(name, type,
 * path) sets name, parentPath and path as readdir does; should a Node not
 * answer the type's is*() through it, a RecordedDirent stands in.
 * @param {Record<string, any>} v
 */
function decodeDirent(v) {
  const type = Object.prototype.hasOwnProperty.call(DIRENT_TYPES, v.type) ? v.type : "unknown";
  const name = decode(v.name);
  const parent = v.parent === null || v.parent === undefined ? undefined : decode(v.parent);
  const code = fs.constants[DIRENT_TYPES[type]];
  if (code !== undefined) {
    const d = new fs.Dirent(name, code, parent);
    if (direntType(d) === type) return d;
  }
  return new RecordedDirent(name, type, parent);
}

/** A Dirent stand-in: the fields and methods of fs.Dirent. */
class RecordedDirent {
  constructor(name, type, parent) {
    this.name = name;
    this.parentPath = parent;
    this.path = parent;
    Object.defineProperty(this, "type", { value: type });
  }
}
for (const type of Object.keys(DIRENT_TYPES)) {
  const method = DIRENT_METHODS[type];
  if (method !== undefined) {
    Object.defineProperty(RecordedDirent.prototype, method, {
      value: function () { return this.type === type; }, writable: true, configurable: true,
    });
  }
}

/**
 * An fs.Dir (fs.opendirSync, fs.promises.opendir) read whole when its call
 * was recorded: its entries come back from read()/readSync() and async
 * iteration as the live handle gave them, and close() has nothing left to
 * release.  Journal tag dir.
 */
class RecordedDir {
  /**
   * @param {string|Buffer} path
   * @param {import("fs").Dirent[]} entries
   */
  constructor(path, entries) {
    this.path = path;
    this.entries = entries;
    this.next = 0;
  }

  /** Drains a live fs.Dir and closes it. */
  static from(dir) {
    const entries = [];
    for (let e = dir.readSync(); e !== null; e = dir.readSync()) entries.push(e);
    dir.closeSync();
    return new RecordedDir(dir.path, entries);
  }

  readSync() {
    return this.next < this.entries.length ? this.entries[this.next++] : null;
  }

  read(cb) {
    const e = this.readSync();
    if (typeof cb === "function") return void process.nextTick(cb, null, e);
    return Promise.resolve(e);
  }

  closeSync() {}

  close(cb) {
    if (typeof cb === "function") return void process.nextTick(cb, null);
    return Promise.resolve();
  }

  async *[Symbol.asyncIterator]() {
    for (let e = this.readSync(); e !== null; e = this.readSync()) yield e;
  }

  *entriesSync() {
    for (let e = this.readSync(); e !== null; e = this.readSync()) yield e;
  }
}

/**
 * Copies the bytes of view from into view into when they are the same
 * size; whether it did.
 * @param {any} into
 * @param {any} from
 */
function copyInto(into, from) {
  if (!ArrayBuffer.isView(into) || !ArrayBuffer.isView(from) || from.byteLength !== into.byteLength) return false;
  new Uint8Array(into.buffer, into.byteOffset, into.byteLength).set(
    new Uint8Array(from.buffer, from.byteOffset, from.byteLength),
  );
  return true;
}

/** A FileHandle as the journal gives it back: its descriptor (tag filehandle). */
class JournaledHandle {
  constructor(fd) {
    this.fd = fd;
  }
}

/** What a live result becomes before it is recorded: an fs.Dir, read whole. */
function recordLive(value) {
  return value instanceof fs.Dir ? RecordedDir.from(value) : value;
}

/**
 * Whether v is an axios response: its status, headers (an AxiosHeaders),
 * data, and the config and request it was made with.
 * @param {any} v
 */
function isAxiosResponse(v) {
  return v !== null && typeof v === "object" && "config" in v && "request" in v && typeof v.status === "number" &&
    v.headers !== null && typeof v.headers === "object" && typeof v.headers.toJSON === "function";
}

/**
 * What the journal keeps of an axios response, and a replay gets: what a
 * program reads of one (data, status, statusText, headers as a plain
 * object), not its config (which holds functions) nor its request (a live
 * ClientRequest).
 * @param {any} res
 */
function axiosRecord(res) {
  return { data: res.data, status: res.status, statusText: res.statusText, headers: res.headers.toJSON() };
}

/**
 * Whether an awaited call result is an async iterable to drain and record
 * (what the openai and Anthropic SDKs resolve a streamed answer to): an
 * object of a class of its own that is async-iterable.  Not Node's streams
 * and fs.Dir, which have recorders of their own or are resources.
 * @param {any} v
 */
function isDrainable(v) {
  if (v === null || typeof v !== "object" || typeof v[Symbol.asyncIterator] !== "function" || isPlain(v)) return false;
  return !(v instanceof require("node:stream").Readable) && !(v instanceof fs.Dir);
}

/**
 * The items an async iterable gave, drained when its call's promise
 * settled (so a streamed model answer is recorded whole, and the program
 * gets its chunks after the last one arrived): iterating it gives them
 * again, on replay too.
 */
class RecordedChunks {
  /** @param {any[]} items */
  constructor(items) {
    this.items = items;
  }

  /** @param {AsyncIterable<any>} iterable */
  static async from(iterable) {
    const items = [];
    for await (const x of iterable) items.push(x);
    return new RecordedChunks(items);
  }

  async *[Symbol.asyncIterator]() {
    yield* this.items;
  }
}

/** An HTTP response whose body was read: status, headers, body. */
class RecordedResponse {
  constructor(status, statusText, headers, body, url) {
    this.status = status;
    this.statusText = statusText;
    this.headers = headers;
    this.body = body;
    this.url = url;
  }

  /** Reads a fetch Response whole. */
  static async from(res) {
    const body = Buffer.from(await res.arrayBuffer());
    return new RecordedResponse(res.status, res.statusText, [...res.headers], body, res.url);
  }

  static fromRecord(v) {
    return new RecordedResponse(v.status, v.reason || "", v.headers, Buffer.from(v.body, "base64"), v.url);
  }

  toRecord() {
    return { status: this.status, reason: this.statusText, headers: this.headers, body: this.body.toString("base64"), url: this.url };
  }

  /**
   * Reads an http.IncomingMessage whole (what http.get's callback gets),
   * then calls done with the recording, or with the stream's error.
   * @param {import("http").IncomingMessage} res
   * @param {(err: Error|null, rec?: RecordedResponse) => void} done
   */
  static readIncoming(res, done) {
    const chunks = [];
    res.on("data", (c) => chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c)));
    res.on("error", (err) => done(err));
    res.on("end", () => {
      const headers = [];
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
      const url = res.req && res.req.host ? `${res.req.protocol}//${res.req.host}${res.req.path}` : null;
      const rec = new RecordedResponse(res.statusCode, res.statusMessage || "", headers, Buffer.concat(chunks), url);
      rec.incoming = true;
      done(null, rec);
    });
  }

  /**
   * A readable stream standing for the http.IncomingMessage recorded:
   * statusCode, statusMessage, headers (lower-cased, as Node's), rawHeaders,
   * and the body, read as the live one was ("data", "end", setEncoding, pipe).
   */
  toIncoming() {
    const { Readable } = require("node:stream");
    const body = this.body;
    let sent = false;
    // pushed when first read, from the reader's async context: the
    // handlers that get it continue the frame that reads
    const res = new Readable({
      read() {
        if (sent) return;
        sent = true;
        if (body.length) this.push(body);
        this.push(null);
      },
    });
    res.statusCode = this.status;
    res.statusMessage = this.statusText;
    res.httpVersion = "1.1";
    res.rawHeaders = this.headers.flat();
    res.headers = {};
    for (const [k, v] of this.headers) {
      const key = k.toLowerCase();
      if (key === "set-cookie") (res.headers[key] ||= []).push(v); // an array, as Node gives it
      else res.headers[key] = key in res.headers ? `${res.headers[key]}, ${v}` : v;
    }
    return res;
  }

  /** A fresh fetch Response with the recorded status, headers and body. */
  toResponse() {
    const nullBody = [101, 204, 205, 304].includes(this.status);
    const res = new Response(nullBody ? null : this.body, { status: this.status, statusText: this.statusText, headers: this.headers });
    if (this.url) Object.defineProperty(res, "url", { value: this.url });
    return res;
  }
}

/** Where an error from the other runtime keeps the record it came with. */
const ORIGIN = Symbol.for("currant.bridge.error");

/**
 * The journal form of an error: type, message, code, args.  An error that
 * came from the other runtime keeps its record, so that it is journaled
 * (and replayed) as it was raised there.
 * @param {any} err
 */
function encodeError(err) {
  if (err !== null && err !== undefined && err[ORIGIN] !== undefined) return err[ORIGIN];
  if (!(err instanceof Error)) {
    let value = null;
    try { value = encode(err); } catch { value = String(err); }
    return { type: "Thrown", module: "js", message: String(err), thrown: value, lang: "js" };
  }
  // a subclass that did not set .name still reports its class name
  const out = { type: typeName(err), name: err.name, module: "js", message: err.message, lang: "js" };
  if (err.code !== undefined) out.code = String(err.code);
  // an axios error (a status outside 2xx): what the program branches on
  if (err.isAxiosError === true && isAxiosResponse(err.response)) {
    try {
      out.response = encode(axiosRecord(err.response));
    } catch {
      // a body the journal cannot keep (a stream): the error without it
    }
  }
  return out;
}

const fallback = new Map();
const userClasses = new Map();
let scannedModules = -1;

function isErrorClass(v) {
  return typeof v === "function" && v.prototype instanceof Error;
}

/**
 * Finds an Error subclass by name among the globals and the exports of the
 * CommonJS modules loaded so far, so that `err instanceof Declined` holds
 * for a replayed error as it did live.  (ESM-only classes cannot be
 * enumerated; their errors replay as an Error subclass of the same name.)
 * @param {string} name
 */
function findErrorClass(name) {
  const g = globalThis[name];
  if (typeof g === "function" && (g === Error || g.prototype instanceof Error)) return g;
  const cache = require.cache;
  const count = Object.keys(cache).length;
  if (!userClasses.has(name) && count !== scannedModules) {
    scannedModules = count;
    for (const mod of Object.values(cache)) {
      const ex = mod && mod.exports;
      if (isErrorClass(ex) && !userClasses.has(ex.name)) userClasses.set(ex.name, ex);
      if (ex === null || (typeof ex !== "object" && typeof ex !== "function")) continue;
      for (const key of Object.keys(ex)) {
        let v;
        try { v = ex[key]; } catch { continue; }
        if (isErrorClass(v) && !userClasses.has(v.name)) userClasses.set(v.name, v);
      }
    }
  }
  return userClasses.get(name);
}

/**
 * Rebuilds an error of the recorded type (a built-in class when there is
 * one, else an Error whose name is the recorded type) with its message;
 * a Python exception (a bridge call's) becomes a BridgeError subclass
 * named after its type.
 * @param {any} data
 */
function decodeError(data) {
  if (data.lang === "py") return bridgedError(data);
  if (data.type === "Thrown" && "thrown" in data) return decode(data.thrown);
  const C = findErrorClass(data.type);
  const name = data.name || data.type;
  let err;
  if (C !== undefined) {
    try {
      err = new C(data.message);
    } catch {
      err = Object.create(C.prototype);
      Object.defineProperty(err, "message", { value: data.message, writable: true, configurable: true });
    }
    if (err.message !== data.message) {
      Object.defineProperty(err, "message", { value: data.message, writable: true, configurable: true });
    }
  } else {
    let K = fallback.get(data.type);
    if (!K) {
      K = { [data.type]: class extends Error {} }[data.type];
      fallback.set(data.type, K);
    }
    err = new K(data.message);
  }
  if (err.name !== name) err.name = name;
  if (data.code !== undefined) err.code = data.code;
  if (data.response !== undefined) {
    err.isAxiosError = true;
    err.response = decode(data.response);
    err.status = err.response.status;
  }
  return err;
}

/**
 * A Python exception raised through a bridge call, as a JS error.
 * @param {any} data
 */
function bridgedError(data) {
  const { bridgedErrorClass } = require("./errors");
  const err = new (bridgedErrorClass(String(data.type || "Exception")))(data.message);
  Object.defineProperty(err, ORIGIN, { value: data });
  return err;
}

// ------------------------------------------------------------ fingerprints

/**
 * A short, stable digest of a call's arguments (what could be encoded of
 * them; the type name of what could not): the first 8 hex digits of the MD5
 * of their JSON text.  Journals store it, so it never changes.
 * @param {any[]} args
 * @returns {string}
 */
function fingerprint(args) {
  if (args.length === 0) return NO_ARGS; // Date.now(), Math.random(), ...: no need to hash "[]" again
  let text = plainText(args);
  if (text === null) {
    const parts = args.map((a) => {
      try {
        return encode(a);
      } catch {
        return `<${typeName(a)}>`;
      }
    });
    try {
      text = JSON.stringify(parts);
    } catch {
      text = String(parts.length);
    }
  }
  return md5Hex(text).slice(0, 8);
}

/**
 * JSON.stringify(args) when every argument is a value encode() returns as
 * it is (finite number, string, boolean, null), else null.  Built here
 * rather than by JSON.stringify: on the replay hot path that call cost more
 * than the digest.  A finite number prints as JSON prints it (both use
 * Number's toString, -0 included).
 * @param {any[]} args
 * @returns {string|null}
 */
function plainText(args) {
  let text = "[";
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const t = typeof a;
    if (i > 0) text += ",";
    if (t === "number" ? Number.isFinite(a) : t === "boolean" || a === null) text += a;
    else if (t === "string") text += JSON.stringify(a);
    else return null;
  }
  return text + "]";
}

/** One-shot crypto.hash where Node has it (20.12+): no Hash object. */
const md5Hex = typeof crypto.hash === "function"
  ? (text) => crypto.hash("md5", text, "hex")
  : (text) => crypto.createHash("md5").update(text).digest("hex");

const NO_ARGS = md5Hex("[]").slice(0, 8);

module.exports = {
  JournaledHandle, copyInto, encode, decode, encodeError, decodeError, RecordedResponse, RecordedDir, RecordedChunks,
  recordLive, isDrainable, isAxiosResponse, axiosRecord, typeName, fingerprint,
};
