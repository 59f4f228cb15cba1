// What WebSocket alone achieves between Node and this Chromium on this machine, with no
// pty, shell or xterm.js: a ceiling that makes the runner's figures comparable across
// machines (a loaded 2-core VM may cap the socket itself below the targets).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { BareBrowser } from './bare-chromium.ts';

export async function socketCeiling(browser: BareBrowser, bytes: number, pings: number): Promise<{ mbPerSecond: number; rttMs: number[] }> {
  const server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end('<!doctype html><title>socket ceiling</title>');
  });
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      const text = data.toString();
      if (isBinary || text !== 'flood') return ws.send(data, { binary: isBinary });
      const frame = Buffer.alloc(256 * 1024, 'a');
      let sent = 0;
      const pump = () => {
        while (sent < bytes && ws.bufferedAmount < 1_000_000) {
          ws.send(frame);
          sent += frame.length;
        }
        if (sent < bytes) setTimeout(pump, 1);
        else ws.send('end');
      };
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    return await page.evaluate(
      ([p, count]) =>
        new Promise<{ mbPerSecond: number; rttMs: number[] }>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${p}/`);
          ws.binaryType = 'arraybuffer';
          const rttMs: number[] = [];
          let received = 0;
          let started = 0;
          let pingAt = 0;
          ws.onopen = () => {
            pingAt = performance.now();
            ws.send(new Uint8Array([1]));
          };
          ws.onmessage = (event) => {
            if (rttMs.length < count) {
              rttMs.push(performance.now() - pingAt);
              if (rttMs.length < count) {
                setTimeout(() => {
                  pingAt = performance.now();
                  ws.send(new Uint8Array([1]));
                }, 5);
              } else {
                started = performance.now();
                ws.send('flood');
              }
              return;
            }
            if (typeof event.data === 'string') {
              resolve({ mbPerSecond: received / 1e6 / ((performance.now() - started) / 1000), rttMs });
              ws.close();
            } else received += (event.data as ArrayBuffer).byteLength;
          };
        }),
      [port, pings] as const,
    );
  } finally {
    await page.close();
    wss.close();
    server.close();
  }
}
