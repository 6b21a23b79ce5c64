const { task } = require("currant");

exports.audit = task(function audit(what) { return what; });
