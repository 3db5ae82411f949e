import type { ArchiveSegment, ArchiveStore } from "./archive";

/** Decoded segments one isolate keeps, by estimated size (isolates have 128 MB in all). */
export const SEGMENT_CACHE_BYTES = 8 * 1024 * 1024;

/**
 * Recently read archive segments, decoded, least recently used first out. Segments never
 * change once written, so a cached one is exactly what KV would return, without the read
 * or the JSON parse: consecutive context and search calls of a conversation keep recalling
 * from the same few segments.
 */
export class SegmentCache {
  private readonly entries = new Map<string, { segment: ArchiveSegment; bytes: number }>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  get(key: string): ArchiveSegment | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key); // re-inserted: now the most recently used
    this.entries.set(key, entry);
    return entry.segment;
  }

  set(key: string, segment: ArchiveSegment): void {
    const bytes = estimatedBytes(segment);
    if (bytes > this.maxBytes / 8) return; // one huge segment would push out everything
    this.delete(key);
    this.entries.set(key, { segment, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): { segments: number; bytes: number } {
    return { segments: this.entries.size, bytes: this.bytes };
  }
}

/** JavaScript strings take two bytes a character; a little more for each object. */
function estimatedBytes(segment: ArchiveSegment): number {
  let bytes = 64;
  for (const m of segment.messages) {
    bytes += 160 + 2 * (m.content.length + m.id.length + (m.name?.length ?? 0));
    if (m.metadata) bytes += 2 * JSON.stringify(m.metadata).length; // {} when none
  }
  return bytes;
}

/** The cache every conversation object of this isolate shares. */
export const isolateSegments = new SegmentCache(SEGMENT_CACHE_BYTES);

/**
 * An archive store that serves segments it has read before from `cache`. Its entries are
 * its own: keyed by an id drawn when it is made and drawn again when it deletes keys (an
 * erase), so a conversation erased and started again under the same KV keys — here, or in
 * another isolate that held the object before — is never served the old segments, not even
 * one a read in flight during the erase put back.
 */
export function cachedArchive(store: ArchiveStore, cache: SegmentCache): ArchiveStore {
  let scope = crypto.randomUUID();
  const cacheKey = (key: string, at = scope) => `${at}\n${key}`;
  return {
    put: (key, segment) => store.put(key, segment),
    async getMany(keys) {
      const at = scope; // a read that spans an erase caches under the old scope: unreachable
      const found = new Map<string, ArchiveSegment | null>();
      const missing: string[] = [];
      for (const key of keys) {
        const cached = cache.get(cacheKey(key, at));
        if (cached) found.set(key, cached);
        else missing.push(key);
      }
      if (missing.length > 0) {
        for (const [key, segment] of await store.getMany(missing)) {
          found.set(key, segment);
          if (segment) cache.set(cacheKey(key, at), segment);
        }
      }
      return found;
    },
    async delete(keys) {
      for (const key of keys) cache.delete(cacheKey(key));
      scope = crypto.randomUUID();
      await store.delete(keys);
      scope = crypto.randomUUID(); // reads that started during the delete are left behind too
    },
  };
}
