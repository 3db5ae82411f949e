import { createRoute, z } from "@hono/zod-openapi";
import { newRouter } from "../http/router";

export const VERSION = "0.1.0";

const health = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["Operations"],
  summary: "Liveness check (no auth)",
  responses: {
    200: {
      description: "The Worker is serving.",
      content: {
        "application/json": {
          schema: z.object({
            ok: z.literal(true),
            version: z.string().openapi({ example: VERSION }),
          }),
        },
      },
    },
  },
});

export function operationRoutes() {
  const app = newRouter();
  app.openapi(health, (c) => {
    return c.json({ ok: true as const, version: VERSION }, 200);
  });
  return app;
}
