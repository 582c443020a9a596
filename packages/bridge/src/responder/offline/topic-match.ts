/**
 * Matches the topic of a "how do I …" question against the labels the user has seen, across the five languages:
 * the question's own words count most, words of the same concept in another language ("factura" for 'Invoice')
 * count less. The concepts are the usual verbs and nouns of web products, not any one product's.
 */

/** Groups of words (lower case, no accents) meaning the same thing in English, Spanish, French, German, Portuguese. */
const CONCEPTS: readonly (readonly string[])[] = [
  ['invite', 'invitation', 'invitar', 'invito', 'invitacion', 'inviter', 'einladen', 'einladung', 'convidar', 'convido', 'convite'],
  ['member', 'user', 'teammate', 'colleague', 'collaborator', 'people', 'person', 'someone', 'somebody', 'seat', 'miembro', 'usuario', 'companero', 'colaborador', 'alguien', 'membre', 'utilisateur', 'collegue', 'collaborateur', 'quelqu', 'mitglied', 'benutzer', 'nutzer', 'kollege', 'jemand', 'jemanden', 'mitarbeiter', 'membro', 'colega', 'pessoa', 'alguem'],
  ['add', 'create', 'new', 'invite', 'invitar', 'inviter', 'einladen', 'convidar', 'agregar', 'anadir', 'crear', 'nuevo', 'nueva', 'ajouter', 'creer', 'nouveau', 'nouvelle', 'hinzufugen', 'erstellen', 'neu', 'neue', 'neuen', 'anlegen', 'adicionar', 'criar', 'crio', 'novo', 'nova'],
  ['delete', 'remove', 'eliminar', 'borrar', 'quitar', 'supprimer', 'retirer', 'loschen', 'entfernen', 'excluir', 'apagar', 'remover'],
  ['edit', 'change', 'update', 'rename', 'modify', 'set', 'editar', 'cambiar', 'modificar', 'actualizar', 'establecer', 'modifier', 'changer', 'renommer', 'definir', 'regler', 'bearbeiten', 'andern', 'aktualisieren', 'umbenennen', 'festlegen', 'alterar', 'mudar', 'atualizar'],
  ['export', 'download', 'csv', 'exportar', 'descargar', 'exporter', 'telecharger', 'exportieren', 'herunterladen', 'baixar'],
  ['import', 'upload', 'importar', 'subir', 'importer', 'televerser', 'importieren', 'hochladen', 'carregar'],
  ['send', 'enviar', 'envio', 'envoyer', 'envoi', 'senden', 'versenden', 'schicken', 'mandar'],
  ['save', 'guardar', 'enregistrer', 'sauvegarder', 'speichern', 'salvar', 'gravar'],
  ['setting', 'preference', 'configure', 'configuration', 'ajuste', 'configuracion', 'parametre', 'reglage', 'einstellung', 'konfiguration', 'configuracao'],
  ['billing', 'plan', 'upgrade', 'payment', 'subscription', 'pay', 'forfait', 'formule', 'plano', 'facturacion', 'pago', 'pagar', 'suscripcion', 'facturation', 'paiement', 'abonnement', 'payer', 'abrechnung', 'zahlung', 'bezahlen', 'abo', 'cobranca', 'pagamento', 'assinatura'],
  ['invoice', 'factura', 'facture', 'rechnung', 'fatura'],
  ['passport', 'pasaporte', 'passeport', 'reisepass', 'passaporte'],
  ['number', 'numero', 'nummer'],
  ['name', 'nombre', 'nom', 'nome'],
  ['email', 'mail', 'correo', 'courriel'],
  ['password', 'contrasena', 'motdepasse', 'passwort', 'senha'],
  ['search', 'find', 'buscar', 'rechercher', 'chercher', 'suchen', 'pesquisar', 'procurar'],
  ['event', 'meeting', 'appointment', 'evento', 'reunion', 'cita', 'evenement', 'rendez', 'termin', 'ereignis', 'veranstaltung', 'reuniao', 'compromisso'],
  ['schedule', 'calendar', 'programar', 'agendar', 'calendario', 'planifier', 'programmer', 'calendrier', 'planen', 'kalender', 'agenda'],
  ['ticket', 'issue', 'case', 'request', 'caso', 'incidencia', 'solicitud', 'demande', 'anfrage', 'vorgang', 'chamado', 'solicitacao'],
  ['assign', 'owner', 'asignar', 'responsable', 'propietario', 'assigner', 'attribuer', 'proprietaire', 'zuweisen', 'besitzer', 'zustandig', 'atribuir', 'responsavel', 'dono'],
  ['contact', 'contacto', 'kontakt', 'contato', 'lead'],
  ['course', 'lesson', 'curso', 'leccion', 'cours', 'lecon', 'kurs', 'lektion', 'aula'],
  ['quiz', 'test', 'exam', 'answer', 'prueba', 'examen', 'respuesta', 'questionnaire', 'reponse', 'prufung', 'antwort', 'teste', 'prova', 'resposta'],
  ['flight', 'booking', 'book', 'reserve', 'trip', 'vuelo', 'reserva', 'reservar', 'viaje', 'vol', 'reservation', 'reserver', 'voyage', 'flug', 'buchung', 'buchen', 'reise', 'voo', 'viagem'],
  ['fare', 'price', 'tarifa', 'precio', 'tarif', 'prix', 'preis', 'preco'],
  ['transfer', 'transferencia', 'virement', 'uberweisung', 'uberweisen', 'transferir'],
  ['account', 'cuenta', 'compte', 'konto', 'conta'],
  ['publish', 'post', 'article', 'publicar', 'articulo', 'publier', 'veroffentlichen', 'artikel', 'beitrag', 'artigo'],
  ['public', 'private', 'visibility', 'publico', 'privado', 'visibilidad', 'prive', 'visibilite', 'offentlich', 'privat', 'sichtbarkeit', 'visibilidade'],
  ['block', 'lock', 'freeze', 'bloquear', 'bloqueo', 'bloquer', 'blocage', 'sperren', 'sperre', 'gesperrt', 'bloqueio'],
  ['cancel', 'close', 'cancelar', 'cerrar', 'annuler', 'fermer', 'abbrechen', 'schliessen', 'fechar'],
  ['report', 'informe', 'reporte', 'rapport', 'bericht', 'relatorio'],
  ['team', 'equipo', 'equipe', 'time'],
  ['project', 'proyecto', 'projet', 'projekt', 'projeto'],
  ['enroll', 'enrol', 'enrollment', 'register', 'registration', 'signup', 'inscribir', 'inscripcion', 'matricular', 'registrarse', 'inscrire', 'inscription', 'anmelden', 'anmeldung', 'einschreiben', 'registrieren', 'inscrever', 'inscricao', 'matricula', 'cadastrar'],
  ['repository', 'repo', 'repositorio', 'depot'],
  ['domain', 'dominio', 'domaine'],
  ['customer', 'client', 'cliente', 'kunde'],
  ['refund', 'reembolso', 'remboursement', 'erstattung', 'ruckerstattung'],
  ['card', 'tarjeta', 'carte', 'karte', 'cartao'],
  ['message', 'reply', 'mensaje', 'responder', 'repondre', 'nachricht', 'antworten', 'mensagem'],
  ['file', 'document', 'attachment', 'archivo', 'documento', 'adjunto', 'fichier', 'piece', 'datei', 'dokument', 'anhang', 'arquivo', 'anexo'],
  ['notification', 'alert', 'notificacion', 'aviso', 'benachrichtigung', 'notificacao'],
  ['profile', 'perfil', 'profil'],
  ['date', 'day', 'fecha', 'dia', 'jour', 'datum', 'tag', 'data'],
  ['title', 'titulo', 'titre', 'titel'],
  ['recipient', 'destinatario', 'destinataire', 'empfanger'],
  ['guest', 'invitado', 'invite', 'gast', 'convidado'],
  ['comment', 'note', 'comentario', 'nota', 'commentaire', 'kommentar', 'notiz'],
  ['share', 'sharing', 'compartir', 'comparto', 'partager', 'partage', 'teilen', 'freigeben', 'freigabe', 'compartilhar', 'compartilho'],
  ['connect', 'connection', 'integrate', 'integration', 'conectar', 'conecto', 'conexion', 'integrar', 'integracion', 'connecter', 'connexion', 'integrer', 'verbinden', 'verbindung', 'integrieren', 'conexao', 'integracao'],
  ['archive', 'archivar', 'archiver', 'archivieren'],
  ['duplicate', 'copy', 'clone', 'duplicar', 'copiar', 'dupliquer', 'copier', 'duplizieren', 'kopieren', 'kopie', 'copia'],
  ['move', 'mover', 'muevo', 'deplacer', 'verschieben'],
  ['filter', 'filtrar', 'filtro', 'filtrer', 'filtre', 'filtern'],
  ['approve', 'approval', 'aprobar', 'apruebo', 'approuver', 'genehmigen', 'aprovar'],
  ['restore', 'recover', 'undo', 'restaurar', 'recuperar', 'restaurer', 'wiederherstellen'],
  ['reset', 'restablecer', 'reinitialiser', 'zurucksetzen', 'redefinir'],
  ['language', 'idioma', 'lengua', 'langue', 'sprache', 'lingua'],
  ['timezone', 'zonahoraria', 'fuseauhoraire', 'zeitzone', 'fusohorario'],
  ['print', 'imprimir', 'imprimer', 'drucken'],
  ['confirm', 'submit', 'finish', 'confirmar', 'enviar', 'terminar', 'confirmer', 'valider', 'terminer', 'bestatigen', 'absenden', 'abschliessen', 'concluir', 'finalizar'],
];

/** Words (lower case, no accents) with a crude stem: plurals and common inflection endings cut. */
function stemWord(word: string): string {
  if (word.length <= 4) return word;
  const stem = word.replace(/(?:ies|es|s|en|ing|ed)$/, '');
  // Infinitives of Spanish, French and Portuguese verbs ("agregar", "exporter") meet their conjugations ("agrego").
  return (stem.length > 5 ? stem.replace(/(?:ar|er|ir)$/, '') : stem).replace(/(?:e|a|o)$/, '') || word;
}

const CONCEPT_OF = new Map<string, number[]>();
CONCEPTS.forEach((group, index) => {
  for (const word of group) {
    const key = stemWord(word);
    CONCEPT_OF.set(key, [...(CONCEPT_OF.get(key) ?? []), index]);
  }
});

/**
 * Terms a language writes as several words for one thing ("mot de passe"): joined into one word (matched on lower-case
 * text without accents), so they meet their concept; the parts are what a full-text search looks for.
 */
const COMPOUND_TERMS: readonly { pattern: RegExp; word: string; parts: readonly string[] }[] = [
  { pattern: /\bmots? de passe\b/g, word: 'motdepasse', parts: ['mot', 'passe'] },
  { pattern: /\bsign(?:ing)? up\b/g, word: 'signup', parts: ['sign', 'up'] },
  { pattern: /\btime[ -]?zones?\b/g, word: 'timezone', parts: ['time', 'zone'] },
  { pattern: /\bfuseaux? horaires?\b/g, word: 'fuseauhoraire', parts: ['fuseau', 'horaire'] },
  { pattern: /\bzonas? horarias?\b/g, word: 'zonahoraria', parts: ['zona', 'horaria'] },
  { pattern: /\bfusos? horarios?\b/g, word: 'fusohorario', parts: ['fuso', 'horario'] },
];

/** `text` (lower case, accents removed) with its compound terms joined into one word each. */
export function joinCompoundTerms(text: string): string {
  return COMPOUND_TERMS.reduce((joined, term) => joined.replace(term.pattern, term.word), text);
}

/** The words a joined compound term is written with, for a full-text search; empty for any other word. */
export function compoundParts(word: string): readonly string[] {
  return COMPOUND_TERMS.find((term) => term.word === word)?.parts ?? [];
}

function wordsOf(text: string): string[] {
  return rawWordsOf(text).map(stemWord);
}

/** The words of a text, lower case, accents removed, compound terms joined, not stemmed. */
function rawWordsOf(text: string): string[] {
  return joinCompoundTerms(text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase())
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1);
}

/** Shortest word two neighbouring words make together to count as it: "log in" is 'Login', "in to" is not "into". */
const MIN_JOINED = 5;

/**
 * Each pair of neighbouring words written as one, stemmed: products and their help centers write one thing both ways
 * ("time zone" and 'Timezone', "web hook" and 'Webhook', "check out" and 'Checkout'), so a word of a question meets
 * two neighbouring words of a label or an article, and two neighbouring words of a question meet one word.
 */
function joinedPairs(raw: readonly string[]): Set<string> {
  const joined = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i++) {
    const word = raw[i]! + raw[i + 1]!;
    if (word.length >= MIN_JOINED) joined.add(stemWord(word));
  }
  return joined;
}

/** The positions of the topic's words that, joined with a neighbour, are a word of `words` ("time", "zone" and 'Timezone'). */
function joinedTopicWords(topic: readonly string[], words: readonly string[]): Map<number, string> {
  const found = new Map<number, string>();
  for (let i = 0; i + 1 < topic.length; i++) {
    const joined = topic[i]! + topic[i + 1]!;
    if (joined.length < MIN_JOINED) continue;
    const stem = stemWord(joined);
    const word = words.find((candidate) => candidate === stem);
    if (word === undefined) continue;
    found.set(i, word);
    found.set(i + 1, word);
  }
  return found;
}

/** Words this long or longer match by prefix ('export' and 'exports'); shorter ones only whole ('team' is not 'teammate'). */
const MIN_PREFIX = 5;

/** Letters two long words of different languages share at their start to count as the same word. */
const COGNATE_PREFIX = 8;

/**
 * Whether two words are the same word in two languages: long words that begin alike once doubled letters are
 * collapsed ('collaborateur', 'colaborador' and 'collaborator'). Counted like a concept, not like the word itself.
 */
function isCognate(left: string, right: string): boolean {
  if (left.length < COGNATE_PREFIX || right.length < COGNATE_PREFIX || left[0] !== right[0]) return false;
  const start = cognatePrefix(left);
  return start !== null && start === cognatePrefix(right);
}

/** The first {@link COGNATE_PREFIX} letters of a word with doubled letters collapsed, or null when it is shorter. */
function cognatePrefix(word: string): string | null {
  let prefix = '';
  for (const letter of word) {
    if (letter === prefix.at(-1)) continue;
    prefix += letter;
    if (prefix.length === COGNATE_PREFIX) return prefix;
  }
  return null;
}

/** Weight of a question word found in the label itself, and of one found only through a concept. */
const LITERAL = 2;
const CONCEPT = 1;

/** How well a label answers a topic: literal words count 2, concept matches 1 (except the `ignored` concepts); 0 when nothing matches. */
function topicScore(topic: readonly string[], label: string, ignored: ReadonlySet<number> = new Set()): { score: number; covers: boolean } {
  const rawLabelWords = rawWordsOf(label);
  const labelWords = rawLabelWords.map(stemWord);
  if (labelWords.length === 0) return { score: 0, covers: false };
  const labelConcepts = new Set(labelWords.flatMap((word) => CONCEPT_OF.get(word) ?? []).filter((concept) => !ignored.has(concept)));
  const labelPairs = joinedPairs(rawLabelWords);
  const joinedTopic = joinedTopicWords(topic, labelWords);
  const matched = new Set<string>();
  let score = 0;
  for (const [index, raw] of topic.entries()) {
    const word = stemWord(raw);
    const concepts = CONCEPT_OF.get(word) ?? [];
    if (labelPairs.has(word)) {
      // One word of the question written as two of the label: both of them are matched.
      score += LITERAL;
      for (let i = 0; i + 1 < rawLabelWords.length; i++) if (stemWord(rawLabelWords[i]! + rawLabelWords[i + 1]!) === word) matched.add(labelWords[i]!).add(labelWords[i + 1]!);
      continue;
    }
    const literal = joinedTopic.get(index) ?? labelWords.find((candidate) => candidate === word || (word.length >= MIN_PREFIX && candidate.length >= MIN_PREFIX && (candidate.startsWith(word) || word.startsWith(candidate))));
    const cognate = literal ? undefined : labelWords.find((candidate) => isCognate(word, candidate));
    const isConcept = concepts.some((concept) => labelConcepts.has(concept)) || cognate !== undefined;
    if (cognate) matched.add(cognate);
    if (literal) {
      score += LITERAL;
      matched.add(literal);
    } else if (isConcept) score += CONCEPT;
    if (literal || isConcept) {
      for (const candidate of labelWords) if ((CONCEPT_OF.get(candidate) ?? []).some((concept) => concepts.includes(concept))) matched.add(candidate);
    }
  }
  return { score, covers: labelWords.every((word) => matched.has(word)) };
}

/** A label's rank for a topic: its score, one more when the topic covers every word of it ('New contact' over 'Save contact'). */
export function topicRank(topic: readonly string[], label: string): number {
  const { score, covers } = topicScore(topic, label);
  return score + (covers ? 1 : 0);
}

/** The concept groups of "make something" and "change something": they say what is done, not to what. */
const GENERIC_ACTIONS = new Set([CONCEPTS.findIndex((group) => group[0] === 'add'), CONCEPTS.findIndex((group) => group[0] === 'edit')]);

/**
 * Whether a word only says "make something" or "change something" (add, new, crear, neues, cambiar …): alone it names
 * nothing. A word that also means something specific ("invite" is a way to add, and its own concept) is not generic.
 */
export function isGenericAction(word: string): boolean {
  const concepts = CONCEPT_OF.get(stemWord(wordsOf(word)[0] ?? '')) ?? [];
  return concepts.length > 0 && concepts.every((concept) => GENERIC_ACTIONS.has(concept));
}

/**
 * Whether `word` names `label` by what it is about, not only by "make" or "change": literally or through a concept
 * other than those two, and the word itself is not a generic action. "einladen" names 'Invite agent' (the invite
 * concept) but not 'New ticket' (only through "add").
 */
export function namesSpecifically(word: string, label: string): boolean {
  return !isGenericAction(word) && topicScore([word], label, GENERIC_ACTIONS).score > 0;
}

/** Whether a label answers the topic: two points, or every word of the label matched. */
export function isTopicMatch(topic: readonly string[], label: string): boolean {
  const { score, covers } = topicScore(topic, label);
  return score >= LITERAL || (score > 0 && covers);
}

/**
 * Words of the other languages that mean what `word` means (the concept groups above), without `word` itself: a
 * question in one language searched in a help center written in another.
 *
 * @example
 * relatedWords('factura'); // ['invoice', 'facture', 'rechnung', 'fatura']
 */
export function relatedWords(word: string): string[] {
  const concepts = CONCEPT_OF.get(stemWord(wordsOf(word)[0] ?? '')) ?? [];
  const related = new Set<string>();
  for (const concept of concepts) for (const other of CONCEPTS[concept]!) related.add(other);
  related.delete(word);
  return [...related];
}

/**
 * How many of the topic's words a text names, literally or through a concept of another language; the offline
 * responder uses it to tell a help passage that answers the question from one that only shares a word.
 */
export function matchedTopicWords(topic: readonly string[], text: string): number {
  const rawTextWords = rawWordsOf(text);
  const textWords = rawTextWords.map(stemWord);
  const textSet = new Set(textWords);
  const textPairs = joinedPairs(rawTextWords);
  const textConcepts = new Set(textWords.flatMap((word) => CONCEPT_OF.get(word) ?? []));
  const joinedTopic = joinedTopicWords(topic, textWords);
  let matched = 0;
  for (const [index, raw] of topic.entries()) {
    const word = stemWord(raw);
    const isLiteral = textSet.has(word) || textPairs.has(word) || joinedTopic.has(index) || (word.length >= MIN_PREFIX && textWords.some((candidate) => candidate.length >= MIN_PREFIX && (candidate.startsWith(word) || word.startsWith(candidate))));
    if (isLiteral || (CONCEPT_OF.get(word) ?? []).some((concept) => textConcepts.has(concept)) || textWords.some((candidate) => isCognate(word, candidate))) matched += 1;
  }
  return matched;
}
