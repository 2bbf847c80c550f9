import { expect } from 'chai';
import { memoryIo } from '../src/io.js';
import { runCli } from '../src/program.js';

describe('finauth --help and usage errors', () => {
  it('--help lists every command and exits 0', async () => {
    const io = memoryIo();
    expect(await runCli(['--help'], io)).to.equal(0);
    const text = io.stdout.join('\n');
    for (const command of ['demo', 'sandbox', 'token', 'doctor', '--verbose']) expect(text).to.include(command);
  });

  for (const [command, mustList] of [
    ['demo', ['sandbox']],
    ['sandbox', ['--out', 'Ctrl-C']],
    ['token', ['<providerId>', '--config', '--scope', '--json']],
    ['doctor', ['--config']],
  ] as const) {
    it(`${command} --help describes its arguments and exits 0`, async () => {
      const io = memoryIo();
      expect(await runCli([command, '--help'], io)).to.equal(0);
      const text = io.stdout.join('\n');
      for (const word of mustList) expect(text).to.include(word);
    });
  }

  it('an unknown command is one error line and exit code 1', async () => {
    const io = memoryIo();
    expect(await runCli(['fetch-all-the-tokens'], io)).to.equal(1);
    expect(io.stderr.join('\n')).to.match(/unknown command 'fetch-all-the-tokens'/);
  });

  it('token without --config names the missing option', async () => {
    const io = memoryIo();
    expect(await runCli(['token', 'bnp'], io)).to.equal(1);
    expect(io.stderr.join('\n')).to.match(/required option '-c, --config <file>' not specified/);
  });
});
