"use strict";
// Errors the runtime raises on its own account.  Errors thrown by boundary
// calls themselves are never wrapped: they reach the script as they are,
// live or replayed.

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
/** An attempt, a poll or a wait ran out of time. */
class TimeoutError extends Error {
  constructor(message) { super(message); this.name = "TimeoutError"; }
}

module.exports = {
  CurrantError, NonDeterminismError, UnrecordableValueError, RunCancelled,
  TimeoutError,
};
