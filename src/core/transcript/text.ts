// Cue text to plain text: tags removed (WebVTT `<v>`, `<c>`, `<i>`, `<b>`, `<u>`, `<ruby>`,
// `<lang>`, inline `<00:00:01.000>` timestamps, SRT's `<i>` and `<font>`), entities decoded,
// white space folded; plus the `Name:` speaker prefix that SRT and plain text use. Hand-written
// scanners, linear in the input: cue text comes from anyone.
import { decodeHTML } from 'entities/decode';

function isTagStart(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    (code >= 48 && code <= 57) || // 0-9: a timestamp tag
    code === 47 || // </…>
    code === 33 || // <!-- …>
    code === 63 // <?…>
  );
}

function isBlankCode(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12;
}

/** Where a tag's name ends: at white space, a `.` (a class) or a `/` after the first character. */
function nameEnd(s: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (isBlankCode(c) || c === 46 || (c === 47 && i > from)) break;
    i++;
  }
  return i;
}

/** Lower-case ASCII letter code (other codes pass through harmlessly for the tests below). */
function lower(s: string, i: number): number {
  return s.charCodeAt(i) | 0x20;
}

/** Tags after which words would otherwise run together: br p div li tr, /p /div. */
function isSpacingTag(s: string, from: number, end: number): boolean {
  const n = end - from;
  const a = lower(s, from);
  if (a === 47) {
    return (
      (n === 2 && lower(s, from + 1) === 112) || (n === 4 && s.slice(from, end).toLowerCase() === '/div')
    );
  }
  if (n === 1) return a === 112;
  if (n === 2) {
    const b = lower(s, from + 1);
    return (a === 98 && b === 114) || (a === 108 && b === 105) || (a === 116 && b === 114);
  }
  return n === 3 && s.slice(from, end).toLowerCase() === 'div';
}

/**
 * Removes tags from `s`; the annotation of the first `<v Speaker>` (also `<v.loud Speaker>`)
 * is reported through `onVoice`. Ruby annotations (`<rt>…</rt>`) are dropped, not kept as text.
 * A `<` that starts no tag ("a < b") stays, except in WebVTT (`strict`), where every `<` opens
 * a tag as the spec's tokenizer says (so `< 00:01.000>` goes); an unterminated tag ("<v It's…"
 * with no `>`) loses only its name, never the words after it.
 */
export function stripTags(s: string, onVoice?: (voice: string) => void, strict = false): string {
  let lt = s.indexOf('<');
  if (lt < 0) return s;
  const out: string[] = [];
  let last = 0;
  let gt = -2; // cached position of the next '>' (-1: none left), so the scan stays linear
  while (lt >= 0) {
    if (!strict && !isTagStart(s.charCodeAt(lt + 1))) {
      lt = s.indexOf('<', lt + 1);
      continue;
    }
    if (gt !== -1 && gt < lt) gt = s.indexOf('>', lt + 1);
    if (lt > last) out.push(s.slice(last, lt));
    if (gt < 0) {
      // Unterminated: drop the would-be tag name up to the next white space, keep the rest.
      let j = lt + 1;
      while (j < s.length && !isBlankCode(s.charCodeAt(j))) j++;
      last = j;
      lt = s.indexOf('<', j);
      continue;
    }
    const from = lt + 1;
    const end = nameEnd(s, from, gt);
    last = gt + 1;
    if (end - from === 1 && lower(s, from) === 118 /* v */) {
      if (onVoice) {
        let space = end;
        while (space < gt && !isBlankCode(s.charCodeAt(space))) space++;
        const voice = s.slice(space + 1, gt).trim();
        if (voice) onVoice(voice);
      }
    } else if (end - from === 2 && lower(s, from) === 114 /* r */ && lower(s, from + 1) === 116 /* t */) {
      const close = s.indexOf('</rt>', gt);
      if (close >= 0) last = close + 5;
    } else if (end > from && isSpacingTag(s, from, end)) {
      out.push(' ');
    }
    lt = s.indexOf('<', last);
  }
  if (last < s.length) out.push(s.slice(last));
  return out.join('');
}

const WS = /\s+/g;

/** Something to fold: white space at an end, two in a row, or any but U+0020. Linear. */
const NEEDS_FOLD = /^\s|\s$|\s\s|[^\S ]/;

/** Collapses runs of white space (newlines, tabs, no-break spaces) to one space and trims. */
export function foldSpace(s: string): string {
  // The test is the fast path most words and caption lines take: nothing to fold.
  return NEEDS_FOLD.test(s) ? s.replace(WS, ' ').trim() : s;
}

/** Decodes HTML/WebVTT character references (`&amp;` `&lt;` `&nbsp;` `&#39;` `&#x2019;` …). */
export function decodeEntities(s: string): string {
  return s.includes('&') ? decodeHTML(s) : s;
}

/** Tag-like text that decoding produced (`&lt;i&gt;`): removed as markup too. */
const TAG_AFTER_DECODE = /<[a-zA-Z/!?]/;

/** Removes tags from text that was already decoded (`&lt;i&gt;` written in a caption). */
export function dropDecodedTags(s: string): string {
  if (!TAG_AFTER_DECODE.test(s)) return s;
  const stripped = stripTags(s);
  // Removing a tag can join a `<` before it to the text after it ("<<a>b" is "<b"). In text that
  // odd every `<` goes, so no tag is left: stripping again could take one pass per `<` nested.
  return TAG_AFTER_DECODE.test(stripped) ? stripped.replace(/</g, '') : stripped;
}

export type CleanText = { text: string; voice?: string };

/**
 * Tags removed, entities decoded, white space folded; the first `<v>` voice if any. `strict`:
 * WebVTT's rule that every `<` opens a tag.
 */
export function cleanCueText(raw: string, strict = false): CleanText {
  if (!raw.includes('<') && !raw.includes('&')) return { text: foldSpace(raw) };
  let voice: string | undefined;
  const text = decodeEntities(
    stripTags(
      raw,
      (v) => {
        voice ??= foldSpace(decodeEntities(v));
      },
      strict,
    ),
  );
  const out: CleanText = { text: foldSpace(dropDecodedTags(text)) };
  if (voice) out.voice = voice;
  return out;
}

/**
 * `Name:` or `Name Surname:` at the start of a line (at most 4 capitalised words, the last may be
 * a number as in `Speaker 1:`), followed by white space or the end. Each word begins with a
 * capital and words are single-space separated, so the pattern cannot backtrack badly; it is
 * also only tried on the first 80 characters.
 */
const SPEAKER =
  /^(\p{Lu}[\p{L}\p{M}\p{N}'’._-]*(?: (?:\p{Lu}[\p{L}\p{M}\p{N}'’._-]*|\p{N}+)){0,3}):(?:\s+|$)/u;

/** The speaker named at the start of `line` and the text after it, or undefined. */
export function speakerPrefix(line: string): { speaker: string; rest: string } | undefined {
  const m = SPEAKER.exec(line.length > 80 ? line.slice(0, 80) : line);
  if (!m || m[1] === undefined) return undefined;
  return { speaker: m[1], rest: line.slice(m[0].length) };
}

/**
 * `>>` (also `&gt;&gt;` once decoded) opens a new speaker's turn in broadcast captions
 * (YouTube, US TV). Returns the text without it and whether it was there.
 */
export function speakerChangeMark(text: string): { text: string; mark: boolean } {
  if (!text.startsWith('>>')) return { text, mark: false };
  let i = 2;
  while (i < text.length && (text.charCodeAt(i) === 62 || text.charCodeAt(i) === 32)) i++;
  return { text: text.slice(i), mark: true };
}
