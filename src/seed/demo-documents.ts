import { createHash } from 'node:crypto';
import type { DemoProject, Slot } from './content/projects.js';
import type { OrganizationSeed } from './context.js';
import { leadOf } from './demo-work.js';
import { jsonb } from './writer.js';

type DemoDocument = {
  slug: string;
  title: string;
  type: 'prd' | 'spec' | 'design' | 'note' | 'knowledge' | 'other';
  status: 'draft' | 'published' | 'archived';
  creator: Slot;
  content: string;
};

/** Every document type and status, written from the project's own epics and tasks. */
function documentsOf(project: DemoProject, lead: Slot): DemoDocument[] {
  const titlesOf = (type: string) => project.tasks.filter(([t]) => t === type).map(([, title]) => `- ${title}`);
  const key = project.key.toLowerCase();
  return [
    {
      slug: `${key}-prd`,
      title: `${project.name}: product requirements`,
      type: 'prd',
      status: 'published',
      creator: lead,
      content: [
        `# ${project.name}`,
        '## Problem',
        project.description,
        '## Goals',
        ...project.epics.map((epic) => `- ${epic}`),
        '## User stories',
        ...titlesOf('story'),
      ].join('\n\n'),
    },
    {
      slug: `${key}-technical-spec`,
      title: `${project.name}: technical specification`,
      type: 'spec',
      status: 'draft',
      creator: 'member',
      content: ['# Technical specification', '## Work items', ...titlesOf('task'), '## Known defects', ...titlesOf('bug')].join('\n\n'),
    },
    {
      slug: `${key}-design-notes`,
      title: `${project.name}: design notes`,
      type: 'design',
      status: 'published',
      creator: 'admin',
      content: `# Design notes\n\nThe ${project.epics[1]} flow follows the same layout as ${project.epics[0]}, so users learn it once.`,
    },
    {
      slug: `${key}-sprint-1-retro`,
      title: `${project.key} Sprint 1 retrospective`,
      type: 'note',
      status: 'draft',
      creator: 'consultant',
      content: `# Sprint 1 retrospective\n\n**Goal:** ${project.sprintGoals[0]}\n\n- Went well: the goal was met.\n- To improve: refine stories before planning.`,
    },
    {
      slug: `${key}-onboarding`,
      title: `Working on ${project.name}`,
      type: 'knowledge',
      status: 'published',
      creator: lead,
      content: `# Working on ${project.name}\n\n${project.description}\n\nTasks are referenced as ${project.key}-<number>, e.g. ${project.key}-1.`,
    },
    {
      slug: `${key}-old-roadmap`,
      title: `${project.name}: 2023 roadmap`,
      type: 'other',
      status: 'archived',
      creator: 'owner',
      content: '# 2023 roadmap\n\nSuperseded by the product requirements.',
    },
  ];
}

const ASSETS = [
  { suffix: 'architecture.png', contentType: 'image/png', sizeBytes: 248_311 },
  { suffix: 'requirements.pdf', contentType: 'application/pdf', sizeBytes: 1_482_907 },
] as const;

/** Documents and file metadata (the bytes would live in the blob store) for every project. */
export async function seedDocuments(seed: OrganizationSeed): Promise<void> {
  const { writer, clock } = seed;
  for (const project of seed.organization.projects) {
    const projectId = seed.rowId('project', project.key);
    const lead = leadOf(project);
    await writer.actAs(seed.user(lead));

    const documents = documentsOf(project, lead);
    await writer.insert(
      'documents',
      documents.map((document, index) => ({
        organization_id: seed.id,
        id: seed.rowId('document', project.key, document.slug),
        project_id: projectId,
        title: document.title,
        slug: document.slug,
        content: document.content,
        document_type: document.type,
        status: document.status,
        published_at: document.status === 'draft' ? null : clock.at(-20 + index * 3, 14),
        creator_id: seed.user(document.creator),
        metadata: jsonb({ wordCount: document.content.split(/\s+/).length, tags: [project.key.toLowerCase(), document.type] }),
        created_at: clock.at(-25 + index * 3, 10),
      })),
    );
    // Each document as it was created: version 1, so its history starts where the API's would.
    await writer.insert(
      'document_versions',
      documents.map((document, index) => ({
        organization_id: seed.id,
        id: seed.rowId('document-version', project.key, document.slug, '1'),
        document_id: seed.rowId('document', project.key, document.slug),
        version: 1,
        title: document.title,
        content: document.content,
        author_id: seed.user(document.creator),
        created_at: clock.at(-25 + index * 3, 10),
      })),
    );

    await writer.insert(
      'project_assets',
      ASSETS.map((asset) => {
        const id = seed.rowId('asset', project.key, asset.suffix);
        const fileName = `${project.key.toLowerCase()}-${asset.suffix}`;
        return {
          organization_id: seed.id,
          id,
          project_id: projectId,
          uploaded_by_id: seed.user(lead),
          file_name: fileName,
          content_type: asset.contentType,
          size_bytes: asset.sizeBytes,
          // Metadata only: the checksum stands in for bytes the demo does not ship.
          checksum_sha256: createHash('sha256').update(`${seed.organization.slug}/${fileName}`).digest('hex'),
          storage_key: `${seed.id}/${projectId}/${id}/${fileName}`,
        };
      }),
    );
  }
}
