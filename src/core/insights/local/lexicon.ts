// The word lists the local engine scores sentences with: stop words, claim markers, cue
// phrases, and the boilerplate of podcasts (greetings, ads, goodbyes), for English, German,
// Spanish and French; other languages get the language-free signals (numbers, questions,
// length, words that recur across the episode) and the stop words found by frequency.

/** Words as the local engine sees them: letters and digits, inner apostrophes kept, lower case. */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

export function tokenize(text: string): string[] {
  const words = text.toLowerCase().match(WORD) ?? [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w.includes('’')) words[i] = w.replaceAll('’', "'");
  }
  return words;
}

export type Lang = 'en' | 'de' | 'es' | 'fr' | 'other';

export function langOf(tag: string | undefined): Lang {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return base === 'en' || base === 'de' || base === 'es' || base === 'fr' ? base : 'other';
}

/** The most common function words of each language with lists, to guess an unlabelled one. */
const MARKERS: Record<Exclude<Lang, 'other'>, ReadonlySet<string>> = {
  en: new Set(['the', 'and', 'of', 'to', 'is', 'that', 'it', 'you', 'in', 'a', 'what', 'this']),
  de: new Set(['der', 'die', 'und', 'das', 'ist', 'nicht', 'ich', 'zu', 'ein', 'den', 'mit', 'sie']),
  es: new Set(['el', 'la', 'que', 'de', 'y', 'los', 'en', 'es', 'un', 'por', 'las', 'para']),
  fr: new Set(['le', 'la', 'les', 'et', 'est', 'que', 'des', 'un', 'une', 'pas', 'du', 'pour']),
};

/** For each marker word, the languages it marks ("la" marks Spanish and French). */
const MARKED_BY = new Map<string, string[]>();
for (const [lang, markers] of Object.entries(MARKERS)) {
  for (const w of markers) MARKED_BY.set(w, [...(MARKED_BY.get(w) ?? []), lang]);
}

/**
 * The transcript's language as far as the lists go: its tag when it has one; else the language
 * whose commonest words make up most of the first 3,000 words (at least 15% of them).
 */
export function guessLang(tag: string | undefined, texts: readonly string[]): Lang {
  if (tag) return langOf(tag);
  const hits: Record<string, number> = { en: 0, de: 0, es: 0, fr: 0 };
  let total = 0;
  for (const text of texts) {
    for (const w of tokenize(text)) {
      total++;
      for (const lang of MARKED_BY.get(w) ?? []) hits[lang]!++;
    }
    if (total >= 3000) break;
  }
  let best: Lang = 'other';
  let most = total * 0.15;
  for (const [lang, n] of Object.entries(hits)) {
    if (n > most) [best, most] = [lang as Lang, n];
  }
  return best;
}

/** A regular expression for any of `alternatives` as whole words (Unicode letters, not \\b's ASCII). */
function words(alternatives: string, flags = ''): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}'])(?:${alternatives})(?![\\p{L}\\p{N}])`, `${flags}u`);
}

const set = (words: string): Set<string> => new Set(words.split(/\s+/).filter(Boolean));

const STOP_EN = set(`
  a about above after again against all also am an and any are aren't as at be because been before being
  below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
  during each even ever every few for from further get gets got had hadn't has hasn't have haven't having he
  he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is
  isn't it it's its itself just kind let's like lot me more most much must my myself no nor not now of off
  on once one only or other ought our ours ourselves out over own really right same say said says she she'd
  she'll she's should shouldn't so some something such than that that's the their theirs them themselves then
  there there's these they they'd they'll they're they've thing things think this those though through to too
  under until up upon us very was wasn't we we'd we'll we're we've well were weren't what what's when when's
  where where's which while who who's whom why why's will with won't would wouldn't yeah yes yet you you'd
  you'll you're you've your yours yourself yourselves okay ok oh um uh actually basically pretty maybe going
  gonna wanna know mean sort way also back still want make made lot lots within without unless
  among across along toward towards onto per via whether either neither else ever anyway
`);
const STOP_DE = set(`
  aber alle allem als also am an auch auf aus bei bin bis bist da damit dann das dass dem den der des dich
  die dies diese dieser doch dort du durch ein eine einem einen einer eines er es etwas für gibt hab habe
  haben hat hatte ich ihr im in ist ja jetzt kann kein keine man mal mehr mich mir mit muss nach nicht noch
  nur ob oder schon sehr sein sich sie sind so über um und uns unter vom von vor war wie wir wird wo zu zum zur
`);
const STOP_ES = set(`
  a al algo como con de del el ella ellos en era es esa ese eso esta este esto estos está están fue ha hay la
  las le lo los más me mi muy no nos o para pero por porque que qué se ser si sí sin sobre son su sus también
  te tiene todo tu un una uno unos y ya yo bueno pues entonces vale
`);
const STOP_FR = set(`
  à au aux avec ce ces cette dans de des du elle en est et il ils je la le les leur lui ma mais me même mes
  moi mon ne nous on ou par pas pour qu que qui sa se ses son sont sur ta te tes toi ton tu un une vous y
  c'est j'ai il y a été être avoir fait plus très bien alors donc voilà
`);

/**
 * English words that are rarely what a sentence is about (common verbs, adjectives, adverbs,
 * time words): fine for salience, poor as topic labels.
 */
const GENERIC_EN = set(`
  able across add ago almost already always another anyone anything around ask asked away bad begin believe
  better big bit call called came case change come comes coming day days different doing done easy else
  end enough especially everything example fact far feel feels felt find first found give given gives goes
  good got great guess happen happened happens hard help helps high hold idea ideas important keep keeps kind
  know last least left less let life like likely little live long look looking looks lot love low made
  makes making many matter matters may mean means might minute minutes moment month months much need needs
  never new next nice nothing number often old once open part people person place point put quite rather
  real reason remember rest right run said saw second see seem seems set short show side simple since small
  someone sometimes soon start started stick still stuff sure take takes talk talking tell thank thanks
  thing things think thought three time times today together told took top true try trying turn turns two
  under use used using want wanted way ways week weeks went whole word words work works world year years
  yesterday young
`);

/** Whether a word is a poor topic label in this language (English only; others: none are). */
export function isGeneric(word: string, lang: Lang): boolean {
  return lang === 'en' && GENERIC_EN.has(word);
}

export function stopWords(lang: Lang): ReadonlySet<string> {
  if (lang === 'en') return STOP_EN;
  if (lang === 'de') return STOP_DE;
  if (lang === 'es') return STOP_ES;
  if (lang === 'fr') return STOP_FR;
  return new Set([...STOP_EN, ...STOP_DE, ...STOP_ES, ...STOP_FR]);
}

/**
 * A light English stemmer (plural, -ing, -ed, final e), so "review", "reviews" and "reviewed"
 * count as one word in salience and similarity. Other languages: the word itself.
 */
export function stem(word: string, lang: Lang): string {
  if (lang !== 'en' || word.length <= 4 || /\d/.test(word)) return word;
  let w = word.endsWith("'s") ? word.slice(0, -2) : word;
  if (w.endsWith('ies') && w.length > 5) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ing') && w.length > 6) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 5) w = w.slice(0, -2);
  else if (/(?:ss|sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  // cramming → cramm → cram
  if (w.length > 4 && /([bdgmnprt])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

type Lists = {
  /** Words that make a sentence a statement about the world: verbs of effect, connectives. */
  claim: RegExp;
  /** Comparisons: more, better, than, … */
  comparison: RegExp;
  /** An explicit comparison or condition: "than", "unless", "instead of". */
  than: RegExp;
  /** Phrases that announce a point. */
  cue: RegExp;
  /** Words that make a claim general (most, never, always). */
  general: RegExp;
  /** Greetings, ads, goodbyes, housekeeping. */
  boilerplate: RegExp;
  /** Talk that carries no claim: fillers and hedges. */
  filler: RegExp;
  /** First-person words. */
  firstPerson: RegExp;
  /** A start that leans on what was said before ("That's…", "It…"). */
  leaning: RegExp;
  /** A start that tells an anecdote ("Yesterday, we…", "I remember…"). */
  anecdote: RegExp;
  /** Leading words stripped from an insight's text ("So,", "And", "I think"). */
  lead: RegExp;
};

const EN: Lists = {
  claim: words(
    String.raw`is|are|was|were|will|should|can|must|means?|makes?|helps?|costs?|beats?|works?|causes?|leads?|gets?|keeps?|fixes|depends|matters?|needs?|takes?|gives?|becomes?|increases?|reduces?|improves?|because|unless|instead of|rather than|which means|so that|only when`,
    'g',
  ),
  comparison: words(
    String.raw`more|less|fewer|better|worse|than|likely|faster|slower|easier|harder|longer|shorter|cheaper|twice|half|most|least|best|worst`,
    'g',
  ),
  than: words(String.raw`than|unless|instead of|rather than|only when|only if`, 'g'),
  cue: words(
    String.raw`the key|key is|the point is|what matters|the lesson|the truth is|research shows|studies show|the data|evidence|turns out|the secret|the problem is|the reason|the biggest|the most important|the best way|the takeaway|the bottom line|in fact|the mistake|the trick|the rule`,
    'g',
  ),
  general: words(String.raw`most|never|always|every|nobody|everyone|only|no one`, 'g'),
  boilerplate: words(
    String.raw`welcome (?:to|back)|subscribe|sponsored by|sponsor|promo code|use code|percent off|free trial|dot com|thanks? (?:you )?for listening|see you (?:next|soon)|rate and review|patreon|show notes|my name is|i'm your host|joining me|that's (?:it|all) for|this episode|today we're|today on|stay tuned|after the break|don't forget|check out|head over to|sign up|leave a review|send us|email us|give us feedback|link below|in the description|get value from|support (?:the show|us)|buy me a coffee|as i mentioned`,
  ),
  filler: words(
    String.raw`um+|uh+|erm|hmm+|yeah|okay|ok|oh|wow|haha|lol|you know|i mean|kind of|sort of|i guess|right right|totally|exactly|guilty`,
    'g',
  ),
  firstPerson: words(String.raw`i|me|my|mine|myself|i'm|i've|i'd|i'll`, 'g'),
  leaning:
    /^(?:that|this|it|they|those|these|he|she|there|here|which|then|so then)(?![\p{L}\p{N}])(?!\s+turns out)/u,
  anecdote:
    /^(?:(?:so|and|but|well|yeah|yesterday|last (?:week|year|night|time)|this (?:morning|week)|the other day)(?![\p{L}\p{N}])[,\s]*)*(?:i|we)(?:'ve| have| had| was| were| did| went| started| tried| said| thought| remember| got| saw| met| found| just)(?![\p{L}\p{N}])|^(?:yesterday|last (?:week|night)|the other day)(?![\p{L}\p{N}])/u,
  lead: /^(?:(?:so|and|but|well|now|okay|ok|yeah|yes|look|oh|actually|basically|honestly|anyway|right|also|plus|i mean|you know)(?![\p{L}\p{N}])[,\s]*|(?:i think|i guess|i believe|i feel like)(?![\p{L}\p{N}])[,\s]*(?:that\s+)?)+/iu,
};

const DE: Lists = {
  claim: words(
    String.raw`ist|sind|war|wird|werden|sollte|sollten|kann|können|muss|müssen|bedeutet|macht|hilft|kostet|weil|wenn|damit|statt`,
    'g',
  ),
  comparison: words(
    String.raw`mehr|weniger|besser|schlechter|als|schneller|einfacher|meisten|doppelt|halb`,
    'g',
  ),
  than: words(String.raw`als|wenn nicht|statt|anstatt|nur wenn`, 'g'),
  cue: words(
    String.raw`der schlüssel|entscheidend|wichtig ist|das wichtigste|die forschung|studien zeigen|es stellt sich heraus|tatsächlich|der grund`,
    'g',
  ),
  general: words(String.raw`meisten|nie|niemals|immer|jeder|jede|niemand|nur`, 'g'),
  boilerplate: words(
    String.raw`willkommen|abonniert|abonnieren|gesponsert|sponsor|danke fürs zuhören|bis zum nächsten mal|folge|shownotes`,
  ),
  filler: words(String.raw`äh|ähm|also ja|ja ja|genau|naja|na ja|halt|irgendwie`, 'g'),
  firstPerson: words(String.raw`ich|mich|mir|mein|meine|meinen`, 'g'),
  leaning: /^(?:das|dies|es|sie|er|da)(?![\p{L}\p{N}])/u,
  anecdote: /^(?:gestern|letzte woche|ich habe|ich war|wir haben|wir waren)(?![\p{L}\p{N}])/u,
  lead: /^(?:(?:also|und|aber|ja|na ja|naja|gut|okay|genau)(?![\p{L}\p{N}])[,\s]*|(?:ich glaube|ich denke)(?![\p{L}\p{N}])[,\s]*(?:dass\s+)?)+/iu,
};

const ES: Lists = {
  claim: words(
    String.raw`es|son|era|será|debe|deben|puede|pueden|significa|hace|ayuda|cuesta|porque|cuando|si|aunque|en lugar de`,
    'g',
  ),
  comparison: words(String.raw`más|menos|mejor|peor|que|mayoría|doble|mitad`, 'g'),
  than: words(String.raw`que|a menos que|en lugar de|solo si|sólo si`, 'g'),
  cue: words(
    String.raw`la clave|lo importante|lo que importa|la investigación|los estudios|resulta que|de hecho|la razón|el problema es`,
    'g',
  ),
  general: words(String.raw`mayoría|nunca|siempre|todos|todas|nadie|solo|sólo`, 'g'),
  boilerplate: words(
    String.raw`bienvenid[oa]s?|suscr[ií]b\p{L}*|patrocinado|gracias por escuchar|hasta la pr[oó]xima|nos vemos|episodio`,
  ),
  filler: words(String.raw`eh|este|o sea|bueno|vale|pues|sabes|digamos`, 'g'),
  firstPerson: words(String.raw`yo|me|mi|mis|conmigo`, 'g'),
  leaning: /^(?:eso|esto|ese|esa|ellos|ellas|él|ella)(?![\p{L}\p{N}])/u,
  anecdote: /^(?:ayer|la semana pasada|yo fui|yo estaba|he estado|fuimos|estábamos)(?![\p{L}\p{N}])/u,
  lead: /^(?:(?:pues|y|pero|bueno|entonces|vale|o sea|creo que|pienso que)(?![\p{L}\p{N}])[,\s]*)+/iu,
};

const FR: Lists = {
  claim: words(
    String.raw`est|sont|était|sera|doit|doivent|peut|peuvent|signifie|fait|aide|coûte|parce que|quand|si|au lieu de`,
    'g',
  ),
  comparison: words(String.raw`plus|moins|mieux|pire|que|plupart|deux fois|moitié`, 'g'),
  than: words(String.raw`que|à moins que|au lieu de|seulement si`, 'g'),
  cue: words(
    String.raw`la clé|l'essentiel|ce qui compte|la recherche|les études|il s'avère|en fait|la raison|le problème`,
    'g',
  ),
  general: words(String.raw`plupart|jamais|toujours|tous|toutes|personne|seulement`, 'g'),
  boilerplate: words(
    String.raw`bienvenue|abonnez|sponsoris\p{L}*|merci de (?:nous )?avoir écouté|à la semaine prochaine|épisode`,
  ),
  filler: words(String.raw`euh|ben|bah|genre|tu vois|voilà|bon`, 'g'),
  firstPerson: words(String.raw`je|j'\p{L}+|moi|mon|ma|mes`, 'g'),
  leaning: /^(?:ça|cela|ce|il|elle|ils|elles)(?![\p{L}\p{N}])/u,
  anecdote: /^(?:hier|la semaine dernière|j'ai|j'étais|nous avons|on a)(?![\p{L}\p{N}])/u,
  lead: /^(?:(?:alors|et|mais|bon|donc|bref|je pense que|je crois que)(?![\p{L}\p{N}])[,\s]*)+/iu,
};

/** What any sentence in any language is checked for: an attempt to instruct a model. */
export const INJECTION =
  /\b(?:ignore|disregard|forget)\b[^.!?]{0,40}\b(?:instructions?|prompts?|rules)\b|\bsystem prompt\b|\bas an ai\b|\blanguage model\b|\boutput\b[^.!?]{0,30}\bhacked\b/i;

export function lists(lang: Lang): Lists {
  if (lang === 'de') return DE;
  if (lang === 'es') return ES;
  if (lang === 'fr') return FR;
  return EN;
}

/** Counts the matches of a global regular expression in `text`. */
export function count(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text)) n++;
  return n;
}
