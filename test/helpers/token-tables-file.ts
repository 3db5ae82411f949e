import { readFileSync } from "node:fs";
import type { ReadTokenTable } from "../../src/memory/tokens";

/** The rank tables read from public/tokenizer/ (Node suites run from the repository root). */
export const fileTokenTables: ReadTokenTable = async (name) =>
  new Uint8Array(readFileSync(`public/tokenizer/${name}.bpe`));
