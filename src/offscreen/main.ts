// Chrome's offscreen document: runs the transcription driver (driver.ts). The worker creates this
// document when a job is to run and closes it when the driver says it is idle; the driver picks up
// every job marked running as it starts, so a document closed mid-job goes on when it is reopened.
import { OFFSCREEN_TARGET } from '../message-names';
import { extensionApi, sendToBackground } from '../messaging';
import { startDriver } from './host';

const api = extensionApi();
const driver = startDriver((episodeId, idle) => {
  void sendToBackground('stt/changed', {
    ...(episodeId ? { episodeId } : {}),
    ...(idle ? { idle } : {}),
  }).catch(() => {});
});

// Only the worker talks to this document; runtime messages also reach it from content scripts and
// pages, which it ignores (without answering, so their real receiver answers).
api.runtime.onMessage.addListener((message: unknown, sender) => {
  const m = message as { target?: unknown; type?: unknown; episodeId?: unknown } | null;
  if (!m || m.target !== OFFSCREEN_TARGET || sender.id !== api.runtime.id || sender.tab) return undefined;
  if (m.type === 'kick') void driver.then((d) => d.kick());
  if (m.type === 'halt' && typeof m.episodeId === 'string') {
    const episodeId = m.episodeId;
    void driver.then((d) => d.halt(episodeId));
  }
  return undefined;
});

void driver.then((d) => d.kick());
