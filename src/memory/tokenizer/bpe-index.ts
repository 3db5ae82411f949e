/**
 * A BPE rank table laid out for lookups by bytes, as shipped in `public/tokenizer/*.bpe`:
 * every token's UTF-8 bytes end to end in rank order, their offsets, whether the library
 * holds each as text or as bytes, and an open-addressing hash table (FNV-1a, linear
 * probing) from bytes to rank. Built once from the BPE1 ranks (`bpe-table.ts`) by
 * `npm run tokenizer:tables`; read with typed-array views and no work at all, so an
 * isolate's first count pays only the fetch.
 *
 * Layout (little-endian, sections 4-byte aligned): "BPE2", u32 token count, u32 slot count
 * (a power of two), u32 byte length; u32 offsets[count + 1]; i32 slots[slot count] (a rank,
 * or -1); u8 isText[count], padded to 4; the bytes.
 */
export interface RankIndex {
  bytes: Uint8Array;
  offsets: Uint32Array;
  /** 1 where the library holds the token as a string, 0 where as bytes. */
  isText: Uint8Array;
  slots: Int32Array;
  mask: number;
}

const MAGIC = [0x42, 0x50, 0x45, 0x32]; // "BPE2"
const HEADER = 16;
const pad4 = (n: number) => (n + 3) & ~3;

export function fnv(bytes: Uint8Array, from: number, to: number): number {
  let hash = 0x811c9dc5;
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  return hash >>> 0;
}

function sameToken(index: RankIndex, rank: number, other: number): boolean {
  if (index.isText[rank] !== index.isText[other]) return false;
  const from = index.offsets[other] as number;
  const to = index.offsets[other + 1] as number;
  const start = index.offsets[rank] as number;
  if ((index.offsets[rank + 1] as number) - start !== to - from) return false;
  for (let i = 0; i < to - from; i++) {
    if (index.bytes[start + i] !== index.bytes[from + i]) return false;
  }
  return true;
}

/** Every token's bytes back to back in rank order, and the hash table over them. */
export function indexRanks(table: Uint8Array): RankIndex {
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const count = view.getUint32(4, true);
  const textLength = view.getUint32(8, true);
  const headers = new Uint32Array(count);
  let at = 12;
  for (let rank = 0; rank < count; rank++) {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = table[at++] ?? 0;
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    headers[rank] = value;
  }
  let textAt = at;
  let rawAt = at + textLength;
  const bytes = new Uint8Array(table.length - at);
  const offsets = new Uint32Array(count + 1);
  const isText = new Uint8Array(count);
  let out = 0;
  for (let rank = 0; rank < count; rank++) {
    offsets[rank] = out;
    const header = headers[rank] as number;
    const length = header >>> 1;
    if (header & 1) {
      bytes.set(table.subarray(rawAt, rawAt + length), out);
      rawAt += length;
      out += length;
      continue;
    }
    // A text token's length is in UTF-16 units: walk its UTF-8 code points.
    isText[rank] = 1;
    const start = textAt;
    for (let units = 0; units < length; ) {
      const lead = table[textAt] as number;
      const size = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
      textAt += size;
      units += size === 4 ? 2 : 1;
    }
    bytes.set(table.subarray(start, textAt), out);
    out += textAt - start;
  }
  offsets[count] = out;
  let size = 1;
  while (size < count * 2) size <<= 1;
  const slots = new Int32Array(size).fill(-1);
  const index: RankIndex = { bytes, offsets, isText, slots, mask: size - 1 };
  for (let rank = 0; rank < count; rank++) {
    const from = offsets[rank] as number;
    const to = offsets[rank + 1] as number;
    if (to === from) continue; // an unused rank
    let slot = fnv(bytes, from, to) & index.mask;
    // The library's Map keeps the last rank of a repeated token; so does this.
    while ((slots[slot] as number) >= 0 && !sameToken(index, slots[slot] as number, rank)) {
      slot = (slot + 1) & index.mask;
    }
    slots[slot] = rank;
  }
  return index;
}

export function serializeIndex(index: RankIndex): Uint8Array {
  const count = index.isText.length;
  const offsetsAt = HEADER;
  const slotsAt = offsetsAt + 4 * (count + 1);
  const isTextAt = slotsAt + 4 * index.slots.length;
  const bytesAt = pad4(isTextAt + count);
  const out = new Uint8Array(bytesAt + index.bytes.length);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(4, count, true);
  view.setUint32(8, index.slots.length, true);
  view.setUint32(12, index.bytes.length, true);
  for (let i = 0; i < index.offsets.length; i++) {
    view.setUint32(offsetsAt + 4 * i, index.offsets[i] as number, true);
  }
  for (let i = 0; i < index.slots.length; i++) {
    view.setInt32(slotsAt + 4 * i, index.slots[i] as number, true);
  }
  out.set(index.isText, isTextAt);
  out.set(index.bytes, bytesAt);
  return out;
}

/** Views over a file written by `serializeIndex` (no copy; little-endian hosts). */
export function readIndex(file: Uint8Array): RankIndex {
  if (file.length < HEADER || MAGIC.some((b, i) => file[i] !== b)) {
    throw new Error("not a BPE2 rank index");
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const count = view.getUint32(4, true);
  const slotCount = view.getUint32(8, true);
  const bytesLength = view.getUint32(12, true);
  const offsetsAt = file.byteOffset + HEADER;
  const slotsAt = offsetsAt + 4 * (count + 1);
  const isTextAt = slotsAt + 4 * slotCount;
  const bytesAt = pad4(isTextAt - file.byteOffset + count) + file.byteOffset;
  if (bytesAt - file.byteOffset + bytesLength !== file.length || offsetsAt % 4 !== 0) {
    throw new Error("corrupt BPE2 rank index");
  }
  return {
    offsets: new Uint32Array(file.buffer, offsetsAt, count + 1),
    slots: new Int32Array(file.buffer, slotsAt, slotCount),
    isText: new Uint8Array(file.buffer, isTextAt, count),
    bytes: new Uint8Array(file.buffer, bytesAt, bytesLength),
    mask: slotCount - 1,
  };
}
