const _currant = require("currant").module("app/sleep.js");
// A durable sleep long enough to suspend and be resumed by `currant serve`.
const currant = require("currant");
(async () => {
  console.log("before");
  await _currant.call(0, currant.sleep, Number(process.argv[2]) * 1000);
  console.log("after");
})();
