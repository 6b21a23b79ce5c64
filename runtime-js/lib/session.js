"use strict";
// The durable session: record/replay of checkpoints under the coordinator.
//
// On start the coordinator sends the run's journal.  Every boundary call
// takes a key when it starts (its frame's prefix plus a counter; frames
// follow async continuations through AsyncLocalStorage), so calls started
// in a deterministic order, Promise.all included, get the same keys on
// every execution.  A recorded key replays (the value is returned, or the
// error thrown; for a call whose live result was a promise, a settled
// promise) without performing the call.  An unrecorded key runs live and
// its outcome is committed before the program goes past the checkpoint.
// Calls inside a live checkpoint (a task's body) get keys under it.
// Output is muted while recorded checkpoints replay, so a resumed run
// does not print twice what its first attempt printed.
// A bridge call (a Python function, docs/BRIDGE.md) takes a frame like a
// task: the worker running it commits its boundaries under the call's key.
// The same Session runs in a worker (CURRANT_WORKER=1), where each
// invocation is a frame whose prefix is the caller's key; the worker's
// imports use keys under "@FILE." (rows no script call ever reaches).

const fs = require("node:fs");
const { AsyncLocalStorage } = require("node:async_hooks");
const { Channel } = require("./channel");
const codec = require("./codec");
const { copyInto } = codec;
// Files, streams and processes of a run (files.js, streams.js,
// processes.js): loaded with the first Session, not by a program that runs
// pass-through, whose start-up they would slow (~24M instructions).
let files = null;
let streams = null;
let processes = null;
const { Ref } = require("./binding");
const { NonDeterminismError, UnrecordableValueError, RunCancelled, TimeoutError } = require("./errors");

// Journal timestamps: the wall clock when the runtime loaded, advanced by
// the monotonic clock (as performance.timeOrigin + performance.now() is,
// but the global performance loads perf_hooks on first use: ~0.8 ms of a
// run's first checkpoint).
const epochMs = Date.now();
const hrBase = process.hrtime.bigint();

/** Seconds since the epoch, to the microsecond (journal timestamps). */
const nowS = () => (epochMs + Number(process.hrtime.bigint() - hrBase) / 1e6) / 1000;

const FRESH = Symbol("fresh key");
// The most calls still in flight an exit reports (the rest, if ever, replay
// as calls the run did not make).
const MAX_ABANDONED = 10000;

/**
 * A row of one of these statuses is a checkpoint's outcome (an abandoned
 * call's: it had none when its run exited); the others are failed attempts
 * (compares, not a Set: load() runs once a row).
 * @param {string} status
 */
const isFinal = (status) => status === "ok" || status === "error" || status === "resource" || status === "abandoned";

class Frame {
  constructor(prefix, owner = null, fn = null) {
    this.prefix = prefix;
    this.n = 0;
    this.owner = owner;
    this.fn = fn;
    this.attempt = 1;
    this.rel = "";
    this.site = -1;
  }
}

/** "3.1" -> "3", "3~2.0" -> "3", "3" -> null */
function parentKey(key) {
  const dot = key.lastIndexOf(".");
  if (dot < 0) return null;
  const head = key.slice(0, dot);
  const last = head.slice(head.lastIndexOf(".") + 1);
  return last.includes("~") ? head.slice(0, head.lastIndexOf("~")) : head;
}

/** A final row's recorded value, or its recorded error thrown. */
function outcome(row) {
  if (row[5] === "ok") return codec.decode(row[6]);
  throw codec.decodeError(row[6]);
}

/** crypto's functions that fill their first argument and give it back. */
let fillers = null;

/**
 * What the journal keeps of a live call that writes into a buffer of the
 * caller's and returns something else: fs.readSync(fd, buf, ...) returns a
 * count, and the bytes it read are in buf.  The count with the buffer, or
 * undefined (the result alone) for any other call.
 * @param {any} fn
 * @param {any[]} args
 * @param {any} result
 */
function readInto(fn, args, result) {
  if (fn !== fs.readSync || typeof result !== "number" || !ArrayBuffer.isView(args[1])) return undefined;
  return { count: result, into: args[1] };
}

/**
 * A replayed outcome as the call gets it, with what the live call wrote
 * into the caller's own array written there again: a filler's bytes
 * (getRandomValues, randomFillSync: the array is what it returns), a
 * read's (fs.readSync: the count is what it returns).  Without
 * this the caller's array stayed as it was (zeros) on replay and resume,
 * while the journal matched.  Any other outcome as it is.
 * @param {any} fn
 * @param {any[]} args
 * @param {any} value
 */
function refilled(fn, args, value) {
  if (isFiller(fn)) return copyInto(args[0], value) ? args[0] : value;
  if (fn === fs.readSync && value !== null && typeof value === "object" && typeof value.count === "number") {
    copyInto(args[1], value.into);
    return value.count;
  }
  return value;
}

/**
 * A replayed callback's arguments, refilled as refilled() does a return
 * value: randomFill's cb(err, buf) and fs.read's cb(err, n, buf) get the
 * caller's buffer, holding the recorded bytes.
 * @param {any} fn
 * @param {any[]} args
 * @param {any[]} got
 */
function refilledCallback(fn, args, got) {
  if (fn === fs.read && copyInto(args[1], got[2])) got[2] = args[1];
  else if (isFiller(fn) && copyInto(args[0], got[1])) got[1] = args[0];
  return got;
}

/** @param {any} fn */
function isFiller(fn) {
  if (fillers === null) {
    const c = require("node:crypto");
    const web = c.webcrypto || globalThis.crypto;
    fillers = new Set([c.getRandomValues, c.randomFillSync, c.randomFill, web && web.getRandomValues]);
  }
  return fillers.has(fn);
}

/** Node's callback-style functions whose callback fires once. */
let callbackApis = null;

/**
 * Whether fn(...args) is a callback-style call of Node's (fs's functions
 * but streams and watchers, child_process.exec/execFile, crypto's and
 * dns's asynchronous ones, a readline Interface's question) with its
 * callback last: its outcome is what the callback gets.
 * @param {any} fn
 * @param {any[]} args
 */
function takesCallback(fn, args) {
  if (typeof args[args.length - 1] !== "function" || typeof fn !== "function") return false;
  if (callbackApis === null) callbackApis = callbackFunctions();
  return callbackApis.has(fn);
}

function callbackFunctions() {
  const set = new Set();
  const notOnce = new Set(["createReadStream", "createWriteStream", "watch", "watchFile", "unwatchFile", "openAsBlob"]);
  const fs = require("node:fs");
  for (const [name, v] of Object.entries(fs)) {
    if (typeof v === "function" && /^[a-z]/.test(name) && !name.endsWith("Sync") && !notOnce.has(name)) set.add(v);
  }
  const cp = require("node:child_process");
  set.add(cp.exec).add(cp.execFile);
  const crypto = require("node:crypto");
  for (const name of ["randomBytes", "randomInt", "randomFill", "pbkdf2", "scrypt", "generateKeyPair"]) set.add(crypto[name]);
  const dns = require("node:dns");
  for (const name of ["lookup", "lookupService", "resolve", "resolve4", "resolve6", "resolveTxt", "resolveMx", "reverse"]) {
    set.add(dns[name]);
  }
  for (const fn of httpFunctions()) set.add(fn);
  set.add(require("node:readline").Interface.prototype.question); // cb(answer)
  return set;
}

/** http(s).get/request: their callback gets a response stream, read whole. */
let httpApis = null;

function httpFunctions() {
  if (httpApis === null) {
    const http = require("node:http");
    const https = require("node:https");
    httpApis = new Set([http.get, http.request, https.get, https.request]);
  }
  return httpApis;
}

/**
 * A response whose body could not be read whole: the callback gets a
 * stream with its status and headers that fails with err, as the live one
 * did; nothing is recorded, so a resume sends the request again.
 */
function failedIncoming(res, err) {
  const { Readable } = require("node:stream");
  const failed = new Readable({ read() {} });
  Object.assign(failed, { statusCode: res.statusCode, statusMessage: res.statusMessage, headers: res.headers });
  process.nextTick(() => failed.destroy(err));
  return failed;
}

/**
 * What a replayed http(s).get/request returns in place of its
 * ClientRequest: the request was sent when the run recorded it, so writing
 * to it, ending it or setting its timeout does nothing.
 */
function replayedRequest() {
  const { EventEmitter } = require("node:events");
  const req = new EventEmitter();
  for (const name of ["write", "end", "abort", "destroy", "setHeader", "removeHeader", "flushHeaders"]) req[name] = () => req;
  req.setTimeout = () => req;
  req.setNoDelay = () => req;
  req.setSocketKeepAlive = () => req;
  req.getHeader = () => undefined;
  return req;
}

function isThenable(v) {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof v.then === "function";
}

/**
 * Awaited replays settle in the order their rows were committed, one per
 * turn of the event loop.  When they were recorded, concurrent async
 * functions resumed in the order their calls completed (I/O completion
 * order, which varies); settling every replay at once would resume them in
 * the order the calls started instead, and the calls they make next would
 * meet other functions' rows (one function's recorded Date handed to
 * another).  Released in journal order, each resumes when it did.
 */
class ReplayGate {
  constructor() {
    /** @type {{i: number, run: () => void}[]} rows waiting, by index */
    this.waiting = [];
    this.scheduled = false;
  }

  /**
   * A promise that takes outcome's result (or error) when row i's turn comes.
   * @param {number} i
   * @param {() => any} outcome
   */
  settle(i, outcome) {
    return new Promise((resolve, reject) => {
      const run = () => {
        try {
          resolve(outcome());
        } catch (err) {
          reject(err);
        }
      };
      let at = this.waiting.length;
      while (at > 0 && this.waiting[at - 1].i > i) at -= 1;
      this.waiting.splice(at, 0, { i, run });
      this.schedule();
    });
  }

  schedule() {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const next = this.waiting.shift();
      this.schedule();
      next.run();
    });
  }
}

class Session {
  /**
   * @param {number} fd the channel's socket
   * @param {number} [replyFd] the pipe the coordinator replies on
   * @param {number} [spinUs] how long to poll for a reply before blocking
   */
  constructor(fd, replyFd = fd, spinUs = 0) {
    this.chan = new Channel(fd, replyFd, spinUs);
    this.root = new Frame("");
    this.als = new AsyncLocalStorage();
    // The final rows, in journal order; at: key -> index in rows (of the
    // last row of a key, should the journal hold two); taken[i]: row i was
    // replayed, see match().  A replay meets rows mostly in journal order:
    // next is where the next call's row usually is, after the last taken,
    // unless keys repeat (dup).
    /** @type {any[][]} */
    this.rows = [];
    /** @type {Map<string, number>} */
    this.at = new Map();
    this.taken = new Uint8Array(0);
    this.nTaken = 0;
    this.next = 0;
    this.dup = false;
    /** @type {Map<string, any[][]>} */
    this.retries = new Map();
    /** @type {Map<string, string[]>} */
    this.children = new Map();
    /** @type {Set<string>} */
    this.linked = new Set();
    this.unvisited = 0;
    this.worker = process.env.CURRANT_WORKER === "1";
    delete process.env.CURRANT_WORKER;
    this.mode = "run";
    this.runId = "";
    this.suspendAfter = Number(process.env.CURRANT_SUSPEND_AFTER || 60) * 1000;
    this.muted = null;
    this.muteGate = null;
    this.frontier = null; // see behindFrontier()
    this.exiting = false;
    this.manifest = null;
    // (frame prefix, file, site, argument fingerprint) -> row indices (null
    // until alternatives() needs it): see match()
    this.pool = null;
    this.pendingH = new Map();
    // key -> [file, site, kind, attempt, t0] of each live call whose promise
    // or callback is still to come: at exit, the run's abandoned calls
    this.inflight = new Map();
    this.onLive = []; // whenLive's hooks
    files = files || require("./files");
    streams = streams || require("./streams");
    processes = processes || require("./processes");
    this.files = new files.Files(); // descriptors the run opened
    this.gate = new ReplayGate();
    this.low = 0; // the first row that may be untaken (replay())
  }

  start() {
    const init = this.chan.request({ op: "hello", v: 1, lang: "js", pid: process.pid });
    this.mode = init.mode || "run";
    this.runId = init.run || "";
    for (;;) {
      const msg = this.chan.recv();
      if (msg.op === "ready") break;
      for (const r of msg.rows || []) this.load(r);
    }
    this.loaded();
    if (this.worker) return; // muted per invocation; the script says exit, not us
    if (this.unvisited > 0 && this.mode === "run" && init.mute !== false) this.mute();
    process.on("exit", () => this.atExit());
  }

  // rows: [key, file, site, kind, attempt, status, value, ended, arghash]
  // Loading does as little as it can per row: a replay that reaches every
  // key in order never needs the pool (built on first need, see
  // alternatives()) nor a parent link for a key without one.
  load(r) {
    const key = r[0];
    if (!isFinal(r[5])) {
      if (!this.retries.has(key)) this.retries.set(key, []);
      this.retries.get(key).push(r);
      return;
    }
    const keys = this.at.size;
    this.at.set(key, this.rows.length);
    if (this.at.size === keys) this.dup = true;
    this.rows.push(r);
    if (key.startsWith("@")) return; // a worker's import: never revisited by the script
    this.unvisited += 1;
    this.link(key);
  }

  /** After the last load(): no row is taken yet. */
  loaded() {
    this.taken = new Uint8Array(this.rows.length);
  }

  /**
   * The recorded row of key, or undefined.
   * @param {string} key
   */
  rowOf(key) {
    const i = this.at.get(key);
    return i === undefined ? undefined : this.rows[i];
  }

  /**
   * Records key under its parent, and the parent under its own (a bridge
   * call or task cut short has rows below it but none of its own).  A key
   * without a parent (no ".") has nothing to link.
   * @param {string} key
   */
  link(key) {
    while (key.includes(".") && !this.linked.has(key)) {
      this.linked.add(key);
      const parent = parentKey(key);
      if (!this.children.has(parent)) this.children.set(parent, []);
      this.children.get(parent).push(key);
      key = parent;
    }
  }

  descendants(key) {
    let n = 0;
    const stack = [key];
    while (stack.length) {
      for (const child of this.children.get(stack.pop()) || []) {
        if (this.at.has(child)) n += 1;
        stack.push(child);
      }
    }
    return n;
  }

  visited(key) {
    this.unvisited -= 1 + (this.children.size ? this.descendants(key) : 0);
    if (this.unvisited <= 0) this.replayOver();
  }

  /** Every recorded row replayed: output unmuted, the waiting hooks run. */
  replayOver() {
    this.unmute();
    const hooks = this.onLive.splice(0);
    for (const hook of hooks) hook();
  }

  /** Runs fn once every recorded row has been replayed (now, if so). */
  whenLive(fn) {
    if (this.unvisited <= 0) fn();
    else this.onLive.push(fn);
  }

  mute() {
    this.muted = [process.stdout.write, process.stderr.write];
    this.muteGate = { on: true };
    process.stdout.write = mutedWrite(this.muted[0], this.muteGate);
    process.stderr.write = mutedWrite(this.muted[1], this.muteGate);
  }

  unmute() {
    if (this.muted) {
      [process.stdout.write, process.stderr.write] = this.muted;
      this.muteGate.on = false; // a program that kept a muted write writes from now on
      this.muted = null;
    }
  }

  atExit() {
    if (this.exiting) return;
    this.exiting = true;
    this.unmute();
    if (this.mode === "run" && this.unvisited > 0 && this.nTaken < this.at.size) {
      fs.writeSync(2, `currant: warning: ${this.unvisited} recorded checkpoints were not reached (calls made with other arguments than recorded ran again)\n`);
    }
    const msg = { op: "exit", unvisited: this.unvisited };
    if (this.mode === "run" && this.inflight.size) {
      msg.abandoned = [...this.inflight].slice(0, MAX_ABANDONED).map(([key, row]) => [key, ...row]);
    }
    this.chan.request(msg);
  }

  nextKey() {
    const frame = this.als.getStore() || this.root;
    const n = frame.n;
    frame.n = n + 1;
    return frame.prefix + n;
  }

  // -------------------------------------------------------------- the API

  /** A boundary call: replay it or run it live and commit it. */
  call(rel, site, fn, args, invoke, how) {
    const key = this.nextKey();
    const target = fn instanceof Ref ? fn.fn : fn;
    const self = fn instanceof Ref ? fn.self : undefined;
    let k = key;
    if (this.unvisited > 0) {
      const row = this.match(key, rel, site, args);
      if (row === FRESH || (row === undefined && this.at.has(key))) k = this.fresh(key);
      else if (row !== undefined) return this.replay(row, rel, site, this.next - 1, args, target, self);
    } else if (this.at.has(key)) {
      // every row has been replayed, this key's by a concurrent sibling
      // that took it from the pool: the key is taken
      k = this.fresh(key);
    }
    const kind = target && target._currantKind;
    if (kind !== undefined && kind !== "bridge" && how === undefined) return this.special(kind, k, rel, site, args);
    this.pendingH.set(k, codec.fingerprint(args));
    return this.live(k, rel, site, fn, args, invoke, kind === "bridge" ? kind : how || "call", target);
  }

  /** A key for a live call whose counter key holds another call's row. */
  fresh(key) {
    let n = 1;
    while (this.at.has(`${key}'${n}`)) n += 1;
    return `${key}'${n}`;
  }

  /**
   * The recorded outcome of this call, if any: normally the row at its key;
   * but calls started after an await in concurrent plain async functions
   * take keys in completion order, which may differ between executions, so
   * when the row at the key was made by another call (the same site with
   * other arguments, another site, or it was already taken), the unused row
   * of the same frame, site and arguments is the call's own.  Only when
   * there is none does another site's row at the key mean non-determinism
   * (replay() reports it): two concurrent functions reaching different
   * sites after their awaits in the other order is not a change of path.
   */
  match(key, rel, site, args) {
    const i = this.indexOf(key);
    const row = i < 0 ? undefined : this.rows[i];
    const free = i >= 0 && this.taken[i] === 0;
    if (free && (row[8] === null || row[8] === undefined)) return this.take(i);
    const h = codec.fingerprint(args);
    const same = free && row[1] === rel && row[2] === site;
    if (same && row[8] === h) return this.take(i);
    for (const alt of this.alternatives(key, rel, site, h)) {
      if (this.taken[alt] === 0) return this.take(alt);
    }
    if (free && !same) return this.take(i);
    // the same site with other arguments: the row belongs to a concurrent
    // sibling still to come; this call runs live
    if (free) return FRESH;
    return undefined;
  }

  /**
   * The index of key's row, or -1.  A sequential replay takes rows in
   * journal order: the row after the last one taken is tried before the
   * index (unless keys repeat: the index has a key's last row).
   * @param {string} key
   */
  indexOf(key) {
    const i = this.next;
    if (i < this.rows.length && this.rows[i][0] === key && !this.dup) return i;
    const j = this.at.get(key);
    return j === undefined ? -1 : j;
  }

  /**
   * Marks row i replayed and returns it.
   * @param {number} i
   */
  take(i) {
    this.taken[i] = 1;
    this.nTaken += 1;
    this.next = i + 1;
    return this.rows[i];
  }

  /**
   * The indices of the rows of the frame of key, site and argument
   * fingerprint h, in journal order.  The pool is built when a call first
   * leaves match()'s fast path: rows are all loaded by then (start()).
   */
  alternatives(key, rel, site, h) {
    if (this.pool === null) this.pool = buildPool(this.rows, this.at);
    return this.pool.get(poolKey(keyPrefix(key), rel, site, h)) || [];
  }

  read(rel, site, obj, key) {
    return this.call(rel, site, obj, [key], (o, a) => o[a[0]], "read");
  }

  /**
   * The recorded outcome of row (index i): its value, or its error thrown;
   * for a call whose live result was a promise, a promise settled in
   * journal order (ReplayGate).
   */
  replay(row, rel, site, i, args, target, self) {
    if (row[1] !== rel || row[2] !== site) this.diverged(row, rel, site);
    const settled = row[5] === "ok" || row[5] === "error";
    // A row committed when its callback fired or its promise settled:
    // what the program printed between the call and then was printed
    // before the crash, so it is counted replayed (and output muted until
    // it is) only when the callback or the continuation gets its outcome.
    if (row[3].endsWith("+cb") && row[5] === "ok") return this.replayCallback(row, i, args, target);
    if (row[3].endsWith("+proc") && (row[5] === "ok" || row[5] === "abandoned")) return this.replayProcess(row, i);
    if (row[5] === "resource") {
      // a stream or readline Interface the run opened: made again (streams.js)
      this.visited(row[0]);
      if (target === fs.createWriteStream) return new streams.JournaledWriteStream(this, args[0], args[1], true);
      if (streams.makesInterface(target)) return this.replayedInterface(target(...args));
      return target === fs.createReadStream ? target(...args) : undefined;
    }
    if (row[5] === "abandoned") {
      // still running when the run exited: its callback is never called,
      // its promise never settles, as then
      this.visited(row[0]);
      return row[3].endsWith("+cb") ? undefined : new Promise(() => {});
    }
    if (!settled || !row[3].endsWith("+await")) {
      this.visited(row[0]);
      if (!settled) return undefined;
      const value = outcome(row);
      if (target === fs.createReadStream) return streams.recordedReadStream(args[0], args[1], value);
      return this.files.replayed(target, args, refilled(target, args, value), self);
    }
    const deliver = () => {
      this.visited(row[0]);
      return this.files.replayed(target, args, outcome(row), self);
    };
    // Every row before it taken (a sequential replay): settled a microtask
    // from now (after the code that follows the call, as live); else it
    // waits for its turn.
    while (this.low < this.rows.length && this.taken[this.low] === 1) this.low += 1;
    if (i <= this.low) return Promise.resolve().then(deliver);
    return this.gate.settle(i, deliver);
  }

  diverged(row, rel, site, why = "") {
    this.unmute();
    const msg = { op: "diverged", got: [rel, site], why };
    if (row) Object.assign(msg, { key: row[0], want: [row[1], row[2]] });
    this.chan.request(msg);
    this.exiting = true;
    process.reallyExit(3);
  }

  /**
   * A call is about to run live.  In replay mode that is divergence.
   * Otherwise, when nothing recorded lies below it (not a task or bridge
   * call cut short, whose finished steps replay first), it is the run's
   * first live checkpoint: output is not muted past it, even if rows that
   * concurrent siblings would have taken were never reached.
   */
  goingLive(key, rel, site) {
    if (this.mode === "replay") {
      this.diverged(null, rel, site, `replay reached a checkpoint that is not in the journal (key ${key})`);
    }
    if (this.muted && this.descendants(key) === 0 && !this.behindFrontier(key)) this.unmute();
  }

  /**
   * True if a recorded row comes after key in its frame or an enclosing
   * one: key is a call that was still running when the last execution
   * stopped while the script went on past it (npm's log cleanup), run again
   * now, not where that execution ended.  What the script printed before
   * those later rows was printed then: output stays muted.  Not for a fresh
   * key (its counter's row is another call's: this execution differs from
   * the recorded one, whose later rows it may never reach).
   * @param {string} key
   */
  behindFrontier(key) {
    if (key.includes("'")) return false;
    if (this.frontier === null) {
      this.frontier = new Map(); // frame prefix -> highest counter recorded there
      for (const r of this.rows) {
        const p = keyPrefix(r[0]);
        const n = parseInt(r[0].slice(p.length), 10);
        if (n >= 0 && !(n <= this.frontier.get(p))) this.frontier.set(p, n);
      }
    }
    for (let k = key; k !== null; k = parentKey(k)) {
      const p = keyPrefix(k);
      if (parseInt(k.slice(p.length), 10) < this.frontier.get(p)) return true;
    }
    return false;
  }

  live(key, rel, site, fn, args, invoke, kind, target = fn) {
    this.goingLive(key, rel, site);
    args = this.files.liveArgs(target, args);
    const child = new Frame(key + ".", key, target);
    child.rel = rel;
    child.site = site;
    const t0 = nowS();
    if (target === fs.createWriteStream || target === fs.createReadStream || streams.makesInterface(target)) {
      return this.liveStream(key, rel, site, kind, child, t0, target, args);
    }
    if (kind === "call" && processes.startsProcess(target, args)) return this.liveProcess(key, rel, site, fn, args, invoke, child, t0);
    if (kind === "call" && takesCallback(target, args)) {
      args = this.recordingCallback(key, rel, site, child, t0, args);
      kind = "call+cb";
      this.inflight.set(key, [rel, site, kind, child.attempt, t0]);
    }
    let result;
    try {
      result = this.als.run(child, invoke, fn, args);
    } catch (err) {
      this.commit(key, rel, site, kind, child.attempt, "error", codec.encodeError(err), t0);
      throw err;
    }
    if (isThenable(result)) {
      this.inflight.set(key, [rel, site, kind + "+await", child.attempt, t0]);
      return Promise.resolve(result).then(
        (v) => this.recordAsync(v, key, rel, site, kind + "+await", child, t0),
        (err) => {
          this.commit(key, rel, site, kind + "+await", child.attempt, "error", codec.encodeError(err), t0);
          throw err;
        },
      );
    }
    if (target === fs.openSync) result = this.files.liveOpened(result);
    return this.record(result, key, rel, site, kind, child.attempt, t0, readInto(target, args, result));
  }

  /**
   * A readline Interface made again on replay reads nothing while the run
   * replays, unless the program reads its lines: the answers its questions
   * got are in the journal, and input read now (a pipe delivers it at
   * once) would go to no question and be lost.  A live question() resumes
   * it, as do a 'line' listener (async iteration adds one) and the end of
   * the replay.
   */
  replayedInterface(rl) {
    const wake = () => {
      if (!rl.closed) rl.resume();
    };
    const onListener = (event) => {
      if (event !== "line") return;
      rl.off("newListener", onListener);
      wake();
    };
    rl.pause();
    rl.on("newListener", onListener);
    this.whenLive(wake);
    return rl;
  }

  /**
   * A live fs.createWriteStream / createReadStream or readline Interface
   * (streams.js): a write stream and an Interface are resource rows; a
   * read stream's row holds the bytes it gives (a resource when the file
   * is too big or no regular file).
   */
  liveStream(key, rel, site, kind, child, t0, target, args) {
    if (streams.makesInterface(target)) {
      let rl;
      try {
        rl = this.als.run(child, () => target(...args));
      } catch (err) {
        this.commit(key, rel, site, kind, child.attempt, "error", codec.encodeError(err), t0);
        throw err;
      }
      this.commit(key, rel, site, kind, child.attempt, "resource", null, t0);
      return rl;
    }
    if (target === fs.createWriteStream) {
      const ws = new streams.JournaledWriteStream(this, args[0], args[1], false);
      this.commit(key, rel, site, kind, child.attempt, "resource", null, t0);
      return ws;
    }
    const rec = streams.readForRecord(args[0], args[1]);
    if (rec === null) {
      const rs = fs.createReadStream(...args);
      this.commit(key, rel, site, kind, child.attempt, "resource", null, t0);
      return rs;
    }
    this.commit(key, rel, site, kind, child.attempt, "ok", codec.encode(rec), t0);
    return streams.recordedReadStream(args[0], args[1], rec);
  }

  /**
   * A live child_process.spawn (exec/execFile without a callback): the
   * program gets the real ChildProcess; the row, committed when it emits
   * 'close', is what it did (processes.js).
   */
  liveProcess(key, rel, site, fn, args, invoke, child, t0) {
    let proc;
    try {
      proc = this.als.run(child, invoke, fn, args);
    } catch (err) {
      this.commit(key, rel, site, "call", child.attempt, "error", codec.encodeError(err), t0);
      throw err;
    }
    this.inflight.set(key, [rel, site, "call+proc", child.attempt, t0]);
    processes.observe(proc, (record) => this.commitValue(key, rel, site, "call+proc", child.attempt, record, t0));
    return proc;
  }

  /**
   * A replayed process row: a ReplayedProcess that gives what the process
   * did at the row's turn among the recorded completions (never, for one
   * the run left running).
   */
  replayProcess(row, i) {
    if (row[5] === "abandoned") {
      this.visited(row[0]);
      return new processes.ReplayedProcess(null);
    }
    const record = outcome(row);
    const proc = new processes.ReplayedProcess(record);
    this.gate.settle(i, () => record).then(() => {
      this.visited(row[0]);
      proc.finish(record);
    });
    return proc;
  }

  async recordAsync(v, key, rel, site, kind, child, t0) {
    if (typeof Response === "function" && v instanceof Response) {
      const rec = await codec.RecordedResponse.from(v);
      this.commit(key, rel, site, kind, child.attempt, "ok", codec.encode(rec), t0);
      return rec.toResponse();
    }
    if (codec.isAxiosResponse(v)) {
      // the program keeps the live response; a replay gets what is journaled
      this.commitValue(key, rel, site, kind, child.attempt, codec.axiosRecord(v), t0);
      return v;
    }
    if (codec.isDrainable(v)) {
      let rec;
      try {
        rec = await codec.RecordedChunks.from(v);
      } catch (err) {
        // the stream failed part way: the call's outcome, as a rejection is
        this.commit(key, rel, site, kind, child.attempt, "error", codec.encodeError(err), t0);
        throw err;
      }
      return this.record(rec, key, rel, site, kind, child.attempt, t0);
    }
    if (files.isFileHandle(v)) {
      // the program keeps the live handle; the journal, its descriptor
      this.commit(key, rel, site, kind, child.attempt, "ok", { $t: "filehandle", v: this.files.liveOpened(v.fd) }, t0);
      return v;
    }
    return this.record(v, key, rel, site, kind, child.attempt, t0);
  }

  /**
   * Commits result as the call's outcome and returns it; journaled, when
   * given, is what the journal keeps instead (a read's count with the
   * bytes it wrote into the caller's buffer: readInto()).
   */
  record(result, key, rel, site, kind, attempt, t0, journaled = undefined) {
    if (kind.endsWith("+cb")) return result; // its outcome is what the callback gets
    if (result !== null && typeof result === "object") result = codec.recordLive(result);
    this.commitValue(key, rel, site, kind, attempt, journaled === undefined ? result : journaled, t0);
    return result;
  }

  /**
   * Commits value as a call's outcome; one the journal cannot encode is
   * journaled as the call's UnrecordableValueError (so a replay throws it
   * again), and thrown.
   */
  commitValue(key, rel, site, kind, attempt, value, t0) {
    let enc;
    try {
      enc = codec.encode(value);
    } catch (err) {
      const e = new UnrecordableValueError(`${this.where(rel, site)}: ${err.message}`);
      this.commit(key, rel, site, kind, attempt, "error", codec.encodeError(e), t0);
      throw e;
    }
    this.commit(key, rel, site, kind, attempt, "ok", enc, t0);
  }

  /**
   * args with its callback replaced by one that commits what the callback
   * gets (error and results, as one array) before handing it on, in the
   * caller's frame: the callback continues the caller, as code after an
   * await does.  What the call itself returns (undefined, a ChildProcess)
   * is not the outcome.
   */
  recordingCallback(key, rel, site, child, t0, args) {
    const cb = args[args.length - 1];
    const caller = this.als.getStore() || this.root;
    const session = this;
    if (httpFunctions().has(child.fn)) {
      // the response is read whole, recorded, then handed on as a stream
      const reading = (res) => codec.RecordedResponse.readIncoming(res, (err, rec) => {
        if (err) {
          session.inflight.delete(key); // over, not recorded: not abandoned either
          return session.als.run(caller, () => cb(failedIncoming(res, err)));
        }
        return recording.call(res, rec.toIncoming(), rec);
      });
      const recording = function (stream, rec) {
        session.commit(key, rel, site, "call+cb", child.attempt, "ok", codec.encode([rec]), t0);
        return session.als.run(caller, () => cb.call(this, stream));
      };
      return [...args.slice(0, -1), reading];
    }
    const recording = function (...got) {
      if (child.fn === fs.open && !got[0]) got[1] = session.files.liveOpened(got[1]);
      session.commitValue(key, rel, site, "call+cb", child.attempt, got, t0);
      return session.als.run(caller, () => cb.apply(this, got));
    };
    return [...args.slice(0, -1), recording];
  }

  /**
   * A recorded callback-style call: the function is not called; its
   * callback gets the recorded error and results on a later turn, in
   * journal order among the other recorded completions.
   */
  replayCallback(row, i, args, target) {
    const cb = args[args.length - 1];
    const caller = this.als.getStore() || this.root;
    this.gate.settle(i, () => outcome(row)).then((got) => {
      this.visited(row[0]);
      this.files.replayedCallback(target, args, refilledCallback(target, args, got));
      if (typeof cb === "function") this.als.run(caller, () => cb(...got));
    });
    return httpFunctions().has(target) ? replayedRequest() : undefined;
  }

  commit(key, rel, site, kind, attempt, status, value, t0) {
    this.inflight.delete(key);
    let reply;
    try {
      const msg = { op: "commit", key, file: rel, site, kind, attempt, status, value, t0, t1: nowS() };
      if (status !== "retry" && this.pendingH.has(key)) {
        msg.h = this.pendingH.get(key);
        this.pendingH.delete(key);
      }
      reply = this.chan.request(msg, true);
    } catch (err) {
      throw new UnrecordableValueError(`${this.where(rel, site)}: ${err.message}`);
    }
    if (reply.cancel) throw new RunCancelled(`run ${this.runId} was cancelled`);
    if (reply.error) throw new Error(`currant coordinator: ${reply.error}`);
  }

  // ---------------------------------------------------------- std specials

  special(kind, key, rel, site, args) {
    this.goingLive(key, rel, site);
    const { parseDuration, isDone } = require("./std");
    if (kind === "sleep") return this.sleepAt(key, rel, site, parseDuration(args[0]));
    if (kind === "event") {
      const opts = args[1];
      const t = opts !== null && typeof opts === "object" ? opts.timeout : opts;
      return this.eventAt(key, rel, site, args[0], t === undefined || t === null ? null : parseDuration(t));
    }
    if (kind === "poll") {
      const opts = args[1] || {};
      const every = parseDuration(opts.every === undefined ? 1000 : opts.every);
      const timeout = opts.timeout === undefined || opts.timeout === null ? null : parseDuration(opts.timeout);
      return this.live(key, rel, site, null, [], () => this.pollBody(args[0], every, timeout, opts.until, isDone), "poll");
    }
    throw new Error(`unknown std kind ${kind}`);
  }

  /** A recorded value under parent (wake times, deadlines). */
  sub(parent, n, make, rel, site) {
    const key = `${parent}.${n}`;
    const row = this.rowOf(key);
    if (row !== undefined) {
      this.visited(key);
      return codec.decode(row[6]);
    }
    const value = make();
    this.commit(key, rel, site, "value", 1, "ok", codec.encode(value), nowS());
    return value;
  }

  sleepAt(key, rel, site, ms) {
    const t0 = nowS();
    const wake = this.sub(key, 0, () => Date.now() + ms, rel, site);
    const left = wake - Date.now();
    if (left > this.suspendAfter) this.suspend(wake / 1000);
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, left))).then(() => {
      this.commit(key, rel, site, "sleep+await", 1, "ok", null, t0);
    });
  }

  /** currant.sleep called without a checkpoint of its own. */
  sleep(ms) {
    const key = this.nextKey();
    if (this.at.has(key)) {
      this.visited(key);
      return Promise.resolve();
    }
    return this.sleepAt(key, "", -1, ms);
  }

  suspend(wakeAt) {
    this.unmute();
    this.chan.request({ op: "suspend", wake_at: wakeAt });
    this.exiting = true;
    process.reallyExit(0);
  }

  eventAt(key, rel, site, name, ms) {
    const deadline = ms === null ? null : this.sub(key, 0, () => nowS() + ms / 1000, rel, site);
    const reply = this.chan.request({ op: "event", key, file: rel, site, name, deadline });
    if (reply.error) return Promise.reject(new Error(`currant coordinator: ${reply.error}`));
    return Promise.resolve(reply.timeout ? null : codec.decode(reply.value));
  }

  waitEvent(name, ms) {
    const key = this.nextKey();
    const row = this.rowOf(key);
    if (row !== undefined) {
      this.visited(key);
      return Promise.resolve(codec.decode(row[6]));
    }
    return this.eventAt(key, "", -1, name, ms);
  }

  async pollBody(fn, every, timeout, until, isDone) {
    const start = this.inner(() => Date.now());
    for (;;) {
      const value = await this.inner(fn);
      if (isDone(value, until)) return value;
      if (timeout !== null && Date.now() + every > start + timeout) {
        throw new TimeoutError(`poll: not done after ${timeout} ms`);
      }
      await this.sleep(every);
    }
  }

  /** A checkpoint with no site of its own (inside poll and retries). */
  inner(fn) {
    const key = this.nextKey();
    const row = this.rowOf(key);
    if (row !== undefined) return this.replay(row, "", -1, this.at.get(key));
    return this.live(key, "", -1, fn, [], (f) => f(), "inner");
  }

  poll(fn, every, timeout, until) {
    const { isDone } = require("./std");
    return this.inner(() => this.pollBody(fn, every, timeout, until, isDone));
  }

  // ---------------------------------------------------------------- bridges

  /**
   * Has the coordinator run bridge function fn in its worker; returns the
   * `result` reply.  Through call() the function owns its frame and the
   * key is the checkpoint's; a plain call takes a key here.
   * @param {Function & {currantBridge: any}} fn
   * @param {any[]} args
   */
  bridge(fn, args) {
    const { encodeArgs } = require("./bridge");
    const spec = fn.currantBridge;
    const frame = this.als.getStore();
    const key = frame && frame.fn === fn && frame.owner !== null ? frame.owner : this.nextKey();
    const msg = { op: "bridge", lang: spec.lang, file: spec.file, fn: spec.name, args: encodeArgs(spec, args), key, mute: this.muted !== null };
    const reply = this.chan.request(msg);
    // the worker went through the rows under key (replayed or not)
    this.unvisited -= this.descendants(key);
    if (this.unvisited <= 0) this.replayOver();
    if (reply.stop !== undefined) {
      // the worker suspended the run or diverged
      this.exiting = true;
      this.unmute();
      process.reallyExit(reply.stop);
    }
    return reply;
  }

  /**
   * In a worker: the frame of bridge call `key`, muted while its recorded
   * rows replay if the caller is.
   * @param {string} key
   * @param {string} rel
   * @param {Function} fn
   * @param {boolean} mute
   */
  beginInvocation(key, rel, fn, mute) {
    const frame = new Frame(`${key}.`, key, fn);
    frame.rel = rel;
    this.unvisited = this.descendants(key);
    if (mute && this.unvisited > 0) this.mute();
    return frame;
  }

  // ------------------------------------------------------------------ tasks

  /** Attempts of a task, each failure journaled under its checkpoint. */
  runTask(wrapper, fn, self, args) {
    const { runAttempts, sleepSync } = require("./std");
    const policy = wrapper.currantTask;
    const frame = this.als.getStore();
    if (!frame || frame.fn !== wrapper || frame.owner === null) return runAttempts(fn, self, args, policy);
    const key = frame.owner;
    let [attempt, wait] = this.resumeAttempt(key, policy);
    const start = Date.now();
    const deadline = policy.totalTimeout === null ? null : start + policy.totalTimeout;
    const mayRetry = (err, n, w) =>
      n < policy.maxAttempts && policy.retryable(err) && (deadline === null || Date.now() + w < deadline);
    const failed = (err, n, t0) => {
      const w = policy.delay(n);
      if (!mayRetry(err, n, w)) return -1;
      this.commit(key, frame.rel, frame.site, "attempt", n, "retry", codec.encodeError(err), t0);
      return w;
    };
    const asyncFrom = async (pending, t0) => {
      for (;;) {
        try {
          return await withTimeout(pending, limit(policy, deadline));
        } catch (err) {
          wait = failed(err, attempt, t0);
          if (wait < 0) throw err;
        }
        attempt += 1;
        enterAttempt(frame, key, attempt);
        await new Promise((resolve) => setTimeout(resolve, wait));
        t0 = nowS();
        try {
          pending = Promise.resolve(Reflect.apply(fn, self, args));
        } catch (err) {
          pending = Promise.reject(err);
        }
      }
    };
    for (;;) {
      enterAttempt(frame, key, attempt);
      sleepSync(wait);
      const t0 = nowS();
      let value;
      try {
        value = Reflect.apply(fn, self, args);
      } catch (err) {
        wait = failed(err, attempt, t0);
        if (wait < 0) throw err;
        attempt += 1;
        continue;
      }
      if (isThenable(value)) return asyncFrom(Promise.resolve(value), t0);
      return value;
    }
  }

  resumeAttempt(key, policy) {
    const done = this.retries.get(key);
    if (!done || !done.length) return [1, 0];
    const last = done.reduce((a, b) => (b[4] > a[4] ? b : a));
    const wait = (last[7] || 0) * 1000 + policy.delay(last[4]) - Date.now();
    return [last[4] + 1, Math.max(0, wait)];
  }

  // ------------------------------------------------------------------ naming

  where(rel, site) {
    const info = this.siteInfo(rel, site);
    if (!info) return `${rel || "<runtime>"} site ${site}`;
    return `${rel}:${info.line} (${info.function || "<module>"}: ${info.callee})`;
  }

  siteInfo(rel, site) {
    if (this.manifest === null) {
      this.manifest = new Map();
      try {
        const data = JSON.parse(fs.readFileSync(process.env.CURRANT_MANIFEST || "", "utf8"));
        for (const n of data.nodes || []) {
          if (n.index !== undefined && n.file !== undefined) this.manifest.set(`${n.file}\t${n.index}`, n);
        }
      } catch {
        // no manifest (hand-instrumented script): sites are named by index
      }
    }
    return this.manifest.get(`${rel}\t${site}`);
  }
}

/** "3.1" -> "3.", "3" -> "" */
function keyPrefix(key) {
  return key.slice(0, key.lastIndexOf(".") + 1);
}

function poolKey(prefix, file, site, h) {
  return `${prefix}\t${file}\t${site}\t${h}`;
}

/**
 * The pool of match(): the indices of the rows that have an argument
 * fingerprint, by (frame prefix, file, site, fingerprint), in journal order
 * (of a key's last row, should the journal hold two).
 * @param {any[][]} rows
 * @param {Map<string, number>} at
 */
function buildPool(rows, at) {
  const pool = new Map();
  for (const [key, i] of at) {
    const r = rows[i];
    if (key.startsWith("@") || r[8] === null || r[8] === undefined) continue;
    const pk = poolKey(keyPrefix(key), r[1], r[2], r[8]);
    const found = pool.get(pk);
    if (found === undefined) pool.set(pk, [i]);
    else found.push(i);
  }
  return pool;
}

function enterAttempt(frame, key, attempt) {
  frame.attempt = attempt;
  frame.n = 0;
  frame.prefix = attempt === 1 ? `${key}.` : `${key}~${attempt}.`;
}

function limit(policy, deadline) {
  if (deadline === null) return policy.timeout;
  const left = Math.max(0, deadline - Date.now());
  return policy.timeout === null ? left : Math.min(left, policy.timeout);
}

function withTimeout(promise, ms) {
  if (ms === null) return promise;
  let timer;
  const cap = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`task attempt timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, cap]).finally(() => clearTimeout(timer));
}

/**
 * A stream's write while recorded checkpoints replay: it swallows what it
 * is given until the session unmutes, and then writes it.  A program may
 * keep it meanwhile (`const out = process.stdout.write.bind(process.stdout)`
 * in its replayed start) and write through it once the run is live: that
 * must print.
 * @param {Function} real the stream's own write
 * @param {{on: boolean}} gate the session's mute, shared by both streams
 */
function mutedWrite(real, gate) {
  return function write(chunk, encoding, cb) {
    if (!gate.on) return real.apply(this, arguments);
    const done = typeof encoding === "function" ? encoding : cb;
    if (typeof done === "function") process.nextTick(done);
    return true;
  };
}

/** Starts the session when the coordinator gave us a channel. */
function connect(state) {
  const fd = process.env.CURRANT_FD;
  if (fd === undefined || state.session !== null) return;
  const reply = process.env.CURRANT_REPLY_FD;
  const spinUs = Number(process.env.CURRANT_SPIN_US) || 0;
  for (const name of ["CURRANT_FD", "CURRANT_REPLY_FD", "CURRANT_SPIN_US"]) delete process.env[name];
  const session = new Session(Number(fd), reply === undefined ? Number(fd) : Number(reply), spinUs);
  state.session = session;
  session.start();
}

module.exports = { Session, Frame, connect, parentKey, NonDeterminismError };
