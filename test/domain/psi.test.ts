import { applyPsiEdit, emptyPsi, PsiContent, PsiEdit, psiFollowUp, NO_ECOMAP } from '../../domain/psi';
import { canReadPsi, shareTargets } from '../../domain/psiReaders';

// Fictional PSI content.
const NOW = new Date('2026-03-10T09:00:00Z');
const KEYS = new Set(['aad:gp', 'aad:nurse', 'ext:carer']);
const base: PsiContent = {
  ...emptyPsi(),
  actors: [
    { ...NO_ECOMAP, id: 'a1', name: 'Dr Gaby Test', roles: 'médecin généraliste', contact: 'gaby.test@example.org', share: true, participantKey: 'aad:gp' },
    { ...NO_ECOMAP, id: 'a2', name: 'Nina Test', roles: 'infirmière', contact: '', share: false, participantKey: 'aad:nurse' },
    { ...NO_ECOMAP, id: 'a3', name: 'Kim Test', roles: 'aidante', contact: '', share: true, participantKey: null },
  ],
  actions: [{ id: 'r1', what: 'Aide ménagère', how: 'CPAS', byWhom: 'Assistante sociale', priorityWhen: 'Haute', urgentContact: false, dueDate: null }],
};
const run = (edit: PsiEdit, content = base) => applyPsiEdit(content, edit, { now: NOW, participantKeys: KEYS });

describe('applyPsiEdit refusals', () => {
  it.each<[string, PsiEdit, string]>([
    ['next date in the past', { kind: 'sections', input: { nextDate: '2026-03-09' } }, 'nextDateInPast'],
    ['next date not a day', { kind: 'sections', input: { nextDate: '2026-02-30' } }, 'invalidNextDate'],
    ['periodicity not 3/6/12', { kind: 'sections', input: { periodicity: '4' } }, 'invalidPeriodicity'],
    ['text too long', { kind: 'sections', input: { needs: 'x'.repeat(2001) } }, 'textTooLong'],
    ['note date invalid', { kind: 'sections', input: { noteDate: '10/03/2026' } }, 'invalidNoteDate'],
    ['action without owner', { kind: 'saveAction', newId: 'n', input: { what: 'Bilan', byWhom: '   ' } }, 'actionOwnerRequired'],
    ['action without what', { kind: 'saveAction', newId: 'n', input: { what: '', byWhom: 'Médecin' } }, 'actionWhatRequired'],
    ['action due date invalid', { kind: 'saveAction', newId: 'n', input: { what: 'Bilan', byWhom: 'Médecin', dueDate: 'demain' } }, 'invalidDueDate'],
    ['changing an unknown row', { kind: 'saveAction', newId: 'n', input: { id: 'zz', what: 'Bilan', byWhom: 'Médecin' } }, 'unknownAction'],
    ['removing an unknown row', { kind: 'removeAction', id: 'zz' }, 'unknownAction'],
    ['actor without name', { kind: 'saveActor', newId: 'n', input: { name: ' ' } }, 'actorNameRequired'],
    ['actor of an unknown kind', { kind: 'saveActor', newId: 'n', input: { name: 'Voisine', kind: 'neighbour' } }, 'invalidActorAttribute'],
    ['actor with an unknown closeness', { kind: 'saveActor', newId: 'n', input: { name: 'Voisine', closeness: 'very' } }, 'invalidActorAttribute'],
    ['actor linked to a stranger', { kind: 'saveActor', newId: 'n', input: { name: 'X', participantKey: 'aad:stranger' } }, 'unknownParticipant'],
    ['same participant twice', { kind: 'saveActor', newId: 'n', input: { name: 'X', participantKey: 'aad:gp' } }, 'actorAlreadyListed'],
    ['share with a non-actor', { kind: 'share', actorIds: ['a1', 'aad:stranger'] }, 'shareNotActor'],
  ])('%s', (_label, edit, code) => {
    expect(run(edit)).toEqual({ ok: false, code });
  });
});

describe('applyPsiEdit accepted', () => {
  it.each<[string, PsiEdit, (c: PsiContent) => unknown, unknown]>([
    ['next date today is fine', { kind: 'sections', input: { nextDate: '2026-03-10', periodicity: '12' } }, (c) => c.next, { date: '2026-03-10', periodicityMonths: 12 }],
    ['no date, no periodicity', { kind: 'sections', input: {} }, (c) => c.next, { date: null, periodicityMonths: null }],
    ['new row appended with the new id', { kind: 'saveAction', newId: 'r2', input: { what: 'Bilan', byWhom: 'Médecin', urgentContact: 'true', dueDate: '2026-04-01' } }, (c) => c.actions.map((a) => [a.id, a.urgentContact, a.dueDate]), [['r1', false, null], ['r2', true, '2026-04-01']]],
    ['row replaced in place', { kind: 'saveAction', newId: 'unused', input: { id: 'r1', what: 'Aide ménagère', byWhom: 'CPAS' } }, (c) => c.actions.map((a) => [a.id, a.byWhom]), [['r1', 'CPAS']]],
    ['row removed', { kind: 'removeAction', id: 'r1' }, (c) => c.actions, []],
    ['actor added, linked', { kind: 'saveActor', newId: 'a4', input: { name: 'Carer', participantKey: 'ext:carer', share: 'true' } }, (c) => c.actors.at(-1), { ...NO_ECOMAP, id: 'a4', name: 'Carer', roles: '', contact: '', share: true, participantKey: 'ext:carer' }],
    [
      'actor with its map attributes',
      { kind: 'saveActor', newId: 'a4', input: { name: 'Voisine', kind: 'friend', closeness: 'near', relation: 'strained', support: 'toPerson', referent: 'false' } },
      (c) => c.actors.at(-1),
      { id: 'a4', name: 'Voisine', roles: '', contact: '', share: false, participantKey: null, kind: 'friend', closeness: 'near', relation: 'strained', support: 'toPerson', referent: false },
    ],
    ['marking a référent moves the mark', { kind: 'saveActor', newId: 'a4', input: { name: 'Remi', referent: 'true' } }, (c) => c.actors.filter((a) => a.referent).map((a) => a.id), ['a4']],
    ['share only with the ticked actors', { kind: 'share', actorIds: ['a2', ''] }, (c) => c.actors.map((a) => a.share), [false, true, false]],
    ['share with nobody', { kind: 'share', actorIds: [] }, (c) => c.actors.some((a) => a.share), false],
  ])('%s', (_label, edit, pick, expected) => {
    const r = run(edit);
    expect(r.ok).toBe(true);
    if (r.ok) expect(pick(r.content)).toEqual(expected);
  });

  it('never changes the content it was given (every save is a new version)', () => {
    const copy = JSON.parse(JSON.stringify(base));
    run({ kind: 'removeAction', id: 'r1' });
    run({ kind: 'share', actorIds: [] });
    expect(base).toEqual(copy);
  });
});

describe('who reads and who receives the PSI', () => {
  it.each<[string, Parameters<typeof canReadPsi>[0], boolean]>([
    ['organiser', { isOrganiser: true, roles: [], participantKeys: [] }, true],
    ['référent', { isOrganiser: false, roles: ['referent'], participantKeys: ['aad:ref'] }, true],
    ['person concerned', { isOrganiser: false, roles: ['personConcerned'], participantKeys: ['aad:p'] }, true],
    ['shared actor', { isOrganiser: false, roles: ['professional'], participantKeys: ['aad:gp'] }, true],
    ['actor not shared with', { isOrganiser: false, roles: ['professional'], participantKeys: ['aad:nurse'] }, false],
    ['member who is no actor', { isOrganiser: false, roles: ['carer'], participantKeys: ['aad:other'] }, false],
    ['coordination', { isOrganiser: false, roles: [], participantKeys: [] }, false],
  ])('%s', (_label, reader, expected) => {
    expect(canReadPsi(reader, base)).toBe(expected);
  });

  it('1:1 targets: shared actors linked to a participant, nobody else', () => {
    expect(shareTargets(base)).toEqual(['aad:gp']);
    expect(shareTargets({ ...base, actors: base.actors.map((a) => ({ ...a, share: false })) })).toEqual([]);
  });
});

describe('psiFollowUp (for the reminders hook)', () => {
  it.each<[string, PsiContent['next'], string | null]>([
    ['explicit date wins', { date: '2026-09-01', periodicityMonths: 6 }, '2026-09-01'],
    ['periodicity from the save date', { date: null, periodicityMonths: 6 }, '2026-09-10'],
    ['yearly', { date: null, periodicityMonths: 12 }, '2027-03-10'],
    ['nothing', { date: null, periodicityMonths: null }, null],
  ])('%s', (_label, next, expected) => {
    expect(psiFollowUp({ ...base, next }, NOW).nextConcertation).toBe(expected);
  });

  it('lists the actions with a due date', () => {
    const content = { ...base, actions: [...base.actions, { ...base.actions[0], id: 'r2', dueDate: '2026-04-01', urgentContact: true }] };
    expect(psiFollowUp(content, NOW).actionsDue).toEqual([{ actionId: 'r2', dueDate: '2026-04-01', urgentContact: true }]);
  });
});
