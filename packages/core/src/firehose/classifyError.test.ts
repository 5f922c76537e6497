import { describe, expect, it } from 'vitest';
import { classifyFirehoseError, describeError } from './classifyError.js';

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} (test)`), { name, $metadata: { httpStatusCode: status } });
}

function socketError(code: string): Error {
  // As the SDK raises it: the Node error with the SDK's $metadata (no HTTP status: no response)
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code, $metadata: { attempts: 1, totalRetryDelay: 0 } });
}

describe('classifyFirehoseError', () => {
  it('classifies errors: fatal, throttled or unknown outcome', () => {
    expect(classifyFirehoseError(awsError('ResourceNotFoundException', 400))).toBe('fatal');
    expect(classifyFirehoseError(awsError('InvalidArgumentException', 400))).toBe('fatal');
    expect(classifyFirehoseError(awsError('AccessDeniedException', 400))).toBe('fatal');
    expect(classifyFirehoseError(awsError('ServiceUnavailableException', 503))).toBe('throttled');
    expect(classifyFirehoseError(awsError('SomethingNew', 429))).toBe('throttled');
    expect(classifyFirehoseError(awsError('InternalFailure', 500))).toBe('unknown');
    expect(classifyFirehoseError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('unknown');
    expect(classifyFirehoseError(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toBe('unknown');
  });

  it("says 'unsent' for errors raised before a request reached Firehose (refused connection, DNS, no route)", () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']) {
      expect(classifyFirehoseError(socketError(code))).toBe('unsent');
    }
  });

  it('treats anything without a name or status as unknown', () => {
    expect(classifyFirehoseError(undefined)).toBe('unknown');
    expect(classifyFirehoseError('boom')).toBe('unknown');
  });
});

describe('describeError', () => {
  it("names an error by its name and its message's first line", () => {
    expect(describeError(new RangeError('bad\nmore'))).toBe('RangeError: bad');
    expect(describeError('text')).toBe('Error: text');
  });
});
