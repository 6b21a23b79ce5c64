const { execSync, spawn } = require("child_process");
const cp = require("node:child_process");

function run(cmd) {
  const out = execSync(cmd).toString();
  spawn("ls", ["-l"]);
  cp.exec("true", () => {});
  return out;
}
module.exports.run = run;
