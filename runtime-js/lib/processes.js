"use strict";
// Child processes a run starts: child_process.spawn, and exec / execFile
// without a callback (with one, what the callback gets is the outcome).
//
// Their result is a live ChildProcess, no value, and what the process did
// arrives later, as events.  So a live call hands the program the real
// ChildProcess and observes it without changing how the program sees it
// (no listener is added: one on 'data' would start the stream flowing, one
// on 'error' would swallow an error the program does not handle): what
// its stdout and stderr push, and the events it emits, up to 'close'.  The
// row is committed then, before the program's own 'close' listeners run
// (for a process that could not start, at its 'error', which the program
// sees first), as the process's record; until then the call is in flight
// (a run that exits with it still running journals it abandoned; a crash
// between its 'exit' and 'close' runs it again on resume).  A replay hands the
// program a ReplayedProcess that gives the same bytes and emits the same
// events, at the row's turn among the other recorded completions, and
// starts nothing.  A process still running when the run crashed has no row:
// the resumed run starts it again.

const { EventEmitter } = require("node:events");
const { Readable, Writable } = require("node:stream");

/** The names of processFunctions' keys. */
const PROCESS_NAMES = new Set(["spawn", "exec", "execFile"]);

/** child_process's functions whose result is a ChildProcess to record. */
let processFunctions = null;

/**
 * Whether fn(...args) starts a process recorded here: spawn, or exec /
 * execFile given no callback.
 * @param {any} fn
 * @param {any[]} args
 */
function startsProcess(fn, args) {
  // by name first: loading child_process (and the net and dgram it loads)
  // took ~1.2 ms of a run's first checkpoint
  if (typeof fn !== "function" || !PROCESS_NAMES.has(fn.name)) return false;
  if (processFunctions === null) {
    const cp = require("node:child_process");
    processFunctions = new Map([[cp.spawn, false], [cp.exec, true], [cp.execFile, true]]);
  }
  const callbackForm = processFunctions.get(fn);
  if (callbackForm === undefined) return false;
  return !callbackForm || typeof args[args.length - 1] !== "function";
}

/**
 * Observes a live ChildProcess; onClose(record) runs when it emits
 * 'close', before the program's listeners do.
 * @param {import("child_process").ChildProcess} child
 * @param {(record: object) => void} onClose
 */
function observe(child, onClose) {
  const record = { pid: child.pid ?? null, stdout: capture(child.stdout), stderr: capture(child.stderr), events: [] };
  const emit = child.emit;
  const done = (close) => {
    record.close = close;
    child.emit = emit;
    onClose(record);
  };
  child.emit = function (name, ...args) {
    if (name === "spawn" || name === "exit" || name === "error") record.events.push([name, ...args]);
    if (name === "close") {
      done(args.slice(0, 2));
    } else if (name === "error" && !record.events.some((e) => e[0] === "spawn")) {
      // it never started: the program learns so here, and 'close' follows
      // with the error's number (Node's maybeClose), nothing else between
      done([typeof args[0]?.errno === "number" ? args[0].errno : null, null]);
    }
    return emit.call(this, name, ...args);
  };
}

/** The chunks a stream will push, or null for no stream (stdio not piped). */
function capture(stream) {
  if (!stream) return null;
  const chunks = [];
  const push = stream.push;
  stream.push = function (chunk, encoding) {
    if (chunk !== null && chunk !== undefined) chunks.push(Buffer.isBuffer(chunk) ? Buffer.from(chunk) : Buffer.from(chunk, encoding));
    return push.call(this, chunk, encoding);
  };
  return chunks;
}

/** A stream giving recorded chunks once fed (null: none was piped). */
function replayedOutput(chunks) {
  if (chunks === null) return null;
  return new Readable({ read() {} });
}

/**
 * What a replayed process gives the program in place of its ChildProcess:
 * the recorded pid, streams and events; kill() and stdin do nothing (the
 * process ran when the run recorded it).
 */
class ReplayedProcess extends EventEmitter {
  /**
   * @param {object|null} record what observe() journaled, null for a
   *   process the run left running (it never ends)
   */
  constructor(record) {
    super();
    const r = record || { pid: null, stdout: [], stderr: [], events: [] };
    this.pid = r.pid ?? undefined;
    this.stdin = new Writable({ write: (chunk, encoding, cb) => cb() });
    this.stdout = replayedOutput(r.stdout);
    this.stderr = replayedOutput(r.stderr);
    this.stdio = [this.stdin, this.stdout, this.stderr];
    this.exitCode = null;
    this.signalCode = null;
    this.killed = false;
    this.connected = false;
    if (r.events.some((e) => e[0] === "spawn")) process.nextTick(() => this.emit("spawn"));
  }

  kill() {
    return false;
  }

  ref() {}

  unref() {}

  /** Gives the recorded output, then the recorded events and 'close'. */
  finish(record) {
    for (const [stream, chunks] of [[this.stdout, record.stdout], [this.stderr, record.stderr]]) {
      if (!stream) continue;
      for (const chunk of chunks) stream.push(chunk);
      stream.push(null);
    }
    const streams = [this.stdout, this.stderr].filter((s) => s !== null);
    let open = streams.length;
    const close = () => {
      for (const [name, ...args] of record.events) {
        if (name === "spawn") continue;
        if (name === "exit") [this.exitCode, this.signalCode] = args;
        this.emit(name, ...args);
      }
      this.emit("close", ...record.close);
    };
    if (open === 0) return void setImmediate(close);
    // as live: 'close' after the streams have ended (when the program reads them)
    for (const s of streams) s.once("end", () => --open === 0 && close());
    for (const s of streams) if (s.listenerCount("data") === 0 && s.listenerCount("readable") === 0) s.resume();
  }
}

module.exports = { startsProcess, observe, ReplayedProcess };
