// Uses the reader's GPU when there is one: loads @xterm/addon-webgl (with import(), only
// then) on hardware WebGL, keeps xterm.js's DOM renderer on software GL, and goes back to
// the DOM renderer when the WebGL context is lost. The decision: renderer-choice.ts.
import type { Terminal } from '@xterm/xterm';
import { chooseRenderer, type GlProbe, type RendererKind } from './renderer-choice.ts';

/** Set once a context was lost in this page: the DOM renderer from then on. */
let contextLost = false;

/** Asks a throwaway WebGL2 context which renderer it runs on, and releases it. */
export function probeGl(): GlProbe {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return { available: false, renderer: '' };
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { available: true, renderer };
  } catch {
    return { available: false, renderer: '' };
  }
}

/**
 * Picks the renderer for `terminal` and records it on `mount` (data-renderer), so that it
 * can be seen and tested, and tells `onChange` (the cursor blinks differently on each).
 * Returns a function that unloads the addon, if one was loaded.
 */
export async function useBestRenderer(terminal: Terminal, mount: HTMLElement, onChange: (kind: RendererKind) => void = () => {}): Promise<() => void> {
  const probe = probeGl();
  mount.dataset.glRenderer = probe.renderer;
  const show = (kind: RendererKind) => {
    mount.dataset.renderer = kind;
    onChange(kind);
  };
  if (chooseRenderer(probe, contextLost) === 'dom') {
    show('dom');
    return () => {};
  }
  try {
    const { WebglAddon } = await import('@xterm/addon-webgl');
    const addon = new WebglAddon();
    addon.onContextLoss(() => {
      contextLost = true;
      // Disposing the addon hands drawing back to the DOM renderer.
      addon.dispose();
      show(chooseRenderer(probe, contextLost));
    });
    terminal.loadAddon(addon);
    show('webgl');
    return () => addon.dispose();
  } catch {
    // No WebGL after all (blocked, out of contexts): the DOM renderer draws.
    show('dom');
    return () => {};
  }
}
