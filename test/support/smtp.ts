import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { Database } from '../../src/db/connection.js';
import { type JobWorker, startJobWorker } from '../../src/jobs/worker.js';
import { mailJobHandler } from '../../src/mail/handler.js';
import { type ApiHarness, createApiHarness } from './api.js';
import { smtpTransport } from '../../src/mail/transport.js';

/** A mail as the test SMTP server received it, with its parts decoded. */
export type ReceivedMail = { from: string; to: string[]; subject: string; text: string; html: string; raw: string };

export type TestSmtpServer = {
  url: string;
  received: ReceivedMail[];
  /** Answers the next `count` messages with this SMTP reply code (451: try later, 550: never). */
  refuseNext(count: number, responseCode: number): void;
  /**
   * Takes the next message in full but holds its reply until `release()`: the sender waits in
   * the one moment where it cannot know whether the mail was delivered.
   */
  holdNext(): { arrived: Promise<void>; release(): void };
  close(): Promise<void>;
};

/** A real SMTP server on a free local port, no TLS and no authentication, keeping what arrives. */
export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let refusals: { count: number; code: number } = { count: 0, code: 0 };
  let hold: { arrived: () => void; reply: Promise<void> } | null = null;
  const held: (() => void)[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      const answer = () => {
        if (refusals.count > 0) {
          refusals = { ...refusals, count: refusals.count - 1 };
          callback(Object.assign(new Error(`refused by the test (${refusals.code})`), { responseCode: refusals.code }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelope = session.envelope;
        received.push({
          ...parseMail(raw),
          from: envelope.mailFrom ? envelope.mailFrom.address : '',
          to: envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      };
      stream.on('end', () => {
        if (!hold) return answer();
        const { arrived, reply } = hold;
        hold = null;
        arrived();
        void reply.then(answer);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Listening on a TCP port, address() is an AddressInfo (a string only for pipes).
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseNext: (count, code) => {
      refusals = { count, code };
    },
    holdNext: () => {
      let arrived: () => void = () => undefined;
      let release: () => void = () => undefined;
      const arrival = new Promise<void>((resolve) => (arrived = resolve));
      const reply = new Promise<void>((resolve) => (release = resolve));
      held.push(release);
      hold = { arrived, reply };
      return { arrived: arrival, release };
    },
    close: () => {
      for (const release of held) release();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Subject, plain text and HTML of a MIME message nodemailer built (enough MIME for that). */
export function parseMail(raw: string): { subject: string; text: string; html: string } {
  const [head = ''] = raw.split(/\r?\n\r?\n/);
  const headers = unfold(head);
  const subject = decodeWords(headers.get('subject') ?? '');
  const parts: Record<string, string> = {};
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  const chunks = boundary ? raw.split(`--${boundary}`).slice(1, -1) : [raw];
  for (const chunk of chunks) {
    const split = chunk.replace(/^\r?\n/, '').search(/\r?\n\r?\n/);
    const trimmed = chunk.replace(/^\r?\n/, '');
    const partHeaders = unfold(trimmed.slice(0, split));
    const body = trimmed.slice(split).replace(/^\r?\n\r?\n/, '').replace(/\r?\n$/, '');
    const type = (partHeaders.get('content-type') ?? 'text/plain').split(';')[0]?.trim() ?? '';
    parts[type] = decodeBody(body, partHeaders.get('content-transfer-encoding') ?? '7bit');
  }
  return { subject, text: parts['text/plain'] ?? '', html: parts['text/html'] ?? '' };
}

function unfold(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return quotedPrintable(body.replace(/=\r?\n/g, ''));
    default:
      return body;
  }
}

function quotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '=' ? /^[0-9A-F]{2}$/i.exec(text.slice(i + 1, i + 3))?.[0] : undefined;
    if (hex) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?Q?Best=C3=A4tigen?=`), as nodemailer writes non-ASCII subjects. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : quotedPrintable(data.replace(/_/g, ' ')),
    );
}

/** A test SMTP server and a queue worker that sends the app's mail to it; `runDue()` delivers what is queued. */
export type TestMail = { smtp: TestSmtpServer; worker: JobWorker; close(): Promise<void> };

export async function startTestMail(db: Database): Promise<TestMail> {
  const smtp = await startTestSmtpServer();
  const worker = startJobWorker(db, pino({ level: 'silent' }), [mailJobHandler(smtpTransport(smtp.url), 'Tenantry <no-reply@example.test>')], {
    start: false,
  });
  return {
    smtp,
    worker,
    close: async () => {
      await worker.stop();
      await smtp.close();
    },
  };
}

export type ApiWithMail = { h: ApiHarness; smtp: TestSmtpServer; worker: JobWorker };

/**
 * For a describe block: the API harness with its mail going to a test SMTP server, set up
 * before the tests (mail the harness's own sign-ups queued is delivered and forgotten), the
 * inbox emptied before each test, all torn down after.
 */
export function apiWithMail(): ApiWithMail {
  let current: (ApiWithMail & { mail: TestMail }) | undefined;
  const ready = () => {
    if (!current) throw new Error('apiWithMail() is read before its beforeAll ran');
    return current;
  };
  beforeAll(async () => {
    const h = await createApiHarness();
    const mail = await startTestMail(h.test.db);
    current = { h, mail, smtp: mail.smtp, worker: mail.worker };
    await mail.worker.runDue();
  });
  afterAll(async () => {
    await current?.mail.close();
    await current?.h.destroy();
  });
  beforeEach(() => {
    ready().smtp.received.length = 0;
  });
  return {
    get h() {
      return ready().h;
    },
    get smtp() {
      return ready().smtp;
    },
    get worker() {
      return ready().worker;
    },
  };
}
