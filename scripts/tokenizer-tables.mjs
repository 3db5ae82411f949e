// `npm run tokenizer:tables`: writes public/tokenizer/{encoding}.bpe, the rank tables the
// Worker loads on first use, laid out for lookups by bytes (src/memory/tokenizer/bpe-index.ts), from
// gpt-tokenizer's own tables (through the BPE1 form of src/memory/tokenizer/bpe-table.ts).
// Run it after upgrading gpt-tokenizer; test/memory/tokenizer/bpe-table.node.test.ts fails until then.
import { writeFileSync } from "node:fs";
import { indexRanks, serializeIndex } from "../src/memory/tokenizer/bpe-index.ts";
import { encodeBpeTable } from "../src/memory/tokenizer/bpe-table.ts";

export const ENCODINGS = ["o200k_base", "cl100k_base"];

for (const name of ENCODINGS) {
  const { default: ranks } = await import(`gpt-tokenizer/bpeRanks/${name}`);
  const bytes = serializeIndex(indexRanks(encodeBpeTable(ranks)));
  const path = new URL(`../public/tokenizer/${name}.bpe`, import.meta.url);
  writeFileSync(path, bytes);
  console.log(`${path.pathname}: ${ranks.length} ranks, ${bytes.length} bytes`);
}
