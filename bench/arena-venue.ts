/**
 * Writes a 20,000-seat arena in the demo venue's format, for VENUE_FILE (issue 13: a large venue):
 *
 *   npx tsx bench/arena-venue.ts [out.json] [--seats 20000]
 *
 * A square stage in the middle, a lower tier of four zones around it (20 rows) and an upper tier of four behind
 * those (31 rows), aisles every 24 seats. Seat ids are `<zone code>-<row><number>` (e.g. `LN-C12`), rows lettered
 * from the stage outwards as the server letters them. The back rows of the upper tier are shortened until the
 * arena has exactly `--seats` seats.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { rowLabel } from '../src/modules/catalog/venue.ts';

type Side = 'top' | 'bottom' | 'left' | 'right';
interface ZonePlan {
  id: string;
  code: string;
  name: { en: string; th: string };
  ticketType: string;
  /** top-left cell, before the shift that makes every cell positive */
  col: number;
  row: number;
  /** seats along a row, rows away from the stage */
  length: number;
  depth: number;
  ringSide: Side;
}

const STAGE = 48;
const GAP = 2;
const LOWER = 20;
const UPPER = 31;
/** a null cell after every this many seats of a row */
const AISLE_EVERY = 24;

/** The eight zones around the stage at (0, 0), in cells. */
function plan(): ZonePlan[] {
  const lowerSpan = STAGE + 2 * (GAP + LOWER);
  const upperSpan = lowerSpan + 2 * (GAP + UPPER);
  const l = -(GAP + LOWER);
  const u = l - GAP - UPPER;
  return [
    { id: 'lower-north', code: 'LN', name: { en: 'Lower north', th: 'ชั้นล่าง ทิศเหนือ' }, ticketType: 'LOWER', col: l, row: l, length: lowerSpan, depth: LOWER, ringSide: 'bottom' },
    { id: 'lower-south', code: 'LS', name: { en: 'Lower south', th: 'ชั้นล่าง ทิศใต้' }, ticketType: 'LOWER', col: l, row: STAGE + GAP, length: lowerSpan, depth: LOWER, ringSide: 'top' },
    { id: 'lower-west', code: 'LW', name: { en: 'Lower west', th: 'ชั้นล่าง ทิศตะวันตก' }, ticketType: 'LOWER', col: l, row: 0, length: STAGE, depth: LOWER, ringSide: 'right' },
    { id: 'lower-east', code: 'LE', name: { en: 'Lower east', th: 'ชั้นล่าง ทิศตะวันออก' }, ticketType: 'LOWER', col: STAGE + GAP, row: 0, length: STAGE, depth: LOWER, ringSide: 'left' },
    { id: 'upper-north', code: 'UN', name: { en: 'Upper north', th: 'ชั้นบน ทิศเหนือ' }, ticketType: 'UPPER', col: u, row: u, length: upperSpan, depth: UPPER, ringSide: 'bottom' },
    { id: 'upper-south', code: 'US', name: { en: 'Upper south', th: 'ชั้นบน ทิศใต้' }, ticketType: 'UPPER', col: u, row: STAGE - l + GAP, length: upperSpan, depth: UPPER, ringSide: 'top' },
    { id: 'upper-west', code: 'UW', name: { en: 'Upper west', th: 'ชั้นบน ทิศตะวันตก' }, ticketType: 'UPPER', col: u, row: l, length: lowerSpan, depth: UPPER, ringSide: 'right' },
    { id: 'upper-east', code: 'UE', name: { en: 'Upper east', th: 'ชั้นบน ทิศตะวันออก' }, ticketType: 'UPPER', col: STAGE - l + GAP, row: l, length: lowerSpan, depth: UPPER, ringSide: 'left' },
  ];
}

/** Seats of one row `length` cells long with aisles, `limit` at most: the cells and how many seats they hold. */
function rowCells(code: string, distance: number, length: number, limit: number): { cells: (string | null)[]; seats: number } {
  const cells: (string | null)[] = [];
  let n = 0;
  for (let i = 0; i < length; i++) {
    const aisle = (i + 1) % (AISLE_EVERY + 1) === 0;
    if (aisle || n >= limit) cells.push(null);
    else cells.push(`${code}-${rowLabel(distance)}${++n}`);
  }
  return { cells, seats: n };
}

/** The arena as a venue file object with exactly `seats` seats (at most what the eight zones hold). */
export function arenaVenue(seats = 20_000) {
  const zones = plan();
  const capacity = zones.reduce((sum, z) => sum + z.depth * rowCells(z.code, 0, z.length, Infinity).seats, 0);
  if (seats > capacity) throw new Error(`the arena holds at most ${capacity} seats`);
  let surplus = capacity - seats;
  const shift = -Math.min(...zones.map((z) => Math.min(z.col, z.row)));
  const out = zones.map((z) => {
    // rows by distance from the stage; the surplus comes off the back rows of the upper tier
    const rows: (string | null)[][] = [];
    for (let d = z.depth - 1; d >= 0; d--) {
      const full = rowCells(z.code, d, z.length, Infinity).seats;
      const cut = z.ticketType === 'UPPER' ? Math.min(surplus, Math.floor(full / 2)) : 0;
      surplus -= cut;
      rows.push(rowCells(z.code, d, z.length, full - cut).cells);
    }
    // rows.at(0) is the farthest row; lay the rows out so the nearest faces the stage
    const lines = z.ringSide === 'bottom' || z.ringSide === 'right' ? rows : [...rows].reverse();
    const grid = z.ringSide === 'top' || z.ringSide === 'bottom' ? lines : transpose(lines);
    return {
      id: z.id,
      name: z.name,
      ticketType: z.ticketType,
      at: { col: z.col + shift, row: z.row + shift, ringSide: z.ringSide },
      grid,
    };
  });
  if (surplus > 0) throw new Error(`could not take ${surplus} seats off the upper tier`);
  const span = STAGE + 2 * shift;
  return {
    about: `A generated ${seats}-seat arena (bench/arena-venue.ts) in the demo venue's format: a stage in the middle, two tiers of four zones around it.`,
    venue: { name: 'Generated Arena', timezone: 'Asia/Bangkok', currency: 'THB' },
    prices: { LOWER: 2500, UPPER: 1200 },
    standing: { capacity: 2000, prices: { adult: 900, child: 600 } },
    layout: { cols: span, rows: span, ring: { col: shift, row: shift, size: STAGE } },
    zones: out,
  };
}

/** Lines along the rows → grid lines across them (a side stand's rows run down the grid's columns). */
function transpose(lines: (string | null)[][]): (string | null)[][] {
  return lines[0].map((_, c) => lines.map((line) => line[c]));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--seats');
  const seats = at >= 0 ? Number(args.splice(at, 2)[1]) : 20_000;
  const file = args[0] ?? 'arena-venue.json';
  const venue = arenaVenue(seats);
  writeFileSync(file, JSON.stringify(venue));
  process.stdout.write(`wrote ${file}: ${seats} seats in ${venue.zones.length} zones; start with VENUE_FILE=${file}\n`);
}
