import { OpenAPIHono } from "@hono/zod-openapi";
import type { HonoEnv } from "../env";
import { validationHook } from "./validation";

/** Every route group is built on this, so each shares the one validation hook. */
export const newRouter = () => new OpenAPIHono<HonoEnv>({ defaultHook: validationHook });

/** The security requirement of every tenant and admin route (the `apiKey` bearer scheme). */
export const security = [{ apiKey: [] }];

/** A JSON request or response body of the given schema, for `createRoute`. */
export const json = <T>(schema: T) => ({ "application/json": { schema } });
