// Owns the HTTP face of the fake IAM: the AWS Query protocol (form-encoded POST, XML answers).
import { randomUUID } from 'node:crypto';
import { startFakeHttpEndpoint, type FakeHttpAnswer, type FakeHttpEndpoint } from '../httpServer.js';
import { createFakeIam, FakeIamError, type FakeIam, type FakeIamOptions } from './fake.js';

const NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** Options of {@link startFakeIamServer}. */
export interface FakeIamServerOptions extends FakeIamOptions {
  /** Port to listen on. Default: 0 (any free port). */
  readonly port?: number;
  /** Host to listen on. Default: `'127.0.0.1'`. */
  readonly host?: string;
}

/** A running fake IAM. */
export interface FakeIamServer extends FakeHttpEndpoint {
  /** The in-memory fake behind it: roles, inline policies, calls. */
  readonly fake: FakeIam;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** XML of a result member: objects become nested elements, arrays `<member>` lists, dates ISO 8601. */
function toXml(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (Array.isArray(value)) return `<${name}>${value.map((v) => toXml('member', v)).join('')}</${name}>`;
  if (typeof value === 'object' && value !== null) return `<${name}>${Object.entries(value).map(([k, v]) => toXml(k, v)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function xml(status: number, body: string): FakeHttpAnswer {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` };
}

function answer(fake: FakeIam, body: string): FakeHttpAnswer {
  const params = Object.fromEntries(new URLSearchParams(body));
  const { Action: action = '', Version: _version, ...rest } = params;
  const requestId = `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`;
  try {
    const result = fake.handle(action, rest);
    const members = Object.entries(result).map(([k, v]) => toXml(k, v)).join('');
    return xml(200, `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${members}</${action}Result>${requestId}</${action}Response>`);
  } catch (error) {
    if (!(error instanceof FakeIamError)) throw error;
    const type = error.status >= 500 ? 'Receiver' : 'Sender';
    return xml(error.status, `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
  }
}

/**
 * Starts a fake IAM on 127.0.0.1 that the real `@aws-sdk/client-iam` talks to through `endpoint`
 * (AWS Query protocol): `CreateRole`, `GetRole`, `UpdateAssumeRolePolicy`, `PutRolePolicy`,
 * `GetRolePolicy`, with IAM's error codes and URL-encoded documents.
 *
 * @example
 * ```ts
 * const iam = await startFakeIamServer();
 * const client = new IAMClient({ endpoint: iam.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * await client.send(new GetRoleCommand({ RoleName: 'fiat-firehose' })); // NoSuchEntityException
 * await iam.close();
 * ```
 */
export async function startFakeIamServer(options: FakeIamServerOptions = {}): Promise<FakeIamServer> {
  const fake = createFakeIam(options);
  const endpoint = await startFakeHttpEndpoint((request, body) => {
    if (request.method !== 'POST') return xml(400, `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>POST only</Message></Error></ErrorResponse>`);
    return answer(fake, body);
  }, options);
  return { ...endpoint, fake };
}
