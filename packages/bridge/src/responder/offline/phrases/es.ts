/** The offline responder's sentences in Spanish (tú). */
import type { ContainerKind } from '@sightline/protocol';
import { joinList, quote } from '../../../prompts/prompt-text.ts';
import { isConfirmable, joinLast, type DeedGroup, type PhraseBook, type PathStepView } from '../phrase-book.ts';
import type { OpenPlace, Place } from '../situation.ts';

/** Noun and article of each container kind. */
const NOUN: Record<ContainerKind, { noun: string; the: 'el' | 'la' }> = {
  dialog: { noun: 'diálogo', the: 'el' },
  drawer: { noun: 'panel', the: 'el' },
  menu: { noun: 'menú', the: 'el' },
  form: { noun: 'formulario', the: 'el' },
  tabpanel: { noun: 'pestaña', the: 'la' },
  section: { noun: 'sección', the: 'la' },
};

const list = (labels: readonly string[]) => joinList(labels.map(quote), 'y');

/** "el diálogo 'New event'", "el diálogo que abriste con 'Add'", "un diálogo". */
function container(open: OpenPlace): string {
  const { noun, the } = NOUN[open.kind];
  if (open.label) return `${the} ${noun} '${open.label}'${open.openedBy ? `, que abriste con '${open.openedBy}'` : ''}`;
  if (open.openedBy) return `${the} ${noun} que abriste con '${open.openedBy}'`;
  return `${the === 'el' ? 'un' : 'una'} ${noun}`;
}

function times(count: number): string {
  return count <= 1 ? '' : ` ${count} veces`;
}

function deed(item: DeedGroup): string {
  const labels = item.items.map((one) => `'${one.label}'${times(one.count)}`);
  const label = joinList(item.more > 0 ? [...labels, `${item.more} más`] : labels, 'y');
  switch (item.kind) {
    case 'opened':
      return `abriste ${label}`;
    case 'picked':
      return `elegiste ${label}`;
    case 'filled':
      return `rellenaste ${label}`;
    case 'finished':
      return `completaste ${label}`;
    case 'closed':
      return `cerraste ${label} sin terminar`;
    default:
      return `usaste ${label}`;
  }
}

function pages(titles: readonly string[]): string {
  return joinLast(titles, 3, 'y', (count) => `${count} más`);
}

function youAre(place: Place): string {
  const page = place.page ? `en la página ${place.page}` : null;
  const open = place.open ? `en ${container(place.open)}` : null;
  if (page && open) return `Estás ${page}, ${open}.`;
  if (page || open) return `Estás ${page ?? open}.`;
  return 'Veo tu actividad, pero no en qué página estás ahora.';
}

/** Names of the help center's languages, for "(in English)". */
const LANGUAGE_NAMES: Record<string, string> = { en: 'inglés', es: 'español', fr: 'francés', de: 'alemán', pt: 'portugués' };

const PATH_VERBS: Record<PathStepView['kind'], string> = { navigate: 've a', click: 'haz clic en', open: 'abre', submit: 'termina con' };

/** " (in English)" for a known language, else ''. */
function inLanguage(language: string | null, preposition: string): string {
  const name = language ? LANGUAGE_NAMES[language] : undefined;
  return name ? ` (${preposition} ${name})` : '';
}

function pathSteps(steps: readonly PathStepView[]): string {
  return steps.map((step) => `${step.isRecord ? 'abre uno de los elementos de' : PATH_VERBS[step.kind]} ${quote(step.label)}`).join(', luego ');
}

function labelSteps(steps: readonly (readonly string[])[]): string {
  return steps.map((labels) => joinList(labels.map(quote), 'y')).join(', luego ');
}

export const es: PhraseBook = {
  language: 'es',
  offlineNote: '(Respondo sin un modelo de lenguaje, a partir de lo que haces en el producto.)',
  noActivity: 'Todavía no veo ninguna actividad tuya en el producto, así que no sé dónde estás.',
  hello: (firstName) => (firstName ? `¡Hola, ${firstName}!` : '¡Hola!'),
  askMe: 'Pregúntame qué hacer a continuación o cómo hacer algo aquí.',
  welcome: '¡De nada! Pregúntame cuando quieras si te atascas.',
  about:
    'Soy el asistente de este producto. Ahora mismo respondo sin un modelo de lenguaje, con reglas fijas, a partir de lo que haces en el producto: dónde estás, qué acabas de hacer y qué sigue.',
  unrelated:
    'Solo puedo ayudarte con este producto y con lo que estás haciendo en él, así que no puedo responder a eso. Pregúntame qué hacer a continuación o cómo hacer algo aquí.',
  outOfScope: 'Sin un modelo de lenguaje solo puedo ayudarte con dónde estás en el producto y qué hacer a continuación.',
  youAre,
  progress(open) {
    const parts: string[] = [];
    if (open.fields.length > 0) parts.push(`rellenaste ${list(open.fields)}`);
    if (open.choices.length > 0) parts.push(`elegiste ${list(open.choices)}`);
    return parts.length > 0 ? `Hasta ahora ${parts.join(' y ')}.` : '';
  },
  pickedBefore: (choices) => `Antes de eso, elegiste ${list(choices)}.`,
  finishOpen(open, finisher) {
    if (open.kind === 'menu') return 'Elige en él la opción que quieres.';
    if (!isConfirmable(open.kind)) return 'Sigue ahí; cuando termines, confirma los cambios con su botón.';
    const rest = 'Completa lo que falte y después';
    if (finisher) return `${rest} termina con '${finisher}'.`;
    return open.kind === 'form'
      ? `${rest} usa el botón que lo confirma al final del formulario.`
      : `${rest} usa el botón que lo confirma en la parte de abajo del ${NOUN[open.kind].noun}.`;
  },
  finisherUsedStillOpen: (open, finisher) =>
    `Ya usaste '${finisher}', pero ${NOUN[open.kind].the} ${NOUN[open.kind].noun} sigue abierto: puede que un campo obligatorio esté vacío o tenga un error. Revisa los campos, corrige lo que esté marcado y vuelve a intentarlo.`,
  lastUsed: (label) => `Tu último paso fue '${label}'.`,
  justOpened: (label) => `Tu último paso fue '${label}', así que lo que abre debería estar delante de ti: complétalo y confirma con su botón.`,
  reachedWith: (label) => `Ya estás donde lleva '${label}', así que el siguiente paso está en esta página.`,
  carryOn: 'Dime qué quieres hacer aquí y te indico dónde está.',
  backAndForth: (first, second) => `Has ido y vuelto entre las páginas ${first} y ${second}; dime qué buscas y te indico dónde está.`,
  completed(flow, here) {
    const what = flow.name && flow.by ? `completaste '${flow.name}' con '${flow.by}'` : flow.name ? `completaste '${flow.name}'` : flow.by ? `usaste '${flow.by}'` : 'el formulario se envió';
    const moved = flow.ledTo && flow.ledTo !== flow.page ? flow.ledTo : null;
    const where = moved ? ` y ahora estás en la página ${moved}` : here ? ` y has vuelto a la página ${here}` : '';
    return `Parece que funcionó: ${what}${where}.`;
  },
  checkResult: (here) =>
    `Comprueba${here ? ` en la página ${here}` : ''} que el resultado es el esperado; si falta algo, dime qué ves.`,
  dismissed: (flow) => (flow.name ? `Cerraste '${flow.name}' sin terminarlo.` : 'Cerraste ese paso sin terminarlo.'),
  reopen(flow) {
    if (flow.openedBy && flow.page) return `Para retomarlo, usa '${flow.openedBy}' en la página ${flow.page}.`;
    if (flow.openedBy) return `Para retomarlo, usa '${flow.openedBy}' de nuevo.`;
    return flow.page ? `Para retomarlo, vuelve a empezarlo desde la página ${flow.page}.` : 'Para retomarlo, vuelve a abrirlo desde donde lo empezaste.';
  },
  failedClick(failure) {
    const where = failure.area ? ` en '${failure.area}'` : '';
    if (!failure.label) return `Parece que tus últimos clics${where} no hicieron nada.`;
    return `Parece que '${failure.label}'${where} no hizo nada cuando hiciste clic${failure.count > 1 ? ', ni después de varios intentos' : ''}.`;
  },
  failedHint: (isInOpen) =>
    `Probablemente falta algo antes: un campo obligatorio que está vacío${isInOpen ? ' en este paso' : ''} o un paso anterior que no está hecho. Revisa lo que hay encima y vuelve a intentarlo.`,
  noFailure: 'No veo nada que haya fallado en tu actividad: tus últimos pasos se completaron.',
  alreadyHere(label, kind, open) {
    if (kind === 'page') return `Ya estás en la página ${label}.`;
    if (kind === 'open') return `Ya estás en '${label}'.`;
    return open ? `'${label}' está en ${container(open)}, donde estás ahora.` : `'${label}' está en esta página.`;
  },
  seenElsewhere(seen) {
    const where = seen.isThisPage ? ' en esta página' : seen.page ? ` en la página ${seen.page}` : '';
    const tab = seen.isOtherTab ? ' en tu otra pestaña' : '';
    const first = seen.isContainer
      ? `Antes estuviste en '${seen.label}'${where}${tab}, y parece el sitio para eso.`
      : `Antes usaste '${seen.label}'${where}${tab}, y parece el sitio para eso.`;
    const close = seen.closeFirst ? `cierra ${container(seen.closeFirst)}, después ` : '';
    const control = seen.opener ?? (seen.isContainer ? null : seen.label);
    const back = seen.page ? ` a la página ${seen.page}` : '';
    const route = control
      ? seen.isThisPage ? `${close}usa '${control}' en esta página` : `${close}vuelve${back} y usa '${control}' allí`
      : seen.isThisPage ? `${close}vuelve a abrirlo desde esta página` : `${close}vuelve${back} y ábrelo de nuevo desde allí`;
    return `${first} Para llegar, ${route}.`;
  },
  doAgain(flow) {
    const done = flow.name ? `Acabas de completar '${flow.name}'.` : 'Acabas de completar ese paso.';
    if (flow.openedBy) return `${done} Para hacer otro, usa '${flow.openedBy}' de nuevo${flow.page ? ` en la página ${flow.page}` : ''}.`;
    return `${done} Para hacer otro, ábrelo de nuevo${flow.page ? ` desde la página ${flow.page}` : ''}.`;
  },
  pageSeen: (page, isOtherTab, closeFirst) =>
    `Antes estuviste en la página ${page}${isOtherTab ? ' en tu otra pestaña' : ''}, y parece el sitio para eso. ${closeFirst ? `Cierra ${container(closeFirst)} y vuelve allí.` : 'Vuelve allí para seguir.'}`,
  notSeen: (topic) =>
    `No veo ${topic ? `'${topic}'` : 'eso'} en lo que has usado hasta ahora, así que no puedo indicarte el sitio exacto.`,
  lookInOpen: (open) => `Si es parte de este paso, búscalo en ${NOUN[open.kind].the === 'el' ? 'este' : 'esta'} ${NOUN[open.kind].noun}.`,
  otherTab: (page) => `En otra pestaña estás en la página ${page}.`,
  pathAnswer: (steps, from, isDemoData) => `${isDemoData ? 'Los usuarios simulados de la demo lo hacen' : 'Otros usuarios lo hacen'} así${from ? ` desde la página ${from}` : ''}: ${pathSteps(steps)}.`,
  skipDone(done) {
    const skip = done.isNumbered ? `sáltate ${done.count === 1 ? 'el paso 1' : `los primeros ${done.count} pasos`}` : 'esa parte ya está hecha';
    return done.kind === 'page' ? `Ya estás en la página ${done.here}, así que ${skip}.` : `Ya tienes abierto '${done.here}', así que ${skip}.`;
  },
  articleSteps: (title, lines) => `El artículo de ayuda '${title}' dice:\n\n${lines.join('\n')}`,
  articleLabels: (title, language, steps) => `El artículo de ayuda '${title}'${inLanguage(language, 'en')} indica estos pasos: ${labelSteps(steps)}.`,
  articleAbout: (title, excerpt, language) => (excerpt ? `El artículo de ayuda '${title}' dice: ${excerpt}` : `El artículo de ayuda '${title}'${inLanguage(language, 'en')} trata este tema.`),
  recapIntro: 'Esto es lo que has hecho hasta ahora:',
  recapStory: (story) => `Antes: ${story}`,
  recapLine(line) {
    const where = line.pages.length > 0 ? `En ${pages(line.pages)}` : 'En otro sitio';
    return line.deeds.length > 0 ? `- ${where}: ${joinList(line.deeds.map(deed), 'y')}.` : `- Viste ${pages(line.pages)}.`;
  },
  recapEarlier: (count) => `- Antes de eso, ${count === 1 ? 'otra página' : `otras ${count} páginas`}.`,
  recapNow: (place) => `Ahora: ${youAre(place).replace(/^Estás/, 'estás')}`,
};
