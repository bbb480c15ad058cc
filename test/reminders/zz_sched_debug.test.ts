import { startTestApp } from '../support/app';
import { uniqueDbName } from '../support/db';
it('debug', async () => {
  const dbName = uniqueDbName('dbg');
  const env = { REMINDER_DISPATCH_EVERY: process.env.EV ?? '300 ms' };
  const a = await startTestApp(env, { dbName, startScheduler: true });
  const b = process.env.TWO ? await startTestApp(env, { dbName, startScheduler: true }) : null;
  let runs = 0;
  const orig = a.app.jobs.reminders.drain.bind(a.app.jobs.reminders);
  a.app.jobs.reminders.drain = async () => { runs++; return orig(); };
  await new Promise((r) => setTimeout(r, 3000));
  const jobs = await a.app.conn.db!.collection('agendaJobs').find({}).toArray();
  console.log(runs, JSON.stringify(jobs.map(j => ({n: j.name, next: j.nextRunAt, lockedAt: j.lockedAt, last: j.lastRunAt, ri: j.repeatInterval, fin: j.lastFinishedAt}))));
  await a.close(); await b?.close();
});
