import { EventBus, subjectOf } from '../../services/events';

describe('EventBus', () => {
  it('runs the listeners in the order they were added, and resolves once all have finished', async () => {
    const seen: string[] = [];
    const bus = new EventBus();
    bus.on('case.agendaChanged', async (e) => {
      await new Promise((r) => setImmediate(r));
      seen.push(`first ${e.trackingId}`);
    });
    bus.on('case.agendaChanged', (e) => void seen.push(`second ${e.trackingId}`));
    bus.on('psi.changed', () => void seen.push('other event'));
    await bus.emit('case.agendaChanged', { trackingId: 'CMD-2026-0001' });
    expect(seen).toEqual(['first CMD-2026-0001', 'second CMD-2026-0001']);
  });

  it('reports a failed listener, goes on with the next, and never rejects', async () => {
    const failures: Array<[string, string, string]> = [];
    const bus = new EventBus((event, payload, err) => void failures.push([event, subjectOf(payload), (err as Error).message]));
    const after: string[] = [];
    bus.on('psi.consentChanged', () => {
      throw new Error('boom');
    });
    bus.on('psi.consentChanged', (e) => void after.push(e.trackingId));
    await expect(bus.emit('psi.consentChanged', { trackingId: 'CMD-2026-0002' })).resolves.toBeUndefined();
    expect(failures).toEqual([['psi.consentChanged', 'CMD-2026-0002', 'boom']]);
    expect(after).toEqual(['CMD-2026-0002']);
  });

  it('survives a failure report that fails itself', async () => {
    const bus = new EventBus(() => {
      throw new Error('audit down');
    });
    bus.on('case.agendaChanged', () => Promise.reject(new Error('boom')));
    await expect(bus.emit('case.agendaChanged', { trackingId: 'CMD-2026-0003' })).resolves.toBeUndefined();
  });

  it('removes a listener with the function `on` returns', async () => {
    const bus = new EventBus();
    let calls = 0;
    const off = bus.on('case.agendaChanged', () => void calls++);
    await bus.emit('case.agendaChanged', { trackingId: 'CMD-2026-0004' });
    off();
    await bus.emit('case.agendaChanged', { trackingId: 'CMD-2026-0004' });
    expect(calls).toBe(1);
  });

  it.each([
    [{ trackingId: 'CMD-2026-0005' }, 'CMD-2026-0005'],
    [{ poll: { pollId: 'p-1' }, change: 'answered', by: 'x' }, 'p-1'],
    [{ fixed: { pollId: 'p-2' }, by: 'x' }, 'p-2'],
  ])('names the subject of %j for the audit trail', (payload, subject) => {
    expect(subjectOf(payload as never)).toBe(subject);
  });
});
