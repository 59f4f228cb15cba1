// <bench-chart>: the performance chapter's live measurement. One button runs every
// variant this machine offers: the browser variant here in a worker, the rest through
// the runner (POST /api/bench, NDJSON events). Results become SVG charts beside the
// article's numbers, are kept in localStorage and can be downloaded as JSON and CSV.
// The measurement before the current one stays beside it, dashed, until the next one
// (result-store.ts), so a change (n in main.rs, another runtime) can be compared.
// All reader-facing text comes from data-labels (content/i18n, keys workshop.bench.*).
import { benchEventSchema, BENCH_PATH, PHASES, type BenchResult, type ImageSize, type Phase, type VariantInfo } from '../../contracts/bench-protocol.ts';
import { toRunsCsv, toSummaryCsv } from '../../contracts/bench-csv.ts';
import { runnerFetch } from '../runner/runner-api.ts';
import { ARTICLE_IMAGE, ARTICLE_TOTALS } from './article-numbers.ts';
import { BROWSER_VARIANT_ID, runBrowserVariant } from './browser-variant.ts';
import { answerOf } from '../../contracts/bench-result.ts';
import { fibonacciN, pairRuns, variantOrder } from './measured.ts';
import { forgetEarlier, forgetResults, loadHistory, saveMeasurement, type BenchHistory, type StoredBench } from './result-store.ts';
import { layoutFor, sizeChart, spreadChart, type ChartRow, type Layout, type SizeRow } from './svg-charts.ts';

class RunnerUnavailable extends Error {
  constructor(readonly code: 'no-runner' | 'unauthorized' | 'bench-busy' | 'bench-failed', message: string = code) {
    super(message);
  }
}

export class BenchChart extends HTMLElement {
  private labels: Record<string, string> = {};
  private locale = 'en';
  private controller: AbortController | undefined;
  /** What the charts show: the current measurement (while running, the partial one) and the earlier one. */
  private history: BenchHistory = {};
  private layout: Layout | undefined;
  private resize: ResizeObserver | undefined;
  private el = <T extends Element>(selector: string) => this.querySelector<T>(selector)!;

  connectedCallback(): void {
    this.labels = JSON.parse(this.dataset.labels ?? '{}');
    this.locale = document.documentElement.lang || 'en';
    this.el<HTMLButtonElement>('[data-action="run"]').addEventListener('click', () => void this.run());
    this.el<HTMLButtonElement>('[data-action="stop"]').addEventListener('click', () => this.controller?.abort());
    this.el<HTMLButtonElement>('[data-action="forget"]').addEventListener('click', () => {
      forgetResults();
      this.show({});
      this.setStatus(this.t('status.idle'));
    });
    this.el<HTMLButtonElement>('[data-action="forget-earlier"]').addEventListener('click', () => {
      this.show(forgetEarlier());
      // The button is gone with the earlier run: the focus goes to the run button, not to the page's start.
      this.el<HTMLButtonElement>('[data-action="run"]').focus();
    });
    this.history = loadHistory();
    if (this.history.current) this.setStatus(this.t('status.stored', { date: this.formatDate(this.history.current.savedAt) }));
    this.layout = layoutFor(this.clientWidth);
    this.render();
    // A phone turned sideways (or a resized window) crosses the narrow layout's width: redraw.
    this.resize = new ResizeObserver(() => {
      const layout = layoutFor(this.clientWidth);
      if (layout === this.layout) return;
      this.layout = layout;
      this.renderCharts();
      this.renderSizes(this.history.current?.imageSizes ?? []);
    });
    this.resize.observe(this);
    this.dataset.state = 'ready';
  }

  disconnectedCallback(): void {
    this.controller?.abort();
    this.resize?.disconnect();
  }

  /** A label with {placeholders} filled in; the key itself when missing, so a gap is visible. */
  private t(key: string, params: Record<string, string | number> = {}): string {
    const text = this.labels[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
  }

  private variantName(id: string): string {
    return this.labels[`variant.${id}`] ?? id;
  }

  private formatMs(ms: number): string {
    const fmt = (v: number, digits: number) => new Intl.NumberFormat(this.locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v);
    if (ms >= 1000) return `${fmt(ms / 1000, ms >= 10_000 ? 1 : 2)} s`;
    return `${fmt(ms, ms >= 100 ? 0 : 1)} ms`;
  }

  /** Axis ticks: round numbers, no trailing zeros (10 ms, 1 s, 0.5 s). */
  private formatTick(ms: number): string {
    const fmt = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 1 });
    return ms >= 1000 ? `${fmt.format(ms / 1000)} s` : `${fmt.format(ms)} ms`;
  }

  private formatBytes(bytes: number): string {
    const mb = bytes / 1e6;
    return `${new Intl.NumberFormat(this.locale, { maximumFractionDigits: mb >= 10 ? 1 : 2 }).format(mb)} MB`;
  }

  private formatDate(iso: string): string {
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  }

  private setStatus(text: string): void {
    this.el('.bench-chart__status').textContent = text;
  }

  private readSetting(name: 'runs' | 'warmup', min: number, max: number): number | null {
    const input = this.el<HTMLInputElement>(`input[name="${name}"]`);
    const value = Number(input.value);
    if (!Number.isInteger(value) || value < min || value > max) {
      input.setCustomValidity(this.t('invalidNumber', { min, max }));
      input.reportValidity();
      return null;
    }
    input.setCustomValidity('');
    return value;
  }

  private setRunning(running: boolean): void {
    this.el<HTMLButtonElement>('[data-action="run"]').disabled = running;
    this.el<HTMLButtonElement>('[data-action="stop"]').hidden = !running;
    this.el<HTMLProgressElement>('progress').hidden = !running;
    this.dataset.state = running ? 'running' : 'ready';
  }

  async run(): Promise<void> {
    const runs = this.readSetting('runs', 1, 100);
    const warmup = this.readSetting('warmup', 0, 10);
    if (runs === null || warmup === null) return;
    const controller = new AbortController();
    this.controller = controller;
    this.setRunning(true);
    const progress = this.el<HTMLProgressElement>('progress');
    progress.value = 0;
    progress.max = runs + warmup;

    const results: BenchResult[] = [];
    let variants: VariantInfo[] = [];
    let imageSizes: ImageSize[] = [];
    let environment: StoredBench['environment'];
    const notes: string[] = [];
    // Progress counts runs over every variant; the runner's share is known once its plan arrives.
    let finishedRuns = 0;
    const step = (variant: string, warm: boolean, done: number, of: number) => {
      finishedRuns++;
      progress.value = finishedRuns;
      this.setStatus(this.t(warm ? 'progress.warmup' : 'progress.run', { variant: this.variantName(variant), done, of }));
    };

    try {
      // The browser variant first: it needs nothing but this page.
      this.setStatus(this.t('progress.start', { variant: this.variantName(BROWSER_VARIANT_ID) }));
      const browser = await runBrowserVariant({ runs, warmup, signal: controller.signal, onRun: (m) => step(BROWSER_VARIANT_ID, m.warmup, m.done, m.of) });
      results.push(browser.result);
      if (browser.refused) notes.push(this.t(`module.refused.${browser.refused}`));
      const earlier = this.history.current;
      const showPartial = () => this.show({ current: this.snapshot(runs, warmup, variants, imageSizes, results, environment), ...(earlier ? { earlier } : {}) });
      showPartial();

      try {
        const response = await this.postBench(runs, warmup, controller.signal);
        for await (const event of this.events(response)) {
          if (event.type === 'plan') {
            variants = event.variants;
            imageSizes = event.imageSizes;
            environment = event.environment;
            const serverRuns = variants.filter((v) => v.available && v.id !== BROWSER_VARIANT_ID).length * (runs + warmup);
            progress.max = runs + warmup + serverRuns;
          } else if (event.type === 'run') {
            step(event.variant, event.warmup, event.done, event.of);
          } else if (event.type === 'variant-done') {
            results.push(event.result);
            showPartial();
          } else if (event.type === 'error') {
            throw new RunnerUnavailable('bench-failed', event.message);
          }
        }
      } catch (error) {
        if (controller.signal.aborted) throw error;
        if (!(error instanceof RunnerUnavailable)) throw error;
        notes.push(error.code === 'bench-failed' ? this.t('status.failed', { message: error.message }) : this.t(`status.${error.code}`));
      }
      const stored = this.snapshot(runs, warmup, variants, imageSizes, results, environment);
      const kept = saveMeasurement(stored);
      // Without storage (blocked) nothing was kept: the page still compares with the run before.
      this.show(kept.earlier || !earlier ? kept : { current: stored, earlier });
      this.setStatus([this.t('status.done', { date: this.formatDate(stored.savedAt) }), ...notes].join(' '));
    } catch (error) {
      // Partial results were drawn while they came in; show the saved measurements again.
      this.show(loadHistory());
      if (controller.signal.aborted) this.setStatus(this.t('status.aborted'));
      else this.setStatus(this.t('status.failed', { message: (error as Error).message }));
    } finally {
      this.setRunning(false);
      this.controller = undefined;
    }
  }

  private snapshot(runs: number, warmup: number, variants: VariantInfo[], imageSizes: ImageSize[], results: BenchResult[], environment: StoredBench['environment']): StoredBench {
    const known = new Set(variants.map((v) => v.id));
    const allVariants: VariantInfo[] = known.has(BROWSER_VARIANT_ID) ? variants : [{ id: BROWSER_VARIANT_ID, available: true }, ...variants];
    return {
      version: 1,
      savedAt: new Date().toISOString(),
      runs,
      warmup,
      ...(environment ? { environment } : {}),
      userAgent: navigator.userAgent,
      variants: allVariants,
      imageSizes,
      results: [...results].sort((a, b) => variantOrder(a.label) - variantOrder(b.label)),
    };
  }

  private show(history: BenchHistory): void {
    this.history = history;
    this.render();
  }

  private async postBench(runs: number, warmup: number, signal: AbortSignal): Promise<Response> {
    let response: Response;
    try {
      response = await runnerFetch(BENCH_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ runs, warmup }),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new RunnerUnavailable('no-runner');
    }
    if (response.ok && response.headers.get('content-type')?.startsWith('application/x-ndjson')) return response;
    // A static host answers 404 (or the HTML page); the runner answers 401/403 without its token.
    if (response.status === 401 || response.status === 403) throw new RunnerUnavailable('unauthorized');
    if (response.status === 409) throw new RunnerUnavailable('bench-busy');
    if (response.status === 400 || response.status === 415) {
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      throw new RunnerUnavailable('bench-failed', body.message ?? `HTTP ${response.status}`);
    }
    throw new RunnerUnavailable('no-runner');
  }

  /** NDJSON lines as validated events; a line that does not parse is a protocol error. */
  private async *events(response: Response) {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let pending = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += value;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        const parsed = benchEventSchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new RunnerUnavailable('bench-failed', parsed.error.issues[0]?.message);
        yield parsed.data;
      }
    }
  }

  // ---- rendering ----

  private render(): void {
    const stored = this.history.current;
    const results = stored?.results ?? [];
    this.renderCharts();
    this.renderSizes(stored?.imageSizes ?? []);
    this.renderEarlierLegend();
    this.renderMeasured();
    this.renderSkipped(stored?.variants ?? []);
    this.renderInterpretation(results);
    this.renderTable();
    this.renderDownloads(stored);
  }

  /** "n = 25" when the result recorded fibonacci's answer. */
  private nNote(result: BenchResult): string | undefined {
    const n = fibonacciN(result);
    return n === undefined ? undefined : this.t('chart.rowNote', { n });
  }

  private renderCharts(): void {
    const host = this.el('.bench-chart__charts');
    host.replaceChildren();
    const { current, earlier } = this.history;
    const pairs = pairRuns(current?.results ?? [], earlier?.results ?? []);
    for (const phase of PHASES as readonly Phase[]) {
      const rows: ChartRow[] = [];
      for (const { label, current: now, earlier: before } of pairs) {
        const name = this.variantName(label);
        if (now) {
          const note = this.nNote(now);
          rows.push({
            label: name,
            ...(note ? { text: `${name} · ${note}` } : {}),
            kind: 'yours',
            stats: now.stats[phase],
            title: now.stats[phase] ? this.t('chart.rowTitle', this.statParams(now, phase)) : this.t('chart.noData'),
          });
        }
        if (before && earlier) {
          // Right below the same variant's row it needs no name; alone it does.
          const note = this.nNote(before);
          const text = now ? this.t('earlier.row') : this.t('earlier.variant', { variant: name });
          const when = this.t('earlier.rowTitle', { date: this.formatDate(earlier.savedAt) });
          rows.push({
            label: name,
            text: note ? `${text} · ${note}` : text,
            kind: 'earlier',
            stats: before.stats[phase],
            title: `${when} ${before.stats[phase] ? this.t('chart.rowTitle', this.statParams(before, phase)) : this.t('chart.noData')}`,
          });
        }
      }
      if (phase === 'total') {
        for (const a of ARTICLE_TOTALS) rows.push({ label: this.t('article.row', { variant: this.variantName(a.variant) }), kind: 'article', meanMs: a.meanMs, title: this.t('article.rowTitle', { runs: a.runs }) });
      }
      if (rows.length === 0) continue;
      const figure = document.createElement('figure');
      figure.className = 'bench-chart__figure';
      figure.dataset.phase = phase;
      const caption = document.createElement('figcaption');
      caption.textContent = this.t(`phase.${phase}`);
      const label = this.t('chart.label', { phase: this.t(`phase.${phase}`) });
      figure.append(caption, spreadChart(rows, { label, axisLog: this.t('chart.axisLog'), axisLinear: this.t('chart.axisLinear'), noData: this.t('chart.noData') }, (ms) => this.formatMs(ms), (ms) => this.formatTick(ms), this.layout));
      host.append(figure);
    }
  }

  /** The earlier measurement's key, with a sample of its dashed bar, and the way to forget it. */
  private renderEarlierLegend(): void {
    const { earlier } = this.history;
    const block = this.el<HTMLElement>('.bench-chart__earlier');
    block.hidden = !earlier;
    if (!earlier) return;
    this.el('.bench-chart__earlier-text').textContent = this.t('earlier.legend', { date: this.formatDate(earlier.savedAt) });
  }

  /** Which module and which n each measurement ran, in words: the charts' labels only hint at it. */
  private renderMeasured(): void {
    const list = this.el<HTMLUListElement>('.bench-chart__measured');
    list.replaceChildren();
    for (const [run, stored] of [['current', this.history.current], ['earlier', this.history.earlier]] as const) {
      if (!stored) continue;
      // The variants that load fibonacci.wasm themselves: the others run an image or a native build.
      const parts = stored.results.flatMap((r) => {
        if (!r.module) return [];
        const answer = answerOf(r);
        const params = { variant: this.variantName(r.label), module: this.t(`module.${r.module}`) };
        return [answer ? this.t('measured.item', { ...params, answer }) : this.t('measured.itemSilent', params)];
      });
      if (parts.length === 0) continue;
      const item = document.createElement('li');
      item.dataset.run = run;
      item.textContent = `${this.t(`measured.${run}`, { date: this.formatDate(stored.savedAt) })} ${parts.join('; ')}`;
      list.append(item);
    }
    list.hidden = list.children.length === 0;
  }

  private statParams(r: BenchResult, phase: Phase): Record<string, string | number> {
    const s = r.stats[phase]!;
    return { n: s.n, mean: this.formatMs(s.mean), median: this.formatMs(s.median), min: this.formatMs(s.min), p95: this.formatMs(s.p95), max: this.formatMs(s.max), stddev: this.formatMs(s.stddev) };
  }

  private renderSizes(sizes: readonly ImageSize[]): void {
    const host = this.el('.bench-chart__sizes');
    host.replaceChildren();
    const rows: SizeRow[] = sizes.map((s) => ({ label: s.image, bytes: s.bytes, kind: 'yours' }));
    rows.push({ label: this.t('article.image', { image: ARTICLE_IMAGE.image }), bytes: ARTICLE_IMAGE.bytes, kind: 'article' });
    const figure = document.createElement('figure');
    figure.className = 'bench-chart__figure';
    figure.dataset.chart = 'sizes';
    const caption = document.createElement('figcaption');
    caption.textContent = this.t('sizes.title');
    figure.append(caption, sizeChart(rows, { label: this.t('sizes.title'), axisLinear: this.t('sizes.axis'), noData: '' }, (b) => this.formatBytes(b), this.layout));
    if (sizes.length === 0) {
      const note = document.createElement('p');
      note.textContent = this.t('sizes.none');
      figure.append(note);
    }
    host.append(figure);
  }

  private renderSkipped(variants: readonly VariantInfo[]): void {
    const list = this.el<HTMLUListElement>('.bench-chart__skipped');
    list.replaceChildren();
    // One line per reason and detail: one root cause (e.g. no Wasm support) is said once.
    const groups = new Map<string, VariantInfo[]>();
    for (const v of variants) {
      if (v.available || v.reason === 'not-requested') continue;
      const key = `${v.reason ?? 'unknown'}\n${v.detail ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), v]);
    }
    for (const group of groups.values()) {
      const first = group[0]!;
      const item = document.createElement('li');
      item.dataset.variant = group.map((v) => v.id).join(' ');
      const names = group.map((v) => this.variantName(v.id)).join(', ');
      item.textContent = `${names}: ${this.t(`reason.${first.reason ?? 'unknown'}`, { detail: first.detail ?? '' })}`;
      list.append(item);
    }
    for (const r of this.history.current?.results ?? []) {
      if (r.errors === 0) continue;
      const first = r.measurements.find((m) => m.error)!;
      const item = document.createElement('li');
      item.dataset.variant = r.label;
      item.textContent = this.t('runErrors', { variant: this.variantName(r.label), count: r.errors, runs: r.runs, error: this.t(`error.${first.error}`), detail: first.message ?? '' });
      list.append(item);
    }
    this.el<HTMLElement>('.bench-chart__skipped-block').hidden = list.children.length === 0;
  }

  private renderInterpretation(results: readonly BenchResult[]): void {
    const list = this.el<HTMLUListElement>('.bench-chart__yours');
    list.replaceChildren();
    for (const r of results) {
      const run = r.stats.run;
      const total = r.stats.total;
      if (!run || !total || total.mean <= 0) continue;
      const item = document.createElement('li');
      const share = Math.round((1 - run.mean / total.mean) * 100);
      item.textContent = this.t('interpretation.share', { variant: this.variantName(r.label), share, run: this.formatMs(run.mean), total: this.formatMs(total.mean) });
      list.append(item);
    }
    this.el<HTMLElement>('.bench-chart__yours-block').hidden = list.children.length === 0;
  }

  private renderTable(): void {
    const body = this.el<HTMLTableSectionElement>('.bench-chart__table tbody');
    body.replaceChildren();
    const { current, earlier } = this.history;
    const pairs = pairRuns(current?.results ?? [], earlier?.results ?? []);
    const add = (r: BenchResult, run: 'current' | 'earlier') => {
      const note = this.nNote(r);
      const name = run === 'earlier' ? this.t('earlier.variant', { variant: this.variantName(r.label) }) : this.variantName(r.label);
      for (const phase of PHASES as readonly Phase[]) {
        const s = r.stats[phase];
        const row = body.insertRow();
        row.dataset.variant = r.label;
        row.dataset.phase = phase;
        row.dataset.run = run;
        const cells = [note ? `${name} · ${note}` : name, this.t(`phaseShort.${phase}`), String(s?.n ?? 0), ...(s ? [s.mean, s.median, s.min, s.p95, s.max, s.stddev].map((v) => this.formatMs(v)) : Array(6).fill('–'))];
        for (const text of cells) row.insertCell().textContent = text;
      }
    };
    for (const pair of pairs) {
      if (pair.current) add(pair.current, 'current');
      if (pair.earlier) add(pair.earlier, 'earlier');
    }
    this.el<HTMLElement>('.bench-chart__table-block').hidden = body.rows.length === 0;
  }

  private renderDownloads(stored: StoredBench | undefined): void {
    const block = this.el<HTMLElement>('.bench-chart__downloads');
    block.hidden = !stored || stored.results.length === 0;
    for (const link of block.querySelectorAll<HTMLAnchorElement>('a[data-download]')) {
      if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
      link.removeAttribute('href');
    }
    if (!stored || stored.results.length === 0) return;
    const stamp = stored.savedAt.slice(0, 19).replaceAll(':', '-');
    const files: Record<string, { name: string; blob: Blob }> = {
      json: { name: `fibonacci-bench-${stamp}.json`, blob: new Blob([`${JSON.stringify(stored, null, 2)}\n`], { type: 'application/json' }) },
      csv: { name: `fibonacci-bench-${stamp}.csv`, blob: new Blob([toSummaryCsv(stored.results)], { type: 'text/csv' }) },
      'runs-csv': { name: `fibonacci-bench-${stamp}-runs.csv`, blob: new Blob([toRunsCsv(stored.results)], { type: 'text/csv' }) },
    };
    for (const link of block.querySelectorAll<HTMLAnchorElement>('a[data-download]')) {
      const file = files[link.dataset.download ?? ''];
      if (!file) continue;
      link.href = URL.createObjectURL(file.blob);
      link.download = file.name;
    }
  }
}

if (!customElements.get('bench-chart')) customElements.define('bench-chart', BenchChart);
