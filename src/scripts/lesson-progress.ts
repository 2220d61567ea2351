// The "Mark as complete" control on lesson pages, and completion marks in outlines.
import { loadProgress, setLessonCompleted } from './progress-client.ts';

export async function enhanceLessonProgress(): Promise<void> {
  const progress = await loadProgress();
  for (const item of document.querySelectorAll<HTMLElement>('[data-lesson-id]')) {
    const id = item.dataset['lessonId'] ?? '';
    if (progress.lessons[id]?.completed && !item.querySelector('.lesson-done-mark')) {
      const mark = document.createElement('span');
      mark.className = 'lesson-done-mark';
      mark.innerHTML = ' ✓<span class="visually-hidden"> completed</span>';
      item.querySelector('a')?.after(mark);
    }
  }
  const box = document.querySelector<HTMLElement>('[data-lesson-progress]');
  const button = box?.querySelector<HTMLButtonElement>('button');
  const status = box?.querySelector<HTMLElement>('[role="status"]');
  if (!box || !button || !status) return;
  const id = box.dataset['lessonProgress'] ?? '';
  const show = (completed: boolean) => {
    button.textContent = completed ? 'Mark as not complete' : 'Mark lesson as complete';
    button.setAttribute('aria-pressed', String(completed));
    status.textContent = completed ? 'You have completed this lesson.' : '';
  };
  let completed = progress.lessons[id]?.completed ?? false;
  show(completed);
  button.hidden = false;
  button.addEventListener('click', async () => {
    button.disabled = true;
    completed = await setLessonCompleted(id, !completed);
    show(completed);
    button.disabled = false;
  });
}
