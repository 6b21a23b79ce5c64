// ESM face of the currant runtime.  The CommonJS core holds the one copy of
// the state (the durable session, module bindings), so ESM and CommonJS
// modules of one program share it instead of each loading its own.
import { createRequire } from "node:module";

const core = createRequire(import.meta.url)("./index.js");

export const {
  module, Module, Ref, task, sleep, now, random, uuid, waitEvent, prompt,
  poll, parseDuration, CurrantError, NonDeterminismError, BridgeError,
  UnrecordableValueError, RunCancelled, TimeoutError, PromptError,
  PromptConfigError, PromptHTTPError, PromptRateLimitError, PromptResponseError,
  PromptTimeoutError, PromptConnectionError,
} = core;
export default core;
