// The Start button on the exam page: asks the server to start an attempt (it checks eligibility
// and the attempt policy) and goes to it, or shows why it cannot start. Kept free of zod: this
// page needs two string fields, checked by hand.

function field(body: unknown, name: string): string | null {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : null;
}

function describeRefusal(body: unknown): string {
  const error = field(body, 'error') ?? 'The exam could not be started. Try again in a moment.';
  const retryAt = new Date(field(body, 'retryAt') ?? Number.NaN);
  if (Number.isNaN(retryAt.getTime())) return error;
  return `${error} You can start again from ${retryAt.toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' })}.`;
}

export function setUpStartButton(): void {
  const button = document.querySelector<HTMLButtonElement>('[data-start-exam]');
  const message = document.querySelector<HTMLElement>('[data-start-message]');
  if (!button || !message) return;
  button.addEventListener('click', async () => {
    button.disabled = true;
    message.textContent = 'Starting your attempt…';
    try {
      const response = await fetch('/api/exam/attempts', { method: 'POST', headers: { accept: 'application/json' }, cache: 'no-store' });
      const body: unknown = await response.json().catch(() => null);
      const url = field(body, 'url');
      // Same-site paths only: the reply decides where the browser goes next.
      if (response.ok && url?.startsWith('/') && !url.startsWith('//')) {
        location.assign(url);
        return;
      }
      message.textContent = response.status === 401 ? 'Your session ended: sign in again to start the exam.' : describeRefusal(body);
    } catch {
      message.textContent = 'The server could not be reached. Check your connection and try again.';
    }
    button.disabled = false;
  });
}
