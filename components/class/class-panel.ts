// The class box, once the runner reports a class: polls the runner's /api/class for the
// connection and the trainer's broadcast, and sends "Ask for help" and "Leave" to it.
// The page never talks to the class server itself; the runner does.
import { RUNNER_CLASS_HELP_PATH, RUNNER_CLASS_LEAVE_PATH, RUNNER_CLASS_PATH } from '../../contracts/class-paths.ts';
import { runnerFetch } from '../runner/runner-api.ts';

const POLL_MS = 1_500;

export function showClassPanel(panel: HTMLElement): void {
  const labels = JSON.parse(panel.dataset.labels ?? '{}') as Record<string, string>;
  const fill = (key: string, values: Record<string, string | number> = {}) =>
    (labels[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
  const $ = <T extends HTMLElement>(selector: string) => panel.querySelector<T>(selector)!;
  let timer: number | undefined;
  let stopped = false;

  const update = async () => {
    const { runnerClassStateSchema } = await import('../../contracts/class-api.ts');
    const response = await runnerFetch(RUNNER_CLASS_PATH).catch(() => undefined);
    const parsed = runnerClassStateSchema.safeParse(await response?.json().catch(() => undefined));
    if (!parsed.success) return;
    const state = parsed.data;
    if (!state.joined) {
      stop(fill('left'));
      return;
    }
    panel.hidden = false;
    panel.dataset.connection = state.connection;
    $('.class-title').textContent = fill(state.connection === 'connected' ? 'connected' : 'connecting', { name: state.className || state.classOrigin, seat: state.seatName });
    $('.class-connection').textContent =
      state.connection === 'offline' ? fill('offline', { n: state.pending })
      : state.classStorageFull ? fill('classStorageFull')
      : state.seatFull ? fill('seatFull')
      : state.pending > 0 ? fill('pending', { n: state.pending })
      : '';
    const broadcast = $('.class-broadcast');
    broadcast.hidden = !state.broadcast;
    $('.class-broadcast-text').textContent = state.broadcast?.text ?? '';
    const help = $<HTMLButtonElement>('.class-help');
    help.textContent = state.lastStep ? fill('helpAbout', { step: state.lastStep }) : fill('helpNoStep');
    help.disabled = !state.lastStep;
    help.dataset.step = state.lastStep ?? '';
  };

  const loop = () => {
    if (stopped) return;
    void update().finally(() => {
      if (!stopped) timer = window.setTimeout(loop, POLL_MS);
    });
  };

  function stop(message: string) {
    stopped = true;
    clearTimeout(timer);
    $('.class-title').textContent = message;
    $('.class-actions').hidden = true;
    panel.dataset.connection = 'left';
  }

  $('.class-help').addEventListener('click', async () => {
    const response = await runnerFetch(RUNNER_CLASS_HELP_PATH, { method: 'POST' }).catch(() => undefined);
    const answer = response?.ok ? ((await response.json()) as { step: string | null; lines: number }) : undefined;
    $('.class-result').textContent = answer ? fill('helpSent', { n: answer.lines, step: answer.step ?? '' }) : fill('helpFailed');
  });
  $('.class-leave').addEventListener('click', async () => {
    await runnerFetch(RUNNER_CLASS_LEAVE_PATH, { method: 'POST' }).catch(() => undefined);
    stop(fill('left'));
  });
  loop();
}
