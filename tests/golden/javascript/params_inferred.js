// A parameter no JSDoc types holds the origin every plain call of its
// function in the file passes there (by position; a `const` bound to a call
// of known origin, the call itself, or another such parameter): ship(t, 1)
// with t from nodemailer.createTransport makes transport a transporter.
// Not inferred: a parameter the function assigns (or redeclares with var),
// a call with a spread argument, a destructured or rest parameter, a method.
const nodemailer = require("nodemailer");
const fs = require("fs/promises");
const OpenAI = require("openai");

async function ship(transport, order, extra = 1) {
  await transport.sendMail({ subject: `order ${order}` });
  return notify(transport);
}
const notify = async (t) => t.sendMail({ subject: "done" });
function reassigned(transport) {
  transport = transport || nodemailer.createTransport({});
  return transport.sendMail({});
}
function spreadCalled(tr) { return tr.sendMail({}); }
function ask(client, q) { return client.chat.completions.create({ messages: [q] }); }
function destructured({ transport }) { return transport.sendMail({}); }

async function main(args) {
  const t = nodemailer.createTransport({ host: "x" });
  await ship(t, 1);
  await ship(t, 2, 3);
  reassigned(t);
  spreadCalled(...args);
  ask(new OpenAI(), "hi");
  destructured({ transport: t });
}
class Shop {
  send(transport) {
    return transport.sendMail({});
  }
}
new Shop().send(nodemailer.createTransport({}));
module.exports = { main, Shop };
