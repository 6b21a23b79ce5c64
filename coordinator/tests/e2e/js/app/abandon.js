const _currant = require("currant").module("app/abandon.js");
// Calls still running when the script exits, as npm leaves its log file's
// fs.rm: a promise that never settles and a callback not yet called (a
// child process still sleeping).  The run records them abandoned; a replay
// reaches them where the run did, and they do not settle there either.
const fs = require("fs");
const { exec } = require("child_process");
const forever = (name) =>
  new Promise(() => {
    fs.appendFileSync(process.env.SIDE, name + "\n");
  });
_currant.call(0, forever, "promise");
_currant.call(1, exec, "sleep 3", () => console.log("the child ended"));
console.log("clock read", _currant.call(2, Date.now) > 0);
process.exit(0);
