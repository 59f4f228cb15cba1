// Which shell the steps are shown for: bash (macOS, Linux, WSL, Git Bash) or PowerShell.
// The reader's choice is kept in localStorage, like the progress, so it holds on every
// page and in both languages. Without a choice it follows the runner's shell once a
// terminal has reported it (the hello message), else the platform: PowerShell on Windows.
// The choice is the attribute data-shell on <html>; the CSS in ShellCode.astro shows the
// matching code block. The control is ShellSwitch.astro. Ships with every page: keep it small.

export type ShellChoice = 'bash' | 'powershell';

/** localStorage key of the reader's own choice. */
export const SHELL_KEY = 'workshop.shell';
/** localStorage key of the shell the runner last reported (bash, zsh or powershell). */
export const RUNNER_SHELL_KEY = 'workshop.shell.runner';

const listeners = new Set<(shell: ShellChoice) => void>();

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage blocked: fall back to the default
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage blocked: the choice holds for this page only
  }
}

/** The shell a reader who has not chosen gets: the runner's, else the platform's. */
export function defaultShell(runnerShell: string | null, platform: string): ShellChoice {
  if (runnerShell) return runnerShell === 'powershell' ? 'powershell' : 'bash';
  return /^win/i.test(platform) ? 'powershell' : 'bash';
}

function platform(): string {
  const data = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData;
  return data?.platform || navigator.platform || '';
}

export function currentShell(): ShellChoice {
  const chosen = stored(SHELL_KEY);
  if (chosen === 'bash' || chosen === 'powershell') return chosen;
  return defaultShell(stored(RUNNER_SHELL_KEY), platform());
}

/** Shows the steps for the current shell and tells the listeners. */
export function applyShell(): ShellChoice {
  const shell = currentShell();
  document.documentElement.dataset.shell = shell;
  for (const listener of listeners) listener(shell);
  return shell;
}

/** The reader's own choice; it wins over every default. */
export function chooseShell(shell: ShellChoice): void {
  store(SHELL_KEY, shell);
  applyShell();
}

/** The runner's shell, from the terminal's hello message: the default from now on. */
export function reportRunnerShell(kind: string): void {
  store(RUNNER_SHELL_KEY, kind);
  applyShell();
}

export function onShellChange(listener: (shell: ShellChoice) => void): void {
  listeners.add(listener);
}
