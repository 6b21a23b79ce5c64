// coordinator/bench/peers/dbos.js MODE N ID — the DBOS Transact peer of
// coordinator/bench/steps.js: one workflow of N sequential no-op steps
// (DBOS.registerWorkflow + DBOS.runStep), on the PostgreSQL of
// DBOS_SYSTEM_DATABASE_URL.  Run by peers.py; NODE_PATH holds the pinned
// @dbos-inc/dbos-sdk (build/bench-peers/node_modules).
//
//   crash N ID   run workflow ID, print "record MS" (the N steps, timed inside
//                the workflow), then exit with the workflow still PENDING;
//   recover ID   launch, which recovers ID: its N recorded steps are replayed
//                from the database, print "replay MS", wait for the result.
"use strict";
const { DBOS } = require("@dbos-inc/dbos-sdk");

const [mode, a, b] = process.argv.slice(2);
const crash = mode === "crash";

async function steps(n) {
  const t = process.hrtime.bigint();
  let total = 0;
  for (let i = 0; i < n; i++) total += await DBOS.runStep(async () => i, { name: "step" });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(`${crash ? "record" : "replay"} ${ms.toFixed(3)}`);
  if (crash) process.exit(0); // the workflow stays PENDING: recover replays it
  return total;
}
const wf = DBOS.registerWorkflow(steps, { name: "steps" });

async function main() {
  DBOS.setConfig({
    name: "currant-bench",
    systemDatabaseUrl: process.env.DBOS_SYSTEM_DATABASE_URL,
    logLevel: "error",
  });
  await DBOS.launch(); // recovers the PENDING workflows of executor "local"
  if (crash) {
    await DBOS.startWorkflow(wf, { workflowID: b })(Number(a));
    await new Promise(() => {}); // steps() exits
  }
  const total = await DBOS.retrieveWorkflow(a).getResult();
  await DBOS.shutdown();
  console.log(`result ${total}`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
