// Cold start, Fiat: import @fiat/audit, configure the Firehose transport with the real SDK (clientConfig), log one
// audit record, flush and close (one PutRecordBatch for the record, one for the hash chain's checkpoint). The parent times this process from spawn to exit.
import { Audit } from '@fiat/audit';

const { clientConfig } = JSON.parse(process.argv[2]);
const logger = Audit.configure('firehose', { app: 'cold', email: 'cold@example.com', clientConfig, spoolDir: process.env.BENCH_SPOOL_DIR });
logger.log({ task: '_add', task_args: { x: 1, y: 2 }, ticket_id: 'nta-1000' });
const report = await logger.close();
// The audit record and the checkpoint of the Audit hash chain (two delivery streams: two PutRecordBatch calls).
if (report.delivered !== 2) throw new Error(`delivered ${report.delivered} records, expected 2 (the record and its chain's checkpoint)`);
