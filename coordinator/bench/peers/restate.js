// coordinator/bench/peers/restate.js PORT [crash] — the Restate peer of
// coordinator/bench/steps.js: an HTTP/2 endpoint serving the workflow
// "steps", whose run(N) makes N sequential no-op ctx.run steps.  Run by
// peers.py against a restate-server it started; NODE_PATH holds the pinned
// @restatedev/restate-sdk (build/bench-peers/node_modules).
//
// With "crash", run() prints "record MS" (the N steps, timed inside the
// handler) and the process exits before the invocation completes; the
// server retries it on the next endpoint (started without "crash"), whose
// run() replays the N journaled steps and prints "replay MS".
"use strict";
// The SDK calls Promise.withResolvers, which Node 20 lacks (Node >= 22 has it).
if (!Promise.withResolvers) {
  Promise.withResolvers = function () {
    let resolve, reject;
    const promise = new this((a, b) => {
      resolve = a;
      reject = b;
    });
    return { promise, resolve, reject };
  };
}
const restate = require("@restatedev/restate-sdk");

const port = Number(process.argv[2]);
const crash = process.argv[3] === "crash";

const steps = restate.workflow({
  name: "steps",
  handlers: {
    run: async (ctx, n) => {
      const t = process.hrtime.bigint();
      let total = 0;
      for (let i = 0; i < n; i++) total += await ctx.run("step", async () => i);
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      console.log(`${crash ? "record" : "replay"} ${ms.toFixed(3)} ${total}`);
      if (crash) process.exit(0); // the server retries: the next endpoint replays
      return total;
    },
  },
});

restate.serve({ services: [steps], port }).then((p) => console.log(`listening ${p}`));
