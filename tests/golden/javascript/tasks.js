const { task } = require("currant");
const currant = require("currant");

async function charge(order) {
  "use task";
  return fetch(order.url);
}
const ship = task(async (order) => fetch(order.ship));
const refund = currant.task("refund", async function (order) { return order; });
const notTask = (x) => x;

async function flow(order) {
  await charge(order);
  await ship(order);
  await refund(order);
  return notTask(order);
}
module.exports = { flow, charge, ship };
