// Cold start, Fiat: import @fiat/audit, configure the Firehose transport with the real SDK (clientConfig), log one
// audit record, flush and close (one PutRecordBatch). The parent times this process from spawn to exit.
import { Audit } from '@fiat/audit';

const { clientConfig } = JSON.parse(process.argv[2]);
const logger = Audit.configure('firehose', { app: 'cold', email: 'cold@example.com', clientConfig, spoolDir: process.env.BENCH_SPOOL_DIR });
logger.log({ task: '_add', task_args: { x: 1, y: 2 }, ticket_id: 'nta-1000' });
const report = await logger.close();
if (report.delivered !== 1) throw new Error(`delivered ${report.delivered} records, expected 1`);
