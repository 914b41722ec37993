// The field readers behind parseFeed: dates, durations, language tags and plain-text titles.
import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../../src/core/feed/dates';
import { parseDuration } from '../../../src/core/feed/duration';
import { normaliseLanguage } from '../../../src/core/feed/language';
import { plainText } from '../../../src/core/feed/text';

describe('parseFeedDate', () => {
  it.each([
    ['RFC 822 with GMT', 'Tue, 10 Jun 2003 04:00:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['a numeric zone', 'Tue, 10 Jun 2003 04:00:00 -0400', '2003-06-10T08:00:00.000Z'],
    ['"-0000" (zone unknown, RFC 2822)', 'Wed, 03 Nov 2021 08:00:00 -0000', '2021-11-03T08:00:00.000Z'],
    ['a zone with a colon', 'Tue, 10 Jun 2003 04:00:00 +05:30', '2003-06-09T22:30:00.000Z'],
    ['a US zone name', 'Tue, 10 Jun 2003 04:00:00 PDT', '2003-06-10T11:00:00.000Z'],
    ['a European zone name', 'Tue, 10 Jun 2003 04:00:00 CEST', '2003-06-10T02:00:00.000Z'],
    ['"UT"', 'Tue, 10 Jun 2003 04:00:00 UT', '2003-06-10T04:00:00.000Z'],
    ['"Z"', 'Tue, 10 Jun 2003 04:00:00 Z', '2003-06-10T04:00:00.000Z'],
    ['"GMT+2"', 'Tue, 10 Jun 2003 04:00:00 GMT+2', '2003-06-10T02:00:00.000Z'],
    ['no zone (taken as UTC)', 'Tue, 10 Jun 2003 04:00:00', '2003-06-10T04:00:00.000Z'],
    ['an unknown zone (taken as UTC)', 'Tue, 10 Jun 2003 04:00:00 XYZ', '2003-06-10T04:00:00.000Z'],
    ['a zone comment', 'Tue, 10 Jun 2003 04:00:00 +0000 (UTC)', '2003-06-10T04:00:00.000Z'],
    ['no weekday', '10 Jun 2003 04:00:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['a wrong weekday', 'Fri, 10 Jun 2003 04:00:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['a full weekday without comma', 'Tuesday 10 Jun 2003 04:00:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['full month name', 'Tue, 10 June 2003 04:00:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['"Sept"', 'Wed, 10 Sept 2003 04:00:00 GMT', '2003-09-10T04:00:00.000Z'],
    ['a single-digit day and hour', 'Sat, 1 Jun 2024 8:05:00 +0000', '2024-06-01T08:05:00.000Z'],
    ['no seconds', 'Tue, 10 Jun 2003 04:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['no time', 'Tue, 10 Jun 2003', '2003-06-10T00:00:00.000Z'],
    ['a two-digit year (20xx)', 'Thu, 04 Jul 24 14:00:00 GMT', '2024-07-04T14:00:00.000Z'],
    ['a two-digit year (19xx)', 'Thu, 04 Jul 99 14:00:00 GMT', '1999-07-04T14:00:00.000Z'],
    ['dashes', '10-Jun-2003 04:00:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['fractional seconds', 'Tue, 10 Jun 2003 04:00:00.123 GMT', '2003-06-10T04:00:00.000Z'],
    ['am/pm', 'Tue, 10 Jun 2003 4:00 PM EST', '2003-06-10T21:00:00.000Z'],
    ['US order', 'June 10, 2003 4:00 PM', '2003-06-10T16:00:00.000Z'],
    ['US order with weekday', 'Tuesday, June 10, 2003', '2003-06-10T00:00:00.000Z'],
    ['extra spaces', '  Tue,  10   Jun 2003  04:00:00   GMT ', '2003-06-10T04:00:00.000Z'],
    ['German month', 'Do, 03 Okt 2024 07:00:00 +0200', '2024-10-03T05:00:00.000Z'],
    ['French month', 'Mer, 03 Avr 2024 07:00:00 +0200', '2024-04-03T05:00:00.000Z'],
    ['ISO 8601 with Z', '2024-05-01T12:00:00Z', '2024-05-01T12:00:00.000Z'],
    ['ISO 8601 with offset', '2024-04-30T10:15:00+02:00', '2024-04-30T08:15:00.000Z'],
    ['ISO 8601 with fraction and compact offset', '2024-04-30T10:15:00.5+0200', '2024-04-30T08:15:00.000Z'],
    ['ISO 8601 date only', '2024-04-30', '2024-04-30T00:00:00.000Z'],
    ['ISO 8601 with a space', '2024-04-30 10:15:00', '2024-04-30T10:15:00.000Z'],
    ['a leap day', 'Thu, 29 Feb 2024 00:00:00 GMT', '2024-02-29T00:00:00.000Z'],
    // Found while fixing what fuzzing found (test/fuzz): these zone names threw a RangeError, which
    // parseFeed turned into a 'malformed' feed.
    [
      '"constructor" as the zone (unknown)',
      'Tue, 10 Jun 2003 04:00:00 constructor',
      '2003-06-10T04:00:00.000Z',
    ],
    ['"__proto__" as the zone (unknown)', 'Tue, 10 Jun 2003 04:00:00 __proto__', '2003-06-10T04:00:00.000Z'],
  ])('reads %s', (_name, raw, iso) => {
    expect(parseFeedDate(raw)).toBe(iso);
  });

  it.each([
    ['empty', ''],
    ['white space', '   '],
    ['words', 'not a date'],
    ['a number', '1'],
    ['a day that does not exist', 'Fri, 31 Feb 2023 00:00:00 GMT'],
    ['29 Feb in a common year', 'Tue, 29 Feb 2023 00:00:00 GMT'],
    ['hour 25', 'Tue, 10 Jun 2003 25:00:00 GMT'],
    ['minute 60', 'Tue, 10 Jun 2003 04:60:00 GMT'],
    ['an unknown month', 'Tue, 10 Foo 2003 04:00:00 GMT'],
    ['a three-digit year', 'Tue, 10 Jun 200 04:00:00 GMT'],
    ['year 0000', '0000-01-01T00:00:00Z'],
    ['month 13', '2024-13-01'],
    ['garbage after a date-like start', '10 Jun'],
  ])('gives undefined for %s', (_name, raw) => {
    expect(parseFeedDate(raw)).toBeUndefined();
  });

  // A guard against catastrophic backtracking (seconds or worse), not a speed claim: the bench holds speed.
  it('does not take long on long garbage', () => {
    const t0 = performance.now();
    expect(parseFeedDate(`1 ${'a '.repeat(100_000)}`)).toBeUndefined();
    expect(parseFeedDate('1'.repeat(100_000))).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['3723', 3723],
    ['3723.5', 3723.5],
    ['3723,5', 3723.5],
    ['62:03', 3723],
    ['1:02:03', 3723],
    ['01:02:03', 3723],
    ['01:02:03.5', 3723.5],
    ['1:2:3', 3723],
    ['0:45', 45],
    ['45', 45],
    ['1h2m3s', 3723],
    ['1h 2m 3s', 3723],
    ['1 hr 2 min 3 sec', 3723],
    ['2 hours', 7200],
    ['90 mins', 5400],
    ['45 min', 2700],
    ['30s', 30],
    ['PT1H2M3S', 3723],
    ['PT1H2M', 3720],
    ['pt45m', 2700],
    ['PT3723S', 3723],
    ['PT0.5S', 0.5],
    ['P1DT1H', 90_000],
    ['1.02.03', 3723],
    [' 3723 ', 3723],
    ['172800', 172_800],
  ])('%s → %s s', (raw, seconds) => {
    expect(parseDuration(raw)).toBe(seconds);
  });

  it.each([
    '',
    '   ',
    '0',
    '00:00',
    '00:00:00',
    '-5',
    '-1:00',
    'garbage',
    '1:75',
    '1:02:75',
    '1:75:00',
    '12:34:56:78',
    'PT',
    'P',
    'h',
    '1ms',
    '172801',
    'NaN',
    'Infinity',
    '1e9',
    '5 years',
  ])('%j → undefined', (raw) => {
    expect(parseDuration(raw)).toBeUndefined();
  });
});

describe('normaliseLanguage', () => {
  it.each([
    ['EN', 'en'],
    ['en', 'en'],
    ['en-us', 'en-US'],
    ['EN-us', 'en-US'],
    ['en_GB', 'en-GB'],
    [' de-DE ', 'de-DE'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['es-419', 'es-419'],
    ['English', 'en'],
    ['Deutsch', 'de'],
    ['fil', 'fil'],
    ['en-US garbage', 'en-US'],
  ])('%j → %j', (raw, tag) => {
    expect(normaliseLanguage(raw)).toBe(tag);
  });

  // "__proto__" and "constructor": found by fuzzing (test/fuzz/feed.fuzz.test.ts), they gave the
  // feed Object.prototype and the Object function as its language.
  it.each(['', '  ', 'e', '12', 'klingonese', '--', 'en!', '__proto__', 'constructor', 'Constructor'])(
    '%j → undefined',
    (raw) => {
      expect(normaliseLanguage(raw)).toBeUndefined();
    },
  );
});

describe('plainText', () => {
  it.each([
    ['plain text, white space collapsed', '  Hello \n  world ', 'Hello world'],
    ['markup dropped', 'Tom <b>and</b> <i>Jerry</i>', 'Tom and Jerry'],
    ['named HTML entities decoded', 'Caf&eacute;&nbsp;&mdash;&rsquo;', 'Café —’'],
    ['numeric entities decoded', '&#8211; &#x2014;', '– —'],
    ['windows-1252 numeric references read as HTML does', 'It&#146;s', 'It’s'],
    ['XML entities only (the fast path)', 'Tom &amp; Jerry &lt;3 &quot;live&quot;', 'Tom & Jerry <3 "live"'],
    ['an entity escaped twice decoded once', 'R&amp;amp;D', 'R&amp;D'],
    ['a bare ampersand kept', 'AT&T & Q&A', 'AT&T & Q&A'],
    ['a "<" that opens no tag kept', 'x < y and 1<2', 'x < y and 1<2'],
    ['script content dropped', 'Title<script>alert(1)</script>', 'Title'],
    ['block elements separate words', 'One<br>Two<p>Three</p>', 'One Two Three'],
    ['control characters dropped', 'A\u0000B\u0007C', 'ABC'],
  ])('%s', (_name, raw, text) => {
    expect(plainText(raw)).toBe(text);
  });
});
