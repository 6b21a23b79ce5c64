"use strict";
// Calls into the other runtime (docs/BRIDGE.md, "At run time").
//
// _currant.bridge("py", "model.py", ["fetch"]) returns a module proxy whose
// properties are bridge functions, so `const { score } = ...` works.
// Called through _currant.call a bridge function is a checkpoint of kind
// "bridge" with its own frame, like a task: the session asks the
// coordinator to run it in the Python worker and journals the outcome.
// Without a coordinator (pass-through) this runtime starts the other
// runtime's worker itself and nothing is journaled.  The call is
// synchronous; an async target gives a Promise of its outcome.

const path = require("node:path");
const { spawn } = require("node:child_process");
const { fileURLToPath } = require("node:url");
const state = require("./state");
const codec = require("./codec");
const { Channel } = require("./channel");
const { BridgeError, UnrecordableValueError } = require("./errors");

const LANGUAGES = { py: "Python", js: "JavaScript" };

/**
 * @typedef {object} BridgeSpec
 * @property {string} lang "py" or "js"
 * @property {string} file the target module, relative to the build root
 * @property {string} name the function
 * @property {boolean|null} async whether it returns a Promise (null: the
 *   worker's answer decides)
 * @property {() => string} root the build root (pass-through only)
 */

/**
 * The value of a `result` reply, or its error thrown; a Promise when the
 * target is async.
 * @param {BridgeSpec} spec
 * @param {any} reply
 */
function outcome(spec, reply) {
  const isAsync = spec.async === null ? Boolean(reply.async) : spec.async;
  if (reply.ok) {
    const value = codec.decode(reply.value);
    return isAsync ? Promise.resolve(value) : value;
  }
  const err = codec.decodeError(reply.error || {});
  if (isAsync) return Promise.reject(err);
  throw err;
}

/**
 * A function of the other runtime, called like a JS function.
 * @param {BridgeSpec} spec
 * @returns {Function}
 */
function bridgeFunction(spec) {
  const fn = {
    [spec.name](...args) {
      const session = state.session;
      const reply = session === null ? passthrough(spec, args) : session.bridge(fn, args);
      return outcome(spec, reply);
    },
  }[spec.name];
  fn.currantBridge = spec;
  fn._currantKind = "bridge"; // the session gives it a frame and journals it
  return fn;
}

/**
 * The module `file` of runtime `lang`: a Proxy whose properties are its
 * functions (never thenable, no symbols: it is not a Promise or iterable).
 * @param {string} lang
 * @param {string} file
 * @param {string[]|null} asyncNames the target's async functions, null if unknown
 * @param {() => string} root
 */
function bridgeModule(lang, file, asyncNames, root) {
  if (!(lang in LANGUAGES)) throw new TypeError(`bridge: unknown language ${JSON.stringify(lang)}`);
  const asyncSet = asyncNames === null ? null : new Set(asyncNames);
  /** @type {Map<string, Function>} */
  const fns = new Map();
  return new Proxy(Object.create(null), {
    get(_, name) {
      if (typeof name !== "string" || name === "then" || name.startsWith("__")) return undefined;
      let fn = fns.get(name);
      if (fn === undefined) {
        const isAsync = asyncSet === null ? null : asyncSet.has(name);
        fn = bridgeFunction({ lang, file, name, async: isAsync, root });
        fns.set(name, fn);
      }
      return fn;
    },
  });
}

/**
 * The arguments in the journal's encoding (what crosses the bridge).
 * @param {BridgeSpec} spec
 * @param {any[]} args
 */
function encodeArgs(spec, args) {
  try {
    return codec.encode(args);
  } catch (err) {
    throw new UnrecordableValueError(`cannot pass an argument to ${spec.file}:${spec.name}: ${err.message}`);
  }
}

/**
 * The build root of the instrumented file `rel`: CURRANT_ROOT in a worker,
 * else the path of the file that called `skip`, minus rel.
 * @param {string} rel
 * @param {Function} skip the binding function the caller called
 * @returns {() => string}
 */
function rootOf(rel, skip) {
  if (process.env.CURRANT_ROOT) {
    const root = process.env.CURRANT_ROOT;
    return () => root;
  }
  const saved = Error.prepareStackTrace;
  const holder = {};
  Error.prepareStackTrace = (_, stack) => stack;
  Error.captureStackTrace(holder, skip);
  const site = holder.stack[0];
  Error.prepareStackTrace = saved;
  let file = site ? site.getFileName() : null;
  if (file && file.startsWith("file:")) file = fileURLToPath(file);
  return () => {
    if (!file) return process.cwd();
    const suffix = path.sep + rel.split("/").join(path.sep);
    return file.endsWith(suffix) ? file.slice(0, -suffix.length) || path.sep : path.dirname(file);
  };
}

// ------------------------------------------------------------ pass-through

/** Where runtime-py/ and runtime-js/ live (side by side, installed or not). */
function datadir() {
  return process.env.CURRANT_DATADIR || path.resolve(__dirname, "..", "..");
}

/**
 * The command that starts lang's worker, its runtime put on the module path
 * in env.
 * @param {string} lang
 * @param {Record<string, string|undefined>} env
 * @returns {[string, string[]]}
 */
function workerCommand(lang, env) {
  const runtime = path.join(datadir(), `runtime-${lang}`);
  const v = lang === "py" ? "PYTHONPATH" : "NODE_PATH";
  env[v] = env[v] ? `${runtime}${path.delimiter}${env[v]}` : runtime;
  if (lang === "py") return [process.env.CURRANT_PYTHON || "python3", ["-m", "currant._worker"]];
  return [process.env.CURRANT_NODE || process.execPath, [path.join(runtime, "bin", "worker.js")]];
}

/** @type {Map<string, {chan: Channel}>} */
const workers = new Map();

/** The languages of the pass-through workers this process runs under. */
function stack() {
  return (process.env.CURRANT_BRIDGE_STACK || "").split(",").filter(Boolean);
}

/**
 * Starts lang's worker on a socketpair (the stdio "pipe" of fd 3, which
 * libuv makes a socketpair); we read and write its fd synchronously.
 * @param {string} lang
 * @param {string} root
 */
function startWorker(lang, root) {
  const env = { ...process.env, CURRANT_ROOT: root, CURRANT_BRIDGE_FD: "3" };
  delete env.CURRANT_FD;
  delete env.CURRANT_WORKER;
  env.CURRANT_BRIDGE_STACK = [...stack(), lang].join(",");
  const [cmd, argv] = workerCommand(lang, env);
  const child = spawn(cmd, argv, { env, stdio: ["inherit", "inherit", "inherit", "pipe"] });
  const sock = child.stdio[3];
  sock._handle.readStop(); // replies are ours to read, not the event loop's
  sock.unref();
  child.unref(); // the script ends when it is done; the worker sees the EOF
  return { chan: new Channel(sock._handle.fd) };
}

/**
 * A bridge call with no coordinator: invoke on our own worker.
 * @param {BridgeSpec} spec
 * @param {any[]} args
 */
function passthrough(spec, args) {
  if (stack().includes(spec.lang)) {
    // as under the coordinator: one worker per language, which is busy
    throw new BridgeError(`re-entrant call into the ${spec.lang} worker (${spec.file}:${spec.name}): it is already running a call further up the stack`);
  }
  const root = spec.root();
  const id = `${spec.lang}\0${root}`;
  let worker = workers.get(id);
  if (worker === undefined) {
    worker = startWorker(spec.lang, root);
    workers.set(id, worker);
  }
  const msg = { op: "invoke", file: spec.file, fn: spec.name, key: "", args: encodeArgs(spec, args) };
  try {
    worker.chan.send(msg);
    return worker.chan.recv();
  } catch (err) {
    if (err && err.channelLimit) throw err;
    workers.delete(id); // the next call starts a new one
    throw new BridgeError(`the ${spec.lang} worker died running ${spec.file}:${spec.name} (its channel closed)`);
  }
}

module.exports = { bridgeModule, encodeArgs, rootOf };
