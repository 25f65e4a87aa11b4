import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/driver.ts';
import type { Config } from '../../config.ts';
import type { TicketsService } from '../tickets/service.ts';
import { outboxRepository, type OutboxRow } from './outbox.ts';
import { mailRepository } from './repository.ts';
import { renderMail } from './render.ts';

/** Where mails go: SMTP (`SMTP_URL`), or .eml files in a directory (development, `npm start`). */
export type MailTarget = { smtpUrl: string } | { dir: string };

/** SMTP waits are kept well inside the lease, so a slow server cannot make two workers send one mail. */
const SMTP_TIMEOUT_MS = 20_000;

/**
 * Delivers the outbox: on every instance, each tick claims due rows one at a time (SKIP LOCKED + lease),
 * renders the mail from the order's current state, sends it, and marks it SENT. A failure is retried with
 * backoff (outboxRepository.markFailed). A crash between claim and mark leaves the row to be claimed again once
 * its lease ends: a mail is never lost; it can be sent twice only if the process dies after the SMTP server
 * accepted it and before the mark (every mail carries a stable Message-ID so receivers can tell).
 */
export class MailWorker {
  /** made on the first mail (nodemailer is loaded then, not at start-up) */
  private transport?: Promise<Transporter>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly tickets: TicketsService,
    private readonly venueName: string,
    private readonly target: MailTarget,
    private readonly log: FastifyBaseLogger,
    private readonly opts: { leaseMs: number; from: string },
  ) {}

  /** Polls every intervalMs (and whenever nudged). */
  start(intervalMs: number): void {
    this.stopped = false;
    this.timer = setInterval(() => this.nudge(), intervalMs);
    this.timer.unref();
    this.nudge();
  }

  /** Something was just written to the outbox: deliver now rather than at the next tick. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((err) => this.log.warn({ err }, 'mail outbox pass failed; retrying at the next tick'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Delivers every due mail; resolves when none is left. Returns how many were sent. */
  async drain(): Promise<number> {
    let sent = 0;
    while (!this.stopped) {
      const row = await outboxRepository.claim(this.db, this.opts.leaseMs);
      if (!row) break;
      if (await this.deliver(row)) sent++;
    }
    return sent;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    (await this.transport?.catch(() => undefined))?.close();
  }

  /** The transport, made on first use; a failure to make it is retried with the mail, not kept. */
  private transporter(): Promise<Transporter> {
    this.transport ??= this.createTransport().catch((err: unknown) => {
      this.transport = undefined;
      throw err;
    });
    return this.transport;
  }

  private async createTransport(): Promise<Transporter> {
    const { default: nodemailer } = await import('nodemailer');
    const target = this.target;
    return 'smtpUrl' in target
      ? nodemailer.createTransport({ url: target.smtpUrl, connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS } as Parameters<typeof nodemailer.createTransport>[0])
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  private async deliver(row: OutboxRow): Promise<boolean> {
    try {
      const mail = await this.compose(row);
      if (!mail) {
        // nothing to send (the order has no address): done, not retried
        await outboxRepository.markSent(this.db, row.id, row.attempts);
        return false;
      }
      const info = await (await this.transporter()).sendMail(mail);
      if ('dir' in this.target) await this.writeEml(row, mail.subject, (info as { message: Buffer }).message);
      const marked = await outboxRepository.markSent(this.db, row.id, row.attempts);
      if (!marked) this.log.warn({ outboxId: row.id }, 'mail sent after its lease ended (another worker may send it too); raise MAIL_LEASE_MS');
      this.log.info({ outboxId: row.id, kind: row.kind, orderId: row.order_id }, 'mail sent');
      return true;
    } catch (err) {
      this.log.warn({ err, outboxId: row.id, kind: row.kind, attempt: row.attempts }, 'mail not sent; will retry');
      await outboxRepository.markFailed(this.db, row.id, row.attempts, (err as Error).message ?? String(err));
      return false;
    }
  }

  private async compose(row: OutboxRow) {
    if (!row.order_id) return undefined;
    const o = await mailRepository.order(this.db, row.order_id, this.config.venueTimeZone);
    if (!o?.email) return undefined;
    const rendered = renderMail(row.kind, o, o.language, this.venueName, this.config.venueTimeZone, row.payload);
    const attachments: { filename: string; content: Buffer; contentType: string }[] = [];
    if (row.kind === 'order-paid') {
      const pdf = await this.tickets.pdfForOrder(row.order_id, o.language);
      if (pdf) attachments.push({ filename: `tickets-${o.code}.pdf`, content: pdf, contentType: 'application/pdf' });
    }
    return {
      from: this.opts.from,
      to: o.email,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      attachments,
      // one outbox row, one Message-ID: a resend after a crash is recognisably the same mail
      messageId: `<${row.id}@boxoffice>`,
      headers: { 'X-Boxoffice-Order': o.code, 'X-Boxoffice-Mail': row.kind },
      date: row.created_at,
    };
  }

  /** DATA_DIR/mail/<time>-<order code>-<kind>.eml, written whole (aside, then renamed). */
  private async writeEml(row: OutboxRow, subject: string, message: Buffer): Promise<void> {
    const dir = (this.target as { dir: string }).dir;
    await mkdir(dir, { recursive: true });
    const code = typeof row.payload.code === 'string' ? row.payload.code : '';
    const name = `${row.created_at.toISOString().replace(/[:.]/g, '-')}-${row.kind}-${code || row.id}.eml`;
    const tmp = path.join(dir, `.${row.id}.tmp`);
    await writeFile(tmp, message);
    await rename(tmp, path.join(dir, name));
    this.log.info({ file: path.join(dir, name), subject }, 'mail written (no SMTP_URL)');
  }
}
