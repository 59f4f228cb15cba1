// A trainer credential does not last forever: the class folder outlives the workshop (it is
// kept to continue a class after a restart), and a credential left in an old browser tab or
// copied off a shared laptop must not open next week's class. After TRAINER_CREDENTIAL_MAX_AGE_MS
// the dashboard's requests are refused; the link a fresh start prints works again.
// Against the real class server process and its real SQLite file.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import { CLASS_PATHS, TRAINER_CREDENTIAL_MAX_AGE_MS } from '../../contracts/class-api.ts';
import { removeDir, startClassProcess, tempDir, trainerCredential } from './class-harness.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await removeDir(dir);
});

const exportWith = (origin: string, credential: string) =>
  fetch(`${origin}${CLASS_PATHS.trainerExport}?format=json`, { headers: { authorization: `Bearer ${credential}` } });

test('a trainer credential older than its maximum age is refused; a fresh start gives a link that works', async () => {
  const dataDir = await tempDir('trainer-expiry');
  dirs.push(dataDir);
  let server = await startClassProcess({ dataDir });
  const old = await trainerCredential(server);
  assert.equal((await exportWith(server.origin, old)).status, 200, 'a new credential works');
  await server.kill();

  // The credential was handed out longer ago than it may live.
  const db = new DatabaseSync(join(dataDir, 'class.sqlite'));
  db.prepare('UPDATE trainers SET created_at = ?').run(Date.now() - TRAINER_CREDENTIAL_MAX_AGE_MS - 60_000);
  db.close();

  server = await startClassProcess({ dataDir });
  try {
    const refused = await exportWith(server.origin, old);
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { error: string }).error, 'not-the-trainer');
    const fresh = await trainerCredential(server);
    assert.equal((await exportWith(server.origin, fresh)).status, 200, "the new start's link works");
  } finally {
    await server.kill();
  }
});

test('a credential just inside its maximum age still works', async () => {
  const dataDir = await tempDir('trainer-fresh');
  dirs.push(dataDir);
  let server = await startClassProcess({ dataDir });
  const credential = await trainerCredential(server);
  await server.kill();
  const db = new DatabaseSync(join(dataDir, 'class.sqlite'));
  db.prepare('UPDATE trainers SET created_at = ?').run(Date.now() - TRAINER_CREDENTIAL_MAX_AGE_MS + 10 * 60_000);
  db.close();
  server = await startClassProcess({ dataDir });
  try {
    assert.equal((await exportWith(server.origin, credential)).status, 200);
  } finally {
    await server.kill();
  }
});
