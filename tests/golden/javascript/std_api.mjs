import { sleep, now, random, uuid, waitEvent, prompt } from "currant";
import * as currant from "currant";

export async function main() {
  const t = now();
  await sleep("1s");
  const r = random();
  const id = uuid();
  const ev = await waitEvent("approved");
  const answer = await currant.prompt(`summarise ${ev}`);
  return { t, r, id, answer, p: prompt };
}
