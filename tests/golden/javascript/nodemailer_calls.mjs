// nodemailer: a transporter is a value origin (createTransport through the
// default import, the named import and require), its sendMail a checkpoint,
// awaited or with a callback; verify() and close() are not.
import nodemailer from "nodemailer";
import { createTransport } from "nodemailer";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const mailer = require("nodemailer");

const smtp = nodemailer.createTransport({ host: "localhost", port: 2525 });
await smtp.verify();
const info = await smtp.sendMail({ to: "a@example.com", subject: "one" });
const named = createTransport({ sendmail: true });
named.sendMail({ to: "b@example.com" }, (err, sent) => console.log(err, sent.messageId));
const cjs = mailer.createTransport({ jsonTransport: true });
await cjs.sendMail({ to: "c@example.com" });
smtp.close();
console.log(info.messageId);
