import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_LABEL_KEYS } from '../../components/bench/label-keys.ts';
import { repoRoot } from '../helpers/dist.ts';

const locale = (lang: string) => JSON.parse(readFileSync(join(repoRoot, 'content/i18n', `${lang}.json`), 'utf8')) as Record<string, string>;

test('German and English have every text of the benchmark view, and the same placeholders', () => {
  const de = locale('de');
  const en = locale('en');
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of BENCH_LABEL_KEYS) {
    const full = `workshop.bench.${key}`;
    assert.ok(en[full]?.trim(), `en.json lacks ${full}`);
    assert.ok(de[full]?.trim(), `de.json lacks ${full}`);
    assert.deepEqual(placeholders(de[full]), placeholders(en[full]), `${full}: placeholders differ`);
  }
  const unused = Object.keys(en).filter((k) => k.startsWith('workshop.bench.') && !(BENCH_LABEL_KEYS as readonly string[]).includes(k.slice('workshop.bench.'.length)));
  assert.deepEqual(unused, [], 'keys in en.json that the view never shows');
});

test('every variant, reason and run error the server can send has a text', async () => {
  const { runErrorCodeSchema } = await import('../../contracts/bench-protocol.ts');
  const { VARIANT_IDS } = await import('../../server/bench/variants.ts');
  const keys = new Set<string>(BENCH_LABEL_KEYS);
  for (const code of runErrorCodeSchema.options) assert.ok(keys.has(`error.${code}`), `no text for run error ${code}`);
  for (const id of VARIANT_IDS) assert.ok(keys.has(`variant.${id}`), `no name for variant ${id}`);
  const { variantInfoSchema } = await import('../../contracts/bench-protocol.ts');
  const reasons = variantInfoSchema.shape.reason.unwrap().options;
  assert.ok(reasons.length > 0);
  for (const reason of reasons) assert.ok(keys.has(`reason.${reason}`), `no text for reason ${reason}`);
});
