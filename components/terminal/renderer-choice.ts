// Which renderer draws the terminal: pure decisions, so that they can be tested without a GPU
// (tests/terminal/renderer-choice.unit.test.ts). The effects live in webgl-renderer.ts.
//
// WebGL is faster than the DOM renderer only on a real GPU. With software GL (SwiftShader,
// Chromium's fallback; llvmpipe/softpipe, Mesa's) it is 5 to 8 times slower than the DOM on
// the 2-core machines this was measured on (issue 11), so it is used only with hardware GL.

export type RendererKind = 'webgl' | 'dom';

/** Renderer strings of software rasterisers (WebGL's UNMASKED_RENDERER or RENDERER). */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

/** What the page learned about WebGL: nothing (no context at all) or its renderer string. */
export interface GlProbe {
  /** False when no WebGL2 context could be created (disabled, blocked, unsupported). */
  available: boolean;
  /** The unmasked renderer string when the browser tells it, else the plain one. */
  renderer: string;
}

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_GL.test(renderer);
}

/**
 * WebGL on hardware GL; the DOM renderer otherwise (also when the renderer is unknown).
 * `contextLost`: a WebGL context of this page was lost before. Then the DOM renderer for the
 * rest of the page: a context lost once (driver reset, GPU process crash, too many contexts)
 * tends to be lost again, and each loss blanks the terminal for a moment.
 */
export function chooseRenderer(probe: GlProbe, contextLost = false): RendererKind {
  if (contextLost || !probe.available || probe.renderer.trim() === '') return 'dom';
  return isSoftwareRenderer(probe.renderer) ? 'dom' : 'webgl';
}
