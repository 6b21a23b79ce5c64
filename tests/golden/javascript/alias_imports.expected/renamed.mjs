// An export renaming a const alias: importers see what the alias denotes,
// and the exported name wins over a local alias of the same name.
const now = Date.now;
const clock = Math.random;
export { now as clock, now as stamp };
export const pick = clock;
