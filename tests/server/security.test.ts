// The runner refuses everything that is not the reader's own page: no credential, a
// wrong one, a cookie (never accepted), a foreign Origin (including another localhost
// port), a foreign Host; and the launch link works exactly once.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import type { ApiRoute } from '../../server/http/route-contract.ts';
import { CLOSE_CODES, MAX_CLIENT_MESSAGE_BYTES, TERMINAL_PATH } from '../../contracts/terminal-protocol.ts';
import { startTestRunner, TerminalClient, type TestRunner } from './runner-harness.ts';

const logLines: string[] = [];
const testRoute: ApiRoute = (router) => {
  router.get('/test-secret', (_req, res) => {
    res.json({ secret: 'only with the token' });
  });
};

let runner: TestRunner;
before(async () => {
  runner = await startTestRunner({
    extraRoutes: [testRoute],
    log: (level, event, fields) => logLines.push(JSON.stringify({ level, event, ...fields })),
  });
});
after(() => runner.dispose());

/** Status of a refused upgrade, or 101 when the socket opened. */
function upgradeStatus(path: string, headers: Record<string, string> = {}, protocols: string[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${runner.port}${path}`, protocols, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (error) => {
      if (!/Unexpected server response/.test(String(error))) reject(error);
    });
  });
}

function httpGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: runner.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const own = () => `http://127.0.0.1:${runner.port}`;
const bearer = () => ({ Authorization: `Bearer ${runner.token}` });

function httpPost(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: runner.port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The one-time code of a fresh launch link. */
const launchCode = () => new URLSearchParams(new URL(runner.url).hash.slice(1)).get('launch')!;

test('the terminal socket needs a credential, as a header or the bearer subprotocol; never a cookie or the URL', async () => {
  assert.equal(await upgradeStatus(TERMINAL_PATH), 401);
  assert.equal(await upgradeStatus(TERMINAL_PATH, { Authorization: 'Bearer wrong' }), 401);
  assert.equal(await upgradeStatus(TERMINAL_PATH, { Authorization: `Bearer ${runner.token}x` }), 401);
  // The old ways in: a token in the query or in a cookie opens nothing any more.
  assert.equal(await upgradeStatus(`${TERMINAL_PATH}?token=${runner.token}`), 401);
  assert.equal(await upgradeStatus(TERMINAL_PATH, { Cookie: `workshop-token-${runner.port}=${runner.token}` }), 401);
  assert.equal(await upgradeStatus(TERMINAL_PATH, bearer()), 101);
  assert.equal(await upgradeStatus(TERMINAL_PATH, {}, ['workshop.v1', `bearer.${runner.token}`]), 101);
  assert.equal(await upgradeStatus(TERMINAL_PATH, {}, ['workshop.v1', 'bearer.wrong']), 401);
  assert.equal(await upgradeStatus('/api/other', bearer()), 404);
});

test('the socket answers the page with our subprotocol, never with the credential', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${runner.port}${TERMINAL_PATH}`, ['workshop.v1', `bearer.${runner.token}`]);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  assert.equal(ws.protocol, 'workshop.v1');
  ws.close();
});

test('the launch code works once and gives a credential of its own', async () => {
  const code = launchCode();
  const first = await httpPost('/api/auth/exchange', JSON.stringify({ code }), { Origin: own() });
  assert.equal(first.status, 200);
  const { credential } = JSON.parse(first.body) as { credential: string };
  assert.notEqual(credential, runner.token);
  assert.equal(await upgradeStatus(TERMINAL_PATH, { Authorization: `Bearer ${credential}` }), 101);
  assert.deepEqual(JSON.parse((await httpGet('/api/auth', { Authorization: `Bearer ${credential}` })).body), { authenticated: true });
  // A link left in the history or a screenshot opens nothing.
  const again = await httpPost('/api/auth/exchange', JSON.stringify({ code }), { Origin: own() });
  assert.equal(again.status, 403);
  assert.equal(JSON.parse(again.body).error, 'launch-code-used');
  // Another page (another port) may not trade a code, and a bad body is refused clearly.
  assert.equal((await httpPost('/api/auth/exchange', JSON.stringify({ code: launchCode() }), { Origin: `http://127.0.0.1:${runner.port + 1}` })).status, 403);
  assert.equal((await httpPost('/api/auth/exchange', '{"code": 5}')).status, 400);
  assert.equal((await httpPost('/api/auth/exchange', 'not json')).status, 400);
});

test('a fresh launch link only for the runner token (npm run open), never for a browser credential', async () => {
  const exchanged = await httpPost('/api/auth/exchange', JSON.stringify({ code: launchCode() }));
  assert.equal(exchanged.status, 200, exchanged.body);
  const { credential } = JSON.parse(exchanged.body) as { credential: string };
  assert.equal((await httpPost('/api/auth/launch', '', { Authorization: `Bearer ${credential}` })).status, 403);
  assert.equal((await httpPost('/api/auth/launch', '')).status, 401);
  const fresh = await httpPost('/api/auth/launch', '', bearer());
  assert.equal(fresh.status, 200);
  assert.match(JSON.parse(fresh.body).url, new RegExp(`^http://127\\.0\\.0\\.1:${runner.port}/#launch=[\\w-]{22}$`));
});

test('a foreign Origin is refused, even another localhost port', async () => {
  const path = TERMINAL_PATH;
  assert.equal(await upgradeStatus(path, { ...bearer(), Origin: 'http://evil.example' }), 403);
  assert.equal(await upgradeStatus(path, { ...bearer(), Origin: `http://127.0.0.1:${runner.port + 1}` }), 403);
  assert.equal(await upgradeStatus(path, { ...bearer(), Origin: `http://localhost:${runner.port + 1}` }), 403);
  assert.equal(await upgradeStatus(path, { ...bearer(), Origin: `https://127.0.0.1:${runner.port}` }), 403);
  assert.equal(await upgradeStatus(path, { ...bearer(), Origin: 'null' }), 403);
  // localhost is one of our names, but the Origin must name the host the request went to.
  assert.equal(await upgradeStatus(path, { ...bearer(), Origin: `http://localhost:${runner.port}` }), 403);
  assert.equal(await upgradeStatus(path, { ...bearer(), Origin: own() }), 101);
  assert.equal(await upgradeStatus(path, { ...bearer(), Origin: `http://localhost:${runner.port}`, Host: `localhost:${runner.port}` }), 101);
});

test('a foreign Host header is refused (DNS rebinding)', async () => {
  const path = TERMINAL_PATH;
  assert.equal(await upgradeStatus(path, { ...bearer(), Host: `evil.example:${runner.port}` }), 403);
  assert.equal(await upgradeStatus(path, { ...bearer(), Host: `127.0.0.1:${runner.port + 1}` }), 403);
  assert.equal(await upgradeStatus(path, { ...bearer(), Host: 'evil.example', Origin: 'http://evil.example' }), 403);
  assert.equal((await httpGet('/api/health', { Host: `evil.example:${runner.port}` })).status, 403);
  assert.equal((await httpGet('/en/', { Host: `rebound.example:${runner.port}` })).status, 403);
  assert.equal((await httpGet('/api/health')).status, 200);
});

test('the listening socket is on loopback only', async (t) => {
  const hexPort = runner.port.toString(16).toUpperCase().padStart(4, '0');
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8') + readFileSync('/proc/net/tcp6', 'utf8');
  } catch {
    t.skip('no /proc/net/tcp on this system');
    return;
  }
  const listening = table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A')
    .map((fields) => fields[1].split(':')[0]);
  assert.deepEqual(listening, ['0100007F'], 'only 127.0.0.1 listens on the port');

  // And from a non-loopback address of this machine, nothing answers.
  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal);
  if (external) {
    const refused = await new Promise<boolean>((resolve) => {
      const req = request({ host: external.address, port: runner.port, path: '/api/health', timeout: 2000 }, () => resolve(false));
      req.on('error', () => resolve(true));
      req.on('timeout', () => {
        req.destroy();
        resolve(true);
      });
      req.end();
    });
    assert.equal(refused, true, `nothing answers on ${external.address}`);
  }
});

test('no response sets a cookie, and an old ?token= link is just a page', async () => {
  const old = await httpGet(`/?token=${runner.token}`, { 'Accept-Language': 'en' });
  assert.equal(old.status, 302);
  assert.equal(old.headers.location, '/en/');
  for (const path of ['/', '/en/', '/api/health', `/de/build/?token=${runner.token}`]) {
    assert.equal((await httpGet(path)).headers['set-cookie'], undefined, path);
  }
});

test('the root redirects by Accept-Language, German by default', async () => {
  assert.equal((await httpGet('/')).headers.location, '/de/');
  assert.equal((await httpGet('/', { 'Accept-Language': 'en' })).headers.location, '/en/');
  assert.equal((await httpGet('/', { 'Accept-Language': 'fr, en;q=0.8, de;q=0.9' })).headers.location, '/de/');
  assert.equal((await httpGet('/', { 'Accept-Language': 'fr' })).headers.location, '/de/');
});

test('health answers without a token; added /api routes need it and our Origin', async () => {
  const health = await httpGet('/api/health');
  assert.equal(health.status, 200);
  assert.equal(JSON.parse(health.body).ok, true);
  assert.equal((await httpGet('/api/test-secret')).status, 401);
  assert.equal((await httpGet('/api/test-secret', { Authorization: 'Bearer x' })).status, 401);
  assert.equal((await httpGet('/api/test-secret', { Cookie: `workshop-token-${runner.port}=${runner.token}` })).status, 401);
  assert.equal((await httpGet('/api/test-secret', { ...bearer(), Origin: `http://127.0.0.1:${runner.port + 1}` })).status, 403);
  const allowed = await httpGet('/api/test-secret', { ...bearer(), Origin: own() });
  assert.equal(allowed.status, 200);
  assert.equal(JSON.parse(allowed.body).secret, 'only with the token');
  assert.deepEqual(JSON.parse((await httpGet('/api/auth', bearer())).body), { authenticated: true });
  assert.equal((await httpGet('/api/auth')).status, 401);
});

test('every page has a CSP without unsafe-inline scripts', async () => {
  for (const path of ['/en/', '/de/why/', '/api/health', '/no-such-page', '/']) {
    const response = await httpGet(path);
    const csp = String(response.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/, path);
    assert.doesNotMatch(csp.split(';').find((d) => d.includes('script-src')) ?? '', /'unsafe-inline'|'unsafe-eval'/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
  }
});

test('oversized messages close the socket with 1009', async () => {
  const client = await TerminalClient.connect(runner);
  client.ws.send('x'.repeat(MAX_CLIENT_MESSAGE_BYTES + 1));
  assert.equal(await client.closed, CLOSE_CODES.messageTooBig);
});

test('the token never appears in the logs', () => {
  assert.ok(logLines.length > 0, 'something was logged');
  assert.ok(!logLines.some((line) => line.includes(runner.token)));
});

test('failed token checks are rate-limited', async () => {
  const limited = await startTestRunner();
  try {
    const status = (token: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${limited.port}${TERMINAL_PATH}`, { headers: { Authorization: `Bearer ${token}` } });
        ws.once('open', () => {
          ws.close();
          resolve(101);
        });
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('error', () => {});
      });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push(await status(`guess-${i}`));
    assert.equal(statuses[0], 401);
    assert.equal(statuses.at(-1), 429);
    // The right credential still passes: a stale one retrying must not lock the reader out.
    assert.equal(await status(limited.token), 101);
    assert.equal(await status('guess-again'), 429);
  } finally {
    await limited.dispose();
  }
});

test('past the maximum number of sessions a clear error and close code 1013', async () => {
  const small = await startTestRunner({ maxSessions: 2 });
  try {
    const a = await TerminalClient.connect(small);
    const b = await TerminalClient.connect(small);
    const c = new TerminalClient(new WebSocket(`ws://127.0.0.1:${small.port}${TERMINAL_PATH}`, { headers: { Authorization: `Bearer ${small.token}` } }));
    assert.equal(await c.closed, CLOSE_CODES.tooManySessions);
    assert.ok(c.messages.some((m) => m.type === 'error' && m.code === 'too-many-sessions' && /maximum/.test(m.message)));
    await a.close();
    await b.close();
  } finally {
    await small.dispose();
  }
});

test('--host 0.0.0.0: reachable under this machine’s addresses, still refusing foreign Host names and no token', async (t) => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal);
  if (!external) {
    t.skip('no non-loopback IPv4 address on this machine');
    return;
  }
  const wide = await startTestRunner({ host: '0.0.0.0' });
  try {
    const get = (host: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: external.address, port: wide.port, path: '/api/auth', headers: { Host: host, ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal(await get(`${external.address}:${wide.port}`), 401, 'reachable, but the token is still needed');
    assert.equal(await get(`${external.address}:${wide.port}`, { Authorization: `Bearer ${wide.token}` }), 200);
    assert.equal(await get(`evil.example:${wide.port}`, { Authorization: `Bearer ${wide.token}` }), 403);
  } finally {
    await wide.dispose();
  }
});
