// Runs the CLI's main() with captured output, as if started in `cwd`.
import { Writable } from "node:stream";
import { main, type Io } from "../../src/cli/review.js";

class Capture extends Writable {
  text = "";
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(cwd: string, args: string[], opts: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const stdout = new Capture(opts.tty);
  const stderr = new Capture();
  // In-process engine here (the worker pool has its own tests; the installed CLI's test runs it in threads).
  const io: Io = { cwd, env: { AI_GAPS_ENGINE_WORKERS: "0", ...opts.env }, stdout, stderr };
  const code = await main(args, io);
  return { code, out: stdout.text, err: stderr.text };
}
