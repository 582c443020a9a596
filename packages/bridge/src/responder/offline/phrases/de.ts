/** The offline responder's sentences in German (du). */
import type { ContainerKind } from '@sightline/protocol';
import { joinList, quote } from '../../../prompts/prompt-text.ts';
import { isConfirmable, joinLast, type DeedGroup, type PhraseBook, type PathStepView } from '../phrase-book.ts';
import type { OpenPlace, Place } from '../situation.ts';

/** Noun and grammatical gender of each container kind. */
const NOUN: Record<ContainerKind, { noun: string; gender: 'm' | 'f' | 'n' }> = {
  dialog: { noun: 'Dialog', gender: 'm' },
  drawer: { noun: 'Seitenleiste', gender: 'f' },
  menu: { noun: 'Menü', gender: 'n' },
  form: { noun: 'Formular', gender: 'n' },
  tabpanel: { noun: 'Tab', gender: 'm' },
  section: { noun: 'Bereich', gender: 'm' },
};

/** How a container is introduced in each grammatical case ("im Dialog", "der Dialog", "den Dialog"), by gender. */
const HEAD = {
  dative: { m: 'im', f: 'in der', n: 'im' },
  nominative: { m: 'der', f: 'die', n: 'das' },
  accusative: { m: 'den', f: 'die', n: 'das' },
} as const;

const list = (labels: readonly string[]) => joinList(labels.map(quote), 'und');

/** "im Dialog 'New event', den du mit 'Add' geöffnet hast" (dative), "der Dialog …", "den Dialog …". */
function container(open: OpenPlace, grammaticalCase: keyof typeof HEAD = 'dative'): string {
  const { noun, gender } = NOUN[open.kind];
  const head = `${HEAD[grammaticalCase][gender]} ${noun}`;
  const which = HEAD.accusative[gender];
  if (open.label) return `${head} '${open.label}'${open.openedBy ? `, ${which} du mit '${open.openedBy}' geöffnet hast` : ''}`;
  if (open.openedBy) return `${head}, ${which} du mit '${open.openedBy}' geöffnet hast`;
  return head;
}

function times(count: number): string {
  return count <= 1 ? '' : ` ${count}-mal`;
}

function deed(item: DeedGroup): string {
  const labels = item.items.map((one) => `'${one.label}'${times(one.count)}`);
  const label = joinList(item.more > 0 ? [...labels, `${item.more} weitere`] : labels, 'und');
  switch (item.kind) {
    case 'opened':
      return `${label} geöffnet`;
    case 'picked':
      return `${label} gewählt`;
    case 'filled':
      return `${label} ausgefüllt`;
    case 'finished':
      return `${label} abgeschlossen`;
    case 'closed':
      return `${label} ohne Abschluss geschlossen`;
    default:
      return `${label} benutzt`;
  }
}

function pages(titles: readonly string[]): string {
  return joinLast(titles, 3, 'und', (count) => `${count} weiteren`);
}

function youAre(place: Place): string {
  const page = place.page ? `auf der Seite ${place.page}` : null;
  const open = place.open ? container(place.open) : null;
  if (page && open) return `Du bist ${page}, ${open}.`;
  if (page || open) return `Du bist ${page ?? open}.`;
  return 'Ich sehe deine Aktivität, aber nicht, auf welcher Seite du gerade bist.';
}

/** Names of the help center's languages, for "(in English)". */
const LANGUAGE_NAMES: Record<string, string> = { en: 'Englisch', es: 'Spanisch', fr: 'Französisch', de: 'Deutsch', pt: 'Portugiesisch' };

const PATH_VERBS: Record<PathStepView['kind'], string> = { navigate: 'geh zu', click: 'klicke auf', open: 'öffne', submit: 'schließ ab mit' };

/** " (in English)" for a known language, else ''. */
function inLanguage(language: string | null, preposition: string): string {
  const name = language ? LANGUAGE_NAMES[language] : undefined;
  return name ? ` (${preposition} ${name})` : '';
}

function pathSteps(steps: readonly PathStepView[]): string {
  return steps.map((step) => `${step.isRecord ? 'öffne einen Eintrag in' : PATH_VERBS[step.kind]} ${quote(step.label)}`).join(', dann ');
}

function labelSteps(steps: readonly (readonly string[])[]): string {
  return steps.map((labels) => joinList(labels.map(quote), 'und')).join(', dann ');
}

export const de: PhraseBook = {
  language: 'de',
  offlineNote: '(Ich antworte ohne Sprachmodell, anhand dessen, was du im Produkt tust.)',
  noActivity: 'Ich sehe noch keine Aktivität von dir im Produkt, deshalb weiß ich nicht, wo du gerade bist.',
  hello: (firstName) => (firstName ? `Hallo ${firstName}!` : 'Hallo!'),
  askMe: 'Frag mich, wie es weitergeht oder wie du hier etwas machst.',
  welcome: 'Gern! Frag mich jederzeit, wenn du nicht weiterkommst.',
  about:
    'Ich bin der Assistent dieses Produkts. Im Moment antworte ich ohne Sprachmodell, mit festen Regeln, anhand dessen, was du im Produkt tust: wo du bist, was du gerade gemacht hast und wie es weitergeht.',
  unrelated:
    'Ich kann dir nur mit diesem Produkt und dem, was du darin machst, helfen, deshalb kann ich das nicht beantworten. Frag mich, wie es weitergeht oder wie du hier etwas machst.',
  outOfScope: 'Ohne Sprachmodell kann ich dir nur sagen, wo du im Produkt bist und wie es weitergeht.',
  youAre,
  progress(open) {
    const parts: string[] = [];
    if (open.fields.length > 0) parts.push(`${list(open.fields)} ausgefüllt`);
    if (open.choices.length > 0) parts.push(`${list(open.choices)} gewählt`);
    return parts.length > 0 ? `Bisher hast du ${parts.join(' und ')}.` : '';
  },
  pickedBefore: (choices) => `Davor hast du ${list(choices)} gewählt.`,
  finishOpen(open, finisher) {
    if (open.kind === 'menu') return 'Wähle dort die Option, die du möchtest.';
    if (!isConfirmable(open.kind)) return 'Mach dort weiter; wenn du fertig bist, bestätige die Änderungen mit dem passenden Button.';
    const rest = 'Fülle aus, was noch fehlt, und';
    if (finisher) return `${rest} schließe dann mit '${finisher}' ab.`;
    const { noun, gender } = NOUN[open.kind];
    return open.kind === 'form'
      ? `${rest} nutze dann den Button, der es bestätigt, am Ende des Formulars.`
      : `${rest} nutze dann den Button, der es bestätigt, unten ${gender === 'f' ? 'in der' : 'im'} ${noun}.`;
  },
  finisherUsedStillOpen: (open, finisher) =>
    `Du hast '${finisher}' schon benutzt, aber ${container({ ...open, label: null, openedBy: null }, 'nominative')} ist noch offen: Vielleicht ist ein Pflichtfeld leer oder zeigt einen Fehler. Prüfe die Felder, korrigiere das Markierte und versuche es noch einmal.`,
  lastUsed: (label) => `Dein letzter Schritt war '${label}'.`,
  justOpened: (label) => `Dein letzter Schritt war '${label}', also sollte das, was sich damit öffnet, jetzt vor dir sein: Fülle es aus und bestätige es mit seinem Button.`,
  reachedWith: (label) => `Du bist schon dort, wohin '${label}' führt, also geht es auf dieser Seite weiter.`,
  carryOn: 'Sag mir, was du hier tun möchtest, und ich zeige dir, wo es ist.',
  backAndForth: (first, second) => `Du bist zwischen den Seiten ${first} und ${second} hin- und hergewechselt; sag mir, was du suchst, und ich zeige dir, wo es ist.`,
  completed(flow, here) {
    const what = flow.name && flow.by ? `du hast '${flow.name}' mit '${flow.by}' abgeschlossen` : flow.name ? `du hast '${flow.name}' abgeschlossen` : flow.by ? `du hast '${flow.by}' benutzt` : 'das Formular ist abgeschickt';
    const moved = flow.ledTo && flow.ledTo !== flow.page ? flow.ledTo : null;
    const where = moved ? ` und bist jetzt auf der Seite ${moved}` : here ? ` und bist wieder auf der Seite ${here}` : '';
    return `Das hat anscheinend geklappt: ${what}${where}.`;
  },
  checkResult: (here) =>
    `Prüfe${here ? ` auf der Seite ${here}` : ''}, ob das Ergebnis stimmt; wenn etwas fehlt, sag mir, was du siehst.`,
  dismissed: (flow) => (flow.name ? `Du hast '${flow.name}' geschlossen, ohne es abzuschließen.` : 'Du hast diesen Schritt geschlossen, ohne ihn abzuschließen.'),
  reopen(flow) {
    if (flow.openedBy && flow.page) return `Um dort weiterzumachen, nutze '${flow.openedBy}' auf der Seite ${flow.page}.`;
    if (flow.openedBy) return `Um dort weiterzumachen, nutze noch einmal '${flow.openedBy}'.`;
    return flow.page ? `Um dort weiterzumachen, starte es noch einmal auf der Seite ${flow.page}.` : 'Um dort weiterzumachen, öffne es noch einmal dort, wo du es begonnen hast.';
  },
  failedClick(failure) {
    const where = failure.area ? ` in '${failure.area}'` : '';
    if (!failure.label) return `Deine letzten Klicks${where} haben anscheinend nichts bewirkt.`;
    return `Anscheinend hat '${failure.label}'${where} nichts bewirkt, als du darauf geklickt hast${failure.count > 1 ? ', auch nicht nach mehreren Versuchen' : ''}.`;
  },
  failedHint: (isInOpen) =>
    `Wahrscheinlich fehlt vorher noch etwas: ein Pflichtfeld, das noch leer ist${isInOpen ? ' in diesem Schritt' : ''}, oder ein früherer Schritt, der noch nicht erledigt ist. Prüfe, was darüber steht, und versuche es dann noch einmal.`,
  noFailure: 'Ich sehe in deiner Aktivität nichts, was fehlgeschlagen ist: Deine letzten Schritte sind durchgegangen.',
  alreadyHere(label, kind, open) {
    if (kind === 'page') return `Du bist schon auf der Seite ${label}.`;
    if (kind === 'open') return `Du bist schon in '${label}'.`;
    return open ? `'${label}' ist ${container(open)}, wo du gerade bist.` : `'${label}' ist auf dieser Seite.`;
  },
  seenElsewhere(seen) {
    const where = seen.isThisPage ? ' auf dieser Seite' : seen.page ? ` auf der Seite ${seen.page}` : '';
    const tab = seen.isOtherTab ? ' in deinem anderen Tab' : '';
    const first = seen.isContainer
      ? `Du warst vorhin in '${seen.label}'${where}${tab}; das ist wohl die richtige Stelle dafür.`
      : `Du hast vorhin '${seen.label}'${where}${tab} benutzt; das ist wohl die richtige Stelle dafür.`;
    const close = seen.closeFirst ? `schließe ${container(seen.closeFirst, 'accusative')}, dann ` : '';
    const control = seen.opener ?? (seen.isContainer ? null : seen.label);
    const back = seen.page ? ` zur Seite ${seen.page}` : '';
    const route = control
      ? seen.isThisPage ? `${close}nutze '${control}' auf dieser Seite` : `${close}geh zurück${back} und nutze dort '${control}'`
      : seen.isThisPage ? `${close}öffne es auf dieser Seite noch einmal` : `${close}geh zurück${back} und öffne es dort noch einmal`;
    return `${first} Dazu ${route}.`;
  },
  doAgain(flow) {
    const done = flow.name ? `Du hast gerade '${flow.name}' abgeschlossen.` : 'Du hast diesen Schritt gerade abgeschlossen.';
    if (flow.openedBy) return `${done} Für ein weiteres nutze noch einmal '${flow.openedBy}'${flow.page ? ` auf der Seite ${flow.page}` : ''}.`;
    return `${done} Für ein weiteres öffne es noch einmal${flow.page ? ` auf der Seite ${flow.page}` : ''}.`;
  },
  pageSeen: (page, isOtherTab, closeFirst) =>
    `Du warst vorhin auf der Seite ${page}${isOtherTab ? ' in deinem anderen Tab' : ''}; das ist wohl die richtige Stelle dafür. ${closeFirst ? `Schließe ${container(closeFirst, 'accusative')} und geh dorthin zurück.` : 'Geh dorthin zurück, um weiterzumachen.'}`,
  notSeen: (topic) =>
    `Ich sehe ${topic ? `'${topic}'` : 'das'} nicht in dem, was du bisher benutzt hast, deshalb kann ich dir die genaue Stelle nicht zeigen.`,
  lookInOpen: (open) => `Wenn es zu diesem Schritt gehört, such es ${NOUN[open.kind].gender === 'f' ? 'in dieser' : 'in diesem'} ${NOUN[open.kind].noun}.`,
  otherTab: (page) => `In einem anderen Tab bist du auf der Seite ${page}.`,
  pathAnswer: (steps, from, isDemoData) => `So machen es ${isDemoData ? 'die simulierten Nutzer der Demo' : 'andere Nutzer'}${from ? ` von der Seite ${from} aus` : ''}: ${pathSteps(steps)}.`,
  skipDone(done) {
    const skip = done.isNumbered ? `überspring ${done.count === 1 ? 'Schritt 1' : `die ersten ${done.count} Schritte`}` : 'der Teil ist erledigt';
    return done.kind === 'page' ? `Du bist schon auf der Seite ${done.here}, also ${skip}.` : `Du hast '${done.here}' schon offen, also ${skip}.`;
  },
  articleSteps: (title, lines) => `Der Hilfeartikel '${title}' sagt:\n\n${lines.join('\n')}`,
  articleLabels: (title, language, steps) => `Der Hilfeartikel '${title}'${inLanguage(language, 'auf')} beschreibt diese Schritte: ${labelSteps(steps)}.`,
  articleAbout: (title, excerpt, language) => (excerpt ? `Der Hilfeartikel '${title}' sagt: ${excerpt}` : `Der Hilfeartikel '${title}'${inLanguage(language, 'auf')} behandelt das.`),
  recapIntro: 'Das hast du bisher gemacht:',
  recapStory: (story) => `Vorher: ${story}`,
  recapLine(line) {
    const where = line.pages.length > 0 ? `Auf ${pages(line.pages)}` : 'Anderswo';
    return line.deeds.length > 0 ? `- ${where}: ${joinList(line.deeds.map(deed), 'und')}.` : `- Du hast dir ${pages(line.pages)} angesehen.`;
  },
  recapEarlier: (count) => `- Davor ${count === 1 ? 'eine weitere Seite' : `${count} weitere Seiten`}.`,
  recapNow: (place) => `Jetzt: ${youAre(place).replace(/^Du bist/, 'du bist')}`,
};
