// The URL of `npm start -- --join <url>`: http(s)://HOST:PORT/join/CODE, as `npm run class`
// prints it. Pure, so it is unit tested.
import { classCodeSchema } from '../../contracts/class-api.ts';

export interface JoinTarget {
  /** The class server's origin, e.g. http://192.168.1.20:4400 */
  origin: string;
  code: string;
}

export function parseJoinUrl(text: string): JoinTarget | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  const match = /^\/join\/([^/]+)\/?$/.exec(url.pathname);
  // People type the code from a projector: accept lower case and a missing dash.
  const raw = match?.[1].toUpperCase().replace(/^([A-Z0-9]{4})([A-Z0-9]{4})$/, '$1-$2');
  if (!raw || !classCodeSchema.safeParse(raw).success) return undefined;
  return { origin: url.origin, code: raw };
}
