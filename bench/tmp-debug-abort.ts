import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
const big = Buffer.alloc(Number(process.argv[2]), 'a');
const server = createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  res.write(big);
  res.on('finish', () => console.log('server finish'));
  if (process.argv[3] === 'end') res.end();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const controller = new AbortController();
const response = await fetch(url, { signal: controller.signal });
const reader = response.body!.getReader();
let bytes = 0;
while (bytes < big.length) { const { value } = await reader.read(); bytes += value!.byteLength; }
console.log('read all', bytes);
if (process.argv[4] !== 'noabort') { controller.abort('stop'); if (process.argv[5] === 'cancel') void reader.cancel('stop').catch(() => {}); }
const t = setTimeout(() => { console.log('read() still pending after abort'); process.exit(1); }, 2000);
try { const r = await reader.read(); console.log('read after abort ->', r.done); } catch (e) { console.log('read after abort rejected', String(e)); }
clearTimeout(t);
server.closeAllConnections(); server.close();
