// The network map in the dashboard tab: a PNG for those who may read the PSI, at their level (a
// consented actor never gets the actors the person did not share her PSI with), never cached.
import { PNG } from 'pngjs';
import { networkMapPng } from '../../cards/pictures/networkMap';
import type { PsiActor } from '../../domain/psi';
import { COORDINATOR, GP, NURSE, ORGANISER, ORGANISER_2, OUTSIDER, useTestBot } from '../support/harness';
import { ssoClaims, ssoToken, useTabSsoKeys } from '../support/ssoTokens';

// The drawing is another module's business: these tests watch which actors reach it.
jest.mock('../../cards/pictures/networkMap', () => {
  const actual = jest.requireActual('../../cards/pictures/networkMap');
  return { ...actual, networkMapPng: jest.fn(actual.networkMapPng) };
});
const drawnNames = (): string[] => ((networkMapPng as jest.Mock).mock.calls.at(-1)?.[0] as PsiActor[]).map((a) => a.name);

const { signer, env } = useTabSsoKeys('tab-map-key');

describe('the network map of the dashboard tab', () => {
  const bot = useTestBot({ env, organisers: [ORGANISER, ORGANISER_2], coordinators: [COORDINATOR] });
  const get = (path: string, oid: string | null) => fetch(`${bot.url}${path}`, { headers: oid ? { authorization: `Bearer ${ssoToken(signer, ssoClaims(oid))}` } : {} });
  let caseId = '';
  let noPsiId = '';

  beforeAll(async () => {
    const { psi, cases } = bot.app.services;
    caseId = await bot.admittedCase();
    noPsiId = await bot.admittedCase();
    await bot.addParticipants(caseId, [[GP, 'professional', 'gp'], [NURSE, 'professional', 'homeNurse']]);
    const gpKey = (await cases.participants(caseId)).find((p) => p.aadObjectId === GP.aadObjectId)!.key;
    const actors = [
      { name: 'Dr Gaby Test', participantKey: gpKey, share: 'true', kind: 'health', closeness: 'near', relation: 'strong', support: 'toPerson' },
      { name: 'Zoé Secrète', kind: 'family', closeness: 'close', relation: 'strained', support: 'none' },
      { name: 'Rita Référente', kind: 'social', referent: 'true' },
    ];
    for (const input of actors) expect((await psi.save(caseId, { kind: 'saveActor', newId: psi.newId(), input }, ORGANISER.aadObjectId)).ok).toBe(true);
    expect((await psi.publish(caseId, ORGANISER.aadObjectId)).ok).toBe(true);
  });

  it('refuses a call without a valid token', async () => {
    const res = await get(`/api/tab/cases/${caseId}/map`, null);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthenticated' });
  });

  it('gives the organiser the whole map as a PNG in the theme asked for, never cached', async () => {
    const pictures: Buffer[] = [];
    for (const theme of ['light', 'dark']) {
      const res = await get(`/api/tab/cases/${caseId}/map?theme=${theme}`, ORGANISER.aadObjectId);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const png = Buffer.from(await res.arrayBuffer());
      expect(PNG.sync.read(png).width).toBe(900);
      expect(drawnNames()).toEqual(['Dr Gaby Test', 'Zoé Secrète', 'Rita Référente']);
      expect((networkMapPng as jest.Mock).mock.calls.at(-1)?.[2]).toMatchObject({ theme });
      pictures.push(png);
    }
    expect(pictures[0].equals(pictures[1])).toBe(false);
    const seen = await bot.app.models.psiAccess.find({ trackingId: caseId, channel: 'tab', aadObjectId: ORGANISER.aadObjectId }).lean();
    expect(seen.map((e) => e.version)).toEqual([1, 1]);
  });

  it('gives a consented actor the consented actors only, in the map and in the PSI (the référent mark is not consent)', async () => {
    const res = await get(`/api/tab/cases/${caseId}/map?theme=dark`, GP.aadObjectId);
    expect(res.status).toBe(200);
    expect(drawnNames()).toEqual(['Dr Gaby Test']);
    const psi = await (await get(`/api/tab/cases/${caseId}/psi`, GP.aadObjectId)).json();
    expect(JSON.stringify(psi)).not.toMatch(/Zoé|Rita Référente/);
  });

  it('refuses the others like the PSI routes, and answers 404 before any PSI', async () => {
    (networkMapPng as jest.Mock).mockClear();
    const answer = async (path: string, oid: string) => {
      const res = await get(path, oid);
      return { status: res.status, body: await res.json() };
    };
    for (const who of [NURSE, ORGANISER_2, COORDINATOR, OUTSIDER]) expect(await answer(`/api/tab/cases/${caseId}/map`, who.aadObjectId)).toEqual({ status: 403, body: { error: 'forbidden' } });
    expect(await answer(`/api/tab/cases/${noPsiId}/map`, ORGANISER.aadObjectId)).toEqual({ status: 404, body: { error: 'notFound' } });
    expect(await answer('/api/tab/cases/CMD-2020-9999/map', ORGANISER.aadObjectId)).toEqual({ status: 404, body: { error: 'notFound' } });
    expect(await answer(`/api/tab/cases/${caseId}/map?version=2`, ORGANISER.aadObjectId)).toEqual({ status: 404, body: { error: 'notFound' } });
    expect(await answer(`/api/tab/cases/${caseId}/map?theme=pink`, ORGANISER.aadObjectId)).toEqual({ status: 400, body: { error: 'badRequest', field: 'theme' } });
    expect(networkMapPng).not.toHaveBeenCalled();
  });
});
