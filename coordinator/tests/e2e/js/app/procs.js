// Child processes started with spawn / exec (no callback) across a crash:
// each runs once (it appends a line to DATA.side), and a resumed run gets
// what the recorded ones printed and how they ended.
const _currant = require("currant").module("app/procs.js"); const { spawn, exec } = require("child_process");
const fs = require("fs");

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const p = _currant.call(0, spawn, cmd, args);
    let out = "";
    p.stdout.on("data", (chunk) => (out += chunk));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code, out }));
  });
}

async function main(side) {
  const a = await run("sh", ["-c", `echo one; echo ran >> ${side}`]);
  console.log("a", a.code, JSON.stringify(a.out));
  const b = await run("sh", ["-c", `echo two; echo ran >> ${side}; exit 3`]);
  console.log("b", b.code, JSON.stringify(b.out));
  const c = await run("no-such-command-xyz", []).catch((err) => ({ code: err.code }));
  console.log("c", c.code);
  const d = _currant.call(1, exec, `echo three; echo ran >> ${side}`);
  let dout = "";
  d.stdout.setEncoding("utf8");
  d.stdout.on("data", (chunk) => (dout += chunk));
  const [dcode] = await new Promise((resolve) => d.on("close", (...got) => resolve(got)));
  console.log("d", dcode, JSON.stringify(dout), _currant.call(2, _currant.ref(Date, "now")) > 0);
  console.log("side", JSON.stringify(_currant.call(3, _currant.ref(fs, "readFileSync"), side, "utf8")));
}

main(_currant.read(4, process.env, "DATA") + ".side");
