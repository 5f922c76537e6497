import type { ChainedLine, UnchainedLine } from './parse.js';
import type { LineFinding, LineLocation, StreamReport } from './report.js';

/** The most line findings one stream lists. */
export const MAX_LINE_FINDINGS = 100;

/** Counts what one stream's lines were: chained, unchained, malformed; keeps the first findings. */
export class StreamTally {
  readonly stream: string;
  readonly #findings: LineFinding[] = [];
  #lines = 0;
  #chained = 0;
  #unchained = 0;
  #firstUnchained: LineLocation | undefined;

  constructor(stream: string) {
    this.stream = stream;
  }

  /** Counts one parsed line found at `at`. */
  count(parsed: ChainedLine | UnchainedLine, at: LineLocation): void {
    this.#lines += 1;
    if (parsed.kind === 'chained') this.#chained += 1;
    else if (parsed.kind === 'unchained') {
      this.#unchained += 1;
      this.#firstUnchained ??= at;
    } else this.add({ kind: 'malformed', reason: parsed.reason, at });
  }

  /** Keeps a finding (the first {@link MAX_LINE_FINDINGS}). */
  add(finding: LineFinding): void {
    if (this.#findings.length < MAX_LINE_FINDINGS) this.#findings.push(finding);
  }

  /** The stream's report: unchained lines are a finding only in a stream that has chained ones. */
  report(): StreamReport {
    const findings = [...this.#findings];
    if (this.#chained > 0 && this.#unchained > 0 && this.#firstUnchained !== undefined) {
      findings.push({ kind: 'unchained', reason: `${this.#unchained} record(s) without chain fields in a chained stream`, at: this.#firstUnchained });
    }
    return {
      stream: this.stream,
      lines: this.#lines,
      chained: this.#chained,
      unchained: this.#unchained,
      findings,
      ok: findings.length === 0,
    };
  }
}
