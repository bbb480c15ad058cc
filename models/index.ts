import type { Connection } from 'mongoose';
import { auditModel } from './audit';
import { conversationReferenceModel } from './conversationReference';
import { draftModel } from './draft';
import { memberModel } from './member';
import { decisionModel, requestModel } from './request';
import { settingModel } from './setting';

export function createModels(conn: Connection) {
  return {
    conversationReferences: conversationReferenceModel(conn),
    members: memberModel(conn),
    requests: requestModel(conn),
    decisions: decisionModel(conn),
    drafts: draftModel(conn),
    settings: settingModel(conn),
    audit: auditModel(conn),
  };
}
export type Models = ReturnType<typeof createModels>;

/** Builds every index before serving: correctness rests on the unique ones. */
export async function initModels(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((m) => (m as { init(): Promise<unknown> }).init()));
}
