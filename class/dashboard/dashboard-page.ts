// The trainer's dashboard, in the browser: trades the one-time link's code for the trainer
// credential (kept in this tab's sessionStorage), follows the feed, and draws the class.
// Everything from participants (seat names, output lines) goes in as text, never as HTML.
import {
  CLASS_PATHS,
  DEFAULT_STUCK_RULES,
  feedMessageSchema,
  mebibytes,
  trainerExchangeResponseSchema,
  type Broadcast,
  type ClassStorage,
  type Seat,
  type SeatBudget,
  type StuckRules,
} from '../../contracts/class-api.ts';
import { steps as workshopSteps } from '../../content/steps.ts';
import de from '../../content/locales/de/class.json' with { type: 'json' };
import en from '../../content/locales/en/class.json' with { type: 'json' };
import errorsDe from '../../content/locales/de/errors.json' with { type: 'json' };
import errorsEn from '../../content/locales/en/errors.json' with { type: 'json' };
import doctorDe from '../../content/locales/de/doctor.json' with { type: 'json' };
import doctorEn from '../../content/locales/en/doctor.json' with { type: 'json' };
import { ARTICLE_MEANS_MS } from './article-numbers.ts';
import { ClassState, median, type Cell, type ClassView } from './class-state.ts';

const CREDENTIAL_KEY = 'workshop.class.trainer';
/** Set by Sign out: after a reload the tab says how to sign in again, not to use a link already spent. */
const SIGNED_OUT_KEY = 'workshop.class.signedOut';
const lang = document.documentElement.lang === 'de' ? 'de' : 'en';
const texts = lang === 'de' ? de.dashboard : en.dashboard;
const errorTexts = (lang === 'de' ? errorsDe : errorsEn).errors as Record<string, { fix?: string; cause?: string }>;
const doctorTexts = (lang === 'de' ? doctorDe : doctorEn).checks as Record<string, { title?: string }>;
const knownSteps = workshopSteps.map((step) => step.id);

type TextKey = keyof typeof texts;
const t = (key: TextKey, values: Record<string, string | number> = {}) =>
  texts[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));

/**
 * Receive times by event id, for the class benchmark (bench:class): kept only when the page was
 * told so before it loaded (`window.__classDashboardRecord = true`), since it grows with every event.
 */
const received = new Map<string, number>();
const recordReceived = (window as unknown as { __classDashboardRecord?: boolean }).__classDashboardRecord === true;
/** Event messages received, repeats included (bench:class counts repeats by the ids in `received`). */
let eventsReceived = 0;
const state = {
  className: '',
  seats: [] as Seat[],
  // What the view needs, kept up to date event by event; the events themselves are not kept.
  classState: new ClassState(),
  rules: DEFAULT_STUCK_RULES as StuckRules,
  broadcast: null as Broadcast | null,
  storage: { full: false, budgetBytes: 0 } as ClassStorage,
  // Set by every hello, which comes before any seat: a full seat is never drawn without it.
  seatBudget: { events: 0, bytes: 0 } as SeatBudget,
  lastSeq: 0,
  connection: 'connecting' as 'connecting' | 'live' | 'reconnecting',
};
(window as unknown as { __classDashboard: unknown }).__classDashboard = {
  received,
  eventCount: () => eventsReceived,
  /** How many entries the class state keeps, per part: bounded by seats × steps and caps. */
  retained: () => state.classState.retained(),
  connection: () => state.connection,
};

function h(tag: string, attributes: Record<string, string | undefined> = {}, ...children: (Node | string | undefined)[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  for (const child of children) if (child !== undefined) element.append(child);
  return element;
}

async function credential(): Promise<string | undefined> {
  const code = new URLSearchParams(location.hash.slice(1)).get('trainer');
  if (code) {
    // The code is good once: take it out of the address bar and history before using it.
    history.replaceState(null, '', location.pathname + location.search);
    const response = await fetch(CLASS_PATHS.trainerExchange, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    const parsed = trainerExchangeResponseSchema.safeParse(await response.json().catch(() => undefined));
    if (parsed.success) {
      sessionStorage.setItem(CREDENTIAL_KEY, parsed.data.credential);
      sessionStorage.removeItem(SIGNED_OUT_KEY);
      return parsed.data.credential;
    }
    if (!sessionStorage.getItem(CREDENTIAL_KEY)) {
      showProblem(t('linkUsed'));
      return undefined;
    }
  }
  return sessionStorage.getItem(CREDENTIAL_KEY) ?? undefined;
}

let token = '';
/** Ends the feed when the trainer signs out; set, the feed neither reconnects nor says more. */
const stopFeed = new AbortController();
const authorized = (init: RequestInit = {}): RequestInit => ({ signal: stopFeed.signal, ...init, cache: 'no-store', headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });

async function follow(): Promise<void> {
  let delay = 250;
  for (;;) {
    try {
      const response = await fetch(`${CLASS_PATHS.trainerFeed}?after=${state.lastSeq}`, authorized());
      // The credential expired (TRAINER_CREDENTIAL_MAX_AGE_MS) or the class folder was replaced.
      if (response.status === 401) return stopFeed.signal.aborted ? undefined : showProblem(t('signedOut'));
      if (!response.ok || !response.body) throw new Error(`feed ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (data) receive(data);
        }
        if (state.connection !== 'live') setConnection('live');
        delay = 250;
      }
    } catch {
      // The class server is gone for now (restarting, Wi-Fi): try again, more slowly each time.
    }
    if (stopFeed.signal.aborted) return;
    setConnection('reconnecting');
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 2000);
  }
}

function receive(data: string): void {
  const raw: unknown = JSON.parse(data);
  const parsed = feedMessageSchema.safeParse(raw);
  if (!parsed.success) {
    // The feed begins with a hello that this page cannot read: a class server updated after the
    // tab was opened (its strict schema refuses what it does not know). The view would stay as it
    // was, silently; the trainer is told to reload instead. Other messages it cannot read are left out.
    if ((raw as { type?: unknown } | null)?.type === 'hello') {
      stopFeed.abort();
      showProblem(t('pageOutdated'));
    }
    return;
  }
  const message = parsed.data;
  if (message.type === 'hello') {
    state.className = message.className;
    state.seats = message.seats;
    state.rules = message.rules;
    state.broadcast = message.broadcast;
    state.storage = message.storage;
    state.seatBudget = message.seatBudget;
  } else if (message.type === 'event') {
    const event = message.event;
    eventsReceived++;
    if (recordReceived && !received.has(event.id)) received.set(event.id, Date.now());
    state.classState.add(event);
    state.lastSeq = Math.max(state.lastSeq, event.seq);
  } else if (message.type === 'seat') {
    state.seats = [...state.seats.filter((seat) => seat.id !== message.seat.id), message.seat];
  } else if (message.type === 'rules') state.rules = message.rules;
  else if (message.type === 'storage') state.storage = message.storage;
  else state.broadcast = message.broadcast;
  scheduleRender();
}

let renderTimer: number | undefined;
/** Draws again every 5 s: the "slow" rule depends on the clock, not only on events. */
let slowRuleTimer: number | undefined;
function scheduleRender(): void {
  renderTimer ??= window.setTimeout(() => {
    renderTimer = undefined;
    render();
  }, 100);
}

function setConnection(next: typeof state.connection): void {
  state.connection = next;
  const badge = document.querySelector('.connection');
  if (badge) {
    badge.setAttribute('data-state', next);
    badge.textContent = t(next === 'live' ? 'live' : next === 'connecting' ? 'connecting' : 'reconnecting');
  }
}

/**
 * Revokes this tab's credential on the class server, then forgets it here. Only once the server
 * said so (or already refuses it): a sign-out that did not get through leaves the tab signed in
 * rather than let the trainer believe a credential is revoked that still works.
 */
async function signOut(): Promise<void> {
  const response = await fetch(CLASS_PATHS.trainerSignOut, authorized({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).catch(() => undefined);
  if (!response || (!response.ok && response.status !== 401)) {
    document.getElementById('sign-out-failed')?.removeAttribute('hidden');
    return;
  }
  stopFeed.abort();
  sessionStorage.removeItem(CREDENTIAL_KEY);
  sessionStorage.setItem(SIGNED_OUT_KEY, '1');
  token = '';
  showProblem(t('signedOutByYou'));
}

/** Set once a problem replaced the dashboard: nothing draws over it any more. */
let stopped = false;

function showProblem(text: string): void {
  stopped = true;
  window.clearInterval(slowRuleTimer);
  window.clearTimeout(renderTimer);
  document.getElementById('dashboard')!.replaceChildren(h('p', { class: 'problem', role: 'alert' }, text));
}

const seatName = (id: string) => state.seats.find((seat) => seat.id === id)?.name ?? id;

/** Why a step failed, in the trainer's language; an id this version has no text for (a newer runner's) as it came. */
const reasonText = (reason: string) => (texts as Record<string, string | undefined>)[`reason.${reason}`] ?? reason;

function cellTitle(cell: Cell): string {
  const parts = [t(`status.${cell.status}` as TextKey), t('attempt', { n: cell.attempt })];
  if (cell.reason) parts.push(reasonText(cell.reason));
  if (cell.knownError) parts.push(cell.knownError);
  if (cell.stuck === 'slow') parts.push(t('stuckSlow', { factor: state.rules.medianFactor }));
  if (cell.stuck === 'failures') parts.push(t('stuckFailures', { n: cell.failuresInRow }));
  if (cell.stuck === 'known-error') parts.push(t('stuckKnownError', { id: cell.knownError ?? '' }));
  return parts.join(' · ');
}

function gridSection(view: ClassView): HTMLElement {
  const head = h('tr', {}, h('th', {}, t('seat')), ...view.steps.map((step) => h('th', { scope: 'col' }, step)));
  const rows = view.seats.map((seat) => {
    const row = view.cells.get(seat.id);
    return h(
      'tr',
      { 'data-seat': seat.name, 'data-left': String(seat.left), 'data-full': String(seat.full) },
      // A full seat's later steps never arrive: say so where the trainer looks for that seat.
      h('th', { scope: 'row', title: seat.full ? t('seatFull', { n: state.seatBudget.events, mib: mebibytes(state.seatBudget.bytes) }) : undefined }, seat.name, seat.full ? h('span', { class: 'seat-full' }, ` ${t('seatFullMark')}`) : undefined),
      ...view.steps.map((step) => {
        const cell = row?.get(step);
        if (!cell) return h('td', { 'data-step': step });
        const mark = cell.status === 'passed' ? '✓' : cell.status === 'failed' ? '✗' : '…';
        return h('td', { 'data-step': step, 'data-status': cell.status, 'data-stuck': cell.stuck, title: cellTitle(cell) }, cell.stuck ? `${mark}!` : mark, cell.attempt > 1 ? h('sub', {}, String(cell.attempt)) : undefined);
      }),
    );
  });
  return h('section', { class: 'grid-section' }, h('h2', {}, t('grid'), ' · ', t('seatsJoined', { n: view.seats.filter((s) => !s.left).length })), h('div', { class: 'grid-wrap' }, h('table', { class: 'grid' }, h('thead', {}, head), h('tbody', {}, ...rows))));
}

function rulesSection(): HTMLElement {
  const rules = state.rules;
  const factor = h('input', { type: 'number', min: '1', max: '100', step: '0.1', value: String(rules.medianFactor), name: 'factor' }) as HTMLInputElement;
  const failures = h('input', { type: 'number', min: '1', max: '100', step: '1', value: String(rules.failuresInRow), name: 'failures' }) as HTMLInputElement;
  const known = h('input', { type: 'checkbox', name: 'knownError' }) as HTMLInputElement;
  known.checked = rules.knownError;
  const form = h('form', { class: 'rules-form' }, h('label', {}, t('rulesFactor'), ' ', factor), h('label', {}, t('rulesFailures'), ' ', failures), h('label', {}, known, ' ', t('rulesKnownError')), h('button', { type: 'submit' }, t('rulesSave')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void fetch(CLASS_PATHS.trainerRules, authorized({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ medianFactor: Number(factor.value), failuresInRow: Number(failures.value), knownError: known.checked }) }));
  });
  return h('section', {}, h('h2', {}, t('rules')), h('p', { class: 'rules-text' }, t('rulesText', { factor: rules.medianFactor, n: rules.failuresInRow, knownError: rules.knownError ? '' : t('rulesKnownErrorOff') })), form);
}

function helpSection(view: ClassView): HTMLElement {
  const items = view.help.map((request) => h('li', { class: 'help-request', 'data-seat': seatName(request.seat) }, h('strong', {}, t('helpFrom', { seat: seatName(request.seat), step: request.step ?? '—' })), ' ', h('time', {}, new Date(request.at).toLocaleTimeString(lang)), h('pre', {}, request.lines.join('\n'))));
  return h('section', {}, h('h2', {}, t('help')), items.length ? h('ul', { class: 'help-list' }, ...items) : h('p', {}, t('noHelp')));
}

function errorsSection(view: ClassView): HTMLElement {
  const items = view.knownErrors.map((error) => h('li', { 'data-error': error.id }, h('strong', {}, error.id), ` — ${t('errorSeats', { n: error.seats })}`, errorTexts[error.id]?.fix ? h('p', {}, `${t('fix')}: ${errorTexts[error.id].fix}`) : undefined));
  return h('section', {}, h('h2', {}, t('errors')), items.length ? h('ol', { class: 'error-list' }, ...items) : h('p', {}, t('noErrors')));
}

function doctorSection(view: ClassView): HTMLElement {
  const title = (id: string) => {
    const [section, name] = id.split(':');
    return (doctorTexts[section]?.title ?? id).replace('{name}', name ?? '');
  };
  const items = view.doctor.map((check) => h('li', { 'data-check': check.id }, h('strong', {}, title(check.id)), ': ', t('doctorLine', { fail: check.fail, of: check.of, warn: check.warn })));
  return h('section', {}, h('h2', {}, t('doctor')), items.length ? h('ul', { class: 'doctor-list' }, ...items) : h('p', {}, t('noDoctor')));
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function benchSection(view: ClassView): HTMLElement {
  const variants = [...new Set([...view.bench.map((row) => row.variant)])].sort();
  const section = h('section', { class: 'bench-section' }, h('h2', {}, t('bench')), h('p', {}, t('benchIntro')));
  if (variants.length === 0) section.append(h('p', {}, t('noBench')));
  else {
    // A log scale: the room's Node runs (tens of ms) and the article's wasmedge (9 s) share one axis.
    const values = [...view.bench.map((row) => row.meanMs), ...variants.map((v) => ARTICLE_MEANS_MS[v]).filter((v) => v !== undefined)].filter((v) => v > 0);
    const low = Math.log10(Math.min(...values) / 1.5);
    const high = Math.log10(Math.max(...values) * 1.5);
    const width = 640;
    const left = 170;
    const rowHeight = 34;
    const x = (ms: number) => left + ((Math.log10(Math.max(ms, 0.01)) - low) / (high - low || 1)) * (width - left - 20);
    const chart = svg('svg', { viewBox: `0 0 ${width} ${variants.length * rowHeight + 30}`, width: '100%', role: 'img', 'aria-label': t('bench'), class: 'bench-chart' });
    variants.forEach((variant, index) => {
      const y = index * rowHeight + 20;
      const rows = view.bench.filter((row) => row.variant === variant);
      chart.append(svg('text', { x: 0, y: y + 4 }, `${variant} (${rows.length})`));
      chart.append(svg('line', { x1: left, x2: width - 20, y1: y, y2: y, stroke: '#8886' }));
      for (const row of rows) chart.append(svg('circle', { cx: x(row.meanMs), cy: y, r: 4, class: 'seat-dot' }));
      const roomMedian = median(rows.map((row) => row.meanMs));
      if (roomMedian !== undefined) chart.append(svg('text', { x: x(roomMedian), y: y - 8, 'text-anchor': 'middle' }, `${Math.round(roomMedian)}`));
      const article = ARTICLE_MEANS_MS[variant];
      if (article !== undefined) {
        chart.append(svg('line', { x1: x(article), x2: x(article), y1: y - 10, y2: y + 10, class: 'article-mark' }));
        chart.append(svg('text', { x: x(article), y: y + 22, 'text-anchor': 'middle' }, `${t('benchArticle')}: ${article}`));
      }
    });
    section.append(chart);
  }
  const download = (format: 'csv' | 'json') => {
    const button = h('button', { type: 'button', class: `download-${format}` }, t(format === 'csv' ? 'downloadCsv' : 'downloadJson'));
    button.addEventListener('click', async () => {
      const response = await fetch(`${CLASS_PATHS.trainerExport}?format=${format}`, authorized());
      const link = h('a', { href: URL.createObjectURL(await response.blob()), download: `class-benchmark.${format}` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.getAttribute('href')!), 10_000);
    });
    return button;
  };
  section.append(h('p', {}, download('csv'), ' ', download('json')));
  return section;
}

function broadcastSection(): HTMLElement {
  const input = h('input', { type: 'text', name: 'broadcast', maxlength: '500' }) as HTMLInputElement;
  const send = (text: string) => void fetch(CLASS_PATHS.trainerBroadcast, authorized({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) }));
  const form = h('form', { class: 'broadcast-form' }, input, h('button', { type: 'submit' }, t('broadcastSend')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(input.value);
    input.value = '';
  });
  const clear = h('button', { type: 'button', class: 'broadcast-clear' }, t('broadcastClear'));
  clear.addEventListener('click', () => send(''));
  return h('section', {}, h('h2', {}, t('broadcast')), form, state.broadcast ? h('p', { class: 'broadcast-now' }, t('broadcastCurrent', { text: state.broadcast.text }), ' ', clear) : undefined);
}

function signOutButton(): HTMLElement {
  const button = h('button', { type: 'button', class: 'sign-out' }, t('signOut'));
  button.addEventListener('click', () => void signOut());
  return button;
}

let rendered = false;
function render(): void {
  if (stopped) return;
  const view = state.classState.view(state.seats, state.rules, knownSteps, Date.now());
  const root = document.getElementById('dashboard')!;
  const otherLang = lang === 'de' ? 'en' : 'de';
  // Keep what the trainer is typing: the forms are drawn once, the rest on every change.
  if (!rendered) {
    rendered = true;
    root.replaceChildren(
      h('header', {}, h('h1', {}, `${t('title')}: ${state.className}`), h('span', { class: 'connection', 'data-state': state.connection, role: 'status' }, t('live')), h('a', { href: `?lang=${otherLang}`, hreflang: otherLang }, t('language')), signOutButton()),
      h('p', { id: 'sign-out-failed', class: 'sign-out-failed', role: 'alert', hidden: '' }, t('signOutFailed')),
      // Drawn once and only shown or hidden, so that a screen reader announces it once.
      h('p', { id: 'storage', class: 'storage-full', role: 'alert', hidden: '' }),
      h('div', { id: 'live' }),
      h('div', { id: 'controls', class: 'columns' }),
    );
  }
  // The class stores nothing more from anyone: the trainer must act, and here is how.
  const storage = document.getElementById('storage')!;
  storage.hidden = !state.storage.full;
  const storageText = state.storage.full ? t('classStorageFull', { mib: mebibytes(state.storage.budgetBytes) }) : '';
  if (storage.textContent !== storageText) storage.textContent = storageText;
  document.getElementById('live')!.replaceChildren(gridSection(view), h('div', { class: 'columns' }, helpSection(view), errorsSection(view), doctorSection(view)), benchSection(view));
  const controls = document.getElementById('controls')!;
  if (!controls.contains(document.activeElement)) controls.replaceChildren(broadcastSection(), rulesSection());
  setConnection(state.connection);
}

void (async () => {
  const found = await credential();
  if (!found) {
    if (!document.querySelector('.problem')) showProblem(t(sessionStorage.getItem(SIGNED_OUT_KEY) ? 'signedOutByYou' : 'noCredential'));
    return;
  }
  token = found;
  // The "slow" rule depends on the clock, not only on events.
  slowRuleTimer = window.setInterval(() => scheduleRender(), 5000);
  await follow();
})();
