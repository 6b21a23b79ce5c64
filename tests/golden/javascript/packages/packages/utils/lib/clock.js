const { task } = require("currant");

exports.now = task(function now() { return Date.now(); });
