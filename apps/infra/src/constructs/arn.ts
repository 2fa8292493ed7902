import { Fn } from 'cdktf';

/**
 * Parts of an ARN a resource attribute resolves to (arn:partition:service:region:account:resource).
 * The stack takes the account id from its own resources' ARNs instead of an `aws_caller_identity`
 * data source, which would call AWS at plan time.
 */
const ARN_FIELDS = { partition: 1, account: 4 } as const;

export function arnPart(arn: string, part: keyof typeof ARN_FIELDS): string {
  return Fn.element(Fn.split(':', arn), ARN_FIELDS[part]) as string;
}
