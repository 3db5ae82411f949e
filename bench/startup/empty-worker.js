import { DurableObject } from "cloudflare:workers";
export class ConversationMemory extends DurableObject {}
export class TenantDirectory extends DurableObject {}
export class KeyRegistry extends DurableObject {}
export class MemoryRecord extends DurableObject {}
export class MemoryIndex extends DurableObject {}
export default {
  fetch: () => new Response('{"ok":true}', { headers: { "content-type": "application/json" } }),
};
