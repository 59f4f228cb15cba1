// <wasm-in-browser>: a button that fetches a .wasm file served by the site, runs it with
// the WASI shim and shows its output and timing. Labels come from data-* attributes.
import { runWasiModule } from './run-wasi.ts';

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);

class WasmInBrowser extends HTMLElement {
  private module?: Promise<WebAssembly.Module>;

  connectedCallback(): void {
    const button = this.querySelector<HTMLButtonElement>('button[data-run]');
    button?.addEventListener('click', () => void this.run(button));
  }

  private async run(button: HTMLButtonElement): Promise<void> {
    const output = this.querySelector<HTMLElement>('[data-output]')!;
    const status = this.querySelector<HTMLElement>('[data-status-text]')!;
    const labels = this.dataset;
    button.disabled = true;
    this.dataset.state = 'running';
    status.textContent = labels.labelRunning ?? '';
    output.hidden = true;
    // Let the browser paint the running state: fibonacci keeps the main thread busy.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    try {
      const compileStart = performance.now();
      // compile(arrayBuffer) instead of compileStreaming: a static host that serves .wasm
      // without the application/wasm type would make compileStreaming fail.
      this.module ??= fetch(labels.src!).then(async (response) => {
        if (!response.ok) throw new Error(`${response.status} ${response.statusText} (${labels.src})`);
        return WebAssembly.compile(await response.arrayBuffer());
      });
      const module = await this.module;
      const compileMs = performance.now() - compileStart;
      const result = await runWasiModule(module, [labels.program ?? 'program.wasm']);
      output.textContent = result.stdout + result.stderr;
      output.hidden = false;
      status.textContent = fill(labels.labelDone ?? '', {
        ms: result.runMs.toFixed(1),
        compileMs: compileMs.toFixed(1),
        code: String(result.exitCode),
      });
      this.dataset.state = result.exitCode === 0 ? 'done' : 'failed';
    } catch (error) {
      this.module = undefined;
      status.textContent = fill(labels.labelError ?? '', { error: error instanceof Error ? error.message : String(error) });
      this.dataset.state = 'failed';
    } finally {
      button.disabled = false;
      button.textContent = labels.labelAgain ?? button.textContent;
    }
  }
}

if (!customElements.get('wasm-in-browser')) customElements.define('wasm-in-browser', WasmInBrowser);
