"use strict";
// LLM prompts: render a template, call an OpenAI-compatible chat-completions
// endpoint, resolve to the answer.  See docs/PROMPTS.md.
//
// Recording is the binding's job (a prompt call is a checkpoint like any
// other boundary), so a replayed or resumed run never reaches this module
// for a prompt it already recorded.

const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const http = require("node:http");
const https = require("node:https");
const { spawn } = require("node:child_process");
const { fileURLToPath } = require("node:url");
const {
  PromptError, PromptConfigError, PromptHTTPError, PromptRateLimitError,
  PromptResponseError, PromptTimeoutError, PromptConnectionError,
} = require("./errors");

const DEFAULT_OPENAI_BASE = "https://api.openai.com/v1";
const DEFAULT_TIMEOUT_MS = 120000;
const DEFAULT_RETRIES = 3;
const LIB_DIR = __dirname;
const PKG_DIR = path.resolve(__dirname, "..");
const PKG_ENTRIES = new Set(["index.js", "index.mjs", "currant.js"].map((f) => path.join(PKG_DIR, f)));

// ------------------------------------------------------------- template

const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function asText(v) {
  if (typeof v === "string") return v;
  if (v !== null && typeof v === "object") {
    try { return JSON.stringify(v); } catch { return String(v); }
  }
  return String(v);
}

/**
 * `{name}` takes inputs[name]; `{{` and `}}` are literal braces; any other
 * brace is left as it is.  A missing input rejects with PromptError.
 */
function render(template, inputs) {
  return template.replace(PLACEHOLDER, (whole, name) => {
    if (whole === "{{") return "{";
    if (whole === "}}") return "}";
    if (!Object.prototype.hasOwnProperty.call(inputs, name)) {
      const given = Object.keys(inputs).sort().join(", ") || "none";
      throw new PromptError(`prompt template: no input named '${name}' (given: ${given})`);
    }
    return asText(inputs[name]);
  });
}

// -------------------------------------------------------- .prompt files

function scalar(raw) {
  const v = raw.trim();
  if (v.length >= 2 && v[0] === v[v.length - 1] && (v[0] === '"' || v[0] === "'")) return v.slice(1, -1);
  const low = v.toLowerCase();
  if (low === "true" || low === "false") return low === "true";
  if (low === "null" || low === "none" || low === "~") return null;
  if (/^[-+]?\d+$/.test(v)) return parseInt(v, 10);
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return parseFloat(v);
  return v;
}

/** Splits a .prompt file into [front matter, template body]. */
function parsePromptFile(text, where = "<prompt>") {
  const lines = text.split(/(?<=\n)/);
  if (lines.length === 0 || lines[0].trim() !== "---") return [{}, text];
  const meta = {};
  for (let i = 1; i < lines.length; i += 1) {
    const line = lines[i];
    if (line.trim() === "---") return [meta, lines.slice(i + 1).join("")];
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const at = line.indexOf(":");
    if (at < 0) throw new PromptError(`${where}:${i + 1}: front matter line is not 'key: value': ${JSON.stringify(line.trim())}`);
    meta[line.slice(0, at).trim()] = scalar(line.slice(at + 1));
  }
  throw new PromptError(`${where}: front matter opened with '---' is never closed`);
}

function isPromptPath(t) { return t.endsWith(".prompt") && !t.includes("\n"); }

/** The directory of the nearest calling frame outside this package, or null. */
function callerDir() {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  let stack;
  try { stack = String(new Error().stack || ""); } finally { Error.stackTraceLimit = limit; }
  for (const raw of stack.split("\n").slice(1)) {
    const line = raw.trim().replace(/^at\s+/, "");
    let loc = line;
    const open = line.lastIndexOf("(");
    if (line.endsWith(")") && open >= 0) loc = line.slice(open + 1, -1);
    loc = loc.replace(/:\d+:\d+$/, "");
    let file = loc;
    if (file.startsWith("file://")) {
      try { file = fileURLToPath(file); } catch { continue; }
    }
    if (!path.isAbsolute(file)) continue;
    if (file.startsWith(LIB_DIR + path.sep) || PKG_ENTRIES.has(file)) continue;
    return path.dirname(file);
  }
  return null;
}

/** Finds and reads a .prompt file: absolute, beside the caller, or in the cwd. */
function loadPromptFile(p, base) {
  const tried = [];
  if (path.isAbsolute(p)) tried.push(p);
  else {
    if (base) tried.push(path.join(base, p));
    tried.push(path.resolve(p));
  }
  for (const f of tried) {
    let text;
    try { text = fs.readFileSync(f, "utf8"); } catch { continue; }
    const [meta, body] = parsePromptFile(text, f);
    return { meta, body, file: f };
  }
  throw new PromptError(`prompt file '${p}' not found (tried: ${tried.join(", ")})`);
}

// -------------------------------------------------------- configuration

function env(...names) {
  for (const n of names) if (process.env[n]) return process.env[n];
  return null;
}

/** [base URL, API key] from the environment (see docs/PROMPTS.md). */
function endpoint() {
  let base = env("CURRANT_LLM_BASE_URL", "OPENAI_BASE_URL");
  const key = env("CURRANT_LLM_API_KEY", "OPENAI_API_KEY");
  if (base === null && key !== null) base = DEFAULT_OPENAI_BASE;
  if (base === null) {
    throw new PromptConfigError(
      "no model endpoint configured: set CURRANT_LLM_BASE_URL (or OPENAI_BASE_URL), " +
      "CURRANT_LLM_API_KEY (or OPENAI_API_KEY) and CURRANT_LLM_MODEL, or CURRANT_PROMPT_CMD for a local command");
  }
  return [base.replace(/\/+$/, ""), key];
}

// ------------------------------------------------------------------ HTTP

function retryAfterMs(v) {
  if (!v) return null;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, n * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - Date.now());
}

function excerpt(s, n = 300) {
  const t = String(s).trim();
  return t.length <= n ? t : t.slice(0, n) + "...";
}

/** 429, 5xx (and 408), timeouts and connection failures are retried. */
function retryable(err) {
  if (err instanceof PromptTimeoutError || err instanceof PromptConnectionError || err instanceof PromptRateLimitError) return true;
  if (err instanceof PromptHTTPError) return err.status >= 500 || err.status === 408;
  return false;
}

function content(url, raw) {
  let doc;
  try { doc = JSON.parse(raw); } catch {
    throw new PromptResponseError(`${url}: response is not JSON: ${excerpt(raw)}`);
  }
  const c = doc && doc.choices && doc.choices[0] && doc.choices[0].message ? doc.choices[0].message.content : undefined;
  if (typeof c !== "string") {
    throw new PromptResponseError(`${url}: response has no string choices[0].message.content: ${excerpt(raw)}`);
  }
  return c;
}

function post(url, key, body, timeoutMs) {
  return new Promise((resolve, reject) => {
    let u;
    try { u = new URL(url); } catch { reject(new PromptConfigError(`bad endpoint URL: ${url}`)); return; }
    const data = Buffer.from(JSON.stringify(body), "utf8");
    const headers = { "Content-Type": "application/json", Accept: "application/json", "Content-Length": data.length };
    if (key) headers.Authorization = "Bearer " + key;
    const mod = u.protocol === "https:" ? https : http;
    let settled = false;
    let timer = null;
    const done = (fn, v) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      fn(v);
    };
    const req = mod.request(u, { method: "POST", headers, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("error", (e) => done(reject, new PromptConnectionError(`${url}: ${e.message}`)));
      res.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode;
        if (status === 429) {
          done(reject, new PromptRateLimitError(`rate limited: ${url}: HTTP 429: ${excerpt(raw)}`,
            { status, body: excerpt(raw, 2000), retryAfter: retryAfterMs(res.headers["retry-after"]) }));
        } else if (status < 200 || status >= 300) {
          done(reject, new PromptHTTPError(`${url}: HTTP ${status}: ${excerpt(raw)}`, { status, body: excerpt(raw, 2000) }));
        } else {
          try { done(resolve, content(url, raw)); } catch (e) { done(reject, e); }
        }
      });
    });
    req.on("error", (e) => done(reject, new PromptConnectionError(`${url}: ${e.message}`)));
    if (timeoutMs !== null && timeoutMs !== undefined) {
      timer = setTimeout(() => {
        done(reject, new PromptTimeoutError(`${url}: no answer within ${timeoutMs} ms`));
        req.destroy();
      }, timeoutMs);
    }
    req.end(data);
  });
}

/** POSTs under policy: retried on 429/5xx/timeouts, waiting Retry-After. */
async function requestWithPolicy(url, key, body, policy) {
  const deadline = policy.totalTimeout === null ? null : Date.now() + policy.totalTimeout;
  for (let attempt = 1; ; attempt += 1) {
    let limit = policy.timeout;
    if (deadline !== null) {
      const left = Math.max(1, deadline - Date.now());
      limit = limit === null ? left : Math.min(limit, left);
    }
    let wait;
    try {
      return await post(url, key, body, limit);
    } catch (err) {
      if (attempt >= policy.maxAttempts || !retryable(err) || !policy.retryable(err)) throw err;
      wait = err.retryAfter !== null && err.retryAfter !== undefined ? err.retryAfter : policy.delay(attempt);
      if (deadline !== null && Date.now() + wait >= deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}

// ----------------------------------------------------------------- cache

function cacheDir(cache) {
  if (cache === false) return null;
  if (typeof cache === "string") return cache;
  return env("CURRANT_PROMPT_CACHE");
}

function canonical(v) {
  if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
  if (v !== null && typeof v === "object") {
    return "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" + canonical(v[k])).join(",") + "}";
  }
  return JSON.stringify(v);
}

function cacheKey(model, messages, params) {
  return crypto.createHash("sha256").update(canonical({ model, messages, params }), "utf8").digest("hex");
}

function cacheGet(dir, key) {
  try {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, key.slice(0, 2), key + ".json"), "utf8"));
    return typeof doc.content === "string" ? doc.content : null;
  } catch { return null; }
}

let tmpSeq = 0;
function cachePut(dir, key, model, text) {
  const sub = path.join(dir, key.slice(0, 2));
  fs.mkdirSync(sub, { recursive: true });
  const file = path.join(sub, key + ".json");
  const tmp = `${file}.${process.pid}.${(tmpSeq += 1)}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, JSON.stringify({ model, content: text }));
    fs.fsyncSync(fd);
  } finally { fs.closeSync(fd); }
  fs.renameSync(tmp, file);
}

// ------------------------------------------------------------------ main

function runCommand(cmd, text, model, system) {
  const envv = { ...process.env };
  if (model) envv.CURRANT_MODEL = model;
  if (system) envv.CURRANT_SYSTEM = system;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, { shell: true, env: envv, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (b) => { out += b; });
    child.stderr.on("data", (b) => { err += b; });
    child.on("error", reject);
    // A command that exits without reading its input is judged by its exit
    // status, not by the EPIPE our write then gets.
    child.stdin.on("error", () => {});
    child.on("close", (code) => {
      if (code === 0) resolve(out.trim());
      else reject(new PromptError(`prompt command failed (${code}): ${err.trim().slice(0, 500)}`));
    });
    child.stdin.end(text);
  });
}

const OPTION_KEYS = new Set(["model", "system"]);

/**
 * @param {string} template
 * @param {object} inputs
 * @param {object} opts  model, system, temperature, maxTokens, params,
 *   retries, timeout, retry (RetryPolicy), cache (dir | false)
 * @param {string|null} baseDir  the caller's directory
 * @param {Function} RetryPolicy
 */
async function promptImpl(template, inputs, opts, baseDir, RetryPolicy) {
  if (typeof template !== "string") throw new TypeError("prompt template must be a string");
  let meta = {};
  if (isPromptPath(template)) {
    const f = loadPromptFile(template, baseDir);
    meta = f.meta;
    template = f.body;
  }
  const text = render(template, inputs || {});
  const model = opts.model || meta.model || env("CURRANT_LLM_MODEL");
  const system = opts.system !== undefined && opts.system !== null ? opts.system : meta.system;
  const params = {};
  for (const [k, v] of Object.entries(meta)) if (!OPTION_KEYS.has(k) && v !== null) params[k] = v;
  const given = { temperature: opts.temperature, max_tokens: opts.maxTokens, ...(opts.params || {}) };
  for (const [k, v] of Object.entries(given)) if (v !== undefined && v !== null) params[k] = v;

  const cmd = process.env.CURRANT_PROMPT_CMD;
  if (cmd) return runCommand(cmd, text, model, system);

  const [base, key] = endpoint();
  if (!model) throw new PromptConfigError("no model given: set CURRANT_LLM_MODEL, put 'model:' in the .prompt file or pass {model}");
  const messages = [];
  if (system) messages.push({ role: "system", content: String(system) });
  messages.push({ role: "user", content: text });

  const dir = cacheDir(opts.cache);
  let ckey = null;
  if (dir) {
    ckey = cacheKey(String(model), messages, params);
    const hit = cacheGet(dir, ckey);
    if (hit !== null) return hit;
  }
  let policy = opts.retry;
  if (!policy) {
    const retries = opts.retries !== undefined ? opts.retries : Number(env("CURRANT_PROMPT_RETRIES") || DEFAULT_RETRIES);
    const timeout = opts.timeout !== undefined ? opts.timeout : Number(env("CURRANT_PROMPT_TIMEOUT") || DEFAULT_TIMEOUT_MS / 1000) * 1000;
    policy = new RetryPolicy({ retries, timeout, initialInterval: 1000, maxInterval: 60000 });
  }
  const answer = await requestWithPolicy(base + "/chat/completions", key, { model, messages, ...params }, policy);
  if (dir) {
    try { cachePut(dir, ckey, String(model), answer); } catch { /* a missed saving only */ }
  }
  return answer;
}

module.exports = { promptImpl, render, parsePromptFile, callerDir, cacheKey, retryable };
