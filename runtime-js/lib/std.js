"use strict";
// The std API: tasks, durable sleep, recorded clock/randomness/ids, events,
// LLM prompts and polling.
//
// Each is an ordinary function: currantc makes every call to it a
// checkpoint, so recording happens in the binding's call(), not here.  The
// few that need the coordinator when durable (sleep, waitEvent, poll, task
// retries) ask the session through state.session; without one they behave
// as plain JavaScript (pass-through).  Durations are milliseconds when
// numbers, or strings such as "500ms", "5s", "2m", "1h", "1d".

const state = require("./state");
const { CurrantError, TimeoutError } = require("./errors");

const UNITS = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };

/**
 * Milliseconds in a duration (a number of ms, or "1.5s", "2m", ...).
 * @param {number|string} d
 * @returns {number}
 */
function parseDuration(d) {
  if (typeof d === "number") {
    if (!(d >= 0) || d === Infinity) throw new RangeError(`bad duration: ${d}`);
    return d;
  }
  if (typeof d === "string") {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(d);
    if (m) return Number(m[1]) * UNITS[m[2]];
  }
  throw new RangeError(`bad duration: ${String(d)} (a number of ms or "5s", "2m", ...)`);
}

/** @returns {Date} the current time (recorded). */
function now() { return new Date(); }

/** @returns {number} a random number in [0, 1) (recorded). */
function random() { return Math.random(); }

/** @returns {string} a random version-4 UUID (recorded). */
function uuid() { return require("node:crypto").randomUUID(); }

/**
 * Waits `duration`; durable under the coordinator (a resumed run waits only
 * what is left, a finished sleep is skipped on replay, a long one suspends
 * the run until `currant serve` resumes it).
 * @param {number|string} duration
 * @returns {Promise<void>}
 */
function sleep(duration) {
  const ms = parseDuration(duration);
  const session = state.session;
  if (session !== null) return session.sleep(ms);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
sleep._currantKind = "sleep";

const blocker = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the thread ms milliseconds (sync task retries only). */
function sleepSync(ms) {
  if (ms > 0) Atomics.wait(blocker, 0, 0, ms);
}

/**
 * Waits for the event `name` (sent with `currant signal RUN NAME JSON`) and
 * resolves to its payload, or to null once `timeout` passes.  Without a
 * coordinator the payload comes from CURRANT_EVENT_<NAME>; with none set,
 * it waits the timeout and resolves null, or rejects when there is none.
 * @param {string} name
 * @param {number|string|{timeout?: number|string}} [opts]
 * @returns {Promise<any>}
 */
function waitEvent(name, opts) {
  const t = opts !== null && typeof opts === "object" ? opts.timeout : opts;
  const ms = t === undefined || t === null ? null : parseDuration(t);
  const session = state.session;
  if (session !== null) return session.waitEvent(name, ms);
  const raw = process.env["CURRANT_EVENT_" + String(name).toUpperCase().replace(/-/g, "_")];
  if (raw !== undefined) return Promise.resolve(JSON.parse(raw));
  if (ms === null) {
    return Promise.reject(new CurrantError(`waitEvent(${JSON.stringify(name)}): no coordinator to deliver the event and no timeout`));
  }
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}
waitEvent._currantKind = "event";

/**
 * Asks a language model; resolves to its answer (recorded).  `template` has
 * `{name}` placeholders (`{{`/`}}` for literal braces) filled from `inputs`,
 * or is the path of a `.prompt` file (front matter + template; a relative
 * path is looked up beside the calling module, then in the working
 * directory).  The rendered text goes to the OpenAI-compatible
 * chat-completions endpoint configured by CURRANT_LLM_BASE_URL /
 * CURRANT_LLM_API_KEY / CURRANT_LLM_MODEL (OPENAI_BASE_URL / OPENAI_API_KEY
 * as fallbacks), retried on 429/5xx/timeouts; failures reject with
 * PromptError subclasses.  See docs/PROMPTS.md.
 * @param {string} template
 * @param {object} [inputs]
 * @param {{model?: string, system?: string, temperature?: number, maxTokens?: number,
 *   params?: object, retries?: number, timeout?: number|string, retry?: RetryPolicy,
 *   cache?: string|false}} [options]
 * @returns {Promise<string>}
 */
function prompt(template, inputs = {}, options = {}) {
  // loaded on first use: most programs never prompt, and http/https cost
  // start-up time
  const promptLib = require("./prompt");
  let baseDir = null;
  try { baseDir = promptLib.callerDir(); } catch { /* cwd only */ }
  const opts = { ...(options || {}) };
  if (opts.timeout !== undefined && opts.timeout !== null) opts.timeout = parseDuration(opts.timeout);
  return promptLib.promptImpl(template, inputs || {}, opts, baseDir, RetryPolicy);
}

/**
 * Calls fn() every `every` until it reports done and resolves to that
 * result.  Done means until(result), or without `until` a result that is
 * neither null, undefined nor false.  Rejects with TimeoutError after
 * `timeout`.  Durable: each attempt and each wait is journaled.
 * @param {() => any} fn
 * @param {{every?: number|string, timeout?: number|string, until?: (v: any) => boolean}} [opts]
 * @returns {Promise<any>}
 */
async function poll(fn, opts = {}) {
  const every = parseDuration(opts.every === undefined ? 1000 : opts.every);
  const timeout = opts.timeout === undefined || opts.timeout === null ? null : parseDuration(opts.timeout);
  const session = state.session;
  if (session !== null) return session.poll(fn, every, timeout, opts.until);
  const deadline = timeout === null ? null : Date.now() + timeout;
  for (;;) {
    const value = await fn();
    if (isDone(value, opts.until)) return value;
    if (deadline !== null && Date.now() + every > deadline) {
      throw new TimeoutError(`poll: not done after ${timeout} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
poll._currantKind = "poll";

function isDone(value, until) {
  if (until) return Boolean(until(value));
  return value !== null && value !== undefined && value !== false;
}

/**
 * @typedef {object} TaskOptions
 * @property {string} [name] task name (default: the function's)
 * @property {number} [retries] retries after the first attempt
 * @property {number} [maxAttempts] attempts in all (retries + 1)
 * @property {"exponential"|"fixed"} [backoff]
 * @property {number|string} [initialInterval] wait before the 2nd attempt (default 1s)
 * @property {number|string} [maxInterval] cap of any one wait (default 60s)
 * @property {number} [jitter] fraction each wait varies by (default 0.1)
 * @property {number|string} [totalTimeout] no new attempt after this
 * @property {number|string} [timeout] limit of one async attempt
 * @property {Array<Function|string>} [nonRetryable] error classes or names never retried
 */

/** A normalised retry policy (plain data). */
class RetryPolicy {
  /** @param {TaskOptions} o */
  constructor(o = {}) {
    if (o.retries !== undefined && o.maxAttempts !== undefined) {
      throw new TypeError("give retries or maxAttempts, not both");
    }
    this.maxAttempts = o.maxAttempts !== undefined ? o.maxAttempts : (o.retries !== undefined ? o.retries + 1 : 1);
    if (!(Number.isInteger(this.maxAttempts) && this.maxAttempts >= 1)) throw new RangeError("maxAttempts must be an integer >= 1");
    this.backoff = o.backoff || "exponential";
    if (this.backoff !== "exponential" && this.backoff !== "fixed") throw new RangeError('backoff must be "exponential" or "fixed"');
    this.initialInterval = parseDuration(o.initialInterval === undefined ? 1000 : o.initialInterval);
    this.maxInterval = parseDuration(o.maxInterval === undefined ? 60000 : o.maxInterval);
    this.jitter = o.jitter === undefined ? 0.1 : o.jitter;
    if (!(this.jitter >= 0 && this.jitter <= 1)) throw new RangeError("jitter must be between 0 and 1");
    this.totalTimeout = o.totalTimeout === undefined || o.totalTimeout === null ? null : parseDuration(o.totalTimeout);
    this.timeout = o.timeout === undefined || o.timeout === null ? null : parseDuration(o.timeout);
    this.nonRetryable = o.nonRetryable || [];
  }

  /** @param {number} attempt failed attempt number (1-based) @returns {number} ms */
  delay(attempt) {
    let base = this.initialInterval;
    if (this.backoff === "exponential") base *= 2 ** (attempt - 1);
    base = Math.min(base, this.maxInterval);
    if (this.jitter) base *= 1 + (Math.random() * 2 - 1) * this.jitter;
    return Math.max(0, Math.min(base, this.maxInterval));
  }

  /** @param {any} err @returns {boolean} */
  retryable(err) {
    for (const spec of this.nonRetryable) {
      if (typeof spec === "string") {
        if (err && (err.name === spec || (err.constructor && err.constructor.name === spec))) return false;
      } else if (err instanceof spec) {
        return false;
      }
    }
    return true;
  }

  /** @returns {object} the policy as JSON-able data */
  toJSON() {
    return {
      maxAttempts: this.maxAttempts, backoff: this.backoff, initialInterval: this.initialInterval,
      maxInterval: this.maxInterval, jitter: this.jitter, totalTimeout: this.totalTimeout,
      timeout: this.timeout, nonRetryable: this.nonRetryable.map((s) => (typeof s === "string" ? s : s.name)),
    };
  }
}

/**
 * Declares a task: task(fn) or task(options, fn).  The wrapper keeps fn's
 * name and arity, retries per the policy (synchronously for a function that
 * returns a plain value, asynchronously for one that returns a promise) and
 * is journaled attempt by attempt under the coordinator.
 * @template {Function} F
 * @param {F|TaskOptions} a
 * @param {F} [b]
 * @returns {F}
 */
function task(a, b) {
  const fn = typeof a === "function" ? a : b;
  const opts = typeof a === "function" ? (b && typeof b === "object" ? b : {}) : (a || {});
  if (typeof fn !== "function") throw new TypeError("task() needs a function");
  const policy = new RetryPolicy(opts);
  const name = opts.name || fn.name || "task";
  const wrapper = function (...args) {
    const session = state.session;
    if (session !== null) return session.runTask(wrapper, fn, this, args);
    return runAttempts(fn, this, args, policy);
  };
  Object.defineProperty(wrapper, "name", { value: fn.name });
  Object.defineProperty(wrapper, "length", { value: fn.length });
  wrapper.currantTask = policy;
  wrapper.currantTaskName = name;
  return /** @type {any} */ (wrapper);
}

function isThenable(v) {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof v.then === "function";
}

function withTimeout(promise, ms) {
  if (ms === null) return promise;
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`task attempt timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/**
 * Attempts fn under policy (pass-through mode); sync while fn returns plain
 * values, async from the first promise on.
 */
function runAttempts(fn, self, args, policy) {
  const start = Date.now();
  const deadline = policy.totalTimeout === null ? null : start + policy.totalTimeout;
  const limit = () => {
    if (deadline === null) return policy.timeout;
    const left = Math.max(0, deadline - Date.now());
    return policy.timeout === null ? left : Math.min(left, policy.timeout);
  };
  const mayRetry = (err, attempt, wait) =>
    attempt < policy.maxAttempts && policy.retryable(err) && (deadline === null || Date.now() + wait < deadline);
  const asyncFrom = async (attempt, first) => {
    let pending = first;
    for (;;) {
      try {
        return await withTimeout(Promise.resolve(pending), limit());
      } catch (err) {
        const wait = policy.delay(attempt);
        if (!mayRetry(err, attempt, wait)) throw err;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      attempt += 1;
      try {
        pending = Reflect.apply(fn, self, args);
      } catch (err) {
        pending = Promise.reject(err);
      }
    }
  };
  for (let attempt = 1; ; attempt += 1) {
    let value;
    try {
      value = Reflect.apply(fn, self, args);
    } catch (err) {
      const wait = policy.delay(attempt);
      if (!mayRetry(err, attempt, wait)) throw err;
      sleepSync(wait);
      continue;
    }
    if (isThenable(value)) return asyncFrom(attempt, value);
    return value;
  }
}

module.exports = {
  parseDuration, now, random, uuid, sleep, sleepSync, waitEvent, prompt, poll, task,
  RetryPolicy, runAttempts, isThenable, isDone,
};
