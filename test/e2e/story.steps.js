// The story's steps, as a user plays them in the Agents Playground. See story.e2e.js.
'use strict';
const { placeActorAndPublish, mapSteps, reportStep, dutchReportStep } = require('./story.mapReport');

const FR_SHEET = [
  'professionnel', 'CPAS fictif de Test', 'précarité', 'assistante sociale', '02 123 45 67', 'passer', '72', 'à domicile', 'Saint-Gilles',
  // The situation: first with a name (refused), then as it should be.
  { refused: 'Madame Jeanne Fictive vit seule et refuse les soins infirmiers.', expect: /nom d'une personne/ },
  "Madame vit seule, refuse les soins infirmiers et le CPAS s'inquiète de sa perte d'autonomie.", 'non', 'français', 'non', 'somatique, social',
  'Chutes à répétition, isolement, factures impayées.', "Les soins à domicile dépendent d'une aide sociale que la personne refuse.", 'continuité des soins',
  "Personne ne coordonne le médecin, l'infirmière et le CPAS.", 'oui', 'oui', 'oral', 'passer', 'oui', 'passer', 'oui',
  'médecin généraliste, assistante sociale, infirmière à domicile', 'passer', 'envoyer',
];

/** A calendar day `days` from now, in Brussels, as the date pickers take it. */
function isoDay(days) {
  const d = new Date(Date.now() + days * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(d);
}

const DEADLINE_SECONDS = Number(process.env.E2E_DEADLINE_SECONDS || 30);

/** Brussels date and time (rounded up to the next minute) of an instant. */
function brusselsClock(ms) {
  const t = new Date(Math.ceil(ms / 60000) * 60000);
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(t);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Brussels', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
  return { date, time, at: t.getTime() };
}

/** "11 décembre" for a day `days` from now, as the cards write it. */
function dayLabel(days) {
  return new Intl.DateTimeFormat('fr-BE', { timeZone: 'Europe/Brussels', day: 'numeric', month: 'long' }).format(new Date(Date.now() + days * 86400000));
}

async function play(ui, step, cast) {
  let trackingId;
  let deadline;

  await step('personal chat: the bot speaks French', async () => {
    await ui.openChat('Personal Chat');
    await ui.say('langue fr', /français/);
  });

  await step('coordination: the team channel becomes the coordination', async () => {
    await ui.openChat('General');
    await ui.post('définir coordination', /reçoit désormais les demandes/);
  });

  await step('coordinator opens the organiser pool', async () => {
    await ui.openChat('Personal Chat');
    await ui.say('organisateurs', /Pool des organisateurs/);
  });

  await step('coordinator adds themself to the pool as organiser', async () => {
    const pool = ui.card(/Pool des organisateurs/);
    await ui.choose(pool, /Personne/, cast.me.name);
    await ui.radio(pool, /Organisat/);
    await ui.check(pool, 'Français');
    await ui.check(pool, 'Nederlands');
    await ui.choose(pool, /^Secteur/, 'précarité');
    await ui.click(pool, 'Enregistrer');
    await ui.waitCard(/Pool des organisateurs/, new RegExp(`${cast.me.name}[\\s\\S]*Organisat`), 'the new organiser');
  });

  await step('requester starts the sheet', async () => {
    await ui.say('nouvelle demande', /Question \d+ sur \d+/);
  });

  await step('requester: an identifying answer is refused', async () => {
    for (const answer of FR_SHEET) {
      if (typeof answer !== 'string') {
        await ui.say(answer.refused, answer.expect);
        break;
      }
      await ui.say(answer);
    }
  });

  await step('requester completes and sends the sheet', async () => {
    const rest = FR_SHEET.slice(FR_SHEET.findIndex((a) => typeof a !== 'string') + 1);
    let last = '';
    for (const answer of rest) last = await ui.say(answer);
    trackingId = /CMD-\d{4}-\d{4,}/.exec(last)?.[0];
    if (!trackingId) throw new Error(`no tracking id after the sheet; the bot said: ${last.slice(0, 600)}`);
  });

  await step('coordination receives the triage card', async () => {
    await ui.openChat('General');
    await ui.show(await ui.waitCard(new RegExp(`Demande ${trackingId}`), /Oui/, 'the triage card'));
  });

  await step('coordinator admits the request and assigns the organiser', async () => {
    const triage = ui.card(new RegExp(`Demande ${trackingId}`));
    await ui.choose(triage, /Organisateur ou organisatrice/, new RegExp(cast.me.name));
    await ui.fill(triage, /Notes pour l'organisateur/, 'Situation urgente : merci de proposer une date rapidement.');
    await ui.click(triage, 'Oui');
    await ui.waitCard(new RegExp(`Demande ${trackingId}`), new RegExp(`Décision : Oui — organisat\\S* : ${cast.me.name}`), 'the decision');
  });

  await step('organiser is notified with the case in their personal chat', async () => {
    await ui.openChat('Personal Chat');
    await ui.show(await ui.waitCard(new RegExp(trackingId), /Ouvrir le dossier|Open the case|Dossier openen/, 'the assignment card'));
  });

  // Issue 9 §2.2: a proactive message uses the member's language (this one said "langue fr"
  // and speaks FR/NL in the pool), not the Teams client's locale.
  await step('the assignment card speaks the organiser\'s language (French)', async () => {
    await ui.waitCard(new RegExp(trackingId), /Ouvrir le dossier/, 'the assignment card in French');
  }, { soft: true });

  await step('organiser opens the case from the assignment card', async () => {
    const card = ui.card(new RegExp(`${trackingId}[\\s\\S]*(Ouvrir le dossier|Open the case|Dossier openen)`));
    await ui.click(card, /^(Ouvrir le dossier|Open the case|Dossier openen)$/);
    await ui.waitCard(new RegExp(`Dossier ${trackingId}|${trackingId}[\\s\\S]*Participants`), /Participants/i, 'the case card');
  });

  await step('organiser links the group chat to the case', async () => {
    await ui.openChat(cast.caseChat);
    await ui.sayInGroup(`lier dossier ${trackingId}`, new RegExp(`${trackingId}`));
  });

  await step('organiser opens the poll form', async () => {
    await ui.sayInGroup(`nouveau sondage ${trackingId}`, /Créer le sondage/);
    await ui.show(ui.card(/Créer le sondage/));
  });

  await step('organiser fills the poll: three slots, deadline, participants', async () => {
    const form = ui.card(/Créer le sondage/);
    const dates = form.locator('input[placeholder="Select a date..."]');
    const times = form.locator('input[placeholder="Select a time..."]');
    const nDates = await dates.count();
    const slots = [[10, '10:00'], [11, '10:00'], [12, '14:00']].slice(0, Math.min(3, nDates - 1));
    for (const [i, [days, time]] of slots.entries()) {
      await ui.pickDate(dates.nth(i), isoDay(days));
      await ui.typeInto(times.nth(i), time);
    }
    // The answer deadline is a few minutes away: when it passes, the bot closes the poll and tells
    // the organiser on its own (a scheduled, proactive message), which the story waits for below.
    deadline = brusselsClock(Date.now() + DEADLINE_SECONDS * 1000);
    await ui.pickDate(dates.nth(nDates - 1), deadline.date);
    await ui.typeInto(times.nth(nDates - 1), deadline.time);
    const members = form.getByText(cast.me.name, { exact: true });
    await members.first().click();
    await members.nth(1).click(); // and required
    await ui.fill(form, /hors Teams, obligatoires/, 'Kim Fictif (fille)');
    await ui.fill(form, /hors Teams, facultatifs/, 'Infirmière à domicile');
  });

  await step('organiser creates the poll and it is posted in the group chat', async () => {
    const before = await ui.paneText();
    await ui.click(ui.card(/Créer le sondage/), 'Créer le sondage');
    await ui.waitText(/Disponibilités — concertation/, before, 'the poll card');
    await ui.show(ui.card(/Disponibilités — concertation/));
  });

  // The organiser's own view (the form card, replaced in place) lists the ranking: its times must
  // be Brussels times, like the shared card's.
  await step('the organiser view shows the slots at their Brussels time', async () => {
    await ui.waitCard(/Classement \(vue organisateur\)/, new RegExp(`${dayLabel(10)} \\d{4}, 10:00–11:45 — `), 'the first slot at 10:00 in the ranking');
  });

  const ORGANISER_VIEW = /Classement \(vue organisateur\)/;
  const answer = async (card, choices) => {
    const boxes = card.locator('[role="combobox"]:visible');
    for (const [i, choice] of choices.entries()) {
      await boxes.nth(i).scrollIntoViewIfNeeded();
      await boxes.nth(i).click();
      await ui.page.getByRole('option', { name: choice, exact: true }).first().click();
      await ui.closePopups();
    }
    await ui.click(card, 'Enregistrer mes réponses');
  };

  await step('participant (the organiser) answers the poll', async () => {
    await answer(ui.card(ORGANISER_VIEW), ['Oui', 'Non', 'Si nécessaire']);
    await ui.waitCard(ORGANISER_VIEW, /Vos réponses sont enregistrées/, 'the saved notice');
    await ui.waitCard(ORGANISER_VIEW, /Réponses : 1 sur 3/, '1 answer of 3');
  });

  await step('the participant changes their answer', async () => {
    await answer(ui.card(ORGANISER_VIEW), ['Oui', 'Oui', 'Non']);
    await ui.waitCard(ORGANISER_VIEW, new RegExp(`${dayLabel(11)}[^\\n]*— ✔ 1 · ~ 0 · ✖ 0`), 'the second slot now with one yes');
    await ui.waitCard(ORGANISER_VIEW, /Réponses : 1 sur 3/, 'still 1 answer of 3');
  });

  for (const [who, choices] of [['Kim Fictif (fille)', ['Oui', 'Si nécessaire', 'Non']], ['Infirmière à domicile', ['Oui', 'Non', 'Oui']]]) {
    await step(`organiser records the answers of ${who} (outside Teams)`, async () => {
      let card = ui.card(ORGANISER_VIEW);
      await ui.click(card, 'Gérer le sondage');
      await ui.choose(card, /Répondre pour un participant hors Teams/, who);
      await ui.click(card, 'Saisir ses réponses');
      card = await ui.waitCard(new RegExp(`Disponibilités de ${who.replace(/[()]/g, '.')}`), /vous répondez pour cette personne/, `the form for ${who}`);
      await answer(card, choices);
      await ui.waitCard(ORGANISER_VIEW, new RegExp(`Réponses de ${who.replace(/[()]/g, '.')} enregistrées`), 'the saved notice');
    });
  }

  await step('everyone has answered; the first slot is suggested', async () => {
    await ui.show(await ui.waitCard(ORGANISER_VIEW, /Réponses : 3 sur 3/, '3 answers of 3'));
    await ui.waitCard(ORGANISER_VIEW, new RegExp(`Suggestion : [^\\n]*${dayLabel(10)}`), 'the first slot suggested');
  });

  // The card posted for everyone is updated in place after each answer (updateActivity). The
  // Playground refuses an update without `type: "message"`, as the Bot Connector does.
  await step('the poll card posted for everyone shows the answers', async () => {
    await ui.waitCard(/Répondre \/ voir mes réponses/, /Réponses : 3 sur 3/, 'the shared card updated to 3 answers of 3');
  }, { soft: true });

  await step('when the answer deadline passes, the bot closes the poll and tells the organiser', async () => {
    await ui.openChat('Personal Chat');
    const wait = Math.max(0, deadline.at - Date.now());
    console.log(`       (waiting ${Math.round(wait / 1000)} s for the poll's deadline, ${deadline.time} Brussels)`);
    const before = await ui.paneText();
    await ui.waitText(new RegExp(`(sondage|poll|peiling)[^\\n]*${trackingId}[^\\n]*(est passée|has passed|verstreken|voorbij)`), before, 'the deadline message', wait + 60_000);
  });

  // Issue 9 §2.2: proactive messages in the member's language.
  await step('the deadline message speaks the organiser\'s language (French)', async () => {
    await ui.waitText(new RegExp(`La date limite du sondage de la concertation ${trackingId} est passée`), '', 'the deadline message in French', 2000);
  }, { soft: true });

  await step('organiser picks the slot', async () => {
    await ui.openChat(cast.caseChat);
    const card = ui.card(ORGANISER_VIEW);
    await ui.click(card, 'Fixer la date');
    await ui.choose(card, /Fixer la date/, new RegExp(dayLabel(10)));
    const before = await ui.paneText();
    await ui.click(card, 'Confirmer ce créneau');
    await ui.waitText(/Date fixée|La concertation aura lieu/, before, 'the decision');
  });

  await step('the agenda card appears in the case chat', async () => {
    await ui.show(await ui.waitCard(/Ordre du jour — concertation du dossier/, new RegExp(`${dayLabel(10)} \\d{4} à 10:00`), 'the agenda card'));
  });

  // Issue 9 §2.9/§2.6: the place is a label in the reader's language, never the raw code.
  await step('the agenda card names the place in words', async () => {
    await ui.waitCard(/Ordre du jour — concertation du dossier/, /Lieu\s+Au domicile de la personne/, 'the place label');
  }, { soft: true });

  await step('a participant confirms the agenda', async () => {
    const card = ui.card(/Ordre du jour — concertation du dossier/);
    await ui.click(card, 'Je participe');
    await ui.waitCard(/Ordre du jour — concertation du dossier/, /votre participation est confirmée|✅ participe/, 'the confirmation');
  });

  await step('organiser writes the PSI', async () => {
    await ui.sayInGroup(`psi ${trackingId}`, /PSI — plan de services et de soins/);
    let card = ui.card(/PSI — plan de services et de soins/);
    await ui.click(card, 'Modifier le PSI');
    card = await ui.waitCard(/PSI — plan de services et de soins/, /Enregistrer ces rubriques/, 'the PSI form');
    await ui.fill(card, /^Mes besoins/, 'Aide pour les courses et les repas ; passage infirmier quotidien.');
    await ui.fill(card, /^Mes objectifs généraux/, 'Rester vivre à domicile en sécurité.');
    await ui.click(card, 'Enregistrer ces rubriques');
    await ui.waitCard(/PSI — plan de services et de soins/, /Rester vivre à domicile en sécurité/, 'the saved sections');
  });

  await placeActorAndPublish(ui, step);

  // Issue 11 §3: the chat's members are not all people the person shares her PSI with, so the chat
  // gets a notice without its content; "Ouvrir le PSI" shows it to a reader (here the organiser).
  await step('the chat gets a PSI notice without its content', async () => {
    const notice = await ui.waitCard(/PSI — plan de services et de soins/, /Version 1[\s\S]*Ouvrir le PSI/, 'the PSI notice');
    const text = await notice.innerText();
    if (/Rester vivre à domicile|passage infirmier/i.test(text)) throw new Error(`the chat shows the PSI's content: ${text.slice(0, 400)}`);
    await ui.show(notice);
  });

  await step('the PSI card shows the published plan', async () => {
    await ui.click(ui.card(/PSI — plan de services et de soins/), 'Ouvrir le PSI');
    const card = await ui.waitCard(/PSI — plan de services et de soins/, /Version 1 ·[\s\S]*Mes objectifs généraux[\s\S]*Rester vivre à domicile/, 'the PSI card, version 1');
    await ui.show(card);
  });

  await mapSteps(ui, step, trackingId);
  await reportStep(ui, step, cast);

  await step('the dashboard tab (Teams SSO) shows the case, its concertation and its PSI', async () => {
    const { page, tab } = await cast.openDashboard('fr-BE', 'fr');
    try {
      const state = await tab.getAttribute('body', 'data-state');
      if (state !== 'ready') throw new Error(`the dashboard is "${state}": ${await tab.locator('#status').innerText()}`);
      const cases = await tab.locator('#cases table').innerText();
      if (!cases.includes(trackingId)) throw new Error(`my cases do not list ${trackingId}: ${cases.slice(0, 400)}`);
      const concertations = await tab.locator('#concertations table').innerText();
      if (!concertations.includes(trackingId)) throw new Error(`the upcoming concertations do not list ${trackingId}: ${concertations.slice(0, 400)}`);
      await tab.click(`button[aria-label="Voir le PSI de ${trackingId}"]`);
      const psi = await tab.locator('#psi .psi-version[data-version="1"]').innerText();
      if (!/Rester vivre à domicile en sécurité/.test(psi)) throw new Error(`the PSI shown is not the one published: ${psi.slice(0, 400)}`);
      const byOrganiser = await tab.locator('#by-organiser table').innerText();
      if (!byOrganiser.includes(trackingId) || !byOrganiser.includes(cast.me.name)) throw new Error(`the coordination does not see ${trackingId} with its organiser: ${byOrganiser.slice(0, 400)}`);
      await page.screenshot({ path: require('node:path').join(__dirname, '..', '..', 'e2e-results', 'dashboard-fr-psi.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  await step('the dashboard speaks Dutch when Teams does', async () => {
    const { page, tab } = await cast.openDashboard('nl-BE', 'nl');
    try {
      const title = await tab.locator('#cases-title').innerText();
      if (title !== 'Mijn dossiers') throw new Error(`the cases' heading reads "${title}"`);
      if (!(await tab.locator('#cases table').innerText()).includes(trackingId)) throw new Error(`no ${trackingId} in Dutch`);
    } finally {
      await page.close();
    }
  });

  await step('the sheet starts again, in Dutch', async () => {
    await ui.openChat('Personal Chat');
    await ui.say('taal nl', /Nederlands/);
    await ui.say('nieuwe aanvraag', /Vraag \d+ van \d+/);
  });

  await dutchReportStep(ui, step);

  await step('the Playground accepted every call the bot made to its connector', async () => {
    const log = require('node:path').join(__dirname, '..', '..', 'e2e-results', 'connector-refusals.log');
    const refused = require('node:fs').existsSync(log) ? require('node:fs').readFileSync(log, 'utf8') : '';
    if (refused) throw new Error(`refused calls (e2e-results/connector-refusals.log):\n${refused.slice(0, 1500)}`);
  }, { soft: true });
}

module.exports = { play };
