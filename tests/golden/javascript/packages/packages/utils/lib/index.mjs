// The ES module entry ("import" condition).
import { task } from "currant";

export const refund = task(async function refund(n) {
  return { n, refunded: true };
});
