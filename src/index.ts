import { createApp } from "./app";

export { ConversationMemory } from "./durable/conversation-memory";
export { KeyRegistry } from "./durable/key-registry";
export { TenantDirectory } from "./durable/tenant-directory";

export default createApp();
