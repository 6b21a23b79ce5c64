import { task } from "currant";

export const refund = task(async (amount) => ({ refunded: amount }));
