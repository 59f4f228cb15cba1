// A second, adversarial pass over the runner (issue 3, item 6): every way another page,
// another process or a sloppy client might reach a shell, each tried for real on loopback.
// security.test.ts covers the basics; this file covers the variants around them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import type { ApiRoute } from '../../server/http/route-contract.ts';
import { FailureLimiter } from '../../server/security/token.ts';
import { workspaceRootOf } from '../../server/workspace/private-root.ts';
import { CLOSE_CODES, MAX_CLIENT_MESSAGE_BYTES, TERMINAL_PATH } from '../../contracts/terminal-protocol.ts';
import { startTestRunner, TerminalClient, type TestRunner } from './runner-harness.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 request written by hand, so Host, Origin and the path go out exactly as given. */
function rawRequest(port: number, head: string, body = '', host = '127.0.0.1'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [headText, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = headText.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(`${head.replace(/\n/g, '\r\n')}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}

/** Status of an upgrade to the terminal socket, or 101 when it opened. */
function upgradeStatus(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.once('error', (error) => {
      if (!/Unexpected server response/.test(String(error))) reject(error);
    });
  });
}

// A token-protected GET with a visible side effect, like /api/doctor (which starts docker).
let sideEffects = 0;
const countingRoute: ApiRoute = (router) => {
  router.get('/side-effect', (_req, res) => {
    sideEffects++;
    res.json({ ran: true });
  });
};

let runner: TestRunner;
const logLines: string[] = [];
before(async () => {
  runner = await startTestRunner({
    extraRoutes: [countingRoute],
    log: (level, event, fields) => logLines.push(JSON.stringify({ level, event, ...fields })),
  });
});
after(() => runner.dispose());

/** A non-browser client's credential header value (docs/protocol.md). */
const authOf = (r: TestRunner) => `Bearer ${r.token}`;

test('Host: only our names with our port; missing, rebinding, trailing-dot and other IPv6 spellings are refused', async () => {
  const p = runner.port;
  const get = (hostLine: string) => rawRequest(p, `GET /api/health HTTP/1.1${hostLine ? `\n${hostLine}` : ''}`);
  for (const good of [`Host: 127.0.0.1:${p}`, `Host: localhost:${p}`, `Host: [::1]:${p}`, `Host: LOCALHOST:${p}`]) {
    assert.equal((await get(good)).status, 200, good);
  }
  for (const bad of [
    `Host: attacker.example:${p}`,
    `Host: localhost.:${p}`,
    `Host: 127.0.0.1`,
    `Host: 127.0.0.1:${p + 1}`,
    `Host: [0:0:0:0:0:0:0:1]:${p}`,
    `Host: [::ffff:127.0.0.1]:${p}`,
    `Host: 127.1:${p}`,
    `Host: 2130706433:${p}`,
    `Host: localhost:${p}@attacker.example`,
  ]) {
    const response = await get(bad);
    assert.equal(response.status, 403, bad);
    // The refusal carries the security headers too.
    assert.equal(response.headers['x-content-type-options'], 'nosniff', bad);
  }
  // HTTP/1.0 may omit Host altogether; that is not us either.
  assert.equal((await rawRequest(p, 'GET /api/health HTTP/1.0')).status, 403);
  // The same on the WebSocket, with a valid token.
  for (const host of [`attacker.example:${p}`, `localhost.:${p}`, `[0:0:0:0:0:0:0:1]:${p}`, 'localhost']) {
    assert.equal(await upgradeStatus(p, TERMINAL_PATH, { Host: host, Authorization: authOf(runner) }), 403, host);
  }
  assert.equal(await upgradeStatus(p, TERMINAL_PATH, { Host: `[::1]:${p}`, Origin: `http://[::1]:${p}`, Authorization: authOf(runner) }), 101);
});

test('Origin must be exactly http:// plus the Host: other port, null, https, trailing slash, other name all refused', async () => {
  const p = runner.port;
  const auth = authOf(runner);
  const foreign = [
    `http://127.0.0.1:${p + 1}`,
    `http://localhost:${p}`, // a different name than the Host the request went to
    'null',
    '',
    `https://127.0.0.1:${p}`,
    `http://127.0.0.1:${p}/`,
    `http://127.0.0.1`,
    `http://127.0.0.1:${p}.attacker.example`,
    `ws://127.0.0.1:${p}`,
  ];
  for (const origin of foreign) {
    assert.equal(await upgradeStatus(p, TERMINAL_PATH, { Authorization: auth, Origin: origin }), 403, `socket, Origin ${origin}`);
    const post = await rawRequest(p, `POST /api/workspace/reset HTTP/1.1\nHost: 127.0.0.1:${p}\nAuthorization: ${auth}\nOrigin: ${origin}\nContent-Type: application/json`, '{"session":"x"}');
    assert.equal(post.status, 403, `reset, Origin ${origin}`);
  }
  // Scheme and host are case-insensitive in an origin; browsers send lower case anyway.
  assert.equal(await upgradeStatus(p, TERMINAL_PATH, { Authorization: auth, Origin: `HTTP://127.0.0.1:${p}` }), 101);
});

test('a cross-site form or text/plain fetch cannot reset a workspace or start the benchmark', async () => {
  const p = runner.port;
  const auth = authOf(runner);
  const client = await TerminalClient.connect(runner);
  try {
    const workspace = client.workspace;
    const marker = join(workspace, 'reader-work.txt');
    await writeFile(marker, 'keep me');
    const formBody = `{"session":"${client.session}","x":"=`;
    // What a page on another localhost port would send, even if it held the credential.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json']) {
      const reset = await rawRequest(p, `POST /api/workspace/reset HTTP/1.1\nHost: 127.0.0.1:${p}\nAuthorization: ${auth}\nOrigin: http://localhost:8080\nSec-Fetch-Site: same-site\nContent-Type: ${type}`, formBody);
      assert.equal(reset.status, 403, type);
      const bench = await rawRequest(p, `POST /api/bench HTTP/1.1\nHost: 127.0.0.1:${p}\nAuthorization: ${auth}\nOrigin: http://localhost:8080\nContent-Type: ${type}`, '{}');
      assert.equal(bench.status, 403, type);
    }
    // Even without any Origin (an old browser), a simple-request body type is not accepted as JSON.
    const noOrigin = await rawRequest(p, `POST /api/workspace/reset HTTP/1.1\nHost: 127.0.0.1:${p}\nAuthorization: ${auth}\nContent-Type: text/plain`, `{"session":"${client.session}"}`);
    assert.equal(noOrigin.status, 400);
    const benchNoOrigin = await rawRequest(p, `POST /api/bench HTTP/1.1\nHost: 127.0.0.1:${p}\nAuthorization: ${auth}\nContent-Type: text/plain`, '{}');
    assert.equal(benchNoOrigin.status, 415);
    assert.ok((await readdir(workspace)).includes('reader-work.txt'), 'nothing was reset');
  } finally {
    await client.close();
  }
});

test('a cross-site GET (no Origin) cannot reach a protected route, even with the credential', async () => {
  const p = runner.port;
  const auth = authOf(runner);
  const before = sideEffects;
  // <img src>, a link or fetch(no-cors) from http://localhost:8080: no Origin, a Sec-Fetch-Site.
  for (const site of ['same-site', 'cross-site']) {
    const response = await rawRequest(p, `GET /api/side-effect HTTP/1.1\nHost: localhost:${p}\nAuthorization: ${auth}\nSec-Fetch-Site: ${site}\nSec-Fetch-Mode: no-cors`);
    assert.equal(response.status, 403, site);
  }
  assert.equal(sideEffects, before, 'the route never ran');
  // Our own page ('same-origin'), the reader typing the address ('none') and plain clients (no header) pass.
  for (const site of ['same-origin', 'none', undefined]) {
    const line = site ? `\nSec-Fetch-Site: ${site}` : '';
    const response = await rawRequest(p, `GET /api/side-effect HTTP/1.1\nHost: 127.0.0.1:${p}\nAuthorization: ${auth}${line}`);
    assert.equal(response.status, 200, String(site));
  }
  assert.equal(sideEffects, before + 3);
});

test('every /api route and the socket need the credential as Bearer (any case); cookies and the query count for nothing', async () => {
  const p = runner.port;
  const routes = ['GET /api/side-effect', 'POST /api/workspace/reset', 'POST /api/bench', 'GET /api/doctor', 'GET /api/no-such-route'];
  for (const route of routes) {
    const [method, path] = route.split(' ');
    const head = `${method} ${path} HTTP/1.1\nHost: 127.0.0.1:${p}\nContent-Type: application/json`;
    assert.equal((await rawRequest(p, head, '{}')).status, 401, `${route} without token`);
    assert.equal((await rawRequest(p, `${head}\nCookie: workshop-token-${p}=${'A'.repeat(43)}`, '{}')).status, 401, `${route} wrong cookie`);
    // Not even the right token in a cookie: cookies are never read.
    assert.equal((await rawRequest(p, `${head}\nCookie: workshop-token-${p}=${runner.token}`, '{}')).status, 401, `${route} the token as a cookie`);
  }
  const bearer = (scheme: string) => rawRequest(p, `GET /api/side-effect HTTP/1.1\nHost: 127.0.0.1:${p}\nAuthorization: ${scheme} ${runner.token}`);
  assert.equal((await bearer('Bearer')).status, 200);
  assert.equal((await bearer('bearer')).status, 200);
  assert.equal((await bearer('Basic')).status, 401);
  assert.equal(await upgradeStatus(p, TERMINAL_PATH, { Authorization: `bearer ${runner.token}` }), 101);
  assert.equal(await upgradeStatus(p, TERMINAL_PATH, { Cookie: `workshop-token-${p}=${runner.token}` }), 401);
  assert.equal(await upgradeStatus(p, `${TERMINAL_PATH}?token=${runner.token}`), 401);
});

test('no secret in the pages, Referer or caches; nothing sets a cookie', async () => {
  const p = runner.port;
  const launch = new URL(runner.url);
  for (const path of ['/', '/de/', '/en/', '/no-such-page', '/api/auth', `/de/why/?token=${runner.token}`]) {
    const page = await rawRequest(p, `GET ${path} HTTP/1.1\nHost: 127.0.0.1:${p}\nAuthorization: ${authOf(runner)}`);
    assert.ok(!page.body.includes(runner.token), `${path} body`);
    assert.equal(page.headers['referrer-policy'], 'no-referrer', path);
    assert.equal(page.headers['set-cookie'], undefined, path);
  }
  const exchange = await rawRequest(p, `POST /api/auth/exchange HTTP/1.1\nHost: 127.0.0.1:${p}\nContent-Type: application/json`, JSON.stringify({ code: new URLSearchParams(launch.hash.slice(1)).get('launch') }));
  assert.equal(exchange.status, 200);
  assert.equal(exchange.headers['cache-control'], 'no-store', 'a credential is never cached');
  assert.ok(!logLines.some((line) => line.includes(runner.token)), 'not in the log');
  assert.ok(!logLines.some((line) => line.includes(JSON.parse(exchange.body).credential)), 'the credential is not in the log');
});

test('HTML, the 404 page and redirects carry CSP without unsafe-inline scripts, frame-ancestors and nosniff', async () => {
  const p = runner.port;
  for (const path of ['/de/', '/en/setup/', '/no-such-page', '/', '/api/health', '/api/nope']) {
    const response = await rawRequest(p, `GET ${path} HTTP/1.1\nHost: 127.0.0.1:${p}`);
    const csp = response.headers['content-security-policy'] ?? '';
    const scriptSrc = csp.split(';').find((directive) => directive.trim().startsWith('script-src')) ?? '';
    assert.match(scriptSrc, /'self'/, path);
    assert.doesNotMatch(scriptSrc, /'unsafe-inline'|'unsafe-eval'|\*|data:|https?:/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.match(csp, /object-src 'none'/, path);
    assert.match(csp, /base-uri 'self'/, path);
    assert.equal(response.headers['x-content-type-options'], 'nosniff', path);
  }
  // express.static's own folder redirect (/de -> /de/) sends the strictest policy of all.
  const folder = await rawRequest(p, `GET /de HTTP/1.1\nHost: 127.0.0.1:${p}`);
  assert.equal(folder.status, 301);
  assert.match(folder.headers['content-security-policy'] ?? '', /default-src 'none'/);
  assert.equal(folder.headers['x-frame-options'], 'DENY');
  assert.equal(folder.headers['x-content-type-options'], 'nosniff');
});

test('static files: no traversal, no dotfiles, no symbolic link out of the site folder', async () => {
  const root = await mkdtemp(join(tmpdir(), 'security-static-'));
  const site = join(root, 'dist');
  const outside = join(root, 'outside');
  await mkdir(join(site, 'de'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(site, 'index.html'), '<!doctype html><title>site</title><p>site</p>');
  await writeFile(join(site, 'de', 'index.html'), '<!doctype html><title>de</title>');
  await writeFile(join(site, 'de', 'page.txt'), 'inside');
  await writeFile(join(site, '.env'), 'SECRET=dotfile');
  await writeFile(join(outside, 'secret.txt'), 'SECRET=outside');
  await writeFile(join(outside, 'index.html'), '<!doctype html><p>SECRET=outside index</p>');
  await symlink(join(outside, 'secret.txt'), join(site, 'leak.txt'));
  await symlink(outside, join(site, 'linked'));
  await symlink(join(outside, 'index.html'), join(site, 'de', 'other.html'));
  await mkdir(join(site, 'en'));
  await symlink(join(outside, 'index.html'), join(site, 'en', 'index.html'));
  await symlink(join(site, 'de', 'page.txt'), join(site, 'inside-link.txt'));
  const own = await startTestRunner({ staticDir: site });
  try {
    const p = own.port;
    const get = (path: string) => rawRequest(p, `GET ${path} HTTP/1.1\nHost: 127.0.0.1:${p}`);
    const paths = [
      '/leak.txt', '/linked/secret.txt', '/linked/', '/linked/index.html', '/de/other.html', '/en/', '/en/index.html',
      '/%6c%65%61%6b.txt', '/.env', '/%2eenv', '/de/../.env',
      '/../outside/secret.txt', '/%2e%2e/outside/secret.txt', '/de/%2e%2e%2f%2e%2e%2foutside/secret.txt',
      '/..%5coutside%5csecret.txt', '/de/..\\..\\outside\\secret.txt', '/de/page.txt%00.html', '/%00',
      '/..%252foutside%252fsecret.txt', '//outside/secret.txt',
    ];
    for (const path of paths) {
      const response = await get(path);
      assert.ok(response.status >= 400 && response.status < 500, `${path}: ${response.status}`);
      assert.doesNotMatch(response.body, /SECRET=/, path);
    }
    // No false alarm: real files and links that stay inside are served.
    assert.equal((await get('/de/page.txt')).body, 'inside');
    assert.equal((await get('/inside-link.txt')).body, 'inside');
    assert.match((await get('/de/')).body, /<title>de</);
  } finally {
    await own.dispose();
    await rm(root, { recursive: true, force: true });
  }
});

test('no command comes from the URL: query parameters on the socket run nothing', async () => {
  const marker = join(runner.dataDir, 'url-command-ran');
  const query = `&cmd=${encodeURIComponent(`touch ${marker}`)}&step=say-hello&command=${encodeURIComponent(`touch ${marker}`)}&run=say-hello`;
  const client = await TerminalClient.connect(runner, query);
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(!client.messages.some((m) => m.type === 'step'), 'no step started');
    assert.ok(!(await readdir(runner.dataDir)).includes('url-command-ran'));
    // A step id that is not in the manifest, or shaped like a command, runs nothing.
    for (const step of ['touch-x', `say-hello; touch ${marker}`, '../say-hello', '__proto__', 'constructor']) {
      client.send({ type: 'run', step });
      const error = await client.waitFor((m) => m.type === 'error' && (m.code === 'unknown-step' || m.code === 'bad-message'));
      client.messages.splice(client.messages.indexOf(error), 1);
    }
    assert.ok(!client.messages.some((m) => m.type === 'step'));
  } finally {
    await client.close();
  }
});

test('session ids are 128 random bits and need the credential to attach', async () => {
  const a = await TerminalClient.connect(runner);
  const b = await TerminalClient.connect(runner);
  try {
    for (const id of [a.session, b.session]) assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(a.session, b.session);
    // Another tab's id alone is not enough.
    assert.equal(await upgradeStatus(runner.port, `${TERMINAL_PATH}?session=${a.session}`), 401);
    assert.equal(await upgradeStatus(runner.port, `${TERMINAL_PATH}?session=${a.session}`, { Authorization: 'Bearer wrong' }), 401);
    // A guessed id with the token gets a fresh session, not someone's old one.
    const guessed = await TerminalClient.connect(runner, '&session=AAAAAAAAAAAAAAAAAAAAAA');
    const hello = guessed.messages.find((m) => m.type === 'hello');
    assert.ok(hello && hello.type === 'hello' && !hello.resumed && hello.session !== 'AAAAAAAAAAAAAAAAAAAAAA');
    await guessed.close();
  } finally {
    await a.close();
    await b.close();
  }
});

test('input flooded before the session starts is bounded: the socket closes with 1009', { timeout: 20_000 }, async () => {
  // The browser's workspace is copied from the fixtures only when it is missing: remove it,
  // so that this session takes as long to start as a first one does.
  await rm(workspaceRootOf(runner.dataDir), { recursive: true, force: true });
  await mkdir(workspaceRootOf(runner.dataDir), { mode: 0o700 });
  const ws = new WebSocket(`ws://127.0.0.1:${runner.port}${TERMINAL_PATH}`, { headers: { Authorization: authOf(runner) } });
  const client = new TerminalClient(ws);
  await client.opened;
  // All in one go, before the workspace is copied and the shell exists.
  const frame = JSON.stringify({ type: 'input', data: 'x'.repeat(MAX_CLIENT_MESSAGE_BYTES - 100) });
  for (let i = 0; i < 20; i++) ws.send(frame);
  assert.equal(await client.closed, CLOSE_CODES.messageTooBig);
  assert.ok(!client.messages.some((m) => m.type === 'hello'), 'closed before the session started');
  const health = await rawRequest(runner.port, `GET /api/health HTTP/1.1\nHost: 127.0.0.1:${runner.port}`);
  assert.equal(health.status, 200);
});

test('malformed WebSocket frames close that socket only; the runner stays up', { timeout: 20_000 }, async () => {
  const p = runner.port;
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = (first: number, payload: Buffer) =>
    Buffer.concat([Buffer.from([first, 0x80 | payload.length]), mask, Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]))]);
  const frames = [
    Buffer.from([0x81, 0x03, 0x61, 0x62, 0x63]), // unmasked client frame
    masked(0x83, Buffer.from('x')), // reserved opcode
    masked(0xc1, Buffer.from('{}')), // RSV1 without permessage-deflate
    masked(0x81, Buffer.from([0xff, 0xfe, 0x22])), // invalid UTF-8 in a text frame
    Buffer.from([0x81, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // 2^63 byte length
    masked(0x80, Buffer.from('x')), // continuation without a start
  ];
  for (const frame of frames) {
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(p, '127.0.0.1');
      let handshake = false;
      socket.on('data', (chunk) => {
        if (!handshake && chunk.toString('latin1').startsWith('HTTP/1.1 101')) {
          handshake = true;
          socket.write(frame);
        }
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve(handshake));
      socket.write(`GET ${TERMINAL_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nAuthorization: ${authOf(runner)}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    assert.ok(closed, `frame ${frame.subarray(0, 2).toString('hex')} closed the socket after a good handshake`);
  }
  assert.equal((await rawRequest(p, `GET /api/health HTTP/1.1\nHost: 127.0.0.1:${p}`)).status, 200);
});

test('failed-token bookkeeping stays small under a flood and forgets after the window', async () => {
  const limiter = new FailureLimiter(20, 50);
  for (let i = 0; i < 100_000; i++) limiter.recordFailure();
  assert.equal(limiter.blocked, true);
  assert.ok((limiter as unknown as { failures: number[] }).failures.length <= 20, 'no unbounded list of failures');
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(limiter.blocked, false);
});

test('npm start: one ready line, no secret in stderr; --host warns and still needs a credential', { timeout: 60_000 }, async () => {
  const home = await mkdtemp(join(tmpdir(), 'security-cli-home-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/app/cli.ts', '--no-open', '--no-build', '--port', '0', '--verbose', '--host', '127.0.0.2'], {
    env: { ...process.env, HOME: home, CI: '1', LANG: 'en_US.UTF-8', SHELL: '/bin/bash' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 45_000;
    while (!/Workshop ready: \S+\n/.test(stdout)) {
      if (Date.now() > deadline || child.exitCode !== null) assert.fail(`no ready line; stderr: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = new URL(/Workshop ready: (\S+)/.exec(stdout)![1]);
    const code = new URLSearchParams(url.hash.slice(1)).get('launch')!;
    const port = Number(url.port);
    assert.equal(url.hostname, '127.0.0.2');
    assert.ok(code.length >= 22, '16 random bytes');
    assert.match(stderr, /Warning: listening on 127\.0\.0\.2/);
    // Still the token, and our Host only.
    const head = (extra: string) => rawRequest(port, `GET /api/side-effect HTTP/1.1\nHost: 127.0.0.2:${port}${extra}`, '', '127.0.0.2');
    assert.equal((await head('')).status, 401);
    assert.equal((await rawRequest(port, `GET /api/health HTTP/1.1\nHost: attacker.example:${port}`, '', '127.0.0.2')).status, 403);
    const ws = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.2:${port}${TERMINAL_PATH}`);
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('open', () => resolve(101));
      socket.once('error', () => {});
    });
    assert.equal(ws, 401);
    // Exercise what gets logged: a wrong credential, the exchange, a session opened with the credential.
    await rawRequest(port, `GET /api/auth HTTP/1.1\nHost: 127.0.0.2:${port}\nAuthorization: Bearer wrong`, '', '127.0.0.2');
    const exchanged = await rawRequest(port, `POST /api/auth/exchange HTTP/1.1\nHost: 127.0.0.2:${port}\nContent-Type: application/json`, JSON.stringify({ code }), '127.0.0.2');
    assert.equal(exchanged.status, 200);
    const token = JSON.parse(exchanged.body).credential as string;
    const client = new TerminalClient(new WebSocket(`ws://127.0.0.2:${port}${TERMINAL_PATH}`, { headers: { Authorization: `Bearer ${token}` } }));
    await client.opened;
    await client.waitFor((m) => m.type === 'hello');
    client.type('echo "$WORKSHOP_SESSION" && env | grep -c workshop-token || true\r');
    await client.waitForOutput(/^\d+\s*$/m);
    assert.ok(!client.text.includes(token), 'the shell does not see the credential');
    await client.close();
  } finally {
    child.kill('SIGTERM');
    await exited;
    await rm(home, { recursive: true, force: true });
  }
  assert.equal(stdout.trim().split('\n').length, 1, 'exactly one line on stdout');
  assert.match(stderr, /"event":"session-start"/, 'verbose logging was on');
  const code = new URLSearchParams(new URL(/Workshop ready: (\S+)/.exec(stdout)![1]).hash.slice(1)).get('launch')!;
  assert.ok(!stderr.includes(code), 'the launch code is not in stderr');
});

test('in Chromium: a page on another localhost port cannot trigger a protected GET or POST', { timeout: 60_000 }, async () => {
  const { launchBrowser, openLaunchLink } = await import('../helpers/browser.ts');
  const { createServer } = await import('node:http');
  // Another local web server, as a container publishing a page on localhost would be.
  const foreign = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end('<!doctype html><title>foreign</title>');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  const foreignPort = (foreign.address() as import('node:net').AddressInfo).port;
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openLaunchLink(page, runner.url); // the page now holds its credential
    const before = sideEffects;
    await page.goto(`http://127.0.0.1:${foreignPort}/`);
    // A string, not a function: tsx's name helpers do not exist inside the page.
    const target = `http://127.0.0.1:${runner.port}`;
    await page.evaluate(`(async () => {
      await new Promise((resolve) => {
        const image = new Image();
        image.onload = image.onerror = () => resolve();
        image.src = '${target}/api/side-effect?img';
      });
      await fetch('${target}/api/side-effect?fetch', { mode: 'no-cors', credentials: 'include' }).catch(() => {});
      await fetch('${target}/api/workspace/reset', { method: 'POST', mode: 'no-cors', credentials: 'include',
        headers: { 'Content-Type': 'text/plain' }, body: '{"session":"x"}' }).catch(() => {});
      const frame = document.createElement('iframe');
      frame.name = 'sink';
      document.body.append(frame);
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = '${target}/api/bench';
      form.enctype = 'text/plain';
      form.target = 'sink';
      const input = document.createElement('input');
      input.name = '{"runs":1,"x":"';
      input.value = '"}';
      form.append(input);
      document.body.append(form);
      await new Promise((resolve) => { frame.onload = () => resolve(); form.submit(); });
    })()`);
    assert.equal(sideEffects, before, 'no protected route ran for the foreign page');
    // The workshop's own page still reaches it.
    await page.goto(`http://127.0.0.1:${runner.port}/api/health`);
    const own = await page.evaluate(`fetch('/api/side-effect', { headers: { authorization: 'Bearer ' + localStorage.getItem('workshop.credential') } }).then((r) => r.status)`);
    assert.equal(own, 200);
    assert.equal(sideEffects, before + 1);
    await context.close();
  } finally {
    await browser.close();
    foreign.close();
  }
});

test('npm start opens the browser without the token on any command line; the private launch page logs in', { timeout: 90_000, skip: process.platform === 'linux' ? false : 'uses a stand-in xdg-open (Linux)' }, async () => {
  const { chmod, readFile, stat } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  const scratch = await mkdtemp(join(tmpdir(), 'security-open-'));
  const bin = join(scratch, 'bin');
  const argsFile = join(scratch, 'xdg-open-args');
  await mkdir(bin);
  // Stands in for xdg-open: records what it was asked to open, as `ps` would show it.
  await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\n`);
  await chmod(join(bin, 'xdg-open'), 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: scratch, LANG: 'en_US.UTF-8', SHELL: '/bin/bash', PATH: `${bin}:${process.env.PATH}`, TMPDIR: scratch };
  delete env.CI;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/app/cli.ts', '--no-build', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let launchPath: string;
  try {
    const deadline = Date.now() + 45_000;
    const waitFor = async (ready: () => Promise<boolean> | boolean, what: string) => {
      while (!(await ready())) {
        if (Date.now() > deadline || child.exitCode !== null) assert.fail(`${what}; stderr: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await waitFor(() => /Workshop ready: \S+\n/.test(stdout), 'no ready line');
    const ready = new URL(/Workshop ready: (\S+)/.exec(stdout)![1]);
    const token = new URLSearchParams(ready.hash.slice(1)).get('launch')!;
    assert.ok(token, 'the ready line carries a launch code');
    await waitFor(() => readFile(argsFile, 'utf8').then((text) => text.trim().length > 0, () => false), 'xdg-open was not called');
    const args = (await readFile(argsFile, 'utf8')).trim();
    assert.ok(!args.includes(token), 'the launch code is not on the command line');
    assert.match(args, /^file:\/\/\/.+\.html$/);
    launchPath = new URL(args).pathname;
    assert.equal((await stat(launchPath)).mode & 0o777, 0o600, 'only the reader can read the page');
    assert.equal((await stat(dirname(launchPath))).mode & 0o777, 0o700);
    // A real browser follows the page to the workshop and ends up logged in.
    const { launchBrowser } = await import('../helpers/browser.ts');
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(args);
      await page.waitForURL((url) => url.origin === ready.origin, { timeout: 15_000 });
      await page.waitForFunction(() => localStorage.getItem('workshop.credential') !== null, undefined, { timeout: 15_000 });
      assert.ok(!page.url().includes(token), 'the address bar ends without the launch code');
      assert.equal(await page.evaluate(`fetch('/api/auth', { headers: { authorization: 'Bearer ' + localStorage.getItem('workshop.credential') } }).then((r) => r.status)`), 200);
      // The printed link is the one the browser used: it opens nothing any more (a screenshot of
      // the terminal, a projector). It was a second, still valid code before.
      const again = await fetch(`${ready.origin}/api/auth/exchange`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: token }) });
      assert.equal(again.status, 403, 'the printed launch link is used up once the browser is in');
    } finally {
      await browser.close();
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  await assert.rejects(stat(launchPath), 'the launch page is removed when the runner stops');
  await rm(scratch, { recursive: true, force: true });
});
