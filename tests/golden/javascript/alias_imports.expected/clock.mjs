// Exported const aliases other files import: what they denote is followed.
import { randomUUID } from "node:crypto";

export const now = Date.now;
export const uid = randomUUID;
export function ticks() {
  return 1;
}
export const counter = ticks;
