import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { spawnServer } from './helpers/process.ts';
import { checkInvariants } from './helpers/invariants.ts';
import { ConfigError } from '../src/config.ts';
import { loadVenue } from '../src/modules/catalog/venue.ts';
import { arenaVenue } from '../bench/arena-venue.ts';
import demo from '../src/modules/catalog/demo-venue.json' with { type: 'json' };

let dir: string;
const file = async (name: string, content: unknown) => {
  const p = path.join(dir, name);
  await writeFile(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'boxoffice-venue-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('VENUE_FILE: a venue layout in the demo venue format, checked at start', () => {
  it('loads the demo venue by default and the same file given by path', async () => {
    assert.equal(loadVenue().seats.length, 315);
    const same = loadVenue(await file('demo.json', demo));
    assert.deepEqual(same.seats, loadVenue().seats);
    assert.deepEqual([same.standing?.capacity, same.standing?.prices], [200, { adult: 1500, child: 1200 }]);
  });

  it("the venue's name in English and Thai: `name: {en, th}` like a zone's, or one string (no Thai name)", async () => {
    assert.deepEqual([loadVenue().name, loadVenue().names], ['Demo Muay Thai Stadium', { en: 'Demo Muay Thai Stadium', th: 'เวทีมวยไทยสาธิต' }]);
    const plain = loadVenue(await file('plain-name.json', { ...demo, venue: { ...demo.venue, name: 'Lumpini Stadium' } }));
    assert.deepEqual([plain.name, plain.names], ['Lumpini Stadium', undefined]);
    const half = await file('half-name.json', { ...demo, venue: { ...demo.venue, name: { en: 'Lumpini Stadium' } } });
    assert.throws(() => loadVenue(half), { message: /: \/venue\/name: / });
    // served by the layout and the seat map (the demo venue)
    const s = await startTestServer();
    try {
      const names = { en: 'Demo Muay Thai Stadium', th: 'เวทีมวยไทยสาธิต' };
      const layout = ok(await call(s.url, 'GET', '/api/v1/venue/layout')).body;
      assert.deepEqual([layout.venue.name, layout.venue.names], [names.en, names]);
      const map = ok(await call(s.url, 'GET', `/api/v1/shows/${s.showDate}/seats`)).body;
      assert.deepEqual([map.venue.name, map.venue.names], [names.en, names]);
    } finally {
      await s.close();
    }
  });

  it('refuses a bad file in one line naming the file and the bad path', async () => {
    const refused = async (name: string, content: unknown, message: RegExp) => {
      const p = await file(name, content);
      assert.throws(() => loadVenue(p), (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.ok(err.message.startsWith(`VENUE_FILE ${p}: `), err.message);
        assert.match(err.message, message);
        assert.doesNotMatch(err.message, /\n/);
        return true;
      });
    };
    const zone = (extra: object) => ({ ...demo, zones: [{ ...demo.zones[0], ...extra }, ...demo.zones.slice(1)] });
    await refused('not-json.json', '{"venue": ', /not JSON/);
    await refused('bad-id.json', zone({ grid: [['470', 'seat 471']] }), /: \/zones\/0\/grid\/0\/1: must match pattern/);
    await refused('no-grid.json', { ...demo, zones: [{ id: 'x', name: { en: 'X', th: 'X' }, ticketType: 'STADIUM' }] }, /: \/zones\/0: must have required property 'grid'/);
    await refused('price.json', { ...demo, prices: { RINGSIDE: -5 } }, /: \/prices\/RINGSIDE: must be >= 0/);
    await refused('type.json', zone({ ticketType: 'VIP' }), /: \/zones\/0\/ticketType: no price for ticket type "VIP" in \/prices/);
    await refused('twice.json', zone({ grid: [['470', '343']] }), /: \/zones\/\d\/grid\/\d+\/\d+: seat id "343" is also at \/zones\/0\/grid\/0\/1/);
    await refused('place.json', { ...demo, zones: [{ ...demo.zones[0], id: 'balcony' }] }, /: \/layout: required when a zone has no `at`/);
    await refused('off.json', { ...arenaVenue(), layout: { cols: 10, rows: 10, ring: { col: 1, row: 1, size: 2 } } }, /: \/zones\/0\/at: zone "lower-north" .* runs past the layout's 10×10 cells/);
    assert.throws(() => loadVenue(path.join(dir, 'missing.json')), { message: /^VENUE_FILE .*missing\.json: cannot be read \(ENOENT\)$/ });
  });

  it('the server refuses a bad VENUE_FILE at start in one line and creates nothing', async () => {
    const bad = await file('server-bad.json', { ...demo, prices: {} });
    const dataDir = path.join(dir, 'data');
    const s = await spawnServer({ VENUE_FILE: bad, DATA_DIR: dataDir }, { waitHealthy: false });
    assert.equal((await s.exited).code, 1);
    const out = s.output().trim();
    assert.match(out, /^boxoffice: configuration error: VENUE_FILE .*server-bad\.json: \/zones\/0\/ticketType: no price for ticket type "STADIUM" in \/prices$/, out);
    assert.ok(!(await readdir(dir)).includes('data'), 'no data directory was created');
  });
});

for (const target of dbTargets()) {
  describe(`a 20,000-seat arena from VENUE_FILE on ${target}`, () => {
    let s: TestServer;
    let admin: TestUser;
    let buyer: TestUser;

    before(async () => {
      const arena = await file(`arena-${target}.json`, arenaVenue());
      s = await startTestServer({ target, env: { VENUE_FILE: arena } });
      admin = await s.user('admin');
      buyer = await s.user();
    });
    after(async () => {
      await checkInvariants(s.db);
      await s.close();
    });

    it('serves the arena: 20,000 seats in eight zones with their prices, rows lettered from the stage', async () => {
      const map = ok(await call(s.url, 'GET', `/api/v1/shows/${s.showDate}/seats`)).body;
      assert.equal(map.seats.length, 20_000);
      assert.equal(new Set(map.seats.map((x: { id: string }) => x.id)).size, 20_000);
      assert.deepEqual(
        map.zones.map((z: { id: string; price: number }) => `${z.id}:${z.price}`),
        ['lower-north:2500', 'lower-south:2500', 'lower-west:2500', 'lower-east:2500', 'upper-north:1200', 'upper-south:1200', 'upper-west:1200', 'upper-east:1200'],
      );
      const seat = map.seats.find((x: { id: string }) => x.id === 'UN-AD7');
      assert.equal(seat.row, 'AD');
      assert.equal(seat.number, 7);
      assert.equal(map.venue.name, 'Generated Arena');
      assert.equal(map.venue.names, undefined, 'a venue file with one name has no Thai name');
      const listed = ok(await call(s.url, 'GET', '/api/v1/shows?limit=1')).body.items[0];
      assert.deepEqual(listed.counts, { available: 20_000, locked: 0, booked: 0, blocked: 0 });
      assert.equal(ok(await call(s.url, 'GET', `/api/v1/shows/${s.showDate}/seats`)).body.zones.some((z: { id: string }) => z.id === 'left'), false, 'no demo zone');
    });

    it('serves the layout apart from the state: ETag and 304, a fresh show\'s state tiny, the state = the snapshot\'s taken seats', async () => {
      const first = await call(s.url, 'GET', '/api/v1/venue/layout');
      ok(first);
      // fetch accepts gzip: the gzipped bytes carry the weak form of the layout's ETag
      const etag = first.headers.get('etag')!.replace(/^W\//, '');
      assert.match(first.headers.get('etag')!, /^W\/"[A-Za-z0-9_-]+"$/);
      assert.equal(first.headers.get('cache-control'), 'public, no-cache');
      assert.equal(first.body.seats.length, 20_000);
      assert.deepEqual([first.body.standing.capacity, first.body.standing.prices], [2000, { adult: 900, child: 600 }]);
      assert.deepEqual(first.body.zones[0], { id: 'lower-north', name: { en: 'Lower north', th: 'ชั้นล่าง ทิศเหนือ' }, ticketType: 'LOWER', price: 2500, currency: 'THB' });
      const again = await call(s.url, 'GET', '/api/v1/venue/layout', { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
      assert.equal(again.body, undefined, 'no body');
      assert.equal(again.headers.get('etag'), `W/${etag}`);
      assert.equal((await call(s.url, 'GET', '/api/v1/venue/layout', { headers: { 'if-none-match': '"other"' } })).status, 200);
      // on the wire: gzipped once for everyone who accepts it (a weak ETag for those bytes, the same 304), plain JSON otherwise
      const wire = async (encoding: string | undefined, ifNoneMatch?: string) =>
        new Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
          const headers: Record<string, string> = {};
          if (encoding) headers['accept-encoding'] = encoding;
          if (ifNoneMatch) headers['if-none-match'] = ifNoneMatch;
          httpGet(`${s.url}/api/v1/venue/layout`, { headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes: Buffer.concat(chunks) }));
          }).on('error', reject);
        });
      const plain = await wire(undefined);
      const zipped = await wire('gzip, deflate, br');
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.match(String(zipped.headers.vary), /accept-encoding/i);
      assert.equal(zipped.headers.etag, `W/${etag}`);
      assert.deepEqual(JSON.parse(gunzipSync(zipped.bytes).toString()), JSON.parse(plain.bytes.toString()));
      assert.deepEqual(JSON.parse(plain.bytes.toString()), first.body);
      assert.ok(zipped.bytes.length < 400_000, `the arena's layout gzipped: ${zipped.bytes.length} bytes (plain ${plain.bytes.length})`);
      assert.equal((await wire('gzip', zipped.headers.etag as string)).status, 304);

      const day = s.showDate;
      const fresh = await fetch(`${s.url}/api/v1/shows/${day}/state`);
      const text = await fresh.text();
      assert.ok(text.length < 1024, `a fresh show's state is tiny: ${text.length} bytes`);
      assert.deepEqual(JSON.parse(text).seats, []);

      const other = await s.user();
      ok(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: day, seatIds: ['UE-A3'] }, headers: other.auth }));
      ok(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: day, seatIds: ['US-B9'] }, headers: buyer.auth }));
      ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: day, seatIds: ['LS-C4', 'LS-C5'] }, headers: buyer.auth }), 201);
      ok(await call(s.url, 'POST', `/api/v1/shows/${day}/seats/block`, { body: { seatIds: ['UW-A1'], reason: 'camera' }, headers: admin.auth }));
      ok(await call(s.url, 'PATCH', `/api/v1/shows/${day}`, { body: { prices: { 'upper-west': 999 } }, headers: admin.auth }));
      const state = ok(await call(s.url, 'GET', `/api/v1/shows/${day}/state`)).body;
      const map = ok(await call(s.url, 'GET', `/api/v1/shows/${day}/seats`)).body;
      const taken = map.seats
        .filter((x: { status: string }) => x.status !== 'AVAILABLE')
        .map(({ id, status, expiresAt, lockedBy, blockReason }: Record<string, string>) => JSON.parse(JSON.stringify({ id, status, expiresAt, lockedBy, blockReason })));
      assert.deepEqual(state.seats.map((x: { id: string }) => x.id).sort(), ['LS-C4', 'LS-C5', 'UE-A3', 'US-B9', 'UW-A1']);
      assert.deepEqual([...state.seats].sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)), taken.sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)));
      assert.equal(state.seq, map.seq);
      assert.deepEqual(state.standing, map.standing, 'the standing area as in the snapshot');
      assert.equal(state.standing.capacity, 2000);
      assert.equal(state.prices['upper-west'], 999);
      assert.equal(state.prices['lower-north'], 2500);

      // a hold past its expiry is not listed (it counts as available), as in the snapshot
      s.clock.advance(s.config.seatLockTtlMs + 1000);
      const later = ok(await call(s.url, 'GET', `/api/v1/shows/${day}/state`)).body;
      assert.deepEqual(later.seats.map((x: { id: string }) => x.id).sort(), ['LS-C4', 'LS-C5', 'UW-A1']);
      assert.equal((await call(s.url, 'GET', '/api/v1/shows/2001-01-01/state')).status, 404);
    });

    it('opens a show of the arena with every seat, and sells in it: hold, order, best available', async () => {
      const opened = ok(await call(s.url, 'POST', '/api/v1/shows', { body: { showDate: nextYear(s.showDate) }, headers: admin.auth }), 201).body.show;
      assert.equal(opened.counts.available, 20_000);
      const day = opened.showDate;
      ok(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: day, seatIds: ['LN-A1', 'LN-A2'] }, headers: buyer.auth }));
      ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: day, seatIds: ['LN-A1', 'LN-A2'] }, headers: buyer.auth }), 201);
      const best = ok(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock-best', { body: { showDate: day, quantity: 4, zoneId: 'lower-west' }, headers: buyer.auth })).body;
      assert.equal(best.seatIds.length, 4);
      assert.ok(best.seatIds.every((id: string) => id.startsWith('LW-A')), `best available takes the front row: ${best.seatIds}`);
      const counts = ok(await call(s.url, 'GET', `/api/v1/shows/${day}`)).body.show.counts;
      assert.deepEqual(counts, { available: 19_994, locked: 4, booked: 2, blocked: 0 });
    });
  });
}

/** The same day a year later (a date surely in the future and not yet opened). */
function nextYear(day: string): string {
  return `${Number(day.slice(0, 4)) + 1}${day.slice(4)}`;
}
