#!/usr/bin/env node
"use strict";
// The JavaScript bridge worker: runs JS functions for Python
// (docs/BRIDGE.md, "At run time").
//
// Started by the coordinator (CURRANT_FD: a durable session like the
// script's, CURRANT_WORKER=1) or, without one, by the Python runtime
// itself (CURRANT_BRIDGE_FD: a plain channel, nothing journaled).  Either
// way CURRANT_ROOT is the build root and each message is
// {"op": "invoke", file, fn, args, key}: the module is loaded from the
// root (once; CommonJS or ESM), the function runs in the frame of key (so
// its boundaries get keys key.0, key.1, ...), is awaited if it returns a
// promise, and the answer is {"op": "result", ok: true, value, async} or
// {"op": "result", ok: false, error}.  The worker ends when its channel
// closes.

const path = require("node:path");
const { pathToFileURL } = require("node:url");
require("../index.js"); // under the coordinator: connects the session
const state = require("../lib/state");
const codec = require("../lib/codec");
const { Channel } = require("../lib/channel");
const { Frame } = require("../lib/session");
const { UnrecordableValueError } = require("../lib/errors");

const root = path.resolve(process.env.CURRANT_ROOT || process.cwd());
/** @type {Map<string, any>} */
const modules = new Map();

/**
 * Runs f in frame (under a session), else just runs it.
 * @param {any} frame
 * @param {() => any} f
 */
function inFrame(frame, f) {
  const session = state.session;
  return session === null ? f() : session.als.run(frame, f);
}

/**
 * Loads `file` (relative to the root) once: require, or import() for ESM.
 * Its import-time boundaries take keys under "@FILE.", the same whichever
 * call first needs it.
 * @param {string} file
 */
async function load(file) {
  let mod = modules.get(file);
  if (mod === undefined) {
    const abs = path.join(root, file);
    mod = await inFrame(new Frame(`@${file}.`), async () => {
      if (abs.endsWith(".mjs")) return import(pathToFileURL(abs).href);
      try {
        return require(abs);
      } catch (err) {
        if (err && err.code === "ERR_REQUIRE_ESM") return import(pathToFileURL(abs).href);
        throw err;
      }
    });
    modules.set(file, mod);
  }
  return mod;
}

/**
 * The function `name` of a loaded module (an export, or a property of the
 * default export).
 * @param {any} mod
 * @param {string} file
 * @param {string} name
 */
function exported(mod, file, name) {
  let fn = mod === null || mod === undefined ? undefined : mod[name];
  if (fn === undefined && mod && mod.default) fn = mod.default[name];
  if (typeof fn !== "function") throw new TypeError(`${file} exports no function ${name}`);
  return fn;
}

/**
 * One invoke: the result message to answer.
 * @param {any} msg
 */
async function invoke(msg) {
  const session = state.session;
  const file = String(msg.file);
  const name = String(msg.fn);
  try {
    const fn = exported(await load(file), file, name);
    const args = codec.decode(msg.args || []);
    const frame = session === null ? null : session.beginInvocation(String(msg.key), file, fn, Boolean(msg.mute));
    let value;
    let isAsync = false;
    try {
      value = inFrame(frame, () => Reflect.apply(fn, undefined, args));
      if (value !== null && typeof value === "object" && typeof value.then === "function") {
        isAsync = true;
        value = await value;
      }
    } finally {
      if (session !== null) session.unmute();
    }
    let encoded;
    try {
      encoded = codec.encode(value);
    } catch (err) {
      throw new UnrecordableValueError(`${file}:${name} returned ${err.message}`);
    }
    return { op: "result", ok: true, value: encoded, async: isAsync };
  } catch (err) {
    return { op: "result", ok: false, error: codec.encodeError(err) };
  }
}

/** The session's channel, or the one the Python runtime gave us. */
function channel() {
  if (state.session !== null) return state.session.chan;
  const fd = Number(process.env.CURRANT_BRIDGE_FD);
  delete process.env.CURRANT_BRIDGE_FD;
  return new Channel(fd);
}

async function main() {
  const chan = channel();
  for (;;) {
    let msg;
    try {
      msg = chan.recv();
    } catch {
      break; // the channel closed: the caller is done
    }
    if (msg.op !== "invoke") {
      process.stderr.write(`currant worker: unexpected message ${JSON.stringify(msg.op)}\n`);
      process.exit(70);
    }
    chan.send(await invoke(msg));
  }
  process.exit(0);
}

main();
