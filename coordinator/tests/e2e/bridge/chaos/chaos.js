"use strict";
// Not instrumented: SIGKILLs this process the first time (marker file
// absent), or every time when marker is "".
const fs = require("node:fs");

exports.dieOnce = (marker) => {
  if (marker !== "" && fs.existsSync(marker)) return;
  if (marker !== "") fs.writeFileSync(marker, "died\n");
  process.kill(process.pid, "SIGKILL");
};
