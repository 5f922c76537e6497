import { describeChainFinding, type ChainReport, type LineFinding, type VerifyReport } from '@fiat/core';
import { formatTable } from '../format.js';

function status(chain: ChainReport): string {
  if (!chain.ok) return 'FAILED';
  return chain.openTail !== undefined ? `OK (open tail ${chain.openTail.from}–${chain.openTail.to})` : 'OK';
}

function describeLine(finding: LineFinding): string {
  return `${finding.kind}: ${finding.reason} (${finding.at.source}:${finding.at.line})`;
}

/**
 * The report of `fiat verify` for people: one row per chain, then every finding under its chain or stream, then
 * the verdict.
 *
 * @example
 * ```ts
 * context.stdout(formatVerifyReport(report, '.fiat/lake'));
 * ```
 */
export function formatVerifyReport(report: VerifyReport, location: string): string {
  const out: string[] = [];
  if (report.chains.length > 0) {
    const rows = report.chains.map((c) => ({
      chain: c.chainId,
      stream: c.stream,
      seqs: c.lastSeq >= c.fromSeq ? `${c.fromSeq}–${c.lastSeq}` : '—',
      records: c.records,
      verified: c.verified,
      duplicates: c.duplicates,
      checkpoints: c.checkpoints.valid > 0 ? `${c.checkpoints.valid} (to ${c.checkpoints.lastSeq})` : '0',
      status: status(c),
    }));
    out.push(formatTable({ columns: ['chain', 'stream', 'seqs', 'records', 'verified', 'duplicates', 'checkpoints', 'status'], rows }).trimEnd());
  }
  for (const chain of report.chains) {
    if (chain.ok) continue;
    out.push(`chain ${chain.chainId} (${chain.stream}):`);
    for (const finding of chain.findings) out.push(`  - ${describeChainFinding(finding)}`);
    if (chain.findingsOmitted > 0) out.push(`  - … and ${chain.findingsOmitted} more`);
  }
  for (const stream of report.streams) {
    if (stream.ok) continue;
    out.push(`stream ${stream.stream}:`);
    for (const finding of stream.findings) out.push(`  - ${describeLine(finding)}`);
  }
  if (report.checkpoints.findings.length > 0) {
    out.push('checkpoints:');
    for (const finding of report.checkpoints.findings) out.push(`  - ${describeLine(finding)}`);
  }
  out.push(verdict(report, location));
  return `${out.join('\n')}\n`;
}

function verdict(report: VerifyReport, location: string): string {
  const records = report.chains.reduce((n, c) => n + c.records, 0);
  const failed = report.chains.filter((c) => !c.ok).length;
  const summary = `${report.chains.length} chain(s), ${records.toLocaleString('en-US')} record(s), ${report.checkpoints.lines} checkpoint line(s) in ${location}`;
  if (report.ok) return `Verified ${summary}.`;
  const problems = failed > 0 ? `${failed} of ${report.chains.length} chain(s) failed` : 'problems outside chains';
  return `FAILED: ${problems}; read ${summary}.`;
}
