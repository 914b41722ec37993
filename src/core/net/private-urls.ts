// The addresses core/net/url-policy.ts refuses, as RE2 patterns over a whole URL (as the browser
// normalises it), for the request rules that apply the same policy at every redirect hop
// (background/private-network.ts). One pattern a rule: a rule's compiled regex has a memory cap.

/** Hosts that are not public. */
const PRIVATE_HOSTS = [
  '(0|10|127)\\.[0-9]+\\.[0-9]+\\.[0-9]+', // "this" network, private, loopback
  '100\\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\\.[0-9]+\\.[0-9]+', // carrier-grade NAT
  '169\\.254\\.[0-9]+\\.[0-9]+', // link-local, cloud metadata
  '172\\.(1[6-9]|2[0-9]|3[01])\\.[0-9]+\\.[0-9]+', // private
  '192\\.168\\.[0-9]+\\.[0-9]+', // private
  '(192\\.0\\.[02]|198\\.51\\.100|203\\.0\\.113|198\\.1[89]\\.[0-9]+)\\.[0-9]+', // IETF, test, benchmarking
  '(22[4-9]|2[3-5][0-9])\\.[0-9]+\\.[0-9]+\\.[0-9]+', // multicast, reserved, broadcast
  '\\[(::1?|::ffff:[^\\]]*|64:ff9b:[^\\]]*|f[c-d][0-9a-f]*:[^\\]]*|fe[89ab][0-9a-f]*:[^\\]]*|ff[0-9a-f]*:[^\\]]*)\\]',
  '[^/?#@:.\\[\\]]+', // a name of one label ("localhost", "router")
  '[^/?#@:\\[\\]]*\\.(localhost|local|localdomain|internal|intranet|lan|home|corp|arpa|test|invalid|onion)\\.?',
];

/** The URL patterns blocked: http(s), any credentials, a private host, any port, then the path. */
export const PRIVATE_URLS = PRIVATE_HOSTS.map((host) => `^https?://([^/?#@]*@)?(${host})(:[0-9]+)?([/?#]|$)`);
