// The CommonJS entry ("require" condition); "#internal/*" is this package's "imports".
const { task } = require("currant");
const { stamp } = require("#internal/stamp");

const charge = task(async function charge(n) {
  return { n, at: await stamp() };
});

module.exports = { charge };
