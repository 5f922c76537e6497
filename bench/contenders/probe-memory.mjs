// A probe of the machine: what copying 1 MiB costs into a fresh buffer (Buffer.concat allocates one; the kernel
// maps its pages on first touch) versus into a buffer reused. On bare metal both are a fraction of a millisecond;
// in some virtual machines (Firecracker, which AWS Lambda runs on) each page fault costs far more.
import { finish } from '../lib/contender.mjs';
import { median } from '../lib/stats.mjs';

const RUNS = 64;
const parts = Array.from({ length: 4 }, () => Buffer.alloc(256 * 1024, 1));

function timed(copy) {
  const ms = [];
  const faults = process.resourceUsage().minorPageFault;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    copy();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: Number(median(ms).toFixed(3)), faults: Math.round((process.resourceUsage().minorPageFault - faults) / RUNS) };
}

const reused = Buffer.alloc(1024 * 1024);
const fresh = timed(() => Buffer.concat(parts, 1024 * 1024));
const again = timed(() => {
  let offset = 0;
  for (const part of parts) offset += part.copy(reused, offset);
});
finish({ fresh_mib_ms: fresh.ms, fresh_mib_faults: fresh.faults, reused_mib_ms: again.ms, reused_mib_faults: again.faults });
