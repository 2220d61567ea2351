// Compiles a script without running it, to show syntax errors at their line and column.
import { describeError, loadQuickJS } from '../sandbox/quickjs.ts';

export interface SyntaxProblem {
  message: string;
  line: number | null;
  column: number | null;
}

export async function checkSyntax(code: string): Promise<SyntaxProblem | null> {
  const quickjs = await loadQuickJS();
  const runtime = quickjs.newRuntime();
  runtime.setMemoryLimit(32 * 1024 * 1024);
  runtime.setModuleLoader(() => 'export default {};');
  const context = runtime.newContext();
  try {
    const result = context.evalCode(code, 'script.js', { type: 'module', compileOnly: true });
    if (result.error) {
      const info = describeError(context, result.error, 'script.js');
      result.error.dispose();
      return { message: `${info.name}: ${info.message}`, line: info.line, column: info.column };
    }
    result.value.dispose();
    return null;
  } finally {
    context.dispose();
    runtime.dispose();
  }
}
