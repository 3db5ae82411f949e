import { codeWords, popcount } from "./quantize";

/** The distance of a code `nearest` leaves out: beyond any real one (dims < 65,535). */
const SKIPPED = 0xffff;

/**
 * The compact in-memory prefilter of one object's vectors: one binary code per vector
 * (`dims` bits: 64 bytes for 512 dimensions, 6.4 MB for 100,000 vectors) in one flat
 * array, scanned by Hamming distance. The int8 vectors stay in storage; only the best
 * candidates are read and rescored (`searchVectors`).
 */
export class CodeIndex {
  readonly words: number;
  private codes: Uint32Array;
  private ids: number[] = [];
  private readonly slots = new Map<number, number>();

  constructor(
    readonly dims: number,
    capacity = 64,
  ) {
    this.words = codeWords(dims);
    this.codes = new Uint32Array(this.words * Math.max(1, capacity));
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: number): boolean {
    return this.slots.has(id);
  }

  /** Adds or replaces the code of `id`. */
  add(id: number, code: Uint32Array): void {
    if (code.length !== this.words) throw new Error("code of another dimension");
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      if ((slot + 1) * this.words > this.codes.length) {
        const grown = new Uint32Array(this.codes.length * 2);
        grown.set(this.codes);
        this.codes = grown;
      }
      this.ids.push(id);
      this.slots.set(id, slot);
    }
    this.codes.set(code, slot * this.words);
  }

  /** Removes `id` (the last code moves into its slot). */
  remove(id: number): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    const last = this.ids.length - 1;
    const lastId = this.ids[last] as number;
    if (slot !== last) {
      this.codes.copyWithin(slot * this.words, last * this.words, (last + 1) * this.words);
      this.ids[slot] = lastId;
      this.slots.set(lastId, slot);
    }
    this.ids.pop();
    this.slots.delete(id);
  }

  /**
   * The ids of the `count` codes nearest to `query` by Hamming distance (ties at the
   * boundary broken by slot order), leaving out the ids `skip` names: one pass to measure
   * and count distances, one to collect under the threshold. Linear in the number of
   * codes, no sort of them all.
   */
  nearest(query: Uint32Array, count: number, skip?: (id: number) => boolean): number[] {
    const n = this.ids.length;
    if (!skip && count >= n) return [...this.ids];
    const words = this.words;
    const distances = new Uint16Array(n);
    const histogram = new Uint32Array(words * 32 + 1);
    let available = 0;
    for (let slot = 0, base = 0; slot < n; slot++, base += words) {
      if (skip?.(this.ids[slot] as number)) {
        distances[slot] = SKIPPED;
        continue;
      }
      let d = 0;
      for (let w = 0; w < words; w++)
        d += popcount(((this.codes[base + w] as number) ^ (query[w] as number)) >>> 0);
      distances[slot] = d;
      histogram[d] = (histogram[d] as number) + 1;
      available++;
    }
    if (count >= available) return this.ids.filter((_, slot) => distances[slot] !== SKIPPED);
    let threshold = 0;
    let below = 0;
    while (below + (histogram[threshold] as number) < count)
      below += histogram[threshold++] as number;
    let atThreshold = count - below;
    const chosen: number[] = [];
    for (let slot = 0; slot < n; slot++) {
      const d = distances[slot] as number;
      if (d < threshold) chosen.push(this.ids[slot] as number);
      else if (d === threshold && atThreshold > 0) {
        chosen.push(this.ids[slot] as number);
        atThreshold--;
      }
    }
    return chosen;
  }

  /** Bytes held by the codes and ids (what the index costs the object's memory). */
  bytes(): number {
    return this.codes.byteLength + this.ids.length * 8 + this.slots.size * 16;
  }
}
