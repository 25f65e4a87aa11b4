import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

/**
 * A local SMTP server (smtp-server) that keeps every mail it accepted, parsed with mailparser. With `stall` set it
 * reads a mail's data and never answers, like a server that hangs mid-delivery: the sender has not delivered it.
 */
export class SmtpSink {
  readonly messages: ParsedMail[] = [];
  /** mails whose data arrived while stalling (never acknowledged) */
  stalled = 0;
  stall = false;
  url = '';
  private server!: SMTPServer;

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink();
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 500,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (sink.stall) {
            sink.stalled++;
            return;
          }
          simpleParser(Buffer.concat(chunks)).then(
            (mail) => {
              sink.messages.push(mail);
              callback();
            },
            (err: Error) => callback(err),
          );
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    sink.server = server;
    sink.url = `smtp://127.0.0.1:${port}`;
    return sink;
  }

  /** Mails whose subject contains `text`. */
  about(text: string): ParsedMail[] {
    return this.messages.filter((m) => (m.subject ?? '').includes(text));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
