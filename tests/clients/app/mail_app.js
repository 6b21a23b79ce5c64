// Email through nodemailer, with no currant API: transporter.sendMail is a
// checkpoint (tests/suites/98-client-libraries.sh), so a resumed run does not
// send a message twice.  The fake SMTP server (runtime-py/tests/fake_smtp.py)
// appends each Subject to $MAIL_FILE.
"use strict";
const nodemailer = require("nodemailer");

const transport = nodemailer.createTransport({
  host: "127.0.0.1",
  port: Number(process.env.SMTP_PORT),
  secure: false,
  ignoreTLS: true,
});

async function ship(order) {
  const info = await transport.sendMail({
    from: "shop@example.com",
    to: "buyer@example.com",
    subject: `order ${order}`,
    text: `order ${order} shipped`,
  });
  return info;
}

async function main() {
  const ids = [];
  for (let order = 0; order < 3; order++) {
    const info = await ship(order);
    ids.push(info.messageId);
    console.log(`sent: order ${order} accepted ${info.accepted.join(",")}`);
  }
  console.log(`distinct ids: ${new Set(ids).size}`);
  transport.close();
}

main();
