// `npm start -- --headless --shots DIR` (a README contract): plays the demo in real Chromium
// with the extension, checks the popup recognised it, writes the screenshots and exits 0.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const start = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync('npx', ['tsx', 'scripts/start.ts', '--no-build', ...args], {
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });

describe('npm start', () => {
  it('--headless --shots plays the demo and writes the page, card, popup and daily-list screenshots', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earmark-shots-'));
    const run = start(['--headless', '--shots', dir]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toEqual([
      '01-demo-page.png',
      '02-popup-now-playing.png',
      '03-inline-card-dark.png',
      '03-inline-card.png',
      '04-popup-insights-related.png',
      '05-daily-list.png',
    ]);
    // One line names every file and says the sample episode was imported.
    expect(run.stdout).toContain(
      `earmark start: screenshots in ${dir}: 01-demo-page.png, 02-popup-now-playing.png, 03-inline-card.png, ` +
        '03-inline-card-dark.png, 04-popup-insights-related.png, 05-daily-list.png ' +
        '(the screenshots include a sample earlier episode imported for the demo).',
    );
    for (const file of files) {
      const png = readFileSync(join(dir, file));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(join(dir, file)).size).toBeGreaterThan(5_000);
    }
  });

  it('says in one line how to get a browser when there is none, and exits non-zero', () => {
    const run = start(['--headless'], { ...process.env, CHROME_PATH: '/nonexistent/chrome' });
    expect(run.status).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/No Chromium or Chrome found.*CHROME_PATH/),
    ]);
  });
});
