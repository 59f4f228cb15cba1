// The class server's, the kit's and the class box's texts exist in both languages with the
// same keys and placeholders, so German and English cannot drift apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import de from '../../content/locales/de/class.json' with { type: 'json' };
import en from '../../content/locales/en/class.json' with { type: 'json' };
import pageDe from '../../content/i18n/de.json' with { type: 'json' };
import pageEn from '../../content/i18n/en.json' with { type: 'json' };
import runnerDe from '../../content/locales/de/runner.json' with { type: 'json' };
import runnerEn from '../../content/locales/en/runner.json' with { type: 'json' };
import { OUTBOX_LOCK_REASONS } from '../../server/classroom/outbox-lock.ts';
import { STEP_FAILURE_REASONS } from '../../contracts/terminal-protocol.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') out.set(prefix, value);
  else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) for (const [k, v] of flatten(inner, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  return out;
}

function samePlaces(a: Map<string, string>, b: Map<string, string>, what: string) {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort(), `${what}: the same keys`);
  for (const [key, text] of a) {
    assert.ok(text.trim() && b.get(key)!.trim(), `${what} ${key} is not empty`);
    assert.deepEqual(placeholders(text), placeholders(b.get(key)!), `${what} ${key}: the same placeholders`);
  }
}

test('class.json: the same keys and placeholders in de and en', () => samePlaces(flatten(de), flatten(en), 'class.json'));

test('the class box texts and the --join texts exist in both languages', () => {
  const only = (table: Record<string, string>) => new Map(Object.entries(table).filter(([key]) => key.startsWith('workshop.class.')));
  const page = only(pageEn);
  assert.ok(page.size >= 15);
  samePlaces(page, only(pageDe), 'i18n');
  for (const key of ['classJoining', 'joinBadUrl', 'outboxInUse'] as const) assert.deepEqual(placeholders(runnerDe.cli[key]), placeholders(runnerEn.cli[key]));
  assert.match(runnerEn.cli.usage, /--join URL/);
  assert.match(runnerDe.cli.usage, /--join URL/);
});

test('every refusal of the outbox lock has its text in both languages, naming the file and what to do', () => {
  // npm start prints cli.outboxLock.REASON for an OutboxLockError (server/app/cli.ts); one
  // without a text would reach the reader as the English message inside "could not start".
  const en = new Map(Object.entries(runnerEn.cli));
  const de = new Map(Object.entries(runnerDe.cli));
  assert.ok(OUTBOX_LOCK_REASONS.length >= 4, OUTBOX_LOCK_REASONS.join(', '));
  for (const reason of OUTBOX_LOCK_REASONS) {
    const key = `outboxLock.${reason}`;
    assert.ok(en.has(key) && de.has(key), `${key} in en and de`);
    assert.deepEqual(placeholders(de.get(key)!), placeholders(en.get(key)!), key);
    assert.ok(placeholders(en.get(key)!).includes('path'), `${key} names the file`);
    assert.match(en.get(key)!, /start again\.$/, `${key} (en) ends with what to do`);
    assert.match(de.get(key)!, /starte (dann )?erneut\.$/, `${key} (de) ends with what to do`);
  }
});

test('class.json writes keys with a hyphen (Strg-C, Ctrl-C), as runner.json does, in both languages', () => {
  for (const [lang, texts, key] of [['de', de, 'Strg'], ['en', en, 'Ctrl']] as const) {
    const all = [...flatten(texts).values()].join('\n');
    assert.doesNotMatch(all, /\b(Strg|Ctrl)\s*\+\s*\w/, `${lang}: no ${key}+`);
    assert.match(all, new RegExp(`\\b${key}-C\\b`), `${lang}: ${key}-C`);
  }
  for (const texts of [runnerDe, runnerEn]) assert.doesNotMatch([...flatten(texts).values()].join('\n'), /\b(Strg|Ctrl)\s*\+\s*\w/);
});

test('a data folder in use: the refusal also names another program holding class.sqlite open, in both languages', () => {
  assert.match(en.cli.dataFolderInUse, /another class server.*another program \(an SQLite tool, say\) has the folder's class\.sqlite open/s);
  assert.match(de.cli.dataFolderInUse, /anderen Kurs-Server.*ein anderes Programm \(etwa ein SQLite-Werkzeug\) die Datei class\.sqlite des Ordners offen/s);
});

test('the dashboard names every step failure reason in both languages (a cell showed the raw id)', () => {
  for (const texts of [de.dashboard, en.dashboard] as Record<string, string>[]) {
    for (const reason of STEP_FAILURE_REASONS) assert.ok(texts[`reason.${reason}`]?.trim(), `dashboard reason.${reason}`);
  }
});
