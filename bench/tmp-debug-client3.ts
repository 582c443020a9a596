import { ConnectorClient } from '@sightline/sdk';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createActionsPayload, encodePayloadFrame, formatEventId } from '@sightline/protocol';
const N = Number(process.argv[2]);
const chunks: Buffer[] = [];
let pending = '';
for (let seq = 1; seq <= N; seq++) {
  pending += encodePayloadFrame(createActionsPayload({ product_id: 'bench', session_id: `ps_${seq % 100}`, user_id: 'u', email: null, forwarded_at: 1, actions: [{ title: 'x', index: seq }] }), formatEventId(1732230000, seq));
  if (pending.length >= 65536 || seq === N) { chunks.push(Buffer.from(pending)); pending = ''; }
}
const server = createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  let i = 0;
  const pump = () => { while (i < chunks.length) { if (!res.write(chunks[i++]!)) { res.once('drain', pump); return; } } res.end(); };
  pump();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream/b`;
let n = 0;
const client = new ConnectorClient({ url, logger: { debug() {}, info: (m) => console.log('info', m), warn: (m) => console.log('warn', m), error: (m) => console.log('error', m) } });
let finish!: () => void;
const done = new Promise<void>((r) => (finish = r));
client.onActions(() => { if (++n === N) finish(); });
const running = client.start();
await done;
console.log('done; connected', client.isConnected, 'q', client.queueSize);
const iv = setInterval(() => console.log('n', n, 'q', client.queueSize, 'connected', client.isConnected), 1000);
await client.stop();
console.log('stopped');
await running;
clearInterval(iv);
server.closeAllConnections(); server.close();
