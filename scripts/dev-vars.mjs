// Gives a fresh checkout a working local API key: copies .dev.vars.example to .dev.vars once.
import { copyFileSync, existsSync } from "node:fs";

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("Created .dev.vars from .dev.vars.example (local API key: dev-key-local-only)");
}
