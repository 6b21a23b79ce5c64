export { charge, ship } from "./tasks.js";
export * from "./more.mjs";
