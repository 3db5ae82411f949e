import { createApp } from "./app";

export { ConversationMemory } from "./durable/conversation/conversation-memory";
export { TenantDirectory } from "./durable/directory/tenant-directory";
export { KeyRegistry } from "./durable/keys/key-registry";
export { MemoryIndex } from "./durable/memories/memory-index";
export { MemoryRecord } from "./durable/memories/memory-record";

export default createApp();
