// The server's /api/tab/* endpoints (tab/contract.ts), each call with the Teams SSO token.
import type { CoordinationView, ExportLink, MapTheme, OrganiserView, PsiVersionView, PsiView, RecordsView, TabError, TabMe } from './contract.js';

export type ApiErrorKind = TabError['error'];

export class ApiError extends Error {
  constructor(readonly kind: ApiErrorKind, readonly field?: string) {
    super(kind);
  }
}

const KINDS: readonly ApiErrorKind[] = ['unauthenticated', 'forbidden', 'badRequest', 'notFound', 'unavailable'];

function kindOf(status: number, body: unknown): ApiErrorKind {
  const said = (body as Partial<TabError> | null)?.error;
  if (said && KINDS.includes(said)) return said;
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 400) return 'badRequest';
  return 'unavailable';
}

export class TabApi {
  constructor(private readonly token: () => Promise<string>) {}

  /** The server's answer to a call with the token; a refusal or an outage as an ApiError. */
  private async send(path: string, init: RequestInit, accept: string): Promise<Response> {
    let token: string;
    try {
      token = await this.token();
    } catch {
      throw new ApiError('unauthenticated');
    }
    let res: Response;
    try {
      res = await fetch(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), Authorization: `Bearer ${token}`, Accept: accept } });
    } catch {
      throw new ApiError('unavailable');
    }
    if (!res.ok) {
      const body: unknown = await res.json().catch(() => null);
      throw new ApiError(kindOf(res.status, body), (body as Partial<TabError> | null)?.field);
    }
    return res;
  }

  private async call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.send(path, init, 'application/json');
    return (await res.json().catch(() => null)) as T;
  }

  me = () => this.call<TabMe>('/api/tab/me');
  organiser = () => this.call<OrganiserView>('/api/tab/organiser');
  psi = (trackingId: string) => this.call<PsiView>(`/api/tab/cases/${encodeURIComponent(trackingId)}/psi`);
  psiVersion = (trackingId: string, version: number) => this.call<PsiVersionView>(`/api/tab/cases/${encodeURIComponent(trackingId)}/psi/${version}`);
  /** The PSI's network map (PNG) in the page's theme; the latest version unless one is named. */
  psiMap = async (trackingId: string, theme: MapTheme, version?: number): Promise<Blob> => {
    const res = await this.send(`/api/tab/cases/${encodeURIComponent(trackingId)}/map?theme=${theme}${version ? `&version=${version}` : ''}`, {}, 'image/png');
    return res.blob();
  };
  coordination = () => this.call<CoordinationView>('/api/tab/coordination');
  records = (from: string, to: string) => this.call<RecordsView>(`/api/tab/coordination/records?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  exportRecords = (from: string, to: string, format: 'csv' | 'xlsx') =>
    this.call<ExportLink>('/api/tab/coordination/records/export', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ from, to, format }) });
}
