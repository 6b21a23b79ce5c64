// ESM into Python: named (aliased), namespace and default imports.
import { score, fetch as get } from "../model.py";
import * as model from "../model.py";
import m2 from "../model.py";
import { prompt } from "currant";

export async function run(n) {
  const s = score(n, 2);
  const t = await get("k");
  const answer = await prompt("Explain {s}", { s, t });
  return model.score(s) + m2.score(1) + answer.length;
}
