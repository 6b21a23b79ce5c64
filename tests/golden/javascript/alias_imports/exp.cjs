// CommonJS exports assigned a reference: importers call what it denotes.
const fs = require("fs");
exports.now = Date.now;
exports.write = fs.writeFileSync;
module.exports.pick = Math.random;
exports.again = exports.now; // through the module's own exports: not followed
