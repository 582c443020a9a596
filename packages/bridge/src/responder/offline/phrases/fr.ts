/** The offline responder's sentences in French (vous). Elisions use ’ so that a plain quote always marks a label. */
import type { ContainerKind } from '@sightline/protocol';
import { joinList, quote } from '../../../prompts/prompt-text.ts';
import { isConfirmable, joinLast, type DeedGroup, type PhraseBook, type PathStepView } from '../phrase-book.ts';
import type { OpenPlace, Place } from '../situation.ts';

/** Noun, article ("la", "le", "l’") and gender of each container kind. */
const NOUN: Record<ContainerKind, { noun: string; the: string; isFeminine: boolean }> = {
  dialog: { noun: 'boîte de dialogue', the: 'la ', isFeminine: true },
  drawer: { noun: 'panneau', the: 'le ', isFeminine: false },
  menu: { noun: 'menu', the: 'le ', isFeminine: false },
  form: { noun: 'formulaire', the: 'le ', isFeminine: false },
  tabpanel: { noun: 'onglet', the: 'l’', isFeminine: false },
  section: { noun: 'section', the: 'la ', isFeminine: true },
};

const list = (labels: readonly string[]) => joinList(labels.map(quote), 'et');

/** "la boîte de dialogue 'New event'", "la boîte de dialogue que vous avez ouverte avec 'Add'". */
function container(open: OpenPlace): string {
  const { noun, the, isFeminine } = NOUN[open.kind];
  const opened = isFeminine ? 'ouverte' : 'ouvert';
  if (open.label) return `${the}${noun} '${open.label}'${open.openedBy ? `, ${opened} avec '${open.openedBy}'` : ''}`;
  if (open.openedBy) return `${the}${noun} ${opened} avec '${open.openedBy}'`;
  return `${isFeminine ? 'une' : 'un'} ${noun}`;
}

function times(count: number): string {
  return count <= 1 ? '' : ` ${count} fois`;
}

function deed(item: DeedGroup): string {
  const labels = item.items.map((one) => `'${one.label}'${times(one.count)}`);
  const label = joinList(item.more > 0 ? [...labels, `${item.more} autres`] : labels, 'et');
  switch (item.kind) {
    case 'opened':
      return `ouvert ${label}`;
    case 'picked':
      return `choisi ${label}`;
    case 'filled':
      return `rempli ${label}`;
    case 'finished':
      return `terminé ${label}`;
    case 'closed':
      return `fermé ${label} sans terminer`;
    default:
      return `utilisé ${label}`;
  }
}

function pages(titles: readonly string[]): string {
  return joinLast(titles, 3, 'et', (count) => `${count} autres`);
}

function youAre(place: Place): string {
  const page = place.page ? `sur la page ${place.page}` : null;
  const open = place.open ? `dans ${container(place.open)}` : null;
  if (page && open) return `Vous êtes ${page}, ${open}.`;
  if (page || open) return `Vous êtes ${page ?? open}.`;
  return 'Je vois votre activité, mais pas la page où vous êtes en ce moment.';
}

/** Names of the help center's languages, for "(in English)". */
const LANGUAGE_NAMES: Record<string, string> = { en: 'anglais', es: 'espagnol', fr: 'français', de: 'allemand', pt: 'portugais' };

const PATH_VERBS: Record<PathStepView['kind'], string> = { navigate: 'allez dans', click: 'cliquez sur', open: 'ouvrez', submit: 'terminez avec' };

/** " (in English)" for a known language, else ''. */
function inLanguage(language: string | null, preposition: string): string {
  const name = language ? LANGUAGE_NAMES[language] : undefined;
  return name ? ` (${preposition} ${name})` : '';
}

function pathSteps(steps: readonly PathStepView[]): string {
  return steps.map((step) => `${step.isRecord ? 'ouvrez un élément de' : PATH_VERBS[step.kind]} ${quote(step.label)}`).join(', puis ');
}

function labelSteps(steps: readonly (readonly string[])[]): string {
  return steps.map((labels) => joinList(labels.map(quote), 'et')).join(', puis ');
}

export const fr: PhraseBook = {
  language: 'fr',
  offlineNote: '(Je réponds sans modèle de langage, à partir de ce que vous faites dans le produit.)',
  noActivity: 'Je ne vois encore aucune activité de votre part dans le produit, donc je ne sais pas où vous êtes.',
  hello: (firstName) => (firstName ? `Bonjour ${firstName} !` : 'Bonjour !'),
  askMe: 'Demandez-moi quoi faire ensuite, ou comment faire quelque chose ici.',
  welcome: 'Avec plaisir ! Demandez-moi quand vous voulez si vous êtes bloqué.',
  about:
    'Je suis l’assistant de ce produit. Pour l’instant, je réponds sans modèle de langage, avec des règles fixes, à partir de ce que vous faites dans le produit : où vous êtes, ce que vous venez de faire et la suite.',
  unrelated:
    'Je ne peux vous aider qu’avec ce produit et ce que vous y faites, donc je ne peux pas répondre à cette question. Demandez-moi quoi faire ensuite, ou comment faire quelque chose ici.',
  outOfScope: 'Sans modèle de langage, je peux seulement vous dire où vous êtes dans le produit et quoi faire ensuite.',
  youAre,
  progress(open) {
    const parts: string[] = [];
    if (open.fields.length > 0) parts.push(`rempli ${list(open.fields)}`);
    if (open.choices.length > 0) parts.push(`choisi ${list(open.choices)}`);
    return parts.length > 0 ? `Jusqu’ici, vous avez ${parts.join(' et ')}.` : '';
  },
  pickedBefore: (choices) => `Avant cela, vous avez choisi ${list(choices)}.`,
  finishOpen(open, finisher) {
    if (open.kind === 'menu') return 'Choisissez-y l’option que vous voulez.';
    if (!isConfirmable(open.kind)) return 'Continuez là ; quand vous avez fini, validez vos changements avec le bouton prévu.';
    const rest = 'Remplissez ce qui manque encore, puis';
    if (finisher) return `${rest} terminez avec '${finisher}'.`;
    const { noun, the } = NOUN[open.kind];
    return open.kind === 'form'
      ? `${rest} utilisez le bouton qui le confirme à la fin du formulaire.`
      : `${rest} utilisez le bouton qui la confirme en bas de ${the}${noun}.`;
  },
  finisherUsedStillOpen(open, finisher) {
    const { noun, the, isFeminine } = NOUN[open.kind];
    return `Vous avez déjà utilisé '${finisher}', mais ${the}${noun} est toujours ${isFeminine ? 'ouverte' : 'ouvert'} : un champ obligatoire est peut-être vide ou en erreur. Vérifiez les champs, corrigez ce qui est signalé, puis réessayez.`;
  },
  lastUsed: (label) => `Votre dernière action était '${label}'.`,
  justOpened: (label) => `Votre dernière action était '${label}', donc ce qu’il ouvre devrait être devant vous : remplissez-le, puis validez avec son bouton.`,
  reachedWith: (label) => `Vous êtes déjà là où mène '${label}', donc la suite se passe sur cette page.`,
  carryOn: 'Dites-moi ce que vous voulez faire ici et je vous indiquerai où le trouver.',
  backAndForth: (first, second) => `Vous avez fait plusieurs allers-retours entre les pages ${first} et ${second} ; dites-moi ce que vous cherchez et je vous indiquerai où le trouver.`,
  completed(flow, here) {
    const what = flow.name && flow.by ? `vous avez terminé '${flow.name}' avec '${flow.by}'` : flow.name ? `vous avez terminé '${flow.name}'` : flow.by ? `vous avez utilisé '${flow.by}'` : 'le formulaire est parti';
    const moved = flow.ledTo && flow.ledTo !== flow.page ? flow.ledTo : null;
    const where = moved ? ` et vous êtes maintenant sur la page ${moved}` : here ? ` et vous êtes de retour sur la page ${here}` : '';
    return `On dirait que ça a marché : ${what}${where}.`;
  },
  checkResult: (here) =>
    `Vérifiez${here ? ` sur la page ${here}` : ''} que le résultat est le bon ; s’il manque quelque chose, dites-moi ce que vous voyez.`,
  dismissed: (flow) => (flow.name ? `Vous avez fermé '${flow.name}' sans le terminer.` : 'Vous avez fermé cette étape sans la terminer.'),
  reopen(flow) {
    if (flow.openedBy && flow.page) return `Pour le reprendre, utilisez '${flow.openedBy}' sur la page ${flow.page}.`;
    if (flow.openedBy) return `Pour le reprendre, utilisez de nouveau '${flow.openedBy}'.`;
    return flow.page ? `Pour le reprendre, recommencez depuis la page ${flow.page}.` : 'Pour le reprendre, rouvrez-le depuis l’endroit où vous l’avez commencé.';
  },
  failedClick(failure) {
    const where = failure.area ? ` dans '${failure.area}'` : '';
    if (!failure.label) return `Vos derniers clics${where} n’ont apparemment rien fait.`;
    return `On dirait que '${failure.label}'${where} n’a rien fait quand vous avez cliqué${failure.count > 1 ? ', même après plusieurs essais' : ''}.`;
  },
  failedHint: (isInOpen) =>
    `Il manque sans doute quelque chose avant : un champ obligatoire encore vide${isInOpen ? ' dans cette étape' : ''}, ou une étape précédente qui n’est pas faite. Vérifiez ce qui se trouve au-dessus, puis réessayez.`,
  noFailure: 'Je ne vois rien qui ait échoué dans votre activité : vos dernières actions sont passées.',
  alreadyHere(label, kind, open) {
    if (kind === 'page') return `Vous êtes déjà sur la page ${label}.`;
    if (kind === 'open') return `Vous êtes déjà dans '${label}'.`;
    return open ? `'${label}' se trouve dans ${container(open)}, là où vous êtes.` : `'${label}' se trouve sur cette page.`;
  },
  seenElsewhere(seen) {
    const where = seen.isThisPage ? ' sur cette page' : seen.page ? ` sur la page ${seen.page}` : '';
    const tab = seen.isOtherTab ? ' dans votre autre onglet' : '';
    const first = seen.isContainer
      ? `Vous étiez dans '${seen.label}' plus tôt${where}${tab}, et c’est sans doute là que ça se passe.`
      : `Vous avez utilisé '${seen.label}' plus tôt${where}${tab}, et c’est sans doute là que ça se passe.`;
    const close = seen.closeFirst ? `fermez ${container(seen.closeFirst)}, puis ` : '';
    const control = seen.opener ?? (seen.isContainer ? null : seen.label);
    const back = seen.page ? ` sur la page ${seen.page}` : '';
    const route = control
      ? seen.isThisPage ? `${close}utilisez '${control}' sur cette page` : `${close}retournez${back} et utilisez '${control}'`
      : seen.isThisPage ? `${close}rouvrez-le depuis cette page` : `${close}retournez${back} et rouvrez-le depuis là`;
    return `${first} Pour y aller, ${route}.`;
  },
  doAgain(flow) {
    const done = flow.name ? `Vous venez de terminer '${flow.name}'.` : 'Vous venez de terminer cette étape.';
    if (flow.openedBy) return `${done} Pour en faire un autre, utilisez de nouveau '${flow.openedBy}'${flow.page ? ` sur la page ${flow.page}` : ''}.`;
    return `${done} Pour en faire un autre, rouvrez-le${flow.page ? ` depuis la page ${flow.page}` : ''}.`;
  },
  pageSeen: (page, isOtherTab, closeFirst) =>
    `Vous étiez sur la page ${page} plus tôt${isOtherTab ? ' dans votre autre onglet' : ''}, et c’est sans doute là que ça se passe. ${closeFirst ? `Fermez ${container(closeFirst)} et retournez-y.` : 'Retournez-y pour continuer.'}`,
  notSeen: (topic) =>
    `Je ne vois pas ${topic ? `'${topic}'` : 'cela'} dans ce que vous avez utilisé jusqu’ici, donc je ne peux pas vous indiquer l’endroit exact.`,
  lookInOpen: (open) => `Si cela fait partie de cette étape, cherchez dans ${NOUN[open.kind].isFeminine ? 'cette ' : NOUN[open.kind].the === 'l’' ? 'cet ' : 'ce '}${NOUN[open.kind].noun}.`,
  otherTab: (page) => `Dans un autre onglet, vous êtes sur la page ${page}.`,
  pathAnswer: (steps, from, isDemoData) => `${isDemoData ? 'Les utilisateurs simulés de la démo font' : 'D’autres utilisateurs font'} ainsi${from ? ` depuis la page ${from}` : ''} : ${pathSteps(steps)}.`,
  skipDone(done) {
    const skip = done.isNumbered ? `vous pouvez passer ${done.count === 1 ? 'l’étape 1' : `les ${done.count} premières étapes`}` : 'cette partie est faite';
    return done.kind === 'page' ? `Vous êtes déjà sur la page ${done.here}, donc ${skip}.` : `Vous avez déjà ouvert '${done.here}', donc ${skip}.`;
  },
  articleSteps: (title, lines) => `L’article d’aide '${title}' indique :\n\n${lines.join('\n')}`,
  articleLabels: (title, language, steps) => `L’article d’aide '${title}'${inLanguage(language, 'en')} décrit ces étapes : ${labelSteps(steps)}.`,
  articleAbout: (title, excerpt, language) => (excerpt ? `L’article d’aide '${title}' indique : ${excerpt}` : `L’article d’aide '${title}'${inLanguage(language, 'en')} traite de ce sujet.`),
  recapIntro: 'Voici ce que vous avez fait jusqu’ici :',
  recapStory: (story) => `Avant : ${story}`,
  recapLine(line) {
    const where = line.pages.length > 0 ? `Sur ${pages(line.pages)}` : 'Ailleurs';
    return line.deeds.length > 0 ? `- ${where} : vous avez ${joinList(line.deeds.map(deed), 'et')}.` : `- Vous avez consulté ${pages(line.pages)}.`;
  },
  recapEarlier: (count) => `- Avant cela, ${count === 1 ? 'une autre page' : `${count} autres pages`}.`,
  recapNow: (place) => `Maintenant : ${youAre(place).replace(/^Vous êtes/, 'vous êtes')}`,
};
