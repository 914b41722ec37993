// Which addresses Earmark may fetch on a page's or a feed's say-so (DESIGN.md section 6): http(s)
// only, on public hosts. Private, loopback, link-local and other special-purpose addresses, and
// names that only a local network resolves, are refused. (A browser extension cannot see what a
// public name resolves to, so a public name pointing at a private address is beyond this check.)

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const LOCAL_NAMES =
  /(^|\.)(localhost|local|localdomain|internal|intranet|lan|home|corp|home\.arpa|test|invalid|onion)$/i;

export function checkPublicHttpUrl(raw: string): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a valid address' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: `${url.protocol} addresses are not fetched` };
  if (url.username || url.password)
    return { ok: false, reason: 'addresses with credentials are not fetched' };
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (!host) return { ok: false, reason: 'the address has no host' };
  if (host.startsWith('[')) {
    return isPublicIPv6(host.slice(1, -1))
      ? { ok: true, url }
      : { ok: false, reason: 'a private or special IPv6 address' };
  }
  const v4 = parseIPv4(host);
  if (v4)
    return isPublicIPv4(v4)
      ? { ok: true, url }
      : { ok: false, reason: 'a private, loopback or special IPv4 address' };
  if (/^[\d.]+$/.test(host) || /^0x/i.test(host)) return { ok: false, reason: 'an unusual numeric host' };
  if (!host.includes('.')) return { ok: false, reason: 'a local network name' };
  if (LOCAL_NAMES.test(host)) return { ok: false, reason: 'a local network name' };
  return { ok: true, url };
}

/** Dotted-quad IPv4 (the URL parser has already normalised hex and short forms). */
function parseIPv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const nums = parts.map(Number);
  return nums.every((n) => n <= 255) ? nums : undefined;
}

function isPublicIPv4([a = 0, b = 0, c = 0]: number[]): boolean {
  if (a === 0 || a === 10 || a === 127) return false; // "this" network, private, loopback
  if (a === 100 && b >= 64 && b <= 127) return false; // carrier-grade NAT
  if (a === 169 && b === 254) return false; // link-local (and cloud metadata)
  if (a === 172 && b >= 16 && b <= 31) return false; // private
  if (a === 192 && b === 168) return false; // private
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF, TEST-NET-1
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false; // TEST-NET-3
  if (a >= 224) return false; // multicast, reserved, broadcast
  return true;
}

function isPublicIPv6(host: string): boolean {
  const h = host.toLowerCase();
  if (h === '::' || h === '::1') return false;
  // IPv4-mapped or -translated (::ffff:a.b.c.d, also written in hex by the URL parser).
  const mapped = h.match(/^::ffff:(?:0:)?([\da-f]{1,4}):([\da-f]{1,4})$/);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return isPublicIPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  if (/^::ffff:/.test(h) || /^64:ff9b:/.test(h)) return false;
  if (/^f[cd]/.test(h)) return false; // unique local
  if (/^fe[89ab]/.test(h)) return false; // link-local
  if (/^ff/.test(h)) return false; // multicast
  if (/^2001:db8:/.test(h) || /^2001:0?:/.test(h)) return false; // documentation, Teredo
  return true;
}
