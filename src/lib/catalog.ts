// What exists in the curriculum, for server routes that must reject unknown ids: lesson ids,
// session ids with their recording's duration. Read once from the content collections.
import { getCollection } from 'astro:content';

export interface Catalog {
  lessons: ReadonlySet<string>;
  sessions: ReadonlyMap<string, number>;
}

let catalog: Promise<Catalog> | undefined;

export function loadCatalog(): Promise<Catalog> {
  catalog ??= (async () => {
    const [lessons, media] = await Promise.all([getCollection('lessons'), getCollection('sessionMedia')]);
    return {
      lessons: new Set(lessons.map((l) => l.id)),
      sessions: new Map(media.map((m) => [m.data.id, m.data.durationSeconds])),
    };
  })();
  return catalog;
}
