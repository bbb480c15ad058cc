// The person's right to know who read or received her PSI: one document per delivery (a card
// posted or updated in the case conversation or in an actor's 1:1 chat) and per read (the PSI
// shown to someone by a command or a card action). Insert-only: an entry is never changed, so
// concurrent writers never conflict (FerretDB v1). People are kept as Teams ids (names are
// resolved when the log is shown, from the case's participants); no PSI content is stored here.
import { Connection, Model, Schema } from 'mongoose';

export const PSI_ACCESS_KINDS = ['delivered', 'read'] as const;
export type PsiAccessKind = (typeof PSI_ACCESS_KINDS)[number];

/**
 * How: groupCard (the full card in the case conversation, one entry per member), groupNotice (the
 * notice without content, no person), directCard (the full card 1:1), revokedCard (a 1:1 card
 * replaced by "no longer shared"), command ("psi" typed), open / view / edit (a card action that
 * showed the PSI to the one who clicked), tab (read in the organisers' dashboard tab), map (the
 * network map shown alone, by "carte" or in the tab).
 */
export const PSI_ACCESS_CHANNELS = ['groupCard', 'groupNotice', 'directCard', 'revokedCard', 'command', 'open', 'view', 'edit', 'tab', 'map'] as const;
export type PsiAccessChannel = (typeof PSI_ACCESS_CHANNELS)[number];

export interface PsiAccessEntry {
  trackingId: string;
  at: Date;
  kind: PsiAccessKind;
  channel: PsiAccessChannel;
  /** The version shown or sent. */
  version: number;
  /** Who: the Teams user (AAD object id); null for a notice posted to the conversation. */
  aadObjectId: string | null;
}

const schema = new Schema<PsiAccessEntry>(
  {
    trackingId: { type: String, required: true, index: true },
    at: { type: Date, required: true },
    kind: { type: String, required: true, enum: PSI_ACCESS_KINDS },
    channel: { type: String, required: true, enum: PSI_ACCESS_CHANNELS },
    version: { type: Number, required: true },
    aadObjectId: { type: String, default: null },
  },
  { collection: 'psiAccess', versionKey: false, minimize: false },
);

export function psiAccessModel(conn: Connection): Model<PsiAccessEntry> {
  return (conn.models.PsiAccessEntry as Model<PsiAccessEntry> | undefined) ?? conn.model<PsiAccessEntry>('PsiAccessEntry', schema);
}
