// The site-adapter registry (STYLE.md): every adapter has a unique kebab-case id, valid match
// patterns that the manifest injects the content script on, and a fixture test; the generic
// adapter comes last and serves every other page.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import manifest from '../../../manifest.json';
import { generic } from '../../../src/content/sites/generic';
import { adapterFor, matchesPattern, sites } from '../../../src/content/sites/index';

/** Chrome's match-pattern grammar (developer.chrome.com/docs/extensions/develop/concepts/match-patterns). */
function isValidPattern(pattern: string): boolean {
  if (pattern === '<all_urls>') return true;
  const m = pattern.match(/^(\*|https?|file|ftp):\/\/([^/]*)(\/.*)$/);
  if (!m) return false;
  const [, scheme, host = ''] = m;
  if (scheme === 'file') return host === '';
  return host === '*' || /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(host);
}

const contentMatches: string[] = manifest.content_scripts.flatMap((script) => script.matches);
const here = dirname(fileURLToPath(import.meta.url));

/** A URL a pattern should match: "*." becomes "www.", a path "*" becomes "episode". */
function sampleUrl(pattern: string): URL {
  return new URL(pattern.replace('://*.', '://www.').replace(/^\*:/, 'https:').replace(/\*/g, 'episode'));
}

describe('registry', () => {
  it('has unique, kebab-case ids', () => {
    const ids = sites.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('ends with the generic adapter, so specific adapters win', () => {
    expect(sites.at(-1)).toBe(generic);
    expect(sites.filter((s) => s === generic)).toHaveLength(1);
  });

  it.each(sites.map((s) => [s.id, s] as const))('%s has valid match patterns', (_id, site) => {
    expect(site.matches.length).toBeGreaterThan(0);
    for (const pattern of site.matches) expect(isValidPattern(pattern), pattern).toBe(true);
  });

  it('lists only valid patterns in the manifest’s content scripts', () => {
    expect(contentMatches.length).toBeGreaterThan(0);
    for (const pattern of contentMatches) expect(isValidPattern(pattern), pattern).toBe(true);
    // Content scripts run only on web pages: never on file: pages, never everywhere by default.
    for (const pattern of contentMatches) expect(pattern).toMatch(/^https?:\/\//);
  });

  const specific = sites.filter((s) => s !== generic);

  it.each(specific.map((s) => [s.id, s] as const))(
    '%s is injected by the manifest on all its pages',
    (_id, site) => {
      for (const pattern of site.matches) expect(contentMatches).toContain(pattern);
    },
  );

  it.each(sites.map((s) => [s.id] as const))('%s has a fixture test', (id) => {
    expect(existsSync(join(here, `${id}.test.ts`))).toBe(true);
  });

  it.each(specific.map((s) => [s.id, s] as const))(
    '%s is the adapter chosen for its own pages',
    (_id, site) => {
      for (const pattern of site.matches) expect(adapterFor(sampleUrl(pattern)).id).toBe(site.id);
    },
  );

  it.each([
    'https://unknown.example/episode/1',
    'http://localhost:8080/',
    'https://evilbuzzsprout.com/1',
    'file:///home/me/episode.html',
  ])('falls back to the generic adapter on %s', (url) => {
    expect(adapterFor(new URL(url))).toBe(generic);
  });
});

describe('matchesPattern', () => {
  it.each<[string, string, boolean]>([
    ['https://*.buzzsprout.com/*', 'https://www.buzzsprout.com/123', true],
    ['https://*.buzzsprout.com/*', 'https://buzzsprout.com/1', true],
    ['https://*.buzzsprout.com/*', 'https://a.b.buzzsprout.com/1?x=2', true],
    ['https://*.buzzsprout.com/*', 'https://evilbuzzsprout.com/', false],
    ['https://*.buzzsprout.com/*', 'https://buzzsprout.com.evil.net/', false],
    ['https://*.buzzsprout.com/*', 'http://www.buzzsprout.com/123', false],
    ['https://overcast.fm/*', 'https://overcast.fm/+abc', true],
    ['https://overcast.fm/*', 'https://overcast.fm/', true],
    ['https://overcast.fm/*', 'https://www.overcast.fm/', false],
    ['https://overcast.fm/*', 'https://overcast.fm.evil.net/', false],
    ['https://overcast.fm/+*', 'https://overcast.fm/+abc', true],
    ['https://overcast.fm/+*', 'https://overcast.fm/itunes123', false],
    ['https://podcasts.apple.com/*/podcast/*', 'https://podcasts.apple.com/us/podcast/x/id1?i=2', true],
    ['https://podcasts.apple.com/*/podcast/*', 'https://podcasts.apple.com/us/browse', false],
    ['https://example.com/a.b', 'https://example.com/aXb', false], // "." is literal, not a regex wildcard
    ['*://example.com/*', 'https://example.com/x', true],
    ['*://example.com/*', 'http://example.com/x', true],
    ['*://example.com/*', 'ftp://example.com/x', false],
    ['*://example.com/*', 'file:///example.com/x', false],
    ['*://*/*', 'https://anything.example/x', true],
    ['http://*/*', 'https://anything.example/x', false],
    ['file:///*', 'file:///home/me/x.html', true],
    ['file:///*', 'https://example.com/x', false],
    ['<all_urls>', 'https://example.com/', true],
    ['<all_urls>', 'http://example.com/', true],
    ['<all_urls>', 'file:///tmp/x.html', true],
    ['<all_urls>', 'chrome://extensions/', false],
    ['<all_urls>', 'chrome-extension://abc/popup.html', false],
    ['<all_urls>', 'javascript:alert(1)', false],
    ['<all_urls>', 'data:text/html,x', false],
    ['https://overcast.fm', 'https://overcast.fm/', false], // no path: not a valid pattern
    ['https://*buzzsprout.com/*', 'https://evilbuzzsprout.com/', false], // "*" only as a whole label
    ['https://buzz*.com/*', 'https://buzzsprout.com/', false],
    ['', 'https://example.com/', false],
  ])('%s on %s → %s', (pattern, url, expected) => {
    expect(matchesPattern(pattern, new URL(url))).toBe(expected);
  });

  it('agrees with the validator: every manifest pattern matches a sample page of its own', () => {
    for (const pattern of contentMatches)
      expect(matchesPattern(pattern, sampleUrl(pattern)), pattern).toBe(true);
  });
});
