import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { OrgParams, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter } from '../../http/router.js';
import { isUuid } from '../../uuid.js';
import { callerOf } from '../shared/service-call.js';
import { type LiveHub, RecentIds, createLiveHub } from './hub.js';
import { type LiveEventRow, membershipHolds, missedEvents, projectVisibility } from './service.js';

const KEEPALIVE_MS = 25_000;

const stream = createRoute({
  method: 'get', path: '/orgs/{orgId}/events', tags: ['live-events'],
  summary: 'Live events of the organization (Server-Sent Events): what changed, never its content',
  description:
    'Each event is `event: <kind>` with `data: {"kind","organizationId","projectId","id"}` and an `id:` line. ' +
    'Reconnecting with that id as `Last-Event-ID` replays what was missed (events of the last ten minutes). ' +
    'A comment line `: ready` says the stream is listening; `: ping` keeps it open.',
  request: {
    params: OrgParams,
    headers: z.object({ 'last-event-id': z.string().max(100).optional() }),
  },
  responses: {
    200: { description: 'The event stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...tenantErrorResponses,
  },
});

/** The SSE line of one event; `projectId` is null for what belongs to no project. */
function toMessage(event: LiveEventRow) {
  const { kind, organizationId, projectId, id } = event;
  return { event: kind, id: event.eventId, data: JSON.stringify({ kind, organizationId, projectId, id }) };
}

export function liveEventRoutes({ db, liveEvents, liveMembershipTtlMs }: RouterDeps & { liveEvents?: LiveHub }) {
  const hub = liveEvents ?? createLiveHub(db);
  return newRouter().openapi(stream, (c) => {
    const call = callerOf(db, c);
    const lastEventId = c.req.valid('header')['last-event-id']?.trim();
    return streamSSE(c, async (sse) => {
      // Writes go out one after another, whichever callback queued them.
      let writing: Promise<unknown> = Promise.resolve();
      const write = (text: string) => {
        writing = writing.then(() => sse.write(text));
      };
      const seen = new RecentIds();
      const visible = projectVisibility(call);
      const stillMember = membershipHolds(call, liveMembershipTtlMs);
      let ended: () => void = () => undefined;
      const done = new Promise<void>((resolve) => {
        ended = resolve;
      });
      // In the write queue, so events keep their order while membership and a project's visibility are asked.
      const send = (event: LiveEventRow) => {
        writing = writing.then(async () => {
          if (!(await stillMember())) return ended();
          if (seen.admit(event.eventId) && (await visible(event.projectId))) await sse.writeSSE(toMessage(event));
        });
      };
      // Live events are held back until the replay is out, so the client sees them in order.
      let held: LiveEventRow[] | null = [];
      const unsubscribe = await hub.subscribe(call.scope.organizationId, {
        deliver: (event) => (held ? held.push(event) : send(event)),
        closed: ended,
      });
      sse.onAbort(ended);
      try {
        if (lastEventId && isUuid(lastEventId)) for (const event of await missedEvents(call, lastEventId)) send(event);
        for (const event of held) send(event);
        held = null;
        write(': ready\n\n');
        const keepalive = setInterval(() => write(': ping\n\n'), KEEPALIVE_MS);
        keepalive.unref();
        await done;
        clearInterval(keepalive);
      } finally {
        unsubscribe();
        await writing;
      }
    });
  });
}
