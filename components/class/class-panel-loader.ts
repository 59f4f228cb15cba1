// Ships with every page, so it stays tiny: once a runner is available, asks it whether
// it is in a class (GET /api/class) and only then loads the class box's script.
import { RUNNER_CLASS_PATH } from '../../contracts/class-paths.ts';
import { runnerFetch } from '../runner/runner-api.ts';
import { onRunnerState } from '../runner/runner-link.ts';

let asked = false;
onRunnerState((state) => {
  if (asked || (state !== 'available' && state !== 'connected')) return;
  asked = true;
  void runnerFetch(RUNNER_CLASS_PATH)
    .then((response) => (response.ok ? response.json() : undefined))
    .then(async (answer: { joined?: boolean } | undefined) => {
      if (!answer?.joined) return;
      const panel = document.querySelector<HTMLElement>('workshop-class-panel');
      if (panel) (await import('./class-panel.ts')).showClassPanel(panel);
    })
    .catch(() => {});
});
