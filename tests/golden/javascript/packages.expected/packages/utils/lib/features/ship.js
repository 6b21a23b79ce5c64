const { task } = require("currant");

exports.ship = task(function ship(id) { return { id, shipped: true }; });
