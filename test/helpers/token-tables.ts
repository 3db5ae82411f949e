import { env } from "cloudflare:test";
import { assetTokenTables } from "../../src/storage/tokenizer-tables";

/** The rank tables as the Worker reads them: through the ASSETS binding. */
export const tokenTables = assetTokenTables(env.ASSETS);
