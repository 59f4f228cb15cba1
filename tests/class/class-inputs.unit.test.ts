// What people type: the join link from the projector, the class server's flags, the class
// code's alphabet, and the CSV a spreadsheet opens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classCodeSchema } from '../../contracts/class-api.ts';
import { parseClassArgs } from '../../class/app/cli-args.ts';
import { BENCH_CSV_HEADER, benchCsvLine } from '../../class/http/bench-export.ts';
import { createClassCode } from '../../class/security/secrets.ts';
import { parseJoinUrl } from '../../server/classroom/join-url.ts';
import { parseCliArgs } from '../../server/app/cli-args.ts';

test('a join link parses, also typed in lower case or without the dash; anything else does not', () => {
  assert.deepEqual(parseJoinUrl('http://192.168.1.20:4400/join/K7QM-XP3D'), { origin: 'http://192.168.1.20:4400', code: 'K7QM-XP3D' });
  assert.deepEqual(parseJoinUrl(' http://192.168.1.20:4400/join/k7qmxp3d/ '), { origin: 'http://192.168.1.20:4400', code: 'K7QM-XP3D' });
  for (const bad of ['', 'not a url', 'file:///join/K7QM-XP3D', 'http://host/join/K7QM-XP3O', 'http://host/K7QM-XP3D', 'http://user:pw@host/join/K7QM-XP3D', 'http://host/join/K7QM-XP3D/more']) {
    assert.equal(parseJoinUrl(bad), undefined, bad);
  }
});

test('class codes are random, easy to type and match their schema', () => {
  const codes = new Set(Array.from({ length: 200 }, createClassCode));
  assert.equal(codes.size, 200);
  for (const code of codes) {
    assert.ok(classCodeSchema.safeParse(code).success, code);
    assert.doesNotMatch(code, /[01OIL]/);
  }
});

test('npm run class flags', () => {
  const parsed = parseClassArgs(['--host', '192.168.1.20', '--port=0', '--name', 'Room 1', '--data', '/tmp/x'], {});
  assert.ok(parsed.ok);
  assert.deepEqual({ ...parsed.options }, { host: '192.168.1.20', port: 0, name: 'Room 1', dataDir: '/tmp/x', help: false });
  const defaults = parseClassArgs([], { XDG_DATA_HOME: '/data' });
  assert.ok(defaults.ok && defaults.options.host === '127.0.0.1' && defaults.options.port === 4400);
  assert.ok(defaults.ok && (process.platform !== 'linux' || defaults.options.dataDir === '/data/wasm-docker-workshop/class'));
  assert.deepEqual(parseClassArgs(['--port', '70000']), { ok: false, error: 'badPort', values: { value: '70000' } });
  assert.deepEqual(parseClassArgs(['--run', 'x']), { ok: false, error: 'badArgument', values: { arg: '--run' } });
  assert.deepEqual(parseClassArgs(['--host']), { ok: false, error: 'badArgument', values: { arg: '--host' } });
});

test('npm start takes --join and --seat', () => {
  const parsed = parseCliArgs(['--join', 'http://h:1/join/K7QM-XP3D', '--seat=Ann Lee'], {});
  assert.ok(parsed.ok && parsed.options.join === 'http://h:1/join/K7QM-XP3D' && parsed.options.seat === 'Ann Lee');
  assert.deepEqual(parseCliArgs(['--join'], {}), { ok: false, error: 'badArgument', values: { arg: '--join' } });
});

test('the class benchmark CSV quotes what it must and defuses spreadsheet formulas in seat names', () => {
  // Header and lines as the export writes them, a page at a time.
  const csv =
    BENCH_CSV_HEADER +
    [
      { seat: '=HYPERLINK("x")', variant: 'node-wasi', meanMs: 41.5, medianMs: 40, runs: 10, at: 0 },
      { seat: 'Lee, Ann', variant: 'container-classic', meanMs: 600, medianMs: 590, runs: 10, at: 0 },
    ]
      .map(benchCsvLine)
      .join('');
  assert.equal(csv.split('\n')[0], 'seat,variant,mean_ms,median_ms,runs,at');
  assert.ok(csv.includes(`"'=HYPERLINK(""x"")"`), csv);
  assert.ok(csv.includes('"Lee, Ann",container-classic,600,590,10,1970-01-01T00:00:00.000Z'), csv);
});
