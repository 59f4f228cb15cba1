// <preflight-panel>: asks the runner's doctor (GET /api/doctor, same origin, cookie
// auth) what the reader's Docker can do, and lists every check with its status, detail,
// fix and source. Without a runner it says how to start one. Labels: data-* attributes.
import { DOCTOR_PATH } from '../../contracts/http-paths.ts';
import { runnerFetch } from '../runner/runner-api.ts';
import { publishDoctor } from '../runner/runner-link.ts';

import type { CheckResult } from '../../contracts/http-api.ts';

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

class PreflightPanel extends HTMLElement {
  private running = false;

  connectedCallback(): void {
    this.querySelector<HTMLButtonElement>('button[data-check]')?.addEventListener('click', () => void this.check());
  }

  private label(name: string): string {
    return this.dataset[name] ?? '';
  }

  private async check(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const button = this.querySelector<HTMLButtonElement>('button[data-check]')!;
    const results = this.querySelector<HTMLElement>('[data-results]')!;
    const status = this.querySelector<HTMLElement>('[data-status-text]')!;
    button.disabled = true;
    this.dataset.state = 'running';
    status.textContent = this.label('labelRunning');
    results.replaceChildren();
    try {
      let response: Response;
      try {
        response = await runnerFetch(`${DOCTOR_PATH}?lang=${encodeURIComponent(this.dataset.lang ?? 'en')}`, {
          headers: { accept: 'application/json' },
        });
      } catch {
        this.showUnreachable(results, status);
        return;
      }
      if (response.status === 401 || response.status === 403) {
        this.dataset.state = 'unauthorized';
        status.textContent = this.label('labelUnauthorized');
        results.append(element('p', 'preflight__hint', this.label('labelUnauthorizedFix')));
        return;
      }
      const type = response.headers.get('content-type') ?? '';
      // A static host without the runner answers 404 (or an HTML page): no doctor there.
      if (response.status === 404 || !type.includes('application/json')) {
        this.showUnreachable(results, status);
        return;
      }
      const body = (await response.json()) as { checks?: CheckResult[]; message?: string; error?: string };
      if (!response.ok || !Array.isArray(body.checks)) {
        throw new Error(body.message ?? body.error ?? `HTTP ${response.status}`);
      }
      this.showChecks(body.checks, results, status);
      // Fresh results also update the requirement marks on this page's steps.
      publishDoctor(body.checks.map(({ id, status: checkStatus }) => ({ id, status: checkStatus })));
    } catch (error) {
      this.dataset.state = 'failed';
      status.textContent = fill(this.label('labelFailed'), { error: error instanceof Error ? error.message : String(error) });
    } finally {
      this.running = false;
      button.disabled = false;
      button.textContent = this.label('labelAgain') || button.textContent;
    }
  }

  private showUnreachable(results: HTMLElement, status: HTMLElement): void {
    this.dataset.state = 'unreachable';
    status.textContent = this.label('labelUnreachable');
    const hint = element('p', 'preflight__hint', this.label('labelUnreachableFix'));
    const command = element('pre', 'preflight__command');
    command.append(element('code', '', this.label('doctorCommand')));
    results.append(hint, command);
  }

  /**
   * One lead card for the root cause (the first check that failed, in the doctor's order,
   * where later checks depend on earlier ones): what this Docker can and cannot do, and the
   * one thing to do first. The other checks follow, grouped and collapsed.
   */
  private showChecks(checks: CheckResult[], results: HTMLElement, status: HTMLElement): void {
    const counts = { ok: 0, warn: 0, fail: 0, skip: 0 };
    for (const check of checks) counts[check.status] = (counts[check.status] ?? 0) + 1;
    const lead = checks.find((c) => c.status === 'fail') ?? checks.find((c) => c.status === 'warn');

    const card = element('section', 'preflight__lead');
    card.dataset.status = lead?.status ?? 'ok';
    card.append(element('p', 'preflight__verdict', this.label(`verdict${capital(verdictOf(lead))}`)));
    if (lead) {
      const list = element('ul', 'preflight__checks');
      list.append(this.checkItem(lead, this.label('labelFirst')));
      card.append(list);
      // Docker Engine on Linux: the setup chapter has the way forward, step by step.
      const guide = this.dataset.guideHref;
      if (guide && (lead.id === 'containerd-store' || lead.id.startsWith('wasm-runtime:'))) {
        const p = element('p', 'preflight__guide');
        const link = element('a', '', this.label('labelGuide'));
        link.href = guide;
        p.append(link);
        card.append(p);
      }
    }
    results.append(card);

    const rest = checks.filter((c) => c !== lead);
    const notOk = rest.filter((c) => c.status !== 'ok');
    const ok = rest.filter((c) => c.status === 'ok');
    if (notOk.length > 0) results.append(this.group('depends', fill(this.label('labelDepends'), { n: notOk.length }), notOk));
    if (ok.length > 0) results.append(this.group('ok', fill(this.label('labelPassed'), { n: ok.length }), ok));
    this.dataset.state = counts.fail > 0 ? 'failed' : 'done';
    status.textContent = fill(this.label('labelSummary'), counts);
  }

  private group(name: string, summary: string, checks: CheckResult[]): HTMLDetailsElement {
    const details = element('details', 'preflight__group');
    details.dataset.group = name;
    details.append(element('summary', '', summary));
    const list = element('ul', 'preflight__checks');
    for (const check of checks) list.append(this.checkItem(check, this.label('labelFix')));
    details.append(list);
    return details;
  }

  private checkItem(check: CheckResult, fixLabel: string): HTMLLIElement {
    const item = element('li', 'preflight__check');
    item.dataset.checkId = check.id;
    item.dataset.status = check.status;
    const head = element('p', 'preflight__check-head');
    head.append(
      element('span', 'preflight__badge', this.label(`status${capital(check.status)}`)),
      ' ',
      element('strong', '', check.title),
    );
    item.append(head, element('p', 'preflight__detail', check.detail));
    if (check.status !== 'ok') {
      const fix = element('p', 'preflight__fix');
      fix.append(element('strong', '', `${fixLabel}: `), check.fix);
      item.append(fix);
    }
    if (/^https:\/\//.test(check.source)) {
      const source = element('p', 'preflight__source');
      const link = element('a', '', check.source);
      link.href = check.source;
      link.rel = 'noopener noreferrer';
      link.target = '_blank';
      source.append(`${this.label('labelSource')}: `, link);
      item.append(source);
    }
    return item;
  }
}

const capital = (word: string) => `${word[0]!.toUpperCase()}${word.slice(1)}`;

/** What the lead check means for the workshop as a whole. */
function verdictOf(lead: CheckResult | undefined): 'all' | 'most' | 'linux' | 'none' {
  if (!lead) return 'all';
  if (lead.id === 'docker-cli' || lead.id === 'docker-daemon') return 'none';
  if (lead.id === 'containerd-store' || lead.id.startsWith('wasm-runtime:')) return 'linux';
  return 'most';
}

if (!customElements.get('preflight-panel')) customElements.define('preflight-panel', PreflightPanel);
