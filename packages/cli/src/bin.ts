#!/usr/bin/env node
import { runCli } from './program.js';
import { exitQuietlyOnClosedPipe } from './closedPipe.js';

exitQuietlyOnClosedPipe(process.stdout);
exitQuietlyOnClosedPipe(process.stderr);
// exitCode, not exit(): the process ends once finauth has closed its sockets, which is itself a check.
process.exitCode = await runCli(process.argv.slice(2));
