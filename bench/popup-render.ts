// The popup with a big library, in real Chromium (issue 5): `popup.first_render_ms`, and the
// worker's cold start with that library, `related.cold_start_chromium_ms` (reported beside the
// in-memory `related.ready_after_restart_ms`).
// The built extension (dist/chrome) is loaded into Chromium as in the e2e tests; a generated
// library of 2,000 episodes × 25 insights (test/fixtures/library/generate.ts, seed 7) is imported
// through the options page's own message (`library/import`, its time printed); the demo episode
// plays on overcast.fm (served locally), and its insights are extracted by the local engine.
//   - popup.first_render_ms: the service worker is stopped (through the DevTools protocol), then
//     the popup is opened about the demo tab; the value is the popup's own performance mark when
//     it first renders the episode with its insights (ms from the navigation's start, so page
//     load, the worker's start and IndexedDB reads count); median of 5.
//   - related.cold_start_chromium_ms: the worker is stopped, then an extension page asks for the
//     related insights of one demo insight; the time until the answer (worker start, reading the
//     index snapshot from IndexedDB, loading it, the query); median of 5.
import { askExtension } from '../scripts/lib/chromium';
import { demoRoute, startHarness } from '../test/e2e/harness';
import { generateLibrary } from '../test/fixtures/library/generate';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, serializeArchive } from '../src/core/library/archive';
import { BenchError, median, round, type BenchResult } from './lib/harness';

const HOST = 'overcast.fm';
const RUNS = 5;

export async function popupBenchmarks(): Promise<BenchResult[]> {
  const h = await startHarness({ hosts: [HOST], routes: [demoRoute(HOST, '/+earmark-demo/')] });
  try {
    const library = generateLibrary({
      episodes: Number(process.env.BENCH_EPISODES ?? 2000),
      insightsPerEpisode: 25,
      seed: 7,
    });
    const json = serializeArchive({
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      exportedAt: new Date().toISOString(),
      episodes: library.episodes,
      insights: library.insights,
      saved: [],
      follows: [],
      briefs: [],
    });
    const options = await h.context.newPage();
    await options.goto(`chrome-extension://${h.extensionId}/src/ui/options/index.html`);
    const t0 = performance.now();
    const report = await askExtension<{ added: { insights: number } }>(options, 'library/import', { json });
    console.log(
      `popup: imported ${report.added.insights} insights (${(json.length / 1024 / 1024).toFixed(1)} MB) in ${Math.round(performance.now() - t0)} ms`,
    );
    if (report.added.insights !== library.insights.length)
      throw new BenchError(`popup: the import added ${report.added.insights} insights`);

    const page = h.context.pages()[0]!;
    await page.goto(`https://${HOST}/+earmark-demo/`);
    await page.click('#play');
    await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 1);
    const tabId = await h.tabIdOf(page);
    let demoInsight: string | undefined;
    for (let i = 0; i < 200 && !demoInsight; i++) {
      const now = await askExtension<{ insights?: { state: string; insights: { id: string }[] } } | null>(
        options,
        'tab/now-playing',
        { tabId },
      );
      if (now?.insights?.state === 'ready') demoInsight = now.insights.insights[0]?.id;
      else await new Promise((r) => setTimeout(r, 100));
    }
    if (!demoInsight) throw new BenchError('popup: the demo episode got no insights');
    // Wait until the worker has written the index snapshot (so a restart loads it, not rebuilds).
    await askExtension(options, 'library/related', { insightIds: [demoInsight] });
    const worker = await h.worker();
    for (let i = 0; i < 300; i++) {
      const has = await worker.evaluate(
        () =>
          new Promise<boolean>((resolve) => {
            const open = indexedDB.open('earmark');
            open.onsuccess = () => {
              const req = open.result.transaction('derived').objectStore('derived').count();
              req.onsuccess = () => {
                open.result.close();
                resolve(req.result > 0);
              };
            };
          }),
      );
      if (has) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const renders: number[] = [];
    const colds: number[] = [];
    const warm: number[] = [];
    for (let run = 0; run < RUNS * 2; run++) {
      const cold = run % 2 === 0;
      if (cold) await h.stopWorker();
      await page.bringToFront();
      const popup = await h.context.newPage();
      await popup.setViewportSize({ width: 360, height: 600 });
      await popup.goto(`chrome-extension://${h.extensionId}/src/ui/popup/index.html?tab=${tabId}`);
      await popup.waitForFunction(
        () => performance.getEntriesByName('earmark:first-render').length > 0,
        null,
        {
          timeout: 30_000,
        },
      );
      const count = await popup.getByTestId('insight').count();
      if (count === 0) throw new BenchError('popup: rendered without the insights');
      (cold ? renders : warm).push(
        await popup.evaluate(() => performance.getEntriesByName('earmark:first-render')[0]!.startTime),
      );
      await popup.close();
      if (!cold) continue;

      await h.stopWorker();
      const t = await options.evaluate(async (id) => {
        const start = performance.now();
        await chrome.runtime.sendMessage({ type: 'library/related', payload: { insightIds: [id] } });
        return performance.now() - start;
      }, demoInsight);
      colds.push(t);
    }
    console.log(
      `popup: first render with the worker already running: ${Math.round(median(warm))} ms (median of ${warm.length})`,
    );
    return [
      {
        name: 'popup.first_render_ms',
        value: round(median(renders)),
        unit: 'ms',
        target: 200,
        better: 'lower',
      },
      {
        name: 'related.cold_start_chromium_ms',
        value: round(median(colds)),
        unit: 'ms',
        target: 300,
        better: 'lower',
      },
    ];
  } finally {
    await h.close();
  }
}
