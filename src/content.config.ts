// Content collections: lessons (MDX) and glossary terms (YAML), validated by the shared zod
// schemas. Invalid frontmatter fails the build with the file and the field named.
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { GlossaryTermSchema, LessonFrontmatterSchema } from './features/curriculum/schemas.ts';

const lessons = defineCollection({
  loader: glob({ pattern: '*/[0-9][0-9]-*.mdx', base: './content/lessons' }),
  schema: LessonFrontmatterSchema,
});

const glossary = defineCollection({
  loader: glob({ pattern: '*.yaml', base: './content/glossary' }),
  schema: GlossaryTermSchema,
});

export const collections = { lessons, glossary };
