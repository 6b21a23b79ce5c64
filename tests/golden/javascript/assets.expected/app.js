// Data files beside the code are copied to OUT, so the instrumented tree
// runs as the source tree does: require() of a JSON file, a read relative
// to __dirname.
const _currant = require("currant").module("app.js"); const fs = require("node:fs");
const path = require("node:path");
const prices = require("./data/prices.json");
const { total } = require("./lib");

const greeting = _currant.call(0, _currant.ref(fs, "readFileSync"), path.join(__dirname, "data", "greeting.txt"), "utf8").trim();
console.log(greeting, total(prices, ["apple", "pear"]), _currant.call(1, _currant.ref(Date, "now")) > 0);
//# sourceMappingURL=app.js.map
