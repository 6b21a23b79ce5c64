const { task } = require("currant");

exports.archive = task(function archive(what) { return what; });
