// German and English move together: the same keys, the same {placeholders}, a fix for
// every variant of every doctor check and for every known error, in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DOCTOR_CHECKS } from '../../server/doctor/doctor.ts';
import { fillTemplate } from '../../server/doctor/texts.ts';
import { KNOWN_ERROR_IDS } from '../../server/steps/known-errors.ts';

type Json = { [key: string]: Json } | string;
const load = (lang: string, file: string): Json =>
  JSON.parse(readFileSync(new URL(`../../content/locales/${lang}/${file}`, import.meta.url), 'utf8'));

/** key path -> text, for every string leaf. */
function leaves(json: Json, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof json === 'string') out.set(prefix, json);
  else for (const [key, value] of Object.entries(json)) for (const [k, v] of leaves(value, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  return out;
}
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

for (const file of ['doctor.json', 'errors.json']) {
  test(`${file}: same keys and placeholders in de and en, no empty text`, () => {
    const de = leaves(load('de', file));
    const en = leaves(load('en', file));
    assert.deepEqual([...de.keys()].sort(), [...en.keys()].sort());
    for (const [key, text] of en) {
      assert.ok(text.trim(), `en ${key} is empty`);
      assert.ok(de.get(key)!.trim(), `de ${key} is empty`);
      assert.deepEqual(placeholders(de.get(key)!), placeholders(text), `placeholders differ in ${key}`);
    }
  });
}

test('every doctor check has a title and, per variant, detail and fix in both languages', () => {
  for (const lang of ['de', 'en']) {
    const texts = load(lang, 'doctor.json') as Record<string, Record<string, Record<string, Json>>>;
    for (const check of DOCTOR_CHECKS) {
      const section = texts.checks![check.section];
      assert.ok(section, `${lang}: no section for ${check.id}`);
      assert.equal(typeof section.title, 'string', `${lang}: no title for ${check.id}`);
      assert.ok(check.variants.length > 0);
      for (const variant of check.variants) {
        const v = section[variant] as Record<string, string> | undefined;
        assert.ok(v && v.detail?.trim() && v.fix?.trim(), `${lang}: ${check.id} / ${variant} lacks detail or fix`);
        // A {key} param must point at a string of the same section.
        for (const text of [v.detail, v.fix]) {
          for (const name of placeholders(text)) {
            if (['install', 'registered'].includes(name)) continue;
            assert.ok(!(name in section) || typeof section[name] === 'string', `${name} in ${variant}`);
          }
        }
      }
    }
    for (const common of ['skipped', 'timeout', 'crashed']) {
      const v = texts.common![common] as Record<string, string>;
      assert.ok(v.detail && v.fix, `${lang}: common.${common}`);
    }
  }
});

test('every known error id has cause, fix and the same source in both languages', () => {
  const de = load('de', 'errors.json') as { errors: Record<string, Record<string, string>> };
  const en = load('en', 'errors.json') as { errors: Record<string, Record<string, string>> };
  assert.deepEqual(Object.keys(en.errors).sort(), [...KNOWN_ERROR_IDS].sort());
  for (const id of KNOWN_ERROR_IDS) {
    for (const texts of [de, en]) {
      assert.ok(texts.errors[id]?.cause?.trim() && texts.errors[id]?.fix?.trim(), id);
    }
    assert.match(en.errors[id]!.source!, /^https:\/\//);
    assert.equal(de.errors[id]!.source, en.errors[id]!.source, id);
  }
});

test('fillTemplate fills plain and nested params and leaves JSON braces alone', () => {
  const section: Record<string, string> = { install: 'install {shim}' };
  const resolve = (p: { key: string } | { checkTitle: string }) => ('key' in p ? section[p.key]! : p.checkTitle);
  assert.equal(fillTemplate('then {install}.', { install: { key: 'install' }, shim: 'x-v1' }, resolve), 'then install x-v1.');
  assert.equal(fillTemplate('{"features": {"a": true}} {n}', { n: 3 }), '{"features": {"a": true}} 3');
  assert.equal(fillTemplate('{missing}', {}), '{missing}');
});
