// ESM: an async export and a variadic one.
export async function rate(base, factor = 2) {
  return base * factor;
}

export function total(...xs) {
  return xs.reduce((a, b) => a + b, 0);
}
