export { runCli } from './program.js';
export { runToken, type TokenCommandOptions } from './commands/runToken.js';
export { runDoctor, type DoctorOptions } from './doctor/runDoctor.js';
export type { Check, CheckResult, Verdict } from './doctor/Check.js';
export { processIo, memoryIo, type CliIo } from './io.js';
export { shortenToken } from './shortenToken.js';
