// unrecordable-boundary: results the journal cannot encode.
const fs = require("fs");
const { spawn, execSync, exec } = require("node:child_process");
const http = require("http");

function run(path) {
  const req = http.request("http://localhost/"); // expect: unrecordable-boundary
  // Recordable: strings, buffers, plain objects, booleans, fs.Stats and
  // fs.Dirent (rebuilt on replay), what a callback gets, file streams and
  // handles (runtime-js/lib/streams.js, files.js).
  const input = fs.createReadStream(path);
  const log = fs.createWriteStream(path + ".log");
  const child = spawn("ls");
  const bare = exec("ls");
  exec("ls", (err, listing) => listing);
  http.get("http://localhost/", (res) => res.resume());
  fs.watch(path, () => {}); // expect: unrecordable-boundary
  const st = fs.statSync(path);
  const entries = fs.readdirSync(".", { withFileTypes: true });
  const text = fs.readFileSync(path, "utf8");
  const names = fs.readdirSync(".");
  const out = execSync("ls");
  const there = fs.existsSync(path);
  return [input, log, child, bare, st, req, entries, text, names, out, there];
}

run("x");
