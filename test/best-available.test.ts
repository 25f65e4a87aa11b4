import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseBestBlock, type SeatLine } from '../src/modules/holds/best-available.ts';
import { demoVenue } from '../src/modules/catalog/venue.ts';

/**
 * Grids as text: one line per row, nearest the ring first; `.` free seat, `x` taken, ` ` gap (no seat).
 * Seat ids are "<row><column>" (a1, a2, …); the distance of a block is its row index.
 */
function grid(...rows: string[]) {
  const taken = new Set<string>();
  const lines: SeatLine[] = rows.map((r, i) => ({
    zoneId: 'z',
    cells: [...r].map((ch, c) => {
      if (ch === ' ') return null;
      const id = `${String.fromCharCode(97 + i)}${c + 1}`;
      if (ch === 'x') taken.add(id);
      return id;
    }),
  }));
  const rowOf = (id: string) => id.charCodeAt(0) - 97;
  return (quantity: number) =>
    chooseBestBlock(lines, { quantity, isFree: (id) => !taken.has(id), distance: (ids) => Math.min(...ids.map(rowOf)) });
}

describe('best available (chooseBestBlock)', () => {
  it('takes adjacent seats in one row, nearest the ring first', () => {
    const best = grid('xx.x..', '......');
    assert.deepEqual(best(2), ['a5', 'a6']);
    assert.deepEqual(best(3), ['b1', 'b2', 'b3'], 'the front row has no three together: the next row');
  });

  it('a gap (null cell) breaks a row; seats across it are not together', () => {
    const best = grid('.. ..', 'x....x');
    assert.deepEqual(best(2), ['a1', 'a2']);
    assert.deepEqual(best(3), ['b2', 'b3', 'b4'], 'two and two across the aisle are not three together');
    assert.equal(grid('.. ..')(3), undefined);
  });

  it('never leaves a single seat stranded when another block exists', () => {
    // front row: 3 free between taken seats; taking 2 of them strands the third
    assert.deepEqual(grid('x...x', '....')(2), ['b1', 'b2']);
    // stranding at a row end or next to a gap counts too
    assert.deepEqual(grid('...', '......')(2), ['b1', 'b2']);
    assert.deepEqual(grid('x... ', '.. ..')(2), ['b1', 'b2']);
    // four free: take them from one end, leaving two together (not the middle, which strands one each side)
    assert.deepEqual(grid('x....x')(2), ['a2', 'a3']);
  });

  it('strands a seat only when no other block exists at all', () => {
    assert.deepEqual(grid('x...x')(2), ['a2', 'a3']);
    assert.deepEqual(grid('.x...')(2), ['a3', 'a4']);
  });

  it('answers nothing when no row has enough seats together', () => {
    assert.equal(grid('.x.x.', 'x.x.x')(2), undefined);
    assert.equal(grid('...')(4), undefined);
    assert.equal(grid('...')(0), undefined);
  });

  it('the demo venue: rows of the stands run along the ring, an aisle breaks them, row A is nearest the ring', () => {
    const venue = demoVenue();
    const right = venue.lines.filter((l) => l.zoneId === 'right');
    assert.equal(right.length, 5, 'five rows in the right stand');
    const rowA = right.find((l) => l.cells.includes('101'))!;
    assert.deepEqual(rowA.cells.filter(Boolean).slice(0, 5), ['101', '102', '103', '104', '105']);
    assert.equal(rowA.cells[rowA.cells.indexOf('104') + 1], null, 'the aisle after 104');
    const rowOf = new Map(venue.seats.map((s) => [s.id, s.row]));
    for (const line of venue.lines) {
      const rows = new Set(line.cells.filter(Boolean).map((id) => rowOf.get(id!)));
      assert.equal(rows.size, 1, `a line of ${line.zoneId} mixes rows ${[...rows]}`);
    }
    assert.equal(venue.lines.reduce((n, l) => n + l.cells.filter(Boolean).length, 0), 315, 'every seat is in exactly one line');
  });
});
