// The popup's view of one tab: asks the background once, then follows its pushes over a port,
// reconnecting when the background restarts. Every request is bounded: no endless spinner.
import { useCallback, useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { POPUP_PORT } from '../../message-names';
import type { NowPlaying, PopupPortPush, PopupPortRequest } from '../../messages';
import { MessageError, sendToBackground, unwrap } from '../../messaging';
import { takeEarlyReply } from './early';

export type PopupState =
  | { kind: 'loading' }
  | { kind: 'empty' }
  | { kind: 'error'; message: string }
  | { kind: 'playing'; now: NowPlaying };

export const REQUEST_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Earmark’s background did not answer in time.')), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

export function useNowPlaying(tabId: number | null): { state: PopupState; retry: () => void } {
  const [state, setState] = useState<PopupState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    if (tabId === null) {
      setState({ kind: 'empty' });
      return;
    }
    let live = true;
    setState({ kind: 'loading' });
    // The first answer was asked for before this code loaded (early.ts); Try again asks anew.
    const early = takeEarlyReply();
    const request = early
      ? early.then(
          (reply) => unwrap<NowPlaying | null>(reply),
          (error: unknown) => {
            throw new MessageError(
              'no-answer',
              `Earmark’s background did not answer: ${(error as Error).message}`,
            );
          },
        )
      : sendToBackground('tab/now-playing', { tabId });
    withTimeout(request, REQUEST_TIMEOUT_MS).then(
      (now) => live && setState(now ? { kind: 'playing', now } : { kind: 'empty' }),
      (error: unknown) => live && setState({ kind: 'error', message: (error as Error).message }),
    );

    // Pushes: a port to the background; when the worker stops, the port drops and we reconnect.
    let port: browser.Runtime.Port | undefined;
    let reconnects = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      port = browser.runtime.connect({ name: POPUP_PORT });
      port.onMessage.addListener((message: unknown) => {
        const push = message as PopupPortPush;
        if (!live || push?.type !== 'now-playing' || push.tabId !== tabId) return;
        reconnects = 0;
        setState(push.value ? { kind: 'playing', now: push.value } : { kind: 'empty' });
      });
      port.onDisconnect.addListener(() => {
        if (!live || reconnects++ >= 5) return;
        timer = setTimeout(connect, 300 * reconnects);
      });
      port.postMessage({ type: 'subscribe', tabId } satisfies PopupPortRequest);
    };
    connect();
    return () => {
      live = false;
      clearTimeout(timer);
      port?.disconnect();
    };
  }, [tabId, attempt]);

  return { state, retry };
}
