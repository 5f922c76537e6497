// Owns the state and operations of the fake IAM: roles, their trust policies and inline policies.
import { randomBytes } from 'node:crypto';

/**
 * An error as IAM answers it: `code` is IAM's error code (`NoSuchEntity`, …), `status` the HTTP status.
 *
 * @example
 * ```ts
 * throw new FakeIamError('NoSuchEntity', 'The role with name fiat cannot be found.', 404);
 * ```
 */
export class FakeIamError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = code;
  }
}

/** A role held by the fake. Documents are kept as the JSON text they were sent as. */
export interface FakeRole {
  readonly roleName: string;
  readonly roleId: string;
  readonly arn: string;
  readonly path: string;
  readonly createDate: Date;
  readonly description: string | undefined;
  assumeRolePolicyDocument: string;
  /** Inline policies, by name. */
  readonly policies: Map<string, string>;
}

/** One call the fake received: action, parameters, and `ok` or the error code. */
export interface FakeIamCall {
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
  readonly outcome: string;
}

/** Options of {@link createFakeIam}. */
export interface FakeIamOptions {
  /** AWS account id in ARNs. Default: `'123456789012'`. */
  readonly accountId?: string;
}

/** An in-memory IAM (roles and inline role policies). */
export interface FakeIam {
  /** Runs an action (`GetRole`, …) with its Query parameters; returns the result members; throws {@link FakeIamError}. */
  handle(action: string, params: Record<string, string>): Record<string, unknown>;
  /** The roles, by name. */
  readonly roles: ReadonlyMap<string, FakeRole>;
  /** The calls received, in order. */
  readonly calls: readonly FakeIamCall[];
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const PATH = /^\/(?:[\x21-\x7e]*\/)?$/;
/** IAM's default quotas: trust policy length, and all inline policies of a role together (whitespace not counted). */
const TRUST_POLICY_MAX = 2048;
const INLINE_POLICIES_MAX = 10_240;

function param(params: Record<string, string>, key: string, pattern: RegExp): string {
  const value = params[key];
  if (value === undefined || !pattern.test(value)) {
    throw new FakeIamError('ValidationError', `1 validation error detected: Value '${String(value)}' at '${key.charAt(0).toLowerCase()}${key.slice(1)}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`, 400);
  }
  return value;
}

/** A policy document must be JSON with `Version` and `Statement`, as IAM checks. */
function policyDocument(params: Record<string, string>, key: string): string {
  const text = params[key] ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FakeIamError('MalformedPolicyDocument', 'This policy contains invalid Json', 400);
  }
  const doc = parsed as { Version?: unknown; Statement?: unknown };
  if (typeof parsed !== 'object' || parsed === null || doc.Statement === undefined) throw new FakeIamError('MalformedPolicyDocument', 'Syntax errors in policy.', 400);
  if (doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') throw new FakeIamError('MalformedPolicyDocument', 'The policy failed legacy parsing', 400);
  return text;
}

function size(document: string): number {
  return document.replace(/\s/g, '').length;
}

type Operations = Record<string, (params: Record<string, string>) => Record<string, unknown>>;

function roleDescription(role: FakeRole): Record<string, unknown> {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createDate,
    // IAM answers documents URL-encoded.
    AssumeRolePolicyDocument: encodeURIComponent(role.assumeRolePolicyDocument),
    ...(role.description !== undefined ? { Description: role.description } : {}),
    MaxSessionDuration: 3600,
  };
}

function operations(roles: Map<string, FakeRole>, accountId: string): Operations {
  const find = (params: Record<string, string>): FakeRole => {
    const name = param(params, 'RoleName', ROLE_NAME);
    const role = roles.get(name);
    if (role === undefined) throw new FakeIamError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
    return role;
  };
  return {
    CreateRole(params) {
      const name = param(params, 'RoleName', ROLE_NAME);
      const path = params.Path === undefined ? '/' : param(params, 'Path', PATH);
      const trust = policyDocument(params, 'AssumeRolePolicyDocument');
      if (size(trust) > TRUST_POLICY_MAX) throw new FakeIamError('LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_MAX}`, 409);
      if (roles.has(name)) throw new FakeIamError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
      const role: FakeRole = {
        roleName: name,
        roleId: `AROA${randomBytes(12).toString('hex').toUpperCase().slice(0, 17)}`,
        arn: `arn:aws:iam::${accountId}:role${path}${name}`,
        path,
        createDate: new Date(),
        description: params.Description,
        assumeRolePolicyDocument: trust,
        policies: new Map(),
      };
      roles.set(name, role);
      return { Role: roleDescription(role) };
    },
    GetRole: (params) => ({ Role: roleDescription(find(params)) }),
    UpdateAssumeRolePolicy(params) {
      const role = find(params);
      const trust = policyDocument(params, 'PolicyDocument');
      if (size(trust) > TRUST_POLICY_MAX) throw new FakeIamError('LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_MAX}`, 409);
      role.assumeRolePolicyDocument = trust;
      return {};
    },
    PutRolePolicy(params) {
      const role = find(params);
      const name = param(params, 'PolicyName', POLICY_NAME);
      const document = policyDocument(params, 'PolicyDocument');
      const others = [...role.policies].filter(([n]) => n !== name).reduce((sum, [, d]) => sum + size(d), 0);
      if (others + size(document) > INLINE_POLICIES_MAX) throw new FakeIamError('LimitExceeded', `Maximum policy size of ${INLINE_POLICIES_MAX} bytes exceeded for role ${role.roleName}`, 409);
      role.policies.set(name, document);
      return {};
    },
    GetRolePolicy(params) {
      const role = find(params);
      const name = param(params, 'PolicyName', POLICY_NAME);
      const document = role.policies.get(name);
      if (document === undefined) throw new FakeIamError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);
      return { RoleName: role.roleName, PolicyName: name, PolicyDocument: encodeURIComponent(document) };
    },
  };
}

/**
 * Creates an in-memory IAM with `CreateRole`, `GetRole`, `UpdateAssumeRolePolicy`, `PutRolePolicy`
 * and `GetRolePolicy`: IAM's error codes (`NoSuchEntity` 404, `EntityAlreadyExists` 409,
 * `MalformedPolicyDocument`, `ValidationError`, `LimitExceeded` for the default size quotas) and
 * URL-encoded documents in answers, as IAM sends them.
 *
 * @example
 * ```ts
 * const iam = createFakeIam();
 * iam.handle('CreateRole', { RoleName: 'fiat-firehose', AssumeRolePolicyDocument: JSON.stringify(trust) });
 * iam.roles.get('fiat-firehose')?.arn; // 'arn:aws:iam::123456789012:role/fiat-firehose'
 * ```
 */
export function createFakeIam(options: FakeIamOptions = {}): FakeIam {
  const roles = new Map<string, FakeRole>();
  const calls: FakeIamCall[] = [];
  const ops = operations(roles, options.accountId ?? '123456789012');
  return {
    handle(action, params) {
      try {
        const run = Object.hasOwn(ops, action) ? ops[action] : undefined;
        if (run === undefined) throw new FakeIamError('InvalidAction', `The fake IAM does not implement ${action}`, 400);
        const result = run(params);
        calls.push({ action, params, outcome: 'ok' });
        return result;
      } catch (error) {
        calls.push({ action, params, outcome: error instanceof FakeIamError ? error.code : String((error as Error).name) });
        throw error;
      }
    },
    roles,
    calls,
  };
}
