import { EXIT, type ExitCode, type LakehouseError } from '@lakehouse/runtime';

/** What a run ended with, as far as its exit code goes. */
export interface RunEnd {
  /** The first fatal error, if one stopped the run. */
  error?: LakehouseError;
  deadLettered: number;
  rejected: number;
  /** Stopped by Ctrl-C (not by a closed stdout, a normal end). */
  interrupted: boolean;
}

/**
 * A run's exit code, when several things went wrong (an error's own is @lakehouse/runtime's exitCodeOf): the first
 * fatal error decides; then records not delivered (dead-lettered, 4) before records refused (3), and those before an
 * interruption (130). The README's "Exit codes" says the same.
 */
export function runExitCode(end: RunEnd): ExitCode {
  if (end.error) return end.error.exitCode;
  if (end.deadLettered > 0) return EXIT['dead-lettered'];
  if (end.rejected > 0) return EXIT.rejected;
  return end.interrupted ? EXIT.interrupted : EXIT.ok;
}
