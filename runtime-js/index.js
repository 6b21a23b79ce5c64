"use strict";
// currant — the runtime that instrumented JavaScript calls.
//
// currantc rewrites every boundary call of a program (clock, randomness,
// environment, files, network, subprocesses, LLM prompts, the std API and
// user tasks) into _currant.call(SITE, fn, ...args) and friends, where
// _currant = require("currant").module("app/x.js").  This package
// implements that surface and the std API users write against: task,
// sleep, now, random, uuid, waitEvent, prompt and poll.
//
// Under the currant coordinator (a channel fd in CURRANT_FD) every boundary
// is a checkpoint: recorded outcomes are returned without running the call,
// new ones run and are journaled before the program goes on.  Without it
// the runtime is pass-through: each operation simply happens.
// No dependencies: the coordinator puts this folder on NODE_PATH itself.

const binding = require("./lib/binding");
const std = require("./lib/std");
const errors = require("./lib/errors");

module.exports = {
  module: binding.module,
  Module: binding.Module,
  Ref: binding.Ref,
  task: std.task,
  sleep: std.sleep,
  now: std.now,
  random: std.random,
  uuid: std.uuid,
  waitEvent: std.waitEvent,
  prompt: std.prompt,
  poll: std.poll,
  parseDuration: std.parseDuration,
  RetryPolicy: std.RetryPolicy,
  ...errors,
};

// Under the coordinator, connect now: before the program's first checkpoint.
// Without one the session (its codec, channel and recorders) is not loaded:
// a pass-through program's start-up does not pay for it.
if (process.env.CURRANT_FD !== undefined) require("./lib/session").connect(require("./lib/state"));
