import { createRoute, type OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import type { HonoEnv } from "../env";
import { COMMON_ERRORS, ERROR_TABLE, type ErrorCode } from "../http/errors";
import { json } from "../http/router";
import {
  MotorheadError,
  MotorheadHealth,
  MotorheadKeyParams,
  MotorheadMemory,
  MotorheadMemoryBody,
  MotorheadRetrievalBody,
  MotorheadRetrievalHit,
  MotorheadSessionParams,
  MotorheadSessionsQuery,
  MotorheadStatus,
} from "./motorhead-schemas";
import {
  ZepLastnQuery,
  ZepMemory,
  ZepMemoryBody,
  ZepSearchBody,
  ZepSearchHit,
  ZepSearchQuery,
  ZepSession,
  ZepSessionBody,
  ZepSessionParams,
} from "./zep-schemas";

type Registry = OpenAPIHono<HonoEnv>["openAPIRegistry"];

/** What any compat route can refuse: the same checks, limits and statuses as `/v1`. */
const COMPAT_ERRORS: ErrorCode[] = [...COMMON_ERRORS, "unavailable"];

/** Error answers in a compat API's own format, from the one code table. */
function compatErrors(codes: ErrorCode[], content: Record<string, { schema: z.ZodType }>) {
  const responses: Record<number, { description: string; content: typeof content }> = {};
  for (const code of codes) {
    const { status, title } = ERROR_TABLE[code];
    const existing = responses[status];
    responses[status] = {
      description: existing ? `${existing.description}; ${code}` : `${title} (${code})`,
      content,
    };
  }
  return responses;
}

const motorheadErrors = (...extra: ErrorCode[]) =>
  compatErrors([...COMPAT_ERRORS, ...extra], json(MotorheadError));

const ZepErrorText = z.string().openapi({
  description: "Zep answers errors as plain text: the problem's detail, then one line per field.",
  example: "Invalid field: sessionId",
});
const zepErrors = (...extra: ErrorCode[]) =>
  compatErrors([...COMPAT_ERRORS, ...extra], { "text/plain": { schema: ZepErrorText } });

const OK_TEXT = { "text/plain": { schema: z.literal("OK") } };

/** Motorhead takes the key as a bearer token, in `x-metal-api-key`, or (key routes) in the path. */
const MOTORHEAD_SECURITY: Record<string, string[]>[] = [{ apiKey: [] }, { metalApiKey: [] }];
const ZEP_SECURITY: Record<string, string[]>[] = [{ apiKey: [] }];

function motorheadRoutes(prefix: string, keyInPath: boolean): RouteConfig[] {
  const tags = ["Motorhead compatibility"];
  const sessionParams = keyInPath
    ? MotorheadSessionParams.extend(MotorheadKeyParams.shape)
    : MotorheadSessionParams;
  const where = keyInPath ? " The key travels in the path." : "";
  const authed = { tags, security: MOTORHEAD_SECURITY };
  return [
    createRoute({
      method: "get",
      path: prefix,
      tags,
      summary: "Motorhead health check (no key needed)",
      ...(keyInPath ? { request: { params: MotorheadKeyParams } } : {}),
      responses: { 200: { description: "Serving.", content: json(MotorheadHealth) } },
    }),
    createRoute({
      method: "get",
      path: `${prefix}/sessions/{sessionId}/memory`,
      ...authed,
      summary: "A session's recent messages and summary",
      description: `Newest first. An unknown session is 200 with no messages and a null context.${where}`,
      request: { params: sessionParams },
      responses: {
        200: { description: "The session's memory.", content: json(MotorheadMemory) },
        ...motorheadErrors(),
      },
    }),
    createRoute({
      method: "post",
      path: `${prefix}/sessions/{sessionId}/memory`,
      ...authed,
      summary: "Append messages (and replace the summary); creates the session",
      description: `Any content type is read as JSON.${where}`,
      request: {
        params: sessionParams,
        body: { content: json(MotorheadMemoryBody), required: true },
      },
      responses: {
        200: { description: "Stored.", content: json(MotorheadStatus) },
        ...motorheadErrors("conflict"),
      },
    }),
    createRoute({
      method: "delete",
      path: `${prefix}/sessions/{sessionId}/memory`,
      ...authed,
      summary: "Erase the session (idempotent: an unknown session is 200 too)",
      description: `As \`DELETE /v1/conversations/{conversationId}\`.${where}`,
      request: { params: sessionParams },
      responses: {
        200: { description: "Erased.", content: json(MotorheadStatus) },
        ...motorheadErrors(),
      },
    }),
    createRoute({
      method: "post",
      path: `${prefix}/sessions/{sessionId}/retrieval`,
      ...authed,
      summary: "Full-text search of the session's messages, best first (at most 10)",
      description: `An unknown session gives an empty list.${where}`,
      request: {
        params: sessionParams,
        body: { content: json(MotorheadRetrievalBody), required: true },
      },
      responses: {
        200: { description: "Hits.", content: json(z.array(MotorheadRetrievalHit)) },
        ...motorheadErrors(),
      },
    }),
    createRoute({
      method: "get",
      path: `${prefix}/sessions`,
      ...authed,
      summary: "The tenant's session ids, most recent first",
      description: where.trim() || undefined,
      request: {
        query: MotorheadSessionsQuery,
        ...(keyInPath ? { params: MotorheadKeyParams } : {}),
      },
      responses: {
        200: { description: "Session ids.", content: json(z.array(z.string())) },
        ...motorheadErrors(),
      },
    }),
  ];
}

function zepRoutes(): RouteConfig[] {
  const tags = ["Zep compatibility"];
  const authed = { tags, security: ZEP_SECURITY };
  const params = ZepSessionParams;
  return [
    createRoute({
      method: "get",
      path: "/api/v1/sessions/{sessionId}/memory",
      ...authed,
      summary: "A session's messages (oldest first) and summary",
      request: { params, query: ZepLastnQuery },
      responses: {
        200: { description: "The session's memory.", content: json(ZepMemory) },
        ...zepErrors("not_found"),
      },
    }),
    createRoute({
      method: "post",
      path: "/api/v1/sessions/{sessionId}/memory",
      ...authed,
      summary: "Append messages, merge metadata, replace the summary; creates the session",
      description: "Any content type is read as JSON; unknown fields are accepted.",
      request: { params, body: { content: json(ZepMemoryBody), required: true } },
      responses: {
        200: { description: "Stored.", content: OK_TEXT },
        ...zepErrors("conflict"),
      },
    }),
    createRoute({
      method: "delete",
      path: "/api/v1/sessions/{sessionId}/memory",
      ...authed,
      summary: "Erase the session",
      request: { params },
      responses: {
        200: { description: "Erased.", content: OK_TEXT },
        ...zepErrors("not_found"),
      },
    }),
    createRoute({
      method: "post",
      path: "/api/v1/sessions/{sessionId}/search",
      ...authed,
      summary: "Full-text search of the session's messages, best first",
      request: {
        params,
        query: ZepSearchQuery,
        body: { content: json(ZepSearchBody), required: true },
      },
      responses: {
        200: { description: "Hits.", content: json(z.array(ZepSearchHit)) },
        ...zepErrors("not_found"),
      },
    }),
    createRoute({
      method: "get",
      path: "/api/v1/sessions/{sessionId}",
      ...authed,
      summary: "A session",
      request: { params },
      responses: {
        200: { description: "The session.", content: json(ZepSession) },
        ...zepErrors("not_found"),
      },
    }),
    createRoute({
      method: "post",
      path: "/api/v1/sessions",
      ...authed,
      summary: "Create or update a session",
      request: { body: { content: json(ZepSessionBody), required: true } },
      responses: {
        201: { description: "The session.", content: json(ZepSession) },
        ...zepErrors("conflict"),
      },
    }),
  ];
}

/**
 * Describes the Motorhead and Zep routes in `/openapi.json`. They are plain Hono routes
 * (their error formats are their own), so they are registered here, from the same
 * schemas that validate their bodies.
 */
export function documentCompatRoutes(registry: Registry): void {
  registry.registerComponent("securitySchemes", "metalApiKey", {
    type: "apiKey",
    in: "header",
    name: "x-metal-api-key",
    description: "Motorhead's key header: an edgemem API key.",
  });
  for (const route of [
    ...motorheadRoutes("/compat/motorhead", false),
    ...motorheadRoutes("/compat/motorhead/key/{apiKey}", true),
    ...zepRoutes(),
  ]) {
    registry.registerPath(route);
  }
}
