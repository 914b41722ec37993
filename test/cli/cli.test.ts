// The `earmark` command as a user runs it (DESIGN.md section 4): a real `node bin/earmark.js`
// process per case, JSON on stdout and exit 0 for good input; one "earmark: …" line on stderr and
// exit 1 (bad input) or 2 (bad command line) otherwise, never a stack trace.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { satisfiesGrounding } from '../../src/core/insights/grounding';
import type { InsightsResult } from '../../src/core/types';
import { makeTranscript, toVtt } from '../fixtures/anthropic/episode';
import { startAnthropicServer, type AnthropicServer } from '../support/anthropic-server';

const root = join(import.meta.dirname, '../..');
const here = (name: string) => join('test/cli/fixtures', name);
const youtube = (name: string) => join('test/fixtures/youtube', name);

type Run = { code: number; stdout: string; stderr: string };

/** The environment without any Anthropic settings of whoever runs the tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['ANTHROPIC_API_KEY'];
  delete env['ANTHROPIC_BASE_URL'];
  delete env['ANTHROPIC_AUTH_TOKEN'];
  return { ...env, ...extra };
}

function run(
  args: string[],
  command: string[] = ['node', 'bin/earmark.js'],
  env: NodeJS.ProcessEnv = cleanEnv(),
): Promise<Run> {
  const [file = 'node', ...pre] = command;
  return new Promise((resolve) => {
    execFile(file, [...pre, ...args], { cwd: root, timeout: 30_000, env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A failure: nothing on stdout, one "earmark: …" line on stderr, no stack trace. */
function expectOneLine(result: Run, code: number, pattern: RegExp): void {
  expect(result.stdout).toBe('');
  expect(result.code).toBe(code);
  const lines = result.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^earmark: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
}

describe('earmark (good input)', { timeout: 30_000 }, () => {
  it('transcript <file> prints the Transcript', async () => {
    const result = await run(['transcript', here('episode.vtt')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^\{\n {2}"format"/); // two-space indent
    expect(JSON.parse(result.stdout)).toMatchObject({
      format: 'vtt',
      segments: [
        { start: 1, end: 4, speaker: 'Ana', text: 'Welcome back to the Example Show.' },
        { start: 4.5, end: 9, speaker: 'Ben', text: 'Today: why small teams ship faster & better.' },
      ],
    });
  });

  it('feed <file> prints the Feed', async () => {
    const result = await run(['feed', here('feed.xml')]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      title: 'The Example Show',
      episodes: [
        {
          guid: 'example-show-ep-12',
          title: 'Episode 12: Why small teams win',
          enclosureUrl: 'https://media.example.com/ep12.mp3',
          durationSeconds: 3605,
          transcripts: [{ url: 'https://example.com/ep12.vtt', type: 'text/vtt', language: 'en' }],
        },
      ],
    });
  });

  it('captions <watch-page.html> prints the video, status and tracks', async () => {
    const result = await run(['captions', youtube('watch-page.html')]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      videoId: 'Ab3_dE-fGh1',
      status: 'ok',
      tracks: [
        { languageCode: 'en', name: 'English', url: expect.stringContaining('lang=en') },
        {
          languageCode: 'en',
          name: 'English (auto-generated)',
          kind: 'asr',
          url: expect.stringContaining('kind=asr'),
        },
      ],
    });
  });

  it('captions <player-response.json> reports a track that needs a proof-of-origin token', async () => {
    const result = await run(['captions', youtube('player-response.json')]);
    expect(result.code).toBe(0);
    const captions = JSON.parse(result.stdout) as { videoId: string; status: string; tracks: unknown[] };
    expect(captions).toMatchObject({ videoId: 'Zz9_yX-wVu8', status: 'po-token-required' });
    expect(captions.tracks).toHaveLength(2);
  });

  it('captions <consent page> says blocked (a fact about the video, not an error)', async () => {
    const result = await run(['captions', youtube('consent-page.html')]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      videoId: 'Qw3_rT-yUi9',
      status: 'blocked',
      tracks: [],
    });
  });

  it('runs through `npm run --silent earmark --`', async () => {
    const result = await run(
      ['transcript', here('episode.vtt')],
      ['npm', 'run', '--silent', 'earmark', '--'],
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ format: 'vtt' });
  });

  it.each([['--help'], ['-h'], ['help'], ['feed', '--help']])('%s prints the usage', async (...args) => {
    const result = await run(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: earmark <command>/);
    for (const command of ['transcript', 'feed', 'captions', 'insights'])
      expect(result.stdout).toContain(command);
  });
});

describe('earmark (bad input)', { timeout: 30_000 }, () => {
  it.each<[string, string[], number, RegExp]>([
    ['no command', [], 2, /give a command/],
    ['an unknown command', ['summarise', 'x'], 2, /unknown command "summarise"/],
    ['no argument', ['transcript'], 2, /transcript: give a file or URL/],
    ['two arguments', ['feed', 'a.xml', 'b.xml'], 2, /give one file or URL, not 2/],
    ['an unknown option', ['captions', '--json', 'x'], 2, /unknown option --json/],
    [
      'insights --engine claude without a key',
      ['insights', here('episode.vtt'), '--engine', 'claude'],
      1,
      /^earmark: insights --engine claude needs an Anthropic API key in ANTHROPIC_API_KEY$/,
    ],
    [
      'insights with an unknown engine',
      ['insights', 'x.vtt', '--engine', 'gpt'],
      2,
      /--engine is local or claude/,
    ],
    ['insights --max 0', ['insights', 'x.vtt', '--max', '0'], 2, /--max is a whole number from 1 to 100/],
    [
      'insights --model with the local engine',
      ['insights', 'x.vtt', '--model', 'm'],
      2,
      /--model goes with --engine claude/,
    ],
    [
      'a missing file',
      ['transcript', 'test/cli/fixtures/nope.vtt'],
      1,
      /no such file: test\/cli\/fixtures\/nope\.vtt/,
    ],
    ['a directory', ['feed', 'test/cli/fixtures'], 1, /is a directory/],
    [
      'an empty transcript (TranscriptError)',
      ['transcript', here('blank.txt')],
      1,
      /blank\.txt: the transcript is empty$/,
    ],
    [
      'a web page given as a feed (FeedError)',
      ['feed', here('not-a-feed.html')],
      1,
      /not-a-feed\.html: .*not a podcast feed/,
    ],
    [
      'a transcript given as YouTube captions (YouTubeError)',
      ['captions', here('episode.vtt')],
      1,
      /episode\.vtt: .*neither a YouTube watch page nor a player response/,
    ],
    ['a file: URL', ['transcript', 'file:///etc/passwd'], 1, /only http\(s\) URLs are read, not file:/],
    ['a data: URL', ['feed', 'data:text/xml,<rss/>'], 1, /only http\(s\) URLs are read, not data:/],
  ])('%s', async (_name, args, code, pattern) => {
    expectOneLine(await run(args), code, pattern);
  });
});

describe('earmark <url>', { timeout: 30_000 }, () => {
  let server: Server;
  let base: string;
  let closedPort: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/episode.vtt') {
        res.writeHead(200, { 'content-type': 'text/vtt' });
        res.end('WEBVTT\n\n00:00:02.000 --> 00:00:05.000\n<v Ana>Served over HTTP.\n');
      } else if (req.url === '/old') {
        res.writeHead(301, { location: '/feed.xml' });
        res.end();
      } else if (req.url === '/feed.xml') {
        // Latin-1 bytes, said so only by the header: "Café" must come out right.
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=ISO-8859-1' });
        const xml =
          '<rss version="2.0"><channel><title>Caf\u00e9 Talk</title><item><title>Ep 1</title><guid>g1</guid></item></channel></rss>';
        res.end(Buffer.from(xml, 'latin1'));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('transcript <url> downloads from a loopback address (the CLI is the user’s own tool)', async () => {
    const result = await run(['transcript', `${base}/episode.vtt`]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      format: 'vtt',
      segments: [{ start: 2, end: 5, speaker: 'Ana', text: 'Served over HTTP.' }],
    });
  });

  it('feed <url> follows a redirect and decodes the charset the server names', async () => {
    const result = await run(['feed', `${base}/old`]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ title: 'Café Talk', episodes: [{ guid: 'g1' }] });
  });

  it('a 404 is one line, exit 1', async () => {
    expectOneLine(await run(['feed', `${base}/missing.xml`]), 1, /127\.0\.0\.1:\d+ answered 404/);
  });

  it('a server that is not there is one line, exit 1', async () => {
    expectOneLine(
      await run(['transcript', `http://127.0.0.1:${closedPort}/x.vtt`]),
      1,
      /could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
  });
});

describe('earmark insights', { timeout: 30_000 }, () => {
  const KEY = 'sk-ant-cli-test';
  let api: AnthropicServer;
  let dir: string;
  let vtt: string;
  const transcript = makeTranscript(0.25, 21);

  beforeAll(async () => {
    api = await startAnthropicServer({ apiKey: KEY });
    dir = mkdtempSync(join(tmpdir(), 'earmark-cli-'));
    vtt = join(dir, 'episode.vtt');
    writeFileSync(vtt, toVtt(transcript));
  });

  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the local engine by default (no key needed)', async () => {
    const result = await run(['insights', here('episode.vtt')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as InsightsResult;
    expect(out.engine).toBe('local');
    expect(out.insights.length).toBeGreaterThan(0);
  });

  it('--engine claude asks the API at ANTHROPIC_BASE_URL with ANTHROPIC_API_KEY', async () => {
    const env = cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: api.url });
    const result = await run(
      ['insights', vtt, '--engine', 'claude', '--max', '4', '--model', 'claude-haiku-4-5'],
      undefined,
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as InsightsResult;
    expect(Object.keys(out).sort()).toEqual(['engine', 'insights', 'model', 'usage']);
    expect(out).toMatchObject({ engine: 'claude', model: 'claude-haiku-4-5' });
    expect(out.insights).toHaveLength(4);
    for (const insight of out.insights) expect(satisfiesGrounding(transcript, insight)).toBe(true);
    expect(out.usage).toMatchObject({ inputTokens: expect.any(Number), costUsd: expect.any(Number) });
    expect(api.requests.at(-1)?.body.model).toBe('claude-haiku-4-5');
    // The key went to the API, and nowhere in the output.
    expect(result.stdout).not.toContain(KEY);
  });

  it('a key the API refuses is one line, exit 1', async () => {
    const env = cleanEnv({ ANTHROPIC_API_KEY: 'sk-ant-wrong', ANTHROPIC_BASE_URL: api.url });
    const result = await run(['insights', vtt, '--engine', 'claude'], undefined, env);
    expectOneLine(result, 1, /^earmark: claude engine: Your Anthropic API key was not accepted/);
    expect(result.stderr).not.toContain('sk-ant-wrong');
  });
});
