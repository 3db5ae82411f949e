import { createApp } from "./app";

export { ConversationMemory } from "./durable/conversation-memory";
export { TenantDirectory } from "./durable/tenant-directory";

export default createApp();
