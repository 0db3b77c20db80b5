// Who holds the write lock: while a write transaction is open, dbd keeps a small note next to
// the database (<db>-writer: pid, OS user, command line, start time). A process that times out
// waiting for the lock reads it to tell the user which process to wait for. The note is written
// after the lock is taken and removed before it is released, so it always names the holder; a
// note left by a killed process is recognised (its pid is gone) and ignored.
import fs from 'node:fs';
import { onInterrupt } from '../interrupt.js';
import { currentCommandLine, osUser } from './audit.js';

export interface WriterNote {
  pid: number;
  user: string;
  command: string;
  since: string;
}

export function writerNotePath(dbPath: string): string {
  return `${dbPath}-writer`;
}

/** Record this process as the writer. Best effort: a read-only directory must not stop a write. */
export function writeWriterNote(dbPath: string): void {
  const note: WriterNote = { pid: process.pid, user: osUser(), command: currentCommandLine(), since: new Date().toISOString() };
  const target = writerNotePath(dbPath);
  const temp = `${target}.${process.pid}`;
  try {
    fs.writeFileSync(temp, JSON.stringify(note), { mode: 0o600 });
    fs.renameSync(temp, target);
    interrupted.set(dbPath, onInterrupt(() => clearWriterNote(dbPath)));
  } catch {
    fs.rmSync(temp, { force: true });
  }
}

/** The cancels of the interrupt clean-ups of this process's notes, by database. */
const interrupted = new Map<string, () => void>();

export function clearWriterNote(dbPath: string): void {
  interrupted.get(dbPath)?.();
  interrupted.delete(dbPath);
  try {
    const note = readNote(writerNotePath(dbPath));
    // Only our own note: never remove one written by the next holder.
    if (note?.pid === process.pid) fs.rmSync(writerNotePath(dbPath), { force: true });
  } catch {
    // nothing to clear
  }
}

/** The live process holding the write lock, if a dbd process does. */
export function currentWriter(dbPath: string): WriterNote | undefined {
  const note = readNote(writerNotePath(dbPath));
  if (!note || note.pid === process.pid || !isAlive(note.pid)) return undefined;
  return note;
}

function readNote(file: string): WriterNote | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<WriterNote>;
    if (typeof value.pid !== 'number' || typeof value.command !== 'string') return undefined;
    return { pid: value.pid, user: String(value.user ?? ''), command: value.command, since: String(value.since ?? '') };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
