// Renders a real .astro component in Node, the way the build does: Vite with the
// project's own Astro config compiles it, Astro's container API renders it. Lets a
// test prove that a component refuses bad props (the build then fails), instead of
// testing a copy of its rules.
import { getViteConfig } from 'astro/config';
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { createServer, type ViteDevServer } from 'vite';

export interface AstroRenderer {
  /** Renders the component at `path` (from the repository root, e.g. "/components/X.astro"). */
  render(path: string, options: { props?: Record<string, unknown>; slot?: string; locale?: string }): Promise<string>;
  close(): Promise<void>;
}

/** Locale texts as Starlight hands them to components: t(key) and t.all(). */
function fakeT(dictionary: Record<string, string>) {
  const t = (key: string) => dictionary[key] ?? key;
  t.all = () => dictionary;
  return t;
}

export async function astroRenderer(dictionary: Record<string, string> = {}): Promise<AstroRenderer> {
  const configFor = getViteConfig(
    { server: { middlewareMode: true, hmr: false, watch: null }, appType: 'custom', logLevel: 'silent' },
    { logLevel: 'silent' },
  ) as unknown as (env: { mode: string; command: 'serve' }) => Promise<Record<string, unknown>>;
  const server: ViteDevServer = await createServer({ ...(await configFor({ mode: 'test', command: 'serve' })), configFile: false });
  const container = await AstroContainer.create();
  return {
    async render(path, { props = {}, slot, locale = 'en' }) {
      const mod = (await server.ssrLoadModule(path)) as { default: Parameters<typeof container.renderToString>[0] };
      return container.renderToString(mod.default, {
        props,
        locals: { t: fakeT(dictionary) } as never,
        slots: slot === undefined ? undefined : { default: slot },
        partial: true,
        request: new Request(`http://127.0.0.1/${locale}/`),
      });
    },
    close: () => server.close(),
  };
}
