import benchmark from './client.bench.ts';
const t0 = performance.now();
await benchmark.run({ row: (r) => console.log('row', JSON.stringify(r), ((performance.now() - t0) / 1000).toFixed(1)), note: (n) => console.log('note', n) });
console.log('total', ((performance.now() - t0) / 1000).toFixed(1));
