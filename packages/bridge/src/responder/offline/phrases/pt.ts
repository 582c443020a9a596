/** The offline responder's sentences in Portuguese (Brazilian, você). */
import type { ContainerKind } from '@sightline/protocol';
import { joinList, quote } from '../../../prompts/prompt-text.ts';
import { isConfirmable, joinLast, type DeedGroup, type PhraseBook, type PathStepView } from '../phrase-book.ts';
import type { OpenPlace, Place } from '../situation.ts';

/** Noun and gender of each container kind. */
const NOUN: Record<ContainerKind, { noun: string; isFeminine: boolean }> = {
  dialog: { noun: 'janela', isFeminine: true },
  drawer: { noun: 'painel', isFeminine: false },
  menu: { noun: 'menu', isFeminine: false },
  form: { noun: 'formulário', isFeminine: false },
  tabpanel: { noun: 'aba', isFeminine: true },
  section: { noun: 'seção', isFeminine: true },
};

/** Articles and their contractions with "em" and "de", by gender. */
const THE = { feminine: { the: 'a', in: 'na', of: 'da' }, masculine: { the: 'o', in: 'no', of: 'do' } } as const;

const list = (labels: readonly string[]) => joinList(labels.map(quote), 'e');

/** "a janela 'New event', que você abriu com 'Add'"; `form` picks the article or its contraction with em/de. */
function container(open: OpenPlace, form: 'the' | 'in' | 'of' = 'the'): string {
  const { noun, isFeminine } = NOUN[open.kind];
  const head = `${THE[isFeminine ? 'feminine' : 'masculine'][form]} ${noun}`;
  if (open.label) return `${head} '${open.label}'${open.openedBy ? `, que você abriu com '${open.openedBy}'` : ''}`;
  if (open.openedBy) return `${head} que você abriu com '${open.openedBy}'`;
  return head;
}

function times(count: number): string {
  return count <= 1 ? '' : ` ${count} vezes`;
}

function deed(item: DeedGroup): string {
  const labels = item.items.map((one) => `'${one.label}'${times(one.count)}`);
  const label = joinList(item.more > 0 ? [...labels, `mais ${item.more}`] : labels, 'e');
  switch (item.kind) {
    case 'opened':
      return `abriu ${label}`;
    case 'picked':
      return `escolheu ${label}`;
    case 'filled':
      return `preencheu ${label}`;
    case 'finished':
      return `concluiu ${label}`;
    case 'closed':
      return `fechou ${label} sem concluir`;
    default:
      return `usou ${label}`;
  }
}

function pages(titles: readonly string[]): string {
  return joinLast(titles, 3, 'e', (count) => `mais ${count}`);
}

function youAre(place: Place): string {
  const page = place.page ? `na página ${place.page}` : null;
  const open = place.open ? container(place.open, 'in') : null;
  if (page && open) return `Você está ${page}, ${open}.`;
  if (page || open) return `Você está ${page ?? open}.`;
  return 'Vejo a sua atividade, mas não em que página você está agora.';
}

/** Names of the help center's languages, for "(in English)". */
const LANGUAGE_NAMES: Record<string, string> = { en: 'inglês', es: 'espanhol', fr: 'francês', de: 'alemão', pt: 'português' };

const PATH_VERBS: Record<PathStepView['kind'], string> = { navigate: 'vá para', click: 'clique em', open: 'abra', submit: 'conclua com' };

/** " (in English)" for a known language, else ''. */
function inLanguage(language: string | null, preposition: string): string {
  const name = language ? LANGUAGE_NAMES[language] : undefined;
  return name ? ` (${preposition} ${name})` : '';
}

function pathSteps(steps: readonly PathStepView[]): string {
  return steps.map((step) => `${step.isRecord ? 'abra um item de' : PATH_VERBS[step.kind]} ${quote(step.label)}`).join(', depois ');
}

function labelSteps(steps: readonly (readonly string[])[]): string {
  return steps.map((labels) => joinList(labels.map(quote), 'e')).join(', depois ');
}

export const pt: PhraseBook = {
  language: 'pt',
  offlineNote: '(Respondo sem um modelo de linguagem, com base no que você faz no produto.)',
  noActivity: 'Ainda não vejo nenhuma atividade sua no produto, então não sei onde você está.',
  hello: (firstName) => (firstName ? `Olá, ${firstName}!` : 'Olá!'),
  askMe: 'Pergunte o que fazer em seguida ou como fazer algo aqui.',
  welcome: 'De nada! Pode me perguntar sempre que você travar em algum passo.',
  about:
    'Sou o assistente deste produto. No momento respondo sem um modelo de linguagem, com regras fixas, com base no que você faz no produto: onde você está, o que acabou de fazer e qual é o próximo passo.',
  unrelated:
    'Só posso ajudar com este produto e com o que você está fazendo nele, então não consigo responder a isso. Pergunte o que fazer em seguida ou como fazer algo aqui.',
  outOfScope: 'Sem um modelo de linguagem, só posso dizer onde você está no produto e o que fazer em seguida.',
  youAre,
  progress(open) {
    const parts: string[] = [];
    if (open.fields.length > 0) parts.push(`preencheu ${list(open.fields)}`);
    if (open.choices.length > 0) parts.push(`escolheu ${list(open.choices)}`);
    return parts.length > 0 ? `Até agora você ${parts.join(' e ')}.` : '';
  },
  pickedBefore: (choices) => `Antes disso, você escolheu ${list(choices)}.`,
  finishOpen(open, finisher) {
    if (open.kind === 'menu') return 'Escolha nele a opção que você quer.';
    if (!isConfirmable(open.kind)) return 'Continue ali; quando terminar, confirme as alterações com o botão para isso.';
    const rest = 'Preencha o que ainda falta e depois';
    if (finisher) return `${rest} conclua com '${finisher}'.`;
    return open.kind === 'form'
      ? `${rest} use o botão que confirma no fim do formulário.`
      : `${rest} use o botão que confirma na parte de baixo ${container({ ...open, label: null, openedBy: null }, 'of')}.`;
  },
  finisherUsedStillOpen: (open, finisher) =>
    `Você já usou '${finisher}', mas ${container({ ...open, label: null, openedBy: null })} ainda está ${NOUN[open.kind].isFeminine ? 'aberta' : 'aberto'}: talvez um campo obrigatório esteja vazio ou com erro. Confira os campos, corrija o que estiver marcado e tente de novo.`,
  lastUsed: (label) => `O seu último passo foi '${label}'.`,
  justOpened: (label) => `O seu último passo foi '${label}', então o que ele abre deve estar na sua frente: preencha e confirme com o botão dele.`,
  reachedWith: (label) => `Você já está onde '${label}' leva, então o próximo passo é nesta página.`,
  carryOn: 'Diga o que você quer fazer aqui e eu mostro onde fica.',
  backAndForth: (first, second) => `Você foi e voltou entre as páginas ${first} e ${second}; diga o que está procurando e eu mostro onde fica.`,
  completed(flow, here) {
    const what = flow.name && flow.by ? `você concluiu '${flow.name}' com '${flow.by}'` : flow.name ? `você concluiu '${flow.name}'` : flow.by ? `você usou '${flow.by}'` : 'o formulário foi enviado';
    const moved = flow.ledTo && flow.ledTo !== flow.page ? flow.ledTo : null;
    const where = moved ? ` e agora está na página ${moved}` : here ? ` e voltou para a página ${here}` : '';
    return `Parece que deu certo: ${what}${where}.`;
  },
  checkResult: (here) =>
    `Confira${here ? ` na página ${here}` : ''} se o resultado está certo; se faltar algo, diga o que você vê.`,
  dismissed: (flow) => (flow.name ? `Você fechou '${flow.name}' sem concluir.` : 'Você fechou essa etapa sem concluir.'),
  reopen(flow) {
    if (flow.openedBy && flow.page) return `Para retomar, use '${flow.openedBy}' na página ${flow.page}.`;
    if (flow.openedBy) return `Para retomar, use '${flow.openedBy}' de novo.`;
    return flow.page ? `Para retomar, comece de novo pela página ${flow.page}.` : 'Para retomar, abra de novo a partir de onde você começou.';
  },
  failedClick(failure) {
    const where = failure.area ? ` em '${failure.area}'` : '';
    if (!failure.label) return `Parece que os seus últimos cliques${where} não fizeram nada.`;
    return `Parece que '${failure.label}'${where} não fez nada quando você clicou${failure.count > 1 ? ', nem depois de várias tentativas' : ''}.`;
  },
  failedHint: (isInOpen) =>
    `Provavelmente falta algo antes: um campo obrigatório ainda vazio${isInOpen ? ' nesta etapa' : ''} ou uma etapa anterior que não foi feita. Confira o que está acima e tente de novo.`,
  noFailure: 'Não vejo nada que tenha falhado na sua atividade: os seus últimos passos deram certo.',
  alreadyHere(label, kind, open) {
    if (kind === 'page') return `Você já está na página ${label}.`;
    if (kind === 'open') return `Você já está em '${label}'.`;
    return open ? `'${label}' fica ${container(open, 'in')}, onde você está agora.` : `'${label}' fica nesta página.`;
  },
  seenElsewhere(seen) {
    const where = seen.isThisPage ? ' nesta página' : seen.page ? ` na página ${seen.page}` : '';
    const tab = seen.isOtherTab ? ' na sua outra aba' : '';
    const first = seen.isContainer
      ? `Antes você esteve em '${seen.label}'${where}${tab}, e parece ser o lugar para isso.`
      : `Antes você usou '${seen.label}'${where}${tab}, e parece ser o lugar para isso.`;
    const close = seen.closeFirst ? `feche ${container(seen.closeFirst)}, depois ` : '';
    const control = seen.opener ?? (seen.isContainer ? null : seen.label);
    const back = seen.page ? ` para a página ${seen.page}` : '';
    const route = control
      ? seen.isThisPage ? `${close}use '${control}' nesta página` : `${close}volte${back} e use '${control}' lá`
      : seen.isThisPage ? `${close}abra de novo a partir desta página` : `${close}volte${back} e abra de novo a partir de lá`;
    return `${first} Para chegar lá, ${route}.`;
  },
  doAgain(flow) {
    const done = flow.name ? `Você acabou de concluir '${flow.name}'.` : 'Você acabou de concluir essa etapa.';
    if (flow.openedBy) return `${done} Para fazer outro, use '${flow.openedBy}' de novo${flow.page ? ` na página ${flow.page}` : ''}.`;
    return `${done} Para fazer outro, abra de novo${flow.page ? ` a partir da página ${flow.page}` : ''}.`;
  },
  pageSeen: (page, isOtherTab, closeFirst) =>
    `Antes você esteve na página ${page}${isOtherTab ? ' na sua outra aba' : ''}, e parece ser o lugar para isso. ${closeFirst ? `Feche ${container(closeFirst)} e volte para lá.` : 'Volte para lá para continuar.'}`,
  notSeen: (topic) =>
    `Não vejo ${topic ? `'${topic}'` : 'isso'} no que você usou até agora, então não consigo indicar o lugar exato.`,
  lookInOpen: (open) => `Se for parte desta etapa, procure ${NOUN[open.kind].isFeminine ? 'nesta' : 'neste'} ${NOUN[open.kind].noun}.`,
  otherTab: (page) => `Em outra aba você está na página ${page}.`,
  pathAnswer: (steps, from, isDemoData) => `${isDemoData ? 'Os usuários simulados da demo fazem' : 'Outros usuários fazem'} assim${from ? ` a partir da página ${from}` : ''}: ${pathSteps(steps)}.`,
  skipDone(done) {
    const skip = done.isNumbered ? `pule ${done.count === 1 ? 'o passo 1' : `os primeiros ${done.count} passos`}` : 'essa parte já está feita';
    return done.kind === 'page' ? `Você já está na página ${done.here}, então ${skip}.` : `Você já tem '${done.here}' aberto, então ${skip}.`;
  },
  articleSteps: (title, lines) => `O artigo de ajuda '${title}' diz:\n\n${lines.join('\n')}`,
  articleLabels: (title, language, steps) => `O artigo de ajuda '${title}'${inLanguage(language, 'em')} descreve estes passos: ${labelSteps(steps)}.`,
  articleAbout: (title, excerpt, language) => (excerpt ? `O artigo de ajuda '${title}' diz: ${excerpt}` : `O artigo de ajuda '${title}'${inLanguage(language, 'em')} trata disso.`),
  recapIntro: 'Isto é o que você fez até agora:',
  recapStory: (story) => `Antes: ${story}`,
  recapLine(line) {
    const where = line.pages.length > 0 ? `Em ${pages(line.pages)}` : 'Em outro lugar';
    return line.deeds.length > 0 ? `- ${where}: você ${joinList(line.deeds.map(deed), 'e')}.` : `- Você viu ${pages(line.pages)}.`;
  },
  recapEarlier: (count) => `- Antes disso, ${count === 1 ? 'mais uma página' : `mais ${count} páginas`}.`,
  recapNow: (place) => `Agora: ${youAre(place).replace(/^Você está/, 'você está')}`,
};
