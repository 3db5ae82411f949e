/**
 * A BPE rank table as compact bytes instead of megabytes of JavaScript. Index = rank; each
 * token is the string it decodes to, or its raw bytes when those are not valid UTF-8 (the
 * shape gpt-tokenizer's `GptEncoding` takes). The library's table modules were 5.7 MB of
 * the bundle, parsed at every start; these bytes are read on first use only.
 *
 * Layout (little-endian): "BPE1", u32 token count, u32 byte length of the text section;
 * one LEB128 header per rank, `length << 1 | raw` (length in UTF-16 units for text, in
 * bytes for raw tokens; 0 marks an unused rank); the UTF-8 of every text token back to
 * back; the bytes of every raw token back to back. `npm run tokenizer:tables` indexes this
 * form into the files the Worker reads (`bpe-index.ts`); `decodeBpeTable` gives the ranks
 * back in the library's shape, which is how the tests hold both to the library's tables.
 */
export type BpeRanks = (string | number[])[];

const MAGIC = [0x42, 0x50, 0x45, 0x31]; // "BPE1"
const HEADER_BYTES = 12;

export function encodeBpeTable(ranks: BpeRanks): Uint8Array {
  const headers: number[] = [];
  const text: string[] = [];
  const raw: number[] = [];
  for (let rank = 0; rank < ranks.length; rank++) {
    const token = ranks[rank];
    if (token === undefined) {
      headers.push(0);
    } else if (typeof token === "string") {
      pushVarint(headers, token.length << 1);
      text.push(token);
    } else {
      pushVarint(headers, (token.length << 1) | 1);
      raw.push(...token);
    }
  }
  const textBytes = new TextEncoder().encode(text.join(""));
  const out = new Uint8Array(HEADER_BYTES + headers.length + textBytes.length + raw.length);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, ranks.length, true);
  view.setUint32(8, textBytes.length, true);
  out.set(headers, HEADER_BYTES);
  out.set(textBytes, HEADER_BYTES + headers.length);
  out.set(raw, HEADER_BYTES + headers.length + textBytes.length);
  return out;
}

export function decodeBpeTable(bytes: Uint8Array): BpeRanks {
  if (bytes.length < HEADER_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error("not a BPE1 rank table");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const textLength = view.getUint32(8, true);
  const headers = new Uint32Array(count);
  let at = HEADER_BYTES;
  for (let rank = 0; rank < count; rank++) {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[at++] ?? 0;
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    headers[rank] = value;
  }
  // ignoreBOM: a token that starts with U+FEFF must keep it.
  const text = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(
    bytes.subarray(at, at + textLength),
  );
  let rawAt = at + textLength;
  let textAt = 0;
  const ranks: BpeRanks = new Array(count);
  for (let rank = 0; rank < count; rank++) {
    const header = headers[rank] ?? 0;
    if (header === 0) continue;
    const length = header >>> 1;
    if (header & 1) {
      ranks[rank] = Array.from(bytes.subarray(rawAt, rawAt + length));
      rawAt += length;
    } else {
      ranks[rank] = text.slice(textAt, textAt + length);
      textAt += length;
    }
  }
  if (textAt !== text.length || rawAt !== bytes.length) throw new Error("corrupt BPE1 rank table");
  return ranks;
}

function pushVarint(out: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
}
