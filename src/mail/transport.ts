import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { AppConfig } from '../config.js';

export type Message = { from: string; to: string; subject: string; text: string; html: string; links: string[] };

/** Where the mail worker hands messages: an SMTP server, or the outbox folder. */
export type MailTransport = {
  /** Resolves once the message is accepted; rejects with nodemailer's error otherwise. */
  send(message: Message, id: string): Promise<void>;
  close(): void;
};

/**
 * SMTP through nodemailer, from `SMTP_URL` (`smtp://user:pass@host:587` uses STARTTLS when the
 * server offers it, `smtps://` TLS from the start). Timeouts are short so a hung server fails a
 * send within a minute, well inside the job's lease.
 */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    send: async (message) => {
      await transporter.sendMail({ from: message.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
    },
    close: () => transporter.close(),
  };
}

/**
 * The embedded default's mail: each message is written to `<dir>/<id>.eml` (open it in any mail
 * program) and its links are printed on the console, so someone trying Tenantry on a laptop can
 * follow an invitation or a reset link without a mail server.
 */
export function outboxTransport(dir: string, print: (line: string) => void = console.log): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (message, id) => {
      const info = await composer.sendMail({ from: message.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${id}.eml`);
      await writeFile(file, info.message);
      print(`\nMail to ${message.to}: ${message.subject}\n  ${[...message.links, file].join('\n  ')}`);
    },
    close: () => composer.close(),
  };
}

/** The transport the configuration names, or null when mail is off (production without SMTP_URL). */
export function mailTransportFor(mail: AppConfig['mail']): MailTransport | null {
  switch (mail.kind) {
    case 'smtp':
      return smtpTransport(mail.url);
    case 'outbox':
      return outboxTransport(mail.dir);
    case 'off':
      return null;
  }
}
