/**
 * Reading `terraform show -json <planfile>` for what the stack creates: the planned resources, their known
 * and unknown values, what their expressions reference, and the IAM statements of their policies. Every policy
 * of the stack is an `aws_iam_policy_document`'s JSON, so statements are read from that document's arguments,
 * which the plan records even when the JSON itself is known only after apply.
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

export type Path = ReadonlyArray<string | number>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One step into a nested value (objects by key, nested blocks, which are lists in the plan, by index). */
function child(node: unknown, key: string | number): unknown {
  return isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[key] : undefined;
}

/** Managed resources that exist after the plan is applied (created, updated or kept). */
export function plannedResources(plan: TerraformPlan, type: string): PlannedResource[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === 'managed' && rc.type === type && rc.change.after !== null && !rc.change.actions.includes('delete'))
    .map((rc) => ({ address: rc.address, type: rc.type, values: rc.change.after ?? {}, unknown: rc.change.after_unknown ?? {} }));
}

/** The value at a path such as `['configuration', 0, 'result_configuration', 0, 'encryption_option']`. */
export function valueAt(resource: PlannedResource, path: Path): PlannedValue {
  let value: unknown = resource.values;
  let unknown: unknown = resource.unknown;
  for (const key of path) {
    if (unknown === true) return { known: false };
    unknown = child(unknown, key);
    value = child(value, key);
  }
  if (unknown === true) return { known: false };
  return { known: true, value: value ?? null };
}

/** The known items of a list attribute (nested blocks); empty when unknown or unset. */
export function listAt(resource: PlannedResource, path: Path): unknown[] {
  const v = valueAt(resource, path);
  return v.known && Array.isArray(v.value) ? v.value : [];
}

/** Known now to be exactly `true` (a flag only apply would decide does not count). */
export function isTrue(resource: PlannedResource, path: Path): boolean {
  const v = valueAt(resource, path);
  return v.known && v.value === true;
}

/** Set: a known non-empty value, or one that only apply will know (e.g. a key's ARN). */
export function isSet(resource: PlannedResource, path: Path): boolean {
  const v = valueAt(resource, path);
  return !v.known || (v.value !== null && v.value !== '' && v.value !== false);
}

function expressionsOf(plan: TerraformPlan, address: string): unknown {
  return plan.configuration?.root_module?.resources?.find((r) => r.address === address)?.expressions;
}

/** The resource addresses an attribute's expression refers to (`aws_s3_bucket.lake`, not `aws_s3_bucket.lake.id`). */
export function referencesOf(plan: TerraformPlan, address: string, path: Path): string[] {
  const expression = path.reduce<unknown>(child, expressionsOf(plan, address));
  const references = isRecord(expression) ? ((expression as Expression).references ?? []) : [];
  return [
    ...new Set(
      references.map((ref) =>
        ref
          .split('.')
          .slice(0, ref.startsWith('data.') ? 3 : 2)
          .join('.'),
      ),
    ),
  ];
}

/** Whether a bucket sub-resource (policy, encryption, public access block) configures that bucket: the stack passes `bucket.id`. */
export function targetsBucket(plan: TerraformPlan, sub: PlannedResource, bucket: PlannedResource): boolean {
  return referencesOf(plan, sub.address, ['bucket']).includes(bucket.address);
}

/** One statement of an aws_iam_policy_document. */
export interface Statement {
  sid: string | undefined;
  effect: 'Allow' | 'Deny';
  actions: string[];
  notActions: string[];
  /** `null` entries are ARNs known only after apply. */
  resources: Array<string | null>;
  notResources: string[];
  /** Principal identifiers by type (`AWS`, `Service`, …). */
  principals: Record<string, string[]>;
  conditions: Array<{ test: string; variable: string; values: Array<string | null> }>;
  /** Resource addresses the statement's `resources` reference (how an ARN known only after apply is identified). */
  resourceReferences: string[];
}

/** A policy attribute as the plan knows it: its document's statements, or why they cannot be read. */
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

/** Statements of an aws_iam_policy_document's arguments (lists of blocks, as the plan shows them). */
function statementsOfDocument(plan: TerraformPlan, address: string, values: Record<string, unknown>): Statement[] {
  return asList(values.statement).map((raw, i): Statement => {
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
      resourceReferences: referencesOf(plan, address, ['statement', i, 'resources']),
    };
  });
}

/** A document's arguments: deferred to apply (in resource_changes) or read during plan (in prior_state). */
function documentValues(plan: TerraformPlan, address: string): Record<string, unknown> | undefined {
  const deferred = plan.resource_changes?.find((rc) => rc.address === address)?.change.after;
  if (deferred) return deferred;
  return plan.prior_state?.values?.root_module?.resources?.find((r) => r.address === address)?.values;
}

/** The statements of a policy attribute, read from the one aws_iam_policy_document whose JSON it is. */
export function policyAt(plan: TerraformPlan, resource: PlannedResource, attribute: string): PlannedPolicy {
  const base = { address: resource.address, attribute };
  const documents = referencesOf(plan, resource.address, [attribute]).filter((ref) => ref.startsWith('data.aws_iam_policy_document.'));
  if (documents.length !== 1) return { ...base, unverifiable: 'not the JSON of one aws_iam_policy_document, so the plan check cannot read its statements' };
  const address = documents[0] as string;
  const values = documentValues(plan, address);
  if (!values) return { ...base, unverifiable: `${address} is not in the plan` };
  return { ...base, statements: statementsOfDocument(plan, address, values) };
}
