/**
 * Where the server's CPU goes on one hot endpoint: the benchmark server (bench/support/server.ts)
 * under `node --cpu-prof`, driven by wrk for `--duration` seconds on the largest organization of
 * a kept dataset, then the profile summed by self time: per package (or `src/…` folder) and the
 * functions that cost most. The .cpuprofile stays in the printed folder for Chrome's DevTools.
 *
 *   npx tsx bench/profile-server.ts --tasks 1000000 --duration 15 [--connections 16] [--only get|list]
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/connection.js';
import { isMain, parseFlags, runMain } from './support/args.js';
import { ensureDataset, sizeForTasks } from './support/datasets.js';
import { log } from './support/report.js';
import { removeMember, signUpMember, startBenchServer } from './support/server-process.js';
import { findTargets } from './support/targets.js';
import { runWrk } from './support/wrk.js';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };
type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] };

/** `node_modules/drizzle-orm/…` → drizzle-orm; `/src/http/app.ts` → src/http; node internals by their prefix. */
function placeOf(url: string): string {
  if (url === '') return '(native or idle)';
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packaged?.[1]) return packaged[1];
  const own = /\/(src|bench)\/([^/]+)(?:\/([^/]+))?/.exec(url);
  if (own) return own[3]?.includes('.') === false ? `${own[1]}/${own[2]}/${own[3]}` : `${own[1]}/${own[2]}`;
  if (url.startsWith('node:')) return url.split('/')[0] ?? url;
  return url;
}

export function summarize(profile: Profile, top = 30): { places: [string, number][]; functions: [string, number][]; total: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, count] of hits) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    total += count;
    const place = functionName === '(garbage collector)' ? '(garbage collector)' : placeOf(url);
    places.set(place, (places.get(place) ?? 0) + count);
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/')}:${lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + count);
  }
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { places: sorted(places), functions: sorted(functions), total };
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const flags = parseFlags();
    const dataset = await ensureDataset(sizeForTasks(flags.tasks), log);
    const admin = await openDatabase({ kind: 'postgres', url: dataset.url }, { maxConnections: 2 });
    const [target] = await findTargets(admin, ['largest']);
    await admin.close();
    if (!target) throw new Error('no target organization');
    const org = target.organizationId;
    const endpoints = {
      get: target.taskIds.slice(0, 8).map((id) => `/api/v1/orgs/${org}/tasks/${id}`),
      list: [`/api/v1/orgs/${org}/projects/${target.projectId}/tasks?limit=50`],
      health: ['/health'],
    };
    const chosen = flags.only.length > 0 ? flags.only : ['get', 'list'];
    for (const name of chosen) {
      const paths = endpoints[name as keyof typeof endpoints];
      if (!paths) throw new Error(`--only takes get, list or health, not ${name}`);
      const dir = mkdtempSync(join(tmpdir(), `tenantry-profile-${name}-`));
      const server = await startBenchServer(dataset.url, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`], processes: flags.webConcurrency });
      const member = await signUpMember(server.baseUrl, dataset.url, org);
      try {
        const load = { baseUrl: server.baseUrl, paths, headers: { authorization: `Bearer ${member.token}` }, connections: flags.connections };
        await runWrk({ ...load, seconds: 3 });
        const before = await server.stats();
        const run = await runWrk({ ...load, seconds: flags.duration });
        const after = await server.stats();
        log(`${name}: ${Math.round(run.rps)} req/s, p50 ${run.p50} ms, ${((after.cpuMicros - before.cpuMicros) / 1000 / run.requests).toFixed(3)} ms CPU and ${((after.queries - before.queries) / run.requests).toFixed(2)} round trips per request, ${run.non2xx} non-2xx`);
      } finally {
        await removeMember(dataset.url, member).catch(() => undefined);
        await server.stop();
      }
      const file = readdirSync(dir).find((entry) => entry.endsWith('.cpuprofile'));
      if (!file) throw new Error(`no profile written in ${dir}`);
      const { places, functions, total } = summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile);
      log(`${name}: profile ${join(dir, file)}, ${total} busy samples (start-up and warm-up included)`);
      for (const [place, count] of places) log(`  ${((100 * count) / total).toFixed(1).padStart(5)} %  ${place}`);
      log('  top functions (self):');
      for (const [fn, count] of functions) log(`  ${((100 * count) / total).toFixed(1).padStart(5)} %  ${fn}`);
    }
  });
}
