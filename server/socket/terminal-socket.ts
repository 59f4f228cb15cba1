// The terminal WebSocket at /api/terminal: checks the upgrade (Host, Origin, credential),
// attaches the socket to a new or existing session and dispatches client messages.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { SOCKET_PROTOCOL, type TokenGuard } from '../security/token.ts';
import type { Log } from '../app/log.ts';
import {
  CLOSE_CODES,
  MAX_CLIENT_MESSAGE_BYTES,
  parseClientMessage,
  TERMINAL_PATH,
  type ClientMessage,
  type ErrorCode,
  type ServerMessage,
} from '../../contracts/terminal-protocol.ts';
import type { OriginPolicy } from '../security/request-guards.ts';
import { RunnerStoppingError, TooManySessionsError, type SessionRegistry } from './session-registry.ts';
import type { Session } from '../session/session.ts';
import type { StepRunner } from '../steps/step-runner.ts';

export interface TerminalSocketOptions {
  registry: SessionRegistry;
  guard: TokenGuard;
  origins: OriginPolicy;
  /** A connection that sends nothing for this long after its hello is closed (CLOSE_CODES.silent). */
  firstMessageTimeoutMs: number;
  log: Log;
}

const DEFAULT_COLS = 80;
const DEFAULT_ROWS = 24;
/** What a client may send before its session has started; more closes the socket with 1009. */
export const MAX_EARLY_BYTES = 1024 * 1024;

export class TerminalSocketServer {
  readonly wss: WebSocketServer;

  constructor(private readonly options: TerminalSocketOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      // Larger frames close the socket with 1009 (ws does this itself).
      maxPayload: MAX_CLIENT_MESSAGE_BYTES,
      perMessageDeflate: false,
      clientTracking: true,
      // A browser offers our subprotocol beside its bearer credential and must get ours
      // back, never the credential; a client that offers none (tests, scripts) gets none.
      handleProtocols: (offered) => (offered.has(SOCKET_PROTOCOL) ? SOCKET_PROTOCOL : false),
    });
  }

  /** The http server's 'upgrade' handler. */
  handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://runner.invalid');
    if (url.pathname !== TERMINAL_PATH) return refuse(socket, 404, 'Not Found');
    const { origins, guard } = this.options;
    if (!origins.hostAllowed(request)) return this.refuseLogged(socket, 403, 'Forbidden', 'host');
    if (!origins.originAllowed(request)) return this.refuseLogged(socket, 403, 'Forbidden', 'origin');
    const auth = guard.check(request);
    if (auth === 'rate-limited') return this.refuseLogged(socket, 429, 'Too Many Requests', auth);
    if (auth !== 'ok') return this.refuseLogged(socket, 401, 'Unauthorized', `token ${auth}`);

    // The browser whose credential this is: its shells share one workspace.
    const owner = guard.ownerOf(request);
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      void this.onConnection(ws, url.searchParams, owner);
    });
  };

  /** Closes every socket (the sessions are ended by the registry). */
  closeAll(code: number): void {
    for (const ws of this.wss.clients) ws.close(code, 'runner stopping');
  }

  private refuseLogged(socket: Duplex, status: number, text: string, why: string): void {
    this.options.log('warn', 'upgrade-refused', { status, why });
    refuse(socket, status, text);
  }

  private async onConnection(ws: WebSocket, params: URLSearchParams, owner: string): Promise<void> {
    ws.on('error', (error) => this.options.log('warn', 'socket-error', { error: String(error) }));
    // Messages that arrive while the session starts are handled once it exists.
    const early: Array<[RawData, boolean]> = [];
    let earlyBytes = 0;
    let target: { session: Session; steps: StepRunner } | undefined;
    // A page sends its size as soon as it is greeted; a connection that stays silent only
    // holds a slot, so it is closed (and its session, with nothing running, ends soon after).
    let heard = false;
    const silence = setTimeout(() => {
      if (!heard) ws.close(CLOSE_CODES.silent, 'no message');
    }, this.options.firstMessageTimeoutMs);
    silence.unref();
    ws.on('message', (data, isBinary) => {
      heard = true;
      clearTimeout(silence);
      if (target) {
        target.session.heard();
        return this.onMessage(ws, target, data, isBinary);
      }
      // Bounded: a client flooding before its shell exists must not grow the runner's memory.
      earlyBytes += Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
      if (earlyBytes > MAX_EARLY_BYTES) {
        early.length = 0;
        ws.close(CLOSE_CODES.messageTooBig, 'too much input before the session started');
        return;
      }
      early.push([data, isBinary]);
    });
    let created = false;
    ws.on('close', () => {
      clearTimeout(silence);
      target?.session.detach(ws);
      // A shell that no one ever spoke to has nothing to keep.
      if (created && !heard) void target?.session.end('no message from its connection');
    });

    const { registry } = this.options;
    const wanted = params.get('session');
    const found = wanted ? registry.get(wanted) : undefined;
    // Another browser's session id opens nothing of theirs: that page gets a session of its own.
    const existing = found?.owner === owner ? found : undefined;
    try {
      target = existing ?? (await registry.create(sizeParam(params.get('cols'), DEFAULT_COLS, 2, 1000), sizeParam(params.get('rows'), DEFAULT_ROWS, 1, 500), owner));
    } catch (error) {
      if (error instanceof RunnerStoppingError) {
        ws.close(CLOSE_CODES.serverStopping, 'runner stopping');
        return;
      }
      const tooMany = error instanceof TooManySessionsError;
      if (!tooMany) this.options.log('error', 'session-create-failed', { error: String(error) });
      sendJson(ws, { type: 'error', code: tooMany ? 'too-many-sessions' : 'internal', message: (error as Error).message });
      ws.close(tooMany ? CLOSE_CODES.tooManySessions : 1011, tooMany ? 'too many sessions' : 'session failed');
      return;
    }
    if (ws.readyState !== ws.OPEN) {
      // The page went away while its session started: keep the session for a reconnect (idle timer runs).
      return;
    }
    created = existing === undefined;
    target.session.attach(ws, existing !== undefined);
    if (heard) target.session.heard();
    for (const [data, isBinary] of early.splice(0)) this.onMessage(ws, target, data, isBinary);
  }

  private onMessage(ws: WebSocket, target: { session: Session; steps: StepRunner }, data: RawData, isBinary: boolean): void {
    const error = (code: ErrorCode, message: string) => sendJson(ws, { type: 'error', code, message });
    try {
      if (isBinary) return error('binary-frame', 'Send JSON text frames only (docs/protocol.md).');
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      const parsed = parseClientMessage(text);
      if (!parsed.ok) {
        return error(parsed.error === 'not JSON' ? 'bad-json' : 'bad-message', `Message ignored: ${parsed.error.slice(0, 300)}`);
      }
      this.dispatch(target, parsed.message, error);
    } catch (caught) {
      this.options.log('error', 'message-failed', { error: String(caught) });
      error('internal', 'The runner could not handle that message.');
    }
  }

  private dispatch(target: { session: Session; steps: StepRunner }, message: ClientMessage, error: (code: ErrorCode, message: string) => void): void {
    const { session, steps } = target;
    if (session.ended) return error('session-ended', 'The session has ended; reload the page for a new one.');
    switch (message.type) {
      case 'input':
        return session.input(message.data);
      case 'resize':
        return session.resize(message.cols, message.rows);
      case 'run':
        // Through the session: a step's late errors reach whichever socket is attached by then.
        return steps.request(message.step, (code, text) => session.send({ type: 'error', code, message: text }));
      case 'check':
        return steps.request(message.step, (code, text) => session.send({ type: 'error', code, message: text }), 'check');
      case 'ack':
        return session.ack(message.bytes);
    }
  }
}

function sendJson(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function sizeParam(value: string | null, fallback: number, min: number, max: number): number {
  const n = Number(value);
  return value !== null && Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n`);
}
