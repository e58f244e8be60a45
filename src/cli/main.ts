import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { TenantryError } from '../errors.js';
import { registerDbCommands } from './commands/index.js';
import { registerKeysCommands } from './commands/keys.js';
import { registerTenantCommands } from './commands/tenant.js';

const program = new Command('tenantry')
  .description('Tenantry: multi-tenant work management on PostgreSQL')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerDbCommands(program);
registerTenantCommands(program);
registerKeysCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

/** One line on stderr and a non-zero exit; a stack trace only when TENANTRY_DEBUG is set. */
function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its own one-line message (or the help text).
    return error.exitCode;
  }
  if (process.env.TENANTRY_DEBUG) console.error(error);
  if (error instanceof TenantryError || error instanceof ConfigError) {
    console.error(`tenantry: ${error.message}`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(`tenantry: unexpected failure: ${message} (set TENANTRY_DEBUG=1 for details)`);
  return 1;
}
