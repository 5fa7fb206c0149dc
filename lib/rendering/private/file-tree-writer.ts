import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';

/** One file to write: its path relative to the output directory (`/`-separated) and its content. */
export interface TreeFile {
  readonly path: string;
  readonly content: string;
}

/** Files per message to the writer thread. */
const BATCH = 64;

/**
 * The writer thread: removes the output directory, then writes every batch it receives (creating each folder once),
 * in order. On `end` it reports the first error, if any, on its result port and wakes the caller.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const fs = require('fs');
const path = require('path');
const folders = new Set();
let error;
// Wakes the caller whatever happens to this thread (the caller then reports a missing result).
process.on('exit', () => {
  Atomics.store(workerData.done, 0, 1);
  Atomics.notify(workerData.done, 0);
});
try {
  fs.rmSync(workerData.outdir, { recursive: true, force: true });
} catch (e) {
  error = String(e && e.message || e);
}
parentPort.on('message', (batch) => {
  if (batch === 'end') {
    workerData.result.postMessage({ error });
    Atomics.store(workerData.done, 0, 1);
    Atomics.notify(workerData.done, 0);
    parentPort.close();
    return;
  }
  if (error !== undefined) return;
  try {
    for (const [target, content] of batch) {
      const folder = path.dirname(target);
      if (!folders.has(folder)) {
        fs.mkdirSync(folder, { recursive: true });
        folders.add(folder);
      }
      fs.writeFileSync(target, content);
    }
  } catch (e) {
    error = String(e && e.message || e);
  }
});
`;

/**
 * Replaces `outdir` with `files` (produced lazily, in order) and returns their paths.
 *
 * With `background`, a worker thread removes the old directory and creates the files while the caller's iterable
 * renders the next ones, and this returns only once the last file is written (or throws the first error). Creating
 * thousands of small files costs the kernel about as much as rendering their YAML costs JavaScript, so on a platform
 * with hundreds of models the two overlap instead of adding up. Without it (small outputs, where starting a thread
 * costs more than it saves) the files are written in this thread.
 */
export function writeFileTree(outdir: string, files: Iterable<TreeFile>, background: boolean): string[] {
  const target = (f: TreeFile) => path.join(outdir, ...f.path.split('/'));
  const written: string[] = [];
  if (!background) {
    fs.rmSync(outdir, { recursive: true, force: true });
    // Each folder is created once (thousands of files go into a few hundred folders).
    const folders = new Set<string>();
    for (const f of files) {
      const file = target(f);
      const folder = path.dirname(file);
      if (!folders.has(folder)) {
        fs.mkdirSync(folder, { recursive: true });
        folders.add(folder);
      }
      fs.writeFileSync(file, f.content);
      written.push(f.path);
    }
    return written;
  }
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1: result, port2: resultForWorker } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { outdir, done, result: resultForWorker },
    transferList: [resultForWorker],
  });
  worker.unref();
  let batch: [string, string][] = [];
  try {
    for (const f of files) {
      batch.push([target(f), f.content]);
      written.push(f.path);
      if (batch.length === BATCH) {
        worker.postMessage(batch);
        batch = [];
      }
    }
    worker.postMessage(batch);
  } finally {
    // Also when rendering threw: the thread stops and its error, if any, is not the one to report.
    worker.postMessage('end');
    Atomics.wait(done, 0, 0);
  }
  const reply = receiveMessageOnPort(result)?.message as { error?: string } | undefined;
  result.close();
  if (reply === undefined) throw new Error(`writing ${outdir}: the writer thread ended without a result`);
  if (reply.error !== undefined) throw new Error(`writing ${outdir}: ${reply.error}`);
  return written;
}
