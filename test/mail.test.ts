import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PDFParse } from 'pdf-parse';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { SmtpSink } from './helpers/smtp-sink.ts';
import { spawnServer, until, freshServerDatabase, type ServerProcess } from './helpers/process.ts';
import { waitFor } from './helpers/socket.ts';
import { createPgDb, type Db } from '../src/db/driver.ts';
import { MailWorker } from '../src/modules/mail/worker.ts';

/** A buyer who registered with the given Accept-Language (mails follow it). */
async function register(url: string, lang: 'th' | 'en'): Promise<{ token: string; email: string; auth: { authorization: string } }> {
  const email = `buyer-${lang}-${Math.random().toString(36).slice(2)}@test.local`;
  const r = ok(await call(url, 'POST', '/api/v1/auth/register', { body: { email, password: 'buyer-password-1', name: lang === 'th' ? 'สมชาย' : 'Sam' }, headers: { 'accept-language': lang } }), 201);
  return { token: r.body.accessToken, email, auth: { authorization: `Bearer ${r.body.accessToken}` } };
}

for (const target of dbTargets()) {
  describe(`mail outbox on ${target}`, () => {
    let s: TestServer;
    let sink: SmtpSink;
    let staff: TestUser;
    let seat = 200;

    before(async () => {
      sink = await SmtpSink.start();
      s = await startTestServer({ target, config: { smtpUrl: sink.url, mailPollMs: 100 } });
      staff = await s.user('staff');
    });
    after(async () => {
      await s.close();
      await sink.close();
    });

    it('mails the tickets as a PDF when an order is paid, in Thai for a Thai buyer, and a notice when staff cancel it', async () => {
      const buyer = await register(s.url, 'th');
      const o = ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: [String(++seat), String(++seat)] }, headers: buyer.auth }), 201).body.order;
      ok(await call(s.url, 'POST', `/api/v1/orders/${o.id}/payments`, { body: { method: 'cash', amount: o.total, reference: 'M-1' }, headers: staff.auth }));
      const mail = await waitFor(() => sink.about(o.code)[0], 20_000, 'the confirmation mail');
      assert.equal(mail.subject, `บัตรของคุณ: คำสั่งซื้อ ${o.code}`);
      assert.equal((mail.to as { text: string }).text, buyer.email);
      assert.ok(mail.text!.includes(o.code));
      assert.equal(mail.attachments.length, 1);
      const pdf = mail.attachments[0];
      assert.equal(pdf.contentType, 'application/pdf');
      assert.equal(pdf.filename, `tickets-${o.code}.pdf`);
      const parser = new PDFParse({ data: new Uint8Array(pdf.content) });
      try {
        const text = await parser.getText();
        assert.equal(text.total, 2);
        assert.ok(text.text.includes(o.code));
      } finally {
        await parser.destroy();
      }

      ok(await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { body: { reason: 'ขอยกเลิก' }, headers: staff.auth }));
      const notice = await waitFor(() => sink.about(`ยกเลิกคำสั่งซื้อ ${o.code}`)[0], 20_000, 'the cancel notice');
      assert.ok(notice.text!.includes('คืนเงิน'), 'a paid order cancelled: the refund is announced');
      assert.equal(sink.about(o.code).length, 2);
      // marked SENT right after the SMTP server accepted each
      await until(async () => (await s.db.query("SELECT 1 FROM outbox WHERE order_id = $1 AND status = 'SENT'", [o.id])).rows.length === 2, 10_000, 'both mails marked SENT');
    });

    it('writes English to an English buyer and to the order email given', async () => {
      const buyer = await register(s.url, 'en');
      const o = ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: [String(++seat)], customerEmail: 'friend@test.local' }, headers: { ...buyer.auth, 'accept-language': 'en' } }), 201).body.order;
      ok(await call(s.url, 'POST', `/api/v1/orders/${o.id}/payments`, { body: { method: 'cash', amount: o.total, reference: 'M-2' }, headers: staff.auth }));
      const mail = await waitFor(() => sink.about(o.code)[0], 20_000, 'the confirmation mail');
      assert.equal(mail.subject, `Your tickets: order ${o.code}`);
      assert.equal((mail.to as { text: string }).text, 'friend@test.local');
    });
  });

  describe(`mail outbox with several workers on ${target}`, () => {
    it('sends each mail once when four instances deliver from one database', async () => {
      const sink = await SmtpSink.start();
      // no mail target: the server only writes the outbox; the workers below deliver it
      const s = await startTestServer({ target });
      const dbs: Db[] = [];
      try {
        assert.equal(s.mail, undefined);
        const staff = await s.user('staff');
        const buyers = await s.users(12);
        const codes: string[] = [];
        await Promise.all(
          buyers.map(async (b, i) => {
            const o = ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: [String(101 + i)] }, headers: b.auth }), 201).body.order;
            ok(await call(s.url, 'POST', `/api/v1/orders/${o.id}/payments`, { body: { method: 'cash', amount: o.total, reference: `W-${i}` }, headers: staff.auth }));
            codes.push(o.code);
          }),
        );
        // each worker with its own connections on PostgreSQL (as separate instances have); PGlite has one
        for (let i = 0; i < 4; i++) dbs.push(target === 'pg' ? createPgDb(s.config.databaseUrl!, { poolSize: 2 }) : s.db);
        const workers = dbs.map((db) => new MailWorker(db, s.config, s.services.tickets, 'Test Stadium', { smtpUrl: sink.url }, s.app.log, { leaseMs: 60_000, from: 'test@test.local' }));
        const sent = await Promise.all(workers.map((w) => w.drain()));
        await Promise.all(workers.map((w) => w.stop()));
        assert.equal(sent.reduce((a, b) => a + b, 0), 12);
        assert.equal(sink.messages.length, 12);
        assert.deepEqual(codes.map((c) => sink.about(c).length), codes.map(() => 1));
        assert.equal(new Set(sink.messages.map((m) => m.messageId)).size, 12);
        const { rows } = await s.db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM outbox');
        assert.ok(rows.every((r) => r.status === 'SENT' && r.attempts === 1), JSON.stringify(rows));
      } finally {
        if (target === 'pg') await Promise.all(dbs.map((db) => db.close()));
        await s.close();
        await sink.close();
      }
    });
  });

  describe(`mail outbox through a crash on ${target}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
    });

    it('delivers a mail once after the server was killed (SIGKILL) between its commit and its delivery', async () => {
      const sink = await SmtpSink.start();
      cleanups.push(() => sink.close());
      const database = await freshServerDatabase(target, 1);
      cleanups.push(database.drop);
      const dbEnv = database.env;
      const openDb = database.open;
      const env = { ...dbEnv, JWT_SECRET: 'mail-crash-secret-mail-crash-secret!!', SMTP_URL: sink.url, MAIL_LEASE_MS: '2000', MAIL_POLL_MS: '200', DEMO_SHOW_NIGHTS: '2' };
      sink.stall = true;
      let server: ServerProcess = await spawnServer(env);
      cleanups.push(async () => void server.proc.kill('SIGKILL'));
      const showDate = (await call(server.url, 'GET', '/api/v1/shows')).body.items[0].showDate;
      const buyer = await register(server.url, 'en');
      const staff = ok(await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'staff@boxoffice.local', password: 'staff-demo-pass' } })).body.accessToken;
      const o = ok(await call(server.url, 'POST', '/api/v1/orders', { body: { showDate, seatIds: ['301'] }, headers: buyer.auth }), 201).body.order;
      ok(await call(server.url, 'POST', `/api/v1/orders/${o.id}/payments`, { body: { method: 'cash', amount: o.total, reference: 'CRASH-1' }, headers: { authorization: `Bearer ${staff}` } }));
      // the payment committed; the server is now in the middle of handing the mail over: kill it there
      await waitFor(() => sink.stalled > 0, 30_000, 'the mail to reach the (hanging) SMTP server');
      server.proc.kill('SIGKILL');
      await server.exited;
      assert.equal(sink.about(o.code).length, 0);

      sink.stall = false;
      server = await spawnServer(env);
      await until(async () => sink.about(o.code).length > 0, 60_000, 'the mail after the restart');
      // marked SENT once: nothing is pending any more (the stats count the outbox of every instance)
      const stats = await until(
        async () => {
          const r = await call(server.url, 'GET', '/api/orders/enhanced/stats', { headers: { authorization: `Bearer ${staff}` } });
          return r.body.mail?.pending === 0 && r.body.mail;
        },
        30_000,
        'the outbox to be empty',
      );
      assert.deepEqual(stats, { pending: 0, sent: 1, failed: 0 });
      server.proc.kill('SIGKILL');
      await server.exited;
      const db = await openDb();
      try {
        const { rows } = await db.query<{ status: string; attempts: number }>("SELECT status, attempts FROM outbox WHERE order_id = $1", [o.id]);
        assert.deepEqual(rows, [{ status: 'SENT', attempts: 2 }]);
      } finally {
        await db.close();
      }
      assert.equal(sink.about(o.code).length, 1);
    });
  });
}
