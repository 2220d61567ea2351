// A discrete-event simulation, in virtual milliseconds, of a thread-per-request web service under
// load. The load engine submits requests in arrival order and gets each response back at once.
//
// That works without an event loop because workers are granted first come, first served: a
// request's start is max(arrival, earliest free worker) (the Kiefer–Wolfowitz recursion), fixed by
// the requests before it, and it keeps its worker until it is answered. Pools are min-heaps of free
// times and the wait queue is a FIFO of the times its members leave it, so each request costs
// O(log c) whatever the load.
import { DependencySlowdown, PauseTimeline, regressionFactor } from './faults.ts';
import { FifoQueue, MinHeap } from './heaps.ts';
import { createRandom, exponential, lognormal, type Random, uniform } from './random.ts';
import { Router } from './routes.ts';
import { type Distribution, describeServiceIssues, type Service, ServiceSchema } from './service.ts';

/** One HTTP request from the load engine. */
export interface SimRequest {
  /** When the client starts sending, in virtual ms; never earlier than the previous request's. */
  arrival: number;
  /** HTTP method, e.g. 'GET' (case-insensitive). */
  method: string;
  /** Absolute or path-only URL; only the path is routed. */
  url: string;
  /** Request body size, for the time to send it. */
  bodyBytes: number;
}

/** The simulated answer, with k6's timing breakdown. */
export interface SimResponse {
  /** 200, 404 (no endpoint), 500 (errorRate) or 503 (queue full or queue timeout). */
  status: number;
  /** Copied from the request. */
  arrival: number;
  /** When the last response byte arrives: arrival + duration. */
  end: number;
  /** sending + waiting + receiving, like k6's http_req_duration. */
  duration: number;
  /** Time to first byte: queueing for a worker plus service (k6's http_req_waiting). */
  waiting: number;
  /** Time to receive the response body. */
  receiving: number;
  /** Time to send the request body, including waiting for the shared uplink. */
  sending: number;
  /** Response body size. */
  bodyBytes: number;
  /** The matched endpoint's path as declared (e.g. '/products/:id'), or null for a 404. */
  endpoint: string | null;
}

/** Totals over everything submitted so far. Times are virtual ms and rates per ms. */
export interface SimStats {
  /** Requests submitted. */
  requests: number;
  /** Responses per status code, ascending by status, zero counts omitted. */
  statusCounts: { status: number; count: number }[];
  /** 503s refused on arrival because the wait queue was full. */
  refused: number;
  /** 503s shed after waiting queueTimeoutMs for a worker. */
  shed: number;
  /** From the first arrival to the last response's end (0 before any request). */
  elapsed: number;
  /** requests / elapsed. */
  arrivalRate: number;
  /** Mean duration over all responses (W in Little's law). */
  meanResponseTime: number;
  /** Time-average number of requests in flight (arrival to end) over `elapsed` (L in Little's law). */
  meanNumberInSystem: number;
  /** Most requests in flight at one instant. */
  maxNumberInSystem: number;
  /** Requests that got a worker. */
  served: number;
  /** Of those, the ones that had to wait for it (arrived when every worker was busy). */
  queued: number;
  /** Mean wait for a worker over served requests. */
  meanQueueWait: number;
  /** Time-average number of requests waiting for a worker, shed ones included. */
  meanNumberWaiting: number;
  /** Worker time held by requests, pauses included. */
  workerBusyTime: number;
  /** workerBusyTime / (workers × elapsed). */
  workerUtilisation: number;
  /** Connection time held by DB calls. */
  dbBusyTime: number;
  /** dbBusyTime / (connections × elapsed), 0 without a database. */
  dbUtilisation: number;
}

/** A 1 Gbit/s link moves 125,000 bytes per ms; it is never the bottleneck in these labs. */
const LINK_BYTES_PER_MS = 125_000;
/** Routing a request that matches nothing, on the acceptor thread, without a worker. */
export const NOT_FOUND_TIME_MS = 0.02;
// Error bodies are the reason phrases, so data_received stays plausible.
const NOT_FOUND_BYTES = 'Not Found'.length;
const SERVER_ERROR_BYTES = 'Internal Server Error'.length;
const UNAVAILABLE_BYTES = 'Service Unavailable'.length;

interface CompiledEndpoint {
  path: string;
  serviceTime: Distribution;
  cpuFactor: number;
  dbCalls: number;
  dbServiceTime: Distribution | null;
  responseBytes: number;
  errorRate: number;
}

/** A duration from a distribution; every kind but constant consumes exactly one uniform. */
export function drawDuration(random: Random, distribution: Distribution): number {
  switch (distribution.type) {
    case 'constant':
      return distribution.value;
    case 'exponential':
      return exponential(random, distribution.mean);
    case 'lognormal':
      return lognormal(random, distribution.median, distribution.sigma);
    case 'uniform':
      return uniform(random, distribution.min, distribution.max);
  }
}

export class ServiceSimulator {
  readonly service: Service;
  readonly #random: Random;
  readonly #router: Router;
  readonly #endpoints: CompiledEndpoint[];
  readonly #pauses: PauseTimeline;
  readonly #slowdown: DependencySlowdown;
  /** Free time of each worker. */
  readonly #workers: MinHeap;
  /** Free time of each DB connection. */
  readonly #connections: MinHeap;
  /** When each request now waiting for a worker leaves the queue; nondecreasing under FCFS. */
  readonly #waiting = new FifoQueue();
  /** Ends of the requests in flight, for the time-average number in system. */
  readonly #inFlight = new MinHeap(64);

  #lastArrival = Number.NEGATIVE_INFINITY;
  #uplinkFree = Number.NEGATIVE_INFINITY;
  #firstArrival = 0;
  #clock = 0;
  #inSystemArea = 0;
  #maxInSystem = 0;
  #requests = 0;
  #ok = 0;
  #serverErrors = 0;
  #notFound = 0;
  #refused = 0;
  #shed = 0;
  #queued = 0;
  #queueWait = 0;
  #shedWait = 0;
  #durations = 0;
  #workerBusy = 0;
  #dbBusy = 0;

  constructor(service: Service, seed: number) {
    const parsed = ServiceSchema.safeParse(service);
    if (!parsed.success) throw new Error(`The service definition is not valid:\n${describeServiceIssues(parsed.error)}`);
    this.service = parsed.data;
    this.#random = createRandom(seed);
    this.#router = new Router(this.service.endpoints);
    this.#endpoints = this.service.endpoints.map((endpoint) => ({
      path: endpoint.path,
      serviceTime: endpoint.serviceTime,
      cpuFactor: regressionFactor(this.service.faults, endpoint.path),
      dbCalls: endpoint.db?.calls ?? 0,
      dbServiceTime: endpoint.db?.serviceTime ?? null,
      responseBytes: endpoint.responseBytes,
      errorRate: endpoint.errorRate ?? 0,
    }));
    this.#pauses = new PauseTimeline(this.service.faults);
    this.#slowdown = new DependencySlowdown(this.service.faults);
    this.#workers = MinHeap.filled(this.service.workers, Number.NEGATIVE_INFINITY);
    this.#connections = MinHeap.filled(this.service.database?.connections ?? 1, Number.NEGATIVE_INFINITY);
  }

  submit(request: SimRequest): SimResponse {
    const { arrival, bodyBytes } = request;
    if (!(arrival >= this.#lastArrival && arrival < Number.POSITIVE_INFINITY)) {
      throw new Error(
        `Requests must be submitted in nondecreasing arrival order with finite times: got arrival ${arrival} ms after ${this.#lastArrival} ms.`,
      );
    }
    if (!(bodyBytes >= 0 && bodyBytes < Number.POSITIVE_INFINITY)) {
      throw new Error(`A request's bodyBytes must be a finite number ≥ 0, got ${bodyBytes}.`);
    }
    this.#lastArrival = arrival;

    // One shared uplink, first come first served, keeps server-side arrivals in order too.
    const serverArrival = Math.max(arrival, this.#uplinkFree) + bodyBytes / LINK_BYTES_PER_MS;
    this.#uplinkFree = serverArrival;
    const pauses = this.#pauses;
    const seen = pauses.firstActive(serverArrival);

    let status: number;
    let answered: number;
    let responseBytes: number;
    let path: string | null = null;
    const index = this.#router.match(request.method, request.url);
    const endpoint = index >= 0 ? this.#endpoints[index] : undefined;
    if (endpoint === undefined) {
      status = 404;
      answered = pauses.advance(seen, NOT_FOUND_TIME_MS);
      responseBytes = NOT_FOUND_BYTES;
      this.#notFound++;
    } else {
      path = endpoint.path;
      this.#waiting.dropThrough(seen);
      const workers = this.#workers;
      const workerFree = workers.peek();
      if (workerFree > seen && this.#waiting.size >= this.service.queueLimit) {
        status = 503;
        answered = seen;
        responseBytes = UNAVAILABLE_BYTES;
        this.#refused++;
      } else {
        const start = pauses.firstActive(Math.max(workerFree, seen));
        const deadline = serverArrival + this.service.queueTimeoutMs;
        if (start > deadline) {
          // Shed without ever holding a worker, so the requests behind it keep their places.
          status = 503;
          answered = pauses.firstActive(deadline);
          responseBytes = UNAVAILABLE_BYTES;
          this.#waiting.push(answered);
          this.#shed++;
          this.#shedWait += answered - serverArrival;
        } else {
          if (start > seen) this.#waiting.push(start);
          if (start > serverArrival) {
            this.#queued++;
            this.#queueWait += start - serverArrival;
          }
          let done = pauses.advance(start, drawDuration(this.#random, endpoint.serviceTime) * endpoint.cpuFactor);
          if (endpoint.dbServiceTime !== null) done = this.#callDatabase(done, endpoint.dbCalls, endpoint.dbServiceTime);
          workers.replaceTop(done);
          this.#workerBusy += done - start;
          answered = done;
          if (endpoint.errorRate > 0 && this.#random.next() < endpoint.errorRate) {
            status = 500;
            responseBytes = SERVER_ERROR_BYTES;
            this.#serverErrors++;
          } else {
            status = 200;
            responseBytes = endpoint.responseBytes;
            this.#ok++;
          }
        }
      }
    }

    const sending = serverArrival - arrival;
    const waiting = answered - serverArrival;
    const receiving = responseBytes / LINK_BYTES_PER_MS;
    const duration = sending + waiting + receiving;
    const end = arrival + duration;
    this.#recordInFlight(arrival, end);
    this.#requests++;
    this.#durations += duration;
    return { status, arrival, end, duration, waiting, receiving, sending, bodyBytes: responseBytes, endpoint: path };
  }

  /**
   * Runs a request's DB calls one after another from `time` and returns when the last one is back.
   * Connections are granted in submission order: a call takes the connection that frees up first,
   * even if a request submitted later would reach the pool earlier in virtual time, and a
   * connection's idle gaps before a later reservation are not back-filled. This keeps each request
   * answerable at submission; it differs from strict time-ordered FCFS only when the pool is
   * contended and CPU times are very uneven. The database is another process, so app pauses do not
   * stop a call in progress, but the app only issues a call, or sees its result, outside a pause.
   */
  #callDatabase(time: number, calls: number, serviceTime: Distribution): number {
    const pauses = this.#pauses;
    const connections = this.#connections;
    let now = time;
    for (let call = 0; call < calls; call++) {
      const free = connections.peek();
      const start = pauses.firstActive(Math.max(free, now));
      const end = pauses.firstActive(start + drawDuration(this.#random, serviceTime) * this.#slowdown.factorAt(start));
      connections.replaceTop(end);
      this.#dbBusy += end - start;
      now = end;
    }
    return now;
  }

  /** Sweeps arrivals and ends in time order to integrate the number of requests in flight. */
  #recordInFlight(arrival: number, end: number): void {
    const inFlight = this.#inFlight;
    if (this.#requests === 0) {
      this.#firstArrival = arrival;
      this.#clock = arrival;
    }
    while (inFlight.size > 0 && inFlight.peek() <= arrival) {
      const departure = inFlight.pop();
      this.#inSystemArea += (inFlight.size + 1) * (departure - this.#clock);
      this.#clock = departure;
    }
    this.#inSystemArea += inFlight.size * (arrival - this.#clock);
    this.#clock = arrival;
    inFlight.push(end);
    if (inFlight.size > this.#maxInSystem) this.#maxInSystem = inFlight.size;
  }

  stats(): SimStats {
    const requests = this.#requests;
    const lastEnd = Math.max(this.#clock, this.#inFlight.max());
    const elapsed = requests > 0 ? lastEnd - this.#firstArrival : 0;
    // What is still in flight contributes its remaining time up to its end.
    const area = this.#inSystemArea + this.#inFlight.sumAbove(this.#clock);
    const served = this.#ok + this.#serverErrors;
    const statusCounts = [
      { status: 200, count: this.#ok },
      { status: 404, count: this.#notFound },
      { status: 500, count: this.#serverErrors },
      { status: 503, count: this.#refused + this.#shed },
    ].filter((entry) => entry.count > 0);
    const perElapsed = (value: number) => (elapsed > 0 ? value / elapsed : 0);
    return {
      requests,
      statusCounts,
      refused: this.#refused,
      shed: this.#shed,
      elapsed,
      arrivalRate: perElapsed(requests),
      meanResponseTime: requests > 0 ? this.#durations / requests : 0,
      meanNumberInSystem: perElapsed(area),
      maxNumberInSystem: this.#maxInSystem,
      served,
      queued: this.#queued,
      meanQueueWait: served > 0 ? this.#queueWait / served : 0,
      meanNumberWaiting: perElapsed(this.#queueWait + this.#shedWait),
      workerBusyTime: this.#workerBusy,
      workerUtilisation: perElapsed(this.#workerBusy) / this.service.workers,
      dbBusyTime: this.#dbBusy,
      dbUtilisation: this.service.database === undefined ? 0 : perElapsed(this.#dbBusy) / this.service.database.connections,
    };
  }
}
