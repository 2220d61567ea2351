// Syntax checks on edit, in one long-lived lab worker (separate from the run worker, which is
// started fresh for every run and terminated on Stop). Replies come back in request order.
import type { SyntaxProblem } from '../../features/labs/workbench-messages.ts';
import { parseReply, postToWorker, startLabWorker } from './lab-worker.ts';

export class SyntaxChecker {
  private worker: Worker | null = null;
  private readonly pending: ((problem: SyntaxProblem | null) => void)[] = [];

  check(code: string): Promise<SyntaxProblem | null> {
    const worker = this.ensureWorker();
    return new Promise((resolve) => {
      this.pending.push(resolve);
      postToWorker(worker, { type: 'check', code });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startLabWorker();
    worker.onmessage = (event: MessageEvent) => {
      const reply = parseReply(event.data);
      // An `error` reply (say, a script over the size limit) means "no syntax verdict".
      this.pending.shift()?.(reply.type === 'syntax' ? reply.problem : null);
    };
    worker.onerror = () => {
      // The worker could not start or crashed: answer everyone, and start a new one next time.
      for (const resolve of this.pending.splice(0)) resolve(null);
      worker.terminate();
      this.worker = null;
    };
    this.worker = worker;
    return worker;
  }
}

/** "Syntax error at line 3, column 9: unexpected token…" */
export function describeSyntaxProblem(problem: SyntaxProblem): string {
  const message = problem.message.replace(/^SyntaxError:\s*/, '');
  if (problem.line === null) return `Syntax error: ${message}`;
  const column = problem.column === null ? '' : `, column ${problem.column}`;
  return `Syntax error at line ${problem.line}${column}: ${message}`;
}
