// Takes docs/screenshot.png for the README: the real runner and build, the English
// build chapter, with the first step run in the embedded terminal.
// Usage: npm run build && npx tsx scripts/readme-screenshot.ts
import { join } from 'node:path';
import { launchBrowser } from '../tests/helpers/browser.ts';
import { repoRoot } from '../tests/helpers/dist.ts';
import { newStepsContext, openThroughRunner, startStepsRunner, stepLocator } from '../tests/browser/steps-harness.ts';

const runner = await startStepsRunner();
const browser = await launchBrowser();
try {
  const context = await newStepsContext(browser, { locale: 'en-US' });
  await context.addInitScript(() => localStorage.setItem('workshop.terminal.height', '240'));
  const { page } = await openThroughRunner(context, runner, '/en/build/');
  const step = stepLocator(page, 'hello-node-wasi');
  await step.scrollIntoViewIfNeeded();
  await step.getByRole('button', { name: 'Run' }).click();
  await page.waitForSelector('workshop-step[data-step-id="hello-node-wasi"][data-status="passed"]', { timeout: 30_000 });
  await step.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(repoRoot, 'docs/screenshot.png') });
  console.log('wrote docs/screenshot.png');
} finally {
  await browser.close();
  await runner.dispose();
}
