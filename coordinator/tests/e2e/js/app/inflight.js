const _currant = require("currant").module("app/inflight.js");
// A slow call still running while the script goes on past later
// checkpoints (npm's log cleanup).  Killed after those, the resume runs the
// slow call again (it never committed), but what the script printed before
// the later checkpoints was printed: it must not print again.
const fs = require("fs");
const slow = (name) =>
  new Promise((resolve) =>
    setTimeout(() => {
      fs.appendFileSync(process.env.SIDE, name + "\n");
      resolve(name);
    }, 300),
  );
const cleanup = _currant.call(0, slow, "cleanup");
console.log("report");
const first = _currant.call(1, Date.now);
console.log("done", first > 0);
_currant.call(2, Date.now);
cleanup.then((name) => console.log(name, "finished"));
