const fs = require("fs");
const fsp = require("fs/promises");
const { readFileSync: rf } = require("node:fs");

async function copy(a, b) {
  const text = fs.readFileSync(a, "utf8");
  const again = rf(a, "utf8");
  fs.writeFile(b, text, () => {});
  await fs.promises.writeFile(b, again);
  const data = await fsp.readFile(b);
  const h = await fs.promises.open(b);
  const chunk = await h.read();
  await h.close();
  return [data, chunk];
}
module.exports = { copy };
