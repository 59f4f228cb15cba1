// GET /api/doctor?lang=de|en for the Preflight panel: the same JSON as `npm run doctor
// -- --json`. Token protection, Host and Origin checks come from the runner's /api router.
import type { Log } from '../app/log.ts';
import type { ApiRoute } from '../http/route-contract.ts';
import { runDoctor } from './doctor.ts';
import { LANGS, type DoctorReport, type Lang } from './types.ts';

// A second click while a run is under way joins it instead of starting more docker processes.
const inFlight = new Map<Lang, Promise<DoctorReport>>();

function runOnce(lang: Lang): Promise<DoctorReport> {
  let run = inFlight.get(lang);
  if (!run) {
    run = runDoctor({ lang }).finally(() => inFlight.delete(lang));
    inFlight.set(lang, run);
  }
  return run;
}

export function doctorRoutes({ log }: { log: Log }): ApiRoute {
  return (router) => router.get('/doctor', async (req, res) => {
    const lang = typeof req.query.lang === 'string' ? req.query.lang : 'en';
    if (!LANGS.includes(lang as Lang)) {
      res.status(400).json({ error: 'bad-lang', message: 'lang must be de or en / lang muss de oder en sein' });
      return;
    }
    try {
      res.json(await runOnce(lang as Lang));
    } catch (error) {
      log('error', 'doctor-failed', { error: error instanceof Error ? error.message : String(error) });
      res.status(500).json({ error: 'doctor-failed', message: error instanceof Error ? error.message : String(error) });
    }
  });
}
