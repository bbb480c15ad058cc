// Every translation file, imported so the compiler carries it into the build (a file read from
// disk at run time is a file the build can forget). A new area folder is added here; a test
// checks that every folder on disk is listed.
import fr from './fr.json';
import nl from './nl.json';
import en from './en.json';
import appPackage_fr from './appPackage/fr.json';
import appPackage_nl from './appPackage/nl.json';
import appPackage_en from './appPackage/en.json';
import caseReminders_fr from './caseReminders/fr.json';
import caseReminders_nl from './caseReminders/nl.json';
import caseReminders_en from './caseReminders/en.json';
import cases_fr from './cases/fr.json';
import cases_nl from './cases/nl.json';
import cases_en from './cases/en.json';
import map_fr from './map/fr.json';
import map_nl from './map/nl.json';
import map_en from './map/en.json';
import polls_fr from './polls/fr.json';
import polls_nl from './polls/nl.json';
import polls_en from './polls/en.json';
import pool_fr from './pool/fr.json';
import pool_nl from './pool/nl.json';
import pool_en from './pool/en.json';
import psi_fr from './psi/fr.json';
import psi_nl from './psi/nl.json';
import psi_en from './psi/en.json';
import records_fr from './records/fr.json';
import records_nl from './records/nl.json';
import records_en from './records/en.json';
import reminders_fr from './reminders/fr.json';
import reminders_nl from './reminders/nl.json';
import reminders_en from './reminders/en.json';
import report_fr from './report/fr.json';
import report_nl from './report/nl.json';
import report_en from './report/en.json';

type Resources = Record<string, string>;

/** Area folder → its files by language. */
export const AREAS: Record<string, Record<'fr' | 'nl' | 'en', Resources>> = {
  appPackage: { fr: appPackage_fr, nl: appPackage_nl, en: appPackage_en },
  caseReminders: { fr: caseReminders_fr, nl: caseReminders_nl, en: caseReminders_en },
  cases: { fr: cases_fr, nl: cases_nl, en: cases_en },
  map: { fr: map_fr, nl: map_nl, en: map_en },
  polls: { fr: polls_fr, nl: polls_nl, en: polls_en },
  pool: { fr: pool_fr, nl: pool_nl, en: pool_en },
  psi: { fr: psi_fr, nl: psi_nl, en: psi_en },
  records: { fr: records_fr, nl: records_nl, en: records_en },
  reminders: { fr: reminders_fr, nl: reminders_nl, en: reminders_en },
  report: { fr: report_fr, nl: report_nl, en: report_en },
};

export const BASE: Record<'fr' | 'nl' | 'en', Resources> = { fr, nl, en };
