/**
 * `finauth doctor | head -5`: once `head` has its lines it closes the pipe, and the next write
 * fails with EPIPE, emitted as an 'error' event that would crash the process with a stack trace.
 * The reader wanted no more output, so the command stops there, quietly, with status 0 (the
 * shell reports the reader's status for the pipeline anyway). Any other stream error is rethrown.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
