// Preloaded into the gateway by bench/slowloris.mjs (node --require): prints the event loop's
// delay (p50, p99, max in ms) over each second to stderr, so the bench can tell a stalled gateway
// from a slow machine or a slow load generator.
const { monitorEventLoopDelay } = require('node:perf_hooks');

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
setInterval(() => {
  const ms = (nanoseconds) => (nanoseconds / 1e6).toFixed(1);
  process.stderr.write(
    `event-loop-delay p50=${ms(histogram.percentile(50))} p99=${ms(histogram.percentile(99))} max=${ms(histogram.max)}\n`,
  );
  histogram.reset();
}, 1000).unref();
