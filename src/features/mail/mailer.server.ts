// Outgoing mail. Every message is stored in the outbox (shown at /dev/outbox); when SMTP_URL is
// set it is also delivered through SMTP with nodemailer.
import nodemailer from 'nodemailer';
import { db } from '../../lib/server/db.server.ts';
import { env } from '../../lib/server/env.server.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export const outboxMailer: Mailer = {
  async send(message) {
    await db().outboxMessage.create({ data: { id: crypto.randomUUID(), ...message } });
  },
};

function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      await outboxMailer.send(message);
      await transport.sendMail({ from, ...message });
    },
  };
}

let mailer: Mailer | undefined;
export function getMailer(): Mailer {
  if (!mailer) {
    const { SMTP_URL, MAIL_FROM } = env();
    mailer = SMTP_URL ? smtpMailer(SMTP_URL, MAIL_FROM) : outboxMailer;
  }
  return mailer;
}

export async function listOutbox(limit = 50) {
  return db().outboxMessage.findMany({
    orderBy: { createdAt: 'desc' },
    take: limit,
    select: { id: true, to: true, subject: true, text: true, createdAt: true },
  });
}
