import { diffPsiRows, isEmptyDiff, PsiActionRow, PsiDiffError, PsiField } from '../../domain/psiDiff';

// Fictional PSI rows.
const housing: PsiActionRow = {
  id: 'r1',
  what: 'Trouver un logement adapté',
  how: 'Demande auprès du CPAS; visite de deux logements',
  byWhom: 'Assistante sociale (CPAS fictif)',
  priorityWhen: 'Haute — avant juin',
  urgentContact: false,
};
const meds: PsiActionRow = {
  id: 'r2',
  what: 'Suivi du traitement',
  how: 'Pilulier hebdomadaire',
  byWhom: 'Infirmière à domicile',
  priorityWhen: 'Continue',
  urgentContact: true,
};
const gp: PsiActionRow = {
  id: 'r3',
  what: 'Bilan médical',
  how: 'Consultation',
  byWhom: 'Médecin généraliste',
  priorityWhen: 'Dans le mois',
  urgentContact: false,
};

const summary = (before: PsiActionRow[], after: PsiActionRow[]) => {
  const d = diffPsiRows(before, after);
  return {
    added: d.added.map((r) => r.id),
    removed: d.removed.map((r) => r.id),
    changed: d.changed.map((c) => [c.id, c.fields] as [string, PsiField[]]),
  };
};

describe('diffPsiRows', () => {
  it.each<[string, PsiActionRow[], PsiActionRow[], { added: string[]; removed: string[]; changed: Array<[string, PsiField[]]> }]>([
    ['identical versions', [housing, meds], [housing, meds], { added: [], removed: [], changed: [] }],
    ['both empty', [], [], { added: [], removed: [], changed: [] }],
    ['first version: everything added', [], [housing, meds], { added: ['r1', 'r2'], removed: [], changed: [] }],
    ['everything removed', [housing, meds], [], { added: [], removed: ['r1', 'r2'], changed: [] }],
    ['one row added at the end', [housing], [housing, gp], { added: ['r3'], removed: [], changed: [] }],
    ['one row removed', [housing, meds, gp], [housing, gp], { added: [], removed: ['r2'], changed: [] }],
    ['reordering is not a change', [housing, meds, gp], [gp, housing, meds], { added: [], removed: [], changed: [] }],
    ['what changed', [housing], [{ ...housing, what: 'Trouver un logement social' }], { added: [], removed: [], changed: [['r1', ['what']]] }],
    ['how changed', [housing], [{ ...housing, how: 'Demande au CPAS' }], { added: [], removed: [], changed: [['r1', ['how']]] }],
    ['byWhom changed', [housing], [{ ...housing, byWhom: 'Référent de proximité' }], { added: [], removed: [], changed: [['r1', ['byWhom']]] }],
    ['priorityWhen changed', [housing], [{ ...housing, priorityWhen: 'Moyenne' }], { added: [], removed: [], changed: [['r1', ['priorityWhen']]] }],
    ['urgent contact ticked', [housing], [{ ...housing, urgentContact: true }], { added: [], removed: [], changed: [['r1', ['urgentContact']]] }],
    ['urgent contact unticked', [meds], [{ ...meds, urgentContact: false }], { added: [], removed: [], changed: [['r2', ['urgentContact']]] }],
    [
      'several fields, listed in PSI column order',
      [housing],
      [{ ...housing, urgentContact: true, what: 'X', priorityWhen: 'Y' }],
      { added: [], removed: [], changed: [['r1', ['what', 'priorityWhen', 'urgentContact']]] },
    ],
    ['surrounding whitespace only: unchanged', [housing], [{ ...housing, what: `  ${housing.what}\n` }], { added: [], removed: [], changed: [] }],
    ['CRLF vs LF: unchanged', [{ ...housing, how: 'a\nb' }], [{ ...housing, how: 'a\r\nb' }], { added: [], removed: [], changed: [] }],
    ['NFD vs NFC accents: unchanged', [housing], [{ ...housing, what: housing.what.normalize('NFD') }], { added: [], removed: [], changed: [] }],
    ['case change is a change', [housing], [{ ...housing, byWhom: housing.byWhom.toUpperCase() }], { added: [], removed: [], changed: [['r1', ['byWhom']]] }],
    ['inner whitespace change is a change', [housing], [{ ...housing, how: 'Demande auprès du CPAS;  visite' }], { added: [], removed: [], changed: [['r1', ['how']]] }],
    [
      'same content under a new id: removed + added (ids identify rows)',
      [housing],
      [{ ...housing, id: 'r9' }],
      { added: ['r9'], removed: ['r1'], changed: [] },
    ],
    [
      'mixed: added, removed and changed, each in its version order',
      [housing, meds, gp],
      [{ id: 'r5', what: 'Loisirs', how: '', byWhom: 'Aidant', priorityWhen: '', urgentContact: false }, { ...gp, how: 'Visite à domicile' }, { ...housing, urgentContact: true }],
      { added: ['r5'], removed: ['r2'], changed: [['r3', ['how']], ['r1', ['urgentContact']]] },
    ],
  ])('%s', (_label, before, after, expected) => {
    expect(summary(before, after)).toEqual(expected);
  });

  it('gives the rows before and after for each change', () => {
    const after = { ...meds, priorityWhen: 'Quotidienne' };
    expect(diffPsiRows([meds], [after]).changed).toEqual([{ id: 'r2', fields: ['priorityWhen'], before: meds, after }]);
  });

  it.each([
    ['old version', [housing, housing], [housing]],
    ['new version', [housing], [housing, { ...housing, what: 'x' }]],
  ])('duplicate ids in the %s are refused', (_label, before, after) => {
    expect(() => diffPsiRows(before, after)).toThrow(PsiDiffError);
    try {
      diffPsiRows(before, after);
    } catch (e) {
      expect(e).toMatchObject({ code: 'duplicateRowId', rowId: 'r1' });
    }
  });

  it.each([
    [[housing], [housing], true],
    [[housing], [], false],
  ])('isEmptyDiff', (before, after, empty) => {
    expect(isEmptyDiff(diffPsiRows(before, after))).toBe(empty);
  });
});
