import { readdirSync, readFileSync } from 'node:fs';

/**
 * Linux's /proc: the live children of `parent` whose command line contains `command` (a lake's query processes, a
 * query's jq processes), by pid.
 */
export function childProcesses(parent: number, command: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === parent && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(command);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}
