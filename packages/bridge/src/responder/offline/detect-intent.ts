/**
 * What a chat message asks, from keyword rules in English, Spanish, French, German and Portuguese. The rules of
 * all five languages run on every message (lower case, accents removed), so a message whose language was guessed
 * wrong is still understood.
 */
import { joinCompoundTerms } from './topic-match.ts';

/** The coarse intent of a chat message. */
export type OfflineIntent =
  | 'greeting'
  | 'thanks'
  | 'about'
  | 'recap'
  | 'where'
  | 'next'
  | 'why-failing'
  | 'how-to'
  | 'unrelated'
  | 'other';

/** Lower case, accents and Spanish opening marks removed, typographic apostrophes made plain, spaces collapsed. */
export function normaliseQuery(query: string): string {
  return query
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/[¿¡]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const GREETING =
  /^(?:\/greet\b|(?:hi+|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening)|hola|buen(?:os|as) (?:dias|tardes|noches)|buenas|bonjour|bonsoir|salut|coucou|hallo|guten (?:morgen|tag|abend)|servus|moin|ola|oi|bom dia|boa (?:tarde|noite))\b)/;
const THANKS =
  /^(?:thanks|thank you|thx|ty|cheers|(?:great|ok|okay|perfect|nice),? thanks?|(?:muchas )?gracias|merci(?: beaucoup)?|(?:vielen )?dank(?:e)?(?: schon| sehr)?|obrigad[oa]|valeu)\b/;
const ABOUT = new RegExp(
  [
    String.raw`\b(?:are you|r u) (?:a |an )?(?:bot|robot|ai|human|real|person|machine)\b`,
    String.raw`\bwho are you\b|\bwhat are you\b|\blanguage model\b|\bllm\b|\bchat ?gpt\b|\bgpt\b|\boffline\b`,
    String.raw`\beres (?:un |una )?(?:bot|robot|humano|ia|persona|maquina)\b|\bquien eres\b|\bque eres\b|\bmodelo de (?:lenguaje|linguagem)\b|\bsin conexion\b`,
    String.raw`\b(?:tu es|es-tu|es tu|etes-vous|vous etes) (?:un |une )?(?:bot|robot|humain|ia|personne|machine)\b|\bqui es-tu\b|\bqui etes-vous\b|\bmodele de langage\b|\bhors ligne\b`,
    String.raw`\bbist du (?:ein |eine )?(?:bot|roboter|mensch|ki|maschine)\b|\bwer bist du\b|\bwas bist du\b|\bsprachmodell\b`,
    String.raw`\bvoce e (?:um |uma )?(?:bot|robo|humano|ia|pessoa|maquina)\b|\bquem e voce\b|\bo que e voce\b`,
  ].join('|'),
);
const RECAP = new RegExp(
  [
    String.raw`\bwhat (?:did|have|had) i (?:just |been |recently |already )?(?:do|did|done|doing)\b|\bwhat i (?:just |have )?(?:did|done)\b|\brecap\b|\bsummar(?:y|ise|ize)\b|\bwhere was i\b|\bwhat (?:just )?happened\b|\bmy (?:recent )?(?:activity|actions|history|steps)\b|\bso far\b`,
    String.raw`\bque (?:hice|he hecho|acabo de hacer|hemos hecho)\b|\bresumen\b|\bresume(?:me)?\b|\bhasta ahora\b|\blo que hice\b`,
    String.raw`\bqu'?est-ce que j'ai fait\b|\bqu'ai-je fait\b|\bce que j'ai fait\b|\bj'ai fait quoi\b|\bresume\b|\brecapitul|\bjusqu'(?:ici|a present|a maintenant)\b`,
    String.raw`\bwas (?:habe|hab) ich (?:\w+ )?(?:gemacht|getan)\b|\bwas ich (?:\w+ )?gemacht\b|\bzusammenfassung\b|\bbisher\b`,
    String.raw`\bo que (?:eu )?(?:fiz|tenho feito|acabei de fazer|fizemos)\b|\bresumo\b|\bate agora\b`,
  ].join('|'),
);
const WHERE = new RegExp(
  [
    String.raw`\bwhere am i\b|\bwhere are we\b|\bwhat (?:page|screen) (?:am i|is this)\b|\bwhich (?:page|screen)\b`,
    String.raw`\bdonde estoy\b|\ben que (?:pagina|pantalla) estoy\b`,
    String.raw`\bou suis-je\b|\bou je suis\b|\bou est-ce que je suis\b|\bsur quelle page\b`,
    String.raw`\bwo bin ich\b|\bauf welcher seite\b`,
    String.raw`\bonde (?:eu )?estou\b|\bem que (?:pagina|tela) estou\b`,
  ].join('|'),
);
const WHY_FAILING = new RegExp(
  [
    String.raw`\bwhy (?:does|doesn'?t|isn'?t|won'?t|can'?t|is(?: it)? not|did(?:n'?t| it not)|does it not|is nothing)\b|\bnot working\b|\bdoes(?:n'?t| not) work\b|\bnothing happens\b|\bbroken\b|\berror\b|\bwon'?t (?:let|work|save|submit)\b`,
    String.raw`\bpor ?que no\b|\bno funciona\b|\bno pasa nada\b|\bno me deja\b`,
    String.raw`\bpourquoi (?:ca |cela |il |le |la )?(?:ne|n')|\bne (?:marche|fonctionne) pas\b|\brien ne se passe\b|\bil ne se passe rien\b|\berreur\b`,
    String.raw`\bwarum (?:geht|funktioniert|klappt|passiert)\b|\b(?:funktioniert|geht|klappt) (?:das |es )?nicht\b|\bpassiert nichts\b|\bfehler\b`,
    String.raw`\bpor ?que (?:nao|isso nao)\b|\bnao funciona\b|\bnao acontece nada\b|\berro\b`,
  ].join('|'),
);
const NEXT = new RegExp(
  [
    String.raw`\bwhat (?:do|should|can|must) i do\b|\bwhat now\b|\bnow what\b|\bwhat'?s next\b|\bwhat is next\b|\bwhat next\b|\bnext step\b|\bhow (?:do|can|should) i (?:finish|complete|continue|proceed|go on|wrap)\b|\bfinish (?:this|it|up)\b|\b(?:did|does|has) (?:that|it|this) (?:work|go through|save|succeed)\b|\bwhat (?:should|do) i do (?:next|now)\b|\bwhere do i go from here\b|\bhelp me\b|^help$|\bi'?m stuck\b|\bwhat'?s left\b|\bwhat (?:happens|will happen) (?:when|if|after) i\b|\b(?:is|was|has) (?:it|that|this|my \w+) (?:been )?(?:saved|sent|done|created|submitted|published|booked|paid)\b|\bdid (?:it|that|this|my \w+) (?:save|send|get saved|get sent|go through)\b`,
    String.raw`\by ahora\b|\bque (?:hago|debo hacer|tengo que hacer)\b|\bque sigue\b|\b(?:el )?siguiente paso\b|\bcomo (?:termino|acabo|continuo|sigo|finalizo|completo)\b|\bfunciono\b|\bha funcionado\b|\bsalio bien\b|^ayuda(?:me)?$|\bestoy atascad|\bque pasa (?:si|cuando)\b|\bse (?:ha )?(?:guardado|guardo|enviado|envio|creado|creo|publicado|publico)\b`,
    String.raw`\bet maintenant\b|\bque (?:faire|dois-je faire)\b|\bje fais quoi\b|\bqu'est-ce que je (?:fais|dois faire)\b|\b(?:prochaine|etape suivante)\b|\bcomment (?:terminer|finir|continuer|je termine|je finis)\b|\bca a (?:marche|fonctionne)\b|\best-ce que ca a (?:marche|fonctionne)\b|^aide$|\bje suis bloque|\bque se passe-t-il (?:si|quand)\b|\bqu'est-ce qui se passe (?:si|quand)\b|\b(?:c'est|ca a ete|a-t-il ete|a-t-elle ete|est-il|est-elle) (?:bien )?(?:enregistre|envoye|cree|sauvegarde|publie)e?\b`,
    String.raw`\bund (?:jetzt|nun)\b|\bwas (?:nun|jetzt)\b|\bwie geht(?:'?s| es) weiter\b|\bwas (?:mache|tue) ich (?:jetzt|nun|als nachstes)\b|\bnachste[rn]? schritt\b|\bwas soll ich (?:jetzt |nun )?(?:tun|machen)\b|\bwie (?:schliesse|beende) ich\b|\bhat (?:das|es) (?:geklappt|funktioniert)\b|^hilfe$|\bich komme nicht weiter\b|\bwas passiert,? (?:wenn|nachdem)\b|\b(?:ist|wurde) (?:es|das|der \w+|die \w+) (?:jetzt )?(?:gespeichert|gesendet|verschickt|erstellt|angelegt|veroffentlicht)\b`,
    String.raw`\be agora\b|\bo que (?:eu )?(?:faco|devo fazer|tenho que fazer)\b|\bproximo passo\b|\bcomo (?:termino|finalizo|continuo|concluo|completo)\b|\bfuncionou\b|\bdeu certo\b|^ajuda$|\bestou preso\b|\bo que acontece (?:se|quando)\b|\bfoi (?:salv|enviad|criad|publicad)[oa]\b`,
  ].join('|'),
);
const HOW_TO = new RegExp(
  [
    String.raw`\bhow (?:do|can|should|would) (?:i|we|you)\b|\bhow to\b|\bwhere (?:do|can|should) i\b|\bwhere(?:'s| is| are)\b|\bi (?:want|need|would like|'d like) to\b|\bi'?m trying to\b|\bcan i\b|\bis there a way\b`,
    String.raw`\bcomo\b|\bdonde (?:puedo|esta|estan|encuentro|se)\b|\bquiero\b|\bnecesito\b|\bpuedo\b`,
    String.raw`\bcomment\b|\bou (?:est|sont|trouver|puis-je|je peux|se trouve)\b|\bje (?:veux|voudrais|dois)\b|\bpuis-je\b|\best-ce que je peux\b`,
    String.raw`\bwie\b|\bwo (?:ist|sind|finde|kann)\b|\bich (?:will|mochte|muss)\b|\bkann ich\b`,
    String.raw`\bonde (?:fica|esta|coloco|encontro|posso|ponho)\b|\bquero\b|\bpreciso\b|\bposso\b`,
  ].join('|'),
);
/** Questions of general knowledge: "what is …", "who …", "how many …". Whether they concern the product is decided by the state. */
const GENERAL_QUESTION = new RegExp(
  [
    String.raw`^(?:what(?:'s| is| are| was| were)|who(?:'s| is| was)?|when|which|how (?:many|much|far|old|tall|long|big)|tell me (?:a|about)|translate|define)\b`,
    String.raw`^(?:cual|que es|quien|cuando|cuant[oa]s?|dime)\b`,
    String.raw`^(?:quel(?:le)?s? (?:est|sont)|qu'est-ce que c'est|qu'est-ce qu'(?:un|une)|qui|quand|combien|dis-moi)\b`,
    String.raw`^(?:was (?:ist|sind|war)|wer|wann|wie (?:viel|viele|alt|weit|hoch|lange)|welche[rs]?)\b`,
    String.raw`^(?:qual|o que e|quem|quando|quant[oa]s?|me diga)\b`,
  ].join('|'),
);
/** Words that tie a question to the product on screen, in any of the five languages. */
const PRODUCT_WORDS =
  /\b(?:page|pages|pagina|seite|button|boton|bouton|knopf|botao|dialog|dialogo|dialogue|fenster|janela|ventana|screen|pantalla|ecran|bildschirm|tela|form|formulario|formulaire|formular|field|campo|champ|feld|menu|tab|click|clic|klick|clique|account|cuenta|compte|konto|conta|settings|ajustes|parametres|einstellungen|configuracoes|app|product|producto|produit|produkt|produto|this|esto|esta|este|ceci|cette|dies|diese|dieser|isso|isto|here|aqui|ici|hier|it|option|opcion|wizard|step|paso|etape|schritt|passo)\b/;

/** Words of the first person: a question about "my …" or "I …" is about the user's own work, not general knowledge. */
const FIRST_PERSON = /\b(?:i|my|me|mine|yo|mi|mis|je|j|mon|ma|mes|ich|mein|meine|meinen|mich|mir|eu|meu|minha|meus|minhas)\b/;

/**
 * Detects the intent of a message with keyword rules in the five languages. Order matters: a recap ("what have I
 * done so far") is not a "what next", and a greeting that also asks something is the question. A general-knowledge
 * question is `unrelated` here; the responder still answers it from the activity when its words match a label the
 * user has seen.
 *
 * @example
 * detectIntent('¿y ahora?'); // 'next'
 * detectIntent('What is the capital of Australia?'); // 'unrelated'
 */
export function detectIntent(query: string): OfflineIntent {
  const text = normaliseQuery(query);
  if (!text || text === '/greet') return 'greeting';
  if (RECAP.test(text)) return 'recap';
  if (ABOUT.test(text)) return 'about';
  if (WHERE.test(text)) return 'where';
  if (WHY_FAILING.test(text)) return 'why-failing';
  if (NEXT.test(text)) return 'next';
  const words = text.split(' ').length;
  if (GREETING.test(text) && words <= 4) return 'greeting';
  if (THANKS.test(text) && words <= 6) return 'thanks';
  if (GENERAL_QUESTION.test(text) && !PRODUCT_WORDS.test(text) && !FIRST_PERSON.test(text)) return 'unrelated';
  if (HOW_TO.test(text)) return 'how-to';
  if (GREETING.test(text)) return 'greeting';
  return 'other';
}

/** Whether a message names something of a product's screen (a page, a button, a field, "this", "here") in any of the five languages. */
export function mentionsProduct(query: string): boolean {
  return PRODUCT_WORDS.test(normaliseQuery(query));
}

/** Question words and fillers of the five languages, dropped to leave a how-to question's topic. */
const FILLER = new Set(
  (
    'a an the i me my we our you your to of in on at for with and or is are was be do does did how can could would should where what which when why this that these those it its there here want need trying try please just now some any get got go into from by as up out so if then than find put set make ' +
    'el la los las un una unos unas de del al en con por para y o que como donde cuando quiero necesito puedo se me mi mis tu tus su sus lo le es esta este esto hay hago hacer cual ' +
    'le la les un une des de du au aux et ou en dans sur pour avec par que qui comment ou est-ce je j me ma mes mon tu te ton ta vous votre il elle on ce cette ces faire fais peux puis veux voudrais dois trouver est ' +
    'der die das den dem des ein eine einen einem einer und oder in im an am auf mit fur von zu zum zur wie wo was wann ich mich mir mein meine du dich dir dein kann konnen will mochte muss soll ist sind es hier finde machen mache ' +
    'o a os as um uma uns umas de do da dos das no na nos nas em com por para e ou que como onde quando eu me meu minha voce seu sua isso isto ele ela posso quero preciso fazer faco fica esta coloco ponho encontro'
  ).split(' '),
);

/**
 * The topic of a how-to question: its words without question words and fillers, accents removed. Empty when the
 * question has no topic of its own ("how do I do that?").
 *
 * @example
 * topicWords('How do I export contacts?'); // ['export', 'contacts']
 */
export function topicWords(query: string): string[] {
  const words = germanInfinitive(joinSeparableVerb(joinCompoundTerms(normaliseQuery(query)).split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '')));
  return words.filter((word) => word.length > 1 && !FILLER.has(word));
}

/**
 * A German question puts the verb in the first person right after its opener ("Wie ändere ich …", "Wie speichere ich
 * …"): that verb goes back to its infinitive ("andern", "speichern", "loschen"), the form labels, articles and the
 * concept groups use. Only there: elsewhere "andere" is "other". Fillers stay as they are ("Wo finde ich …").
 */
function germanInfinitive(words: string[]): string[] {
  const verb = words[1];
  if (words.length < 3 || !GERMAN_QUESTION_OPENERS.has(words[0]!) || words[2] !== 'ich' || verb === undefined || !verb.endsWith('e') || FILLER.has(verb)) return words;
  // "ändere" is "ändern" and "sammele" "sammeln"; "lade" is "laden", "lösche" "löschen".
  const infinitive = verb.endsWith('ere') || verb.endsWith('ele') ? `${verb.slice(0, -1)}n` : `${verb}n`;
  return [words[0]!, infinitive, ...words.slice(2)];
}

/** Words that open a German question with the verb right after them ("Wie lade ich …"). */
const GERMAN_QUESTION_OPENERS = new Set(['wie', 'wo', 'wann', 'warum', 'kann', 'muss', 'soll', 'konnen']);
/** Particles a German separable verb leaves at the end of the sentence ("einladen" → "lade … ein"). */
const SEPARABLE_PARTICLES = new Set(['ein', 'an', 'aus', 'ab', 'auf', 'zu', 'um', 'hoch', 'herunter', 'runter', 'vor', 'weg', 'zuruck', 'mit', 'fest', 'hinzu', 'dazu', 'nach']);

/**
 * A German question puts a separable verb's particle last ("Wie lade ich jemanden ein?"): the particle goes back onto
 * the verb ("einlade"), so the topic meets the label's or the article's infinitive ("Einladen") instead of "lade".
 */
function joinSeparableVerb(words: string[]): string[] {
  const last = words.at(-1);
  if (words.length < 4 || !GERMAN_QUESTION_OPENERS.has(words[0]!) || last === undefined || !SEPARABLE_PARTICLES.has(last)) return words;
  return [words[0]!, `${last}${words[1]!}`, ...words.slice(2, -1)];
}
