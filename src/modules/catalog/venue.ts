import venueJson from './demo-venue.json' with { type: 'json' };
import type { SeatLine } from '../holds/best-available.ts';

/** One cell of the drawing grid, in pixels of the seat map's own coordinate space. */
const CELL = 30;

interface VenueFile {
  venue: { name: string; timezone: string; currency: string };
  prices: Record<string, number>;
  standing?: { capacity: number; prices: { adult: number; child: number } };
  zones: { id: string; name: { en: string; th: string }; ticketType: string; placement: string; grid: (string | null)[][] }[];
}

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
  capacity: number;
  prices: { adult: number; child: number };
}

export interface VenueLayout {
  name: string;
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
 * Where each zone's grid sits around the ring, in grid cells. The ring is in the middle; the two
 * stands run down its sides, the back blocks sit above it, ringside below it. `ringSide` says which
 * edge of the grid faces the ring: rows are lettered A, B, … from that edge outwards.
 */
const PLACEMENT: Record<string, { col: number; row: number; ringSide: 'top' | 'bottom' | 'left' | 'right' }> = {
  left: { col: 0, row: 0, ringSide: 'right' },
  'back-left': { col: 9, row: 0, ringSide: 'bottom' },
  'back-right': { col: 19, row: 0, ringSide: 'bottom' },
  'front-ringside': { col: 11, row: 17, ringSide: 'top' },
  right: { col: 30, row: 0, ringSide: 'left' },
};
const GRID_COLS = 38;
const GRID_ROWS = 23;
const RING = { col: 15, row: 7, size: 8 };

/** Builds the demo venue (zones, seats with x/y and row letters) from demo-venue.json. */
export function demoVenue(): VenueLayout {
  const file = venueJson as VenueFile;
  const zones: VenueZone[] = [];
  const seats: VenueSeat[] = [];
  const lines: SeatLine[] = [];
  file.zones.forEach((zone, sortOrder) => {
    const place = PLACEMENT[zone.id];
    if (!place) throw new Error(`demo venue: no placement for zone ${zone.id}`);
    const price = file.prices[zone.ticketType];
    if (price === undefined) throw new Error(`demo venue: no price for ticket type ${zone.ticketType}`);
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
          row: String.fromCharCode(65 + distance),
          number: Number.parseInt(id, 10),
          x: (place.col + c) * CELL + CELL / 2,
          y: (place.row + r) * CELL + CELL / 2,
        });
      });
    });
  });
  return {
    name: file.venue.name,
    currency: file.venue.currency,
    width: GRID_COLS * CELL,
    height: GRID_ROWS * CELL,
    ring: { x: (RING.col + RING.size / 2) * CELL, y: (RING.row + RING.size / 2) * CELL, size: RING.size * CELL },
    zones,
    seats,
    standing: file.standing ? { capacity: file.standing.capacity, prices: { ...file.standing.prices } } : undefined,
    lines,
  };
}
