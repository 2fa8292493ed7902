import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LakehouseError } from '@lakehouse/runtime';
import { isAlive } from '../processes';

/**
 * One lakehouse per data folder, taken before anything else touches the folder, with plain file-system calls (no
 * native addon).
 *
 * The lock is a folder, `<dataDir>/lock/`, holding one file, `owner-<pid>-<start>.json`, that names its process (and,
 * once known, its endpoint). Each step is atomic on a local file system:
 * - taking it: the owner file is written into a fresh folder of our own, which is then renamed to `lock`; rename(2)
 *   fails when `lock` exists and holds a file, so of any number of processes at most one succeeds, and `lock` never
 *   appears without its owner file;
 * - a stale lock (its process is gone: killed with -9, or crashed): its owner file is removed by its exact name, then
 *   the folder with rmdir(2), which only removes an empty folder. A second process doing the same at the same time
 *   finds the file gone (ENOENT), and a process that took the lock in between put its own file in a new folder,
 *   which rmdir refuses (ENOTEMPTY); rename(2) replaces an empty `lock` left by a process killed between the two
 *   steps. So a live owner's lock is never removed, and every contender tries again on an equal footing;
 * - kill -9 anywhere: before the rename, a `.lock-<pid>-*` folder (or file) is left (removed by a later start once that pid is
 *   gone); after it, a stale lock. Neither keeps the next start out.
 * A process is the owner's if it has its pid and (on Linux) the same start time: a pid reused by another program
 * after a kill -9 does not keep the lock held. Elsewhere the pid alone is checked.
 */

/** Who holds a data folder. */
export interface LockOwner {
  pid: number;
  /** The process's start time (Linux: clock ticks since boot), so that a reused pid is not mistaken for it. */
  start: string;
  /** What it is: `lakehouse up`, the embedded lake of a send, or startLakehouse from code. */
  kind: string;
  /** Its Kinesis endpoint, once listening. */
  endpoint?: string;
}

const LOCK = 'lock';
const OWNER = /^owner-(\d+)-(\w*)\.json$/;

/** A process's start time as /proc has it (field 22 of its stat line), or '' where there is no /proc. */
export function processStart(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces and parentheses: fields are counted after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

/** Whether the process that wrote `owner` still runs. */
export function ownerAlive(owner: Pick<LockOwner, 'pid' | 'start'>): boolean {
  if (!isAlive(owner.pid)) return false;
  const start = processStart(owner.pid);
  return owner.start === '' || start === '' || start === owner.start;
}

const ownerFile = (owner: LockOwner) => `owner-${owner.pid}-${owner.start}.json`;

/** The lock's owner, as its file says; undefined when there is no lock (or an empty one, mid-takeover). */
export async function readLockOwner(dataDir: string): Promise<(LockOwner & { file: string }) | undefined> {
  const dir = join(dataDir, LOCK);
  const names = await readdir(dir).catch(() => []);
  for (const name of names) {
    const match = OWNER.exec(name);
    if (!match) continue;
    const owner = { pid: Number(match[1]), start: match[2] ?? '', kind: 'lakehouse', file: join(dir, name) };
    try {
      return { ...owner, ...(JSON.parse(await readFile(owner.file, 'utf8')) as Partial<LockOwner>), file: owner.file };
    } catch {
      return owner; // the name alone says who; its content is being replaced
    }
  }
  return undefined;
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? '';

/** Removes a stale lock by its owner file's exact name; a lock taken meanwhile by another process stays. */
async function removeStale(dataDir: string, file: string): Promise<void> {
  await unlink(file).catch((error: unknown) => {
    if (code(error) !== 'ENOENT') throw error;
  });
  await rmdir(join(dataDir, LOCK)).catch((error: unknown) => {
    if (!['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes(code(error))) throw error;
  });
}

/** Folders of contenders killed before they could rename theirs into place. */
async function removeAbandoned(dataDir: string): Promise<void> {
  for (const name of await readdir(dataDir).catch(() => [])) {
    const pid = /^\.lock-(\d+)-/.exec(name)?.[1];
    if (pid && Number(pid) !== process.pid && !isAlive(Number(pid))) await rm(join(dataDir, name), { recursive: true, force: true });
  }
}

/** The one line a refused start prints: which lake runs there, and what to do. */
function refusal(dataDir: string, owner: LockOwner): LakehouseError {
  const where = `pid ${owner.pid}, ${owner.endpoint ?? 'still starting'}`;
  const error = new LakehouseError('lakehouse', `a lakehouse is already running for ${dataDir} (${owner.kind}, ${where}); use it, or stop it first`);
  // Who holds it, for a caller that can use that lake instead (a send waits for a lake:up that is starting).
  return Object.assign(error, { owner });
}

/** The data folder, held by this process until `release`. */
export class DataDirLock {
  private released = false;

  private constructor(
    private readonly dataDir: string,
    private owner: LockOwner,
  ) {}

  /**
   * Takes the folder's lock, or fails with one line naming the lakehouse that holds it (exit 8). The folder must
   * exist. `kind` says what this process is, for the message another one would print.
   */
  static async acquire(dataDir: string, kind: string): Promise<DataDirLock> {
    const owner: LockOwner = { pid: process.pid, start: processStart(process.pid), kind };
    await removeAbandoned(dataDir);
    const mine = join(dataDir, `.lock-${process.pid}-${randomUUID()}`);
    await mkdir(mine);
    await writeFile(join(mine, ownerFile(owner)), JSON.stringify(owner));
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await rename(mine, join(dataDir, LOCK));
          return new DataDirLock(dataDir, owner);
        } catch (error) {
          if (!['ENOTEMPTY', 'EEXIST', 'EISDIR', 'EPERM'].includes(code(error))) throw error;
          if (attempt > 100) {
            const lock = join(dataDir, LOCK);
            throw new LakehouseError('lakehouse', `${lock} holds no lakehouse's owner file: if no lakehouse runs on ${dataDir}, remove ${lock}`, {
              cause: error,
            });
          }
        }
        const holder = await readLockOwner(dataDir);
        if (holder && ownerAlive(holder)) throw refusal(dataDir, holder);
        if (holder) await removeStale(dataDir, holder.file);
        else await new Promise((resolve) => setTimeout(resolve, 2)); // another process is between two steps
      }
    } finally {
      await rm(mine, { recursive: true, force: true });
    }
  }

  /** Adds what another process's refusal should say (the endpoint, once listening). */
  async update(fields: Pick<LockOwner, 'endpoint'>): Promise<void> {
    if (this.released) return;
    this.owner = { ...this.owner, ...fields };
    // Written beside the lock and renamed into it: the lock folder never holds anything but its owner file.
    const tmp = join(this.dataDir, `.lock-${process.pid}-${randomUUID()}.tmp`);
    await writeFile(tmp, JSON.stringify(this.owner));
    await rename(tmp, join(this.dataDir, LOCK, ownerFile(this.owner)));
  }

  /** Gives the folder up (once); a process that exits without it leaves a stale lock, which the next start takes. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await removeStale(this.dataDir, join(this.dataDir, LOCK, ownerFile(this.owner)));
  }
}
