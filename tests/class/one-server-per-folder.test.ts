// One class server per data folder. A trainer who forgot the first `npm run class` and starts a
// second on the same folder (on another port, or the same) would split the class between two
// dashboards, and both would write to one SQLite file. The second refuses at once, in the
// trainer's language, says what to do, exits with 1 and changes nothing in the folder; the first
// keeps serving. The lock is SQLite's own (class/store/class-store.ts), held by the process, so a
// class server killed with SIGKILL leaves none behind. Real processes, real SQLite, loopback only.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { afterFile, joinClass, runClassOnce, startClassProcess, trainerCredential, type ClassProcess } from './class-harness.ts';
import { CLASS_PATHS } from '../../contracts/class-api.ts';

const { cleanUp, classFolder } = afterFile();

async function started(dataDir: string, port?: number): Promise<ClassProcess> {
  const server = await startClassProcess({ dataDir, port, name: 'Room 2' });
  cleanUp(() => server.kill('SIGKILL'));
  return server;
}

/** Every file in the folder: its name, size, change time and content's hash. */
async function folderState(dataDir: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const name of (await readdir(dataDir)).sort()) {
    const path = join(dataDir, name);
    const info = await stat(path);
    state[name] = `${info.size} ${info.mtimeMs} ${info.ctimeMs} ${createHash('sha256').update(await readFile(path)).digest('hex')}`;
  }
  return state;
}

/** What only a working class server answers: a join (a write to its SQLite file) and the trainer's export. */
async function stillServes(server: ClassProcess, seat: string): Promise<void> {
  const joined = await joinClass(server, seat);
  assert.equal(joined.seatName, seat);
  const trainer = await trainerCredential(server);
  const exported = await fetch(`${server.origin}${CLASS_PATHS.trainerExport}?format=json`, { headers: { authorization: `Bearer ${trainer}` } });
  assert.equal(exported.status, 200);
}

for (const [lang, says, samePort] of [
  ['en_US.UTF-8', /already in use by another class server.*Stop the other class server.*an SQLite tool.*npm run class -- --data NEW-FOLDER/s, false],
  ['de_DE.UTF-8', /wird schon von einem anderen Kurs-Server benutzt.*Beende den anderen Kurs-Server.*SQLite-Werkzeug.*npm run class -- --data NEUER-ORDNER/s, true],
] as const) {
  test(`a second npm run class on the same data folder refuses, says what to do and changes nothing; the first keeps serving (${lang}${samePort ? ', same port' : ', another port'})`, { timeout: 120_000 }, async () => {
    const dataDir = await classFolder('one-per-folder');
    const first = await started(dataDir);
    await joinClass(first, 'Ann');
    const before = await folderState(dataDir);

    const second = await runClassOnce(dataDir, lang, samePort ? first.port : 0);
    assert.equal(second.stdout, '', `no class is ready, no join line (stderr: ${second.stderr})`);
    assert.equal(second.code, 1, `exit code 1 (stderr: ${second.stderr})`);
    assert.match(second.stderr, says);
    assert.ok(second.stderr.includes(dataDir), `names the folder: ${second.stderr}`);
    assert.doesNotMatch(second.stderr, /SQLITE_|ERR_SQLITE|database is locked|is in use\. Choose another|ist belegt/i, 'says what happened in words, not in SQLite\'s, and it is not about the port');
    assert.deepEqual(await folderState(dataDir), before, 'the folder is as it was');

    await stillServes(first, 'Ben');
    assert.equal(first.child.exitCode, null, 'the first class server runs on');
  });
}

test('a class server killed with SIGKILL leaves no lock: the next start on its folder continues the class, and holds the folder in turn', { timeout: 120_000 }, async () => {
  const dataDir = await classFolder('one-per-folder-killed');
  const first = await started(dataDir);
  await joinClass(first, 'Ann');
  await first.kill('SIGKILL');

  const next = await started(dataDir);
  assert.equal(next.code, first.code, 'the same class, with the same code');
  await stillServes(next, 'Ben');
  const refused = await runClassOnce(dataDir, 'en_US.UTF-8');
  assert.equal(refused.code, 1, `the new one holds the folder (stderr: ${refused.stderr})`);
  assert.match(refused.stderr, /already in use by another class server/);
});
