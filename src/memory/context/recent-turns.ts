import { toolExchangeUnits } from "../chat/tool-exchanges";
import { type RecentTurn, turnCost } from "./types";

/**
 * The recent turns, newest first, read lazily from their source as the units a context
 * may hold (`toolExchangeUnits`: a message, or an assistant message with the tool messages
 * answering it, never split). Each pass takes units while they fit and stops at the first
 * that does not, or that holds a turn recall already has.
 */
export class RecentTurns {
  /** Taken turns, newest first. */
  readonly turns: RecentTurn[] = [];
  readonly seqs = new Set<number>();
  cost = 0;
  /** Taken units, newest first, each in conversation order. */
  private readonly units: RecentTurn[][] = [];
  private readonly iterator: Iterator<RecentTurn[]>;
  private pending: RecentTurn[] | undefined;
  private done = false;

  constructor(source: Iterable<RecentTurn>) {
    this.iterator = toolExchangeUnits(source)[Symbol.iterator]();
  }

  /** The next unit's cost, or 0 when none is left. */
  peekCost(): number {
    return costOf(this.peek() ?? []);
  }

  take(budget: number, held: (turn: RecentTurn) => boolean): void {
    for (let unit = this.peek(); unit !== undefined; unit = this.peek()) {
      const cost = costOf(unit);
      if (this.cost + cost > budget || unit.some(held)) return;
      this.units.push(unit);
      for (const turn of [...unit].reverse()) {
        this.turns.push(turn);
        this.seqs.add(turn.seq);
      }
      this.cost += cost;
      this.pending = undefined;
    }
  }

  exhausted(): boolean {
    return this.peek() === undefined;
  }

  /** Whether a turn older than those taken is in neither the recent turns nor `recalled`. */
  missing(recalled: ReadonlySet<number>): boolean {
    for (let unit = this.peek(); unit !== undefined; unit = this.peek()) {
      if (unit.some((turn) => !recalled.has(turn.seq))) return true;
      this.pending = undefined;
    }
    return false;
  }

  /** The taken turns in conversation order. */
  inOrder(): RecentTurn[] {
    return [...this.units].reverse().flat();
  }

  close(): void {
    // Lets a generator streaming rows from storage release its cursor.
    this.iterator.return?.();
  }

  private peek(): RecentTurn[] | undefined {
    if (this.pending === undefined && !this.done) {
      const next = this.iterator.next();
      if (next.done) this.done = true;
      else this.pending = next.value;
    }
    return this.pending;
  }
}

const costOf = (unit: readonly RecentTurn[]) => unit.reduce((sum, turn) => sum + turnCost(turn), 0);
