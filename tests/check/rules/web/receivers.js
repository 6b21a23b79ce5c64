// untracked-receiver: calls that look like a catalogued origin's method on
// values the compiler cannot follow, and calls it does not report.
const nodemailer = require("nodemailer");

async function notify(transport, ai, text) {
  await transport.sendMail({ text }); // expect: untracked-receiver
  return ai.messages.create({ model: "m", messages: [] }); // expect: untracked-receiver
}

async function quiet(map, queue) {
  const transport = nodemailer.createTransport({});
  await transport.sendMail({}); // followed: a checkpoint
  map.get("k"); // generic method names alone are not reported
  queue.post("x");
}

module.exports = { notify, quiet };
