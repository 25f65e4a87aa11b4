import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../contract/common.ts';
import { ShowParams } from '../../contract/catalog.ts';
import { DaySheet, DaySheetQuery, ExportQuery, PeriodQuery, ReferrerReport, ShowReport } from '../../contract/boxoffice.ts';
import { pickLang } from '../../errors.ts';
import type { ReportsService } from './service.ts';

export const reportsRoutes: FastifyPluginAsyncTypebox<{ reports: ReportsService }> = async (app, { reports }) => {
  const security = [{ bearerAuth: [] }];
  const staffOnly = app.requireRole('staff', 'admin');

  app.get('/api/v1/reports/shows/:showDate', {
    preHandler: staffOnly,
    schema: {
      tags: ['reports'],
      summary: 'One show in numbers (staff, admin)',
      description:
        'Seats sold (PAID), reserved (PENDING), held, blocked and available per zone, with the revenue of the sold seats; orders per status and channel; ' +
        'money taken and refunded per method; refund still due. Computed from the live tables at the time of the request.',
      security,
      params: ShowParams,
      response: { 200: ShowReport, ...errors(401, 403, 404) },
    },
    handler: async (request) => reports.show(request.params.showDate, pickLang(request.headers['accept-language'])),
  });

  app.get('/api/v1/reports/day-sheet', {
    preHandler: staffOnly,
    schema: {
      tags: ['reports'],
      summary: 'Day sheet for the cash drawers (staff, admin)',
      description:
        'Payments taken and refunds given by each staff member per method during one calendar day of the venue (`TZ_VENUE`), with the net each drawer ' +
        'should hold per method. `staffId` narrows it to one person.',
      security,
      querystring: DaySheetQuery,
      response: { 200: DaySheet, ...errors(401, 403) },
    },
    handler: async (request) => reports.daySheet(request.query.date, request.query.staffId),
  });

  app.get('/api/v1/reports/referrers', {
    preHandler: staffOnly,
    schema: {
      tags: ['reports'],
      summary: 'Tickets and commission per referrer (staff, admin)',
      description:
        'For orders paid from `from` to `to` (venue calendar days, both included) that are still PAID: orders, tickets still in them, revenue, and commission ' +
        '(tickets × the referrer\'s commission when the order was made). Every referrer is listed, with zeros when it sold nothing.',
      security,
      querystring: PeriodQuery,
      response: { 200: ReferrerReport, ...errors(401, 403) },
    },
    handler: async (request) => reports.referrers(request.query.from, request.query.to),
  });

  app.get('/api/v1/exports/orders.csv', {
    preHandler: staffOnly,
    schema: {
      tags: ['reports'],
      summary: 'A show\'s orders as CSV (staff, admin)',
      description:
        'Streamed as it is read (keyset pages, never the whole table in memory). UTF-8 with a byte-order mark so spreadsheet programs show Thai names; ' +
        'one row per order with its seats, standing places (standing_adult, standing_child, and the cancelled ones, as counts), money, channel, referrer and seller. ' +
        'Times are the venue\'s wall clock ("2026-11-30 19:05:00"), its time zone named in the column header ("created_at (Asia/Bangkok)"). ' +
        'Thai phone numbers are written in the international form with spaces ("+66 89 111 2222"), which spreadsheets keep as text ' +
        '(a leading 0 would be dropped); no formula or apostrophe tricks, the file stays plain data.',
      security,
      querystring: ExportQuery,
      produces: ['text/csv'],
      // 200 is text/csv, streamed: no JSON schema to serialise it with
      response: { ...errors(401, 403, 404) },
    },
    handler: async (request, reply) => {
      const stream = await reports.exportOrdersCsv(request.query.showDate);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="orders-${request.query.showDate}.csv"`)
        .send(stream);
    },
  });
};
