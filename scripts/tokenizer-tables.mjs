// `npm run tokenizer:tables`: writes public/tokenizer/{encoding}.bpe, the compact rank tables
// the Worker loads on first use (src/memory/bpe-table.ts), from gpt-tokenizer's own tables.
// Run it after upgrading gpt-tokenizer; test/memory/bpe-table.node.test.ts fails until then.
import { writeFileSync } from "node:fs";
import { encodeBpeTable } from "../src/memory/bpe-table.ts";

export const ENCODINGS = ["o200k_base", "cl100k_base"];

for (const name of ENCODINGS) {
  const { default: ranks } = await import(`gpt-tokenizer/bpeRanks/${name}`);
  const bytes = encodeBpeTable(ranks);
  const path = new URL(`../public/tokenizer/${name}.bpe`, import.meta.url);
  writeFileSync(path, bytes);
  console.log(`${path.pathname}: ${ranks.length} ranks, ${bytes.length} bytes`);
}
