const { task } = require("currant");

exports.peek = task(function peek() { return 1; });
