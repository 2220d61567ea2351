// Content collections: lessons (MDX), glossary terms (YAML), session pages (MDX with the script
// the recordings are built from), the media manifests `npm run media:build` writes, and each lab's
// instructions (MDX beside its definition in labs/<id>/). All are validated by zod schemas;
// invalid content fails the build naming file and field.
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'zod';
import { GlossaryTermSchema, LessonFrontmatterSchema, SessionFrontmatterSchema } from './features/curriculum/schemas.ts';
import { MediaManifestSchema } from './features/sessions/media.ts';

const lessons = defineCollection({
  loader: glob({ pattern: '*/[0-9][0-9]-*.mdx', base: './content/lessons' }),
  schema: LessonFrontmatterSchema,
});

const glossary = defineCollection({
  loader: glob({ pattern: '*.yaml', base: './content/glossary' }),
  schema: GlossaryTermSchema,
});

const sessions = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content/sessions' }),
  schema: SessionFrontmatterSchema,
});

const sessionMedia = defineCollection({
  loader: glob({ pattern: '*.json', base: './content/sessions/media' }),
  schema: MediaManifestSchema,
});

const labInstructions = defineCollection({
  loader: glob({ pattern: '*/instructions.mdx', base: './labs' }),
  schema: z
    .object({
      /** Heading of the instructions on the lab page. */
      title: z.string(),
    })
    .strict(),
});

export const collections = { lessons, glossary, sessions, sessionMedia, labInstructions };
