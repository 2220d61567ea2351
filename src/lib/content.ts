// Build-time access to the content collections, in the shapes pages need.
import { type CollectionEntry, getCollection } from 'astro:content';
import { buildOutline } from '../features/curriculum/outline.ts';

export type LessonEntry = CollectionEntry<'lessons'>;

export async function allLessons(): Promise<LessonEntry[]> {
  return getCollection('lessons');
}

export async function courseOutline() {
  return buildOutline(await allLessons());
}
