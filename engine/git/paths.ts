/**
 * Paths of files written into a repository: relative, "/"-separated, inside the tree. A path
 * that could escape it (`..`, absolute, a drive letter) or write into git's own directory
 * (`.git`) is refused before anything is written.
 */
import { GitWriteError } from './write-errors.ts';

export function checkRepoPath(path: string): string {
  const refuse = (why: string) => {
    throw new GitWriteError('invalid-path', `file path ${JSON.stringify(path)} is refused: ${why}`);
  };
  if (path.length === 0) refuse('it is empty');
  if (path.includes('\0')) refuse('it contains a NUL byte');
  if (path.includes('\\')) refuse('use "/" as the separator');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) refuse('it is absolute');
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.') refuse('it has an empty or "." segment');
    if (segment === '..') refuse('it leaves the repository ("..")');
    if (segment.toLowerCase() === '.git') refuse('it writes into .git');
  }
  return path;
}
