import { isToolExchange, toolExchangeUnits } from "../chat/tool-exchanges";
import { dateOf } from "./passages";
import { type RecentTurn, turnCost } from "./types";

/** A day line among the recent turns: the day the turns after it were said. */
export interface DayLine {
  day: string;
}

/**
 * The recent turns, newest first, read lazily from their source as the units a context
 * may hold (`toolExchangeUnits`: a message, or a tool exchange — tool calls with the tool
 * messages answering them, `tool_use` blocks with the message of their results — never
 * split). Each pass takes units while they fit and stops at the first
 * that does not, or that holds a turn recall already has — except a tool exchange too large
 * to fit beside the turns already taken in any pass (`room`), once the assistant's answer
 * after it is taken: it is passed over (left out, as a recent turn), and the turns before
 * it go on. Such an exchange is a step inside the assistant's turn, whose answer says what
 * came of it: an agent's large tool output no longer cuts the dialogue before it out of
 * the context. An exchange no answer follows yet (an agent mid-task) is what the model
 * needs next, and is never passed over.
 *
 * With `dayLine` (what a day line costs), a unit whose day differs from the unit before it
 * — or that is the oldest taken — gets a day line before it, paid in `cost`: taking an older
 * unit of the oldest taken unit's day moves that line up (no cost), another day adds one.
 * Lines stand between units, so never inside a tool exchange. A turn without a date gets
 * none and changes nothing.
 */
export class RecentTurns {
  /** Taken turns, newest first. */
  readonly turns: RecentTurn[] = [];
  readonly seqs = new Set<number>();
  /** What the taken turns cost, with their day lines. */
  cost = 0;
  /** Taken units, newest first, each in conversation order. */
  private readonly units: RecentTurn[][] = [];
  private readonly iterator: Iterator<RecentTurn[]>;
  private pending: RecentTurn[] | undefined;
  private done = false;
  /** The day of the oldest taken unit that has one. */
  private oldestDay: string | undefined;
  /** Tool exchanges passed over, too large for any pass. */
  private readonly passed: RecentTurn[][] = [];
  /** An assistant's answer (no tool calls) is taken: the exchanges before it led to it. */
  private answered = false;

  constructor(
    source: Iterable<RecentTurn>,
    private readonly dayLine?: (day: string) => number,
    /** The most the recent turns could ever take (the budget after pinned messages). */
    private readonly room = Number.POSITIVE_INFINITY,
  ) {
    this.iterator = toolExchangeUnits(source)[Symbol.iterator]();
  }

  /** The next unit's cost (with the day line it adds), or 0 when none is left. */
  peekCost(): number {
    const unit = this.peek();
    return unit ? this.costOf(unit) : 0;
  }

  take(budget: number, held: (turn: RecentTurn) => boolean): void {
    for (let unit = this.peek(); unit !== undefined; unit = this.peek()) {
      const cost = this.costOf(unit);
      if (unit.some(held)) return;
      if (this.cost + cost > budget) {
        if (!this.answered || !isToolExchange(unit) || this.cost + cost <= this.room) return;
        this.passed.push(unit);
        this.pending = undefined;
        continue;
      }
      this.units.push(unit);
      for (const turn of [...unit].reverse()) {
        this.turns.push(turn);
        this.seqs.add(turn.seq);
      }
      this.cost += cost;
      this.answered ||= unit.at(-1)?.role === "assistant" && !isToolExchange(unit);
      this.oldestDay = this.dayOf(unit) ?? this.oldestDay;
      this.pending = undefined;
    }
  }

  /** The taken turns in conversation order, each day's first after its day line. */
  withDayLines(): (RecentTurn | DayLine)[] {
    const out: (RecentTurn | DayLine)[] = [];
    let previous: string | undefined;
    for (const unit of [...this.units].reverse()) {
      const day = this.dayOf(unit);
      if (day !== undefined && day !== previous) out.push({ day });
      previous = day ?? previous;
      out.push(...unit);
    }
    return out;
  }

  /** A unit's cost where it would be taken next: its turns, and a day line it adds. */
  private costOf(unit: readonly RecentTurn[]): number {
    const turns = unit.reduce((sum, turn) => sum + turnCost(turn), 0);
    const day = this.dayOf(unit);
    return day === undefined || day === this.oldestDay ? turns : turns + (this.dayLine?.(day) ?? 0);
  }

  /** The day (YYYY-MM-DD) a unit was said, its first turn's; none without day lines. */
  private dayOf(unit: readonly RecentTurn[]): string | undefined {
    return this.dayLine ? dateOf(unit[0] ?? {}) || undefined : undefined;
  }

  /** No unit is left to take (some may have been passed over). */
  exhausted(): boolean {
    return this.peek() === undefined;
  }

  /** Every turn of the source is taken: none left, none passed over. */
  allTaken(): boolean {
    return this.exhausted() && this.passed.length === 0;
  }

  /** Whether a turn not taken is in neither the recent turns nor `recalled`. */
  missing(recalled: ReadonlySet<number>): boolean {
    const absent = (unit: readonly RecentTurn[]) => unit.some((turn) => !recalled.has(turn.seq));
    if (this.passed.some(absent)) return true;
    for (let unit = this.peek(); unit !== undefined; unit = this.peek()) {
      if (absent(unit)) return true;
      this.pending = undefined;
    }
    return false;
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
