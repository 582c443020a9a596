import { createParser } from 'eventsource-parser';
import { createActionsPayload, encodePayloadFrame, formatEventId } from '@sightline/protocol';
const frames: string[] = [];
for (let seq = 1; seq <= 20000; seq++) frames.push(encodePayloadFrame(createActionsPayload({ product_id: 'bench', session_id: `ps_${seq % 100}`, user_id: 'u', email: null, forwarded_at: 1, actions: [{ title: 'x', index: seq }] }), formatEventId(1732230000, seq)));
const text = frames.join('');
for (const [label, max] of [['nomax', undefined], ['max', 4 * 1024 * 1024]] as const) {
  let n = 0;
  const parser = createParser({ onEvent: () => void n++, maxBufferSize: max });
  const t0 = performance.now();
  for (let i = 0; i < text.length; i += 65536) parser.feed(text.slice(i, i + 65536));
  console.log(label, n, (performance.now() - t0).toFixed(0), 'ms');
}
