export { OUTCOMES, EXIT, LakehouseError, usageError, errorReport, runCommand } from './errors';
export type { ErrorCode, ExitCode, Io } from './errors';
export { COMMON_FLAGS, parseFlags, flagHelp, settingsOfEnvFlag, wholeNumberFlag } from './flags';
export type { Flags } from './flags';
export { onInterrupt, interruptReason } from './signals';
export { systemClock } from './clock';
export type { Clock } from './clock';
export { repositoryRoot, displayPath } from './paths';
export { renderTable } from './table';
