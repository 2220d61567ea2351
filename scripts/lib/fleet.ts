// A fleet on one machine (ADR 016): N instances of the built site on one PostgreSQL database,
// started together (they race for the migration lock), behind nginx as the load balancer. Used by
// `npm run fleet`, the fleet e2e test and bench:fleet.
import { freePort } from '../../tests/support/prometheus-scrape.ts';
import { type RunningServer, startServer } from '../../tests/support/server.ts';
import { type RunningNginx, startNginx } from './nginx.ts';

export interface Fleet {
  /** The load balancer's address. */
  url: string;
  ports: number[];
  /** The instances, by index; null while one is down. */
  instances: (RunningServer | null)[];
  nginx: RunningNginx;
  /** SIGKILL, no drain (a crash). */
  kill(index: number): Promise<void>;
  /**
   * SIGTERM (graceful), a new instance on the same port, then wait (at most 30 s) until nginx sends
   * it traffic again — a rolling restart moves to the next instance only then.
   */
  restart(index: number): Promise<void>;
  /** Starts an instance that is down on its port again. */
  start(index: number): Promise<RunningServer>;
  stop(): Promise<void>;
}

async function servedSomething(url: string, token: string | undefined): Promise<boolean> {
  const response = await fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const text = await response.text();
  return /^http_request_duration_seconds_count\{(?![^}]*route="\/metrics")[^}]*\} [1-9]/m.test(text);
}

export async function startFleet(options: {
  size: number;
  databaseUrl: string;
  /** nginx's port (default: a free one); instances get the next ones when `instancePorts` is not given. */
  port?: number;
  instancePorts?: number[];
  env?: Record<string, string>;
}): Promise<Fleet> {
  if (!/^postgres(ql)?:\/\//.test(options.databaseUrl))
    throw new Error('a fleet needs PostgreSQL: set DATABASE_URL to a postgresql:// URL');
  const ports: number[] = options.instancePorts ? [...options.instancePorts] : [];
  while (ports.length < options.size) ports.push(await freePort());
  const launch = (port: number) =>
    startServer({ DATABASE_URL: options.databaseUrl, PORT: String(port), TRUST_PROXY: '127.0.0.1,::1', ...options.env });
  const instances: (RunningServer | null)[] = await Promise.all(ports.map(launch));
  let nginx: RunningNginx;
  try {
    nginx = await startNginx(
      options.port ?? (await freePort()),
      ports.map((p) => `127.0.0.1:${p}`),
    );
  } catch (error) {
    await Promise.all(instances.map((i) => i?.stop()));
    throw error;
  }
  const fleet: Fleet = {
    url: nginx.url,
    ports,
    instances,
    nginx,
    async kill(index) {
      const instance = instances[index];
      instances[index] = null;
      if (!instance || instance.process.exitCode !== null) return;
      const exited = new Promise((resolve) => instance.process.once('exit', resolve));
      instance.process.kill('SIGKILL');
      await exited;
    },
    async restart(index) {
      await instances[index]?.stop();
      instances[index] = null;
      const url = (await fleet.start(index)).url;
      const until = Date.now() + 30_000;
      // The new process counts only what reached it; startServer itself sends nothing.
      while (!(await servedSomething(url, options.env?.['METRICS_TOKEN']))) {
        if (Date.now() > until) throw new Error(`instance ${index} got no traffic from nginx within 30 s of its restart`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async start(index) {
      const instance = await launch(ports[index] ?? 0);
      instances[index] = instance;
      return instance;
    },
    async stop() {
      await nginx.stop();
      await Promise.all(instances.map((i) => i?.stop()));
    },
  };
  return fleet;
}
