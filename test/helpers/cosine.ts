/** Float64 cosine similarity, independent of the code under test (0 for a zero vector). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let x = 0;
  let y = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] as number) * (b[i] as number);
    x += (a[i] as number) ** 2;
    y += (b[i] as number) ** 2;
  }
  return x === 0 || y === 0 ? 0 : d / Math.sqrt(x * y);
}
