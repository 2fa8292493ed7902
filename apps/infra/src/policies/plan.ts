/**
 * Reading `terraform show -json <planfile>`: the planned resources, their known and unknown values,
 * what their expressions reference, and the IAM statements of their policies, even where the policy
 * JSON is only known after apply (it is then read from the `aws_iam_policy_document` it comes from).
 */

export interface ResourceChange {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  change: {
    actions: string[];
    after: Record<string, unknown> | null;
    after_unknown?: Record<string, unknown>;
  };
}

interface Expression {
  constant_value?: unknown;
  references?: string[];
}

export interface ConfigResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  expressions?: Record<string, unknown>;
}

interface StateResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  values: Record<string, unknown>;
}

/** The parts of Terraform's plan JSON the rules read (root module only: cdktf writes no modules here). */
export interface TerraformPlan {
  format_version?: string;
  resource_changes?: ResourceChange[];
  prior_state?: { values?: { root_module?: { resources?: StateResource[] } } };
  configuration?: { root_module?: { resources?: ConfigResource[] } };
}

/** A resource as it will be after apply: `values` known now, `unknown` marks what is known only after apply. */
export interface PlannedResource {
  address: string;
  type: string;
  values: Record<string, unknown>;
  unknown: Record<string, unknown>;
}

/** A value in the plan: known (possibly null), or known only after apply. */
export type PlannedValue = { known: true; value: unknown } | { known: false };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Managed resources that exist after the plan is applied (created, updated or kept). */
export function plannedResources(plan: TerraformPlan, type?: string): PlannedResource[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === 'managed' && (type === undefined || rc.type === type) && rc.change.after !== null && !rc.change.actions.includes('delete'))
    .map((rc) => ({ address: rc.address, type: rc.type, values: rc.change.after ?? {}, unknown: rc.change.after_unknown ?? {} }));
}

/**
 * The value at a path such as `['configuration', 0, 'result_configuration', 0, 'encryption_option']`.
 * Nested blocks are lists in the plan, hence the indexes.
 */
export function valueAt(resource: PlannedResource, path: ReadonlyArray<string | number>): PlannedValue {
  let value: unknown = resource.values;
  let unknown: unknown = resource.unknown;
  for (const key of path) {
    if (unknown === true) return { known: false };
    unknown = isRecord(unknown) || Array.isArray(unknown) ? (unknown as Record<string | number, unknown>)[key] : undefined;
    value = isRecord(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[key] : undefined;
  }
  if (unknown === true) return { known: false };
  return { known: true, value: value ?? null };
}

/** The known items of a list attribute (nested blocks, ARNs); empty when unknown or unset. */
export function listAt(resource: PlannedResource, path: ReadonlyArray<string | number>): unknown[] {
  const v = valueAt(resource, path);
  return v.known && Array.isArray(v.value) ? v.value : [];
}

/** Known now to be exactly `true` (a flag only apply would decide does not count). */
export function isTrue(resource: PlannedResource, path: ReadonlyArray<string | number>): boolean {
  const v = valueAt(resource, path);
  return v.known && v.value === true;
}

/** Set: a known non-empty value, or one that only apply will know (e.g. a key's ARN). */
export function isSet(resource: PlannedResource, path: ReadonlyArray<string | number>): boolean {
  const v = valueAt(resource, path);
  return !v.known || (v.value !== null && v.value !== '' && v.value !== false);
}

function configResource(plan: TerraformPlan, address: string): ConfigResource | undefined {
  return plan.configuration?.root_module?.resources?.find((r) => r.address === address);
}

function expressionAt(expressions: unknown, path: ReadonlyArray<string | number>): Expression | undefined {
  let node: unknown = expressions;
  for (const key of path) {
    node = isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[key] : undefined;
  }
  return isRecord(node) ? (node as Expression) : undefined;
}

/** The resource addresses an attribute's expression refers to (`aws_s3_bucket.lake`, not `aws_s3_bucket.lake.id`). */
export function referencesOf(plan: TerraformPlan, address: string, path: ReadonlyArray<string | number>): string[] {
  const expression = expressionAt(configResource(plan, address)?.expressions, path);
  const addresses = (expression?.references ?? []).map((ref) => ref.split('.').slice(0, ref.startsWith('data.') ? 3 : 2).join('.'));
  return [...new Set(addresses)];
}

/** Whether a bucket sub-resource (policy, encryption, public access block) configures that bucket. */
export function targetsBucket(plan: TerraformPlan, sub: PlannedResource, bucket: PlannedResource): boolean {
  if (referencesOf(plan, sub.address, ['bucket']).includes(bucket.address)) return true;
  const target = valueAt(sub, ['bucket']);
  const name = valueAt(bucket, ['bucket']);
  return target.known && name.known && target.value !== null && target.value === name.value;
}

/** One IAM statement, in the same shape whether it came from policy JSON or an aws_iam_policy_document. */
export interface Statement {
  sid: string | undefined;
  effect: 'Allow' | 'Deny';
  actions: string[];
  notActions: string[];
  /** `null` entries are ARNs known only after apply. */
  resources: Array<string | null>;
  notResources: string[];
  /** Principal identifiers by type (`AWS`, `Service`, …); `*` alone is `{ '*': ['*'] }`. */
  principals: Record<string, string[]>;
  conditions: Array<{ test: string; variable: string; values: Array<string | null> }>;
}

/** A policy as the plan knows it: its statements, or why they cannot be known before apply. */
export type PlannedPolicy = { address: string; attribute: string; statements: Statement[] } | { address: string; attribute: string; unverifiable: string };

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function asStrings(value: unknown): Array<string | null> {
  return asList(value).map((v) => (typeof v === 'string' ? v : null));
}

function knownStrings(value: unknown): string[] {
  return asStrings(value).filter((v): v is string => v !== null);
}

/** Statements of a policy JSON document (IAM's grammar: strings or lists, Principal `*` or a map). */
export function statementsOfJson(text: string): Statement[] {
  const doc: unknown = JSON.parse(text);
  if (!isRecord(doc)) throw new Error('policy: expected a JSON object');
  return asList(doc.Statement).map((raw): Statement => {
    const s = isRecord(raw) ? raw : {};
    const principal = s.Principal;
    const principals: Record<string, string[]> =
      principal === '*' ? { '*': ['*'] } : isRecord(principal) ? Object.fromEntries(Object.entries(principal).map(([type, ids]) => [type, knownStrings(ids)])) : {};
    const conditions: Statement['conditions'] = [];
    if (isRecord(s.Condition)) {
      for (const [test, byVariable] of Object.entries(s.Condition)) {
        if (!isRecord(byVariable)) continue;
        for (const [variable, values] of Object.entries(byVariable)) conditions.push({ test, variable, values: asStrings(values) });
      }
    }
    return {
      sid: typeof s.Sid === 'string' ? s.Sid : undefined,
      effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: knownStrings(s.Action),
      notActions: knownStrings(s.NotAction),
      resources: asStrings(s.Resource),
      notResources: knownStrings(s.NotResource),
      principals,
      conditions,
    };
  });
}

/** Statements of an aws_iam_policy_document's arguments (lists of blocks, as the plan shows them). */
function statementsOfDocument(values: Record<string, unknown>): Statement[] {
  return asList(values.statement).map((raw): Statement => {
    const s = isRecord(raw) ? raw : {};
    const principals: Record<string, string[]> = {};
    for (const p of asList(s.principals)) {
      if (!isRecord(p) || typeof p.type !== 'string') continue;
      principals[p.type] = [...(principals[p.type] ?? []), ...knownStrings(p.identifiers)];
    }
    return {
      sid: typeof s.sid === 'string' ? s.sid : undefined,
      effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
      actions: knownStrings(s.actions),
      notActions: knownStrings(s.not_actions),
      resources: asStrings(s.resources),
      notResources: knownStrings(s.not_resources),
      principals,
      conditions: asList(s.condition)
        .filter(isRecord)
        .map((c) => ({ test: String(c.test), variable: String(c.variable), values: asStrings(c.values) })),
    };
  });
}

/** An aws_iam_policy_document's arguments: read during plan (prior_state) or deferred to apply (resource_changes). */
function documentValues(plan: TerraformPlan, address: string): Record<string, unknown> | undefined {
  const deferred = plan.resource_changes?.find((rc) => rc.address === address)?.change.after;
  if (deferred) return deferred;
  return plan.prior_state?.values?.root_module?.resources?.find((r) => r.address === address)?.values;
}

/** The statements of one policy attribute, following it to its aws_iam_policy_document when only apply knows the JSON. */
export function policyAt(plan: TerraformPlan, resource: PlannedResource, path: ReadonlyArray<string | number>): PlannedPolicy | undefined {
  const attribute = path.join('.');
  const base = { address: resource.address, attribute };
  const value = valueAt(resource, path);
  if (value.known) {
    if (typeof value.value !== 'string' || value.value === '') return undefined;
    try {
      return { ...base, statements: statementsOfJson(value.value) };
    } catch (error) {
      return { ...base, unverifiable: `not valid policy JSON (${(error as Error).message})` };
    }
  }
  // Not in the configuration at all: AWS computes it (e.g. a KMS key's default policy, which delegates to IAM).
  if (!expressionAt(configResource(plan, resource.address)?.expressions, path)) return undefined;
  const documents = referencesOf(plan, resource.address, path).filter((ref) => ref.startsWith('data.aws_iam_policy_document.'));
  if (documents.length !== 1) {
    return { ...base, unverifiable: 'known only after apply and not built by one aws_iam_policy_document, so it cannot be checked at plan time' };
  }
  const documentAddress = documents[0] as string;
  const values = documentValues(plan, documentAddress);
  if (!values) return { ...base, unverifiable: `${documentAddress} is not in the plan` };
  for (const merged of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
    if (values[merged] !== null && values[merged] !== undefined && asList(values[merged]).length > 0) {
      return { ...base, unverifiable: `${documentAddress} merges ${merged}, which the plan check does not follow` };
    }
  }
  return { ...base, statements: statementsOfDocument(values) };
}

/** Config expressions of a policy document's statement: which resources each statement's `resources` reference. */
export function statementResourceReferences(plan: TerraformPlan, resource: PlannedResource, path: ReadonlyArray<string | number>): string[][] {
  const documents = referencesOf(plan, resource.address, path).filter((ref) => ref.startsWith('data.aws_iam_policy_document.'));
  const statements = documents.length === 1 ? configResource(plan, documents[0] as string)?.expressions?.statement : undefined;
  return asList(statements).map((_, i) => referencesOf(plan, documents[0] as string, ['statement', i, 'resources']));
}
