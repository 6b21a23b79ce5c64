"use strict";
// prompt() against a fake OpenAI-compatible server on 127.0.0.1.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const http = require("node:http");
const currant = require("..");
const { render, parsePromptFile, callerDir } = require("../lib/prompt");

const VARS = ["CURRANT_LLM_BASE_URL", "CURRANT_LLM_API_KEY", "CURRANT_LLM_MODEL", "OPENAI_BASE_URL",
  "OPENAI_API_KEY", "CURRANT_PROMPT_CMD", "CURRANT_PROMPT_CACHE", "CURRANT_PROMPT_RETRIES", "CURRANT_PROMPT_TIMEOUT"];
const FAST = new currant.RetryPolicy({ maxAttempts: 3, initialInterval: 10, maxInterval: 50, jitter: 0, timeout: 5000 });

function completion(content) {
  return JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content } }] });
}

/** The fake server: `requests` received, `script` of canned replies first. */
function fakeServer() {
  const srv = { requests: [], headers: [], script: [] };
  srv.server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      let body = null;
      try { body = JSON.parse(Buffer.concat(chunks).toString()); } catch { /* kept null */ }
      srv.requests.push(body);
      srv.headers.push(req.headers);
      const step = srv.script.shift();
      const send = (status, headers, data) => {
        res.writeHead(status, { "Content-Type": "application/json", ...headers });
        res.end(data);
      };
      if (req.url !== "/v1/chat/completions") return send(404, {}, '{"error":"not found"}');
      if (step && step[0] === "sleep") return setTimeout(() => send(200, {}, completion("late")), step[1]);
      if (step) return send(...step);
      const msgs = (body && body.messages) || [{}];
      return send(200, {}, completion(`[${body && body.model}] ${msgs[msgs.length - 1].content}`));
    });
  });
  return new Promise((resolve) => {
    srv.server.listen(0, "127.0.0.1", () => {
      srv.base = `http://127.0.0.1:${srv.server.address().port}/v1`;
      resolve(srv);
    });
  });
}

let srv;
let saved;
let tmp;
test.beforeEach(async () => {
  saved = {};
  for (const k of VARS) { saved[k] = process.env[k]; delete process.env[k]; }
  srv = await fakeServer();
  process.env.CURRANT_LLM_BASE_URL = srv.base;
  process.env.CURRANT_LLM_API_KEY = "sk-test";
  process.env.CURRANT_LLM_MODEL = "m1";
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "currant-prompt-"));
});
test.afterEach(async () => {
  srv.server.closeAllConnections();
  await new Promise((r) => srv.server.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const k of VARS) { if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k]; }
});

test("prompt: success and request shape", async () => {
  const out = await currant.prompt("Summarise {x} and {y}", { x: 1, y: { a: [1] } }, { temperature: 0.2, retry: FAST });
  assert.equal(out, '[m1] Summarise 1 and {"a":[1]}');
  const body = srv.requests[0];
  assert.equal(body.model, "m1");
  assert.equal(body.temperature, 0.2);
  assert.ok(!("max_tokens" in body));
  assert.deepEqual(body.messages, [{ role: "user", content: 'Summarise 1 and {"a":[1]}' }]);
  assert.equal(srv.headers[0].authorization, "Bearer sk-test");
});

test("prompt: template rendering", async () => {
  assert.equal(render("{{x}} {x} {} { x } {1}", { x: "v" }), "{x} v {} { x } {1}");
  assert.equal(render("a}}b{{", {}), "a}b{");
  assert.throws(() => render("{missing}", { x: 1 }), currant.PromptError);
  await assert.rejects(currant.prompt("{nope}", {}, { retry: FAST }), /no input named 'nope'/);
  assert.equal(srv.requests.length, 0);
});

test("prompt: OPENAI_* fallbacks and precedence", async () => {
  delete process.env.CURRANT_LLM_BASE_URL;
  delete process.env.CURRANT_LLM_API_KEY;
  process.env.OPENAI_BASE_URL = srv.base + "/";
  process.env.OPENAI_API_KEY = "sk-openai";
  assert.equal(await currant.prompt("hi", {}, { retry: FAST }), "[m1] hi");
  assert.equal(srv.headers[0].authorization, "Bearer sk-openai");
  process.env.CURRANT_LLM_API_KEY = "sk-currant";
  await currant.prompt("hi", {}, { retry: FAST });
  assert.equal(srv.headers[1].authorization, "Bearer sk-currant");
});

test("prompt: nothing configured is a clear error", async () => {
  for (const k of VARS) delete process.env[k];
  await assert.rejects(currant.prompt("hi"), (e) => e instanceof currant.PromptConfigError &&
    e.code === "config" && /CURRANT_LLM_BASE_URL/.test(e.message) && /OPENAI_API_KEY/.test(e.message));
  process.env.CURRANT_LLM_BASE_URL = srv.base;
  await assert.rejects(currant.prompt("hi"), /CURRANT_LLM_MODEL/);
  assert.equal(srv.requests.length, 0);
});

test("prompt: .prompt file with front matter", async () => {
  const file = path.join(tmp, "summary.prompt");
  fs.writeFileSync(file, '---\nmodel: file-model\ntemperature: 0.5\nmax_tokens: 64\nsystem: "Be brief."\n---\nSummarise {text}.\n');
  assert.equal(await currant.prompt(file, { text: "the day" }, { retry: FAST }), "[file-model] Summarise the day.\n");
  const body = srv.requests[0];
  assert.equal(body.temperature, 0.5);
  assert.equal(body.max_tokens, 64);
  assert.deepEqual(body.messages[0], { role: "system", content: "Be brief." });
  await currant.prompt(file, { text: "x" }, { model: "arg-model", temperature: 0, retry: FAST });
  assert.equal(srv.requests[1].model, "arg-model");
  assert.equal(srv.requests[1].temperature, 0);
  assert.equal(callerDir(), __dirname);
  const old = process.cwd();
  process.chdir(tmp);
  try {
    assert.equal(await currant.prompt("summary.prompt", { text: "cwd" }, { retry: FAST }), "[file-model] Summarise cwd.\n");
  } finally { process.chdir(old); }
  await assert.rejects(currant.prompt("nowhere.prompt"), /not found/);
  assert.deepEqual(parsePromptFile("no front matter {x}"), [{}, "no front matter {x}"]);
  assert.throws(() => parsePromptFile("---\nmodel: x\n"), /never closed/);
});

test("prompt: 429 then success honours Retry-After", async () => {
  srv.script.push([429, { "Retry-After": "1" }, '{"error":"slow down"}']);
  const t0 = Date.now();
  assert.equal(await currant.prompt("hi", {}, { retry: FAST }), "[m1] hi");
  assert.ok(Date.now() - t0 >= 900, `waited ${Date.now() - t0} ms`);
  assert.equal(srv.requests.length, 2);
});

test("prompt: 500 exhausted is a PromptHTTPError", async () => {
  for (let i = 0; i < 3; i += 1) srv.script.push([500, {}, '{"error":"boom"}']);
  await assert.rejects(currant.prompt("hi", {}, { retry: FAST }), (e) =>
    e instanceof currant.PromptHTTPError && e.status === 500 && /HTTP 500/.test(e.message) && /boom/.test(e.message));
  assert.equal(srv.requests.length, 3);
});

test("prompt: 4xx is not retried", async () => {
  srv.script.push([400, {}, '{"error":"bad request"}']);
  await assert.rejects(currant.prompt("hi", {}, { retry: FAST }), (e) => e.code === "http" && e.status === 400);
  assert.equal(srv.requests.length, 1);
});

test("prompt: malformed responses", async () => {
  srv.script.push([200, {}, "not json"], [200, {}, '{"choices": []}']);
  await assert.rejects(currant.prompt("hi", {}, { retry: FAST }), currant.PromptResponseError);
  await assert.rejects(currant.prompt("hi", {}, { retry: FAST }), /choices\[0\]\.message\.content/);
  assert.equal(srv.requests.length, 2);
});

test("prompt: timeout", async () => {
  srv.script.push(["sleep", 1000], ["sleep", 1000]);
  const pol = new currant.RetryPolicy({ maxAttempts: 2, initialInterval: 10, jitter: 0, timeout: 200 });
  await assert.rejects(currant.prompt("hi", {}, { retry: pol }), (e) => e instanceof currant.PromptTimeoutError && e.code === "timeout");
  assert.equal(srv.requests.length, 2);
});

test("prompt: opt-in cache across runs", async () => {
  process.env.CURRANT_PROMPT_CACHE = tmp;
  const a = await currant.prompt("cached {x}", { x: 1 }, { retry: FAST });
  const b = await currant.prompt("cached {x}", { x: 1 }, { retry: FAST });
  assert.equal(a, b);
  assert.equal(srv.requests.length, 1);
  await currant.prompt("cached {x}", { x: 1 }, { temperature: 1, retry: FAST });
  await currant.prompt("cached {x}", { x: 1 }, { model: "m2", retry: FAST });
  assert.equal(srv.requests.length, 3);
  await currant.prompt("cached {x}", { x: 1 }, { cache: false, retry: FAST });
  assert.equal(srv.requests.length, 4);
});

test("prompt: CURRANT_PROMPT_CMD overrides the endpoint", async () => {
  process.env.CURRANT_PROMPT_CMD = "tr a-z A-Z";
  assert.equal(await currant.prompt("hello {x}", { x: "y" }), "HELLO Y");
  assert.equal(srv.requests.length, 0);
});
