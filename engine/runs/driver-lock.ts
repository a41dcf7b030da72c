import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { isAlive } from '../system/file-lock.ts';
import { RunsError } from './run-errors.ts';

/**
 * At most one process drives the runs of a data dir: two drivers would both re-enter a stage
 * found running and run its body twice. The lock is a file holding the driver's pid, created
 * exclusively; a lock left by a process that no longer exists (SIGKILL, power loss) is taken
 * over, which is what lets a killed engine's successor resume.
 */
/** Lock files held by engines of this process: the pid in the file cannot tell them apart. */
const heldHere = new Set<string>();

export class DriverLock {
  private readonly file: string;
  private held = false;

  constructor(databaseFile: string) {
    this.file = `${databaseFile}.runs-driver.lock`;
  }

  acquire(): void {
    if (heldHere.has(this.file)) {
      throw new RunsError(
        'conflict',
        'another engine of this process already drives the runs of this data dir',
      );
    }
    for (let attempt = 0; attempt < 2 && !this.held; attempt++) {
      try {
        const fd = openSync(this.file, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        this.held = true;
        heldHere.add(this.file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(readFileSync(this.file, 'utf8').trim());
        // Our own pid in the file is a dead predecessor's that the OS gave us again.
        if (owner !== process.pid && isAlive(owner)) {
          throw new RunsError(
            'conflict',
            `another ProdSprint process (pid ${owner}) already drives the runs of this data dir; submit through it, or stop it first`,
          );
        }
        rmSync(this.file, { force: true });
      }
    }
    if (!this.held)
      throw new RunsError('conflict', `could not take the run driver lock ${this.file}`);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    heldHere.delete(this.file);
    rmSync(this.file, { force: true });
  }
}
