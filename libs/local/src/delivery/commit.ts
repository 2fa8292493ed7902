import { join } from 'node:path';
import type { CheckpointStore } from '../storage/checkpoints';
import { renameDurably } from '../storage/durable';
import type { DeliveryPlan } from './plan';
import type { StagedObject } from './stage';

/** The points inside a commit where a crash must neither lose nor repeat a record (the crash tests stop there). */
export type CommitStep = 'after-prepare' | 'between-renames' | 'after-rename';

/**
 * The two-step commit: the delivery's keys and new positions are saved as pending, the objects are renamed into
 * the bucket, then the positions are saved. A crash at any step is recovered at the next start (CheckpointStore.open).
 */
export async function commitObjects(
  staged: readonly StagedObject[],
  plan: Pick<DeliveryPlan, 'positions' | 'partitions'>,
  options: { checkpoints: CheckpointStore; bucketDir: string; onStep?: (step: CommitStep) => void | Promise<void> },
): Promise<void> {
  const { checkpoints, bucketDir, onStep } = options;
  const partitions = plan.partitions ?? {};
  const hasPartitions = Object.keys(partitions).length > 0;
  await checkpoints.prepare({ keys: staged.map((s) => s.key), positions: plan.positions, ...(hasPartitions ? { partitions } : {}) });
  await onStep?.('after-prepare');
  for (const [i, object] of staged.entries()) {
    await renameDurably(object.tmp, join(bucketDir, object.key));
    if (i === 0 && staged.length > 1) await onStep?.('between-renames');
  }
  await onStep?.('after-rename');
  await checkpoints.commit(plan.positions, partitions);
}
