import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { StackConfig } from '../config';
import { arnPart } from './arn';

/**
 * The stack's customer-managed key: it encrypts the stream, the lake's objects and Athena's results.
 * No `policy`: AWS's default key policy delegates access to IAM in this account, so every grant is an
 * IAM statement that can be read and tested (the Firehose role's are limited by kms:ViaService).
 */
export class EncryptionKey extends Construct {
  public readonly key: KmsKey;
  public readonly alias: KmsAlias;
  /** The account and partition, split out of the key's ARN. */
  public readonly accountId: string;
  public readonly partition: string;

  constructor(scope: Construct, id: string, config: StackConfig) {
    super(scope, id);
    this.key = new KmsKey(this, 'key', {
      description: `${config.stackName}: Kinesis stream, lake objects and Athena results`,
      enableKeyRotation: true,
      deletionWindowInDays: config.kms.deletionWindowDays,
    });
    this.alias = new KmsAlias(this, 'alias', { name: `alias/${config.stackName}`, targetKeyId: this.key.keyId });
    this.accountId = arnPart(this.key.arn, 'account');
    this.partition = arnPart(this.key.arn, 'partition');
  }
}
