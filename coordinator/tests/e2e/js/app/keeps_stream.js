const _currant = require("currant").module("app/keeps_stream.js");
// A write function kept from process.stdout while recorded checkpoints
// replay (a logger set up at start) is called once the run is live: on
// resume that output must print, once; what printed before the crash must
// not print again.
const out = process.stdout.write.bind(process.stdout);
out("before the first checkpoint\n");
const first = _currant.call(0, Date.now);
const second = _currant.call(1, Date.now);
out(`after two checkpoints: ${first <= second}\n`);
