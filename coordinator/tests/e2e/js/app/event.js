const _currant = require("currant").module("app/event.js");
// waitEvent fed by `currant signal`, and one that times out.
const currant = require("currant");
(async () => {
  console.log("waiting");
  console.log("got", JSON.stringify(await _currant.call(0, currant.waitEvent, "approve", { timeout: "30s" })));
  console.log("timeout", await _currant.call(1, currant.waitEvent, "never", 200));
})();
