// Feed bytes → text. The order follows XML's own rules as browsers apply them: a byte order mark
// wins, then the charset of the Content-Type header, then the encoding in the XML declaration,
// else UTF-8. TextDecoder does the decoding (WHATWG labels: "ISO-8859-1" and "latin1" decode as
// windows-1252, which is what such feeds really contain).
import { FeedError, MAX_FEED_SIZE } from './errors';

export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): string {
  if (bytes.length > MAX_FEED_SIZE)
    throw new FeedError(
      'too-large',
      `the feed is ${(bytes.length / 1024 / 1024).toFixed(1)} MB, over the ${MAX_FEED_SIZE / 1024 / 1024} MB limit`,
    );
  const bom = bomEncoding(bytes);
  if (bom) return decode(bytes, bom);

  const declared = declaredEncoding(bytes);
  const header = contentType
    ? decoderFor(/charset\s*=\s*["']?([^"';,\s]+)/i.exec(contentType)?.[1])
    : undefined;
  if (header) {
    // Workaround: servers often label every file "charset=utf-8" whatever it holds. When the bytes
    // are not UTF-8 and the document declares another encoding, believe the document.
    if (header === 'utf-8' && declared && declared !== 'utf-8' && !isUtf8(bytes))
      return decode(bytes, declared);
    return decode(bytes, header);
  }
  return decode(bytes, declared ?? 'utf-8');
}

function bomEncoding(b: Uint8Array): string | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  // No BOM, but "<?" in UTF-16 (XML 1.0 appendix F): the declaration cannot be read as ASCII.
  if (b[0] === 0x3c && b[1] === 0x00 && b[2] === 0x3f && b[3] === 0x00) return 'utf-16le';
  if (b[0] === 0x00 && b[1] === 0x3c && b[2] === 0x00 && b[3] === 0x3f) return 'utf-16be';
  return undefined;
}

/** The encoding the XML declaration names, if TextDecoder knows it and it fits the bytes. */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  let head = '';
  for (let i = 0; i < Math.min(bytes.length, 512); i++) head += String.fromCharCode(bytes[i] ?? 0);
  const label = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']\s*([\w.:-]+)\s*["']/.exec(head)?.[1];
  const encoding = decoderFor(label);
  // A UTF-16 declaration read as ASCII is a lie: the bytes are ASCII-compatible (no BOM, no NULs).
  return encoding?.startsWith('utf-16') ? undefined : encoding;
}

/** TextDecoder's canonical name for a label, or undefined when it knows no such encoding. */
function decoderFor(label: string | undefined): string | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function decode(bytes: Uint8Array, encoding: string): string {
  // Not fatal: a stray bad byte becomes U+FFFD rather than losing the whole feed. The BOM, if
  // any, is consumed by the decoder.
  const text = new TextDecoder(encoding).decode(bytes);
  return encoding === 'windows-1252' ? fixWindows1252(text) : text;
}

/** windows-1252's characters at 0x80–0x9F (the 5 undefined bytes map to themselves). */
const CP1252 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Workaround: Node's TextDecoder decodes "windows-1252" as ISO-8859-1 since 20.18.3 and 22.13.0
 * (nodejs/node#56542, #60888), leaving C1 controls where dashes and curly quotes should be.
 * Browsers decode it correctly, so this changes nothing there.
 */
function fixWindows1252(text: string): string {
  return /[\u0080-\u009f]/.test(text)
    ? text.replace(/[\u0080-\u009f]/g, (c) => CP1252.charAt(c.charCodeAt(0) - 0x80))
    : text;
}
