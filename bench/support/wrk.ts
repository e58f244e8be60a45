import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** wrk (a C load generator), so the client does not compete with the server for Node's cores. */
export const WRK = process.env.WRK ?? 'wrk';

export type WrkRun = {
  /** 2xx responses per second. */
  rps: number;
  requests: number;
  non2xx: number;
  /** Connect, read, write and timeout errors. */
  errors: number;
  p50: number;
  p99: number;
  command: string;
};

export type WrkOptions = {
  baseUrl: string;
  /** Paths taken in turn by every connection (or at random, with `pick: 'random'`). */
  paths: string[];
  /** GET unless given; with `bodies`, body i goes with path i. */
  method?: 'GET' | 'PATCH';
  bodies?: string[];
  /**
   * `rotate` (the default): every thread of wrk takes the paths in the same order. `random`:
   * each request picks one at random, per thread seeded apart, so that writes spread over rows
   * the way pgbench picks its scripts, and two threads do not write the same row in step.
   */
  pick?: 'rotate' | 'random';
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  /**
   * Total requests per second to pace at; unset means as fast as it goes. wrk has no open-loop
   * mode: each connection waits connections/rate seconds before its next request, so a slow
   * answer delays the ones behind it (the latencies are those of a paced closed loop).
   */
  rate?: number;
};

/** Runs wrk with a Lua script that rotates the paths, sets the headers and counts non-2xx. */
export async function runWrk(options: WrkOptions): Promise<WrkRun> {
  const dir = mkdtempSync(join(tmpdir(), 'tenantry-wrk-'));
  try {
    const script = join(dir, 'paths.lua');
    writeFileSync(script, luaScript(options));
    const args = ['-t', '2', '-c', String(options.connections), '-d', `${options.seconds}s`, '--latency', '-s', script, options.baseUrl];
    const output = await new Promise<string>((done, fail) => {
      execFile(WRK, args, { timeout: (options.seconds + 60) * 1000 }, (error, stdout, stderr) => {
        if (error) fail(new Error(`wrk failed: ${error.message}\n${stderr}`));
        else done(stdout);
      });
    });
    const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? Number.NaN);
    const seconds = duration(/requests in ([\d.]+\w+),/.exec(output)?.[1] ?? '');
    const non2xx = Number(/non2xx=(\d+)/.exec(output)?.[1] ?? Number.NaN);
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
    const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
    if (!Number.isFinite(requests) || !Number.isFinite(non2xx)) throw new Error(`cannot read wrk output:\n${output}`);
    return {
      rps: (requests - non2xx) / seconds,
      requests,
      non2xx,
      errors,
      p50: millis(/^\s+50%\s+(\S+)$/m.exec(output)?.[1] ?? ''),
      p99: millis(/^\s+99%\s+(\S+)$/m.exec(output)?.[1] ?? ''),
      command: `${WRK} ${args.map((arg) => arg.replace(dir, '$TMP')).join(' ')}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function luaScript({ paths, method = 'GET', bodies, pick = 'rotate', headers = {}, connections, rate }: WrkOptions): string {
  const lua = (text: string) => JSON.stringify(text);
  if (bodies && bodies.length !== paths.length) throw new Error('runWrk: one body per path');
  const headerLines = Object.entries(headers).map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`);
  const pause = rate ? `function delay() return ${(1000 * connections) / rate} end` : '';
  const next = pick === 'random' ? 'math.random(#paths)' : '(counter % #paths) + 1';
  return `
local paths = { ${paths.map(lua).join(', ')} }
local bodies = { ${(bodies ?? []).map(lua).join(', ')} }
${headerLines.join('\n')}
local counter = 0
-- Globals: setup() gives each thread its own seed, done() reads each thread's non2xx.
seed = 0
non2xx = 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("seed", #threads)
end
function init(args) math.randomseed(seed * 7919 + os.time()) end
function request()
  counter = counter + 1
  local index = ${next}
  return wrk.format(${lua(method)}, paths[index], nil, bodies[index])
end
function response(status)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
${pause}
function done()
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("non2xx") end
  io.write("non2xx=" .. total .. "\\n")
end
`;
}

/** wrk's "15.01s", "1.00m". */
function duration(text: string): number {
  const match = /^([\d.]+)(ms|s|m)$/.exec(text);
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'ms' ? value / 1000 : match[2] === 'm' ? value * 60 : value;
}

/** wrk's "812.00us", "1.23ms", "2.01s" as milliseconds. */
function millis(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}
