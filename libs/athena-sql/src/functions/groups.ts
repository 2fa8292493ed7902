import type { RefusedGroup } from './table';

export const REFUSED_GROUPS: readonly RefusedGroup[] = [];
