import { env } from "cloudflare:test";
import { AsyncLocalStorage } from "node:async_hooks";
import { createApp } from "../../src/app";
import worker, {
  ConversationMemory,
  KeyRegistry,
  MemoryIndex,
  MemoryRecord,
  TenantDirectory,
} from "../../src/index";

/**
 * Production's Workers KV limits, enforced around the real local binding (nothing is
 * mocked: every operation still reaches the local KV). Local KV enforces none of them,
 * so without this a code path that needs 5,000 operations in one invocation passes every
 * test here and fails every time in production.
 *
 * - 1,000 operations per invocation: a Worker request, one RPC call to a Durable Object,
 *   or one alarm. Each entry point of the Worker and of every object class is wrapped to
 *   open an invocation (AsyncLocalStorage follows it across awaits); the 1,001st
 *   operation throws, as in production. A bulk `get` of up to 100 keys is one operation.
 * - keys ≤ 512 bytes, values ≤ 25 MiB, metadata ≤ 1,024 bytes, `expirationTtl` ≥ 60.
 * - eventual consistency (`eventual: true`): a read does not see a key that another
 *   invocation wrote less than 60 s ago (production: other locations see writes after up
 *   to 60 s). Reads in the writing invocation see it, as in production's own location.
 *
 * Operations outside any invocation (test code listing keys) are not limited.
 */
export const KV_LIMITS = {
  operationsPerInvocation: 1_000,
  keyBytes: 512,
  valueBytes: 25 * 1024 * 1024,
  metadataBytes: 1_024,
  minTtlSeconds: 60,
  propagationMs: 60_000,
} as const;

interface Invocation {
  id: number;
  entry: string;
  operations: number;
  /** Bytes of the values KV returned to this invocation (as JSON for parsed values). */
  bytesRead: number;
}

export interface KvLimitReport {
  /** Operations of the busiest invocation seen since the last `reset()`. */
  maxOperations: number;
  busiestEntry: string | null;
  /** Every limit an operation broke (it also threw), since the last `reset()`. */
  violations: string[];
  /** Keys eventual-consistency mode hid from a read, since the last `reset()`. */
  hiddenReads: number;
  /** Bytes KV returned to the invocation that read the most, and which entry it was. */
  maxBytesRead: number;
  bytesReadBy: string | null;
}

const invocations = new AsyncLocalStorage<Invocation>();
const report: KvLimitReport = {
  maxOperations: 0,
  busiestEntry: null,
  violations: [],
  hiddenReads: 0,
  maxBytesRead: 0,
  bytesReadBy: null,
};
/** key → when and by which invocation it was last written (eventual-consistency mode). */
const recentWrites = new Map<string, { at: number; invocation: number }>();
let nextInvocation = 1;
let eventual = false;
let installed = false;

const bytes = (text: string) => new TextEncoder().encode(text).byteLength;

function violation(message: string): never {
  report.violations.push(message);
  throw new Error(`KV limit (production): ${message}`);
}

function countOperation(kind: string): Invocation | undefined {
  const invocation = invocations.getStore();
  if (!invocation) return undefined;
  invocation.operations++;
  if (invocation.operations > report.maxOperations) {
    report.maxOperations = invocation.operations;
    report.busiestEntry = invocation.entry;
  }
  if (invocation.operations > KV_LIMITS.operationsPerInvocation) {
    violation(`${kind}: more than 1,000 KV operations in one invocation (${invocation.entry})`);
  }
  return invocation;
}

function checkKey(key: unknown): void {
  if (typeof key === "string" && bytes(key) > KV_LIMITS.keyBytes) {
    violation(`key of ${bytes(key)} bytes (max 512): ${key.slice(0, 60)}…`);
  }
}

function valueBytes(value: unknown): number {
  if (typeof value === "string") return bytes(value);
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  return 0;
}

/** Counts what a read returned against its invocation (parsed values by their JSON). */
function countRead(invocation: Invocation | undefined, value: unknown): void {
  if (!invocation || value === null || value === undefined) return;
  invocation.bytesRead +=
    typeof value === "object" && !(value instanceof ArrayBuffer) && !ArrayBuffer.isView(value)
      ? bytes(JSON.stringify(value))
      : valueBytes(value);
  if (invocation.bytesRead > report.maxBytesRead) {
    report.maxBytesRead = invocation.bytesRead;
    report.bytesReadBy = invocation.entry;
  }
}

/** Whether `key` is hidden from `invocation` because another one wrote it too recently. */
function notPropagated(key: string, invocation: Invocation | undefined): boolean {
  if (!eventual || !invocation) return false;
  const write = recentWrites.get(key);
  const hidden =
    write !== undefined &&
    write.invocation !== invocation.id &&
    Date.now() - write.at < KV_LIMITS.propagationMs;
  if (hidden) report.hiddenReads++;
  return hidden;
}

type KvMethod = (this: KVNamespace, ...args: any[]) => Promise<any>;

function wrapKv(proto: Record<string, KvMethod>): void {
  const original = { ...proto };
  const pick = (name: string) => original[name] as KvMethod;
  proto.get = async function (this: KVNamespace, key: any, ...rest: any[]) {
    const invocation = countOperation("get");
    for (const k of Array.isArray(key) ? key : [key]) checkKey(k);
    if (Array.isArray(key) && key.length > 100)
      violation(`bulk get of ${key.length} keys (max 100)`);
    const value = await pick("get").call(this, key, ...rest);
    if (value instanceof Map) {
      for (const k of value.keys()) if (notPropagated(k, invocation)) value.set(k, null);
      for (const v of value.values()) countRead(invocation, v);
      return value;
    }
    if (notPropagated(key, invocation)) return null;
    countRead(invocation, value);
    return value;
  };
  proto.getWithMetadata = async function (this: KVNamespace, key: any, ...rest: any[]) {
    const invocation = countOperation("getWithMetadata");
    checkKey(key);
    const value = await pick("getWithMetadata").call(this, key, ...rest);
    if (typeof key === "string" && notPropagated(key, invocation)) {
      return { value: null, metadata: null, cacheStatus: null };
    }
    return value;
  };
  proto.put = async function (this: KVNamespace, key: string, value: unknown, options?: any) {
    const invocation = countOperation("put");
    checkKey(key);
    if (valueBytes(value) > KV_LIMITS.valueBytes) violation(`value of ${valueBytes(value)} bytes`);
    if (options?.metadata !== undefined && bytes(JSON.stringify(options.metadata)) > 1024) {
      violation("metadata over 1,024 bytes");
    }
    if (options?.expirationTtl !== undefined && options.expirationTtl < KV_LIMITS.minTtlSeconds) {
      violation(`expirationTtl ${options.expirationTtl} (min 60)`);
    }
    await pick("put").call(this, key, value, options);
    if (invocation) recentWrites.set(key, { at: Date.now(), invocation: invocation.id });
  };
  proto.delete = async function (this: KVNamespace, key: string) {
    countOperation("delete");
    checkKey(key);
    await pick("delete").call(this, key);
  };
  proto.list = async function (this: KVNamespace, ...args: any[]) {
    countOperation("list");
    return pick("list").apply(this, args);
  };
}

/** Runs every call of `name` on `target` in an invocation of its own (nested calls share it). */
function wrapEntry(target: any, name: string, label: string): void {
  const original = target[name];
  if (typeof original !== "function") return;
  target[name] = function (this: unknown, ...args: unknown[]) {
    if (invocations.getStore()) return original.apply(this, args);
    const invocation = { id: nextInvocation++, entry: label, operations: 0, bytesRead: 0 };
    return invocations.run(invocation, () => original.apply(this, args));
  };
}

const OBJECT_CLASSES = {
  ConversationMemory,
  KeyRegistry,
  MemoryIndex,
  MemoryRecord,
  TenantDirectory,
} as const;

/** Wraps the KV binding and every entry point, once per isolate (a setup file calls it). */
export function installKvLimits(): void {
  if (installed) return;
  installed = true;
  wrapKv(Object.getPrototypeOf(env.ARCHIVE));
  wrapEntry(worker, "fetch", "worker fetch");
  for (const [name, cls] of Object.entries(OBJECT_CLASSES)) {
    const proto = cls.prototype as unknown as Record<string, unknown>;
    for (const method of Object.getOwnPropertyNames(proto)) {
      if (method !== "constructor") wrapEntry(proto, method, `${name}.${method}`);
    }
  }
}

/** Runs `work` as one invocation of its own (the harness's own tests). */
export function asInvocation<T>(label: string, work: () => Promise<T>): Promise<T> {
  return invocations.run({ id: nextInvocation++, entry: label, operations: 0, bytesRead: 0 }, work);
}

/**
 * A fresh app (for tests that call it with their own env) whose `fetch` is an invocation
 * under the same limits as the Worker's.
 */
export function appUnderLimits(): ReturnType<typeof createApp> {
  const app = createApp();
  wrapEntry(app, "fetch", "app fetch");
  return app;
}

/** Turns eventual consistency on or off (off by default: local KV is immediately consistent). */
export function eventualConsistency(on: boolean): void {
  eventual = on;
  if (!on) recentWrites.clear();
}

export function kvLimitReport(): KvLimitReport {
  return { ...report, violations: [...report.violations] };
}

export function resetKvLimitReport(): void {
  report.maxOperations = 0;
  report.busiestEntry = null;
  report.violations = [];
  report.hiddenReads = 0;
  report.maxBytesRead = 0;
  report.bytesReadBy = null;
}

/**
 * Wall time of `work` (a request, an alarm). Inside workerd the clock moves only across
 * I/O, and everything here runs on one thread, so the time around an awaited request is
 * the CPU time it took, its own and its objects'.
 */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await work();
  return { value, ms: Date.now() - start };
}
