const { task } = require("currant");

module.exports = { stamp: task(async function stamp() { return Date.now(); }) };
