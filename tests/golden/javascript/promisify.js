// util.promisify of a catalogued callback API: calls of the promise form
// are the API's calls (checkpoints), under any spelling of promisify.
const util = require("util");
const { promisify } = require("node:util");
const cp = require("child_process");
const fs = require("fs");
const run = promisify(cp.execFile);
const read = util.promisify(fs.readFile);
const exec = require("util").promisify(cp.exec);
const wait = promisify(setTimeout); // not a boundary: resolved, not a site
const odd = promisify(pick()); // not a reference: left unresolved

async function main() {
  const { stdout } = await run("ls", ["-1"]);
  const text = await read("a.txt", "utf8");
  await exec("true");
  await wait(5);
  const stats = await promisify(fs.stat)("a.txt"); // called at once
  await util.promisify(pick)(); // a definition: resolved to it, not a site
  return [stdout, text, stats, odd];
}

function pick() {
  return fs.readFile;
}

module.exports = { main };
