import fs from 'node:fs';
import type { EmbeddedDb } from '../../tools/embeddedDb';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__EMBEDDED_DB__ as { db: EmbeddedDb; dataDir: string } | undefined;
  if (!state) return;
  await state.db.stop();
  fs.rmSync(state.dataDir, { recursive: true, force: true });
}
