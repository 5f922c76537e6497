// A Firehose client that records what it is sent and acknowledges every record. The handlers inject it,
// so the bundles never need the AWS SDK (it is left out of them, as the Lambda runtime provides it).
import type { FirehoseSendClient } from '@fiat/core/firehose';

/** One PutRecordBatch input as the client received it. */
export interface SentBatch {
  readonly DeliveryStreamName: string;
  readonly Records: readonly { readonly Data: Uint8Array }[];
}

/** What the handler under test sent, read by scripts/check-bundles.mjs after an invocation. */
export const sent: SentBatch[] = [];

/** Records every command's input; answers like Firehose when every record was accepted. */
export const recordingClient: FirehoseSendClient = {
  async send(command: { input: SentBatch }) {
    sent.push(command.input);
    return { FailedPutCount: 0, Encrypted: false, RequestResponses: command.input.Records.map((_, i) => ({ RecordId: `r${i}` })) };
  },
};
