const { task } = require("currant");

exports.readFileSync = task(function readFileSync(p) { return p; });
