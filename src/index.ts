import { createApp } from "./app";

export { ConversationMemory } from "./durable/conversation-memory";
export { KeyRegistry } from "./durable/key-registry";
export { MemoryIndex } from "./durable/memory-index";
export { MemoryRecord } from "./durable/memory-record";
export { TenantDirectory } from "./durable/tenant-directory";

export default createApp();
