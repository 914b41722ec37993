// A fresh Earmark database per test (fake-indexeddb), closed and deleted after each test.
import 'fake-indexeddb/auto';
import { afterEach } from 'vitest';
import { openEarmarkDb, type EarmarkDB } from '../../src/background/db';

let counter = 0;
const opened: { db: EarmarkDB; name: string }[] = [];

/** Opens a database under a name no other test uses. */
export async function freshDb(): Promise<EarmarkDB> {
  const name = `earmark-test-${process.pid}-${Date.now()}-${++counter}`;
  const db = await openEarmarkDb(name);
  opened.push({ db, name });
  return db;
}

afterEach(async () => {
  for (const { db, name } of opened.splice(0)) {
    db.close();
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
  }
});
