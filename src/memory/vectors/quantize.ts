/**
 * How a vector is stored: scaled to unit length, then quantized to int8 with one scale
 * per vector (a quarter of float32's size, cosine kept to about 1%), plus a binary code,
 * one bit per dimension (its sign), for the in-memory Hamming prefilter.
 */

/** A stored vector: int8 components and the scale that maps them back to the unit vector. */
export interface QuantizedVector {
  q: Int8Array;
  scale: number;
}

/** The vector scaled to unit length (cosine becomes a dot product); zero stays zero. */
export function normalize(vector: ArrayLike<number>): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += (vector[i] ?? 0) ** 2;
  const unit = new Float32Array(vector.length);
  if (norm === 0) return unit;
  const inverse = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) unit[i] = (vector[i] ?? 0) * inverse;
  return unit;
}

/** Symmetric int8 quantization: the largest component maps to ±127. */
export function quantize(unit: Float32Array): QuantizedVector {
  let max = 0;
  for (const x of unit) max = Math.max(max, Math.abs(x));
  const q = new Int8Array(unit.length);
  if (max === 0) return { q, scale: 0 };
  const factor = 127 / max;
  for (let i = 0; i < unit.length; i++) q[i] = Math.round((unit[i] ?? 0) * factor);
  return { q, scale: max / 127 };
}

/** 32-bit words a binary code of `dims` bits takes. */
export const codeWords = (dims: number) => Math.ceil(dims / 32);

/** One bit per dimension, set when the component is positive. */
export function binaryCode(vector: ArrayLike<number>): Uint32Array {
  const code = new Uint32Array(codeWords(vector.length));
  for (let i = 0; i < vector.length; i++) {
    if ((vector[i] ?? 0) > 0) code[i >>> 5] = (code[i >>> 5] ?? 0) | (1 << (i & 31));
  }
  return code;
}

/** The binary code of a stored vector (the sign of an int8 component is the sign of the float). */
export const codeOf = (stored: QuantizedVector) => binaryCode(stored.q);

/** Dot product of a stored vector with a unit query: the cosine, within quantization error. */
export function dot(stored: QuantizedVector, query: Float32Array): number {
  const { q } = stored;
  let sum = 0;
  for (let i = 0; i < q.length; i++) sum += (q[i] ?? 0) * (query[i] ?? 0);
  return sum * stored.scale;
}

/** Set bits of a 32-bit word (SWAR popcount). */
export function popcount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** A quantized vector as bytes for storage (SQLite BLOB), and back. */
export const vectorBytes = (stored: QuantizedVector): ArrayBuffer =>
  stored.q.buffer.slice(
    stored.q.byteOffset,
    stored.q.byteOffset + stored.q.byteLength,
  ) as ArrayBuffer;

export const vectorFromBytes = (bytes: ArrayBuffer, scale: number): QuantizedVector => ({
  q: new Int8Array(bytes.slice(0)),
  scale,
});
