// An incremental reader for the model's streamed JSON answer: `{ "insights": [ {…}, {…} ] }`
// arrives in small pieces (`text_delta` or `input_json_delta` chunks, cut anywhere, even inside a
// string or an escape). Each element of the top-level object's array under `key` is handed out the
// moment its closing brace arrives, so an insight can be shown before the answer ends.
//
// It is a character scanner, not a full parser: it tracks strings (with escapes) and nesting
// depth, remembers the keys of the top-level object, and `JSON.parse`s each finished element on
// its own. Text before the first `{` (a stray preamble, a ```json fence) is skipped. An element
// that does not parse is reported as `undefined` so the caller can count it; the scan goes on.

export type ElementReader = {
  /** Feeds the next chunk; returns the elements of the array completed by it, in order. */
  push(chunk: string): unknown[];
  /** How many elements were completed so far (parsed or not). */
  readonly count: number;
};

export function readArrayElements(key = 'insights'): ElementReader {
  let text = '';
  let at = 0; // next character of `text` to scan
  const stack: ('{' | '[')[] = [];
  let started = false;
  let inString = false;
  let escaped = false;
  let stringStart = -1;
  /** At depth 1 of the top-level object: whether the next string is a key. */
  let expectKey = false;
  let lastKey: string | undefined;
  /** Whether the scan is inside the target array (its elements sit at stack length 2). */
  let inArray = false;
  let arrayDone = false;
  let elementStart = -1;
  let count = 0;

  function push(chunk: string): unknown[] {
    const out: unknown[] = [];
    text += chunk;
    for (; at < text.length; at++) {
      const c = text[at] as string;
      if (!started) {
        if (c !== '{') continue;
        started = true;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') {
          inString = false;
          if (stack.length === 1 && expectKey) {
            lastKey = parseOr(text.slice(stringStart, at + 1), undefined) as string | undefined;
          }
        }
        continue;
      }
      switch (c) {
        case '"':
          inString = true;
          stringStart = at;
          break;
        case '{':
        case '[':
          if (inArray && stack.length === 2) elementStart = at;
          stack.push(c);
          if (stack.length === 1) expectKey = true;
          if (c === '[' && stack.length === 2 && lastKey === key && !arrayDone) inArray = true;
          break;
        case '}':
        case ']':
          stack.pop();
          if (inArray && stack.length === 2 && elementStart !== -1) {
            out.push(parseOr(text.slice(elementStart, at + 1), undefined));
            count++;
            elementStart = -1;
          } else if (inArray && stack.length < 2) {
            // The array closed; a repeated key later on is not read.
            inArray = false;
            arrayDone = true;
          }
          break;
        case ',':
          if (stack.length === 1) expectKey = true;
          break;
        case ':':
          if (stack.length === 1) expectKey = false;
          break;
        default:
          break;
      }
    }
    // Keep the buffer small: everything before the open element (or the scan point) is done with.
    const keep = elementStart !== -1 ? elementStart : inString ? stringStart : at;
    if (keep > 4096) {
      text = text.slice(keep);
      at -= keep;
      if (elementStart !== -1) elementStart -= keep;
      if (stringStart !== -1) stringStart -= keep;
    }
    return out;
  }

  return {
    push,
    get count() {
      return count;
    },
  };
}

function parseOr(json: string, fallback: unknown): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return fallback;
  }
}
