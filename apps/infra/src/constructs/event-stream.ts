import { Construct } from 'constructs';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import type { StackConfig } from '../config';

/** The Kinesis data stream the producer writes to, encrypted with the stack's key. */
export class EventStream extends Construct {
  public readonly stream: KinesisStream;

  constructor(scope: Construct, id: string, config: StackConfig, keyArn: string) {
    super(scope, id);
    const { capacity, streamName } = config.settings;
    this.stream = new KinesisStream(this, 'stream', {
      name: streamName,
      retentionPeriod: config.stream.retentionHours,
      streamModeDetails: { streamMode: capacity.mode },
      ...(capacity.mode === 'PROVISIONED' ? { shardCount: capacity.shardCount } : {}),
      encryptionType: 'KMS',
      kmsKeyId: keyArn,
    });
  }
}
