// await keeps awaiting: the runtime records the settled value.
import { readFile } from "node:fs/promises";
export async function load(u) {
  const res = await fetch(u);
  const [a, b] = await Promise.all([readFile("/etc/hostname"), fetch(u)]);
  return [res, a, b, await (await fetch(u)).text()];
}
