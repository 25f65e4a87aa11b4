/**
 * Best available seats (API.md v2 "Best available"): pure choice of `quantity` adjacent free seats, with no
 * database in sight, so the rule can be tested on small grids. HoldsService.lockBest runs it inside the
 * transaction that then locks the chosen seats.
 */

/** One physical row of a zone: its cells in order along the row; null is an aisle or gap and breaks the row. */
export interface SeatLine {
  zoneId: string;
  cells: (string | null)[];
}

export interface BestBlockOptions {
  quantity: number;
  /** free for this buyer now (AVAILABLE, or LOCKED with an expired hold) */
  isFree(seatId: string): boolean;
  /** how far a block is from the ring (any unit; smaller is better) */
  distance(seatIds: string[]): number;
}

interface Candidate {
  seats: string[];
  strands: boolean;
  distance: number;
  order: number;
}

/**
 * The best block of `quantity` seats side by side in one row, or undefined when no row has that many free
 * seats together. Preference, in order:
 *   1. a block that leaves no single free seat stranded next to it (between the block and a taken seat, a
 *      gap or the row's end) — such a seat is hard to sell; a stranding block is chosen only when no other exists;
 *   2. the block nearest the ring (`distance`);
 *   3. then the earlier row and the earlier position in it (a stable, deterministic answer).
 */
export function chooseBestBlock(lines: SeatLine[], opts: BestBlockOptions): string[] | undefined {
  const { quantity } = opts;
  if (!Number.isInteger(quantity) || quantity < 1) return undefined;
  let best: Candidate | undefined;
  let order = 0;
  for (const line of lines) {
    for (const run of freeRuns(line.cells, opts.isFree)) {
      for (let at = 0; at + quantity <= run.length; at++) {
        const before = at;
        const after = run.length - at - quantity;
        const seats = run.slice(at, at + quantity);
        const c: Candidate = { seats, strands: before === 1 || after === 1, distance: opts.distance(seats), order: order++ };
        if (!best || better(c, best)) best = c;
      }
    }
  }
  return best?.seats;
}

function better(a: Candidate, b: Candidate): boolean {
  if (a.strands !== b.strands) return !a.strands;
  if (a.distance !== b.distance) return a.distance < b.distance;
  return a.order < b.order;
}

/** The maximal stretches of consecutive free seats of a row (a gap or a taken seat ends a stretch). */
function freeRuns(cells: (string | null)[], isFree: (id: string) => boolean): string[][] {
  const runs: string[][] = [];
  let run: string[] = [];
  for (const cell of cells) {
    if (cell !== null && isFree(cell)) run.push(cell);
    else if (run.length) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  return runs;
}

/** Distance of a point from a square ring (0 inside it). */
export function distanceToRing(p: { x: number; y: number }, ring: { x: number; y: number; size: number }): number {
  const half = ring.size / 2;
  const dx = Math.max(0, Math.abs(p.x - ring.x) - half);
  const dy = Math.max(0, Math.abs(p.y - ring.y) - half);
  return Math.hypot(dx, dy);
}
