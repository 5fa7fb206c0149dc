// Preloaded by `npm run bench` into every Node.js process of a case (NODE_OPTIONS=--require=...): on exit, appends
// "<pid> <peak resident set size in KiB>" to $AGENTIC_EKS_BENCH_RSS_FILE. Works wherever Node.js does (no /usr/bin/time).
'use strict';
const fs = require('fs');

const file = process.env.AGENTIC_EKS_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    fs.appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`);
  });
}
