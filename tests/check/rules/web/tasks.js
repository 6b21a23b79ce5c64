// task-cycle in JavaScript.
const { task } = require("currant");

async function fetchAll(n) { // expect: task-cycle
  "use task";
  return n ? await retry(n - 1) : 0;
}

async function retry(n) {
  "use task";
  return fetchAll(n);
}

async function solo(n) {
  "use task";
  return n;
}

module.exports = { fetchAll, retry, solo };
