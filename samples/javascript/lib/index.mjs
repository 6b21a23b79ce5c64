// The shop's public surface: re-exports from the modules that implement it.

export { processOrders, placeOrder } from "./orders.mjs";
export * from "./orders.mjs";
export { default as notify } from "./notify.js";
export * as inventory from "./inventory.js";
export { default as config } from "./config.js";
