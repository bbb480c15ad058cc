// One test per YAML scenario under test/transcripts/<area>/.
import path from 'node:path';
import fs from 'node:fs';
import { loadTranscripts, runTranscript } from '../support/transcript';

const areas = fs.readdirSync(__dirname).filter((d) => fs.statSync(path.join(__dirname, d)).isDirectory());
for (const area of areas) {
  describe(`transcripts: ${area}`, () => {
    it.concurrent.each(loadTranscripts(path.join(__dirname, area)))('%s', async (_file, transcript) => {
      await runTranscript(transcript);
    });
  });
}
