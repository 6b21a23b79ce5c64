"use strict";
// The per-module binding that emitted code calls.
//
// Each instrumented file starts with
//   const _currant = require("currant").module("app/x.js");
// and every boundary call site becomes _currant.call(INDEX, fn, ...args),
// _currant.construct(INDEX, C, ...args), _currant.read(INDEX, obj, key) or
// _currant.tag(INDEX, tagFn)`...`; imports of Python modules become
// _currant.bridge("py", FILE, ASYNC_NAMES).  Method calls keep their receiver through
// ref(obj, key), which reads the property once, where the original
// expression read it.  Without a coordinator every operation simply happens
// (pass-through), at the cost of one property read.

const state = require("./state");

/** A method read off its receiver: `obj[key]` read once, `this` kept. */
class Ref {
  /**
   * @param {any} self the receiver (`this` of the eventual call)
   * @param {PropertyKey} key the property name, kept for messages
   * @param {any} fn the value of self[key] at ref time
   */
  constructor(self, key, fn) {
    this.self = self;
    this.key = key;
    this.fn = fn;
  }
}

/**
 * Calls fn (a function or a Ref) with args, as the original call would.
 * @param {any} fn
 * @param {any[]} args
 */
function invoke(fn, args) {
  if (fn instanceof Ref) {
    if (typeof fn.fn !== "function") {
      throw new TypeError(`${describe(fn.self)}.${String(fn.key)} is not a function`);
    }
    return Reflect.apply(fn.fn, fn.self, args);
  }
  if (typeof fn !== "function") throw new TypeError(`${describe(fn)} is not a function`);
  return Reflect.apply(fn, undefined, args);
}

function describe(v) {
  if (v === null || v === undefined) return String(v);
  if (typeof v === "function") return v.name || "function";
  if (typeof v === "object") return (v.constructor && v.constructor.name) || "object";
  return typeof v;
}

/** What `_currant` is bound to in one instrumented file. */
class Module {
  /** @param {string} rel the file's path relative to OUT */
  constructor(rel) {
    this.rel = rel;
    this._held = undefined;
  }

  /**
   * Performs fn(...args) as checkpoint `site` of this file.  A promise
   * result is recorded with the value it settles to.
   * @param {number} site
   * @param {Function|Ref} fn
   * @param {...any} args
   */
  call(site, fn, ...args) {
    const session = state.session;
    if (session === null) return invoke(fn, args);
    return session.call(this.rel, site, fn, args, invoke);
  }

  /**
   * Reads obj[key] once and keeps obj as the receiver of the later call.
   * @param {any} obj
   * @param {PropertyKey} key
   * @returns {Ref}
   */
  ref(obj, key) {
    return new Ref(obj, key, obj[key]);
  }

  /**
   * Performs `new C(...args)` as checkpoint `site`.
   * @param {number} site
   * @param {Function} C
   * @param {...any} args
   */
  construct(site, C, ...args) {
    const session = state.session;
    if (session === null) return Reflect.construct(C, args);
    return session.call(this.rel, site, C, args, (c, a) => Reflect.construct(c, a), "construct");
  }

  /**
   * Returns a template tag that performs tagFn`...` as checkpoint `site`.
   * @param {number} site
   * @param {Function|Ref} tagFn
   * @returns {(strings: TemplateStringsArray, ...subs: any[]) => any}
   */
  tag(site, tagFn) {
    return (strings, ...subs) => this.call(site, tagFn, strings, ...subs);
  }

  /**
   * Performs the read obj[key] (`process.env.K`) as checkpoint `site`.
   * @param {number} site
   * @param {any} obj
   * @param {PropertyKey} key
   */
  read(site, obj, key) {
    const session = state.session;
    if (session === null) return obj[key];
    return session.read(this.rel, site, obj, key);
  }

  /**
   * The module `file` (relative to the build root) of the other runtime
   * `lang`, as a proxy whose properties are its functions.
   * @param {string} lang "py"
   * @param {string} file
   * @param {string[]} [asyncNames] its async functions
   */
  bridge(lang, file, asyncNames = []) {
    const { bridgeModule, rootOf } = require("./bridge");
    return bridgeModule(lang, file, asyncNames, rootOf(this.rel, Module.prototype.bridge));
  }

  /**
   * Stores v in the single slot of optional-chain lowering and returns it.
   * @template T
   * @param {T} v
   * @returns {T}
   */
  hold(v) {
    this._held = v;
    return v;
  }

  /** Returns the value last given to hold(). */
  held() {
    return this._held;
  }
}

/** @type {Map<string, Module>} */
const modules = new Map();

/**
 * Returns the (cached) binding of the instrumented file `rel`.
 * @param {string} rel
 * @returns {Module}
 */
function module_(rel) {
  let m = modules.get(rel);
  if (m === undefined) {
    m = new Module(rel);
    modules.set(rel, m);
  }
  return m;
}

module.exports = { Module, Ref, invoke, module: module_ };
