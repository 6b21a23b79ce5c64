export * from "./clock.mjs";
