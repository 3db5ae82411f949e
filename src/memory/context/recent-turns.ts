import { messageCost, type RecentTurn } from "./types";

/**
 * The recent turns, newest first, read lazily from their source: each pass takes turns
 * while they fit and stops at the first that does not or that recall already holds.
 */
export class RecentTurns {
  readonly turns: RecentTurn[] = [];
  readonly seqs = new Set<number>();
  cost = 0;
  private readonly iterator: Iterator<RecentTurn>;
  private pending: RecentTurn | undefined;
  private done = false;

  constructor(source: Iterable<RecentTurn>) {
    this.iterator = source[Symbol.iterator]();
  }

  peek(): RecentTurn | undefined {
    if (this.pending === undefined && !this.done) {
      const next = this.iterator.next();
      if (next.done) this.done = true;
      else this.pending = next.value;
    }
    return this.pending;
  }

  take(budget: number, held: (turn: RecentTurn) => boolean): void {
    for (let turn = this.peek(); turn !== undefined; turn = this.peek()) {
      const cost = messageCost(turn.tokens, turn.name);
      if (this.cost + cost > budget || held(turn)) return;
      this.turns.push(turn);
      this.seqs.add(turn.seq);
      this.cost += cost;
      this.pending = undefined;
    }
  }

  exhausted(): boolean {
    return this.peek() === undefined;
  }

  /** Whether a turn older than those taken is in neither the recent turns nor `recalled`. */
  missing(recalled: ReadonlySet<number>): boolean {
    for (let turn = this.peek(); turn !== undefined; turn = this.peek()) {
      if (!recalled.has(turn.seq)) return true;
      this.pending = undefined;
    }
    return false;
  }

  close(): void {
    // Lets a generator streaming rows from storage release its cursor.
    this.iterator.return?.();
  }
}
