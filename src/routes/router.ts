import { OpenAPIHono } from "@hono/zod-openapi";
import type { HonoEnv } from "../env";
import { validationHook } from "../validation";

/** Every route group is built on this, so each shares the one validation hook. */
export const newRouter = () => new OpenAPIHono<HonoEnv>({ defaultHook: validationHook });
