// The page's view of the class, behind the runner's own credential and guards:
//   GET  /api/class        joined or not, under which name, connection, broadcast (RunnerClassState)
//   POST /api/class/leave  leaves the class now
//   POST /api/class/help   "Ask for help": shares the last step's output lines with the trainer
// Without --join only GET answers, with {"joined": false}.
import type { RunnerClassState } from '../../contracts/class-api.ts';
import type { ApiRoute } from '../http/route-contract.ts';
import type { ClassLink } from './class-link.ts';
import type { StepObserver } from './step-observer.ts';

export function classRoutes(options: { link?: ClassLink; observer?: StepObserver }): ApiRoute {
  return (router) => {
    router.get('/class', (_req, res) => {
      res.set('cache-control', 'no-store').json(options.link?.state() ?? ({ joined: false } satisfies RunnerClassState));
    });
    router.post('/class/leave', async (_req, res) => {
      await options.link?.leave();
      res.json({ joined: false } satisfies RunnerClassState);
    });
    router.post('/class/help', (_req, res) => {
      const { link, observer } = options;
      if (!link || !observer || !link.state().joined) {
        res.status(409).json({ error: 'not-in-class' });
        return;
      }
      const lines = observer.helpLines();
      link.record({ kind: 'help', ...(link.lastStep ? { step: link.lastStep } : {}), lines });
      res.json({ step: link.lastStep, lines: lines.length });
    });
  };
}
