export const SEMANTICS = [] as const;
