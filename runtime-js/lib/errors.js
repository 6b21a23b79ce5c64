"use strict";
// Errors the runtime raises on its own account.  Errors thrown by boundary
// calls themselves are never wrapped: they reach the script as they are,
// live or replayed.  Errors of the other runtime (a bridge call into
// Python) become BridgeError subclasses named after the Python type.

/** Base class of the runtime's own errors. */
class CurrantError extends Error {
  constructor(message) { super(message); this.name = this.constructor.name; }
}
/** A resumed or replayed run reached a different site than it recorded. */
class NonDeterminismError extends CurrantError {}
/** A boundary returned a value the journal cannot encode. */
class UnrecordableValueError extends CurrantError {}
/** The run was cancelled with `currant cancel`. */
class RunCancelled extends CurrantError {}
/**
 * A call into the other runtime failed (docs/BRIDGE.md): the worker died,
 * or the call re-entered a worker already on the stack.  Errors raised by
 * the Python function are subclasses named after the Python type.
 */
class BridgeError extends CurrantError {}

/** @type {Map<string, typeof BridgeError>} */
const bridged = new Map();

/**
 * The BridgeError subclass standing for the Python exception type `name`
 * (one per name, so a replayed error has the class the live one had).
 * @param {string} name
 * @returns {typeof BridgeError}
 */
function bridgedErrorClass(name) {
  let C = bridged.get(name);
  if (C === undefined) {
    C = { [name]: class extends BridgeError {} }[name];
    bridged.set(name, C);
  }
  return C;
}

/** An attempt, a poll or a wait ran out of time. */
class TimeoutError extends Error {
  constructor(message) { super(message); this.name = "TimeoutError"; }
}

/**
 * A prompt call failed (see docs/PROMPTS.md).  `code` says how: "prompt"
 * (template, file or command), "config", "http", "rate_limit", "response",
 * "timeout", "connection"; HTTP errors carry `status` and `body`, a 429
 * `retryAfter` (ms).
 */
class PromptError extends CurrantError {
  constructor(message, extra = {}) {
    super(message);
    this.code = new.target.code;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.body !== undefined) this.body = extra.body;
    if (extra.retryAfter !== undefined) this.retryAfter = extra.retryAfter;
  }
}
PromptError.code = "prompt";
/** No endpoint or model is configured. */
class PromptConfigError extends PromptError {}
PromptConfigError.code = "config";
/** The endpoint answered with an HTTP error. */
class PromptHTTPError extends PromptError {}
PromptHTTPError.code = "http";
/** HTTP 429 (retryAfter: the server's Retry-After in ms, or null). */
class PromptRateLimitError extends PromptHTTPError {}
PromptRateLimitError.code = "rate_limit";
/** The endpoint's answer is not a chat completion. */
class PromptResponseError extends PromptError {}
PromptResponseError.code = "response";
/** No answer within the attempt's timeout. */
class PromptTimeoutError extends PromptError {}
PromptTimeoutError.code = "timeout";
/** The endpoint could not be reached. */
class PromptConnectionError extends PromptError {}
PromptConnectionError.code = "connection";

module.exports = {
  CurrantError, NonDeterminismError, UnrecordableValueError, RunCancelled,
  BridgeError, bridgedErrorClass, TimeoutError, PromptError, PromptConfigError, PromptHTTPError,
  PromptRateLimitError, PromptResponseError, PromptTimeoutError,
  PromptConnectionError,
};
