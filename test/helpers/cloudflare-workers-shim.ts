/**
 * Lets Node load modules that import `cloudflare:workers` (Durable Object classes) so
 * the OpenAPI document can be generated and validated there. Nothing here runs a
 * Durable Object: every test of behaviour runs inside workerd.
 */
export class DurableObject {
  constructor(
    readonly ctx: unknown,
    readonly env: unknown,
  ) {}
}
