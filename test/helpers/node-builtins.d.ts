/**
 * The few Node APIs the Node-run suites use. tsconfig's `types` cover the Workers runtime
 * only (src must not reach for Node), and @types/node is not a dependency; delete this
 * file if it becomes one.
 */
declare module "node:http" {
  interface IncomingHttpHeaders {
    [name: string]: string | string[] | undefined;
  }
  interface IncomingMessage {
    method?: string;
    url?: string;
    headers: IncomingHttpHeaders;
    socket: { destroy(): void; readonly destroyed: boolean };
    on(event: "data", listener: (chunk: string | Uint8Array) => void): this;
    on(event: "end", listener: () => void): this;
  }
  interface ServerResponse {
    readonly destroyed: boolean;
    writeHead(status: number, headers?: Record<string, string>): this;
    end(body?: string): this;
  }
  interface Server {
    listen(port: number, host: string, callback: () => void): this;
    address(): import("node:net").AddressInfo | string | null;
    close(callback?: (error?: Error) => void): this;
    closeAllConnections(): void;
    unref(): this;
  }
  function createServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Server;
}

declare module "node:net" {
  interface AddressInfo {
    address: string;
    family: string;
    port: number;
  }
}

declare module "node:vm" {
  /** Compiles (does not run) a script: throws a SyntaxError when it does not parse. */
  class Script {
    constructor(code: string);
  }
}

/** workerd's AsyncLocalStorage (nodejs_compat), for the production-limits harness. */
declare module "node:async_hooks" {
  class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, callback: () => R): R;
  }
}

declare module "node:fs" {
  function existsSync(path: string): boolean;
  function mkdirSync(path: string, options?: { recursive?: boolean }): string | undefined;
  function mkdtempSync(prefix: string): string;
  function rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  function readdirSync(path: string): string[];
  function readFileSync(path: string, encoding: "utf8"): string;
  function readFileSync(path: string): Uint8Array;
  function writeFileSync(path: string, data: string): void;
  function symlinkSync(target: string, path: string): void;
  function statSync(path: string): { size: number };
}
declare module "node:child_process" {
  interface ExecFileOptions {
    cwd?: string;
    env?: Record<string, string | undefined>;
    maxBuffer?: number;
    timeout?: number;
  }
  function execFile(
    file: string,
    args: string[],
    options: ExecFileOptions,
    callback: (error: Error | null, stdout: string, stderr: string) => void,
  ): unknown;
}
declare module "node:util" {
  /** Only as the suites use it: `promisify(execFile)`. */
  function promisify(
    execFile: typeof import("node:child_process").execFile,
  ): (
    file: string,
    args: string[],
    options?: import("node:child_process").ExecFileOptions,
  ) => Promise<{ stdout: string; stderr: string }>;
}
declare module "node:module" {
  function createRequire(from: string): { resolve(id: string): string };
}
declare module "node:os" {
  function tmpdir(): string;
  const os: { tmpdir: typeof tmpdir };
  export default os;
}
declare module "node:path" {
  function join(...parts: string[]): string;
  function dirname(path: string): string;
}

/** Node's `import.meta.url` (ES modules). */
interface ImportMeta {
  url: string;
}
