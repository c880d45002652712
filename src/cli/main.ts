#!/usr/bin/env node
// The gen-userdata executable: runs the command line (cli.ts) on this process's argv.
// thread-pool.js first: it must run before any module could start libuv's pool.
import './thread-pool.js';
import { hideBin } from 'yargs/helpers';
import { main } from './cli.js';
import { EXIT } from './report.js';

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`gen-userdata: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = EXIT.invalid;
  },
);
