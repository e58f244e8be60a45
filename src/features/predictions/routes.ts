import { createRoute } from '@hono/zod-openapi';
import { json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import type { PredictionRow } from './repository.js';
import { DeliveryForecastBody, InsufficientHistory, Prediction, PredictionListQuery, PredictionPage, ProjectParams } from './schemas.js';
import { callerOf } from '../shared/service-call.js';
import * as service from './service.js';

const tags = ['predictions'];
const base = '/orgs/{orgId}/projects/{projectId}/predictions';

const list = createRoute({
  method: 'get', path: base, tags, summary: "List a project's stored forecasts",
  request: { params: ProjectParams, query: PredictionListQuery },
  responses: { 200: json(PredictionPage, 'A page of forecasts'), ...tenantErrorResponses },
});
const delivery = createRoute({
  method: 'post', path: `${base}/delivery`, tags,
  summary: 'Forecast the delivery date by Monte Carlo simulation of the project\'s own throughput since it began (409 with nothing left to do)',
  request: { params: ProjectParams, body: jsonBody(DeliveryForecastBody) },
  responses: {
    200: json(InsufficientHistory, 'Too little history to forecast from: why, and nothing stored'),
    201: json(Prediction, 'The stored forecast'),
    ...tenantErrorResponses,
  },
});

/** numeric(5,4) arrives as text; the API shows the ratio as a number. */
const present = (row: PredictionRow) => serialize({ ...row, confidence: row.confidence === null ? null : Number(row.confidence) });

export function predictionRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listPredictions(call(c), c.req.valid('param').projectId, c.req.valid('query'));
      return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
    })
    .openapi(delivery, async (c) => {
      const forecast = await service.forecastDelivery(call(c), c.req.valid('param').projectId, c.req.valid('json'));
      return 'insufficientHistory' in forecast ? c.json(forecast, 200) : c.json(present(forecast), 201);
    });
}
