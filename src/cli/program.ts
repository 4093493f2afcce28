/**
 * How every program of the service ends (main.ts and the commands in cli/),
 * written once: a configuration error is one line naming what is wrong and
 * exit code 78 (EX_CONFIG), a usage error exit code 2, any other failure one
 * line "<name> failed: …" and exit code 1; success exits with the code the
 * program returned (0 by default) once its output is written.
 */
import { ConfigError } from "../env.ts";

export interface ProgramOptions {
  /** Errors that mean the command was called wrongly (exit code 2, the message alone). */
  usage?: (error: unknown) => boolean;
  /** Keep the process running after `main` resolves (a service); default: exit. */
  keepRunning?: boolean;
}

export function runProgram(
  name: string,
  /** Resolves with the exit code, or with nothing for 0. */
  main: () => Promise<unknown>,
  opts: ProgramOptions = {},
): void {
  main().then(
    (code) => {
      if (!opts.keepRunning) exit(typeof code === "number" ? code : 0);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof ConfigError) {
        console.error(`Configuration error: ${message}`);
        exit(78);
      } else if (opts.usage?.(error)) {
        console.error(message);
        exit(2);
      } else {
        console.error(`${name} failed: ${message}`);
        exit(1);
      }
    },
  );
}

/** Exits once what was written to stdout and stderr has been flushed (pipes are asynchronous). */
function exit(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}
