import { readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { Ajv } from 'ajv';
import venueJson from './demo-venue.json' with { type: 'json' };
import { ConfigError } from '../../config.ts';
import type { SeatLine } from '../holds/best-available.ts';

/** The standing area's name when the venue file gives none. */
const STANDING_NAME = { en: 'Standing (general admission)', th: 'บัตรยืน (ไม่ระบุที่นั่ง)' };

/** A name in English and Thai (zones, standing, and the venue itself may give one). */
const Names = Type.Object({ en: Type.String({ minLength: 1, maxLength: 200 }), th: Type.String({ minLength: 1, maxLength: 200 }) });

/** One cell of the drawing grid, in pixels of the seat map's own coordinate space. */
const CELL = 30;

const RingSide = Type.Union([Type.Literal('top'), Type.Literal('bottom'), Type.Literal('left'), Type.Literal('right')]);
const GridCell = Type.Union([Type.String({ pattern: '^[A-Za-z0-9_-]{1,16}$' }), Type.Null()]);

/**
 * A venue file (VENUE_FILE; the demo venue's format, `src/modules/catalog/demo-venue.json`). Each zone is a grid
 * of cells: a string is a seat id (1-16 of A-Z a-z 0-9 _ -, the seat's number is its trailing digits), null an
 * aisle or gap. Where the grids sit is said by the optional `layout` (grid size and the ring or stage, in cells)
 * and each zone's `at` (its top-left cell and the side of the grid facing the ring); the demo venue's own zones
 * have built-in places. The venue's `name` is one string, or `{en, th}` like a zone's (the Thai name for Thai pages).
 * Fields not named here (notes, `about`) are allowed and ignored.
 */
export const VenueFileSchema = Type.Object({
  venue: Type.Object({ name: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Names]), timezone: Type.Optional(Type.String()), currency: Type.String({ pattern: '^[A-Z]{3}$' }) }),
  prices: Type.Record(Type.String({ minLength: 1 }), Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  standing: Type.Optional(
    Type.Object({
      capacity: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
      prices: Type.Object({ adult: Type.Integer({ minimum: 0 }), child: Type.Integer({ minimum: 0 }) }),
      name: Type.Optional(Type.Object({ en: Type.String({ minLength: 1, maxLength: 100 }), th: Type.String({ minLength: 1, maxLength: 100 }) })),
    }),
  ),
  layout: Type.Optional(
    Type.Object({
      cols: Type.Integer({ minimum: 1, maximum: 10_000 }),
      rows: Type.Integer({ minimum: 1, maximum: 10_000 }),
      ring: Type.Object({ col: Type.Integer({ minimum: 0 }), row: Type.Integer({ minimum: 0 }), size: Type.Integer({ minimum: 1 }) }),
    }),
  ),
  zones: Type.Array(
    Type.Object({
      id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
      name: Type.Object({ en: Type.String({ minLength: 1, maxLength: 100 }), th: Type.String({ minLength: 1, maxLength: 100 }) }),
      ticketType: Type.String({ minLength: 1 }),
      at: Type.Optional(Type.Object({ col: Type.Integer({ minimum: 0 }), row: Type.Integer({ minimum: 0 }), ringSide: RingSide })),
      grid: Type.Array(Type.Array(GridCell), { minItems: 1 }),
    }),
    { minItems: 1 },
  ),
});
type VenueFile = Static<typeof VenueFileSchema>;

export interface VenueZone {
  id: string;
  nameEn: string;
  nameTh: string;
  ticketType: string;
  price: number;
  currency: string;
  sortOrder: number;
}

export interface VenueSeat {
  id: string;
  zoneId: string;
  row: string;
  number: number;
  x: number;
  y: number;
}

/** General admission (standing) of the venue: one area per show, sold by count. */
export interface VenueStanding {
  name: { en: string; th: string };
  capacity: number;
  prices: { adult: number; child: number };
}

export interface VenueLayout {
  /** the venue's name in English (or its only name) */
  name: string;
  /** both names, when the venue file gives a Thai one */
  names?: { en: string; th: string };
  currency: string;
  width: number;
  height: number;
  ring: { x: number; y: number; size: number };
  zones: VenueZone[];
  seats: VenueSeat[];
  /** absent when the venue sells no standing places */
  standing?: VenueStanding;
  /** every physical row of seats, cells in order along it (null: aisle or gap), for best-available */
  lines: SeatLine[];
}

/**
 * Where each zone of the demo venue sits around the ring, in grid cells (its file has no `at`). The ring is in
 * the middle; the two stands run down its sides, the back blocks sit above it, ringside below it. `ringSide`
 * says which edge of the grid faces the ring: rows are lettered A, B, … from that edge outwards.
 */
const DEMO_PLACEMENT: Record<string, { col: number; row: number; ringSide: Static<typeof RingSide> }> = {
  left: { col: 0, row: 0, ringSide: 'right' },
  'back-left': { col: 9, row: 0, ringSide: 'bottom' },
  'back-right': { col: 19, row: 0, ringSide: 'bottom' },
  'front-ringside': { col: 11, row: 17, ringSide: 'top' },
  right: { col: 30, row: 0, ringSide: 'left' },
};
const DEMO_LAYOUT = { cols: 38, rows: 23, ring: { col: 15, row: 7, size: 8 } };

/** Row letters from the ring outwards: A … Z, then AA, AB, … (a 20,000-seat arena has more than 26 rows). */
export function rowLabel(distance: number): string {
  let n = distance;
  let label = '';
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}

/** The number printed on a seat: the trailing digits of its id ("343" → 343, "LN-C12" → 12; none → 0). */
function seatNumber(id: string): number {
  const digits = /(\d+)$/.exec(id);
  return digits ? Number.parseInt(digits[1], 10) : 0;
}

/** The demo venue (zones, seats with x/y and row letters) from demo-venue.json. */
export function demoVenue(): VenueLayout {
  return buildVenue(venueJson as VenueFile, 'the demo venue');
}

/**
 * The venue of VENUE_FILE, or the demo venue without one. A file that cannot be read, is not JSON or does not
 * fit the format is a ConfigError naming the file and the first bad path (one line at start-up), e.g.
 * `VENUE_FILE arena.json: /zones/3/grid/0/7: must match pattern …`.
 */
export function loadVenue(file?: string): VenueLayout {
  if (!file) return demoVenue();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`VENUE_FILE ${file}: ${err instanceof SyntaxError ? `not JSON (${err.message})` : `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`}`);
  }
  // checked by Ajv, the validator Fastify runs for every route's schema (TypeBox's own Compile and Value would load
  // ~300 more modules at every start-up, ~0.8 s of CPU through tsx); its first error names the bad path
  const check = new Ajv({ strict: false }).compile(VenueFileSchema);
  const problem = check(raw) ? undefined : check.errors?.[0];
  if (problem) throw new ConfigError(`VENUE_FILE ${file}: ${problem.instancePath || '/'}: ${problem.message}`);
  try {
    return buildVenue(raw as VenueFile, file);
  } catch (err) {
    if (err instanceof VenueError) throw new ConfigError(`VENUE_FILE ${file}: ${err.path}: ${err.message}`);
    throw err;
  }
}

/** A venue file that fits the schema but not the rules between its parts (a price missing, a seat twice). */
class VenueError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Zones, seats with x/y and row letters, and the rows for best-available, from a venue file that fits the schema. */
function buildVenue(file: VenueFile, source: string): VenueLayout {
  const frame = file.layout ?? (source === 'the demo venue' || file.zones.every((z) => DEMO_PLACEMENT[z.id]) ? DEMO_LAYOUT : undefined);
  if (!frame) throw new VenueError('/layout', 'required when a zone has no `at` (only the demo venue\'s zones have built-in places)');
  const zones: VenueZone[] = [];
  const seats: VenueSeat[] = [];
  const lines: SeatLine[] = [];
  const seen = new Map<string, string>();
  if (new Set(file.zones.map((z) => z.id)).size !== file.zones.length) {
    const i = file.zones.findIndex((z, j) => file.zones.findIndex((o) => o.id === z.id) !== j);
    throw new VenueError(`/zones/${i}/id`, `zone id "${file.zones[i].id}" is used twice`);
  }
  file.zones.forEach((zone, sortOrder) => {
    const place = zone.at ?? DEMO_PLACEMENT[zone.id];
    if (!place) throw new VenueError(`/zones/${sortOrder}/at`, `required: where zone "${zone.id}" sits ({col, row, ringSide})`);
    const price = file.prices[zone.ticketType];
    if (price === undefined) throw new VenueError(`/zones/${sortOrder}/ticketType`, `no price for ticket type "${zone.ticketType}" in /prices`);
    zones.push({ id: zone.id, nameEn: zone.name.en, nameTh: zone.name.th, ticketType: zone.ticketType, price, currency: file.venue.currency, sortOrder });
    // grids are padded with empty cells; a grid line shorter than the others lacks padding on the ring side
    const width = Math.max(...zone.grid.map((cells) => cells.length));
    const grid = zone.grid.map((cells) => {
      const pad: null[] = Array.from({ length: width - cells.length }, () => null);
      return place.ringSide === 'left' ? [...pad, ...cells] : [...cells, ...pad];
    });
    // a row of seats runs parallel to the ring's side: a grid line for the back and front, a grid column for the stands
    const alongRows = place.ringSide === 'top' || place.ringSide === 'bottom';
    const lineCount = alongRows ? grid.length : width;
    for (let i = 0; i < lineCount; i++) {
      const cells = alongRows ? grid[i] : grid.map((line) => line[i]);
      if (cells.some((id) => id)) lines.push({ zoneId: zone.id, cells: cells.map((id) => id || null) });
    }
    zone.grid.forEach((cells, r) =>
      cells.forEach((id, c) => {
        if (!id) return;
        const before = seen.get(id);
        if (before) throw new VenueError(`/zones/${sortOrder}/grid/${r}/${c}`, `seat id "${id}" is also at ${before}`);
        seen.set(id, `/zones/${sortOrder}/grid/${r}/${c}`);
      }),
    );
    if (place.col + width > frame.cols || place.row + grid.length > frame.rows) {
      throw new VenueError(`/zones/${sortOrder}/at`, `zone "${zone.id}" (${width}×${grid.length} cells at ${place.col},${place.row}) runs past the layout's ${frame.cols}×${frame.rows} cells`);
    }
    if (!zone.grid.some((cells) => cells.some(Boolean))) throw new VenueError(`/zones/${sortOrder}/grid`, `zone "${zone.id}" has no seat`);
    // rows are lettered from the first occupied line on the ring side
    const occupied = grid.flatMap((cells, r) => cells.flatMap((id, c) => (id ? [{ r, c }] : [])));
    const edge = {
      top: Math.min(...occupied.map((o) => o.r)),
      bottom: Math.max(...occupied.map((o) => o.r)),
      left: Math.min(...occupied.map((o) => o.c)),
      right: Math.max(...occupied.map((o) => o.c)),
    };
    grid.forEach((cells, r) => {
      cells.forEach((id, c) => {
        if (!id) return;
        const distance = { top: r - edge.top, bottom: edge.bottom - r, left: c - edge.left, right: edge.right - c }[place.ringSide];
        seats.push({
          id,
          zoneId: zone.id,
          row: rowLabel(distance),
          number: seatNumber(id),
          x: (place.col + c) * CELL + CELL / 2,
          y: (place.row + r) * CELL + CELL / 2,
        });
      });
    });
  });
  return {
    ...(typeof file.venue.name === 'string' ? { name: file.venue.name } : { name: file.venue.name.en, names: { ...file.venue.name } }),
    currency: file.venue.currency,
    width: frame.cols * CELL,
    height: frame.rows * CELL,
    ring: { x: (frame.ring.col + frame.ring.size / 2) * CELL, y: (frame.ring.row + frame.ring.size / 2) * CELL, size: frame.ring.size * CELL },
    zones,
    seats,
    standing: file.standing
      ? { name: file.standing.name ?? STANDING_NAME, capacity: file.standing.capacity, prices: { ...file.standing.prices } }
      : undefined,
    lines,
  };
}
