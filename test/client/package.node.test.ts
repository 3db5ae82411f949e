// The client as another app gets it: `npm pack` (which runs `prepare`, the build), the
// tarball unpacked into a consumer's node_modules, and the consumer compiled by TypeScript
// under each module resolution an app may use, with the shipped declarations checked too
// (`skipLibCheck: false`), then run by Node.
import { execFile } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = process.cwd();
const tsc = join(root, "node_modules/typescript/bin/tsc");
let tmp: string;
let consumer: string;
let packed: string[];

const CONSUMER = `
import { EdgememClient, EdgememError, type Context, type Memory, type MessageInput } from "edgemem/client";

const client = new EdgememClient({ baseUrl: "http://127.0.0.1:9", apiKey: "key", maxRetries: 0 });
const exchange: MessageInput[] = [
  { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }] },
  { role: "tool", tool_call_id: "c1", content: "42" },
  { role: "user", content: [{ type: "text", text: "and this?" }, { type: "image_url", image_url: { url: "data:," } }] },
  // Responses API items, as \`response.output\` gives them.
  { type: "function_call", id: "fc_1", call_id: "c2", name: "f", arguments: "{}", status: "completed" },
  { type: "function_call_output", call_id: "c2", output: "42" },
];
// The declarations are real types, not \`any\`: a wrong role does not compile.
// @ts-expect-error role is one of system, user, assistant, tool
const wrong: MessageInput = { role: "robot", content: "hi" };
export async function turn(): Promise<[Context, Memory]> {
  await client.appendMessages("c", exchange);
  return [await client.getContext("c", { maxTokens: 500 }), await client.createMemory({ text: "t", userId: "u" })];
}
console.log(typeof client.getContext, typeof EdgememError, exchange.length, typeof wrong);
`;

const MODES = {
  bundler: { module: "preserve", moduleResolution: "bundler", noEmit: true },
  node16: { module: "node16", moduleResolution: "node16", outDir: "out-node16" },
  nodenext: { module: "nodenext", moduleResolution: "nodenext", outDir: "out-nodenext" },
} as const;

beforeAll(async () => {
  tmp = mkdtempSync(join(os.tmpdir(), "edgemem-package-"));
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", tmp], {
    cwd: root,
    maxBuffer: 16 << 20,
  });
  const [pack] = JSON.parse(stdout.slice(stdout.indexOf("["))) as {
    filename: string;
    files: { path: string }[];
  }[];
  if (!pack) throw new Error("npm pack printed no package");
  packed = pack.files.map((file) => file.path).sort();
  consumer = join(tmp, "app");
  const modules = join(consumer, "node_modules");
  mkdirSync(modules, { recursive: true });
  await run("tar", ["-xzf", join(tmp, pack.filename), "-C", modules]);
  await run("mv", [join(modules, "package"), join(modules, "edgemem")]);
  // What `npm install` would put next to it: the package's dependencies (from this repo).
  const manifest = JSON.parse(readFileSync(join(modules, "edgemem/package.json"), "utf8"));
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    mkdirSync(dirname(join(modules, dep)), { recursive: true });
    symlinkSync(join(root, "node_modules", dep), join(modules, dep));
  }
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ type: "module", private: true }));
  writeFileSync(join(consumer, "consumer.ts"), CONSUMER);
  for (const [mode, options] of Object.entries(MODES)) {
    const compilerOptions = {
      ...options,
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      types: [],
      strict: true,
      skipLibCheck: false,
    };
    writeFileSync(
      join(consumer, `tsconfig.${mode}.json`),
      JSON.stringify({ compilerOptions, files: ["consumer.ts"] }),
    );
  }
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("edgemem/client as a library", () => {
  it("packs the built client and its declarations, not the server", () => {
    expect(packed).toEqual(
      expect.arrayContaining(["dist/client/index.js", "dist/client/index.d.ts", "package.json"]),
    );
    expect(packed.filter((path) => path.startsWith("src/") || path.startsWith("test/"))).toEqual(
      [],
    );
  });

  for (const mode of Object.keys(MODES)) {
    it(`compiles in an app under moduleResolution ${mode}`, async () => {
      const result = await run(process.execPath, [tsc, "-p", `tsconfig.${mode}.json`], {
        cwd: consumer,
      }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
      expect(result.stdout).toBe("");
      if (mode === "bundler") return;
      const { stdout } = await run(process.execPath, [`out-${mode}/consumer.js`], {
        cwd: consumer,
      });
      expect(stdout.trim()).toBe("function function 5 object");
    }, 120_000);
  }

  it("imports with file extensions in the client's source, as Node's ESM resolution needs", () => {
    const dir = join(root, "src/client");
    const extensionless = readdirSync(dir).flatMap((file) =>
      ts
        .preProcessFile(readFileSync(join(dir, file), "utf8"))
        .importedFiles.map((imported) => imported.fileName)
        .filter((name) => name.startsWith(".") && !name.endsWith(".js"))
        .map((name) => `${file}: ${name} (TS2835 under node16/nodenext)`),
    );
    expect(extensionless).toEqual([]);
  });
});
