import { requestId } from "hono/request-id";
import { motorheadRoutes } from "./compat/motorhead";
import { documentCompatRoutes } from "./compat/openapi";
import { zepRoutes, zepVersionHeader } from "./compat/zep";
import { ApiError } from "./http/errors";
import { accessLog } from "./http/middleware/access-log";
import { apiKeyAuth } from "./http/middleware/auth";
import { corsPolicy } from "./http/middleware/cors-policy";
import { methodGuard } from "./http/middleware/method-guard";
import { requestGuards } from "./http/middleware/request-guards";
import { securityHeaders } from "./http/middleware/security-headers";
import { renderProblem } from "./http/render";
import { newRouter } from "./http/router";
import { adminRoutes } from "./routes/admin";
import { contextRoutes } from "./routes/context";
import { conversationRoutes } from "./routes/conversations";
import { DOCS_CSP, docsPage } from "./routes/docs-page";
import { memoryRoutes } from "./routes/memories";
import { memoryImportRoutes } from "./routes/memory-import";
import { messageRoutes } from "./routes/messages";
import { operationRoutes, VERSION } from "./routes/operations";
import { userRoutes } from "./routes/users";

/** `/v1/admin` and everything under it takes the root key; the rest of `/v1` tenant keys. */
const isAdminPath = (path: string) => path === "/v1/admin" || path.startsWith("/v1/admin/");

export function createApp() {
  const app = newRouter();

  app.use(requestId({ headerName: "x-request-id" }));
  app.use(accessLog());
  app.use(securityHeaders());
  app.use(corsPolicy());
  app.use("/healthz", zepVersionHeader());
  const tenantAuth = apiKeyAuth({ scope: "tenant" });
  const rootAuth = apiKeyAuth({ scope: "root" });
  app.use("/v1/*", (c, next) => (isAdminPath(c.req.path) ? rootAuth : tenantAuth)(c, next));
  // The compat APIs authenticate in their own routers, then run the same guards.
  app.use("/v1/*", ...requestGuards());
  app.use(methodGuard(() => app.routes));

  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An edgemem API key; it decides the tenant.",
  });

  app.route("/", operationRoutes());
  app.route("/", conversationRoutes());
  app.route("/", messageRoutes());
  app.route("/", contextRoutes());
  app.route("/", memoryRoutes());
  app.route("/", memoryImportRoutes());
  app.route("/", userRoutes());
  app.route("/", adminRoutes());
  app.route("/", motorheadRoutes());
  app.route("/", zepRoutes());
  documentCompatRoutes(app.openAPIRegistry);

  // Generated on first request, once per isolate: it costs 8–20 ms and needs no key.
  let openapi: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  const openapiConfig: Parameters<typeof app.getOpenAPI31Document>[0] = {
    openapi: "3.1.0",
    info: {
      title: "edgemem",
      version: VERSION,
      description:
        "Memory API for LLM applications: per-conversation working memory with exact token accounting, a long-term tier, and budgeted context.",
    },
    servers: [{ url: "/" }],
  };
  app.get("/openapi.json", (c) => {
    openapi ??= app.getOpenAPI31Document(openapiConfig);
    return c.json(openapi);
  });
  app.get("/docs", (c) => c.html(docsPage(), 200, { "content-security-policy": DOCS_CSP }));

  app.notFound((c) => renderProblem(new ApiError("not_found", "No such route"), c));
  app.onError(renderProblem);
  return app;
}
