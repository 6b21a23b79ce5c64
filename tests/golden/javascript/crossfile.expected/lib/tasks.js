const { task } = require("currant");

const charge = task(async function charge(amount) {
  return { charged: amount };
});

async function ship(order) {
  "use task";
  return `shipped ${order}`;
}

function helper(x) {
  return x * 2;
}

module.exports = { charge, ship, helper };
