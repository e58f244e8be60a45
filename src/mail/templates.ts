/**
 * Mail templates: each renders a subject, a plain-text part and an HTML part in the
 * recipient's locale (`users.language`), falling back to English. Add a template by adding its
 * strings per locale and an entry in `templates`; the layout, escaping and links are shared.
 */

export const mailLocales = ['en', 'de'] as const;
export type MailLocale = (typeof mailLocales)[number];

export type RenderedMail = {
  subject: string;
  text: string;
  html: string;
  /** The links the mail carries, printed on the console in outbox mode. */
  links: string[];
};

/** A mail's words: a subject, paragraphs and one call to action. */
type Content = { subject: string; paragraphs: string[]; action: { label: string; url: string }; footer?: string };

/** `de-AT`, `DE` or `de` reads as `de`; anything unknown as `en`. */
export function mailLocale(language: string | null | undefined): MailLocale {
  const primary = (language ?? '').toLowerCase().split(/[-_]/)[0];
  return mailLocales.find((l) => l === primary) ?? 'en';
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The shared layout: the same words in both parts, the link spelled out in the text part. */
export function renderContent(content: Content): RenderedMail {
  const text = [...content.paragraphs, `${content.action.label}: ${content.action.url}`, ...(content.footer ? [content.footer] : [])].join('\n\n');
  const url = escapeHtml(content.action.url);
  const html = [
    '<!doctype html>',
    '<html><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2328">',
    ...content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${url}" style="display: inline-block; padding: 8px 16px; background: #0b57d0; color: #fff; border-radius: 6px; text-decoration: none">${escapeHtml(content.action.label)}</a></p>`,
    `<p style="font-size: 13px; color: #59636e">${escapeHtml(content.action.url)}</p>`,
    ...(content.footer ? [`<p style="font-size: 13px; color: #59636e">${escapeHtml(content.footer)}</p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject: content.subject, text: `${text}\n`, html, links: [content.action.url] };
}

const dateIn = (locale: MailLocale, date: Date) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date) + ' UTC';

type InvitationVars = { organizationName: string; inviterName: string | null; role: string; link: string; expiresAt: Date };
type AccountLinkVars = { name: string; link: string };

const invitation: Record<MailLocale, (v: InvitationVars) => Content> = {
  en: (v) => ({
    subject: `You are invited to join ${v.organizationName} on Tenantry`,
    paragraphs: [
      `${v.inviterName ?? 'An administrator'} invited you to join ${v.organizationName} on Tenantry as ${v.role}.`,
      `Open the link to sign in or create an account with this email address; the invitation is accepted right after. It expires on ${dateIn('en', v.expiresAt)}.`,
    ],
    action: { label: 'Accept the invitation', url: v.link },
    footer: 'If you did not expect this invitation, ignore this email.',
  }),
  de: (v) => ({
    subject: `Einladung zu ${v.organizationName} auf Tenantry`,
    paragraphs: [
      `${v.inviterName ?? 'Eine Administratorin oder ein Administrator'} hat Sie eingeladen, ${v.organizationName} auf Tenantry als ${v.role} beizutreten.`,
      `Öffnen Sie den Link, um sich mit dieser E-Mail-Adresse anzumelden oder ein Konto anzulegen; danach wird die Einladung angenommen. Sie läuft am ${dateIn('de', v.expiresAt)} ab.`,
    ],
    action: { label: 'Einladung annehmen', url: v.link },
    footer: 'Falls Sie diese Einladung nicht erwartet haben, ignorieren Sie diese E-Mail.',
  }),
};

const verifyEmail: Record<MailLocale, (v: AccountLinkVars) => Content> = {
  en: (v) => ({
    subject: 'Confirm your email address for Tenantry',
    paragraphs: [`Hello ${v.name},`, 'Please confirm that this email address belongs to your Tenantry account.'],
    action: { label: 'Confirm email address', url: v.link },
    footer: 'If you did not create a Tenantry account, ignore this email.',
  }),
  de: (v) => ({
    subject: 'Bestätigen Sie Ihre E-Mail-Adresse für Tenantry',
    paragraphs: [`Hallo ${v.name},`, 'bitte bestätigen Sie, dass diese E-Mail-Adresse zu Ihrem Tenantry-Konto gehört.'],
    action: { label: 'E-Mail-Adresse bestätigen', url: v.link },
    footer: 'Falls Sie kein Tenantry-Konto angelegt haben, ignorieren Sie diese E-Mail.',
  }),
};

const resetPassword: Record<MailLocale, (v: AccountLinkVars) => Content> = {
  en: (v) => ({
    subject: 'Reset your Tenantry password',
    paragraphs: [`Hello ${v.name},`, 'Someone asked to reset the password of your Tenantry account. The link works once, for one hour.'],
    action: { label: 'Choose a new password', url: v.link },
    footer: 'If it was not you, ignore this email; your password stays as it is.',
  }),
  de: (v) => ({
    subject: 'Setzen Sie Ihr Tenantry-Passwort zurück',
    paragraphs: [`Hallo ${v.name},`, 'jemand möchte das Passwort Ihres Tenantry-Kontos zurücksetzen. Der Link gilt einmal, eine Stunde lang.'],
    action: { label: 'Neues Passwort wählen', url: v.link },
    footer: 'Falls Sie das nicht waren, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.',
  }),
};

const templates = { invitation, 'verify-email': verifyEmail, 'reset-password': resetPassword };

export type TemplateName = keyof typeof templates;
export type TemplateVars<T extends TemplateName> = Parameters<(typeof templates)[T]['en']>[0];

/**
 * @example
 * renderMail('reset-password', mailLocale(user.language), { name: user.name, link })
 */
export function renderMail<T extends TemplateName>(template: T, locale: MailLocale, vars: TemplateVars<T>): RenderedMail {
  // TypeScript cannot tie templates[T] to TemplateVars<T> through the index; the map above does.
  const content = (templates[template][locale] as (v: TemplateVars<T>) => Content)(vars);
  return renderContent(content);
}
