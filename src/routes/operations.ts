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

const home = createRoute({
  method: "get",
  path: "/",
  tags: ["Operations"],
  summary: "Where to start (no auth)",
  responses: {
    200: {
      description:
        "Links to the API reference, the OpenAPI document, the inspector and the health check.",
      content: {
        "application/json": {
          schema: z.object({
            name: z.literal("edgemem"),
            version: z.string().openapi({ example: VERSION }),
            docs: z.string().openapi({
              description: "The interactive API reference (works offline).",
              example: "/docs",
            }),
            openapi: z.string().openapi({ example: "/openapi.json" }),
            inspector: z.string().openapi({
              description:
                "A page for looking at what is stored and what the model will see (the key is typed there, or passed in the URL fragment).",
              example: "/inspector",
            }),
            health: z.string().openapi({ example: "/healthz" }),
            auth: z.string().openapi({
              example: "Send Authorization: Bearer <apiKey> on every /v1 route.",
            }),
          }),
        },
      },
    },
  },
});

export function operationRoutes() {
  const app = newRouter();
  app.openapi(home, (c) =>
    c.json(
      {
        name: "edgemem" as const,
        version: VERSION,
        docs: "/docs",
        openapi: "/openapi.json",
        inspector: "/inspector",
        health: "/healthz",
        auth: "Send Authorization: Bearer <apiKey> on every /v1 route.",
      },
      200,
    ),
  );
  app.openapi(health, (c) => {
    return c.json({ ok: true as const, version: VERSION }, 200);
  });
  return app;
}
