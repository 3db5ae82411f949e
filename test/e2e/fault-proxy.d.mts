export interface FaultProxy {
  url: string;
  /** Queued faults, taken one per request: "drop", or "status:429" / "status:503" …. */
  faults: string[];
  seen: { method: string; url: string; headers: Record<string, unknown>; fault: string | null }[];
  close(): Promise<void>;
}
export function startFaultProxy(target: string): Promise<FaultProxy>;
