// A Lambda handler as users write it: the Audit logger on Firehose (client injected) and withFlush,
// so every invocation ends with its records sent.
import { Audit } from '@fiat/audit';
import { withFlush } from '@fiat/core/firehose';
import { recordingClient } from './recordingClient.js';

export { sent } from './recordingClient.js';

const logger = Audit.configure('firehose', { app: 'orders', email: 'team@example.com', client: recordingClient });

function total(items: readonly { price: number; quantity: number }[]): number {
  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}

export const handler = withFlush(logger, async (event: { orderId: string; items: { price: number; quantity: number }[] }) =>
  logger.run('total_order', event, () => ({ orderId: event.orderId, total: total(event.items) }), { ticket_id: `order-${event.orderId}` }),
);
