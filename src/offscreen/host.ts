// Starts the transcription driver in this document (Chrome's offscreen document, or Firefox's
// background page) with the real parts: the database, Web Audio, the engines.
import { db } from '../background/db';
import { decodePiece } from './decode';
import { createDriver, type Driver } from './driver';
import { engineFactory } from './engines';

export async function startDriver(
  notify: (episodeId: string | undefined, idle?: boolean) => void,
): Promise<Driver> {
  const database = await db();
  return createDriver({ db: database, decode: decodePiece, engine: engineFactory(database), notify });
}
