import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { generateMasterKey, parseMasterKey } from '../../crypto/envelope.js';
import { loadMasterKey } from '../../crypto/master-key.js';
import { rotateMasterKey } from '../../crypto/organization-keys.js';
import { say, withDatabase } from '../runtime.js';

type RotateFlags = { newKey?: string };

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('manage the master key that wraps every organization data key');
  keys
    .command('rotate')
    .description(
      're-wrap every organization data key under a new master key (data is not touched); the current key comes from ' +
        'TENANTRY_MASTER_KEY or the data folder, the new one from --new-key or TENANTRY_NEW_MASTER_KEY, or is generated',
    )
    .option('--new-key <base64>', 'the new master key (32 bytes, base64); prefer TENANTRY_NEW_MASTER_KEY to keep it out of ps')
    .action(async (flags: RotateFlags) => {
      const config = loadConfig();
      const fromEnvironment = Boolean(process.env.TENANTRY_MASTER_KEY);
      const warn = (line: string) => process.stderr.write(`warning: ${line}\n`);
      const oldKey = loadMasterKey({ env: process.env, dataDir: config.dataDir, nodeEnv: config.nodeEnv, warn });
      const offered = flags.newKey ?? process.env.TENANTRY_NEW_MASTER_KEY;
      const newKey = offered ? parseMasterKey(offered, 'the new master key') : generateMasterKey();

      await withDatabase(async (db) => {
        const { rotated } = await rotateMasterKey(db, oldKey, newKey, (done, total) => say(`  re-wrapped ${done}/${total}`));
        say(`Re-wrapped ${rotated} organization data key(s) under the new master key.`);
      });

      if (fromEnvironment) {
        say(offered ? 'Set TENANTRY_MASTER_KEY to the new key and restart every server.' : `New master key (store it now, it is shown once): ${newKey.toString('base64')}`);
        say('Servers still running with the old key will fail to unwrap keys until they restart with the new one.');
      } else {
        // The embedded default keeps its key in the data folder: replace it atomically.
        const path = join(config.dataDir, 'master.key');
        writeFileSync(`${path}.new`, `${newKey.toString('base64')}\n`, { mode: 0o600 });
        renameSync(`${path}.new`, path);
        say(`Wrote the new master key to ${path}; restart the server.`);
      }
    });
}
