// Cold start, the SDK alone: import @aws-sdk/client-firehose and send one PutRecordBatch with one record.
// The parent times this process from spawn to exit.
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';

const { clientConfig } = JSON.parse(process.argv[2]);
const client = new FirehoseClient(clientConfig);
const line = `${JSON.stringify({ app: 'cold', email: 'cold@example.com', task: '_add', task_args: '{"x":1,"y":2}', ticket_id: 'nta-1000' })}\n`;
const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'cold-sdk', Records: [{ Data: Buffer.from(line) }] }));
if (out.FailedPutCount !== 0) throw new Error('the record was not accepted');
client.destroy();
