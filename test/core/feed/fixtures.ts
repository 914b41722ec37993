// Loads the feed fixtures this repository owns (test/fixtures/feeds/) and checks that a value is
// a well-formed Feed, for tests that assert shape rather than content (the mutation test).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Feed } from '../../../src/core/types';

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url)));
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url), 'utf8');
}

/** Every field of a Feed has the contract's type; dates are ISO 8601, durations positive. */
export function expectValidFeed(feed: Feed): void {
  expect(typeof feed.title).toBe('string');
  for (const key of ['link', 'language', 'image'] as const)
    if (feed[key] !== undefined) expect(typeof feed[key]).toBe('string');
  expect(Array.isArray(feed.episodes)).toBe(true);
  for (const e of feed.episodes) {
    expect(typeof e.title).toBe('string');
    expect(e.title.length > 0 || e.enclosureUrl !== undefined).toBe(true);
    if (e.guid !== undefined) expect(e.guid.trim()).toBe(e.guid);
    if (e.published !== undefined) expect(new Date(e.published).toISOString()).toBe(e.published);
    if (e.durationSeconds !== undefined) {
      expect(Number.isFinite(e.durationSeconds)).toBe(true);
      expect(e.durationSeconds).toBeGreaterThan(0);
    }
    for (const t of e.transcripts) expect(typeof t.url).toBe('string');
    expect(JSON.parse(JSON.stringify(e))).toEqual(e); // plain JSON, as the contract says
  }
}
