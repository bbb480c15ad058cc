// The concertation record (annex 10) and the coordination's export through the real endpoint and
// database: filled by the organiser from the card (bad input refused, nothing lost), flat fees
// shown, exported by a coordinator as CSV and XLSX, downloaded from the bot's HTTP server behind a
// short-lived token, and parsed back with real readers (csv-parse, exceljs).
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { BRUSSELS } from '../../domain/time';
import { ManualClock } from '../../services/clock';
import { cardsOf } from '../support/app';
import { bodyText, COORDINATOR, GP, group, ORGANISER, ORGANISER_2, personal, replyText, useTestBot } from '../support/harness';

const GROUP = group('rec-group');

const day = (daysAgo: number) => DateTime.now().setZone(BRUSSELS).minus({ days: daysAgo }).toISODate()!;

describe('concertation records and the export through the HTTP endpoint', () => {
  // A new app and clock for each test: each one states the records it starts from.
  let clock: ManualClock;
  const bot = useTestBot({ each: 'app', organisers: [ORGANISER, ORGANISER_2], env: { PUBLIC_BASE_URL: 'https://bot.example.org' }, clock: () => (clock = new ManualClock()) });
  const { say, invoke } = bot;
  let caseA: string;
  let caseB: string;

  const record = (over: Record<string, string> = {}) => ({
    date: day(10),
    consentType: 'written',
    consentComment: '',
    preparationHours: '1,5',
    durationHours: '1.75',
    place: 'home',
    placeOther: '',
    firstForOrganiser: 'yes',
    personPresent: 'yes',
    referentPresent: 'yes',
    professionalsPresent: '2',
    professionalProfiles: 'médecin généraliste, infirmière',
    relativesPresent: '1',
    relativesLinks: 'fille',
    cateringCents: '',
    roomCents: '',
    amountsPreApproved: 'no',
    comments: 'Bonne dynamique',
    ...over,
  });
  const download = async (url: string) => {
    const res = await fetch(`${bot.url}${new URL(url).pathname}`);
    return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body: Buffer.from(await res.arrayBuffer()) };
  };
  const exportLinks = (res: { body: { activities?: Array<Record<string, any>> } }) => {
    const card = cardsOf(res.body.activities)[0];
    const urls = (card?.actions ?? []).map((a: { url: string }) => a.url) as string[];
    return { card, csv: urls.find((u) => u.endsWith('.csv'))!, xlsx: urls.find((u) => u.endsWith('.xlsx'))! };
  };

  beforeEach(async () => {
    caseA = await bot.admittedCase({ organiser: ORGANISER });
    caseB = await bot.admittedCase({ organiser: ORGANISER_2 });
    await bot.addParticipants(caseA, [[GP, 'professional', 'gp']]);
    await bot.app.services.cases.addParticipant(caseA, { role: 'personConcerned', displayName: 'Madame Xavier Fictive', contact: '' }, ORGANISER.aadObjectId);
  });
  /** The first record of case A, as the organiser saves it from the card. */
  const givenFirstRecord = () => invoke('record.save', { trackingId: caseA, ...record() }, ORGANISER);
  /** Case A's record corrected the same day, an earlier one of case A and one of case B (Oscar's). */
  const givenThreeRecords = async () => {
    await givenFirstRecord();
    await invoke('record.save', { trackingId: caseA, ...record({ professionalsPresent: '3', cateringCents: '25,50', amountsPreApproved: 'yes' }) }, ORGANISER);
    await invoke('record.save', { trackingId: caseA, ...record({ date: day(3), firstForOrganiser: 'no', referentPresent: 'no', professionalsPresent: '1', place: 'room' }) }, ORGANISER);
    await invoke('record.save', { trackingId: caseB, ...record({ date: day(5), personPresent: 'no' }) }, ORGANISER_2);
    if ((await bot.app.services.records.latest(caseA, day(10)))?.revision !== 2) throw new Error('the records to export were not saved');
  };

  it('the organiser gets the record card, prefilled (today, first concertation, consent of the case)', async () => {
    const res = await say(`fiche concertation ${caseA}`, ORGANISER);
    const card = JSON.stringify(cardsOf(res.body.activities));
    expect(card).toContain(`Fiche de concertation — dossier ${caseA}`);
    expect(card).toContain('record.save');
    expect(card).toContain(day(0));
  });

  it.each([
    ['a participant who is not the organiser', () => say(`fiche concertation ${caseA}`, GP), /pas le droit/],
    ['the other organiser', () => say(`fiche concertation ${caseA}`, ORGANISER_2), /pas le droit/],
    ['a group conversation', () => say(`fiche concertation ${caseA}`, ORGANISER, GROUP), /conversation personnelle/],
  ])('refuses the record card to %s', async (_label, send, message) => {
    expect(replyText(await send())).toMatch(message);
  });

  it('the case card has the record button for the organiser; it opens the record card for them only', async () => {
    const caseCard = await invoke('case.open', { trackingId: caseA }, ORGANISER);
    expect(bodyText(caseCard)).toContain('record.open');
    expect(bodyText(caseCard)).toContain('psi.open');
    expect(bodyText(await invoke('case.open', { trackingId: caseA }, GP))).not.toContain('record.open');
    expect(bodyText(await invoke('record.open', { trackingId: caseA }, ORGANISER))).toContain('record.save');
    expect(bodyText(await invoke('record.open', { trackingId: caseA }, GP))).toMatch(/pas le droit/);
  });

  it('refuses a record from anyone but the case organiser, saving nothing', async () => {
    const res = await invoke('record.save', { trackingId: caseA, ...record() }, GP);
    expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(bodyText(res)).toMatch(/pas le droit/);
    expect(await bot.app.services.records.latestOfCase(caseA)).toBeNull();
  });

  it.each([
    ['a negative duration', { durationHours: '-1' }, 'La durée doit être supérieure à zéro'],
    ['a negative preparation time', { preparationHours: '-0,5' }, 'ne peut pas être négatif'],
    ['a duration that is not a number', { durationHours: 'deux' }, "nombre d'heures"],
    ['a date in the future', { date: day(-3) }, 'ne peut pas être dans le futur'],
    ['a negative amount', { cateringCents: '-5', amountsPreApproved: 'yes' }, '« Catering (€, pré-approuvé) » ne peut pas être négatif'],
    ['an amount not pre-approved', { roomCents: '40', amountsPreApproved: 'no' }, 'approuvés au préalable'],
    ['a negative count of professionals', { professionalsPresent: '-2' }, 'nombre entier positif'],
    ['a name in the comments', { comments: 'Madame Dupont était fatiguée' }, 'identifie la personne'],
    ['"other" place without saying which', { place: 'other', placeOther: '' }, "Précisez l'autre lieu"],
  ])('refuses %s, keeping what was typed', async (_label, over, message) => {
    const res = await invoke('record.save', { trackingId: caseA, ...record({ ...over, relativesLinks: 'fille et voisin' }) }, ORGANISER);
    expect(bodyText(res)).toContain(message);
    expect(bodyText(res)).toContain('fille et voisin');
    expect(await bot.app.services.records.latestOfCase(caseA)).toBeNull();
  });

  it('saves a record and shows the flat fees (first concertation, référent, 2 professionals)', async () => {
    const res = await invoke('record.save', { trackingId: caseA, ...record() }, ORGANISER);
    const text = bodyText(res);
    expect(text).toContain(`Fiche de la concertation du ${day(10)} enregistrée`);
    expect(text).toContain('216,39 €');
    expect(text).toContain('99,68 €');
    expect(text).toContain('95,18 €');
    expect(text).toContain('411,25 €');
    // The next record of the case is prefilled as a following concertation.
    const saved = await bot.app.services.records.latest(caseA, day(10));
    expect(saved?.data).toMatchObject({ preparationHours: 1.5, durationHours: 1.75, professionalsPresent: 2, firstForOrganiser: true });
    expect(await bot.app.services.records.isFirstForOrganiser(caseA, ORGANISER.aadObjectId, day(2))).toBe(false);
  });

  it('a correction of the same day is a new revision; the export reads the latest', async () => {
    await givenFirstRecord();
    const res = await invoke('record.save', { trackingId: caseA, ...record({ professionalsPresent: '3', cateringCents: '25,50', amountsPreApproved: 'yes' }) }, ORGANISER);
    expect(bodyText(res)).toContain('458,84 €'); // 216,39 + 99,68 + 3 × 47,59
    expect((await bot.app.services.records.latest(caseA, day(10)))?.revision).toBe(2);
    await invoke('record.save', { trackingId: caseA, ...record({ date: day(3), firstForOrganiser: 'no', referentPresent: 'no', professionalsPresent: '1', place: 'room' }) }, ORGANISER);
    await invoke('record.save', { trackingId: caseB, ...record({ date: day(5), personPresent: 'no' }) }, ORGANISER_2);
  });

  it('only coordinators export, with a clear message for bad periods', async () => {
    expect(replyText(await say(`export ${day(30)} ${day(0)}`, ORGANISER))).toContain('Seule la coordination');
    expect(replyText(await say('export 2026-13-01 2026-12-31', COORDINATOR))).toContain('AAAA-MM-JJ');
    expect(replyText(await say(`export ${day(0)} ${day(30)}`, COORDINATOR))).toContain('après la date de fin');
    expect(replyText(await say('export', COORDINATOR))).toContain('Indiquez la période');
    expect(replyText(await say(`export ${day(30)} ${day(0)} Nobody`, COORDINATOR))).toContain('Aucun organisateur');
    expect(replyText(await say(`export ${day(30)} ${day(0)} Organisat`, COORDINATOR))).toContain('Plusieurs organisateurs');
  });

  it('exports the period as CSV and XLSX: one row per concertation, fees computed, no name of the person', async () => {
    await givenThreeRecords();
    const res = await say(`export ${day(30)} ${day(0)}`, COORDINATOR);
    const { card, csv, xlsx } = exportLinks(res);
    expect(JSON.stringify(card)).toContain('Export des fiches de concertation');
    expect(csv).toMatch(/^https:\/\/bot\.example\.org\/exports\/[A-Za-z0-9_-]{32}\.csv$/);

    const csvFile = await download(csv);
    expect(csvFile.status).toBe(200);
    expect(csvFile.type).toContain('text/csv');
    expect(csvFile.disposition).toContain(`concertations_${day(30)}_${day(0)}.csv`);
    // For Excel with Belgian settings: BOM, ";" between cells, CRLF, decimal comma, dd/mm/yyyy.
    expect([...csvFile.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvText = csvFile.body.toString('utf8');
    expect(csvText.split('\r\n')).toHaveLength(5); // header, 3 rows, final CRLF
    expect(csvText.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const rows: Array<Record<string, string>> = parse(csvFile.body, { columns: true, bom: true, delimiter: ';', record_delimiter: '\r\n' });
    const belgian = (iso: string) => iso.split('-').reverse().join('/');
    expect(rows.map((r) => [r['N° de dossier'], r['Date'], r['Organisateur']])).toEqual([
      [caseA, belgian(day(10)), ORGANISER.name],
      [caseB, belgian(day(5)), ORGANISER_2.name],
      [caseA, belgian(day(3)), ORGANISER.name],
    ]);
    expect(rows[0]).toMatchObject({ 'Nb professionnels': '3', 'Forfait organisateur (€)': '216,39', 'Forfaits professionnels (€)': '142,77', 'Total forfaits (€)': '458,84', 'Catering (€)': '25,50', 'Total (€)': '484,34', 'Préparation (h)': '1,5', 'Durée (h)': '1,75', 'Tarif appliqué': 'cocom-pilot-2021' });
    // Labels in the coordinator's language, not the stored codes.
    expect(rows[0]).toMatchObject({ Consentement: 'écrit', Lieu: 'domicile de la personne', 'Première concertation': 'oui', 'Montants pré-approuvés': 'oui', 'Profils professionnels': 'médecin généraliste, infirmière' });
    expect(rows[1]).toMatchObject({ 'Personne présente': 'non', 'Total forfaits (€)': '0,00', 'Tarif appliqué': "aucun forfait : la personne n'était pas présente" });
    expect(rows[2]).toMatchObject({ 'Forfait organisateur (€)': '142,02', 'Forfait référent (€)': '0,00', 'Forfaits professionnels (€)': '47,59', 'Total forfaits (€)': '189,61', Lieu: 'salle dédiée' });
    // A text holding the separator is quoted; numbers never are (Excel reads them as numbers).
    expect(csvText).toContain(';"médecin généraliste, infirmière";');
    expect(csvText).toContain(';216,39;');

    const xlsxFile = await download(xlsx);
    expect(xlsxFile.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsxFile.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    const data = [2, 3, 4].map((n) => Object.fromEntries((ws.getRow(n).values as unknown[]).slice(1).map((v, i) => [header[i], v])));
    const cell = (row: number, name: string) => ws.getRow(row).getCell(header.indexOf(name) + 1);
    expect(ws.rowCount).toBe(4);
    expect(data.map((r) => r['N° de dossier'])).toEqual([caseA, caseB, caseA]);
    expect(data[0]).toMatchObject({ 'Total forfaits (€)': 458.84, 'Total (€)': 484.34, 'Préparation (h)': 1.5, 'Première concertation': 'oui', Consentement: 'écrit', Lieu: 'domicile de la personne' });
    // Dates are date cells shown dd/mm/yyyy; amounts are numbers with a euro format.
    const date = cell(2, 'Date');
    expect(date.type).toBe(ExcelJS.ValueType.Date);
    expect((date.value as Date).toISOString().slice(0, 10)).toBe(day(10));
    expect(date.numFmt).toBe('dd/mm/yyyy');
    for (const name of ['Forfait organisateur (€)', 'Total forfaits (€)', 'Catering (€)', 'Total (€)']) {
      expect(cell(2, name).type).toBe(ExcelJS.ValueType.Number);
      expect(cell(2, name).numFmt).toContain('€');
    }
    expect(cell(2, 'Nb professionnels').value).toBe(3);
    expect(cell(1, 'Date').type).toBe(ExcelJS.ValueType.String);

    for (const body of [csvFile.body.toString('utf8'), JSON.stringify(data)]) {
      expect(body).not.toContain('Xavier');
      expect(body).not.toContain(GP.name);
    }
  });

  it('a Dutch-speaking coordinator gets the file in Dutch', async () => {
    await givenThreeRecords();
    const res = await say(`export ${day(30)} ${day(0)}`, COORDINATOR, personal(COORDINATOR), 'nl-BE');
    const { csv, xlsx } = exportLinks(res);
    const rows: Array<Record<string, string>> = parse((await download(csv)).body, { columns: true, bom: true, delimiter: ';' });
    expect(Object.keys(rows[0])).not.toContain('Lieu');
    expect(Object.values(rows[0])).toEqual(expect.arrayContaining(['schriftelijk', 'woning van de persoon', 'ja', '216,39']));
    expect(Object.values(rows[2])).toContain('aparte zaal');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(xlsx)).body as unknown as ArrayBuffer);
    expect((wb.worksheets[0].getRow(2).values as unknown[]).slice(1)).toEqual(expect.arrayContaining(['schriftelijk', 'woning van de persoon', 'ja', 216.39]));
  });

  it('exports one organiser only', async () => {
    await givenThreeRecords();
    const { csv } = exportLinks(await say(`export ${day(30)} ${day(0)} oscar`, COORDINATOR));
    const rows: Array<Record<string, string>> = parse((await download(csv)).body.toString('utf8'), { columns: true, bom: true, delimiter: ';' });
    expect(rows.map((r) => r['N° de dossier'])).toEqual([caseB]);
  });

  it('download links are unguessable and expire', async () => {
    await givenThreeRecords();
    const { csv } = exportLinks(await say(`export ${day(30)} ${day(0)}`, COORDINATOR));
    expect((await download(csv.replace(/\/exports\/[^.]+/, '/exports/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'))).status).toBe(404);
    expect((await fetch(`${bot.url}/exports/..%2Fetc.csv`)).status).toBe(404);
    clock.advance(16 * 60_000);
    expect((await download(csv)).status).toBe(404);
  });
});
