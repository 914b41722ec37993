// The options page's "Sites Earmark may read": the hosts the user allowed one at a time (from
// the popup, when a feed or transcript lived there), each with Remove, and the choice to look for
// podcasts on every site (the all-sites grant, asked only when the user ticks it).
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';

/** Hosts the manifest grants anyway: not the user's choice, not listed. */
function required(): Set<string> {
  const manifest = browser.runtime.getManifest() as { host_permissions?: string[] };
  return new Set(manifest.host_permissions ?? []);
}

const ALL_SITES = ['https://*/*', 'http://*/*'];

export function AccessSection() {
  const [origins, setOrigins] = useState<string[] | null>(null);
  const [error, setError] = useState('');
  const everywhere = origins !== null && ALL_SITES.every((o) => origins.includes(o));
  const toggleEverywhere = (on: boolean) => {
    // Asked first thing in the click: the browser grants only within the user's gesture.
    const asked = on
      ? browser.permissions.request({ origins: ALL_SITES })
      : browser.permissions.remove({ origins: ALL_SITES });
    asked.then(
      (done) => {
        if (on && !done) setError('All sites were not granted: Earmark stays on the players it knows.');
        void load();
      },
      (e: Error) => setError(e.message),
    );
  };
  const load = () =>
    browser.permissions.getAll().then(
      (all) => {
        const fixed = required();
        setOrigins((all.origins ?? []).filter((o) => !fixed.has(o)).sort());
      },
      (e: Error) => setError(e.message),
    );
  useEffect(() => void load(), []);
  const remove = async (origin: string) => {
    try {
      await browser.permissions.remove({ origins: [origin] });
    } catch (e) {
      setError((e as Error).message);
    }
    void load();
  };
  return (
    <section data-testid="access">
      <h2>Sites Earmark may read</h2>
      <p class="muted">
        Besides the players it works on and Apple’s podcast directory, Earmark reads a site only when you
        allow it, one site at a time, when a show’s feed or transcript lives there (the popup asks, and says
        why), or the page you open its popup on.
      </p>
      <label class="check">
        <input
          type="checkbox"
          data-testid="everywhere"
          checked={everywhere}
          onChange={(e) => toggleEverywhere(e.currentTarget.checked)}
        />{' '}
        Look for podcasts on every site (reads any page with an audio or video player; otherwise Earmark looks
        at another site only when you open its popup there)
      </label>
      {error && <p class="error-text">{error}</p>}
      {origins === null ? null : origins.length === 0 ? (
        <p data-testid="access-none">No other site: you have not allowed any.</p>
      ) : (
        <ul class="access-list">
          {origins.map((origin) => (
            <li key={origin}>
              <code>{origin.replace(/\/\*$/, '')}</code>{' '}
              <button type="button" class="secondary" onClick={() => void remove(origin)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
