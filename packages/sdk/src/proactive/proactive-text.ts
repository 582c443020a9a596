/**
 * The words of a proactive offer, made at the edge where the user reads them: a template per trigger in English,
 * Spanish, French, German and Portuguese, filled with labels from the state only, or the playbook rule's own text.
 * Quick replies are plain text: a question the assistant then answers from the activity, and "Not now", which the
 * host recognises in any of the languages ({@link isNotNowReply}).
 */
import type { ProactiveFacts, ProactiveProposal } from './proactive-trigger.ts';
import { MAX_PROACTIVE_MESSAGE_CHARS } from './playbook.ts';

/** The languages with built-in templates. */
export const PROACTIVE_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt'] as const;
/** One of {@link PROACTIVE_LANGUAGES}. */
export type ProactiveLanguage = (typeof PROACTIVE_LANGUAGES)[number];

/** An offer ready to send. */
export interface ProactiveMessage {
  /** At most 150 characters. */
  text: string;
  /** Quick replies; the title is also the payload (plain text). "Not now" is last. */
  quickReplies: string[];
  /** The language the text is in. */
  language: string;
}

const NOT_NOW: Record<ProactiveLanguage, string> = { en: 'Not now', es: 'Ahora no', fr: 'Pas maintenant', de: 'Nicht jetzt', pt: 'Agora não' };

type Template = (facts: never) => { text: string; ask: string };
type Templates = { [K in ProactiveFacts['kind']]?: (facts: Extract<ProactiveFacts, { kind: K }>) => { text: string; ask: string } };

/** Labels are the product's own words, quoted as the product shows them, and cut so a message stays short. */
function label(value: string | null | undefined, fallback: string): string {
  const trimmed = (value ?? '').trim();
  if (trimmed === '') return fallback;
  return trimmed.length > 40 ? `${trimmed.slice(0, 39)}…` : trimmed;
}

const TEMPLATES: Record<ProactiveLanguage, Templates> = {
  en: {
    back_and_forth: ({ pages: [a, b] }) => ({
      text: `Going back and forth between ${label(a, 'two pages')} and ${label(b, 'another page')}? I can help you find what you need.`,
      ask: `What am I looking for between ${label(a, 'these pages')} and ${label(b, 'the other page')}?`,
    }),
    page_dwell: ({ page }) => ({ text: `Still on ${label(page, 'this page')}? Want a quick tip for what to do here?`, ask: `What can I do on ${label(page, 'this page')}?` }),
    container_idle: ({ container }) => ({
      text: `Need a hand with ${label(container.label, 'this')}? I can explain your options before you confirm.`,
      ask: `What happens when I confirm ${label(container.label, 'this')}?`,
    }),
    repeated_failure: ({ label: what, page }) => ({
      text: `Having trouble with ${label(what ?? page, 'this')}? I can help you sort it out.`,
      ask: `Why isn't ${label(what ?? page, 'this')} working?`,
    }),
  },
  es: {
    back_and_forth: ({ pages: [a, b] }) => ({
      text: `¿Vas y vienes entre ${label(a, 'dos páginas')} y ${label(b, 'otra página')}? Te ayudo a encontrar lo que buscas.`,
      ask: `¿Qué busco entre ${label(a, 'estas páginas')} y ${label(b, 'la otra página')}?`,
    }),
    page_dwell: ({ page }) => ({ text: `¿Sigues en ${label(page, 'esta página')}? ¿Quieres un consejo rápido?`, ask: `¿Qué puedo hacer en ${label(page, 'esta página')}?` }),
    container_idle: ({ container }) => ({
      text: `¿Te ayudo con ${label(container.label, 'esto')}? Puedo explicarte las opciones antes de confirmar.`,
      ask: `¿Qué pasa si confirmo ${label(container.label, 'esto')}?`,
    }),
    repeated_failure: ({ label: what, page }) => ({
      text: `¿Problemas con ${label(what ?? page, 'esto')}? Te ayudo a resolverlo.`,
      ask: `¿Por qué no funciona ${label(what ?? page, 'esto')}?`,
    }),
  },
  fr: {
    back_and_forth: ({ pages: [a, b] }) => ({
      text: `Vous passez de ${label(a, 'une page')} à ${label(b, 'une autre')} ? Je peux vous aider à trouver ce qu'il vous faut.`,
      ask: `Que dois-je chercher entre ${label(a, 'ces pages')} et ${label(b, "l'autre page")} ?`,
    }),
    page_dwell: ({ page }) => ({ text: `Toujours sur ${label(page, 'cette page')} ? Un conseil rapide pour la suite ?`, ask: `Que puis-je faire sur ${label(page, 'cette page')} ?` }),
    container_idle: ({ container }) => ({
      text: `Besoin d'aide avec ${label(container.label, 'ceci')} ? Je peux expliquer les options avant de confirmer.`,
      ask: `Que se passe-t-il si je confirme ${label(container.label, 'ceci')} ?`,
    }),
    repeated_failure: ({ label: what, page }) => ({
      text: `Un souci avec ${label(what ?? page, 'ceci')} ? Je peux vous aider à le régler.`,
      ask: `Pourquoi ${label(what ?? page, 'ceci')} ne marche pas ?`,
    }),
  },
  de: {
    back_and_forth: ({ pages: [a, b] }) => ({
      text: `Sie wechseln zwischen ${label(a, 'zwei Seiten')} und ${label(b, 'einer anderen')} hin und her? Ich helfe beim Finden.`,
      ask: `Was suche ich zwischen ${label(a, 'diesen Seiten')} und ${label(b, 'der anderen Seite')}?`,
    }),
    page_dwell: ({ page }) => ({ text: `Noch auf ${label(page, 'dieser Seite')}? Möchten Sie einen kurzen Tipp?`, ask: `Was kann ich auf ${label(page, 'dieser Seite')} tun?` }),
    container_idle: ({ container }) => ({
      text: `Hilfe bei ${label(container.label, 'diesem Schritt')}? Ich erkläre die Optionen, bevor Sie bestätigen.`,
      ask: `Was passiert, wenn ich ${label(container.label, 'das')} bestätige?`,
    }),
    repeated_failure: ({ label: what, page }) => ({
      text: `Probleme mit ${label(what ?? page, 'diesem Schritt')}? Ich helfe Ihnen weiter.`,
      ask: `Warum funktioniert ${label(what ?? page, 'das')} nicht?`,
    }),
  },
  pt: {
    back_and_forth: ({ pages: [a, b] }) => ({
      text: `Indo e voltando entre ${label(a, 'duas páginas')} e ${label(b, 'outra página')}? Posso ajudar a encontrar o que precisa.`,
      ask: `O que procuro entre ${label(a, 'estas páginas')} e ${label(b, 'a outra página')}?`,
    }),
    page_dwell: ({ page }) => ({ text: `Ainda em ${label(page, 'esta página')}? Quer uma dica rápida?`, ask: `O que posso fazer em ${label(page, 'esta página')}?` }),
    container_idle: ({ container }) => ({
      text: `Precisa de ajuda com ${label(container.label, 'isto')}? Explico as opções antes de confirmar.`,
      ask: `O que acontece se eu confirmar ${label(container.label, 'isto')}?`,
    }),
    repeated_failure: ({ label: what, page }) => ({
      text: `Problemas com ${label(what ?? page, 'isto')}? Posso ajudar a resolver.`,
      ask: `Por que ${label(what ?? page, 'isto')} não funciona?`,
    }),
  },
};

/**
 * The primary language of a tag (`es-MX` → `es`) when it has templates, else null.
 *
 * @example
 * templateLanguage('pt-BR'); // 'pt'
 */
export function templateLanguage(tag: string | null | undefined): ProactiveLanguage | null {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/, 1)[0] ?? '';
  return (PROACTIVE_LANGUAGES as readonly string[]).includes(primary) ? (primary as ProactiveLanguage) : null;
}

/** "Not now" in a language (English for one without templates). */
export function notNowReply(language: string): string {
  return NOT_NOW[templateLanguage(language) ?? 'en'];
}

/**
 * Whether a chat message is the "Not now" quick reply, in any of the template languages (case and surrounding
 * punctuation ignored).
 */
export function isNotNowReply(message: string): boolean {
  // French sets a (narrow no-break) space before ! and ?: "Pas maintenant !".
  const normalised = message.trim().replace(/[\s.!¡¿?]+$/u, '').replace(/^[¡¿]+/u, '').toLowerCase();
  return Object.values(NOT_NOW).some((reply) => reply.toLowerCase() === normalised);
}

function clip(text: string): string {
  return text.length <= MAX_PROACTIVE_MESSAGE_CHARS ? text : `${text.slice(0, MAX_PROACTIVE_MESSAGE_CHARS - 1).trimEnd()}…`;
}

/** The rule's text in the first of `languages` it has, else its first language. */
function authored(proposal: ProactiveProposal, languages: readonly string[]): ProactiveMessage {
  const { message, quickReplies } = proposal.text!;
  const tags = Object.keys(message);
  const chosen =
    languages.map((tag) => tag.toLowerCase()).find((tag) => tag in message) ??
    languages.map((tag) => tag.toLowerCase().split(/[-_]/, 1)[0]!).find((tag) => tag in message) ??
    tags[0]!;
  const replies = [...(quickReplies[chosen] ?? [])];
  // Every offer can be declined: a rule without "Not now" gets it.
  if (!replies.some(isNotNowReply)) replies.push(notNowReply(chosen));
  return { text: clip(message[chosen]!), quickReplies: replies, language: chosen };
}

/**
 * The offer's words: the playbook rule's own text when it has some, else the trigger's template, in the first
 * language of `languages` that is available (the user's last chat message, the widget's `customData.language`, the
 * product's default), else English.
 *
 * @example
 * proactiveMessage(proposal, ['fr', 'en']).text; // 'Besoin d'aide avec Nouveau ticket ? …'
 */
export function proactiveMessage(proposal: ProactiveProposal, languages: readonly (string | null | undefined)[]): ProactiveMessage {
  const tags = languages.filter((tag): tag is string => typeof tag === 'string' && tag.trim() !== '');
  if (proposal.text) return authored(proposal, tags);
  const language = tags.map(templateLanguage).find((tag) => tag !== null) ?? 'en';
  const template = TEMPLATES[language][proposal.facts.kind] as Template | undefined;
  if (!template) {
    // A trigger of one's own with a playbook-kind fact and no text: a neutral offer.
    const fallback = (TEMPLATES[language].page_dwell as Template)({ kind: 'page_dwell', page: 'page' in proposal.facts ? proposal.facts.page : null, seconds: 0 } as never);
    return { text: clip(fallback.text), quickReplies: [fallback.ask, NOT_NOW[language]], language };
  }
  const { text, ask } = template(proposal.facts as never);
  return { text: clip(text), quickReplies: [ask, NOT_NOW[language]], language };
}
