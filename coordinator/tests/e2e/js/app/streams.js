// Streams from fs.createWriteStream / createReadStream across a crash: a
// truncating log ends as an uninterrupted run leaves it, an appending one
// gets each line once (every line here is written before the next
// checkpoint), and a read stream gives the bytes the run read.
const _currant = require("currant").module("app/streams.js"); const fs = require("fs");

async function main(base) {
  const log = _currant.call(0, _currant.ref(fs, "createWriteStream"), base + ".log");
  log.write("start\n");
  const t1 = _currant.call(1, _currant.ref(Date, "now"));
  log.write("step one\n");
  const t2 = _currant.call(2, _currant.ref(Date, "now"));
  log.write(`step two ${t2 >= t1}\n`);
  await new Promise((resolve) => log.end("end\n", resolve));
  const app = _currant.call(3, _currant.ref(fs, "createWriteStream"), base + ".app", { flags: "a" });
  app.write("appended\n");
  _currant.call(4, _currant.ref(Date, "now"));
  app.write("appended again\n");
  await new Promise((resolve) => app.end(resolve));
  _currant.call(5, _currant.ref(fs, "writeFileSync"), base + ".in", "some input text\n");
  let text = "";
  for await (const chunk of _currant.call(6, _currant.ref(fs, "createReadStream"), base + ".in", { encoding: "utf8" })) text += chunk;
  console.log("read", JSON.stringify(text));
  console.log("log", JSON.stringify(_currant.call(7, _currant.ref(fs, "readFileSync"), base + ".log", "utf8")));
  console.log("app", JSON.stringify(_currant.call(8, _currant.ref(fs, "readFileSync"), base + ".app", "utf8")));
}

main(_currant.read(9, process.env, "DATA"));
