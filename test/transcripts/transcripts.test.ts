// One test per YAML scenario under test/transcripts/<area>/. A scenario is a whole conversation
// (an app started, a case prepared, a dozen turns): it gets more than jest's default 30 s, which
// the concurrent scenarios passed on a busy machine.
import path from 'node:path';
import fs from 'node:fs';
import { loadTranscripts, runTranscript } from '../support/transcript';

const SCENARIO_TIMEOUT_MS = 120_000;
const areas = fs.readdirSync(__dirname).filter((d) => fs.statSync(path.join(__dirname, d)).isDirectory());
for (const area of areas) {
  describe(`transcripts: ${area}`, () => {
    it.concurrent.each(loadTranscripts(path.join(__dirname, area)))('%s', async (_file, transcript) => {
      await runTranscript(transcript);
    }, SCENARIO_TIMEOUT_MS);
  });
}
